// Typings of canary analysis: judgeCanary, the statistical kernels and the canary watch:
// signatures and doc comments only. The document types come from
// ./generated, generated from core/schema by core/schema/generate.py.
import type {
  Alternative,
  CanaryConfig,
  CanaryVerdict,
  Correction,
  KsTest,
  MannWhitney,
  MetricData,
  ProportionTest,
  QuantileComparison,
  QuantileInterval,
  RateTest,
  Samples,
  SequentialTest,
  WatchMetric,
  WatchState,
  WatchUpdate,
  WelchTest,
} from './generated'

export type MannWhitneyResult = MannWhitney
export type ProportionResult = ProportionTest
export type RateResult = RateTest
export type WelchResult = WelchTest
export type KsResult = KsTest
export type SequentialResult = SequentialTest
export type WatchMetricBase = WatchMetric

/** Options object accepted in place of positional `alternative, confidence`. */
export interface TestOptions {
  alternative?: Alternative
  /** Confidence level in (0, 1), default 0.95. */
  confidence?: number
}

/** Judges a canary: per-metric evidence, score, decision with reasons. */
export declare function judgeCanary(config: CanaryConfig, data: Record<string, MetricData>): CanaryVerdict

/** Mann-Whitney U test with the Hodges-Lehmann shift x − y and its interval (R's wilcox.test). */
export declare function mannWhitney(
  x: Samples,
  y: Samples,
  alternative?: Alternative | TestOptions | null,
  confidence?: number,
): MannWhitneyResult

/** Two proportions: Fisher's exact test for small counts, else the score test. */
export declare function compareProportions(
  eventsX: number,
  trialsX: number,
  eventsY: number,
  trialsY: number,
  alternative?: Alternative | TestOptions | null,
  confidence?: number,
): ProportionResult

/** Two Poisson rates: exact conditional binomial test (R's poisson.test). */
export declare function compareRates(
  eventsX: number,
  exposureX: number,
  eventsY: number,
  exposureY: number,
  alternative?: Alternative | TestOptions | null,
  confidence?: number,
): RateResult

/** Welch's unequal-variance t-test. */
export declare function welchTTest(
  x: Samples,
  y: Samples,
  alternative?: Alternative | TestOptions | null,
  confidence?: number,
): WelchResult

/** Two-sample two-sided Kolmogorov-Smirnov test. */
export declare function ksTest(x: Samples, y: Samples): KsResult

/** Distribution-free confidence interval for a quantile. */
export declare function quantileCi(x: Samples, quantile: number, confidence?: number): QuantileInterval

/** Compares one quantile (e.g. p99) of x and y. */
export declare function compareQuantiles(
  x: Samples,
  y: Samples,
  quantile: number,
  alternative?: Alternative | TestOptions | null,
  confidence?: number,
): QuantileComparison

/** Holm or Benjamini-Hochberg adjusted p-values, in input order (default `holm`). */
export declare function adjustPValues(pValues: Samples, method?: Correction | { method?: Correction } | null): number[]

/**
 * Anytime-valid test of cumulative `[canaryEvents, baselineEvents]` looks
 * (`allocation` = canary's traffic share); safe to re-check every interval.
 */
export declare function sequentialCountTest(
  looks: Array<[number, number]>,
  allocation: number,
  concentration?: number,
  alpha?: number,
): SequentialResult

export type WatchTest = 'dirichlet_multinomial' | 'normal_mixture' | 'quantile_sequence'

/** Starts watching a canary: the empty state to store and pass to `updateCanaryWatch`. */
export declare function startCanaryWatch(config: CanaryConfig): WatchState

/**
 * Adds one batch (this interval's samples or counts per metric) at time `at`
 * (RFC 3339) and decides with anytime-valid tests. Errors: `invalid_config`,
 * `unknown_metric`, `invalid_sample`, `invalid_count`, `incompatible_state`,
 * `invalid_timestamp`.
 */
export declare function updateCanaryWatch(
  config: CanaryConfig,
  state: WatchState,
  batch: Record<string, MetricData>,
  at: string,
): WatchUpdate
