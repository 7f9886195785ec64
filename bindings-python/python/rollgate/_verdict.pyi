# Stubs of canary analysis: judge_canary, the statistical kernels and the canary watch:
# signatures and docstrings only. The document types come from ._types,
# generated from core/schema by core/schema/generate.py.
from collections.abc import Mapping, Sequence
from typing import Literal, TypeAlias, TypedDict
from ._types import (
    Alternative,
    CanaryConfig,
    CanaryVerdict,
    KsTest,
    MannWhitney,
    MetricData,
    MetricStateDirichletMultinomial,
    MetricStateNormalMixture,
    MetricStateQuantileSequence,
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
)

__all__ = [
    "MannWhitneyResult",
    "ProportionResult",
    "RateResult",
    "WelchResult",
    "KsResult",
    "SequentialResult",
    "CountsState",
    "MeansState",
    "QuantilesState",
    "CountsMetric",
    "MeansMetric",
    "QuantilesMetric",
    "TestOptions",
    "judge_canary",
    "mann_whitney",
    "compare_proportions",
    "compare_rates",
    "welch_t_test",
    "ks_test",
    "quantile_ci",
    "compare_quantiles",
    "adjust_p_values",
    "sequential_count_test",
    "start_canary_watch",
    "update_canary_watch",
]

MannWhitneyResult: TypeAlias = MannWhitney
ProportionResult: TypeAlias = ProportionTest
RateResult: TypeAlias = RateTest
WelchResult: TypeAlias = WelchTest
KsResult: TypeAlias = KsTest
SequentialResult: TypeAlias = SequentialTest
CountsState: TypeAlias = MetricStateDirichletMultinomial
MeansState: TypeAlias = MetricStateNormalMixture
QuantilesState: TypeAlias = MetricStateQuantileSequence
CountsMetric: TypeAlias = WatchMetric
MeansMetric: TypeAlias = WatchMetric
QuantilesMetric: TypeAlias = WatchMetric

class TestOptions(TypedDict, total=False):
    """The optional arguments of a test as one dict, in place of the first of
    them (as Node's options object); ``None`` for any of them means its default."""

    alternative: Alternative
    confidence: float
    method: Literal["none", "holm", "bh"]

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

def sequential_count_test(
    looks: Sequence[Sequence[float]],
    allocation: float,
    concentration: float | None = 100.0,
    alpha: float | None = 0.05,
) -> SequentialResult:
    """Anytime-valid test of cumulative [canary_events, baseline_events] looks;
    ``allocation`` is the canary's traffic share. Safe to re-check every interval."""

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
