// The release controller from Node: a release driven to completion, a bad
// canary rolled back, every error family, and a state saved by Python
// (tests/fixtures/release_handoff.json, written by
// bindings-python/tests/test_release.py) continued here with the same result.
'use strict'
const { test } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const rollgate = require('..')

const PLAN = {
  name: 'shop',
  services: [
    { id: 'db', deploy_duration: '4m' },
    { id: 'api', depends_on: ['db'], deploy_duration: '3m' },
  ],
  regions: [
    { id: 'canary', tier: 'canary', traffic_share: 0.05 },
    { id: 'eu', traffic_share: 0.95 },
  ],
  rollout: {
    bake_time: '10m',
    analysis: { metrics: [{ name: 'errors', kind: 'count', direction: 'increase', critical: true }] },
  },
}

const step = (type, region, service, at, outcome) => ({ type, region, service, at, ...(outcome ? { outcome } : {}) })
const deploys = (u) => u.actions.filter((a) => a.type === 'deploy').flatMap((a) => a.steps.map((s) => [s.service, s.region]))

test('a release without analysis runs to completion', () => {
  const plan = { ...PLAN, rollout: { bake_time: '10m' } }
  let u = rollgate.advanceRelease(plan, rollgate.startRelease(plan, '2026-11-24T09:00:00Z'), [], '2026-11-24T09:00:00Z')
  assert.deepEqual(deploys(u), [['db', 'canary']])
  const checks = (names, at) => names.map((check) => ({ type: 'check', check, passed: true, at }))
  const region = (r, t0, t1, t2) => [
    step('step_started', r, 'db', t0),
    step('step_finished', r, 'db', t1, 'succeeded'),
    step('step_started', r, 'api', t1),
    step('step_finished', r, 'api', t2, 'succeeded'),
  ]
  // db and api one after another: finish db, then api is asked for.
  u = rollgate.advanceRelease(plan, u.state, region('canary', '2026-11-24T09:00:00Z', '2026-11-24T09:04:00Z', '2026-11-24T09:04:00Z').slice(0, 2), '2026-11-24T09:04:00Z')
  assert.deepEqual(deploys(u), [['api', 'canary']])
  u = rollgate.advanceRelease(
    plan,
    u.state,
    [step('step_started', 'canary', 'api', '2026-11-24T09:04:00Z'), step('step_finished', 'canary', 'api', '2026-11-24T09:07:00Z', 'succeeded'),
      ...checks(['alarms_clear', 'health', 'smoke', 'canary_verdict'], '2026-11-24T09:08:00Z')],
    '2026-11-24T09:17:00Z',
  )
  assert.deepEqual(u.reasons.map((r) => r.code), ['wave_deployed', 'gate_passed', 'wave_started'])
  assert.deepEqual(deploys(u), [['db', 'eu']])
  u = rollgate.advanceRelease(plan, u.state, region('eu', '2026-11-24T09:17:00Z', '2026-11-24T09:21:00Z', '2026-11-24T09:21:00Z').slice(0, 2), '2026-11-24T09:21:00Z')
  u = rollgate.advanceRelease(
    plan,
    u.state,
    [step('step_started', 'eu', 'api', '2026-11-24T09:21:00Z'), step('step_finished', 'eu', 'api', '2026-11-24T09:24:00Z', 'succeeded'),
      ...checks(['alarms_clear', 'health', 'smoke'], '2026-11-24T09:25:00Z')],
    '2026-11-24T09:34:00Z',
  )
  assert.equal(u.status, 'completed')
  assert.deepEqual(u.actions, [{ type: 'done', release: 'shop', finished_at: '2026-11-24T09:34:00Z' }])
  const record = rollgate.appendChangeRecord(null, u.record)
  assert.equal(rollgate.verifyChangeLog([record]).valid, true)
})

test('a bad canary rolls back', () => {
  let u = rollgate.advanceRelease(PLAN, rollgate.startRelease(PLAN, '2026-11-24T09:00:00Z'), [], '2026-11-24T09:00:00Z')
  u = rollgate.advanceRelease(
    PLAN,
    u.state,
    [step('step_started', 'canary', 'db', '2026-11-24T09:00:00Z'),
      { type: 'metrics', region: 'canary', at: '2026-11-24T09:02:00Z', batch: { errors: { baseline: { events: 10 }, canary: { events: 60 } } } }],
    '2026-11-24T09:02:00Z',
  )
  assert.equal(u.status, 'rolling_back')
  assert.equal(u.actions[0].type, 'roll_back')
  assert.deepEqual(u.actions[0].plan.undo, [{ service: 'db', region: 'canary', stage: 'full', wave: 1, state: 'in_flight' }])
})

test('every error family', () => {
  const state = rollgate.advanceRelease(PLAN, rollgate.startRelease(PLAN, '2026-11-24T09:00:00Z'), [], '2026-11-24T09:00:00Z').state
  const cases = [
    [() => rollgate.advanceRelease(PLAN, state, [step('step_finished', 'canary', 'db', '2026-11-24T09:01:00Z', 'succeeded')], '2026-11-24T09:01:00Z'),
      { code: 'invalid_event', path: 'events/0', family: 'release', event: 'step_finished' }],
    [() => rollgate.advanceRelease({ ...PLAN, name: 'other' }, state, [], '2026-11-24T09:01:00Z'),
      { code: 'incompatible_state', path: 'state/fingerprint', family: 'release' }],
    [() => rollgate.advanceRelease(PLAN, state, [step('step_started', 'mars', 'db', '2026-11-24T09:01:00Z')], '2026-11-24T09:01:00Z'),
      { code: 'unknown_step', path: 'events/0', family: 'plan', region: 'mars' }],
    [() => rollgate.advanceRelease(PLAN, state, [], '2026-11-24T08:00:00Z'), { code: 'invalid_timestamp', path: 'now', family: 'calendar' }],
    [() => rollgate.renderNotification('{owner} paged', { release: 'shop' }),
      { code: 'unknown_placeholder', path: 'template', family: 'release', placeholder: 'owner' }],
  ]
  for (const [call, expected] of cases) {
    assert.throws(call, (e) => {
      for (const [k, v] of Object.entries(expected)) assert.equal(e[k], v, `${k} of ${e.message}`)
      return e instanceof Error
    })
  }
})

test('a state saved by Python continues in Node with the same result', () => {
  const file = path.join(__dirname, '..', '..', 'tests', 'fixtures', 'release_handoff.json')
  const handoff = JSON.parse(fs.readFileSync(file, 'utf8'))
  const u = rollgate.advanceRelease(handoff.plan, handoff.state, handoff.events, handoff.now)
  assert.deepEqual(
    { status: u.status, actions: u.actions, reasons: u.reasons, record: u.record },
    handoff.expected,
  )
  assert.equal(u.status, 'rolling_back')
})
