# Stubs of delivery performance: DORA metrics, maturity and feature flags:
# signatures and docstrings only. The document types come from ._types,
# generated from core/schema by core/schema/generate.py.
from ._types import (
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
)

__all__ = [
    "dora_metrics",
    "assess_maturity",
    "flag_bucket",
    "flag_enabled",
    "flag_exposure",
]

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
