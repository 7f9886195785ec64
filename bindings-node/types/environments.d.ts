// Typings of the environment functions: parity, promotion, migrations,
// access, teardown and isolation.
import type { Reason } from './explain'
import type { Duration, Plan } from './graph'
import type { ChangeRecordInput, Timestamp } from './risk'

export type EnvironmentTier = 'development' | 'test' | 'staging' | 'production' | 'ephemeral'
/** A flat configuration or infrastructure value. */
export type Scalar = string | number | boolean

export interface ServiceDeployment {
  version: string
  artifact_digest?: string
  config?: Record<string, Scalar>
  replicas?: number
}

export interface EnvironmentSpec {
  id: string
  tier: EnvironmentTier
  owner?: string
  created_at?: Timestamp
  last_deployed_at?: Timestamp
  /** Must not be before `created_at`. */
  expires_at?: Timestamp
  labels?: Record<string, string>
  services?: Record<string, ServiceDeployment>
  infrastructure?: Record<string, Scalar>
  data_volume?: Record<string, number>
  monthly_cost?: number
}

/** A JSON-pointer glob (`*` within a token, `**` across tokens), optionally for some environments. */
export interface PathRule {
  path: string
  environments?: string[]
}

export interface ParityRules {
  allow?: PathRule[]
  blocking?: PathRule[]
  /** Default true. */
  block_ahead?: boolean
  min_data_volume_ratio?: number
}

export interface ParityFinding {
  class: 'allowed' | 'drift' | 'ahead'
  /** Pointer inside a spec. */
  path: string
  /** Pointer into the `environments` argument (earlier environment). */
  from_path: string
  /** Pointer into the `environments` argument (later environment). */
  to_path: string
  from_value: Scalar | null
  to_value: Scalar | null
  blocking: boolean
  reason: Reason
}

export interface PairParity {
  from: string
  to: string
  compared: number
  identical: number
  allowed: number
  drift: number
  ahead: number
  /** (identical + allowed) / compared; 1 when nothing was compared. */
  parity_score: number
  blocking: boolean
  findings: ParityFinding[]
  reason: Reason
}

export interface ParityReport {
  pairs: PairParity[]
  blocking: boolean
}

export interface Artifact {
  digest: string
  version?: string
}

export interface GateResult {
  name: string
  passed: boolean
  at?: Timestamp
}

export interface PromotionDeployment {
  environment: string
  artifact_digest: string
  deployed_at: Timestamp
  version?: string
  gates?: GateResult[]
}

export interface StageRule {
  required_gates?: string[]
  min_soak?: Duration
}

export interface PromotionRules {
  stages?: Record<string, StageRule>
}

export interface StageStatus {
  environment: string
  deployed_at: Timestamp | null
  gates_passed: string[]
  gates_missing: string[]
  soak_seconds: number | null
  required_soak_seconds: number
}

export interface PromotionCheck {
  valid: boolean
  stages: StageStatus[]
  next_stage: string | null
  ready_for_next: boolean
  soak_ends_at: Timestamp | null
  findings: Reason[]
  waiting_for: Reason[]
}

export interface MigrationScript {
  version: string
  checksum: string
  description?: string
  reversible?: boolean
  phase?: 'expand' | 'contract'
}

export interface AppliedMigration {
  version: string
  checksum: string
  applied_at?: Timestamp
}

export interface MigrationHistory {
  environment: string
  applied?: AppliedMigration[]
}

export interface EnvironmentMigrations {
  environment: string
  applied: string[]
  pending: string[]
  problems: Reason[]
}

export interface MigrationStep {
  round: number
  environment: string
  version: string
  phase: 'expand' | 'contract'
  reversible: boolean
}

export interface MigrationPlan {
  valid: boolean
  environments: EnvironmentMigrations[]
  steps: MigrationStep[]
}

export interface AccessRequest {
  requester: string
  environment: string
  duration: Duration
  id?: string
  scope?: string[]
  ticket?: string
  approver?: string
  break_glass?: boolean
}

export interface EnvironmentAccess {
  scopes?: string[]
  max_duration?: Duration
  requires_ticket?: boolean
  approvers?: string[]
  break_glass_max_duration?: Duration
  review_within?: Duration
}

export interface AccessPolicy {
  environments?: Record<string, EnvironmentAccess>
  on_call?: string[]
}

export interface AccessDecision {
  decision: 'grant' | 'needs_approval' | 'deny'
  expires_at: Timestamp | null
  duration_seconds: number
  approvers: string[]
  break_glass: boolean
  review_required: boolean
  review_due_at: Timestamp | null
  reasons: Reason[]
  /** Pass to `appendChangeRecord`. */
  record: ChangeRecordInput
}

export interface TeardownPolicy {
  max_idle?: Duration
  cost_budget?: number
  known_owners?: string[]
  protected_labels?: string[]
  tiers?: EnvironmentTier[]
  warning_period?: Duration
}

export interface TeardownCandidate {
  environment: string
  tier: EnvironmentTier
  owner: string | null
  monthly_cost: number
  warn_at: Timestamp
  delete_at: Timestamp
  reasons: Reason[]
}

export interface KeptEnvironment {
  environment: string
  reasons: Reason[]
}

export interface TeardownPlan {
  candidates: TeardownCandidate[]
  kept: KeptEnvironment[]
  monthly_cost_saved: number
}

export interface IsolationOptions {
  shared_tag?: string
  shared?: string[]
  read_only?: string[]
}

export interface IsolatedDependency {
  id: string
  required_by: string[]
  reason: Reason
}

export interface IsolationPlan {
  services: string[]
  bring: IsolatedDependency[]
  use_shared: IsolatedDependency[]
  stub: IsolatedDependency[]
  deploy_order: string[][]
}

/** What differs between each environment of the path and the next. */
export declare function checkParity(environments: EnvironmentSpec[], promotionPath: string[], rules?: ParityRules | null): ParityReport
/** Whether one digest moved stage by stage, gates passed and soaks met. */
export declare function checkPromotion(promotionPath: string[], deployments: PromotionDeployment[], artifact: Artifact, rules?: PromotionRules | null): PromotionCheck
/** Applied, pending and problems per environment; the order to apply. */
export declare function planMigrations(migrations: MigrationScript[], environments: MigrationHistory[]): MigrationPlan
/** Grant (with expiry), needs_approval (by whom) or deny, with a change-log record. */
export declare function evaluateAccess(request: AccessRequest, policy: AccessPolicy, now: Timestamp): AccessDecision
/** Which environments to tear down and when; never production or protected. */
export declare function teardownCandidates(environments: EnvironmentSpec[], policy: TeardownPolicy | null | undefined, now: Timestamp): TeardownPlan
/** Which dependencies to bring, use in place or stub for isolated tests. */
export declare function isolationPlan(plan: Plan, services: string[], options?: IsolationOptions | null): IsolationPlan
