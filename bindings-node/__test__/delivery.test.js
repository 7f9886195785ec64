// Delivery performance, maturity and feature-flag exposure through the Node API.
'use strict'
const { test } = require('node:test')
const assert = require('node:assert/strict')
const rollgate = require('..')

const dep = (id, day, status = 'succeeded', extra = {}) => ({
  id,
  service: 'api',
  started_at: `2026-03-0${day}T09:00:00Z`,
  finished_at: `2026-03-0${day}T10:00:00Z`,
  status,
  ...extra,
})
const deployments = [
  dep('d1', 2, 'succeeded', { commits: [{ sha: 'a', committed_at: '2026-03-01T10:00:00Z' }] }),
  dep('d2', 3, 'failed'),
  dep('d3', 4, 'succeeded', { service: 'web', commits: [{ sha: 'b', committed_at: '2026-03-04T06:00:00Z' }] }),
  dep('d4', 5, 'succeeded', { remediates: ['i1'] }),
]
const incidents = [{ id: 'i1', created_at: '2026-03-04T12:00:00Z', resolved_at: '2026-03-04T13:30:00Z', caused_by: ['d3'] }]
const window = { from: '2026-03-02T00:00:00Z', to: '2026-03-09T00:00:00Z' }

test('doraMetrics: totals, tiers and reasons', () => {
  const { totals } = rollgate.doraMetrics(deployments, incidents, window)
  assert.deepEqual(totals.deployments, { total: 4, succeeded: 3, failed: 1, rolled_back: 0 })
  assert.equal(totals.lead_time.median_seconds, 14 * 3600)
  assert.deepEqual(totals.change_fail_rate, { deployments: 4, failures: 2, rate: 0.5 })
  assert.equal(totals.recovery.median_restore_seconds, 2 * 86400)
  assert.equal(totals.tiers.lead_time.tier, 'elite')
  assert.ok(totals.reasons.some((r) => r.code === 'dora_overall_tier'))
})

test('doraMetrics: groups, series, null means absent', () => {
  const report = rollgate.doraMetrics(deployments, incidents, { ...window, group_by: 'service', series: 'month' })
  assert.deepEqual(report.groups.map((g) => g.group), ['api', 'web'])
  assert.equal(report.series.length, 1)
  assert.deepEqual(rollgate.doraMetrics(deployments, incidents, null, undefined), rollgate.doraMetrics(deployments, incidents))
})

test('doraMetrics: typed errors with paths', () => {
  const cases = [
    [[dep('d1', 2, 'succeeded', { finished_at: '2026-03-02T08:00:00Z' })], [], null, 'invalid_timestamp', '/0/finished_at', 'calendar'],
    [deployments, [{ id: 'i', created_at: '2026-03-04T12:00:00Z', caused_by: ['zz'] }], null, 'unknown_deployment', 'incidents/0/caused_by/0', 'delivery'],
    [deployments, [], { from: window.to, to: window.from }, 'invalid_timestamp', 'options/to', 'calendar'],
    [deployments, [], { report_year: 2018 }, 'unknown_report_year', 'options/report_year', 'delivery'],
  ]
  for (const [ds, is, options, code, path, family] of cases) {
    assert.throws(() => rollgate.doraMetrics(ds, is, options), (e) => e.code === code && e.path === path && e.family === family)
  }
})

test('assessMaturity: levels, next practices and their functions', () => {
  const { totals } = rollgate.doraMetrics(deployments, incidents, window)
  const assessment = rollgate.assessMaturity(totals, { release_checklist: true, progressive_delivery: true })
  const release = assessment.areas[0]
  assert.equal(release.level, 3)
  assert.deepEqual(release.next_practices[0].supported_by, ['judge_canary'])
  assert.throws(() => rollgate.assessMaturity(null, { nope: true }), (e) => e.code === 'unknown_field' && e.path === 'practices/nope')
})

test('flags: published vectors, decisions and exposure', () => {
  assert.equal(rollgate.flagBucket('AB12A', '122'), 23)
  assert.equal(rollgate.flagBucket('fractional-flag', 'jack', 'flagd'), 62)
  const flag = { key: 'AB12A', percentage: 23 }
  const decision = rollgate.flagEnabled(flag, '122')
  assert.equal(decision.enabled, true)
  const users = Array.from({ length: 50 }, (_, i) => `user-${i}`)
  const exposure = rollgate.flagExposure(flag, users)
  assert.equal(exposure.enabled.units + exposure.disabled.units, 50)
  for (const id of exposure.enabled.unit_ids) assert.equal(rollgate.flagEnabled(flag, id).enabled, true)
  const estimate = rollgate.flagExposure(flag, { count: 1e6, sample: 2000, seed: 4 })
  assert.equal(estimate.sampled, 2000)
  assert.throws(() => rollgate.flagEnabled({ key: 'k', percentage: -5 }, 'u'), (e) => e.code === 'invalid_percentage' && e.path === '/percentage')
  assert.throws(() => rollgate.flagBucket('k', 'u', 'split'), (e) => e.code === 'invalid_input' && e.path === 'algorithm')
})
