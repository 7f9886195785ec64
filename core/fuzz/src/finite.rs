//! A serde serializer that checks numbers instead of writing them.
//!
//! `serde_json` writes a NaN or an infinity as `null`, which hides exactly
//! what the fuzz targets look for: every number rollgate returns must be
//! finite (an unbounded side is `None`, never an infinity). This serializer
//! walks any result and reports the first non-finite `f64`/`f32`, with the
//! path where it sits, and the first value outside its documented range for
//! fields whose name says they are probabilities.

use std::fmt;

use serde::ser::{self, Serialize};

/// Struct fields that hold a probability or a share: always in [0, 1].
const UNIT_INTERVAL: &[&str] = &[
    "p_value",
    "adjusted_p_value",
    "probability",
    "proportion_x",
    "proportion_y",
    "achieved_confidence",
    "failure_rate",
    "mean_probability",
    "brier",
    "brier_reference",
    "auc",
    "gated_share",
    "caught_share",
];

/// What was wrong with a number, and where.
#[derive(Debug)]
pub struct Problem(pub String);

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Problem {}

impl ser::Error for Problem {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Problem(format!("serialisation failed: {msg}"))
    }
}

/// Walks `value` and returns the first number that is not finite, or a
/// probability field outside [0, 1], as `Err(path: message)`. Also fails if
/// the value cannot be serialised at all.
pub fn check_numbers<T: Serialize + ?Sized>(value: &T) -> Result<(), Problem> {
    let mut checker = Checker { path: Vec::new() };
    value.serialize(&mut checker)
}

struct Checker {
    path: Vec<String>,
}

impl Checker {
    fn number(&self, v: f64) -> Result<(), Problem> {
        let here = || format!("/{}", self.path.join("/"));
        if !v.is_finite() {
            return Err(Problem(format!("{}: non-finite number {v}", here())));
        }
        let field = self.path.last().map(String::as_str).unwrap_or("");
        if UNIT_INTERVAL.contains(&field) && !(0.0..=1.0).contains(&v) {
            return Err(Problem(format!(
                "{}: {field} = {v} is outside [0, 1]",
                here()
            )));
        }
        Ok(())
    }

    fn nested<T: Serialize + ?Sized>(&mut self, key: String, value: &T) -> Result<(), Problem> {
        self.path.push(key);
        let out = value.serialize(&mut *self);
        self.path.pop();
        out
    }
}

/// Serialises sequence elements with their index in the path.
struct Seq<'a> {
    checker: &'a mut Checker,
    index: usize,
}

impl Seq<'_> {
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Problem> {
        let key = self.index.to_string();
        self.index += 1;
        self.checker.nested(key, value)
    }
}

impl<'a> ser::Serializer for &'a mut Checker {
    type Ok = ();
    type Error = Problem;
    type SerializeSeq = Seq<'a>;
    type SerializeTuple = Seq<'a>;
    type SerializeTupleStruct = Seq<'a>;
    type SerializeTupleVariant = Seq<'a>;
    type SerializeMap = Seq<'a>;
    type SerializeStruct = Seq<'a>;
    type SerializeStructVariant = Seq<'a>;

    fn serialize_bool(self, _: bool) -> Result<(), Problem> {
        Ok(())
    }
    fn serialize_i8(self, _: i8) -> Result<(), Problem> {
        Ok(())
    }
    fn serialize_i16(self, _: i16) -> Result<(), Problem> {
        Ok(())
    }
    fn serialize_i32(self, _: i32) -> Result<(), Problem> {
        Ok(())
    }
    fn serialize_i64(self, _: i64) -> Result<(), Problem> {
        Ok(())
    }
    fn serialize_u8(self, _: u8) -> Result<(), Problem> {
        Ok(())
    }
    fn serialize_u16(self, _: u16) -> Result<(), Problem> {
        Ok(())
    }
    fn serialize_u32(self, _: u32) -> Result<(), Problem> {
        Ok(())
    }
    fn serialize_u64(self, _: u64) -> Result<(), Problem> {
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Result<(), Problem> {
        self.number(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<(), Problem> {
        self.number(v)
    }
    fn serialize_char(self, _: char) -> Result<(), Problem> {
        Ok(())
    }
    fn serialize_str(self, _: &str) -> Result<(), Problem> {
        Ok(())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), Problem> {
        Ok(())
    }
    fn serialize_none(self) -> Result<(), Problem> {
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Problem> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Problem> {
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Problem> {
        Ok(())
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
    ) -> Result<(), Problem> {
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Problem> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Problem> {
        self.nested(variant.to_string(), value)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Seq<'a>, Problem> {
        Ok(Seq {
            checker: self,
            index: 0,
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<Seq<'a>, Problem> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Seq<'a>, Problem> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        len: usize,
    ) -> Result<Seq<'a>, Problem> {
        self.serialize_seq(Some(len))
    }
    fn serialize_map(self, len: Option<usize>) -> Result<Seq<'a>, Problem> {
        self.serialize_seq(len)
    }
    fn serialize_struct(self, _: &'static str, len: usize) -> Result<Seq<'a>, Problem> {
        self.serialize_seq(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        len: usize,
    ) -> Result<Seq<'a>, Problem> {
        self.serialize_seq(Some(len))
    }
}

impl ser::SerializeSeq for Seq<'_> {
    type Ok = ();
    type Error = Problem;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Problem> {
        self.element(value)
    }
    fn end(self) -> Result<(), Problem> {
        Ok(())
    }
}

impl ser::SerializeTuple for Seq<'_> {
    type Ok = ();
    type Error = Problem;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Problem> {
        self.element(value)
    }
    fn end(self) -> Result<(), Problem> {
        Ok(())
    }
}

impl ser::SerializeTupleStruct for Seq<'_> {
    type Ok = ();
    type Error = Problem;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Problem> {
        self.element(value)
    }
    fn end(self) -> Result<(), Problem> {
        Ok(())
    }
}

impl ser::SerializeTupleVariant for Seq<'_> {
    type Ok = ();
    type Error = Problem;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Problem> {
        self.element(value)
    }
    fn end(self) -> Result<(), Problem> {
        Ok(())
    }
}

impl ser::SerializeMap for Seq<'_> {
    type Ok = ();
    type Error = Problem;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Problem> {
        key.serialize(&mut *self.checker)
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Problem> {
        self.element(value)
    }
    fn end(self) -> Result<(), Problem> {
        Ok(())
    }
}

impl ser::SerializeStruct for Seq<'_> {
    type Ok = ();
    type Error = Problem;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Problem> {
        self.checker.nested(key.to_string(), value)
    }
    fn end(self) -> Result<(), Problem> {
        Ok(())
    }
}

impl ser::SerializeStructVariant for Seq<'_> {
    type Ok = ();
    type Error = Problem;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Problem> {
        self.checker.nested(key.to_string(), value)
    }
    fn end(self) -> Result<(), Problem> {
        Ok(())
    }
}
