# Type stubs of the rollgate package. The document types (TypedDicts) are
# generated from the JSON Schemas into `_types.pyi`; one stub module per area
# of the engine (`_graph.pyi`, ...) declares its functions. This file
# re-exports them. Checked by mypy --strict in tests/run.
from ._types import *
from ._graph import *
from ._rollout import *
from ._window import *
from ._verdict import *
from ._risk import *
from ._release import *
from ._environments import *
from ._delivery import *
from .errors import InvalidCalendarError as InvalidCalendarError
from .errors import InvalidCanaryError as InvalidCanaryError
from .errors import InvalidChangeError as InvalidChangeError
from .errors import InvalidEnvironmentError as InvalidEnvironmentError
from .errors import InvalidDeliveryError as InvalidDeliveryError
from .errors import InvalidPlanError as InvalidPlanError
from .errors import InvalidReleaseError as InvalidReleaseError
from .errors import InternalError as InternalError
from .errors import RollgateError as RollgateError

# The installed package's version (from the Cargo workspace, via maturin).
__version__: str
