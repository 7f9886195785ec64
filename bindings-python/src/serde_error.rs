//! The error of the binding's own serde reader ([`crate::de`]) and writer
//! ([`crate::ser`]): a message only; paths are tracked by
//! `rollgate::wire::from_deserializer`.

use std::fmt;

use pyo3::PyErr;

/// A (de)serialisation error at the Python edge.
#[derive(Debug)]
pub struct Error(pub(crate) String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl serde::de::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error(msg.to_string())
    }
}

impl serde::ser::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error(msg.to_string())
    }
}

impl From<PyErr> for Error {
    fn from(err: PyErr) -> Self {
        Error(err.to_string())
    }
}
