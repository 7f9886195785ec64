//! One serde `Deserializer` over any [`HostValue`]: how every binding reads
//! every argument, so that a document means — and fails — the same in Python
//! and Node as in Rust.
//!
//! The rules, applied while reading (the first bad value ends the read):
//! - numbers follow [`visit_number`]: a float is an integer only when it is
//!   one exactly, so `1e-20` stays `1e-20` and `1e20` is not clamped;
//! - strings are never sequences; only lists, tuples and numeric buffers are;
//! - a list holding more items than the visitor reads is an error (a
//!   `[f64; 2]` given three values), as `serde_json` does;
//! - no list, map or buffer may exceed [`MAX_ITEMS`], and one argument may not
//!   hold more than [`MAX_VALUES`] values in all: checked before anything is
//!   allocated for them;
//! - a host value that cannot be read ([`Fault`]) ends the read and is kept
//!   in the [`Ctx`] so the caller can report it as `invalid_input` with its
//!   cause.

use std::cell::{Cell, RefCell};
use std::fmt;
use std::marker::PhantomData;

use serde::de::value::StrDeserializer;
use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, IntoDeserializer, MapAccess, SeqAccess,
    Unexpected, VariantAccess, Visitor,
};

use super::host::{Fault, HostValue, Kind, Read};
use super::limits::{MAX_ITEMS, MAX_VALUES};

/// Visits a floating-point host number: as an integer when it is exactly one
/// (integral, not `-0.0`, within the `i64` or `u64` range), otherwise as an
/// `f64`. JS numbers and Python floats alike, so `3` and `3.0` mean the same
/// in every language, and nothing is rounded or clamped (tests in
/// `ffi/tests.rs`).
pub fn visit_number<'de, V: Visitor<'de>, E: de::Error>(v: f64, visitor: V) -> Result<V::Value, E> {
    // 2^63 and 2^64 are exact as f64; every integral f64 below them converts exactly.
    const I64_END: f64 = 9_223_372_036_854_775_808.0;
    const U64_END: f64 = 18_446_744_073_709_551_616.0;
    if v.fract() == 0.0 && !(v == 0.0 && v.is_sign_negative()) {
        if (-I64_END..I64_END).contains(&v) {
            return visitor.visit_i64(v as i64);
        }
        if (0.0..U64_END).contains(&v) {
            return visitor.visit_u64(v as u64);
        }
    }
    visitor.visit_f64(v)
}

/// A deserializer of one number read by [`visit_number`]'s rule.
#[derive(Debug, Clone, Copy)]
pub struct NumberDe<E = de::value::Error> {
    value: f64,
    error: PhantomData<E>,
}

impl<E> NumberDe<E> {
    /// The deserializer of `value`.
    pub fn new(value: f64) -> Self {
        NumberDe {
            value,
            error: PhantomData,
        }
    }
}

impl<'de, E: de::Error> Deserializer<'de> for NumberDe<E> {
    type Error = E;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visit_number(self.value, visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, E> {
        visitor.visit_newtype_struct(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
        byte_buf unit unit_struct seq tuple tuple_struct map struct enum identifier
        ignored_any
    }
}

/// The state of one argument's read: the fault that ended it, if any, and
/// the values left in its budget.
pub struct Ctx<C> {
    fault: RefCell<Option<Fault<C>>>,
    budget: Cell<usize>,
    limit: usize,
}

impl<C> Default for Ctx<C> {
    fn default() -> Self {
        Ctx::with_budget(MAX_VALUES)
    }
}

impl<C> Ctx<C> {
    /// A read of at most `limit` values ([`MAX_VALUES`] by default).
    pub fn with_budget(limit: usize) -> Self {
        Ctx {
            fault: RefCell::new(None),
            budget: Cell::new(limit),
            limit,
        }
    }

    /// Starts a new pass over the same argument: no fault, a full budget.
    pub fn reset(&self) {
        self.fault.replace(None);
        self.budget.set(self.limit);
    }

    /// The fault that ended the last pass, if one did.
    pub fn take_fault(&self) -> Option<Fault<C>> {
        self.fault.take()
    }

    fn fail(&self, fault: Fault<C>) -> Error {
        let err = Error(fault.message.clone());
        self.fault.replace(Some(fault));
        err
    }

    fn spend(&self, n: usize) -> Result<(), Error> {
        match self.budget.get().checked_sub(n) {
            Some(left) => {
                self.budget.set(left);
                Ok(())
            }
            None => Err(self.fail(Fault::new(format!(
                "one argument may hold at most {} values in all",
                self.limit
            )))),
        }
    }

    /// Checks a container's length before any of it is read: its items
    /// will each be spent from the budget as they are read.
    fn check_len(&self, len: usize, what: &str) -> Result<(), Error> {
        if len > MAX_ITEMS {
            return Err(self.fail(Fault::new(format!(
                "{what} of {len} items is longer than the limit of {MAX_ITEMS}"
            ))));
        }
        if len > self.budget.get() {
            return self.spend(len);
        }
        Ok(())
    }
}

/// A reading error: a message only; `wire` tracks the path.
#[derive(Debug)]
pub struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error(msg.to_string())
    }
}

/// The deserializer over one host value.
pub struct De<'c, T: HostValue> {
    /// The argument's read state.
    pub ctx: &'c Ctx<T::Cause>,
    /// The value.
    pub value: T,
}

impl<'c, T: HostValue> De<'c, T> {
    fn kind(&self) -> Result<Kind<'_>, Error> {
        self.value.kind().map_err(|f| self.ctx.fail(f))
    }
}

fn faulted<'c, T: HostValue>(ctx: &'c Ctx<T::Cause>, read: Read<T, T::Cause>) -> Child<'c, T> {
    match read {
        Ok(value) => Child::Value(De { ctx, value }),
        Err(fault) => Child::Fault(ctx, fault),
    }
}

/// An element or map value: readable, or the fault met fetching it (reported
/// from inside, so that its path is the element's).
enum Child<'c, T: HostValue> {
    Value(De<'c, T>),
    Fault(&'c Ctx<T::Cause>, Fault<T::Cause>),
}

impl<T: HostValue> Child<'_, T> {
    fn read<'de, S: DeserializeSeed<'de>>(self, seed: S) -> Result<S::Value, Error> {
        match self {
            Child::Value(de) => seed.deserialize(de),
            // Through the seed, so that the error's path names the element.
            Child::Fault(ctx, fault) => seed.deserialize(Faulted(ctx, fault)),
        }
    }
}

/// A value whose reading failed: every request reports the fault.
struct Faulted<'c, C>(&'c Ctx<C>, Fault<C>);

impl<'de, C> Deserializer<'de> for Faulted<'_, C> {
    type Error = Error;

    fn deserialize_any<W: Visitor<'de>>(self, _visitor: W) -> Result<W::Value, Error> {
        Err(self.0.fail(self.1))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
        byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map
        struct enum identifier ignored_any
    }
}

impl<'de, T: HostValue> Deserializer<'de> for De<'_, T> {
    type Error = Error;

    fn deserialize_any<W: Visitor<'de>>(self, visitor: W) -> Result<W::Value, Error> {
        let ctx = self.ctx;
        ctx.spend(1)?;
        match self.kind()? {
            Kind::Null => visitor.visit_unit(),
            Kind::Bool(b) => visitor.visit_bool(b),
            Kind::Int(i) => visitor.visit_i64(i),
            Kind::UInt(u) => visitor.visit_u64(u),
            Kind::Number(v) => visit_number(v, visitor),
            Kind::Str(std::borrow::Cow::Borrowed(s)) => visitor.visit_str(s),
            Kind::Str(std::borrow::Cow::Owned(s)) => visitor.visit_string(s),
            Kind::List(len) => {
                ctx.check_len(len, "a list")?;
                let mut seq = Seq {
                    ctx,
                    list: &self.value,
                    next: 0,
                    len,
                };
                let out = visitor.visit_seq(&mut seq)?;
                if seq.next < len {
                    return Err(de::Error::invalid_length(len, &"fewer elements in array"));
                }
                Ok(out)
            }
            Kind::Map(len) => {
                ctx.check_len(len, "an object")?;
                let entries = self.value.entries().map_err(|f| ctx.fail(f))?;
                visitor.visit_map(Map::<T> {
                    ctx,
                    entries,
                    value: None,
                    count: 0,
                })
            }
            Kind::Numbers(len) => {
                ctx.check_len(len, "a numeric array")?;
                ctx.spend(len)?;
                let values = self.value.numbers().map_err(|f| ctx.fail(f))?;
                let count = values.len();
                let mut seq = Numbers(values.into_iter());
                let out = visitor.visit_seq(&mut seq)?;
                if seq.0.len() > 0 {
                    return Err(de::Error::invalid_length(count, &"fewer elements in array"));
                }
                Ok(out)
            }
            Kind::Other(name) => Err(de::Error::invalid_type(
                Unexpected::Other(&format!("a value of type {name}")),
                &visitor,
            )),
        }
    }

    fn deserialize_option<W: Visitor<'de>>(self, visitor: W) -> Result<W::Value, Error> {
        if self.value.is_null().map_err(|f| self.ctx.fail(f))? {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_newtype_struct<W: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: W,
    ) -> Result<W::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_ignored_any<W: Visitor<'de>>(self, visitor: W) -> Result<W::Value, Error> {
        // Not read at all: nothing is kept, nothing is allocated.
        visitor.visit_unit()
    }

    fn deserialize_enum<W: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: W,
    ) -> Result<W::Value, Error> {
        let ctx = self.ctx;
        ctx.spend(1)?;
        match self.kind()? {
            Kind::Str(s) => visitor.visit_enum(s.into_owned().into_deserializer()),
            Kind::Map(_) => {
                let mut entries = self.value.entries().map_err(|f| ctx.fail(f))?;
                let single = match (entries.next(), entries.next()) {
                    (Some(first), None) => first.map_err(|f| ctx.fail(f))?,
                    _ => {
                        return Err(de::Error::invalid_value(
                            Unexpected::Map,
                            &"a map with a single key",
                        ))
                    }
                };
                visitor.visit_enum(Enum { ctx, entry: single })
            }
            other => Err(de::Error::invalid_type(
                unexpected(&other),
                &"a string or a map with a single key",
            )),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map struct identifier
    }
}

fn unexpected<'a>(kind: &'a Kind<'_>) -> Unexpected<'a> {
    match kind {
        Kind::Null => Unexpected::Unit,
        Kind::Bool(b) => Unexpected::Bool(*b),
        Kind::Int(i) => Unexpected::Signed(*i),
        Kind::UInt(u) => Unexpected::Unsigned(*u),
        Kind::Number(v) => Unexpected::Float(*v),
        Kind::Str(s) => Unexpected::Str(s),
        Kind::List(_) | Kind::Numbers(_) => Unexpected::Seq,
        Kind::Map(_) => Unexpected::Map,
        Kind::Other(name) => Unexpected::Other(name),
    }
}

struct Seq<'a, 'c, T: HostValue> {
    ctx: &'c Ctx<T::Cause>,
    list: &'a T,
    next: usize,
    len: usize,
}

impl<'de, T: HostValue> SeqAccess<'de> for Seq<'_, '_, T> {
    type Error = Error;

    fn next_element_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, Error> {
        if self.next >= self.len {
            return Ok(None);
        }
        let item = self.list.element(self.next);
        self.next += 1;
        faulted(self.ctx, item).read(seed).map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.len - self.next.min(self.len))
    }
}

struct Numbers(std::vec::IntoIter<f64>);

impl<'de> SeqAccess<'de> for Numbers {
    type Error = Error;

    fn next_element_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, Error> {
        match self.0.next() {
            Some(v) => seed.deserialize(NumberDe::new(v)).map(Some),
            None => Ok(None),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

struct Map<'c, T: HostValue> {
    ctx: &'c Ctx<T::Cause>,
    entries: T::Entries,
    value: Option<Read<T, T::Cause>>,
    count: usize,
}

/// Reads a map key: a host string.
fn key<'de, T: HostValue, S: DeserializeSeed<'de>>(
    ctx: &Ctx<T::Cause>,
    key: &T::Key,
    seed: S,
) -> Result<S::Value, Error> {
    match T::key_kind(key).map_err(|f| ctx.fail(f))? {
        Kind::Str(s) => seed.deserialize(StrDeserializer::<Error>::new(&s)),
        other => Err(Error(format!(
            "invalid type: map key {}, expected a string",
            unexpected(&other)
        ))),
    }
}

impl<'de, T: HostValue> MapAccess<'de> for Map<'_, T> {
    type Error = Error;

    fn next_key_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, Error> {
        let Some(entry) = self.entries.next() else {
            return Ok(None);
        };
        let (k, v) = entry.map_err(|f| self.ctx.fail(f))?;
        self.count += 1;
        // A Mapping's `__len__` may lie: count what really comes.
        if self.count > MAX_ITEMS {
            return Err(self.ctx.fail(Fault::new(format!(
                "an object holds more than the limit of {MAX_ITEMS} entries"
            ))));
        }
        self.value = Some(v);
        key::<T, S>(self.ctx, &k, seed).map(Some)
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, Error> {
        match self.value.take() {
            Some(read) => faulted(self.ctx, read).read(seed),
            None => Err(Error("a map value was requested before its key".into())),
        }
    }
}

struct Enum<'c, T: HostValue> {
    ctx: &'c Ctx<T::Cause>,
    entry: (T::Key, Read<T, T::Cause>),
}

impl<'de, 'c, T: HostValue> EnumAccess<'de> for Enum<'c, T> {
    type Error = Error;
    type Variant = Child<'c, T>;

    fn variant_seed<S: DeserializeSeed<'de>>(
        self,
        seed: S,
    ) -> Result<(S::Value, Child<'c, T>), Error> {
        let (k, v) = self.entry;
        let variant = key::<T, S>(self.ctx, &k, seed)?;
        Ok((variant, faulted(self.ctx, v)))
    }
}

impl<'de, T: HostValue> VariantAccess<'de> for Child<'_, T> {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        self.read(PhantomData::<()>)
    }

    fn newtype_variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<S::Value, Error> {
        self.read(seed)
    }

    fn tuple_variant<W: Visitor<'de>>(self, _len: usize, visitor: W) -> Result<W::Value, Error> {
        match self {
            Child::Value(de) => de.deserialize_any(visitor),
            Child::Fault(ctx, fault) => Faulted(ctx, fault).deserialize_any(visitor),
        }
    }

    fn struct_variant<W: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: W,
    ) -> Result<W::Value, Error> {
        self.tuple_variant(0, visitor)
    }
}
