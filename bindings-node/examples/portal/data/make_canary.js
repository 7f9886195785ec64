// Writes canary.json: a canary analysis configuration and two sets of metric
// samples drawn from a seeded generator, so the file is reproducible
// (`node make_canary.js`). In `regressed` the canary's latency is 12 %
// higher and its error rate 6 times the baseline's; in `healthy` both sides
// come from the same distributions.
'use strict'
const fs = require('node:fs')
const path = require('node:path')

// mulberry32: a small, well-known seeded 32-bit generator.
function generator(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

// Log-normal latencies in milliseconds (Box-Muller), rounded to 0.1 ms.
function latencies(random, n, medianMs, sigma) {
  const out = []
  for (let i = 0; i < n; i++) {
    const u = 1 - random()
    const v = random()
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
    out.push(Math.round(medianMs * Math.exp(sigma * z) * 10) / 10)
  }
  return out
}

const config = {
  metrics: [
    { name: 'latency_ms', direction: 'increase', allowed_increase: 1.05 },
    { name: 'latency_dist', compare: 'distribution', direction: 'increase' },
    { name: 'p99_ms', kind: 'quantile', quantile: 0.99, direction: 'increase' },
    { name: 'errors', kind: 'count', direction: 'increase', critical: true },
  ],
  correction: 'holm',
  thresholds: { pass: 95, marginal: 75 },
}

function sample(seed, canaryFactor, canaryErrors) {
  const random = generator(seed)
  const baseline = latencies(random, 400, 120, 0.25)
  const canary = latencies(random, 200, 120 * canaryFactor, 0.25)
  return {
    latency_ms: { baseline, canary },
    latency_dist: { baseline, canary },
    p99_ms: { baseline, canary },
    errors: { baseline: { events: 45, trials: 90000 }, canary: { events: canaryErrors, trials: 10000 } },
  }
}

const document = {
  config,
  examples: {
    regressed: sample(2041, 1.12, 30),
    healthy: sample(2042, 1.0, 5),
  },
}
fs.writeFileSync(path.join(__dirname, 'canary.json'), JSON.stringify(document) + '\n')
