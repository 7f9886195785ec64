//! The binding layer's rules, on JSON and on a fake host that can do what
//! Python and Node callers can: sparse lists, raising getters, huge lengths.

use std::borrow::Cow;

use serde_json::{json, Value};

use super::*;

fn run(name: &str, args: &[Value]) -> Result<Value, (crate::Error, bool)> {
    let refs: Vec<&Value> = args.iter().collect();
    match call(&JsonHost::new(), function(name).unwrap(), &refs) {
        Ok(v) => Ok(v),
        Err(Failure::Error(e, cause)) => Err((e, cause.is_some())),
        Err(Failure::Host(never)) => match never {},
    }
}

fn code_path(result: Result<Value, (crate::Error, bool)>) -> (String, String) {
    let (err, _) = result.unwrap_err();
    (err.code().to_string(), err.path().to_string())
}

#[test]
fn numbers_keep_their_magnitude() {
    let out = run("mann_whitney", &[json!([1e20]), json!([0])]).unwrap();
    assert_eq!(out["estimate"], json!(1e20));
    let out = run(
        "compare_rates",
        &[json!(1), json!(1e-300), json!(1), json!(1)],
    )
    .unwrap();
    assert!(out["ratio"].as_f64().unwrap() > 1e299, "{out}");
}

#[test]
fn integral_floats_read_as_integers() {
    let out = run(
        "schedule_services",
        &[
            json!({"name": "p", "services": [{"id": "a", "deploy_duration": 60.0}]}),
            json!(2.0),
        ],
    );
    assert_eq!(out.unwrap()["makespan_seconds"], json!(60));
}

#[test]
fn extra_elements_are_rejected() {
    let result = run(
        "sequential_count_test",
        &[json!([[3, 9, "junk"]]), json!(0.5)],
    );
    assert_eq!(
        code_path(result),
        ("invalid_config".into(), "looks/0".into())
    );
}

#[test]
fn arguments_are_named_in_paths() {
    let plan = json!({"name": "p", "services": [{"id": "a"}]});
    let result = run("blast_radius", &[plan.clone(), json!(["a", 5])]);
    assert_eq!(
        code_path(result),
        ("invalid_input".into(), "services/1".into())
    );
    let result = run("schedule_services", &[plan, json!("3")]);
    assert_eq!(
        code_path(result),
        ("invalid_input".into(), "max_parallel".into())
    );
    let result = run(
        "compare_proportions",
        &[json!(1), json!(true), json!(1), json!(2)],
    );
    assert_eq!(
        code_path(result),
        ("invalid_config".into(), "trials_x".into())
    );
}

#[test]
fn options_by_position_or_object() {
    let (x, y) = (json!([1, 2, 3, 4]), json!([5, 6, 7, 8]));
    let by_position = run(
        "mann_whitney",
        &[x.clone(), y.clone(), json!("less"), json!(0.9)],
    )
    .unwrap();
    let by_object = run(
        "mann_whitney",
        &[
            x.clone(),
            y.clone(),
            json!({"alternative": "less", "confidence": 0.9}),
        ],
    )
    .unwrap();
    assert_eq!(by_position, by_object);
    let result = run(
        "mann_whitney",
        &[x.clone(), y.clone(), json!({"colour": 1})],
    );
    assert_eq!(
        code_path(result),
        ("invalid_config".into(), "options/colour".into())
    );
    let result = run("mann_whitney", &[x, y, json!(5)]);
    assert_eq!(
        code_path(result),
        ("invalid_config".into(), "alternative".into())
    );
    let result = run(
        "adjust_p_values",
        &[json!([0.01, 0.2]), json!({"method": "bh"})],
    )
    .unwrap();
    assert_eq!(result, json!([0.02, 0.2]));
}

#[test]
fn a_panic_becomes_internal_error() {
    let Err(Failure::Error(err, None)) =
        call::<JsonHost<'_>>(&JsonHost::new(), &DEBUG_FUNCTIONS[0], &[])
    else {
        panic!("expected an error");
    };
    assert_eq!(err.code(), "internal_error");
}

/// A host value as a careless or hostile caller can make one.
#[derive(Clone, Debug)]
enum Fake {
    /// A list of `len` numbers where element `hole` is missing.
    Sparse {
        len: usize,
        hole: usize,
    },
    /// A list whose element `at` raises when fetched.
    Raising {
        len: usize,
        at: usize,
    },
    /// A list of lists of numbers, each `len` long, `depth` deep.
    Nested {
        len: usize,
        depth: usize,
    },
    Number(f64),
    /// A numeric buffer.
    Buffer(Vec<f64>),
}

impl HostValue for Fake {
    type Cause = &'static str;
    type Key = Fake;
    type Entries = std::iter::Empty<Read<(Fake, Read<Fake, &'static str>), &'static str>>;

    fn kind(&self) -> Read<Kind<'_>, &'static str> {
        Ok(match self {
            Fake::Sparse { len, .. } | Fake::Raising { len, .. } | Fake::Nested { len, .. } => {
                Kind::List(*len)
            }
            Fake::Number(v) => Kind::Number(*v),
            Fake::Buffer(values) => Kind::Numbers(values.len()),
        })
    }
    fn is_null(&self) -> Read<bool, &'static str> {
        Ok(false)
    }
    fn key_kind(_: &Fake) -> Read<Kind<'_>, &'static str> {
        Ok(Kind::Str(Cow::Borrowed("k")))
    }
    fn element(&self, i: usize) -> Read<Fake, &'static str> {
        match self {
            Fake::Sparse { hole, .. } if i == *hole => Err(Fault::new("a hole")),
            Fake::Raising { at, .. } if i == *at => Err(Fault::raised("Error: boom", "boom")),
            Fake::Nested { len, depth } if *depth > 0 => Ok(Fake::Nested {
                len: *len,
                depth: depth - 1,
            }),
            _ => Ok(Fake::Number(i as f64)),
        }
    }
    fn entries(&self) -> Read<Self::Entries, &'static str> {
        Ok(std::iter::empty())
    }
    fn numbers(&self) -> Read<Vec<f64>, &'static str> {
        match self {
            Fake::Buffer(values) => Ok(values.clone()),
            _ => Err(Fault::new("no buffer")),
        }
    }
}

struct FakeHost;

impl Host for FakeHost {
    type Value = Fake;
    type Cause = &'static str;
    type Out = Value;
    type Map = serde_json::Map<String, Value>;
    type Error = std::convert::Infallible;
    fn detach<R: Send>(&self, f: impl FnOnce() -> R + Send) -> R {
        f()
    }
    fn null(&self) -> Result<Value, Self::Error> {
        JsonHost::new().null()
    }
    fn bool(&self, v: bool) -> Result<Value, Self::Error> {
        JsonHost::new().bool(v)
    }
    fn int(&self, v: i128) -> Result<Value, Self::Error> {
        JsonHost::new().int(v)
    }
    fn float(&self, v: f64) -> Result<Value, Self::Error> {
        JsonHost::new().float(v)
    }
    fn str(&self, v: &str) -> Result<Value, Self::Error> {
        JsonHost::new().str(v)
    }
    fn list(&self, items: Vec<Value>) -> Result<Value, Self::Error> {
        JsonHost::new().list(items)
    }
    fn map(&self, len: usize) -> Result<Self::Map, Self::Error> {
        JsonHost::new().map(len)
    }
    fn set(&self, map: &mut Self::Map, key: Value, value: Value) -> Result<(), Self::Error> {
        JsonHost::new().set(map, key, value)
    }
    fn finish(&self, map: Self::Map) -> Result<Value, Self::Error> {
        JsonHost::new().finish(map)
    }
}

fn fake(name: &str, args: &[Fake]) -> (crate::Error, Option<&'static str>) {
    match call(&FakeHost, function(name).unwrap(), args) {
        Err(Failure::Error(e, cause)) => (e, cause),
        other => panic!("expected an error, got {:?}", other.map(|_| ())),
    }
}

#[test]
fn a_hole_ends_the_read_at_its_index() {
    let (err, cause) = fake(
        "ks_test",
        &[Fake::Sparse { len: 10, hole: 3 }, Fake::Number(1.0)],
    );
    assert_eq!(
        (err.code(), err.path(), cause),
        ("invalid_input", "x/3", None)
    );
    assert!(err.to_string().contains("a hole"), "{err}");
}

#[test]
fn huge_lengths_fail_before_reading() {
    let (err, _) = fake(
        "adjust_p_values",
        &[Fake::Sparse {
            len: u32::MAX as usize,
            hole: usize::MAX,
        }],
    );
    assert_eq!((err.code(), err.path()), ("invalid_input", "p_values"));
    assert!(err.to_string().contains("limit of 10000000"), "{err}");
}

#[test]
fn the_value_budget_bounds_nested_lists() {
    use serde::Deserialize;
    // 1000^3 values, each list under the per-list limit; a budget of 50,000.
    let ctx = de::Ctx::with_budget(50_000);
    let value = Fake::Nested {
        len: 1000,
        depth: 2,
    };
    let err = Vec::<Vec<Vec<f64>>>::deserialize(de::De { ctx: &ctx, value }).unwrap_err();
    assert!(err.to_string().contains("at most 50000 values"), "{err}");
    assert!(ctx.take_fault().is_some());
}

#[test]
fn a_caller_exception_is_invalid_input_with_its_cause() {
    let (err, cause) = fake(
        "welch_t_test",
        &[Fake::Raising { len: 5, at: 2 }, Fake::Number(1.0)],
    );
    assert_eq!(
        (err.code(), err.path(), cause),
        ("invalid_input", "x/2", Some("boom"))
    );
    assert!(err.to_string().contains("Error: boom"), "{err}");
}

#[test]
fn buffers_read_as_samples_and_lists() {
    let samples = [
        Fake::Buffer(vec![1.0, 2.0, 3.0]),
        Fake::Buffer(vec![4.0, 5.0, 6.5]),
    ];
    let out = call(&FakeHost, function("mann_whitney").unwrap(), &samples).unwrap();
    let json: Vec<Value> = vec![json!([1, 2, 3]), json!([4, 5, 6.5])];
    assert_eq!(out, run("mann_whitney", &json).unwrap());
    let Err(Failure::Error(err, _)) = call(
        &FakeHost,
        function("sequential_count_test").unwrap(),
        &[Fake::Buffer(vec![1.0]), Fake::Number(0.5)],
    ) else {
        panic!("a flat buffer is not a list of pairs");
    };
    assert_eq!((err.code(), err.path()), ("invalid_config", "looks/0"));
}

#[test]
fn the_number_rule() {
    use serde::Deserialize;
    type N = de::NumberDe;
    assert_eq!(u32::deserialize(N::new(3.0)).unwrap(), 3);
    assert_eq!(f64::deserialize(N::new(1e-20)).unwrap(), 1e-20);
    assert!(u64::deserialize(N::new(1e20)).is_err());
    assert_eq!(u64::deserialize(N::new(2f64.powi(63))).unwrap(), 1 << 63);
    assert!(i64::deserialize(N::new(1.5)).is_err());
    assert!(f64::deserialize(N::new(-0.0)).unwrap().is_sign_negative());
    assert_eq!(Option::<f64>::deserialize(N::new(2.5)).unwrap(), Some(2.5));
}

#[test]
fn every_function_documents_its_inputs_and_result() {
    // Python's help() shows this text (issue 13: it was one line).
    for f in FUNCTIONS {
        let help = f.help();
        assert!(help.lines().count() > 1, "{}: one line only", f.name);
        assert!(
            !help
                .lines()
                .any(|l| l.starts_with(' ') && !l.starts_with("  ")),
            "{}",
            f.name
        );
        for p in f.params {
            assert!(
                help.contains(p.name),
                "{}: parameter {} not described",
                f.name,
                p.name
            );
        }
        assert!(
            help.contains("returns:"),
            "{}: result not described",
            f.name
        );
        assert_eq!(f.summary(), help.lines().next().unwrap(), "{}", f.name);
    }
}
