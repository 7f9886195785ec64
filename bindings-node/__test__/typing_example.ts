// A typed script against index.d.ts; tests/run checks it with tsc --strict.
import * as rollgate from '..'
import type { Plan, RollgateError } from '..'
import type { CanaryConfig, CanaryVerdict, MetricData, MannWhitneyResult } from '..'

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
