// The canary watch from Node: Float64Array batches, a state stored as JSON
// and continued, and the watch's error codes.
'use strict'
const { test } = require('node:test')
const assert = require('node:assert/strict')
const rollgate = require('..')

const CONFIG = {
  metrics: [
    { name: 'errors', kind: 'count', direction: 'increase', critical: true },
    { name: 'latency', direction: 'increase', allowed_increase: 1.2 },
  ],
  watch: { min_duration: '2m', min_samples: 100 },
}
const at = (minute) => `2026-11-26T09:${String(minute).padStart(2, '0')}:00Z`

// A small seeded generator (no randomness without a seed).
function rng(seed) {
  let s = seed >>> 0
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return (s + 0.5) / 4294967296
  }
}
function latency(next, n, scale = 1) {
  const out = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const z = Math.sqrt(-2 * Math.log(next())) * Math.cos(2 * Math.PI * next())
    out[i] = Math.exp(3 + 0.3 * z) * scale
  }
  return out
}

test('a slower canary rolls back; a state stored as JSON continues identically', () => {
  const next = rng(7)
  let state = rollgate.startCanaryWatch(CONFIG)
  let update
  for (let minute = 0; minute < 20; minute++) {
    const batch = {
      errors: { baseline: { events: 3 }, canary: { events: 3 } },
      latency: { baseline: latency(next, 100), canary: latency(next, 100, 1.5) },
    }
    const stored = JSON.parse(JSON.stringify(state))
    update = rollgate.updateCanaryWatch(CONFIG, state, batch, at(minute))
    assert.deepEqual(rollgate.updateCanaryWatch(CONFIG, stored, batch, at(minute)), update)
    state = update.state
    if (update.verdict.decision !== 'continue') break
  }
  assert.equal(update.verdict.decision, 'rollback')
  const latencyEvidence = update.verdict.metrics.latency
  assert.equal(latencyEvidence.verdict, 'rollback')
  assert.ok(latencyEvidence.ci[0] > 1.2, JSON.stringify(latencyEvidence))
  assert.equal(update.verdict.reasons[0].code, 'score_below_marginal')
})

test('watch errors carry code and path', () => {
  const state = rollgate.updateCanaryWatch(CONFIG, rollgate.startCanaryWatch(CONFIG), {}, at(1)).state
  const cases = [
    [() => rollgate.updateCanaryWatch(CONFIG, state, { latency: { baseline: [1], canary: [NaN] } }, at(2)),
      'invalid_sample', 'batch/latency/canary/0'],
    [() => rollgate.updateCanaryWatch(CONFIG, state, { errors: { baseline: { events: -2 }, canary: { events: 0 } } }, at(2)),
      'invalid_count', 'batch/errors/baseline/events'],
    [() => rollgate.updateCanaryWatch(CONFIG, state, {}, at(0)), 'invalid_timestamp', 'at'],
    [() => rollgate.updateCanaryWatch(CONFIG, { ...state, fingerprint: '00' }, {}, at(2)),
      'incompatible_state', 'state/fingerprint'],
    [() => rollgate.startCanaryWatch({ ...CONFIG, watch: { allocation: 0 } }), 'invalid_config', '/watch/allocation'],
  ]
  for (const [fn, code, path] of cases) {
    let thrown
    try {
      fn()
    } catch (e) {
      thrown = e
    }
    assert.ok(thrown instanceof Error, `expected ${code}`)
    assert.equal(thrown.code, code, thrown.message)
    assert.equal(thrown.path, path, thrown.message)
  }
})
