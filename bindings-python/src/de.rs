//! A serde `Deserializer` over Python objects that reads them exactly as
//! `serde_json::Value` reads JSON, so a document means (and fails) the same in
//! Python as in Rust and Node.
//!
//! Why not pythonize's deserializer alone: it treats any `Sequence` as a list,
//! so a `str` where a list of ids belongs (`"depends_on": "db"`) would be read
//! as `["d", "b"]` instead of being rejected. Here only `list` and `tuple`
//! (and float64 buffers such as numpy arrays, read without a Python-level
//! loop) are sequences; only `dict` and other mappings are maps; every
//! `deserialize_*` hint is answered from the object's real type, as
//! `serde_json::Value` does.

use pyo3::buffer::PyBuffer;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyMapping, PyString, PyTuple};
use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, IntoDeserializer, MapAccess, SeqAccess,
    Unexpected, VariantAccess, Visitor,
};

use crate::serde_error::Error;

/// Deserializer over one Python object.
pub struct PyDe<'a, 'py>(pub &'a Bound<'py, PyAny>);

fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "object".into())
}

impl<'de> Deserializer<'de> for PyDe<'_, '_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let obj = self.0;
        if obj.is_none() {
            return visitor.visit_unit();
        }
        if let Ok(b) = obj.cast::<PyBool>() {
            return visitor.visit_bool(b.is_true());
        }
        if let Ok(i) = obj.cast::<PyInt>() {
            if let Ok(v) = i.extract::<i64>() {
                return visitor.visit_i64(v);
            }
            if let Ok(v) = i.extract::<u64>() {
                return visitor.visit_u64(v);
            }
            let v: f64 = i.extract()?;
            return visitor.visit_f64(v);
        }
        if let Ok(f) = obj.cast::<PyFloat>() {
            return visitor.visit_f64(f.value());
        }
        if let Ok(s) = obj.cast::<PyString>() {
            return visitor.visit_str(&s.to_cow()?);
        }
        if let Ok(list) = obj.cast::<PyList>() {
            return visitor.visit_seq(ListAccess {
                items: list.iter().collect::<Vec<_>>().into_iter(),
            });
        }
        if let Ok(tuple) = obj.cast::<PyTuple>() {
            return visitor.visit_seq(ListAccess {
                items: tuple.iter().collect::<Vec<_>>().into_iter(),
            });
        }
        if let Ok(dict) = obj.cast::<PyDict>() {
            let items: Vec<(Bound<'_, PyAny>, Bound<'_, PyAny>)> = dict.iter().collect();
            return visitor.visit_map(DictAccess {
                items: items.into_iter(),
                value: None,
            });
        }
        if let Ok(mapping) = obj.cast::<PyMapping>() {
            let items: Vec<(Bound<'_, PyAny>, Bound<'_, PyAny>)> = mapping
                .items()?
                .iter()
                .map(|pair| pair.extract::<(Bound<'_, PyAny>, Bound<'_, PyAny>)>())
                .collect::<PyResult<_>>()?;
            return visitor.visit_map(DictAccess {
                items: items.into_iter(),
                value: None,
            });
        }
        // Numeric scalars that are not int/float subclasses (numpy.int64,
        // numpy.float32, Decimal, ...): integers by __index__, others by __float__.
        if obj.hasattr("__index__").unwrap_or(false) {
            if let Ok(v) = obj.extract::<i64>() {
                return visitor.visit_i64(v);
            }
        }
        if obj.hasattr("__float__").unwrap_or(false) && !obj.hasattr("__len__").unwrap_or(true) {
            if let Ok(v) = obj.extract::<f64>() {
                return visitor.visit_f64(v);
            }
        }
        // numpy arrays, array('d'), memoryviews of float64: read in Rust,
        // no per-element Python call.
        if let Ok(buffer) = PyBuffer::<f64>::get(obj) {
            let values = buffer.to_vec(obj.py())?;
            return visitor.visit_seq(F64Access {
                values: values.into_iter(),
            });
        }
        if let Ok(buffer) = PyBuffer::<i64>::get(obj) {
            let values: Vec<f64> = buffer
                .to_vec(obj.py())?
                .into_iter()
                .map(|v| v as f64)
                .collect();
            return visitor.visit_seq(F64Access {
                values: values.into_iter(),
            });
        }
        Err(de::Error::invalid_type(
            Unexpected::Other(&format!("Python object of type {}", type_name(obj))),
            &visitor,
        ))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.0.is_none() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        let obj = self.0;
        if let Ok(s) = obj.cast::<PyString>() {
            let variant = s.to_cow()?.into_owned();
            return visitor.visit_enum(variant.into_deserializer());
        }
        if let Ok(dict) = obj.cast::<PyDict>() {
            if dict.len() == 1 {
                if let Some((key, value)) = dict.iter().next() {
                    return visitor.visit_enum(Enum { key, value });
                }
            }
            return Err(de::Error::invalid_value(
                Unexpected::Map,
                &"a map with a single key",
            ));
        }
        Err(de::Error::invalid_type(
            Unexpected::Other(&type_name(obj)),
            &"a string or a map with a single key",
        ))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map struct
        identifier ignored_any
    }
}

struct ListAccess<'py> {
    items: std::vec::IntoIter<Bound<'py, PyAny>>,
}

impl<'de> SeqAccess<'de> for ListAccess<'_> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        match self.items.next() {
            Some(item) => seed.deserialize(PyDe(&item)).map(Some),
            None => Ok(None),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

struct F64Access {
    values: std::vec::IntoIter<f64>,
}

impl<'de> SeqAccess<'de> for F64Access {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        match self.values.next() {
            Some(v) => seed.deserialize(v.into_deserializer()).map(Some),
            None => Ok(None),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.values.len())
    }
}

struct DictAccess<'py> {
    items: std::vec::IntoIter<(Bound<'py, PyAny>, Bound<'py, PyAny>)>,
    value: Option<Bound<'py, PyAny>>,
}

impl<'de> MapAccess<'de> for DictAccess<'_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        match self.items.next() {
            Some((key, value)) => {
                self.value = Some(value);
                let key = key.cast::<PyString>().map_err(|_| {
                    Error(format!(
                        "invalid type: map key of type {}, expected a string",
                        type_name(&key)
                    ))
                })?;
                seed.deserialize(PyDe(key.as_any())).map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        match self.value.take() {
            Some(value) => seed.deserialize(PyDe(&value)),
            None => Err(Error("value requested before key".into())),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

struct Enum<'py> {
    key: Bound<'py, PyAny>,
    value: Bound<'py, PyAny>,
}

impl<'de, 'py> EnumAccess<'de> for Enum<'py> {
    type Error = Error;
    type Variant = Variant<'py>;

    fn variant_seed<S: DeserializeSeed<'de>>(
        self,
        seed: S,
    ) -> Result<(S::Value, Variant<'py>), Error> {
        let variant = seed.deserialize(PyDe(&self.key))?;
        Ok((variant, Variant(self.value)))
    }
}

struct Variant<'py>(Bound<'py, PyAny>);

impl<'de> VariantAccess<'de> for Variant<'_> {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        if self.0.is_none() {
            Ok(())
        } else {
            Err(de::Error::invalid_type(Unexpected::Map, &"a unit variant"))
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        seed.deserialize(PyDe(&self.0))
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        PyDe(&self.0).deserialize_any(visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        PyDe(&self.0).deserialize_any(visitor)
    }
}
