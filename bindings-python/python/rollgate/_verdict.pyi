# Stubs for canary analysis: judge_canary and the statistical kernels.
from collections.abc import Buffer, Mapping, Sequence
from typing import Any, Literal, NotRequired, TypedDict

from ._explain import Reason

__all__ = [
    "Samples",
    "Alternative",
    "TestOptions",
    "Counts",
    "MetricData",
    "MetricConfig",
    "Thresholds",
    "CanaryConfig",
    "MetricResult",
    "GroupScore",
    "CanaryVerdict",
    "MannWhitneyResult",
    "ProportionResult",
    "RateResult",
    "WelchResult",
    "KsResult",
    "QuantileInterval",
    "QuantileComparison",
    "judge_canary",
    "mann_whitney",
    "compare_proportions",
    "compare_rates",
    "welch_t_test",
    "ks_test",
    "quantile_ci",
    "compare_quantiles",
    "adjust_p_values",
    "SequentialLook",
    "SequentialResult",
    "sequential_count_test",
    "WatchConfig",
    "CountArm",
    "Moments",
    "Histogram",
    "Running",
    "CountsState",
    "MeansState",
    "QuantilesState",
    "MetricState",
    "WatchState",
    "ArmSummary",
    "CountsMetric",
    "MeansMetric",
    "QuantilesMetric",
    "WatchMetric",
    "WatchVerdict",
    "WatchUpdate",
    "start_canary_watch",
    "update_canary_watch",
]

Samples = Buffer | Sequence[float | None]
"""A float64 buffer (numpy array, ``array('d')``) or a sequence of numbers;
``None``/NaN is a missing value."""

Alternative = Literal["two-sided", "greater", "less"]

class TestOptions(TypedDict, total=False):
    """The optional arguments of a test as one dict, in place of the first of
    them (as Node's options object); ``None`` for any of them means its default."""

    alternative: Alternative
    confidence: float
    method: Literal["none", "holm", "bh"]

class Counts(TypedDict):
    """Event counts over ``trials`` (proportion) or ``exposure`` (rate)."""

    events: float
    trials: NotRequired[float]
    exposure: NotRequired[float]

class MetricData(TypedDict):
    baseline: Samples | Counts
    canary: Samples | Counts

class MetricConfig(TypedDict):
    name: str
    kind: NotRequired[Literal["continuous", "count", "quantile"]]
    compare: NotRequired[Literal["location", "distribution"]]
    direction: NotRequired[Literal["increase", "decrease", "either"]]
    allowed_increase: NotRequired[float | None]
    allowed_decrease: NotRequired[float | None]
    critical_increase: NotRequired[float | None]
    critical_decrease: NotRequired[float | None]
    critical: NotRequired[bool]
    must_have_data: NotRequired[bool]
    group: NotRequired[str | None]
    nan_policy: NotRequired[Literal["reject", "remove"]]
    outliers: NotRequired[Literal["keep", "iqr"]]
    outlier_factor: NotRequired[float | None]
    min_samples: NotRequired[int | None]
    confidence: NotRequired[float | None]
    quantile: NotRequired[float | None]
    max: NotRequired[float | None]
    min: NotRequired[float | None]
    failure_limit: NotRequired[int | None]
    dry_run: NotRequired[bool]

Thresholds = TypedDict("Thresholds", {"pass": float, "marginal": float}, total=False)
"""Score thresholds in percent (defaults: pass 95, marginal 75)."""

class WatchConfig(TypedDict, total=False):
    """The canary watch's level, bake, budget, traffic share and mixing parameters."""

    alpha: float
    min_duration: str | int
    min_samples: int
    max_duration: str | int | None
    max_samples: int | None
    allocation: float
    count_concentration: float
    mean_mixing_sd: float
    quantile_concentration: float | None

class CanaryConfig(TypedDict):
    metrics: list[MetricConfig]
    groups: NotRequired[dict[str, float]]
    thresholds: NotRequired[Thresholds]
    correction: NotRequired[Literal["none", "holm", "bh"]]
    watch: NotRequired[WatchConfig | None]

class MetricResult(TypedDict):
    classification: Literal["pass", "high", "low", "continue", "no_data", "no_data_fail"]
    test: str
    statistic: float | None
    p_value: float | None
    adjusted_p_value: float | None
    alpha: float
    effect_kind: str
    effect: float | None
    ci: list[float | None]
    effect_ratio: float | None
    direction: Literal["increase", "decrease", "either"]
    critical: bool
    critical_failure: bool
    group: str
    n_baseline: float
    n_canary: float
    removed_nan: int
    removed_outliers: int
    slo_violations: int
    warnings: list[str]
    min_p_value: float | None
    dry_run: bool
    reason: Reason

GroupScore = TypedDict(
    "GroupScore",
    {"score": float | None, "weight": float, "pass": int, "fail": int, "no_data": int, "undecided": int},
)

class CanaryVerdict(TypedDict):
    decision: Literal["promote", "continue", "rollback", "inconclusive"]
    score: float
    score_forced_to_zero: str | None
    thresholds: Thresholds
    reasons: list[Reason]
    groups: dict[str, GroupScore]
    metrics: dict[str, MetricResult]

class MannWhitneyResult(TypedDict):
    statistic: float
    p_value: float
    estimate: float
    ci: list[float | None]
    method: Literal["exact", "asymptotic"]
    alternative: Alternative
    confidence: float
    z: float | None
    n_x: int
    n_y: int

class ProportionResult(TypedDict):
    p_value: float
    ratio: float | None
    ci: list[float | None]
    difference: float
    proportion_x: float
    proportion_y: float
    method: Literal["fisher_exact", "score"]
    alternative: Alternative
    confidence: float

class RateResult(TypedDict):
    p_value: float
    ratio: float | None
    ci: list[float | None]
    rate_x: float
    rate_y: float
    method: Literal["conditional_binomial"]
    alternative: Alternative
    confidence: float

class WelchResult(TypedDict):
    statistic: float
    df: float
    p_value: float
    estimate: float
    ci: list[float | None]
    ratio: float | None
    mean_x: float
    mean_y: float
    method: Literal["welch"]
    alternative: Alternative
    confidence: float

class KsResult(TypedDict):
    statistic: float
    p_value: float
    location: float
    signed_statistic: float
    method: Literal["exact", "asymptotic"]
    n_x: int
    n_y: int

class QuantileInterval(TypedDict):
    quantile: float
    estimate: float
    ci: list[float | None]
    ranks: list[int]
    achieved_confidence: float
    method: Literal["order_statistics"]
    n: int

class QuantileComparison(TypedDict):
    quantile: float
    estimate: float
    ci: list[float | None]
    ratio: float | None
    quantile_x: float
    quantile_y: float
    p_value: float
    method: Literal["quantile_test"]
    alternative: Alternative
    confidence: float

def judge_canary(config: CanaryConfig, data: Mapping[str, MetricData]) -> CanaryVerdict:
    """Judges a canary against its baseline: per-metric evidence, score, decision.

    Raises InvalidCanaryError (codes: invalid_config, unknown_metric,
    invalid_sample, invalid_count).
    """

def mann_whitney(
    x: Samples, y: Samples, alternative: Alternative | TestOptions | None = "two-sided", confidence: float | None = 0.95
) -> MannWhitneyResult:
    """Mann-Whitney U test with the Hodges-Lehmann shift x - y and its interval (R's wilcox.test)."""

def compare_proportions(
    events_x: float,
    trials_x: float,
    events_y: float,
    trials_y: float,
    alternative: Alternative | TestOptions | None = "two-sided",
    confidence: float | None = 0.95,
) -> ProportionResult:
    """Two proportions: Fisher's exact test for small counts, else the score test."""

def compare_rates(
    events_x: float,
    exposure_x: float,
    events_y: float,
    exposure_y: float,
    alternative: Alternative | TestOptions | None = "two-sided",
    confidence: float | None = 0.95,
) -> RateResult:
    """Two Poisson rates: exact conditional binomial test (R's poisson.test)."""

def welch_t_test(
    x: Samples, y: Samples, alternative: Alternative | TestOptions | None = "two-sided", confidence: float | None = 0.95
) -> WelchResult:
    """Welch's unequal-variance t-test."""

def ks_test(x: Samples, y: Samples) -> KsResult:
    """Two-sample two-sided Kolmogorov-Smirnov test."""

def quantile_ci(x: Samples, quantile: float, confidence: float | None = 0.95) -> QuantileInterval:
    """Distribution-free (order statistic) confidence interval for a quantile."""

def compare_quantiles(
    x: Samples,
    y: Samples,
    quantile: float,
    alternative: Alternative | TestOptions | None = "two-sided",
    confidence: float | None = 0.95,
) -> QuantileComparison:
    """Compares one quantile of x and y (e.g. p99)."""

def adjust_p_values(
    p_values: Samples, method: Literal["none", "holm", "bh"] | TestOptions | None = "holm"
) -> list[float]:
    """Holm or Benjamini-Hochberg adjusted p-values, in input order."""

class SequentialLook(TypedDict):
    canary_events: int
    baseline_events: int
    bayes_factor: float
    p_value: float

class SequentialResult(TypedDict):
    p_value: float
    reject: bool
    first_rejection: int | None
    looks: list[SequentialLook]
    method: Literal["dirichlet_multinomial"]

def sequential_count_test(
    looks: Sequence[Sequence[float]],
    allocation: float,
    concentration: float | None = 100.0,
    alpha: float | None = 0.05,
) -> SequentialResult:
    """Anytime-valid test of cumulative [canary_events, baseline_events] looks;
    ``allocation`` is the canary's traffic share. Safe to re-check every interval."""

class CountArm(TypedDict):
    events: int
    trials: int | None
    exposure: float | None

class Moments(TypedDict):
    n: int
    mean: float
    m2: float

class Histogram(TypedDict):
    n: int
    bins: list[list[int]]

class Running(TypedDict):
    p_value: float
    ci: list[float | None]

class CountsState(TypedDict):
    """A count metric's state: event counts per arm."""

    test: Literal["dirichlet_multinomial"]
    baseline: CountArm
    canary: CountArm
    running: Running

class MeansState(TypedDict):
    """A mean metric's state: count, mean and M2 per arm."""

    test: Literal["normal_mixture"]
    baseline: Moments
    canary: Moments
    running: Running

class QuantilesState(TypedDict):
    """A quantile metric's state: a fixed-bin histogram per arm, one running evidence per quantile."""

    test: Literal["quantile_sequence"]
    baseline: Histogram
    canary: Histogram
    running: list[Running]

MetricState = CountsState | MeansState | QuantilesState
"""One metric's sufficient statistics and running evidence, tagged by ``test``."""

class WatchState(TypedDict):
    """A canary watch's stored state: store it, pass it to the next update."""

    version: int
    fingerprint: str
    looks: int
    started_at: str | None
    last_at: str | None
    metrics: dict[str, MetricState]

class ArmSummary(TypedDict):
    samples: float
    events: float | None
    estimate: float | None

class _WatchMetricBase(TypedDict):
    verdict: Literal["rollback", "promote", "continue", "no_data"]
    dry_run: bool
    critical: bool
    direction: Literal["increase", "decrease", "either"]
    alpha: float
    """This metric's share of the run's level."""
    p_value: float
    """Anytime-valid p-value of "no harm beyond the allowed effect"."""
    ci: list[float | None]
    """Confidence sequence of the canary/baseline ratio; ``None`` above is unbounded."""
    effect: float | None
    allowed: list[float | None]
    baseline: ArmSummary
    canary: ArmSummary
    reasons: list[Reason]

class CountsMetric(_WatchMetricBase):
    """A count metric's evidence at a look."""

    test: Literal["dirichlet_multinomial"]
    effect_kind: Literal["rate_ratio"]
    quantile: None
    bayes_factor: float | None

class MeansMetric(_WatchMetricBase):
    """A mean metric's evidence at a look."""

    test: Literal["normal_mixture"]
    effect_kind: Literal["mean_ratio"]
    quantile: None
    bayes_factor: float | None

class QuantilesMetric(_WatchMetricBase):
    """A quantile metric's evidence at a look (for a distribution, the quantile with the strongest evidence)."""

    test: Literal["quantile_sequence"]
    effect_kind: Literal["quantile_ratio"]
    quantile: float
    bayes_factor: None

WatchMetric = CountsMetric | MeansMetric | QuantilesMetric
"""One metric's evidence at a look of the watch, tagged by ``test``."""

class WatchVerdict(TypedDict):
    decision: Literal["promote", "continue", "rollback", "inconclusive"]
    reasons: list[Reason]
    alpha: float
    looks: int
    elapsed_seconds: int
    bake_complete: bool
    score: float
    metrics: dict[str, WatchMetric]

class WatchUpdate(TypedDict):
    state: WatchState
    verdict: WatchVerdict

def start_canary_watch(config: CanaryConfig) -> WatchState:
    """Starts watching a canary: the empty state to store and pass to update_canary_watch.

    Raises InvalidCanaryError (invalid_config).
    """

def update_canary_watch(
    config: CanaryConfig, state: WatchState, batch: Mapping[str, MetricData], at: str
) -> WatchUpdate:
    """Adds one batch (this interval's samples or counts per metric) at time `at`
    (RFC 3339) and decides, with anytime-valid tests: {"state", "verdict"}.

    Raises InvalidCanaryError (invalid_config, unknown_metric, invalid_sample,
    invalid_count, incompatible_state) or InvalidCalendarError (invalid_timestamp).
    """
