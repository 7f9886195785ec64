// Typings of change risk, strategy choice, governance and the change log:
// signatures and doc comments only. The document types come from
// ./generated, generated from core/schema by core/schema/generate.py.
import type {
  Change,
  ChangeLogVerification,
  ChangeOutcome,
  ChangeRecord,
  ChangeRecordInput,
  Checkpoint,
  FitOptions,
  GovernanceDecision,
  GovernancePolicy,
  Plan,
  RiskAssessment,
  RiskContext,
  RiskModel,
  RiskModelEvaluation,
  RiskRef,
  ServiceProfile,
  Strategy,
  StrategyRecommendation,
} from './generated'

export type StrategyName = Strategy

/** Any JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

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
