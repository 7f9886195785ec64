// A typed script against index.d.ts; tests/run checks it with tsc --strict.
import * as rollgate from '..'
import type { Plan, RollgateError } from '..'

const plan: Plan = {
  name: 'shop',
  services: [
    { id: 'db', deploy_duration: '10m', stateful: true },
    { id: 'api', depends_on: ['db'], deploy_duration: 300 },
  ],
}

const order = rollgate.orderServices(plan)
const path: string[] = order.critical_path.path
const radius = rollgate.blastRadius(plan, ['db'])
const count: number = radius.services[0].dependent_count
const schedule = rollgate.scheduleServices(plan, 2)
const makespan: number = schedule.makespan_seconds

try {
  rollgate.orderServices({ name: 'bad', services: [{ id: 'a', depends_on: ['a'] }] })
} catch (e) {
  const err = e as RollgateError
  const code: string = err.code
  void code
}
void path
void count
void makespan

// Change risk, strategy, governance and change log.
import type { Change, ChangeOutcome, GovernancePolicy, RiskAssessment } from '..'

const change: Change = {
  id: 'CHG-1',
  author: 'ana',
  services: ['db'],
  lines_added: 120,
  has_migration: true,
  planned_start: '2026-11-28T10:00:00+01:00',
  compliance: ['sox'],
}
const risk: RiskAssessment = rollgate.assessRisk(change, plan, null, undefined, {
  window: { allowed: true, seconds_to_next_freeze: null },
})
const total: number = risk.factors.reduce((acc, f) => acc + f.contribution, risk.baseline)
const history: ChangeOutcome[] = [
  { change: { id: 'h1', author: 'bo', services: ['db'], lines_added: 900 }, failed: true },
  { change: { id: 'h2', author: 'bo', services: ['db'], lines_added: 3 }, failed: false },
]
const model = rollgate.updateRiskModel(rollgate.fitRiskModel(history, { factors: ['lines_added'] }), history)
const caught: number[] = rollgate.evaluateRiskModel(model, history).caught_vs_gated.map((p) => p.caught_share)
const strategy: string = rollgate.recommendStrategy({ id: 'db', stateful: true }, change, risk).strategy
const policy: GovernancePolicy = { rules: [{ approvals: 1 }], compliance: { sox: { evidence: ['ticket_link'] } } }
const allowed: boolean = rollgate.evaluateGovernance(change, policy, risk).allowed
const first = rollgate.appendChangeRecord(null, { kind: 'risk', inputs: change, outputs: risk })
const valid: boolean = rollgate.verifyChangeLog([first, rollgate.appendChangeRecord(first, { inputs: {}, outputs: {} })]).valid
void total
void caught
void strategy
void allowed
void valid
