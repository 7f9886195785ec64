//! One serde `Serializer` into any [`Host`]: how every binding builds every
//! result, in the canonical JSON shape (structs and maps as dicts/objects,
//! sequences as lists/arrays, unit variants as strings).
//!
//! Field names are `&'static str`: each becomes a host string once per call
//! and is shared by every record that has it (a result of 100,000 timing
//! records needs six key strings, not 600,000); lists are built in one go
//! from their items.

use std::cell::RefCell;
use std::fmt;

use serde::ser::{self, Serialize};

use super::host::Host;

/// A failure while building a result: the host's own (out of memory), or a
/// value the canonical shape cannot hold.
#[derive(Debug)]
pub enum Error<E> {
    /// The host failed.
    Host(E),
    /// Serde reported a problem with a value.
    Custom(String),
}

impl<E> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Host(_) => f.write_str("the host failed while building the result"),
            Error::Custom(message) => f.write_str(message),
        }
    }
}

impl<E: fmt::Debug> std::error::Error for Error<E> {}

impl<E: fmt::Debug> ser::Error for Error<E> {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error::Custom(msg.to_string())
    }
}

/// Converts a value into host values.
///
/// ```
/// use rollgate::ffi::{to_host, JsonHost};
/// let out = to_host(&JsonHost::new(), &rollgate::DurationSecs(90)).unwrap();
/// assert_eq!(out, serde_json::json!(90));
/// ```
pub fn to_host<H: Host, T: Serialize + ?Sized>(
    host: &H,
    value: &T,
) -> Result<H::Out, Error<H::Error>> {
    let keys = RefCell::new(Vec::new());
    value.serialize(Ser { host, keys: &keys })
}

/// Field names made so far in this conversion, by the address of their text
/// (a result names a few dozen fields at most: a short list is fastest).
type Keys<O> = RefCell<Vec<(usize, O)>>;

struct Ser<'a, H: Host> {
    host: &'a H,
    keys: &'a Keys<H::Out>,
}

impl<H: Host> Clone for Ser<'_, H> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<H: Host> Copy for Ser<'_, H> {}

impl<H: Host> Ser<'_, H> {
    fn key(&self, name: &'static str) -> Result<H::Out, Error<H::Error>> {
        let address = name.as_ptr() as usize;
        if let Some((_, key)) = self.keys.borrow().iter().find(|(a, _)| *a == address) {
            return Ok(key.clone());
        }
        let key = self.host.str(name).map_err(Error::Host)?;
        self.keys.borrow_mut().push((address, key.clone()));
        Ok(key)
    }

    fn wrap(&self, variant: &'static str, value: H::Out) -> Result<H::Out, Error<H::Error>> {
        let mut map = self.host.map(1).map_err(Error::Host)?;
        self.host
            .set(&mut map, self.key(variant)?, value)
            .map_err(Error::Host)?;
        self.host.finish(map).map_err(Error::Host)
    }
}

macro_rules! scalar {
    ($($method:ident($ty:ty) => $via:ident $(as $cast:ty)?;)*) => {
        $(
            fn $method(self, v: $ty) -> Result<H::Out, Error<H::Error>> {
                self.host.$via(v $(as $cast)?).map_err(Error::Host)
            }
        )*
    };
}

impl<'a, H: Host> ser::Serializer for Ser<'a, H> {
    type Ok = H::Out;
    type Error = Error<H::Error>;
    type SerializeSeq = Seq<'a, H>;
    type SerializeTuple = Seq<'a, H>;
    type SerializeTupleStruct = Seq<'a, H>;
    type SerializeTupleVariant = Seq<'a, H>;
    type SerializeMap = Map<'a, H>;
    type SerializeStruct = Map<'a, H>;
    type SerializeStructVariant = Map<'a, H>;

    scalar! {
        serialize_bool(bool) => bool;
        serialize_i8(i8) => int as i128;
        serialize_i16(i16) => int as i128;
        serialize_i32(i32) => int as i128;
        serialize_i64(i64) => int as i128;
        serialize_i128(i128) => int;
        serialize_u8(u8) => int as i128;
        serialize_u16(u16) => int as i128;
        serialize_u32(u32) => int as i128;
        serialize_u64(u64) => int as i128;
        serialize_f32(f32) => float as f64;
        serialize_f64(f64) => float;
        serialize_str(&str) => str;
    }

    fn serialize_u128(self, v: u128) -> Result<H::Out, Self::Error> {
        match i128::try_from(v) {
            Ok(v) => self.host.int(v).map_err(Error::Host),
            Err(_) => self.host.float(v as f64).map_err(Error::Host),
        }
    }

    fn serialize_char(self, v: char) -> Result<H::Out, Self::Error> {
        self.host
            .str(v.encode_utf8(&mut [0; 4]))
            .map_err(Error::Host)
    }

    fn serialize_bytes(self, v: &[u8]) -> Result<H::Out, Self::Error> {
        let items = v
            .iter()
            .map(|b| self.host.int(i128::from(*b)))
            .collect::<Result<Vec<_>, _>>()
            .map_err(Error::Host)?;
        self.host.list(items).map_err(Error::Host)
    }

    fn serialize_none(self) -> Result<H::Out, Self::Error> {
        self.host.null().map_err(Error::Host)
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<H::Out, Self::Error> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<H::Out, Self::Error> {
        self.serialize_none()
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<H::Out, Self::Error> {
        self.serialize_none()
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<H::Out, Self::Error> {
        self.key(variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<H::Out, Self::Error> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<H::Out, Self::Error> {
        let value = value.serialize(self)?;
        self.wrap(variant, value)
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<Seq<'a, H>, Self::Error> {
        Ok(Seq {
            ser: self,
            items: Vec::with_capacity(len.unwrap_or(0)),
            variant: None,
        })
    }

    fn serialize_tuple(self, len: usize) -> Result<Seq<'a, H>, Self::Error> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<Seq<'a, H>, Self::Error> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Seq<'a, H>, Self::Error> {
        let mut seq = self.serialize_seq(Some(len))?;
        seq.variant = Some(variant);
        Ok(seq)
    }

    fn serialize_map(self, len: Option<usize>) -> Result<Map<'a, H>, Self::Error> {
        Ok(Map {
            ser: self,
            map: self.host.map(len.unwrap_or(0)).map_err(Error::Host)?,
            key: None,
            variant: None,
        })
    }

    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<Map<'a, H>, Self::Error> {
        self.serialize_map(Some(len))
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Map<'a, H>, Self::Error> {
        let mut map = self.serialize_map(Some(len))?;
        map.variant = Some(variant);
        Ok(map)
    }
}

struct Seq<'a, H: Host> {
    ser: Ser<'a, H>,
    items: Vec<H::Out>,
    variant: Option<&'static str>,
}

impl<H: Host> Seq<'_, H> {
    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error<H::Error>> {
        self.items.push(value.serialize(self.ser)?);
        Ok(())
    }

    fn done(self) -> Result<H::Out, Error<H::Error>> {
        let list = self.ser.host.list(self.items).map_err(Error::Host)?;
        match self.variant {
            Some(variant) => self.ser.wrap(variant, list),
            None => Ok(list),
        }
    }
}

macro_rules! seq_impl {
    ($($trait:ident :: $method:ident),*) => {
        $(
            impl<H: Host> ser::$trait for Seq<'_, H>
            {
                type Ok = H::Out;
                type Error = Error<H::Error>;

                fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Self::Error> {
                    self.push(value)
                }

                fn end(self) -> Result<H::Out, Self::Error> {
                    self.done()
                }
            }
        )*
    };
}

seq_impl!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

struct Map<'a, H: Host> {
    ser: Ser<'a, H>,
    map: H::Map,
    key: Option<H::Out>,
    variant: Option<&'static str>,
}

impl<H: Host> Map<'_, H> {
    fn field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error<H::Error>> {
        let key = self.ser.key(key)?;
        let value = value.serialize(self.ser)?;
        self.ser
            .host
            .set(&mut self.map, key, value)
            .map_err(Error::Host)
    }

    fn done(self) -> Result<H::Out, Error<H::Error>> {
        let map = self.ser.host.finish(self.map).map_err(Error::Host)?;
        match self.variant {
            Some(variant) => self.ser.wrap(variant, map),
            None => Ok(map),
        }
    }
}

impl<H: Host> ser::SerializeMap for Map<'_, H> {
    type Ok = H::Out;
    type Error = Error<H::Error>;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Self::Error> {
        self.key = Some(key.serialize(self.ser)?);
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Self::Error> {
        let key = self
            .key
            .take()
            .ok_or_else(|| Error::Custom("a map value came before its key".into()))?;
        let value = value.serialize(self.ser)?;
        self.ser
            .host
            .set(&mut self.map, key, value)
            .map_err(Error::Host)
    }

    fn end(self) -> Result<H::Out, Self::Error> {
        self.done()
    }
}

macro_rules! struct_impl {
    ($($trait:ident),*) => {
        $(
            impl<H: Host> ser::$trait for Map<'_, H>
            {
                type Ok = H::Out;
                type Error = Error<H::Error>;

                fn serialize_field<T: Serialize + ?Sized>(
                    &mut self,
                    key: &'static str,
                    value: &T,
                ) -> Result<(), Self::Error> {
                    self.field(key, value)
                }

                fn end(self) -> Result<H::Out, Self::Error> {
                    self.done()
                }
            }
        )*
    };
}

struct_impl!(SerializeStruct, SerializeStructVariant);
