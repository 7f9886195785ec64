# Stubs of environments: parity, promotion, migrations, access, teardown and isolation:
# signatures and docstrings only. The document types come from ._types,
# generated from core/schema by core/schema/generate.py.
from ._types import (
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
)

__all__ = [
    "check_parity",
    "check_promotion",
    "plan_migrations",
    "evaluate_access",
    "teardown_candidates",
    "isolation_plan",
]

def check_parity(
    environments: list[EnvironmentSpec], promotion_path: list[str], rules: ParityRules | None = None
) -> ParityReport:
    """What differs between each environment of the path and the next:
    allowed, drift or ahead, with a parity score and blocking findings."""

def check_promotion(
    promotion_path: list[str], deployments: list[PromotionDeployment], artifact: Artifact,
    rules: PromotionRules | None = None,
) -> PromotionCheck:
    """Whether one digest moved stage by stage, gates passed and soaks met."""

def plan_migrations(migrations: list[MigrationScript], environments: list[MigrationHistory]) -> MigrationPlan:
    """Applied, pending and problems per environment; the order to apply."""

def evaluate_access(request: AccessRequest, policy: AccessPolicy, now: Timestamp) -> AccessDecision:
    """Grant (with expiry), needs_approval (by whom) or deny, with a record."""

def teardown_candidates(
    environments: list[EnvironmentSpec], policy: TeardownPolicy | None, now: Timestamp
) -> TeardownPlan:
    """Which environments to tear down and when; never production or protected."""

def isolation_plan(plan: Plan, services: list[str], options: IsolationOptions | None = None) -> IsolationPlan:
    """Which dependencies to bring, use in place or stub for isolated tests."""
