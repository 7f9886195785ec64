// Multi-region rollout from Node: happy paths and every error code.
'use strict'
const { test } = require('node:test')
const assert = require('node:assert/strict')
const rollgate = require('..')

const SERVICES = [
  { id: 'db', deploy_duration: '10m', migration: { phase: 'expand', reversible: true } },
  { id: 'api', depends_on: ['db'], deploy_duration: '5m' },
]
const plan = (regions, extra = {}) => ({ name: 'shop', services: SERVICES, regions, ...extra })
const PLAN = plan(
  [
    { id: 'canary', tier: 'canary', traffic_share: 0.05 },
    { id: 'east', traffic_share: 0.5, pair: 'west' },
    { id: 'west', traffic_share: 0.4, pair: 'east' },
  ],
  { rollout: { bake_time: '1h', min_bake_samples: 200 } },
)
const START = '2026-11-24T09:00:00Z'

test('scheduleRollout, rollbackPlan and toMermaidGantt', () => {
  const schedule = rollgate.scheduleRollout(PLAN, START)
  assert.deepEqual(schedule.waves.map((w) => w.regions), [['canary'], ['west'], ['east']])
  assert.equal(schedule.total_duration_seconds, 3 * (15 * 60 + 3600))
  const rollback = rollgate.rollbackPlan(schedule, { region: 'east', service: 'api' })
  assert.equal(rollback.recommendation, 'roll_back')
  assert.deepEqual(rollback.undo.slice(0, 2).map((s) => [s.service, s.region]), [['api', 'east'], ['db', 'east']])
  const gantt = rollgate.toMermaidGantt(schedule)
  assert.ok(gantt.startsWith('gantt\n') && gantt.includes('section Wave 3'))
})

const cases = [
  [[{ id: 'a', pair: 'zz' }], {}, START, 'unknown_region', '/regions/0/pair', 'plan'],
  [[{ id: 'a', pair: 'b' }, { id: 'b' }], {}, START, 'asymmetric_pair', '/regions/0/pair', 'plan'],
  [[{ id: 'a', depends_on: ['b'] }, { id: 'b', depends_on: ['a'] }], {}, START, 'region_cycle', '/regions/0/depends_on/0', 'plan'],
  [[{ id: 'a', traffic_share: 1.5 }], {}, START, 'invalid_traffic_share', '/regions/0/traffic_share', 'plan'],
  [[{ id: 'a', calendar: 'x' }], {}, START, 'unknown_calendar', '/regions/0/calendar', 'plan'],
  [[], {}, START, 'invalid_input', '/regions', 'plan'],
  [[{ id: 'a' }], { calendars: { c: { time_zone: 'Atlantis' } } }, START, 'invalid_time_zone', '/calendars/c/time_zone', 'calendar'],
  [[{ id: 'a' }], { calendars: { c: { allow: [{ start: '09:00', end: '09:00' }] } } }, START, 'invalid_window', '/calendars/c/allow/0', 'calendar'],
  [[{ id: 'a' }], {}, 'tomorrow', 'invalid_timestamp', 'start', 'calendar'],
  [[{ id: 'a' }], { calendar: 'c', calendars: { c: { allow: [{ start: '09:00', end: '09:05' }] } } }, START, 'window_too_short', '/calendar', 'calendar'],
  [[{ id: 'a' }], { calendar: 'c', calendars: { c: { deny: [{ from: '2026-01-01T00:00:00Z', to: '2029-01-01T00:00:00Z' }] } } }, START, 'no_window_within_horizon', '/calendar', 'calendar'],
]
for (const [regions, extra, start, code, path, family] of cases) {
  test(`scheduleRollout error ${code} at ${path}`, () => {
    assert.throws(() => rollgate.scheduleRollout(plan(regions, extra), start), (e) => {
      assert.equal(e.code, code, e.message)
      assert.equal(e.path, path)
      assert.equal(e.family, family)
      return true
    })
  })
}

test('contract_dependency and rollback errors', () => {
  const bad = {
    name: 'p',
    services: [{ id: 'drop', migration: { phase: 'contract' } }, { id: 'app', depends_on: ['drop'] }],
    regions: [{ id: 'a' }],
  }
  assert.throws(() => rollgate.scheduleRollout(bad, START), (e) => e.code === 'contract_dependency' && e.migration === 'drop')
  const schedule = rollgate.scheduleRollout(PLAN, START)
  assert.throws(() => rollgate.rollbackPlan(schedule, { region: 'mars', service: 'api' }), (e) => e.code === 'unknown_step' && e.path === 'halted_at')
  assert.throws(() => rollgate.rollbackPlan(schedule, 'soon'), (e) => e.code === 'invalid_timestamp' && e.path === 'halted_at')
})
