import type { Reason } from './explain'

/**
 * Canary analysis: `judgeCanary` and the statistical kernels.
 *
 * Optional arguments: every kernel takes `alternative` and `confidence`
 * positionally (`mannWhitney(x, y, 'greater', 0.9)`), or one options object
 * in the position of the first optional argument
 * (`mannWhitney(x, y, { alternative: 'greater', confidence: 0.9 })`).
 * Samples are arrays of numbers (`null` = missing) or `Float64Array`s (read
 * in place, fastest). An unbounded side of an interval is `null`.
 */

/** An array of numbers (`null` for a missing value) or a `Float64Array`. */
export type Samples = Float64Array | ReadonlyArray<number | null>

/** The alternative hypothesis about `x` relative to `y`. */
export type Alternative = 'two-sided' | 'greater' | 'less'

/** Multiple-comparison correction. */
export type Correction = 'none' | 'holm' | 'bh'

/** Options object accepted in place of positional `alternative, confidence`. */
export interface TestOptions {
  alternative?: Alternative
  /** Confidence level in (0, 1), default 0.95. */
  confidence?: number
}

/** Event counts over `trials` (proportion) or over `exposure` (rate). */
export interface Counts {
  events: number
  trials?: number
  exposure?: number
}

/** One metric's data. */
export interface MetricData {
  baseline: Samples | Counts
  canary: Samples | Counts
}

/** One metric's configuration. */
export interface MetricConfig {
  name: string
  /** Default `continuous`. */
  kind?: 'continuous' | 'count' | 'quantile'
  /** Default `location` (Mann-Whitney); `distribution` adds a KS test. */
  compare?: 'location' | 'distribution'
  /** Which change is harmful; default `either`. */
  direction?: 'increase' | 'decrease' | 'either'
  /** Largest harmless canary/baseline ratio for an increase (default 1). */
  allowed_increase?: number | null
  /** Smallest harmless canary/baseline ratio for a decrease (default 1). */
  allowed_decrease?: number | null
  /** A significant increase beyond this ratio is a critical failure. */
  critical_increase?: number | null
  /** A significant decrease below this ratio is a critical failure. */
  critical_decrease?: number | null
  /** A failure forces the score to 0. */
  critical?: boolean
  /** Missing data is a failure (`no_data_fail`). */
  must_have_data?: boolean
  /** Scoring group (default `"default"`). */
  group?: string | null
  /** Default `reject` (error `invalid_sample`). */
  nan_policy?: 'reject' | 'remove'
  /** Default `keep`; `iqr` drops values beyond `outlier_factor` IQRs (default 3). */
  outliers?: 'keep' | 'iqr'
  outlier_factor?: number | null
  /** Fewest samples per side to test at all (default 1). */
  min_samples?: number | null
  /** Confidence level in (0, 1), default 0.95. */
  confidence?: number | null
  /** Quantile level for `kind: quantile`, default 0.99. */
  quantile?: number | null
  /** Absolute SLO bounds on the canary. */
  max?: number | null
  min?: number | null
  /** SLO violations tolerated (Argo `failureLimit`, default 0). */
  failure_limit?: number | null
  /** Evaluated and reported, but never deciding (try a new metric first). */
  dry_run?: boolean
}

/** Score thresholds in percent. */
export interface Thresholds {
  /** Default 95. */
  pass?: number
  /** Default 75. */
  marginal?: number
}

/** The canary analysis configuration. */
export interface CanaryConfig {
  metrics: MetricConfig[]
  /** Group weights in percent; unweighted groups share the rest of 100. */
  groups?: Record<string, number>
  thresholds?: Thresholds
  /** Default `none` (judgeCanary only; the watch always holds the run's level). */
  correction?: Correction
  /** How a canary watch tests and decides; every field has a default. */
  watch?: WatchConfig | null
}

/** The canary watch's level, bake, budget, traffic share and mixing parameters. */
export interface WatchConfig {
  /** The run's false-rollback level, default 0.05. */
  alpha?: number
  /** Bake time before a promotion, default `"10m"`. */
  min_duration?: string | number
  /** Samples per arm before a promotion, default 500. */
  min_samples?: number
  /** Budget, default `"24h"`; `null` for none. */
  max_duration?: string | number | null
  /** Canary samples after which the verdict is inconclusive, default none. */
  max_samples?: number | null
  /** The canary's traffic share in (0, 1), default 0.5. */
  allocation?: number
  /** The count test's prior concentration, default 100. */
  count_concentration?: number
  /** The mean test's mixing sd in standard deviations of the metric, default 0.1. */
  mean_mixing_sd?: number
  /** The quantile test's prior concentration, default per quantile. */
  quantile_concentration?: number | null
}

export type Classification = 'pass' | 'high' | 'low' | 'continue' | 'no_data' | 'no_data_fail'
export type Decision = 'promote' | 'continue' | 'rollback' | 'inconclusive'

/** The evidence behind one metric's classification. */
export interface MetricResult {
  classification: Classification
  /** `mann_whitney`, `kolmogorov_smirnov`, `fisher_exact`, `score`, `conditional_binomial`, `quantile_test`, `none`. */
  test: string
  statistic: number | null
  p_value: number | null
  adjusted_p_value: number | null
  alpha: number
  /** `shift`, `ratio`, `quantile_difference` or `ks_distance`. */
  effect_kind: string
  effect: number | null
  ci: [number | null, number | null]
  /** Canary/baseline ratio; `null` when the baseline is 0. */
  effect_ratio: number | null
  direction: 'increase' | 'decrease' | 'either'
  critical: boolean
  critical_failure: boolean
  group: string
  n_baseline: number
  n_canary: number
  removed_nan: number
  removed_outliers: number
  slo_violations: number
  warnings: string[]
  /** The smallest p-value the test could give at these sample sizes. */
  min_p_value: number | null
  dry_run: boolean
  /** Why the metric got its classification. */
  reason: Reason
}

export interface GroupScore {
  score: number | null
  weight: number
  pass: number
  fail: number
  no_data: number
  /** Metrics classified `continue`, left out of the score. */
  undecided: number
}

/** Result of `judgeCanary`. */
export interface CanaryVerdict {
  decision: Decision
  score: number
  score_forced_to_zero: string | null
  thresholds: Required<Thresholds>
  reasons: Reason[]
  groups: Record<string, GroupScore>
  metrics: Record<string, MetricResult>
}

export interface MannWhitneyResult {
  /** U of x. */
  statistic: number
  p_value: number
  /** Hodges-Lehmann shift x − y. */
  estimate: number
  ci: [number | null, number | null]
  method: 'exact' | 'asymptotic'
  alternative: Alternative
  confidence: number
  z: number | null
  n_x: number
  n_y: number
}

export interface ProportionResult {
  p_value: number
  ratio: number | null
  ci: [number | null, number | null]
  difference: number
  proportion_x: number
  proportion_y: number
  method: 'fisher_exact' | 'score'
  alternative: Alternative
  confidence: number
}

export interface RateResult {
  p_value: number
  ratio: number | null
  ci: [number | null, number | null]
  rate_x: number
  rate_y: number
  method: 'conditional_binomial'
  alternative: Alternative
  confidence: number
}

export interface WelchResult {
  statistic: number
  df: number
  p_value: number
  estimate: number
  ci: [number | null, number | null]
  ratio: number | null
  mean_x: number
  mean_y: number
  method: 'welch'
  alternative: Alternative
  confidence: number
}

export interface KsResult {
  statistic: number
  p_value: number
  location: number
  signed_statistic: number
  method: 'exact' | 'asymptotic'
  n_x: number
  n_y: number
}

export interface QuantileInterval {
  quantile: number
  estimate: number
  ci: [number | null, number | null]
  ranks: [number, number]
  achieved_confidence: number
  method: 'order_statistics'
  n: number
}

export interface QuantileComparison {
  quantile: number
  estimate: number
  ci: [number | null, number | null]
  ratio: number | null
  quantile_x: number
  quantile_y: number
  p_value: number
  method: 'quantile_test'
  alternative: Alternative
  confidence: number
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

export interface SequentialLook {
  canary_events: number
  baseline_events: number
  bayes_factor: number
  /** Anytime-valid p-value up to this look. */
  p_value: number
}

export interface SequentialResult {
  p_value: number
  reject: boolean
  first_rejection: number | null
  looks: SequentialLook[]
  method: 'dirichlet_multinomial'
}

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

/** One arm's counts in a watch state. */
export interface CountArm {
  events: number
  trials: number | null
  exposure: number | null
}

/** One arm's count, mean and sum of squared deviations. */
export interface Moments {
  n: number
  mean: number
  m2: number
}

/** One arm's histogram: `[bin, count]` pairs. */
export interface Histogram {
  n: number
  bins: Array<[number, number]>
}

/** A test's running evidence: smallest p-value, intersected confidence sequence. */
export interface Running {
  p_value: number
  ci: [number, number | null]
}

export type WatchTest = 'dirichlet_multinomial' | 'normal_mixture' | 'quantile_sequence'

/** One metric's sufficient statistics and running evidence, tagged by its test. */
export type MetricState =
  | { test: 'dirichlet_multinomial'; baseline: CountArm; canary: CountArm; running: Running }
  | { test: 'normal_mixture'; baseline: Moments; canary: Moments; running: Running }
  /** One running evidence per watched quantile. */
  | { test: 'quantile_sequence'; baseline: Histogram; canary: Histogram; running: Running[] }

/** A canary watch's stored state: store it, pass it to the next update. */
export interface WatchState {
  version: number
  fingerprint: string
  looks: number
  started_at: string | null
  last_at: string | null
  metrics: Record<string, MetricState>
}

export interface ArmSummary {
  samples: number
  events: number | null
  estimate: number | null
}

/** What every metric's evidence at a look of the watch holds, whatever its test. */
export interface WatchMetricBase {
  verdict: 'rollback' | 'promote' | 'continue' | 'no_data'
  dry_run: boolean
  critical: boolean
  direction: 'increase' | 'decrease' | 'either'
  /** This metric's share of the run's level. */
  alpha: number
  /** Anytime-valid p-value of "no harm beyond the allowed effect". */
  p_value: number
  /** Confidence sequence of the canary/baseline ratio; `null` above is unbounded. */
  ci: [number, number | null]
  /** The canary/baseline ratio's estimate at this look. */
  effect: number | null
  /** Largest harmless ratio (`null`: an increase is not harmful) and smallest (`null`: a decrease is not). */
  allowed: [number | null, number | null]
  baseline: ArmSummary
  canary: ArmSummary
  reasons: Reason[]
}

/** One metric's evidence at a look of the watch, tagged by its test. */
export type WatchMetric = WatchMetricBase &
  (
    | {
        test: 'dirichlet_multinomial'
        effect_kind: 'rate_ratio'
        quantile: null
        /** The Dirichlet-multinomial Bayes factor against equal rates (`null` before any event). */
        bayes_factor: number | null
      }
    | {
        test: 'normal_mixture'
        effect_kind: 'mean_ratio'
        quantile: null
        /** The mixture's Λ against equal means (`null` while the samples do not vary). */
        bayes_factor: number | null
      }
    | {
        test: 'quantile_sequence'
        effect_kind: 'quantile_ratio'
        /** The quantile the numbers are about (for a distribution, the one with the strongest evidence). */
        quantile: number
        bayes_factor: null
      }
  )

export interface WatchVerdict {
  decision: Decision
  reasons: Reason[]
  alpha: number
  looks: number
  elapsed_seconds: number
  bake_complete: boolean
  score: number
  metrics: Record<string, WatchMetric>
}

export interface WatchUpdate {
  state: WatchState
  verdict: WatchVerdict
}

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
