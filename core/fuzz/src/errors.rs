//! The invariants every fuzz target asserts on errors: a non-empty
//! snake_case code, a message, details that repeat the code and path, and a
//! path that is a JSON pointer into the main document (`/…`) or starts with
//! a parameter name (`x/3`, `max_parallel`) — and that points at a value of
//! the input (or at the missing key or element of one).

use serde_json::Value;

use rollgate::Error;

use crate::calls::{Args, Function};

/// An error's code, message, details and path.
pub fn error(function: &Function, args: &Args, err: &Error) {
    let code = err.code();
    assert!(
        !code.is_empty() && code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
        "{}: bad error code {code:?}",
        function.name
    );
    assert!(
        !err.to_string().is_empty(),
        "{}: empty message",
        function.name
    );
    let _ = err.family();
    let details = err.details();
    assert_eq!(
        details.get("code"),
        Some(&Value::from(code)),
        "details code"
    );
    assert_eq!(
        details.get("path"),
        Some(&Value::from(err.path())),
        "details path"
    );
    let path = err.path();
    if path.is_empty() {
        return;
    }
    let (param, pointer) = match path.strip_prefix('/') {
        Some(_) => ("", path),
        None => path.split_at(path.find('/').unwrap_or(path.len())),
    };
    let Some(index) = function.params.iter().position(|p| *p == param) else {
        panic!(
            "{}: error path {path:?} ({code}) names no parameter of {:?}",
            function.name, function.params
        );
    };
    let tokens = pointer_tokens(pointer).unwrap_or_else(|| {
        panic!(
            "{}: error path {path:?} ({code}) is not a JSON pointer",
            function.name
        )
    });
    if let Some(value) = args.value(index) {
        // An absent optional document reads as an empty one (a readiness
        // context without `start`): a path may name a key it lacks.
        let absent_document = value.is_null() && !param.is_empty() && tokens.len() == 1;
        assert!(
            absent_document || resolves(&value, &tokens),
            "{}: error path {path:?} ({code}: {err}) points at nothing in argument {index}",
            function.name
        );
    }
}

/// The unescaped reference tokens of a JSON pointer (RFC 6901), or `None` if
/// it is not one: it must be empty or start with `/`, and `~` must be
/// followed by `0` or `1`.
fn pointer_tokens(pointer: &str) -> Option<Vec<String>> {
    if pointer.is_empty() {
        return Some(Vec::new());
    }
    let rest = pointer.strip_prefix('/')?;
    rest.split('/')
        .map(|token| {
            let mut out = String::new();
            let mut chars = token.chars();
            while let Some(c) = chars.next() {
                match c {
                    '~' => match chars.next() {
                        Some('0') => out.push('~'),
                        Some('1') => out.push('/'),
                        _ => return None,
                    },
                    c => out.push(c),
                }
            }
            Some(out)
        })
        .collect()
}

/// Whether the pointer reaches a value of `doc`, or the place where a value
/// is missing: every token but the last must resolve; the last may be a
/// missing key, or an index at most one past the end.
fn resolves(doc: &Value, tokens: &[String]) -> bool {
    let mut here = doc;
    for (i, token) in tokens.iter().enumerate() {
        let last = i + 1 == tokens.len();
        let next = match here {
            Value::Object(map) => map.get(token),
            Value::Array(items) => match token.parse::<usize>() {
                Ok(n) if n < items.len() => items.get(n),
                Ok(n) if n == items.len() && last => return true,
                _ => None,
            },
            _ => None,
        };
        match next {
            Some(v) => here = v,
            None => return last && matches!(here, Value::Object(_)),
        }
    }
    true
}
