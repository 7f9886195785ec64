"""Exceptions raised by rollgate.

Every exception derives from :class:`RollgateError` and carries the stable
``code`` (identical in Rust, Python and Node), the JSON-pointer ``path`` of the
offending value and every structured detail of the error as attributes (for a
dependency cycle: ``cycle`` and ``members``). Errors about bad input also
derive from :class:`ValueError`; :class:`InternalError` (code
``internal_error``) is rollgate's own failure, never the input's.

A path starting with ``/`` points into the function's main document (the
plan); one starting with a parameter name (``services/1``, ``max_parallel``)
points into that argument.
"""

from __future__ import annotations

from typing import Any, Mapping

__all__ = [
    "RollgateError",
    "InvalidPlanError",
    "InvalidCalendarError",
    "InvalidCanaryError",
    "InvalidChangeError",
    "InvalidReleaseError",
    "InvalidEnvironmentError",
    "InvalidDeliveryError",
    "InternalError",
]


class RollgateError(Exception):
    """Base class of every rollgate error."""

    code: str
    """Stable machine-readable code, e.g. ``"dependency_cycle"``."""
    path: str
    """JSON pointer to the offending value (``""`` is the whole input)."""
    details: dict[str, Any]
    """All structured fields of the error, ``code`` and ``path`` included."""
    family: str = ""
    """The kind of input at fault, as Node's ``error.family``: ``"plan"``,
    ``"calendar"``, ``"canary"``, ``"change"``, ``"release"``, ``"environment"``,
    ``"delivery"``, or ``"internal"``; one per class below."""
    cycle: list[str] | None = None
    """For ``dependency_cycle``: one cycle, starting and ending with the same id."""
    members: list[str] | None = None
    """For ``dependency_cycle``: every id caught in a cycle, sorted."""

    def __init__(self, message: str, details: Mapping[str, Any] | None = None) -> None:
        super().__init__(message)
        self.details = dict(details or {})
        self.code = str(self.details.get("code", "internal"))
        self.path = str(self.details.get("path", ""))
        for key, value in self.details.items():
            if key not in ("code", "path", "details", "args"):
                setattr(self, key, value)


class InvalidPlanError(RollgateError, ValueError):
    """The release plan (or a request against it) is malformed or inconsistent."""

    family = "plan"


class InvalidCalendarError(RollgateError, ValueError):
    """A release calendar, time zone or timestamp is malformed, or no allowed
    time exists for the request (codes: invalid_time_zone, invalid_window,
    invalid_timestamp, window_too_short, no_window_within_horizon)."""

    family = "calendar"


class InvalidCanaryError(RollgateError, ValueError):
    """Canary analysis input is malformed: a metric configuration
    (``invalid_config``), a sample (``invalid_sample``, with ``metric`` and
    ``index``), a count (``invalid_count``), a metric the configuration does
    not name (``unknown_metric``), or too little data for a kernel
    (``insufficient_data``)."""

    family = "canary"

    metric: str | None = None
    """For ``invalid_sample`` and ``unknown_metric``: the metric's name."""
    index: int | None = None
    """For ``invalid_sample``: the position of the value in its sample."""


class InvalidChangeError(RollgateError, ValueError):
    """A change, outcome history, risk model, governance policy or change-log
    record cannot be evaluated (negative size, approval before creation,
    unknown compliance tag, unknown risk factor, too little history, tampered
    log tail, ...)."""

    family = "change"


class InvalidReleaseError(RollgateError, ValueError):
    """A release being driven cannot take this input: an event that does not
    fit the release (``invalid_event``), a stored state of another plan or
    version (``incompatible_state``), a template placeholder without a value
    (``unknown_placeholder``, with ``placeholder``)."""

    family = "release"

    event: str | None = None
    """For ``invalid_event``: the event's ``type``."""
    placeholder: str | None = None
    """For ``unknown_placeholder``: the placeholder's name."""


class InvalidEnvironmentError(RollgateError, ValueError):
    """Environment specs, a promotion path, migration histories, an access
    request or a teardown policy name an environment that is not defined
    (``unknown_environment``, with ``environment``)."""

    family = "environment"

    environment: str | None = None
    """For ``unknown_environment``: the id that does not exist."""


class InvalidDeliveryError(RollgateError, ValueError):
    """Deployment or incident records, delivery-metrics options, a maturity
    checklist or a feature flag cannot be evaluated: a repeated record id
    (``duplicate_record``, with ``id`` and ``first_path``), an incident caused
    by an unknown deployment (``unknown_deployment``, with ``deployment``), a
    report year without a tier table (``unknown_report_year``, with ``year``
    and ``known``), a rollout percentage that is not a whole number from 0 to
    100 (``invalid_percentage``), or an unknown practice (``unknown_field``).
    Timestamps out of order are :class:`InvalidCalendarError`
    (``invalid_timestamp``)."""

    family = "delivery"

    deployment: str | None = None
    """For ``unknown_deployment``: the id that does not exist."""
    year: int | None = None
    """For ``unknown_report_year``: the year as given."""
    known: list[int] | None = None
    """For ``unknown_report_year``: the years with a tier table."""


class InternalError(RollgateError):
    """rollgate failed on input it should have handled (code ``internal_error``).

    A bug in rollgate, caught at the boundary: the process keeps running and
    this exception can be caught like any other. Please report it with the
    input that caused it."""

    family = "internal"
