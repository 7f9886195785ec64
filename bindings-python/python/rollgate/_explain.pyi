# Stub of the one reason shape every decision explains itself with
# (core/src/explain.rs).
from typing import Any, NotRequired, TypedDict

__all__ = ["Reason"]

class Reason(TypedDict):
    """Why a decision came out as it did: a stable code, a sentence, the ids it names."""

    code: str
    message: str
    subjects: list[str]
    evidence: NotRequired[dict[str, Any]]
