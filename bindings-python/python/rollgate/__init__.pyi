# Type stubs of the rollgate package. One stub module per area of the engine
# (`_graph.pyi`, ...) declares its TypedDicts and functions; this file
# re-exports them. Checked by mypy --strict in tests/run.
from ._explain import *
from ._graph import *
from ._rollout import *
from ._window import *
from .errors import InvalidCalendarError as InvalidCalendarError
from ._verdict import *
from .errors import InvalidCanaryError as InvalidCanaryError
from ._risk import *
from ._release import *
from .errors import InvalidReleaseError as InvalidReleaseError
from .errors import InvalidChangeError as InvalidChangeError
from ._environments import *
from .errors import InvalidEnvironmentError as InvalidEnvironmentError
from ._delivery import *
from .errors import InvalidDeliveryError as InvalidDeliveryError
from .errors import InvalidPlanError as InvalidPlanError
from .errors import InternalError as InternalError
from .errors import RollgateError as RollgateError

# The installed package's version (from the Cargo workspace, via maturin).
__version__: str
