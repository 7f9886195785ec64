//! Reading a call's arguments: each by the one deserializer, with the error
//! rules of every entry point — a path that starts with the argument's name
//! (or `/` for the function's main document), canary arguments in the canary
//! family, and any host value that could not be read as `invalid_input`
//! with the caller's exception as its cause.

use serde::de::{self, DeserializeOwned, Deserializer, IntoDeserializer, Visitor};
use serde::{Deserialize, Serialize};

use super::de::{Ctx, De};
use super::error::{as_canary_error, count_arg, Failure};
use super::host::{Host, HostValue, Kind};
use super::ser::{self, to_host};
use crate::error::Result;
use crate::stats::{Alternative, Correction};

/// One parameter of a binding function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Param {
    /// Its name (snake_case), which starts the path of errors inside it.
    pub name: &'static str,
    /// Its default as a JSON literal (`"two-sided"`, `0.95`, `null`), or
    /// `None` if it is required.
    pub default: Option<&'static str>,
}

/// What a call returns to the binding.
pub type Outcome<H> =
    std::result::Result<<H as Host>::Out, Failure<<H as Host>::Cause, <H as Host>::Error>>;

/// The arguments of one call, as the host passed them (absent ones as the
/// host's null).
pub struct Args<'a, H: Host> {
    host: &'a H,
    params: &'static [Param],
    values: &'a [H::Value],
}

/// How to report errors inside an argument.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Family {
    /// As read (`invalid_input`, `unknown_field`, `invalid_duration`).
    Any,
    /// As the canary family's `invalid_config`.
    Canary,
    /// A stored canary-watch state: `incompatible_state` under `state`.
    State,
}

impl<'a, H: Host> Args<'a, H> {
    pub(crate) fn new(host: &'a H, params: &'static [Param], values: &'a [H::Value]) -> Self {
        Args {
            host,
            params,
            values,
        }
    }

    fn name(&self, i: usize) -> &'static str {
        self.params.get(i).map_or("", |p| p.name)
    }

    fn read<T: DeserializeOwned>(
        &self,
        i: usize,
        prefix: &str,
        family: Family,
    ) -> std::result::Result<T, Failure<H::Cause, H::Error>> {
        Self::read_value(self.values.get(i), prefix, family)
    }

    fn read_value<T: DeserializeOwned>(
        value: Option<&H::Value>,
        prefix: &str,
        family: Family,
    ) -> std::result::Result<T, Failure<H::Cause, H::Error>> {
        let ctx = Ctx::default();
        let read = match value {
            Some(value) => crate::wire::from_fn(|| {
                ctx.reset();
                De {
                    ctx: &ctx,
                    value: value.clone(),
                }
            }),
            // An argument not passed at all reads as null.
            None => {
                crate::wire::from_fn(|| IntoDeserializer::<de::value::Error>::into_deserializer(()))
            }
        };
        let err = match read {
            Ok(v) => return Ok(v),
            Err(err) => err,
        };
        if let Some(fault) = ctx.take_fault() {
            let mut err =
                crate::Error::invalid_input(err.path(), fault.message).with_path_prefix(prefix);
            if family == Family::Canary {
                err = err.in_family(crate::ErrorFamily::Canary);
            }
            return Err(Failure::Error(err, fault.cause));
        }
        Err(Failure::from(match family {
            Family::Canary => as_canary_error(err, prefix),
            Family::State => crate::verdict::watch::as_state_error(err),
            Family::Any => err.with_path_prefix(prefix),
        }))
    }

    fn is_null(&self, i: usize) -> std::result::Result<bool, Failure<H::Cause, H::Error>> {
        match self.values.get(i) {
            None => Ok(true),
            Some(v) => v.is_null().map_err(|f| {
                Failure::Error(
                    crate::Error::invalid_input(self.name(i), f.message),
                    f.cause,
                )
            }),
        }
    }

    /// Argument `i` as the function's main document: paths start with `/`.
    pub fn doc<T: DeserializeOwned>(&self, i: usize) -> Result<T, Failure<H::Cause, H::Error>> {
        self.read(i, "", Family::Any)
    }

    /// Argument `i` as the function's main document, a list handed to `f`
    /// one element at a time (paths `/{index}/...`), so that a long list is
    /// never held whole; the size limits apply to each element. Any other
    /// value is read whole as a list.
    pub fn each_doc<T: DeserializeOwned>(
        &self,
        i: usize,
        mut f: impl FnMut(T),
    ) -> Result<(), Failure<H::Cause, H::Error>> {
        if let Some(value) = self.values.get(i) {
            if let Ok(Kind::List(len)) = value.kind() {
                for j in 0..len {
                    let at = format!("/{j}");
                    let item = value.element(j).map_err(|fault| {
                        Failure::Error(crate::Error::invalid_input(&at, fault.message), fault.cause)
                    })?;
                    f(Self::read_value(Some(&item), &at, Family::Any)?);
                }
                return Ok(());
            }
        }
        let all: Vec<T> = self.doc(i)?;
        all.into_iter().for_each(f);
        Ok(())
    }

    /// Argument `i` as a secondary argument: paths start with its name.
    pub fn arg<T: DeserializeOwned>(&self, i: usize) -> Result<T, Failure<H::Cause, H::Error>> {
        self.read(i, self.name(i), Family::Any)
    }

    /// An optional secondary argument (`None`, `null`, `undefined`: absent).
    pub fn opt<T: DeserializeOwned>(
        &self,
        i: usize,
    ) -> Result<Option<T>, Failure<H::Cause, H::Error>> {
        if self.is_null(i)? {
            return Ok(None);
        }
        self.arg(i).map(Some)
    }

    /// A canary argument with errors in the canary family; `prefix` starts
    /// their paths (`""` for the main document).
    pub fn canary<T: DeserializeOwned>(
        &self,
        i: usize,
        prefix: &str,
    ) -> Result<T, Failure<H::Cause, H::Error>> {
        self.read(i, prefix, Family::Canary)
    }

    /// A stored canary-watch state (read errors are `incompatible_state`,
    /// paths start with `state`).
    pub fn watch_state<T: DeserializeOwned>(
        &self,
        i: usize,
    ) -> Result<T, Failure<H::Cause, H::Error>> {
        self.read(i, "state", Family::State)
    }

    /// An RFC 3339 timestamp argument.
    pub fn time(
        &self,
        i: usize,
    ) -> Result<chrono::DateTime<chrono::FixedOffset>, Failure<H::Cause, H::Error>> {
        let text: String = self.arg(i)?;
        Ok(crate::window::parse_timestamp(self.name(i), &text)?)
    }

    /// A whole-number argument of at least `min` (see [`count_arg`]).
    pub fn count(&self, i: usize, min: usize) -> Result<usize, Failure<H::Cause, H::Error>> {
        let Loose(value) = self.read(i, self.name(i), Family::Any)?;
        Ok(count_arg(self.name(i), value, min)?)
    }

    /// A number argument of a statistical kernel.
    pub fn number(&self, i: usize) -> Result<f64, Failure<H::Cause, H::Error>> {
        let Number(v) = self.canary(i, self.name(i))?;
        Ok(v)
    }

    /// An optional number argument of a statistical kernel.
    pub fn number_or(&self, i: usize, default: f64) -> Result<f64, Failure<H::Cause, H::Error>> {
        if self.is_null(i)? {
            return Ok(default);
        }
        self.number(i)
    }

    /// A sample argument: numbers, `None`/`null` for missing values (NaN),
    /// or a numeric buffer.
    pub fn samples(&self, i: usize) -> Result<Vec<f64>, Failure<H::Cause, H::Error>> {
        let crate::wire::Samples(list) = self.canary(i, self.name(i))?;
        Ok(list)
    }

    /// The optional `(alternative, confidence)` of a test at `i` and `i + 1`,
    /// by position or as one [`TestOptions`] object at `i`.
    pub fn test_options(
        &self,
        i: usize,
    ) -> Result<(Alternative, f64), Failure<H::Cause, H::Error>> {
        let options = self.options(i)?;
        let confidence = match options.confidence {
            Some(c) => c,
            None => self.number_or(i + 1, 0.95)?,
        };
        let alternative = match options.alternative {
            Some(text) => Alternative::parse(&text, "alternative")?,
            None => Alternative::TwoSided,
        };
        Ok((alternative, confidence))
    }

    /// The optional correction `method` at `i`, by name or in a
    /// [`TestOptions`] object.
    pub fn correction(&self, i: usize) -> Result<Correction, Failure<H::Cause, H::Error>> {
        match self.options(i)?.method {
            Some(text) => Ok(Correction::parse(&text, "method")?),
            None => Ok(Correction::Holm),
        }
    }

    /// Reads the options at `i`: absent, a string (the parameter itself) or
    /// an object of options.
    fn options(&self, i: usize) -> Result<TestOptions, Failure<H::Cause, H::Error>> {
        let is_map = self
            .values
            .get(i)
            .is_some_and(|v| matches!(v.kind(), Ok(Kind::Map(_))));
        if self.is_null(i)? {
            Ok(TestOptions::default())
        } else if is_map {
            self.canary(i, "options")
        } else {
            let text: String = self.canary(i, self.name(i))?;
            let mut options = TestOptions::default();
            match self.name(i) {
                "method" => options.method = Some(text),
                _ => options.alternative = Some(text),
            }
            Ok(options)
        }
    }

    /// Runs the engine (outside the host's lock) and converts its result.
    pub fn finish<T: Serialize + Send>(&self, f: impl FnOnce() -> Result<T> + Send) -> Outcome<H> {
        let result = self.host.detach(f)?;
        to_host(self.host, &result).map_err(|e| match e {
            ser::Error::Host(e) => Failure::Host(e),
            ser::Error::Custom(message) => Failure::from(crate::Error::internal(message)),
        })
    }
}

/// The optional arguments of the statistical tests given as one object in
/// place of the first of them (`mannWhitney(x, y, {alternative: 'less'})`):
/// the one options type of every test, in every language.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestOptions {
    /// `"two-sided"`, `"greater"` or `"less"`.
    pub alternative: Option<String>,
    /// Confidence level of the interval, in (0, 1).
    pub confidence: Option<f64>,
    /// Multiple-testing correction: `"holm"`, `"bh"` or `"none"`.
    pub method: Option<String>,
}

/// A number ("expected a number" when it is not).
struct Number(f64);

impl<'de> Deserialize<'de> for Number {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Number;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a number")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> std::result::Result<Number, E> {
                Ok(Number(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> std::result::Result<Number, E> {
                Ok(Number(v as f64))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> std::result::Result<Number, E> {
                Ok(Number(v))
            }
        }
        d.deserialize_f64(V)
    }
}

/// A number, or NaN for anything else (a count argument checked afterwards).
struct Loose(f64);

impl<'de> Deserialize<'de> for Loose {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Loose;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a number")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> std::result::Result<Loose, E> {
                Ok(Loose(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> std::result::Result<Loose, E> {
                Ok(Loose(v as f64))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> std::result::Result<Loose, E> {
                Ok(Loose(v))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> std::result::Result<Loose, E> {
                Ok(Loose(f64::NAN))
            }
            fn visit_str<E: de::Error>(self, _: &str) -> std::result::Result<Loose, E> {
                Ok(Loose(f64::NAN))
            }
            fn visit_unit<E: de::Error>(self) -> std::result::Result<Loose, E> {
                Ok(Loose(f64::NAN))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> std::result::Result<Loose, A::Error> {
                while seq.next_element::<de::IgnoredAny>()?.is_some() {}
                Ok(Loose(f64::NAN))
            }
            fn visit_map<A: de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<Loose, A::Error> {
                while map
                    .next_entry::<de::IgnoredAny, de::IgnoredAny>()?
                    .is_some()
                {}
                Ok(Loose(f64::NAN))
            }
        }
        d.deserialize_any(V)
    }
}
