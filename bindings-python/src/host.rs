//! Python objects as a rollgate host: what a value is (read in place, no
//! JSON in between) and how results are built. The rules — numbers,
//! strings, limits, errors — are `rollgate::ffi`'s, shared with Node.
//!
//! Only `list` and `tuple` (and one-dimensional contiguous numeric buffers
//! such as numpy arrays, read in one go) are sequences; only `dict` and other
//! `Mapping`s are maps; a `str` is never a sequence, `bytes` never numbers.

use std::borrow::Cow;
use std::cell::RefCell;

use pyo3::buffer::{ElementType, PyBuffer, PyUntypedBuffer};
use pyo3::prelude::*;
use pyo3::types::{
    PyBool, PyDict, PyFloat, PyInt, PyIterator, PyList, PyMapping, PyString, PyTuple,
};
use pyo3::IntoPyObjectExt;
use rollgate::ffi::{Fault, Host, HostValue, Kind, Read};

/// Building results and running the engine, with the GIL held by `py`.
pub struct PyHost<'py> {
    py: Python<'py>,
    /// The `int`s below [`CACHED_INTS`] made so far in this call, in pages
    /// of [`PAGE`] made on first use (times, counts and sizes repeat a lot
    /// in large results; CPython itself caches only -5..=256).
    ints: RefCell<Vec<Page<'py>>>,
}

/// One page of cached `int`s, made when first needed.
type Page<'py> = Option<Box<[Option<Bound<'py, PyAny>>]>>;

/// The `int`s kept for reuse within a call: `0..CACHED_INTS`.
const CACHED_INTS: usize = 1 << 16;
const PAGE: usize = 256;

impl<'py> PyHost<'py> {
    /// A host for one call.
    pub fn new(py: Python<'py>) -> Self {
        PyHost {
            py,
            ints: RefCell::new(Vec::new()),
        }
    }
}

impl<'py> Host for PyHost<'py> {
    type Value = Obj<'py>;
    type Cause = PyErr;
    type Out = Bound<'py, PyAny>;
    type Map = Bound<'py, PyDict>;
    type Error = PyErr;

    fn detach<R: Send>(&self, f: impl FnOnce() -> R + Send) -> R {
        self.py.detach(f)
    }

    fn null(&self) -> PyResult<Self::Out> {
        Ok(self.py.None().into_bound(self.py))
    }

    fn bool(&self, v: bool) -> PyResult<Self::Out> {
        v.into_bound_py_any(self.py)
    }

    fn int(&self, v: i128) -> PyResult<Self::Out> {
        let Ok(index) = usize::try_from(v) else {
            return v.into_bound_py_any(self.py);
        };
        // CPython keeps its own 0..=256.
        if index <= 256 || index >= CACHED_INTS {
            return v.into_bound_py_any(self.py);
        }
        let mut pages = self.ints.borrow_mut();
        if pages.is_empty() {
            pages.resize_with(CACHED_INTS / PAGE, || None);
        }
        let page = pages.get_mut(index / PAGE).and_then(|p| {
            p.get_or_insert_with(|| vec![None; PAGE].into_boxed_slice())
                .get_mut(index % PAGE)
        });
        match page {
            Some(Some(int)) => Ok(int.clone()),
            Some(slot) => {
                let int = index.into_bound_py_any(self.py)?;
                *slot = Some(int.clone());
                Ok(int)
            }
            None => index.into_bound_py_any(self.py),
        }
    }

    fn float(&self, v: f64) -> PyResult<Self::Out> {
        Ok(PyFloat::new(self.py, v).into_any())
    }

    fn str(&self, v: &str) -> PyResult<Self::Out> {
        Ok(PyString::new(self.py, v).into_any())
    }

    fn list(&self, items: Vec<Self::Out>) -> PyResult<Self::Out> {
        Ok(PyList::new(self.py, items)?.into_any())
    }

    fn map(&self, _len: usize) -> PyResult<Self::Map> {
        Ok(PyDict::new(self.py))
    }

    fn set(&self, map: &mut Self::Map, key: Self::Out, value: Self::Out) -> PyResult<()> {
        map.set_item(key, value)
    }

    fn finish(&self, map: Self::Map) -> PyResult<Self::Out> {
        Ok(map.into_any())
    }
}

/// A caller exception as a fault: `invalid_input`, the exception as its cause.
fn raised(err: PyErr) -> Fault<PyErr> {
    Fault::raised(err.to_string(), err)
}

fn text<'a>(s: &'a Bound<'_, PyString>) -> Read<Kind<'a>, PyErr> {
    s.to_str()
        .map(|s| Kind::Str(Cow::Borrowed(s)))
        .map_err(|_| Fault::new("a string that is not valid Unicode (it holds a lone surrogate)"))
}

fn int(i: &Bound<'_, PyInt>) -> Read<Kind<'static>, PyErr> {
    if let Ok(v) = i.extract::<i64>() {
        return Ok(Kind::Int(v));
    }
    if let Ok(v) = i.extract::<u64>() {
        return Ok(Kind::UInt(v));
    }
    // Beyond 64 bits: the nearest float, as JSON readers do.
    i.extract::<f64>()
        .map(Kind::Number)
        .map_err(|_| Fault::new("an integer too large for a number"))
}

/// What a numeric buffer holds, if it is one rollgate reads as numbers.
fn numeric(buffer: &PyUntypedBuffer) -> bool {
    matches!(
        ElementType::from_format(buffer.format()),
        ElementType::Float { bytes: 4 | 8 }
            | ElementType::SignedInteger { bytes: 4 | 8 }
            | ElementType::UnsignedInteger { bytes: 4 | 8 }
    )
}

/// A buffer's kind: numbers if one-dimensional, contiguous and numeric.
fn buffer(buffer: &PyUntypedBuffer) -> Option<Read<Kind<'static>, PyErr>> {
    if buffer.dimensions() == 0 || !numeric(buffer) {
        return None;
    }
    Some(if buffer.dimensions() > 1 {
        Err(Fault::new(format!(
            "a {}-dimensional array; pass a one-dimensional one",
            buffer.dimensions()
        )))
    } else if !buffer.is_c_contiguous() {
        Err(Fault::new(
            "a strided or broadcast view (stride 0 or a step); pass a contiguous copy, e.g. numpy.ascontiguousarray(x)",
        ))
    } else {
        Ok(Kind::Numbers(buffer.item_count()))
    })
}

fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map_or_else(|_| "object".into(), |n| n.to_string())
}

fn has(obj: &Bound<'_, PyAny>, name: &str) -> bool {
    obj.hasattr(name).unwrap_or(false)
}

/// One Python object handed to rollgate.
#[derive(Clone)]
pub struct Obj<'py>(pub Bound<'py, PyAny>);

impl<'py> HostValue for Obj<'py> {
    type Cause = PyErr;
    type Key = Obj<'py>;
    type Entries = Entries<'py>;

    fn kind(&self) -> Read<Kind<'_>, PyErr> {
        let obj = &self.0;
        // The common exact types first, by type pointer.
        if let Ok(s) = obj.cast_exact::<PyString>() {
            return text(s);
        }
        if let Ok(d) = obj.cast_exact::<PyDict>() {
            return Ok(Kind::Map(d.len()));
        }
        if let Ok(l) = obj.cast_exact::<PyList>() {
            return Ok(Kind::List(l.len()));
        }
        if let Ok(b) = obj.cast::<PyBool>() {
            return Ok(Kind::Bool(b.is_true()));
        }
        if let Ok(i) = obj.cast::<PyInt>() {
            return int(i);
        }
        if let Ok(f) = obj.cast::<PyFloat>() {
            return Ok(Kind::Number(f.value()));
        }
        if obj.is_none() {
            return Ok(Kind::Null);
        }
        if let Ok(s) = obj.cast::<PyString>() {
            return text(s);
        }
        if let Ok(d) = obj.cast::<PyDict>() {
            return Ok(Kind::Map(d.len()));
        }
        if let Ok(l) = obj.cast::<PyList>() {
            return Ok(Kind::List(l.len()));
        }
        if let Ok(t) = obj.cast::<PyTuple>() {
            return Ok(Kind::List(t.len()));
        }
        if let Ok(m) = obj.cast::<PyMapping>() {
            return m.len().map(Kind::Map).map_err(raised);
        }
        if let Ok(b) = PyUntypedBuffer::get(obj) {
            if let Some(kind) = buffer(&b) {
                return kind;
            }
        }
        // Numeric scalars that are not int or float (numpy.int64, Decimal).
        if has(obj, "__index__") {
            if let Ok(i) = obj.call_method0("__index__") {
                if let Ok(i) = i.cast::<PyInt>() {
                    return int(i);
                }
            }
        }
        if has(obj, "__float__") && !has(obj, "__len__") {
            return obj.extract::<f64>().map(Kind::Number).map_err(raised);
        }
        Ok(Kind::Other(type_name(obj)))
    }

    fn is_null(&self) -> Read<bool, PyErr> {
        Ok(self.0.is_none())
    }

    fn key_kind(key: &Self::Key) -> Read<Kind<'_>, PyErr> {
        match key.0.cast::<PyString>() {
            Ok(s) => text(s),
            Err(_) => Ok(Kind::Other(type_name(&key.0))),
        }
    }

    fn element(&self, i: usize) -> Read<Self, PyErr> {
        let obj = &self.0;
        if let Ok(l) = obj.cast::<PyList>() {
            return l.get_item(i).map(Obj).map_err(raised);
        }
        match obj.cast::<PyTuple>() {
            Ok(t) => t.get_item(i).map(Obj).map_err(raised),
            Err(_) => Err(Fault::new("not a list")),
        }
    }

    fn entries(&self) -> Read<Entries<'py>, PyErr> {
        let obj = &self.0;
        if let Ok(d) = obj.cast::<PyDict>() {
            return Ok(Entries::Dict(d.clone().into_iter()));
        }
        let mapping = obj.cast::<PyMapping>().map_err(|e| raised(e.into()))?;
        let keys = PyIterator::from_object(mapping).map_err(raised)?;
        Ok(Entries::Mapping(mapping.clone(), keys))
    }

    fn numbers(&self) -> Read<Vec<f64>, PyErr> {
        let obj = &self.0;
        let b = PyUntypedBuffer::get(obj).map_err(raised)?;
        Ok(match ElementType::from_format(b.format()) {
            ElementType::Float { bytes: 8 } => PyBuffer::<f64>::get(obj)
                .and_then(|b| b.to_vec(obj.py()))
                .map_err(raised)?,
            ElementType::Float { bytes: 4 } => convert::<f32>(obj, f64::from)?,
            ElementType::SignedInteger { bytes: 8 } => convert::<i64>(obj, |v| v as f64)?,
            ElementType::SignedInteger { bytes: 4 } => convert::<i32>(obj, f64::from)?,
            ElementType::UnsignedInteger { bytes: 8 } => convert::<u64>(obj, |v| v as f64)?,
            ElementType::UnsignedInteger { bytes: 4 } => convert::<u32>(obj, f64::from)?,
            _ => return Err(Fault::new("not a numeric buffer")),
        })
    }
}

fn convert<T: pyo3::buffer::Element + Copy>(
    obj: &Bound<'_, PyAny>,
    to_f64: fn(T) -> f64,
) -> Read<Vec<f64>, PyErr> {
    let values = PyBuffer::<T>::get(obj)
        .and_then(|b| b.to_vec(obj.py()))
        .map_err(raised)?;
    Ok(values.into_iter().map(to_f64).collect())
}

/// The entries of a `dict` (in place), or of another `Mapping` (by iterating
/// its keys and looking each up, so a raising `__getitem__` is that entry's
/// fault).
pub enum Entries<'py> {
    /// A `dict` or subclass.
    Dict(pyo3::types::dict::BoundDictIterator<'py>),
    /// Any other mapping and an iterator over its keys.
    Mapping(Bound<'py, PyMapping>, Bound<'py, PyIterator>),
}

impl<'py> Iterator for Entries<'py> {
    type Item = Read<(Obj<'py>, Read<Obj<'py>, PyErr>), PyErr>;

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Entries::Dict(items) => items.next().map(|(k, v)| Ok((Obj(k), Ok(Obj(v))))),
            Entries::Mapping(mapping, keys) => Some(match keys.next()? {
                Ok(key) => {
                    let value = mapping.get_item(&key).map(Obj).map_err(raised);
                    Ok((Obj(key), value))
                }
                Err(e) => Err(raised(e)),
            }),
        }
    }
}
