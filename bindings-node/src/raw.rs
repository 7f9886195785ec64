//! The few Node-API calls the binding makes, each wrapped safely once: every
//! call checks its status, and a JavaScript exception it raised (a throwing
//! getter, a Proxy trap) is cleared and returned as a value.
#![allow(unsafe_code)]

use std::ffi::c_void;
use std::ptr;

use napi::sys;

/// A JavaScript value, valid during the call that received or made it.
#[derive(Clone, Copy)]
pub struct Js {
    /// The environment of the call.
    pub env: sys::napi_env,
    /// The value.
    pub raw: sys::napi_value,
}

/// Why a call failed: the exception it raised, or its status.
pub enum Failed {
    /// JavaScript code ran and threw this value.
    Threw(Js),
    /// Node-API refused the call with this status.
    Status(i32),
}

type Result<T> = std::result::Result<T, Failed>;

/// Checks a status, taking the pending exception if there is one.
fn check(env: sys::napi_env, status: sys::napi_status) -> Result<()> {
    if status == sys::Status::napi_ok {
        return Ok(());
    }
    let mut pending = false;
    // SAFETY: `env` is the live environment of the current call.
    unsafe { sys::napi_is_exception_pending(env, &mut pending) };
    if pending {
        let mut raw = ptr::null_mut();
        // SAFETY: as above; `raw` receives the exception.
        if unsafe { sys::napi_get_and_clear_last_exception(env, &mut raw) } == sys::Status::napi_ok
        {
            return Err(Failed::Threw(Js { env, raw }));
        }
    }
    Err(Failed::Status(status))
}

/// The initial value of a Node-API call's output place.
trait Blank {
    fn blank() -> Self;
}

macro_rules! blank {
    ($($ty:ty = $v:expr),*) => {
        $(impl Blank for $ty {
            fn blank() -> Self {
                $v
            }
        })*
    };
}

blank!(
    i32 = 0,
    u32 = 0,
    usize = 0,
    f64 = 0.0,
    bool = false,
    sys::napi_value = ptr::null_mut()
);

/// Calls a Node-API function that writes one result, checking its status.
macro_rules! out {
    ($env:expr, $f:ident($($arg:expr),*) -> $ty:ty) => {{
        let mut result = <$ty as Blank>::blank();
        // SAFETY: `env` is live, the arguments are values of this call, and
        // `result` is a valid place for the output.
        let status = unsafe { sys::$f($env, $($arg,)* &mut result) };
        check($env, status).map(|()| result)
    }};
}

impl Js {
    fn of(&self, raw: sys::napi_value) -> Js {
        Js { env: self.env, raw }
    }

    /// `typeof`, as a `sys::ValueType` constant.
    pub fn type_of(&self) -> Result<i32> {
        out!(self.env, napi_typeof(self.raw) -> i32)
    }

    /// A number's value.
    pub fn double(&self) -> Result<f64> {
        out!(self.env, napi_get_value_double(self.raw) -> f64)
    }

    /// A boolean's value.
    pub fn boolean(&self) -> Result<bool> {
        out!(self.env, napi_get_value_bool(self.raw) -> bool)
    }

    /// A BigInt as `i64`, `u64`, or its decimal digits beyond both.
    pub fn bigint(&self) -> Result<std::result::Result<std::result::Result<i64, u64>, String>> {
        let mut lossless = false;
        let mut value = 0i64;
        // SAFETY: live env, a value of this call, valid out places.
        let status = unsafe {
            sys::napi_get_value_bigint_int64(self.env, self.raw, &mut value, &mut lossless)
        };
        check(self.env, status)?;
        if lossless {
            return Ok(Ok(Ok(value)));
        }
        let mut value = 0u64;
        // SAFETY: as above.
        let status = unsafe {
            sys::napi_get_value_bigint_uint64(self.env, self.raw, &mut value, &mut lossless)
        };
        check(self.env, status)?;
        if lossless {
            return Ok(Ok(Err(value)));
        }
        // ToString of a BigInt primitive is the spec's, not a prototype method.
        let digits = out!(self.env, napi_coerce_to_string(self.raw) -> sys::napi_value)?;
        let digits = self.of(digits).string()?.unwrap_or_default();
        Ok(Err(digits))
    }

    /// A string's text, or `None` if it holds a lone surrogate (not
    /// Unicode: Node-API would silently turn it into U+FFFD).
    pub fn string(&self) -> Result<Option<String>> {
        let len =
            out!(self.env, napi_get_value_string_utf8(self.raw, ptr::null_mut(), 0) -> usize)?;
        let mut buf = vec![0u8; len + 1];
        let mut written = 0usize;
        // SAFETY: `buf` holds `len + 1` bytes, as the call is told.
        let status = unsafe {
            sys::napi_get_value_string_utf8(
                self.env,
                self.raw,
                buf.as_mut_ptr().cast(),
                len + 1,
                &mut written,
            )
        };
        check(self.env, status)?;
        buf.truncate(written);
        let text = String::from_utf8(buf)
            .map_err(|_| Failed::Status(sys::Status::napi_string_expected))?;
        if text.contains('\u{FFFD}') && !self.utf16_is_unicode()? {
            return Ok(None);
        }
        Ok(Some(text))
    }

    fn utf16_is_unicode(&self) -> Result<bool> {
        let len =
            out!(self.env, napi_get_value_string_utf16(self.raw, ptr::null_mut(), 0) -> usize)?;
        let mut buf = vec![0u16; len + 1];
        let mut written = 0usize;
        // SAFETY: `buf` holds `len + 1` units, as the call is told.
        let status = unsafe {
            sys::napi_get_value_string_utf16(
                self.env,
                self.raw,
                buf.as_mut_ptr(),
                len + 1,
                &mut written,
            )
        };
        check(self.env, status)?;
        let units = buf.get(..written).unwrap_or(&[]);
        Ok(char::decode_utf16(units.iter().copied()).all(|c| c.is_ok()))
    }

    /// Whether an object is an `Array`.
    pub fn is_array(&self) -> Result<bool> {
        out!(self.env, napi_is_array(self.raw) -> bool)
    }

    /// An array's `length`.
    pub fn array_len(&self) -> Result<u32> {
        out!(self.env, napi_get_array_length(self.raw) -> u32)
    }

    /// Element `i` of an array (`undefined` for a hole).
    pub fn element(&self, i: u32) -> Result<Js> {
        out!(self.env, napi_get_element(self.raw, i) -> sys::napi_value).map(|raw| self.of(raw))
    }

    /// Whether an array has element `i` (a hole has not).
    pub fn has_element(&self, i: u32) -> Result<bool> {
        out!(self.env, napi_has_element(self.raw, i) -> bool)
    }

    /// Whether an object is a typed array.
    pub fn is_typedarray(&self) -> Result<bool> {
        out!(self.env, napi_is_typedarray(self.raw) -> bool)
    }

    /// A typed array's element type (a `sys::TypedarrayType`) and length.
    pub fn typedarray(&self) -> Result<(i32, usize, *const c_void)> {
        let (mut kind, mut len, mut data) = (0, 0, ptr::null_mut());
        let (mut buffer, mut offset) = (ptr::null_mut(), 0);
        // SAFETY: live env, a typed array of this call, valid out places.
        let status = unsafe {
            sys::napi_get_typedarray_info(
                self.env,
                self.raw,
                &mut kind,
                &mut len,
                &mut data,
                &mut buffer,
                &mut offset,
            )
        };
        check(self.env, status).map(|()| (kind, len, data.cast_const()))
    }

    /// A typed array's elements as `f64`, if it holds numbers.
    pub fn typedarray_numbers(&self) -> Result<Option<Vec<f64>>> {
        use sys::TypedarrayType as T;
        let (kind, len, data) = self.typedarray()?;
        if data.is_null() || len == 0 {
            return Ok(Some(Vec::new()));
        }
        fn read<E: Copy>(data: *const c_void, len: usize, f: fn(E) -> f64) -> Vec<f64> {
            // SAFETY: Node-API reports `len` elements of this type at `data`,
            // aligned as a typed array's elements are; the memory stays alive
            // and unmodified during this synchronous call.
            let slice = unsafe { std::slice::from_raw_parts(data.cast::<E>(), len) };
            slice.iter().map(|v| f(*v)).collect()
        }
        Ok(Some(match kind {
            T::float64_array => read::<f64>(data, len, |v| v),
            T::float32_array => read::<f32>(data, len, f64::from),
            T::int32_array => read::<i32>(data, len, f64::from),
            T::uint32_array => read::<u32>(data, len, f64::from),
            T::int16_array => read::<i16>(data, len, f64::from),
            T::uint16_array => read::<u16>(data, len, f64::from),
            T::bigint64_array => read::<i64>(data, len, |v| v as f64),
            T::biguint64_array => read::<u64>(data, len, |v| v as f64),
            _ => return Ok(None),
        }))
    }

    /// An object's own enumerable string keys (Proxy traps run here).
    pub fn keys(&self) -> Result<Js> {
        use sys::{KeyCollectionMode, KeyConversion, KeyFilter};
        out!(self.env, napi_get_all_property_names(
            self.raw,
            KeyCollectionMode::own_only,
            KeyFilter::enumerable | KeyFilter::skip_symbols,
            KeyConversion::numbers_to_strings
        ) -> sys::napi_value)
        .map(|raw| self.of(raw))
    }

    /// `object[key]` (getters and Proxy traps run here).
    pub fn get(&self, key: Js) -> Result<Js> {
        out!(self.env, napi_get_property(self.raw, key.raw) -> sys::napi_value)
            .map(|raw| self.of(raw))
    }

    /// `object[name]` for a property name known to be plain text.
    pub fn get_named(&self, name: &std::ffi::CStr) -> Result<Js> {
        out!(self.env, napi_get_named_property(self.raw, name.as_ptr()) -> sys::napi_value)
            .map(|raw| self.of(raw))
    }
}

/// Making values in the environment of a call.
#[derive(Clone, Copy)]
pub struct Make(pub sys::napi_env);

impl Make {
    fn js(&self, raw: sys::napi_value) -> Js {
        Js { env: self.0, raw }
    }

    /// `null`.
    pub fn null(&self) -> Result<Js> {
        out!(self.0, napi_get_null() -> sys::napi_value).map(|raw| self.js(raw))
    }

    /// `undefined`.
    pub fn undefined(&self) -> Result<Js> {
        out!(self.0, napi_get_undefined() -> sys::napi_value).map(|raw| self.js(raw))
    }

    /// `true` or `false`.
    pub fn boolean(&self, v: bool) -> Result<Js> {
        out!(self.0, napi_get_boolean(v) -> sys::napi_value).map(|raw| self.js(raw))
    }

    /// A number.
    pub fn number(&self, v: f64) -> Result<Js> {
        out!(self.0, napi_create_double(v) -> sys::napi_value).map(|raw| self.js(raw))
    }

    /// A string.
    pub fn string(&self, v: &str) -> Result<Js> {
        let len =
            isize::try_from(v.len()).map_err(|_| Failed::Status(sys::Status::napi_invalid_arg))?;
        out!(self.0, napi_create_string_utf8(v.as_ptr().cast(), len) -> sys::napi_value)
            .map(|raw| self.js(raw))
    }

    /// An array of these items.
    pub fn array(&self, items: &[Js]) -> Result<Js> {
        let array = out!(self.0, napi_create_array_with_length(items.len()) -> sys::napi_value)?;
        for (i, item) in (0u32..).zip(items) {
            // SAFETY: live env, an array and a value of this call.
            check(self.0, unsafe {
                sys::napi_set_element(self.0, array, i, item.raw)
            })?;
        }
        Ok(self.js(array))
    }

    /// An empty object.
    pub fn object(&self) -> Result<Js> {
        out!(self.0, napi_create_object() -> sys::napi_value).map(|raw| self.js(raw))
    }

    /// `object[key] = value`.
    pub fn set(&self, object: Js, key: Js, value: Js) -> Result<()> {
        // SAFETY: live env, values of this call.
        check(self.0, unsafe {
            sys::napi_set_property(self.0, object.raw, key.raw, value.raw)
        })
    }

    /// A new `Error` with this `code` and message.
    pub fn error(&self, code: &str, message: &str) -> Result<Js> {
        let (code, message) = (self.string(code)?, self.string(message)?);
        out!(self.0, napi_create_error(code.raw, message.raw) -> sys::napi_value)
            .map(|raw| self.js(raw))
    }

    /// Throws `value` when the current call returns.
    pub fn throw(&self, value: Js) {
        // SAFETY: live env, a value of this call. Nothing to do if it fails:
        // the call then returns `undefined`.
        unsafe { sys::napi_throw(self.0, value.raw) };
    }

    /// A function named `name` that runs `callback` with `data`.
    pub fn function(
        &self,
        name: &str,
        callback: sys::napi_callback,
        data: *mut c_void,
    ) -> Result<Js> {
        let len = isize::try_from(name.len())
            .map_err(|_| Failed::Status(sys::Status::napi_invalid_arg))?;
        out!(self.0, napi_create_function(name.as_ptr().cast(), len, callback, data) -> sys::napi_value)
            .map(|raw| self.js(raw))
    }
}

/// The arguments (at most `N`) and `data` of a call.
pub fn arguments<const N: usize>(
    env: sys::napi_env,
    info: sys::napi_callback_info,
) -> Result<(Vec<Js>, *mut c_void)> {
    let mut argv = [ptr::null_mut(); N];
    let mut argc = N;
    let mut data = ptr::null_mut();
    // SAFETY: `argv` has room for `argc` values, as the call is told.
    let status = unsafe {
        sys::napi_get_cb_info(
            env,
            info,
            &mut argc,
            argv.as_mut_ptr(),
            ptr::null_mut(),
            &mut data,
        )
    };
    check(env, status)?;
    let given = argv.get(..argc.min(N)).unwrap_or(&[]);
    Ok((given.iter().map(|&raw| Js { env, raw }).collect(), data))
}
