"""rollgate: a pure, explainable release decision engine.

Functions take and return plain dicts and lists in rollgate's canonical JSON
shape (snake_case keys, durations as ``"90s"``/``"1h30m"`` or seconds on input
and seconds on output). Errors are :class:`rollgate.RollgateError` subclasses
with ``.code`` and ``.path``.

>>> import rollgate
>>> plan = {"name": "p", "services": [{"id": "db"}, {"id": "api", "depends_on": ["db"]}]}
>>> rollgate.order_services(plan)["waves"]
[['db'], ['api']]
"""

from __future__ import annotations

from ._native import blast_radius, order_services, schedule_services
from .errors import InvalidPlanError, RollgateError

__all__ = [
    "RollgateError",
    "InvalidPlanError",
    "order_services",
    "blast_radius",
    "schedule_services",
]
