import type { Duration, Plan } from './graph'
import type { Calendar } from './window'
import type { Reason } from './explain'

/** RFC 3339 timestamp with offset, e.g. `"2026-03-01T10:00:00+01:00"`. */
export type Timestamp = string
export type ChangeType = 'standard' | 'normal' | 'emergency'
export type ChangeKind = 'feature' | 'fix' | 'config' | 'schema' | 'infrastructure'
export type StrategyName = 'canary' | 'blue_green' | 'rolling' | 'recreate'
export type TestDepth = 'none' | 'unit' | 'integration' | 'end_to_end'
export type RiskLevel = 'low' | 'medium' | 'high' | 'critical'

export interface TestEvidence {
  suites_passed?: string[]
  suites_failed?: string[]
  /** Coverage of the changed code in [0, 1]. */
  coverage?: number
  depth?: TestDepth
}

export interface SecurityScan {
  passed: boolean
  critical?: number
  high?: number
  tool?: string
}

export interface Links {
  tickets?: string[]
  commits?: string[]
}

export interface Promotion {
  environment: string
  digest: string
  passed?: boolean
  at?: Timestamp
}

export interface Approval {
  by: string
  role: string
  at: Timestamp
}

export interface RunbookReview {
  /** Defaults to the change's author. */
  author?: string
  reviewer: string
  reviewed_at?: Timestamp
}

/** One proposed change; every field but id, author and services is optional. */
export interface Change {
  id: string
  author: string
  services: string[]
  title?: string
  created_at?: Timestamp
  deployer?: string
  lines_added?: number
  lines_deleted?: number
  lines_before?: number
  files_changed?: number
  directories_changed?: number
  subsystems_changed?: number
  entropy?: number
  is_fix?: boolean
  prior_developers?: number
  prior_changes?: number
  author_experience?: number
  author_recent_experience?: number
  author_subsystem_experience?: number
  change_type?: ChangeType
  kind?: ChangeKind
  has_migration?: boolean
  /** Default true. */
  reversible?: boolean
  behind_feature_flag?: boolean
  strategy?: StrategyName
  tests?: TestEvidence
  security_scan?: SecurityScan
  links?: Links
  promotions?: Promotion[]
  approvals?: Approval[]
  runbook?: RunbookReview
  planned_start?: Timestamp
  planned_duration?: Duration
  expected_downtime?: Duration
  customers_notified_at?: Timestamp
  compliance?: string[]
}

export interface ChangeOutcome {
  change: Change
  failed: boolean
}

export interface LevelThresholds {
  medium: number
  high: number
  critical: number
}

export interface BetaPrior {
  alpha: number
  beta: number
}

export interface FactorWeight {
  code: string
  weight: number
  center?: number
  precision?: number
  provenance?: string
}

export interface TrainingSummary {
  changes: number
  failures: number
  source?: string
}

export interface RiskModel {
  version?: number
  baseline: number
  baseline_precision?: number
  weights: FactorWeight[]
  levels: LevelThresholds
  history_prior: BetaPrior
  training?: TrainingSummary
}

/** Filled by the caller from a calendar check of the planned start. */
export interface WindowStatus {
  allowed: boolean
  seconds_to_next_freeze?: number | null
}

export interface HourRange {
  start_hour: number
  end_hour: number
}

export interface RiskContext {
  /** Release-window status; derived from `calendar` (or the plan's default calendar) when absent. */
  window?: WindowStatus
  /** A release calendar to check the change's planned start against. */
  calendar?: Calendar
  business_hours?: HourRange
  peak_hours?: HourRange[]
}

/** A reason (code: the factor; message: what was measured and its effect) with its numbers. */
export interface RiskFactor extends Reason {
  value: number
  feature: number
  weight: number
  /** weight · (feature − center), in log-odds. */
  contribution: number
}

export interface RiskAssessment {
  change: string
  probability: number
  score: number
  level: RiskLevel
  /** baseline + Σ contribution. */
  log_odds: number
  baseline: number
  factors: RiskFactor[]
  /** One reason per cause (code such as `no_plan`); subjects: the factor codes left out. */
  not_assessed: Reason[]
}

export interface FitOptions {
  l2?: number
  prior?: 'defaults' | 'zero'
  factors?: string[]
  max_iterations?: number
  history_prior_strength?: number
  source?: string
}

export interface GatePoint {
  gated_share: number
  gated: number
  caught: number
  caught_share: number
  lift: number
}

export interface RiskModelEvaluation {
  changes: number
  failures: number
  failure_rate: number
  mean_probability: number
  brier: number
  brier_reference: number
  brier_skill: number
  log_loss: number
  auc: number | null
  caught_vs_gated: GatePoint[]
}

export interface ServiceProfile {
  id: string
  stateful?: boolean
  schema_coupled?: boolean
  spare_capacity?: number
  traffic_routing?: boolean
  metric_quality?: 'none' | 'poor' | 'good'
  max_rollback_time?: Duration
  deploy_duration?: Duration
}

/** Any object with a `level`, such as a `RiskAssessment`. */
export interface RiskRef {
  level: RiskLevel
}

export interface StrategyOption {
  strategy: StrategyName
  feasible: boolean
  score: number
  /** Evidence: `points` (> 0) and `blocking`. */
  reasons_for: Reason[]
  /** Evidence: `points` (≤ 0) and `blocking`. */
  reasons_against: Reason[]
}

export interface StrategyRecommendation {
  service: string
  change: string
  risk_level: RiskLevel
  strategy: StrategyName
  feature_flag: boolean
  feature_flag_reason: Reason
  options: StrategyOption[]
}

export type Evidence =
  | 'ticket_link'
  | 'approvals'
  | 'security_scan_passed'
  | 'artifact_promoted'
  | 'runbook_reviewed'
  | 'downtime_notice'
  | 'test_evidence'

export interface ApprovalRule {
  levels?: RiskLevel[]
  change_types?: ChangeType[]
  compliance?: string[]
  approvals?: number
  roles?: string[]
  cab?: boolean
  test_depth?: TestDepth
}

export interface ComplianceRequirement {
  evidence?: Evidence[]
}

export interface GovernancePolicy {
  rules?: ApprovalRule[]
  compliance?: Record<string, ComplianceRequirement>
  cab_role?: string
  emergency_review_within?: Duration
  downtime_notice_lead?: Duration
  promotion_from?: string
  promotion_to?: string
}

export interface GovernanceDecision {
  change: string
  risk_level: RiskLevel
  change_type: ChangeType
  allowed: boolean
  required: Reason[]
  missing: Reason[]
  deferred: Reason[]
  violations: Reason[]
  notes: Reason[]
  approvers: string[]
  post_implementation_review_due?: Timestamp
}

/** Any JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

export interface ChangeRecordInput {
  kind?: string
  at?: Timestamp
  inputs: unknown
  outputs: unknown
}

export interface ChangeRecord {
  sequence: number
  previous_hash: string | null
  kind: string
  at?: Timestamp
  inputs: Json
  outputs: Json
  hash: string
}

/** What a verifier trusted of a log: `{ length: last.sequence + 1, head_hash: last.hash }`. */
export interface Checkpoint {
  length: number
  head_hash: string
}

export interface ChangeLogVerification {
  valid: boolean
  records: number
  first_broken: number | null
  problem: 'hash_mismatch' | 'previous_hash_mismatch' | 'sequence_mismatch' | 'time_goes_backwards' | 'truncated' | null
  explanation: string
  head_hash: string | null
  /** The checkpoint to keep for the next verification. */
  checkpoint: Checkpoint | null
}

/** Probability of failure, score, level and each factor's log-odds contribution. */
export declare function assessRisk(
  change: Change,
  plan?: Plan | null,
  model?: RiskModel | null,
  history?: ChangeOutcome[] | null,
  context?: RiskContext | null,
): RiskAssessment
/** The shipped default model. */
export declare function defaultRiskModel(): RiskModel
/** Deterministic L2-regularised logistic regression on post-implementation outcomes. */
export declare function fitRiskModel(history: ChangeOutcome[], options?: FitOptions | null): RiskModel
/** Incremental update: the model is the prior of a MAP fit on the new outcomes. */
export declare function updateRiskModel(model: RiskModel, outcomes: ChangeOutcome[]): RiskModel
/** Brier score, AUC and failures caught when gating the riskiest 5/10/20/50 %. */
export declare function evaluateRiskModel(model: RiskModel, history: ChangeOutcome[]): RiskModelEvaluation
/** Canary, blue-green or rolling (optionally behind a flag) with reasons. */
export declare function recommendStrategy(
  service: ServiceProfile,
  change: Change,
  risk?: RiskRef | null,
): StrategyRecommendation
/** Approvals, segregation of duties, CAB, test depth and compliance evidence. */
export declare function evaluateGovernance(change: Change, policy: GovernancePolicy, risk: RiskRef): GovernanceDecision
/** Appends a decision to a SHA-256 hash-chained log. */
export declare function appendChangeRecord(logTail: ChangeRecord | null | undefined, record: ChangeRecordInput): ChangeRecord
/**
 * Checks every hash and link; names the first record whose chain breaks. Without a checkpoint the
 * log must start with its genesis record; with one, it must still hold the trusted head.
 */
export declare function verifyChangeLog(records: ChangeRecord[], checkpoint?: Checkpoint | null): ChangeLogVerification
