//! Python bindings of rollgate: converts Python values to the canonical
//! wire types and back, maps errors to `rollgate.errors` exceptions, and holds
//! no decision logic of its own. One module per area of the engine; each
//! registers its functions on the native module.

mod convert;
mod de;
mod delivery;
mod graph;
mod risk;
mod rollout;
mod ser;
mod serde_error;
mod verdict;
mod window;

use pyo3::prelude::*;

/// The native module; the public API is re-exported by the `rollgate` package.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    graph::register(m)?;
    window::register(m)?;
    rollout::register(m)?;
    verdict::register(m)?;
    risk::register(m)?;
    delivery::register(m)?;
    Ok(())
}
