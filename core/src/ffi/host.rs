//! What a binding implements for its host language: reading one host value
//! ([`HostValue`]) and building result values and running the engine
//! ([`Host`]). Everything else — the rules for numbers, strings, holes,
//! limits, caller exceptions and error paths — lives once in this module.

use std::borrow::Cow;

/// What a host value is, as far as the wire format cares.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind<'a> {
    /// `None`, `null`, `undefined`.
    Null,
    /// A boolean.
    Bool(bool),
    /// An integer of the host (Python `int`, JS `BigInt`) in the `i64` range.
    Int(i64),
    /// An integer of the host above `i64::MAX` that fits a `u64`.
    UInt(u64),
    /// A floating-point number (every JS number, a Python `float`, or a
    /// Python `int` beyond the 64-bit range, rounded): read by
    /// the number rule of the binding layer (an integer only when exactly one).
    Number(f64),
    /// A string, valid Unicode.
    Str(Cow<'a, str>),
    /// A list of this many elements (Python `list`/`tuple`, JS `Array`).
    List(usize),
    /// A map of this many entries (Python `dict`/`Mapping`, JS object); the
    /// count may be a hint only (a Mapping's `__len__`).
    Map(usize),
    /// A one-dimensional contiguous numeric buffer of this many numbers
    /// (numpy arrays, `array('d')`, JS typed arrays), read in one go.
    Numbers(usize),
    /// Anything else, by the host's name for its type.
    Other(String),
}

/// A host value that could not be read: a caller exception (a throwing
/// getter, a Mapping whose `__getitem__` raises), a lone surrogate, a hole in
/// a sparse array, a strided view. Reported as `invalid_input` at the
/// value's path, with the host exception attached as the cause.
#[derive(Debug)]
pub struct Fault<C> {
    /// What went wrong, as a sentence fragment naming the problem.
    pub message: String,
    /// The host exception behind it, if the caller's code raised one.
    pub cause: Option<C>,
}

impl<C> Fault<C> {
    /// A fault without a host exception.
    ///
    /// ```
    /// let fault = rollgate::ffi::Fault::<()>::new("a hole in a sparse array");
    /// assert!(fault.cause.is_none());
    /// ```
    pub fn new(message: impl Into<String>) -> Self {
        Fault {
            message: message.into(),
            cause: None,
        }
    }

    /// A fault raised by the caller's own code (`exception` describes it).
    ///
    /// ```
    /// let fault = rollgate::ffi::Fault::raised("ValueError: boom", 7);
    /// assert_eq!((fault.message.as_str(), fault.cause), ("reading it raised ValueError: boom", Some(7)));
    /// ```
    pub fn raised(exception: impl std::fmt::Display, cause: C) -> Self {
        Fault {
            message: format!("reading it raised {exception}"),
            cause: Some(cause),
        }
    }
}

/// The result of reading part of a host value.
pub type Read<T, C> = std::result::Result<T, Fault<C>>;

/// One value handed over by the host, read in place (no JSON in between).
pub trait HostValue: Sized + Clone {
    /// The host's exception type, attached to `invalid_input` as its cause.
    type Cause;
    /// A map key as the host gives it.
    type Key;
    /// The entries of a map: each key with its value, or the fault met
    /// fetching that value.
    type Entries: Iterator<Item = Read<(Self::Key, Read<Self, Self::Cause>), Self::Cause>>;

    /// What this value is; strings that are not valid Unicode, and caller
    /// exceptions raised while looking, are faults.
    fn kind(&self) -> Read<Kind<'_>, Self::Cause>;
    /// Whether this is `None` / `null` / `undefined` (cheaper than [`kind`](Self::kind)).
    fn is_null(&self) -> Read<bool, Self::Cause>;
    /// What a map key is (a string, unless the host allows others).
    fn key_kind(key: &Self::Key) -> Read<Kind<'_>, Self::Cause>;
    /// Element `i` of a [`Kind::List`]; a hole in a sparse array is a fault.
    fn element(&self, i: usize) -> Read<Self, Self::Cause>;
    /// The entries of a [`Kind::Map`], in the host's order.
    fn entries(&self) -> Read<Self::Entries, Self::Cause>;
    /// The numbers of a [`Kind::Numbers`] buffer.
    fn numbers(&self) -> Read<Vec<f64>, Self::Cause>;
}

/// The host side of a call: building result values and running the engine.
pub trait Host {
    /// A host value (the argument type).
    type Value: HostValue<Cause = Self::Cause>;
    /// The host's exception type.
    type Cause;
    /// A result value of the host.
    type Out: Clone;
    /// A map under construction.
    type Map;
    /// The host's own failure while building a result (out of memory).
    type Error: std::fmt::Debug;

    /// Runs the engine: Python releases the GIL around it.
    fn detach<R: Send>(&self, f: impl FnOnce() -> R + Send) -> R;
    /// `None` / `null`.
    fn null(&self) -> Result<Self::Out, Self::Error>;
    /// A boolean.
    fn bool(&self, v: bool) -> Result<Self::Out, Self::Error>;
    /// An integer (a JS number: exact up to 2^53).
    fn int(&self, v: i128) -> Result<Self::Out, Self::Error>;
    /// A floating-point number.
    fn float(&self, v: f64) -> Result<Self::Out, Self::Error>;
    /// A string.
    fn str(&self, v: &str) -> Result<Self::Out, Self::Error>;
    /// A list of these items.
    fn list(&self, items: Vec<Self::Out>) -> Result<Self::Out, Self::Error>;
    /// A new, empty map expecting about `len` entries.
    fn map(&self, len: usize) -> Result<Self::Map, Self::Error>;
    /// Sets one entry of a map.
    fn set(&self, map: &mut Self::Map, key: Self::Out, value: Self::Out)
        -> Result<(), Self::Error>;
    /// The finished map as a value.
    fn finish(&self, map: Self::Map) -> Result<Self::Out, Self::Error>;
}
