// What rollgate promises a Node host: no abort, no unbounded allocation from
// small input, no number changed on the way, and one typed error for
// anything that cannot be read (issue 9).
'use strict'
const { test } = require('node:test')
const assert = require('node:assert/strict')
const rollgate = require('..')

const PLAN = { name: 'p', services: [{ id: 'db' }, { id: 'api', depends_on: ['db'] }] }

function thrown(fn) {
  try {
    fn()
  } catch (e) {
    return e
  }
  assert.fail('expected an error')
}

test('extreme welch input gives a result or a typed error, not an abort', () => {
  // Once aborted the process: "failed to initiate panic", exit 134.
  try {
    const r = rollgate.welchTTest(new Float64Array([1e154, 1]), [1, 2])
    assert.equal(typeof r.p_value, 'number')
  } catch (e) {
    assert.ok(e instanceof Error)
    assert.equal(typeof e.code, 'string')
  }
})

test('a panic is an internal_error and the process lives on', (t) => {
  if (typeof rollgate._testPanic !== 'function') return t.skip('release build')
  const e = thrown(() => rollgate._testPanic())
  assert.equal(e.code, 'internal_error')
  assert.equal(e.path, '')
  assert.equal(e.family, 'internal')
  assert.deepEqual(rollgate.orderServices(PLAN).waves, [['db'], ['api']])
})

test('numbers keep their magnitude', () => {
  assert.equal(rollgate.mannWhitney([1e20], [0]).estimate, 1e20)
  const rates = rollgate.compareRates(1, 1e-300, 1, 1)
  assert.ok(Math.abs(rates.rate_x / 1e300 - 1) < 1e-9, JSON.stringify(rates))
  const record = rollgate.appendChangeRecord(null, { kind: 'k', inputs: { x: 1e-20 }, outputs: {} })
  assert.equal(record.inputs.x, 1e-20)
})

test('large integers come back as numbers, never BigInt', () => {
  const record = rollgate.appendChangeRecord(null, {
    kind: 'k',
    inputs: { big: 2 ** 60, huge: 2 ** 64, bigint: 2n ** 62n },
    outputs: {},
  })
  assert.equal(typeof record.inputs.big, 'number')
  assert.equal(record.inputs.big, 2 ** 60)
  assert.equal(record.inputs.huge, 2 ** 64)
  assert.equal(record.inputs.bigint, 2 ** 62)
  assert.doesNotThrow(() => JSON.stringify(record))
  // Beyond 64 bits a BigInt is the nearest number, as a Python int is.
  const wide = rollgate.appendChangeRecord(null, { kind: 'k', inputs: { x: 2n ** 70n + 1n }, outputs: {} })
  assert.equal(wide.inputs.x, 2 ** 70)
  const e = thrown(() => rollgate.appendChangeRecord(null, { kind: 'k', inputs: { x: 10n ** 400n }, outputs: {} }))
  assert.equal(e.code, 'invalid_input')
  assert.equal(e.path, 'record/inputs/x')
})

test('every numeric typed array is a sample; the error text is filled in', () => {
  const expected = rollgate.mannWhitney([1, 2, 3], [2, 5])
  for (const T of [Float64Array, Float32Array, Int32Array, Uint32Array, Int16Array, Uint16Array]) {
    assert.deepEqual(rollgate.mannWhitney(new T([1, 2, 3]), new T([2, 5])), expected, T.name)
  }
  const e = thrown(() => rollgate.mannWhitney(new Uint8Array([1, 2]), [1]))
  assert.equal(e.code, 'invalid_config')
  assert.equal(e.path, 'x')
  assert.ok(!e.message.includes('$'), e.message)
})

test('junk in a look is rejected naming the look', () => {
  const e = thrown(() => rollgate.sequentialCountTest([[3, 9, 'junk']], 0.5))
  assert.equal(e.code, 'invalid_config')
  assert.equal(e.path, 'looks/0')
})

test('a lone surrogate is invalid_input, not U+FFFD', () => {
  let e = thrown(() => rollgate.mannWhitney([1, 2], [3, 4], '\ud800'))
  assert.deepEqual([e.code, e.path], ['invalid_input', 'alternative'])
  e = thrown(() => rollgate.orderServices({ name: 'p', services: [{ id: 'a\udc00' }] }))
  assert.deepEqual([e.code, e.path], ['invalid_input', '/services/0/id'])
  // A real U+FFFD is text like any other.
  assert.deepEqual(rollgate.orderServices({ name: 'p', services: [{ id: '\ufffd' }] }).waves, [['\ufffd']])
})

test('a throwing getter, index getter or Proxy is invalid_input with the cause', () => {
  const cases = [
    [() => rollgate.orderServices({ name: 'p', get services() { throw new Error('boom') } }), '/services', 'boom'],
    [() => rollgate.orderServices(new Proxy({}, { ownKeys() { throw new Error('px') } })), '', 'px'],
    [() => rollgate.judgeCanary({ metrics: [{ name: 'cpu' }] }, { get cpu() { throw new RangeError('data') } }), 'data/cpu', 'data'],
  ]
  const sample = [1, 2, 3]
  Object.defineProperty(sample, 1, { get() { throw new Error('idx') } })
  cases.push([() => rollgate.mannWhitney(sample, [1, 2]), 'x/1', 'idx'])
  for (const [call, path, message] of cases) {
    const e = thrown(call)
    assert.deepEqual([e.code, e.path], ['invalid_input', path], e.message)
    assert.ok(e.cause instanceof Error, `cause of ${path}`)
    assert.equal(e.cause.message, message)
  }
})

test('sparse arrays are rejected at once, without allocating', () => {
  let e = thrown(() => rollgate.mannWhitney([1, , 3], [1, 2]))
  assert.deepEqual([e.code, e.path], ['invalid_input', 'x/1'])
  const started = Date.now()
  e = thrown(() => rollgate.mannWhitney(new Array(1e8), [1]))
  assert.deepEqual([e.code, e.path], ['invalid_input', 'x'])
  e = thrown(() => rollgate.adjustPValues(new Array(2 ** 32 - 1)))
  assert.deepEqual([e.code, e.path], ['invalid_input', 'p_values'])
  e = thrown(() => rollgate.mannWhitney(new Array(1000), [1]))
  assert.deepEqual([e.code, e.path], ['invalid_input', 'x/0'])
  assert.ok(Date.now() - started < 1000, `${Date.now() - started} ms`)
})

test('options by position or as one object mean the same', () => {
  const [x, y] = [[1, 2, 3, 4], [5, 6, 7, 8]]
  assert.deepEqual(rollgate.mannWhitney(x, y, { alternative: 'less', confidence: 0.9 }), rollgate.mannWhitney(x, y, 'less', 0.9))
  const e = thrown(() => rollgate.mannWhitney(x, y, { colour: 'red' }))
  assert.deepEqual([e.code, e.path], ['invalid_config', 'options/colour'])
})
