// Change risk, strategy, governance and change log through the Node API.
'use strict'
const { test } = require('node:test')
const assert = require('node:assert/strict')
const rollgate = require('..')

const plan = {
  name: 'shop',
  services: [
    { id: 'db', stateful: true },
    { id: 'api', depends_on: ['db'] },
    { id: 'web', depends_on: ['api'], customer_facing: true },
  ],
}
const change = (extra = {}) => ({ id: 'CHG-1', author: 'ana', services: ['db'], lines_added: 250, ...extra })

test('assessRisk: baseline plus contributions is the log-odds', () => {
  const risk = rollgate.assessRisk(change(), plan)
  const total = risk.factors.reduce((acc, f) => acc + f.contribution, risk.baseline)
  assert.ok(Math.abs(total - risk.log_odds) < 1e-12)
  assert.ok(Math.abs(risk.probability - 1 / (1 + Math.exp(-risk.log_odds))) < 1e-12)
  assert.ok(risk.factors.some((f) => f.code === 'transitive_dependents'))
  const stateful = risk.factors.find((f) => f.code === 'stateful_services')
  assert.deepEqual(stateful.subjects, ['db'])
  assert.ok(stateful.message.startsWith('touches stateful services (db)'))
  const noHistory = rollgate.assessRisk(change(), plan).not_assessed.find((r) => r.code === 'no_history')
  assert.deepEqual(noHistory.subjects, ['author_service_experience', 'service_failure_history'])
})

test('null and undefined mean absent', () => {
  assert.deepEqual(rollgate.assessRisk(change(), null, undefined, null, null), rollgate.assessRisk(change()))
})

test('fit, update, evaluate', () => {
  const history = []
  for (let i = 0; i < 30; i++) {
    history.push({ change: change({ id: `h${i}`, lines_added: i % 3 ? 10 : 2000 }), failed: i % 6 === 0 })
  }
  history.push({ change: change({ id: 'small-fail', lines_added: 5 }), failed: true })
  const model = rollgate.fitRiskModel(history, { factors: ['lines_added'], prior: 'zero' })
  assert.ok(model.weights.find((w) => w.code === 'lines_added').weight > 0)
  const updated = rollgate.updateRiskModel(model, history.slice(0, 5))
  assert.equal(updated.training.changes, model.training.changes + 5)
  const report = rollgate.evaluateRiskModel(updated, history)
  assert.deepEqual(report.caught_vs_gated.map((p) => p.gated_share), [0.05, 0.1, 0.2, 0.5])
  assert.ok(rollgate.defaultRiskModel().training.changes > 40000)
})

test('strategy and governance', () => {
  const rec = rollgate.recommendStrategy({ id: 'db', stateful: true }, change())
  assert.equal(rec.strategy, 'rolling')
  assert.equal(rec.feature_flag_reason.code, 'flag_optional')
  assert.deepEqual(rec.options[0].reasons_against[0].evidence, { blocking: true, points: -1 })
  const decision = rollgate.evaluateGovernance(
    change({ approvals: [{ by: 'ana', role: 'sre', at: '2026-01-01T00:00:00Z' }] }),
    { rules: [{ approvals: 1 }] },
    { level: 'low' },
  )
  assert.equal(decision.allowed, false)
  assert.deepEqual(decision.approvers, [])
  assert.deepEqual(decision.notes[0].subjects, ['ana'])
})

test('change log hashes match across languages (1.0 and 1 hash the same)', () => {
  const a = rollgate.appendChangeRecord(null, { inputs: { x: 1.0 }, outputs: {} })
  const b = rollgate.appendChangeRecord(undefined, { inputs: { x: 1 }, outputs: {} })
  assert.equal(a.hash, b.hash)
  const second = rollgate.appendChangeRecord(a, { inputs: {}, outputs: {} })
  assert.equal(rollgate.verifyChangeLog([a, second]).valid, true)
  const report = rollgate.verifyChangeLog([a, { ...second, outputs: { forged: true } }])
  assert.equal(report.first_broken, 1)
})

test('change log: truncation is caught, a checkpoint vouches for a part of the log', () => {
  const log = [rollgate.appendChangeRecord(null, { inputs: { i: 0 }, outputs: null })]
  for (let i = 1; i < 4; i++) log.push(rollgate.appendChangeRecord(log[i - 1], { inputs: { i }, outputs: null }))
  let report = rollgate.verifyChangeLog(log.slice(1))
  assert.deepEqual([report.valid, report.first_broken, report.problem], [false, 0, 'truncated'])
  const trusted = rollgate.verifyChangeLog(log.slice(0, 3)).checkpoint
  assert.deepEqual(trusted, { length: 3, head_hash: log[2].hash })
  report = rollgate.verifyChangeLog(log.slice(0, 2), trusted)
  assert.deepEqual([report.valid, report.first_broken, report.problem], [false, 2, 'truncated'])
  report = rollgate.verifyChangeLog(log.slice(3), trusted)
  assert.equal(report.valid, true)
  assert.deepEqual(report.checkpoint, { length: 4, head_hash: log[3].hash })
  assert.deepEqual(rollgate.verifyChangeLog(log, undefined), rollgate.verifyChangeLog(log, null))
})

test('change log: errors name the record or the checkpoint', () => {
  const first = rollgate.appendChangeRecord(null, { inputs: 1, outputs: 2 })
  const cases = [
    [() => rollgate.verifyChangeLog([first, { ...first, sequence: 'one' }]), '/1/sequence'],
    [() => rollgate.verifyChangeLog([first, 'record']), '/1'],
    [() => rollgate.verifyChangeLog('not a log'), ''],
    [() => rollgate.verifyChangeLog([first], { length: 0, head_hash: first.hash }), 'checkpoint/length'],
    [() => rollgate.verifyChangeLog([first], { length: 1 }), 'checkpoint'],
  ]
  for (const [call, path] of cases) {
    assert.throws(call, (e) => e.code === 'invalid_input' && e.path === path, path)
  }
})

const errors = [
  [() => rollgate.assessRisk(change({ lines_deleted: -3 })), 'negative_size', '/lines_deleted'],
  [
    () =>
      rollgate.assessRisk(
        change({ created_at: '2026-01-02T00:00:00Z', approvals: [{ by: 'b', role: 'r', at: '2026-01-01T00:00:00Z' }] }),
      ),
    'approval_before_creation',
    '/approvals/0/at',
  ],
  [() => rollgate.fitRiskModel([{ change: change(), failed: false }]), 'insufficient_history', ''],
  [
    () => rollgate.evaluateGovernance(change({ compliance: ['pci'] }), { compliance: { sox: {} } }, { level: 'low' }),
    'unknown_compliance_tag',
    '/compliance/0',
  ],
  [
    () => {
      const first = rollgate.appendChangeRecord(null, { inputs: 1, outputs: 2 })
      rollgate.appendChangeRecord({ ...first, outputs: 3 }, { inputs: 1, outputs: 2 })
    },
    'change_record_tampered',
    'log_tail/hash',
  ],
  [() => rollgate.fitRiskModel([], { factors: ['moon_phase'] }), 'insufficient_history', ''],
  [() => rollgate.assessRisk(change({ services: ['ghost'] }), plan), 'unknown_service', '/services/0'],
]
for (const [call, code, path] of errors) {
  test(`error ${code} at "${path}"`, () => {
    let thrown
    try {
      call()
    } catch (e) {
      thrown = e
    }
    assert.ok(thrown instanceof Error, 'expected an error')
    assert.equal(thrown.code, code, thrown.message)
    assert.equal(thrown.path, path)
    assert.equal(thrown.family, code === 'unknown_service' ? 'plan' : 'change')
  })
}

test('a calendar in the context gives the timing factors', () => {
  const change = {
    id: 'CHG-7', author: 'ana', services: ['api'], lines_added: 40,
    planned_start: '2026-12-17T20:00:00+01:00', planned_duration: '1h',
  }
  const calendar = {
    time_zone: 'Europe/Berlin',
    allow: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', end: '17:00' }],
    deny: [{ from: '2026-12-18T00:00:00+01:00', to: '2027-01-04T00:00:00+01:00' }],
  }
  const derived = rollgate.assessRisk(change, null, null, null, { calendar })
  const byHand = rollgate.assessRisk(change, null, null, null, { window: { allowed: false, seconds_to_next_freeze: 14400 } })
  assert.equal(derived.log_odds, byHand.log_odds)
  const values = Object.fromEntries(derived.factors.map((f) => [f.code, f.value]))
  assert.equal(values.outside_window, 1)
  assert.equal(values.near_freeze, 14400)
  let err
  try {
    rollgate.assessRisk(change, null, null, null, { calendar: { time_zone: 'Mars/Olympus' } })
  } catch (e) {
    err = e
  }
  assert.equal(err.code, 'invalid_time_zone')
  assert.equal(err.path, 'context/calendar/time_zone')
})
