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

test('reasons share one shape; a wave never mixes tiers (issue 9)', () => {
  const pair = rollgate.scheduleRollout(PLAN, START).waves[1].reasons[1]
  assert.deepEqual(pair.subjects, ['east', 'west'])
  assert.deepEqual(Object.keys(pair).sort(), ['code', 'message', 'subjects'])
  const regions = [
    { id: 'c', tier: 'canary', traffic_share: 0.02 },
    { id: 'p', tier: 'pilot', traffic_share: 0.05 },
    { id: 's1', traffic_share: 0.03 },
    { id: 's2', traffic_share: 0.2 },
  ]
  const schedule = rollgate.scheduleRollout(plan(regions), START)
  assert.deepEqual(schedule.waves.map((w) => w.regions), [['c'], ['p'], ['s1', 's2']])
  assert.deepEqual(schedule.waves[1].reasons.map((r) => r.code), ['growth', 'tier_order'])
  assert.deepEqual(schedule.waves[1].reasons[0].evidence, { growth_factor: 2, target_size: 2 })
})

test('a wait across a freeze names it (issue 13)', () => {
  const calendar = {
    time_zone: 'America/New_York',
    allow: [{ days: ['mon', 'tue', 'wed', 'thu'], start: '09:00', end: '16:00' }],
    deny: [{ from: '2026-12-20T00:00:00-05:00', to: '2027-01-04T00:00:00-05:00', reason: 'year-end freeze' }],
  }
  const p = plan([{ id: 'a', calendar: 'nyc' }], { calendars: { nyc: calendar } })
  const wait = rollgate.scheduleRollout(p, '2026-12-18T10:00:00-05:00').waves[0].waits[0]
  assert.deepEqual(wait.reasons.map((r) => [r.code, r.subjects]), [['outside_allow', []], ['deny_window', ['deny/0']]])
})

test('a missing deploy_duration is a finding; first_wave errors name the policy (issue 13)', () => {
  const p = { name: 'p', services: [{ id: 'api', deploy_duration: '5m' }, { id: 'config' }], regions: [{ id: 'a' }] }
  const findings = rollgate.scheduleRollout(p, START).findings
  assert.deepEqual(findings.map((f) => [f.code, f.subjects]), [['zero_deploy_duration', ['config']]])
  assert.throws(() => rollgate.scheduleRollout(plan([{ id: 'a' }], { rollout: { first_wave: ['zz'] } }), START), (e) => {
    assert.equal(e.path, '/rollout/first_wave/0')
    assert.ok(e.message.endsWith('`rollout.first_wave` names unknown region `zz`'), e.message)
    assert.equal(e.region, null)
    return e.code === 'unknown_region'
  })
  const bad = plan([{ id: 'a' }], { calendars: { c: { allow: [{ days: ['someday'], start: '09:00', end: '10:00' }] } } })
  assert.throws(() => rollgate.scheduleRollout(bad, START), (e) => e.family === 'calendar' && e.path === '/calendars/c/allow/0/days/0')
})
