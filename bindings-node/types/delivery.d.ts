// Typings of delivery performance: DORA metrics, maturity and feature flags:
// signatures and doc comments only. The document types come from
// ./generated, generated from core/schema by core/schema/generate.py.
import type {
  DeliveryMetrics,
  Deployment,
  DoraOptions,
  DoraReport,
  Flag,
  FlagAlgorithm,
  FlagDecision,
  FlagExposure,
  Incident,
  MaturityAssessment,
  Plan,
  PopulationCount,
} from './generated'

/** DORA keys and rework rate, in total, per service or team and per week or month, with tiers. */
export declare function doraMetrics(
  deployments: Deployment[],
  incidents: Incident[],
  options?: DoraOptions | null,
  plan?: Plan | null,
): DoraReport

/** Maturity level 1–5 per practice area, with evidence and the next practices. */
export declare function assessMaturity(
  metrics: DeliveryMetrics | null | undefined,
  practices: Record<string, boolean>,
): MaturityAssessment

/** Unleash's normalised value (1–100) or flagd's bucket (0–99). */
export declare function flagBucket(flagKey: string, unitId: string, algorithm?: FlagAlgorithm | null): number

/** Whether a unit gets a flag and which variant, exactly as Unleash or flagd decides. */
export declare function flagEnabled(flag: Flag, unitId: string): FlagDecision

/** How many units of a population see a flag and each variant. */
export declare function flagExposure(flag: Flag, population: string[] | PopulationCount): FlagExposure
