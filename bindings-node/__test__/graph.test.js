// Node-specific tests of the dependency-graph functions: results, thrown
// errors and their properties, argument handling.
'use strict'
const { test } = require('node:test')
const assert = require('node:assert/strict')
const rollgate = require('..')

const plan = {
  name: 'shop',
  services: [
    { id: 'web', depends_on: ['api'], deploy_duration: '2m', customer_facing: true },
    { id: 'api', depends_on: ['db'], deploy_duration: 300 },
    { id: 'db', deploy_duration: '10m', stateful: true },
  ],
}

function thrown(fn) {
  try {
    fn()
  } catch (e) {
    return e
  }
  assert.fail('expected an error')
}

test('orderServices returns plain objects with snake_case keys', () => {
  const order = rollgate.orderServices(plan)
  assert.deepEqual(order.waves, [['db'], ['api'], ['web']])
  assert.deepEqual(order.rollback_waves, [['web'], ['api'], ['db']])
  assert.equal(order.critical_path.makespan_seconds, 1020)
})

test('blastRadius: default, undefined, null and subset', () => {
  const all = rollgate.blastRadius(plan)
  assert.deepEqual(all.services.map((s) => s.id), ['api', 'db', 'web'])
  assert.deepEqual(rollgate.blastRadius(plan, null), all)
  assert.deepEqual(rollgate.blastRadius(plan, undefined), all)
  const db = rollgate.blastRadius(plan, ['db']).services[0]
  assert.deepEqual(db.dependents, ['api', 'web'])
  assert.equal(db.customer_facing_dependents, 1)
})

test('scheduleServices respects the bound', () => {
  assert.equal(rollgate.scheduleServices(plan, 1).makespan_seconds, 1020)
})

test('cycle errors are Errors with code, path, cycle and members', () => {
  const err = thrown(() =>
    rollgate.orderServices({ name: 'p', services: [{ id: 'api', depends_on: ['auth'] }, { id: 'auth', depends_on: ['api'] }] }),
  )
  assert.ok(err instanceof Error)
  assert.equal(err.code, 'dependency_cycle')
  assert.equal(err.path, '/services/0/depends_on/0')
  assert.deepEqual(err.cycle, ['api', 'auth', 'api'])
  assert.deepEqual(err.members, ['api', 'auth'])
  assert.equal(err.family, 'plan')
  assert.match(err.message, /api -> auth -> api/)
})

const cases = [
  [{ name: 'p', services: [{ id: 'a' }, { id: 'a' }] }, 'duplicate_id', '/services/1/id'],
  [{ name: 'p', services: [{ id: 'a', depends_on: ['zz'] }] }, 'unknown_dependency', '/services/0/depends_on/0'],
  [{ name: 'p', services: [{ id: 'a', depends_on: ['a'] }] }, 'self_dependency', '/services/0/depends_on/0'],
  [{ name: 'p', services: [{ id: 'a', deploy_duration: 'soon' }] }, 'invalid_duration', '/services/0/deploy_duration'],
  [{ name: 'p', services: [{ id: 'a', colour: 1 }] }, 'unknown_field', '/services/0/colour'],
  [{ name: 'p', services: 'none' }, 'invalid_input', '/services'],
  [null, 'invalid_input', ''],
  [undefined, 'invalid_input', ''],
]
for (const [bad, code, path] of cases) {
  test(`plan error ${code} at ${JSON.stringify(path)}`, () => {
    const err = thrown(() => rollgate.orderServices(bad))
    assert.ok(err instanceof Error)
    assert.equal(err.code, code, err.message)
    assert.equal(err.path, path)
  })
}

test('unknown service and bad counts', () => {
  const err = thrown(() => rollgate.blastRadius(plan, ['db', 'ghost']))
  assert.equal(err.code, 'unknown_service')
  assert.equal(err.path, 'services/1')
  assert.equal(err.service, 'ghost')
  for (const bad of [0, -3, 1.5, '2', true, null, undefined, NaN]) {
    const e = thrown(() => rollgate.scheduleServices(plan, bad))
    assert.equal(e.code, 'invalid_input')
    assert.equal(e.path, 'max_parallel')
  }
})

test('absurdly deep nesting is an error, not a crash', () => {
  let deep = 1
  for (let i = 0; i < 100000; i++) deep = [deep]
  const err = thrown(() => rollgate.appendChangeRecord(null, { kind: 'risk', inputs: deep, outputs: {} }))
  assert.equal(err.code, 'invalid_input')
  assert.match(err.message, /nested deeper than 128/)
  assert.equal(thrown(() => rollgate.orderServices({ name: 'p', services: deep })).code, 'invalid_input')
})
