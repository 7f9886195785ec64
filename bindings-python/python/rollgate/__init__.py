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

# No `from __future__ import annotations` here: it would bind `annotations`
# as a public name of the package (tests/test_package.py checks the names).
from importlib import metadata as _metadata

from . import _native
from . import errors as _errors
from ._native import *  # noqa: F401,F403  (every public function lives in the native module)
from .errors import *  # noqa: F401,F403

#: The installed package's version. maturin takes it from the Cargo workspace
#: (`version` in the top-level Cargo.toml), the one place it is written.
__version__: str = _metadata.version("rollgate")

__all__ = [name for name in dir(_native) if not name.startswith("_")] + list(_errors.__all__)
