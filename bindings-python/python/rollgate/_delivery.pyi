# Stubs for delivery performance (DORA), maturity and feature-flag exposure.
from typing import Any, Literal, NotRequired, TypedDict

from ._explain import Reason
from ._graph import Plan

__all__ = [
    "DeploymentStatus", "Commit", "Deployment", "Incident", "GroupBy", "SeriesPeriod",
    "DoraOptions", "DoraTier", "DoraMetric", "FrequencyBucket", "TierRating", "DeploymentCounts",
    "LeadTime", "DeploymentFrequency", "ChangeFailRate", "Recovery", "Rework", "DoraTiers",
    "DeliveryMetrics", "SeriesBucket", "GroupMetrics", "DoraReport",
    "MaturityArea", "NextPractice", "AreaMaturity", "MaturityAssessment",
    "FlagAlgorithm", "FlagVariant", "Flag", "FlagDecision", "PopulationCount", "Exposure",
    "VariantExposure", "FlagExposure",
    "dora_metrics", "assess_maturity", "flag_bucket", "flag_enabled", "flag_exposure",
]

DeploymentStatus = Literal["succeeded", "failed", "rolled_back"]
GroupBy = Literal["none", "service", "team"]
SeriesPeriod = Literal["week", "month"]
DoraTier = Literal["elite", "high", "medium", "low"]
DoraMetric = Literal["lead_time", "deployment_frequency", "change_fail_rate", "recovery_time"]
FrequencyBucket = Literal["daily", "weekly", "monthly", "yearly"]

class Commit(TypedDict):
    sha: str
    committed_at: str

class Deployment(TypedDict):
    """One deployment; timestamps are RFC 3339 with offset."""

    id: str
    service: str
    started_at: str
    finished_at: str
    status: DeploymentStatus
    environment: NotRequired[str]
    commits: NotRequired[list[Commit]]
    remediates: NotRequired[list[str]]

class Incident(TypedDict):
    id: str
    created_at: str
    resolved_at: NotRequired[str]
    caused_by: NotRequired[list[str]]
    severity: NotRequired[str]

DoraOptions = TypedDict(
    "DoraOptions",
    {
        "from": str,
        "to": str,
        "environment": str,
        "group_by": GroupBy,
        "series": SeriesPeriod,
        "report_year": int,
    },
    total=False,
)

class TierRating(TypedDict):
    metric: DoraMetric
    value: float
    tier: DoraTier
    range: str
    next_tier: NotRequired[DoraTier]
    target: NotRequired[float]
    gap: NotRequired[float]

class DeploymentCounts(TypedDict):
    total: int
    succeeded: int
    failed: int
    rolled_back: int

class LeadTime(TypedDict):
    commits: int
    median_seconds: float | None
    p90_seconds: float | None

class DeploymentFrequency(TypedDict):
    deployments: int
    days: float
    per_day: float | None
    per_week: float | None
    bucket: FrequencyBucket | None

class ChangeFailRate(TypedDict):
    deployments: int
    failures: int
    rate: float | None

class Recovery(TypedDict):
    incidents: int
    resolved: int
    median_seconds: float | None
    failed_deployments: int
    restored: int
    median_restore_seconds: float | None

class Rework(TypedDict):
    deployments: int
    rework: int
    rate: float | None

class DoraTiers(TypedDict):
    report_year: int
    lead_time: TierRating | None
    deployment_frequency: TierRating | None
    change_fail_rate: TierRating | None
    recovery_time: TierRating | None
    overall: DoraTier | None

class DeliveryMetrics(TypedDict):
    deployments: DeploymentCounts
    lead_time: LeadTime
    deployment_frequency: DeploymentFrequency
    change_fail_rate: ChangeFailRate
    recovery: Recovery
    rework: Rework
    tiers: DoraTiers
    reasons: list[Reason]

class SeriesBucket(TypedDict):
    start: str
    end: str
    metrics: DeliveryMetrics

class GroupMetrics(TypedDict):
    group: str
    services: list[str]
    metrics: DeliveryMetrics
    series: list[SeriesBucket]

DoraReport = TypedDict(
    "DoraReport",
    {
        "environment": str,
        "from": str | None,
        "to": str | None,
        "group_by": GroupBy,
        "totals": DeliveryMetrics,
        "series": list[SeriesBucket],
        "groups": list[GroupMetrics],
        "reasons": list[Reason],
    },
)

MaturityArea = Literal[
    "release_strategy", "pipeline", "environments", "deployment_automation",
    "observability", "governance", "incident_response", "continuous_improvement",
]

class NextPractice(TypedDict):
    practice: str
    level: int
    description: str
    supported_by: list[str]

class AreaMaturity(TypedDict):
    area: MaturityArea
    level: int
    name: str
    evidence: list[Reason]
    next_practices: list[NextPractice]

class MaturityAssessment(TypedDict):
    areas: list[AreaMaturity]
    reasons: list[Reason]

FlagAlgorithm = Literal["unleash", "flagd"]

class FlagVariant(TypedDict):
    name: str
    weight: NotRequired[int]

class Flag(TypedDict):
    key: str
    algorithm: NotRequired[FlagAlgorithm]
    percentage: NotRequired[int]
    group_id: NotRequired[str]
    variants: NotRequired[list[FlagVariant]]

class FlagDecision(TypedDict):
    flag: str
    unit_id: str
    enabled: bool
    variant: str | None
    bucket: int
    reasons: list[Reason]

class PopulationCount(TypedDict):
    count: int
    sample: NotRequired[int]
    seed: NotRequired[int]

class Exposure(TypedDict):
    units: int
    share: float
    expected_share: float
    interval: list[float] | None
    unit_ids: list[str]

class VariantExposure(TypedDict):
    variant: str
    exposure: Exposure

class FlagExposure(TypedDict):
    flag: str
    algorithm: FlagAlgorithm
    population: int
    sampled: int
    exact: bool
    enabled: Exposure
    disabled: Exposure
    variants: list[VariantExposure]
    reasons: list[Reason]

def dora_metrics(
    deployments: list[Deployment],
    incidents: list[Incident],
    options: DoraOptions | None = None,
    plan: Plan | None = None,
) -> DoraReport:
    """Change lead time, deployment frequency, change fail rate, recovery time
    and rework rate, in total, per service or team and per week or month, with
    DORA tiers. Raises InvalidDeliveryError, InvalidCalendarError."""

def assess_maturity(
    metrics: DeliveryMetrics | None, practices: dict[str, bool]
) -> MaturityAssessment:
    """Maturity level 1-5 per practice area, with evidence and next practices."""

def flag_bucket(flag_key: str, unit_id: str, algorithm: FlagAlgorithm | None = None) -> int:
    """Unleash's normalised value (1-100) or flagd's bucket (0-99)."""

def flag_enabled(flag: Flag, unit_id: str) -> FlagDecision:
    """Whether a unit gets a flag and which variant, as Unleash or flagd decides."""

def flag_exposure(flag: Flag, population: list[str] | PopulationCount) -> FlagExposure:
    """How many units of a population see a flag and each variant."""
