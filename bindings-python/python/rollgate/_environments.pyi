# Stubs for environments and promotion: parity, promotion, migrations,
# access, teardown and isolation.
from typing import Any, Literal, NotRequired, TypedDict

from ._explain import Reason
from ._graph import Duration, Plan
from ._risk import ChangeRecordInput, Timestamp

__all__ = [
    "EnvironmentTier", "ServiceDeployment", "EnvironmentSpec",
    "PathRule", "ParityRules", "ParityFinding", "PairParity", "ParityReport",
    "Artifact", "GateResult", "PromotionDeployment", "StageRule", "PromotionRules", "StageStatus",
    "PromotionCheck",
    "MigrationScript", "AppliedMigration", "MigrationHistory", "EnvironmentMigrations",
    "MigrationStep", "MigrationPlan",
    "AccessRequest", "EnvironmentAccess", "AccessPolicy", "AccessDecision",
    "TeardownPolicy", "TeardownCandidate", "KeptEnvironment", "TeardownPlan",
    "IsolationOptions", "IsolatedDependency", "IsolationPlan",
    "check_parity", "check_promotion", "plan_migrations", "evaluate_access",
    "teardown_candidates", "isolation_plan",
]

EnvironmentTier = Literal["development", "test", "staging", "production", "ephemeral"]
Scalar = str | int | float | bool

class ServiceDeployment(TypedDict):
    version: str
    artifact_digest: NotRequired[str]
    config: NotRequired[dict[str, Scalar]]
    replicas: NotRequired[int]

class EnvironmentSpec(TypedDict):
    id: str
    tier: EnvironmentTier
    owner: NotRequired[str]
    created_at: NotRequired[Timestamp]
    last_deployed_at: NotRequired[Timestamp]
    expires_at: NotRequired[Timestamp]
    labels: NotRequired[dict[str, str]]
    services: NotRequired[dict[str, ServiceDeployment]]
    infrastructure: NotRequired[dict[str, Scalar]]
    data_volume: NotRequired[dict[str, float]]
    monthly_cost: NotRequired[float]

class PathRule(TypedDict):
    path: str
    environments: NotRequired[list[str]]

class ParityRules(TypedDict, total=False):
    allow: list[PathRule]
    blocking: list[PathRule]
    block_ahead: bool
    min_data_volume_ratio: float

# `class` and `from` are Python keywords: these two use the functional form.
ParityFinding = TypedDict("ParityFinding", {
    "class": Literal["allowed", "drift", "ahead"],
    "path": str,
    "from_path": str,
    "to_path": str,
    "from_value": Scalar | None,
    "to_value": Scalar | None,
    "blocking": bool,
    "reason": Reason,
})

PairParity = TypedDict("PairParity", {
    "from": str,
    "to": str,
    "compared": int,
    "identical": int,
    "allowed": int,
    "drift": int,
    "ahead": int,
    "parity_score": float,
    "blocking": bool,
    "findings": list[ParityFinding],
    "reason": Reason,
})

class ParityReport(TypedDict):
    pairs: list[PairParity]
    blocking: bool

class Artifact(TypedDict):
    digest: str
    version: NotRequired[str]

class GateResult(TypedDict):
    name: str
    passed: bool
    at: NotRequired[Timestamp]

class PromotionDeployment(TypedDict):
    environment: str
    artifact_digest: str
    deployed_at: Timestamp
    version: NotRequired[str]
    gates: NotRequired[list[GateResult]]

class StageRule(TypedDict, total=False):
    required_gates: list[str]
    min_soak: Duration

class PromotionRules(TypedDict, total=False):
    stages: dict[str, StageRule]

class StageStatus(TypedDict):
    environment: str
    deployed_at: Timestamp | None
    gates_passed: list[str]
    gates_missing: list[str]
    soak_seconds: int | None
    required_soak_seconds: int

class PromotionCheck(TypedDict):
    valid: bool
    stages: list[StageStatus]
    next_stage: str | None
    ready_for_next: bool
    soak_ends_at: Timestamp | None
    findings: list[Reason]
    waiting_for: list[Reason]

class MigrationScript(TypedDict):
    version: str
    checksum: str
    description: NotRequired[str]
    reversible: NotRequired[bool]
    phase: NotRequired[Literal["expand", "contract"]]

class AppliedMigration(TypedDict):
    version: str
    checksum: str
    applied_at: NotRequired[Timestamp]

class MigrationHistory(TypedDict):
    environment: str
    applied: NotRequired[list[AppliedMigration]]

class EnvironmentMigrations(TypedDict):
    environment: str
    applied: list[str]
    pending: list[str]
    problems: list[Reason]

class MigrationStep(TypedDict):
    round: int
    environment: str
    version: str
    phase: Literal["expand", "contract"]
    reversible: bool

class MigrationPlan(TypedDict):
    valid: bool
    environments: list[EnvironmentMigrations]
    steps: list[MigrationStep]

class AccessRequest(TypedDict):
    requester: str
    environment: str
    duration: Duration
    id: NotRequired[str]
    scope: NotRequired[list[str]]
    ticket: NotRequired[str]
    approver: NotRequired[str]
    break_glass: NotRequired[bool]

class EnvironmentAccess(TypedDict, total=False):
    scopes: list[str]
    max_duration: Duration
    requires_ticket: bool
    approvers: list[str]
    break_glass_max_duration: Duration
    review_within: Duration

class AccessPolicy(TypedDict, total=False):
    environments: dict[str, EnvironmentAccess]
    on_call: list[str]

class AccessDecision(TypedDict):
    decision: Literal["grant", "needs_approval", "deny"]
    expires_at: Timestamp | None
    duration_seconds: int
    approvers: list[str]
    break_glass: bool
    review_required: bool
    review_due_at: Timestamp | None
    reasons: list[Reason]
    record: ChangeRecordInput

class TeardownPolicy(TypedDict, total=False):
    max_idle: Duration
    cost_budget: float
    known_owners: list[str]
    protected_labels: list[str]
    tiers: list[EnvironmentTier]
    warning_period: Duration

class TeardownCandidate(TypedDict):
    environment: str
    tier: EnvironmentTier
    owner: str | None
    monthly_cost: float
    warn_at: Timestamp
    delete_at: Timestamp
    reasons: list[Reason]

class KeptEnvironment(TypedDict):
    environment: str
    reasons: list[Reason]

class TeardownPlan(TypedDict):
    candidates: list[TeardownCandidate]
    kept: list[KeptEnvironment]
    monthly_cost_saved: float

class IsolationOptions(TypedDict, total=False):
    shared_tag: str
    shared: list[str]
    read_only: list[str]

class IsolatedDependency(TypedDict):
    id: str
    required_by: list[str]
    reason: Reason

class IsolationPlan(TypedDict):
    services: list[str]
    bring: list[IsolatedDependency]
    use_shared: list[IsolatedDependency]
    stub: list[IsolatedDependency]
    deploy_order: list[list[str]]

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
