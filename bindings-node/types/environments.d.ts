// Typings of environments: parity, promotion, migrations, access, teardown and isolation:
// signatures and doc comments only. The document types come from
// ./generated, generated from core/schema by core/schema/generate.py.
import type {
  AccessDecision,
  AccessPolicy,
  AccessRequest,
  Artifact,
  EnvironmentSpec,
  IsolationOptions,
  IsolationPlan,
  MigrationHistory,
  MigrationPlan,
  MigrationScript,
  ParityReport,
  ParityRules,
  Plan,
  PromotionCheck,
  PromotionDeployment,
  PromotionRules,
  TeardownPlan,
  TeardownPolicy,
  Timestamp,
} from './generated'

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
