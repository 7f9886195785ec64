# Stub of the one reason shape every rollgate decision explains itself with
# (rollgate::explain::Reason); the codes are listed per module in the Rust
# docs of `rollgate::explain`.
from typing import Any, NotRequired, TypedDict

__all__ = ["Reason"]

class Reason(TypedDict):
    """Why a decision came out as it did: one factor, constraint, metric or rule."""

    code: str
    """Stable machine code, e.g. ``"deny_window"``."""
    message: str
    """A human sentence."""
    subjects: list[str]
    """The ids the reason is about (regions, services, window paths, ...), sorted."""
    evidence: NotRequired[dict[str, Any]]
    """The numbers or values behind the sentence, by name (absent when none)."""
