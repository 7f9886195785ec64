// Canary analysis from Node: arrays and Float64Array samples, options
// objects, and every error code of the canary family.
'use strict'
const { test } = require('node:test')
const assert = require('node:assert/strict')
const rollgate = require('..')

const CANARY = [10, 20, 30, 40]
const BASELINE = [1, 2, 3, 4]

function throws(fn, code, path) {
  let thrown
  try {
    fn()
  } catch (e) {
    thrown = e
  }
  assert.ok(thrown instanceof Error, `expected ${code}`)
  assert.equal(thrown.code, code, thrown.message)
  assert.equal(thrown.path, path, thrown.message)
  assert.equal(thrown.family, 'canary')
  return thrown
}

test('Kayenta vector, positional and options object', () => {
  const a = rollgate.mannWhitney(CANARY, BASELINE, 'two-sided', 0.95)
  assert.deepEqual(a.ci, [6, 39])
  assert.equal(a.estimate, 22.5)
  const b = rollgate.mannWhitney(CANARY, BASELINE, { alternative: 'two-sided', confidence: 0.95 })
  assert.deepEqual(a, b)
})

test('Float64Array and arrays give the same result', () => {
  const a = rollgate.mannWhitney(new Float64Array(CANARY), new Float64Array(BASELINE))
  assert.deepEqual(a, rollgate.mannWhitney(CANARY, BASELINE))
  const w = rollgate.welchTTest(new Float64Array(CANARY), BASELINE, { alternative: 'greater' })
  assert.equal(w.alternative, 'greater')
  assert.equal(w.ci[1], null)
})

test('large Float64Array', () => {
  const n = 50000
  const x = new Float64Array(n)
  const y = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    x[i] = ((i * 7919) % n) / n + 0.01
    y[i] = ((i * 104729) % n) / n
  }
  const r = rollgate.mannWhitney(x, y)
  assert.equal(r.method, 'asymptotic')
  assert.ok(r.ci[0] < r.estimate && r.estimate < r.ci[1])
  assert.ok(Math.abs(r.estimate - 0.01) < 0.005)
})

test('judgeCanary with typed arrays and counts', () => {
  const base = new Float64Array(200).map((_, i) => 100 + (i % 20))
  const slow = base.map((v) => v * 1.5)
  const config = {
    metrics: [
      { name: 'latency', direction: 'increase' },
      { name: 'errors', kind: 'count', direction: 'increase', critical: true },
    ],
  }
  const good = rollgate.judgeCanary(config, {
    latency: { baseline: base, canary: base },
    errors: { baseline: { events: 10, trials: 10000 }, canary: { events: 9, trials: 10000 } },
  })
  assert.equal(good.decision, 'promote')
  const bad = rollgate.judgeCanary(config, {
    latency: { baseline: base, canary: slow },
    errors: { baseline: { events: 0, trials: 10000 }, canary: { events: 8, trials: 10000 } },
  })
  assert.equal(bad.decision, 'rollback')
  assert.equal(bad.metrics.errors.classification, 'high')
  assert.equal(bad.metrics.errors.effect_ratio, null)
  assert.equal(bad.reasons[0].code, 'critical_metric_failed')
})

test('A/B assessment: treatment as canary, control as baseline', () => {
  const r = rollgate.judgeCanary(
    { metrics: [{ name: 'conversion', kind: 'count', direction: 'decrease' }] },
    { conversion: { baseline: { events: 480, trials: 10000 }, canary: { events: 530, trials: 10000 } } },
  )
  assert.equal(r.metrics.conversion.classification, 'pass')
  assert.equal(r.decision, 'promote')
})

test('canary errors carry code, path and details', () => {
  throws(() => rollgate.mannWhitney([1], [1], 'two-sided', 1.5), 'invalid_config', 'confidence')
  throws(() => rollgate.mannWhitney([1], [1], { alternative: 'up' }), 'invalid_config', 'alternative')
  throws(() => rollgate.mannWhitney([1], [1], { colour: 1 }), 'invalid_config', 'options/colour')
  throws(() => rollgate.mannWhitney([], [1]), 'insufficient_data', 'x')
  const e = throws(() => rollgate.mannWhitney(new Float64Array([1, NaN]), [1]), 'invalid_sample', 'x/1')
  assert.equal(e.index, 1)
  throws(() => rollgate.mannWhitney([1, null], [1]), 'invalid_sample', 'x/1')
  throws(() => rollgate.mannWhitney('abc', [1]), 'invalid_config', 'x')
  throws(() => rollgate.compareProportions(5, 4, 0, 4), 'invalid_count', 'events_x')
  throws(() => rollgate.compareRates(1, 0, 1, 1), 'invalid_count', 'exposure_x')
  throws(() => rollgate.adjustPValues([0.1, 3]), 'invalid_sample', 'p_values/1')
  throws(() => rollgate.adjustPValues([0.1], 'bonferroni'), 'invalid_config', 'method')
  throws(() => rollgate.quantileCi([1, 2], 0), 'invalid_config', 'quantile')
  const u = throws(
    () => rollgate.judgeCanary({ metrics: [] }, { cpu: { baseline: [1], canary: [1] } }),
    'unknown_metric',
    'data/cpu',
  )
  assert.equal(u.metric, 'cpu')
  const s = throws(
    () => rollgate.judgeCanary({ metrics: [{ name: 'a' }] }, { a: { baseline: [1], canary: new Float64Array([1, Infinity]) } }),
    'invalid_sample',
    'data/a/canary/1',
  )
  assert.equal(s.metric, 'a')
  throws(
    () =>
      rollgate.judgeCanary(
        { metrics: [{ name: 'e', kind: 'count' }] },
        { e: { baseline: { events: -1, trials: 5 }, canary: { events: 0, trials: 5 } } },
      ),
    'invalid_count',
    'data/e/baseline/events',
  )
  throws(() => rollgate.judgeCanary({ metrics: [{ name: 'a', confidence: 2 }] }, {}), 'invalid_config', '/metrics/0/confidence')
  throws(() => rollgate.judgeCanary({ metrics: [{ name: 'a', colour: 1 }] }, {}), 'invalid_config', '/metrics/0/colour')
  throws(() => rollgate.judgeCanary({ metrics: [{ name: 'a' }] }, { a: { baseline: [1], canary: [1], extra: 1 } }), 'invalid_config', 'data/a/extra')
})

test('sequentialCountTest', () => {
  const r = rollgate.sequentialCountTest([[3, 9], [8, 14], [15, 18]], 0.1)
  assert.equal(r.reject, true)
  assert.equal(r.first_rejection, 2)
  throws(() => rollgate.sequentialCountTest([[3, 1], [2, 1]], 0.5), 'invalid_count', 'looks/1/0')
  throws(() => rollgate.sequentialCountTest([[3, 1]], 0.5, 0), 'invalid_config', 'concentration')
})

test('a wrong type for a numeric argument is a canary error naming it', () => {
  for (const [fn, path] of [
    [() => rollgate.compareProportions('a', 10, 0, 10), 'events_x'],
    [() => rollgate.compareRates(1, 10, 0, {}), 'exposure_y'],
    [() => rollgate.quantileCi([1, 2, 3], '0.5'), 'quantile'],
    [() => rollgate.mannWhitney([1, 2], [3, 4], 'two-sided', 'high'), 'confidence'],
    [() => rollgate.sequentialCountTest([[1, 2]], 0.5, 'x'), 'concentration'],
  ]) {
    let err
    try {
      fn()
    } catch (e) {
      err = e
    }
    assert.ok(err instanceof Error, `expected an error for ${path}`)
    assert.equal(err.family, 'canary', err.message)
    assert.equal(err.path, path, err.message)
  }
})
