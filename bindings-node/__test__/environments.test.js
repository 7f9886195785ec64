// Environment functions through the Node API: typed errors, defaults and the
// access record that appends to a change log.
'use strict'
const { test } = require('node:test')
const assert = require('node:assert/strict')
const rollgate = require('..')

const NOW = '2026-03-02T09:00:00Z'
const estate = () => [
  { id: 'staging', tier: 'staging', infrastructure: { postgres: '15.6' },
    services: { api: { version: '1.2.0', artifact_digest: 'sha256:a', replicas: 2 } } },
  { id: 'prod', tier: 'production', infrastructure: { postgres: '16.4' },
    services: { api: { version: '1.2.0', artifact_digest: 'sha256:a', replicas: 9 } } },
]

test('parity finds drift with paths into both specs', () => {
  const report = rollgate.checkParity(estate(), ['staging', 'prod'], { allow: [{ path: '/services/*/replicas' }] })
  const pair = report.pairs[0]
  assert.deepEqual([pair.from, pair.to, pair.compared, pair.drift], ['staging', 'prod', 3, 1])
  const drift = pair.findings.find((f) => f.class === 'drift')
  assert.deepEqual([drift.from_path, drift.to_path], ['/0/infrastructure/postgres', '/1/infrastructure/postgres'])
  assert.equal(rollgate.checkParity(estate(), ['staging', 'prod']).pairs[0].drift, 2)
})

test('an unknown environment is an environment-family error', () => {
  assert.throws(() => rollgate.checkParity(estate(), ['staging', 'qa']), (e) => {
    assert.equal(e.code, 'unknown_environment')
    assert.equal(e.family, 'environment')
    assert.equal(e.path, 'promotion_path/1')
    assert.equal(e.environment, 'qa')
    return true
  })
})

test('migrations: duplicate and malformed versions name their paths; the order applies everything', () => {
  assert.throws(() => rollgate.planMigrations([{ version: '1', checksum: 'a' }, { version: '1.0', checksum: 'b' }], []),
    (e) => e.code === 'duplicate_id' && e.path === '/1/version')
  assert.throws(() => rollgate.planMigrations([{ version: 'one', checksum: 'a' }], []),
    (e) => e.code === 'invalid_input' && e.path === '/0/version')
  const plan = rollgate.planMigrations(
    [{ version: '1', checksum: 'a', phase: 'expand' }, { version: '2', checksum: 'b', phase: 'contract' }],
    [{ environment: 'staging' }, { environment: 'prod' }])
  assert.deepEqual(plan.steps.map((s) => [s.round, s.environment, s.version]),
    [[1, 'staging', '1'], [1, 'prod', '1'], [2, 'staging', '2'], [2, 'prod', '2']])
})

test('break-glass access is short, reviewed and recorded', () => {
  const policy = { on_call: ['dana'], environments: { prod: { approvers: ['erin'] } } }
  const d = rollgate.evaluateAccess({ requester: 'dana', environment: 'prod', duration: '3h', break_glass: true }, policy, NOW)
  assert.deepEqual([d.decision, d.duration_seconds, d.review_required], ['grant', 3600, true])
  const record = rollgate.appendChangeRecord(null, d.record)
  assert.equal(record.kind, 'access')
  assert.throws(() => rollgate.evaluateAccess({ requester: 'a', environment: 'prod', duration: 1 }, policy, 'tomorrow'),
    (e) => e.code === 'invalid_timestamp' && e.path === 'now')
})

test('teardown never returns production; isolation stubs shared state', () => {
  const envs = [
    { id: 'pr-9', tier: 'ephemeral', owner: 'x', monthly_cost: 120.5,
      created_at: '2026-02-01T00:00:00Z', expires_at: '2026-02-02T00:00:00Z' },
    { id: 'prod', tier: 'production', expires_at: '2026-02-02T00:00:00Z' },
  ]
  const plan = rollgate.teardownCandidates(envs, null, NOW)
  assert.deepEqual(plan.candidates.map((c) => c.environment), ['pr-9'])
  assert.equal(plan.kept[0].reasons.at(-1).code, 'production')
  assert.throws(() => rollgate.teardownCandidates([{ ...envs[0], created_at: '2026-03-01T00:00:00Z' }], null, NOW),
    (e) => e.code === 'invalid_timestamp' && e.path === '/0/expires_at')
  const shop = { name: 'shop', services: [
    { id: 'db', stateful: true }, { id: 'queue', stateful: true, tags: ['shared'] },
    { id: 'api', depends_on: ['db', 'queue'] }] }
  const iso = rollgate.isolationPlan(shop, ['api'])
  assert.deepEqual([iso.bring.map((d) => d.id), iso.stub.map((d) => d.id)], [['db'], ['queue']])
})
