// Typings of the release controller: startRelease, advanceRelease,
// renderNotification, evaluateReleaseReadiness.
import type { Reason } from './explain'
import type { Plan } from './graph'
import type {
  Change,
  ChangeOutcome,
  ChangeRecordInput,
  GovernancePolicy,
  RiskContext,
  RiskLevel,
  RiskModel,
  ServiceProfile,
  StrategyName,
} from './risk'
import type { RollbackPlan } from './rollout'
import type { CanaryConfig, MetricData } from './verdict'

export type ReleaseStatus =
  | 'waiting'
  | 'deploying'
  | 'baking'
  | 'paused'
  | 'halted'
  | 'rolling_back'
  | 'completed'
  | 'aborted'

/** One escalation rule: fires when all its conditions hold. */
export interface EscalationRule {
  name: string
  severity: string
  verdict?: 'rollback' | 'inconclusive'
  metric?: string
  above?: number
  below?: number
  on_halt?: boolean
  customer_facing?: boolean
  auto_rollback?: boolean
}

/** Rules, and whom to notify per severity (`plan.rollout.escalation`). */
export interface EscalationPolicy {
  rules?: EscalationRule[]
  notify?: Record<string, string[]>
}

/** Options of `startRelease`; each overrides the plan's rollout section. */
export interface ReleaseOptions {
  analysis?: CanaryConfig
  escalation?: EscalationPolicy
  watch_all_waves?: boolean
  approval_waves?: number[]
  auto_rollback?: boolean
}

interface StepName {
  region: string
  service: string
  stage?: 'one_box' | 'full' | 'contract'
  group?: number
  at?: string
}

export interface StepStartedEvent extends StepName {
  type: 'step_started'
}
export interface StepFinishedEvent extends StepName {
  type: 'step_finished'
  outcome: 'succeeded' | 'failed'
  details?: unknown
}
export interface MetricsEvent {
  type: 'metrics'
  region: string
  batch: Record<string, MetricData>
  at?: string
}
export interface CheckEvent {
  type: 'check'
  check: string
  passed: boolean
  region?: string
  at?: string
  details?: unknown
}
export interface ApprovalEvent {
  type: 'approval'
  by: string
  wave?: number
  at?: string
}
export interface PauseEvent {
  type: 'pause'
  by: string
  why?: string
  at?: string
}
export interface ResumeEvent {
  type: 'resume'
  by: string
  why?: string
  at?: string
}
export interface AbortEvent {
  type: 'abort'
  by: string
  why?: string
  at?: string
}
export interface RollbackFinishedEvent {
  type: 'rollback_finished'
  at?: string
}
/** Something that happened since the last call, tagged by `type`. */
export type ReleaseEvent =
  | StepStartedEvent
  | StepFinishedEvent
  | MetricsEvent
  | CheckEvent
  | ApprovalEvent
  | PauseEvent
  | ResumeEvent
  | AbortEvent
  | RollbackFinishedEvent

export interface StepRef {
  region: string
  service: string
  stage: 'one_box' | 'full' | 'contract'
  group?: number
  layer: number
  attempt: number
}
export interface DeployAction {
  type: 'deploy'
  wave: number
  steps: StepRef[]
}
export interface RunChecksAction {
  type: 'run_checks'
  wave: number
  checks: string[]
  regions: string[]
}
export interface WaitAction {
  type: 'wait'
  until: string | null
  reason: 'bake' | 'min_samples' | 'checks' | 'canary_verdict' | 'window_closed' | 'min_gap' | 'approval_required'
  regions: string[]
  reasons: Reason[]
}
export interface RollBackAction {
  type: 'roll_back'
  automatic: boolean
  plan: RollbackPlan
}
export interface EscalateAction {
  type: 'escalate'
  release: string
  severity: string
  rule: string
  regions: string[]
  services: string[]
  evidence: Reason[]
  notify: string[]
  auto_rollback: boolean
  rollback_steps: string[]
}
export interface DoneAction {
  type: 'done'
  release: string
  finished_at: string
}
/** What the caller must do now, tagged by `type`. */
export type ReleaseAction = DeployAction | RunChecksAction | WaitAction | RollBackAction | EscalateAction | DoneAction

/** A release's stored state: store it and pass it to the next `advanceRelease`. */
export interface ReleaseState {
  version: number
  fingerprint: string
  release: string
  started_at: string
  last_at: string
  status: ReleaseStatus
  waves: Record<string, unknown>[]
  failed_steps: number
  max_failed_steps: number
  history: Record<string, unknown>[]
  [field: string]: unknown
}

export interface ReleaseUpdate {
  state: ReleaseState
  status: ReleaseStatus
  actions: ReleaseAction[]
  reasons: Reason[]
  record: ChangeRecordInput
}

export interface ReadinessContext {
  start?: string
  model?: RiskModel
  history?: ChangeOutcome[]
  risk_context?: RiskContext
  policy?: GovernancePolicy
  service?: ServiceProfile
  block_at?: RiskLevel
  conditions_at?: RiskLevel
}

export interface ReleaseReadiness {
  change: string
  release: string
  start: string
  decision: 'go' | 'go_with_conditions' | 'no_go'
  blocking: Reason[]
  conditions: Reason[]
  reasons: Reason[]
  risk_level: RiskLevel
  risk_score: number
  governance_allowed: boolean | null
  strategy: StrategyName | null
  planned_finish: string
}

/** Starts a release: the stored state to pass to `advanceRelease`. */
export declare function startRelease(plan: Plan, start: string, options?: ReleaseOptions | null): ReleaseState
/**
 * Applies the events since the last call and decides at `now`. Throws
 * `invalid_event`, `incompatible_state` (family `release`), `unknown_step`,
 * `invalid_timestamp`.
 */
export declare function advanceRelease(
  plan: Plan,
  state: ReleaseState,
  events: ReleaseEvent[],
  now: string,
): ReleaseUpdate
/** Fills `incident`, `downtime` or a template text; throws `unknown_placeholder` naming a placeholder without a value. */
export declare function renderNotification(template: string, context: Record<string, unknown>): string
/** Go, go with conditions or no go before a release starts. */
export declare function evaluateReleaseReadiness(
  plan: Plan,
  change: Change,
  context?: ReadinessContext | null,
): ReleaseReadiness
