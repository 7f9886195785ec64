// A typed script against index.d.ts; tests/run checks it with tsc --strict.
import * as rollgate from '..'
import type { Calendar, Plan, RollgateError } from '..'
import type { CanaryConfig, CanaryVerdict, MetricData, MannWhitneyResult, WatchState, WatchUpdate } from '..'
import type { AccessDecision, EnvironmentSpec } from '..'

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

const calendar: Calendar = {
  time_zone: 'Europe/Berlin',
  allow: [{ days: ['mon', 'tue'], start: '09:00', end: '16:00' }],
  deny: [{ from: '2026-12-20T00:00:00+01:00', to: '2027-01-04T00:00:00+01:00' }],
  holidays: ['2026-12-25'],
}
const check = rollgate.checkWindow(calendar, '2026-11-24T10:00:00+01:00', '1h')
const allowed: boolean = check.allowed
const next: string | null = check.next_allowed_start
const slot = rollgate.nextWindow(calendar, '2026-11-24T10:00:00+01:00', 600, '30d')
const slotStart: string = slot.start
const windowsInvolved: string[] = check.reasons.flatMap((r) => r.subjects)
void windowsInvolved
void allowed
void next
void slotStart

const rolloutPlan: Plan = {
  name: 'shop',
  services: [{ id: 'api', deploy_duration: '5m', migration: { phase: 'expand', reversible: true } }],
  regions: [{ id: 'eu', tier: 'canary', traffic_share: 0.1 }, { id: 'us', traffic_share: 0.9 }],
  rollout: { bake_time: '1h', max_concurrent_regions: 2 },
  calendars: { biz: { time_zone: 'UTC', allow: [{ start: '09:00', end: '17:00' }] } },
  calendar: 'biz',
}
const rolloutSchedule = rollgate.scheduleRollout(rolloutPlan, '2026-11-24T09:00:00Z')
const firstStart: string = rolloutSchedule.waves[0].steps[0].start
const placement: string[] = rolloutSchedule.waves[0].reasons.map((r) => `${r.code}: ${r.subjects.join(', ')}`)
const findingEvidence: Record<string, unknown> | undefined = rolloutSchedule.findings[0]?.evidence
void placement
void findingEvidence
const rollback = rollgate.rollbackPlan(rolloutSchedule, { region: 'us', service: 'api' })
const recommendation: 'roll_back' | 'roll_forward' | 'nothing_to_undo' = rollback.recommendation
const gantt: string = rollgate.toMermaidGantt(rolloutSchedule)
void firstStart
void recommendation
void gantt
// Canary analysis.

const canaryConfig: CanaryConfig = {
  metrics: [
    { name: 'latency', direction: 'increase', allowed_increase: 1.1 },
    { name: 'errors', kind: 'count', direction: 'increase', critical: true },
  ],
  groups: { default: 100 },
  thresholds: { pass: 95, marginal: 75 },
  correction: 'holm',
}
const canaryData: Record<string, MetricData> = {
  latency: { baseline: new Float64Array([10, 11, 12]), canary: [10.5, null, 12.5] },
  errors: { baseline: { events: 0, trials: 1000 }, canary: { events: 1, trials: 1000 } },
}
const verdict: CanaryVerdict = rollgate.judgeCanary(canaryConfig, canaryData)
const decision: 'promote' | 'continue' | 'rollback' | 'inconclusive' = verdict.decision
const latencyP: number | null = verdict.metrics['latency'].p_value
const mw: MannWhitneyResult = rollgate.mannWhitney([1, 2, 3], [2, 3, 4], { alternative: 'less', confidence: 0.9 })
const low: number | null = mw.ci[0]
const prop = rollgate.compareProportions(3, 1000, 0, 1000, 'greater', 0.95)
const ratio: number | null = prop.ratio
const adjusted: number[] = rollgate.adjustPValues([0.01, 0.04], 'bh')
void decision
void latencyP
void low
void ratio
void adjusted
const seq = rollgate.sequentialCountTest([[3, 9], [8, 14]], 0.1)
const rejected: boolean = seq.reject
void rejected
// Change risk, strategy, governance and change log.
import type { Change, ChangeOutcome, Checkpoint, GovernancePolicy, RiskAssessment } from '..'
import type { Reason } from '..'

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
const why: Reason[] = [...risk.factors, ...risk.not_assessed]
const history: ChangeOutcome[] = [
  { change: { id: 'h1', author: 'bo', services: ['db'], lines_added: 900 }, failed: true },
  { change: { id: 'h2', author: 'bo', services: ['db'], lines_added: 3 }, failed: false },
]
const model = rollgate.updateRiskModel(rollgate.fitRiskModel(history, { factors: ['lines_added'] }), history)
const caught: number[] = rollgate.evaluateRiskModel(model, history).caught_vs_gated.map((p) => p.caught_share)
const strategy: string = rollgate.recommendStrategy({ id: 'db', stateful: true }, change, risk).strategy
const policy: GovernancePolicy = { rules: [{ approvals: 1 }], compliance: { sox: { evidence: ['ticket_link'] } } }
const governanceAllowed: boolean = rollgate.evaluateGovernance(change, policy, risk).allowed
const first = rollgate.appendChangeRecord(null, { kind: 'risk', inputs: change, outputs: risk })
const second = rollgate.appendChangeRecord(first, { inputs: {}, outputs: {} })
const checkpoint: Checkpoint | null = rollgate.verifyChangeLog([first, second]).checkpoint
const valid: boolean = rollgate.verifyChangeLog([second], checkpoint).valid
void total
void why
void caught
void strategy
void governanceAllowed
void valid

// Watching a canary continuously.
let watchState: WatchState = rollgate.startCanaryWatch(canaryConfig)
const watchUpdate: WatchUpdate = rollgate.updateCanaryWatch(canaryConfig, watchState, canaryData, '2026-11-26T09:00:00Z')
watchState = watchUpdate.state
const watchUpper: number | null = watchUpdate.verdict.metrics.errors.ci[1]
// The state and the evidence are tagged by their test.
const errorsState = watchState.metrics.errors
const canaryEvents: number = errorsState.test === 'dirichlet_multinomial' ? errorsState.canary.events : 0
const latencyEvidence = watchUpdate.verdict.metrics.latency
const watchedQuantile: number | null =
  latencyEvidence.test === 'quantile_sequence' ? latencyEvidence.quantile : null
const stateSizes: number[] = Object.values(watchState.metrics).map((m) =>
  m.test === 'quantile_sequence' ? m.running.length + m.canary.bins.length : m.running.ci.length,
)
void watchUpper
void canaryEvents
void watchedQuantile
void stateSizes

const estate: EnvironmentSpec[] = [
  { id: 'staging', tier: 'staging', infrastructure: { engine: '15.6' } },
  { id: 'prod', tier: 'production', infrastructure: { engine: '16.4' } },
]
const parityScore: number = rollgate.checkParity(estate, ['staging', 'prod']).pairs[0].parity_score
const accessDecision: AccessDecision = rollgate.evaluateAccess({ requester: 'bo', environment: 'prod', duration: '1h' },
  { environments: { prod: {} } }, '2026-03-02T09:00:00Z')
rollgate.appendChangeRecord(null, accessDecision.record)
const rounds: number[] = rollgate.planMigrations([{ version: '1', checksum: 'a' }], [{ environment: 'prod' }]).steps.map((s) => s.round)
const saved: number = rollgate.teardownCandidates(estate, null, '2026-03-02T09:00:00Z').monthly_cost_saved
const isolatedOrder: string[][] = rollgate.isolationPlan({ name: 'p', services: [{ id: 'a' }] }, ['a']).deploy_order
void parityScore
void rounds
void saved
void isolatedOrder

// Delivery performance, maturity and feature flags.
import type { Deployment, DoraReport, Flag, FlagExposure } from '..'
const deployments: Deployment[] = [
  { id: 'd1', service: 'api', started_at: '2026-03-02T09:00:00Z', finished_at: '2026-03-02T09:20:00Z', status: 'succeeded',
    commits: [{ sha: 'a1', committed_at: '2026-03-01T15:00:00Z' }] },
]
const dora: DoraReport = rollgate.doraMetrics(deployments, [], { from: '2026-03-02T00:00:00Z', to: '2026-03-09T00:00:00Z', series: 'week' })
const leadMedian: number | null = dora.totals.lead_time.median_seconds
const maturity = rollgate.assessMaturity(dora.totals, { release_checklist: true })
const firstNext: string[] = maturity.areas[0].next_practices[0].supported_by
const flag: Flag = { key: 'new-checkout', percentage: 25 }
const bucket: number = rollgate.flagBucket('new-checkout', 'user-1', 'unleash')
const exposure: FlagExposure = rollgate.flagExposure(flag, { count: 100000, sample: 1000, seed: 1 })
const enabled: boolean = rollgate.flagEnabled(flag, 'user-1').enabled
void leadMedian
void firstNext
void bucket
void exposure.enabled.interval
void enabled
