//! Structure-aware mutation of valid documents, driven by `arbitrary`.
//!
//! The `json_structured` target starts from a shared-vector case and applies
//! a few edits chosen by the fuzzer's bytes: replace a value with an extreme
//! number, a tricky string (durations, timestamps, time zones), an id or a
//! key found elsewhere in the documents, or a copy of another value; delete,
//! duplicate, reorder or rename; nest deeply. Edits that reuse ids create
//! cycles, duplicates and dangling references; numbers probe overflow and
//! rounding; everything else stays valid enough to reach the engine's logic
//! rather than stop at the parser.

use arbitrary::{Result, Unstructured};
use serde_json::{Map, Value};

/// Numbers worth trying anywhere: zero of both signs, extremes, subnormals,
/// the edges of exact integers in f64 and of the integer types, and the
/// magnitudes the issue tracker named (±1e300, 1e154, 2⁵³ ± 1, 2⁶⁴).
fn number(u: &mut Unstructured) -> Result<Value> {
    const FLOATS: &[f64] = &[
        0.0,
        -0.0,
        1.0,
        -1.0,
        0.5,
        2.0,
        0.1,
        0.95,
        0.999_999,
        1e-9,
        1e-300,
        -1e-300,
        5e-324,
        2.2250738585072014e-308,
        1e300,
        -1e300,
        1e154,
        -1e154,
        f64::MAX,
        -f64::MAX,
        1e15,
        9e15,
        1e16,
        1e20,
        9_007_199_254_740_992.0,
        18_446_744_073_709_551_616.0,
        31_622_400.0,
        1.5,
        -2.5,
        4_294_967_296.0,
    ];
    const INTEGERS: &[u64] = &[
        0,
        1,
        2,
        3,
        100,
        u32::MAX as u64,
        9_007_199_254_740_993,
        i64::MAX as u64,
        u64::MAX,
        86_400,
    ];
    Ok(match u.int_in_range(0..=3)? {
        0 => Value::from(*u.choose(INTEGERS)?),
        1 => Value::from(i64::MIN),
        2 => Value::from(u.int_in_range(-3_i64..=40)?),
        _ => serde_json::Number::from_f64(*u.choose(FLOATS)?).map_or(Value::Null, Value::Number),
    })
}

/// Strings worth trying: durations, timestamps, zones, clock times, dates,
/// enum names of the formats, pointer-escaping characters and oddities.
const STRINGS: &[&str] = &[
    "",
    " ",
    "0s",
    "1s",
    "90s",
    "1h30m",
    "-1m",
    "0.5h",
    "1e3s",
    "1d",
    "1w",
    "PT1H",
    "99999999999999999999h",
    "18446744073709551615s",
    "2562047788015215h",
    "9223372036854775807s",
    "366d",
    "2026-11-26T09:00:00-05:00",
    "2026-11-26T09:00:00Z",
    "2026-11-26T09:00:00.999999999+00:00",
    "9999-12-31T23:59:59+14:00",
    "0000-01-01T00:00:00-23:59",
    "1970-01-01T00:00:00Z",
    "2026-03-08T02:30:00-05:00",
    "2026-11-01T01:30:00-04:00",
    "2026-02-29T00:00:00Z",
    "+275760-09-13T00:00:00Z",
    "UTC",
    "America/New_York",
    "Europe/London",
    "Australia/Lord_Howe",
    "Asia/Kathmandu",
    "Pacific/Kiritimati",
    "Antarctica/Troll",
    "Etc/GMT+12",
    "Nowhere/City",
    "00:00",
    "24:00",
    "23:59",
    "09:00",
    "25:00",
    "9:00",
    "2026-12-25",
    "2026-02-29",
    "9999-12-31",
    "mon",
    "sun",
    "monday",
    "two-sided",
    "greater",
    "less",
    "holm",
    "bh",
    "none",
    "canary",
    "pilot",
    "standard",
    "expand",
    "contract",
    "month",
    "quarter",
    "year",
    "~",
    "/",
    "~1",
    "a/b~c",
    "é",
    "\u{0}",
    "\u{feff}",
    "\u{10ffff}",
];

/// Number of nodes of `value`, itself included.
fn count(value: &Value) -> usize {
    1 + match value {
        Value::Object(map) => map.values().map(count).sum(),
        Value::Array(items) => items.iter().map(count).sum(),
        _ => 0,
    }
}

/// The `n`th node of `root` in document order (`root` itself is 0). Found by
/// walking down with counts rather than by listing every node's path: a
/// list of paths costs nodes × depth, and deep nesting made that 1 GiB.
fn nth_mut(mut here: &mut Value, mut n: usize) -> Option<&mut Value> {
    loop {
        if n == 0 {
            return Some(here);
        }
        n -= 1;
        let children: Vec<&mut Value> = match here {
            Value::Object(map) => map.values_mut().collect(),
            Value::Array(items) => items.iter_mut().collect(),
            _ => return None,
        };
        let mut next = None;
        for child in children {
            let size = count(child);
            if n < size {
                next = Some(child);
                break;
            }
            n -= size;
        }
        here = next?;
    }
}

/// Strings (values and keys) of the documents, for reuse as ids and keys.
pub struct Pool {
    strings: Vec<String>,
    keys: Vec<String>,
    values: Vec<Value>,
}

impl Pool {
    /// Collects the strings, keys and sub-values of `docs`.
    pub fn new<'a>(docs: impl IntoIterator<Item = &'a Value>) -> Pool {
        let mut pool = Pool {
            strings: Vec::new(),
            keys: Vec::new(),
            values: Vec::new(),
        };
        for doc in docs {
            pool.collect(doc);
        }
        pool.strings.sort();
        pool.strings.dedup();
        pool.keys.sort();
        pool.keys.dedup();
        pool
    }

    fn collect(&mut self, value: &Value) {
        // Small sub-values only: splicing a whole plan into a field is rarely
        // useful and makes inputs slow.
        if small(value, &mut 40) {
            self.values.push(value.clone());
        }
        match value {
            Value::String(s) => self.strings.push(s.clone()),
            Value::Object(map) => {
                for (k, v) in map {
                    self.keys.push(k.clone());
                    self.collect(v);
                }
            }
            Value::Array(items) => items.iter().for_each(|v| self.collect(v)),
            _ => {}
        }
    }

    fn string(&self, u: &mut Unstructured) -> Result<String> {
        if self.strings.is_empty() || u.ratio(1, 3)? {
            return Ok((*u.choose(STRINGS)?).to_string());
        }
        Ok(u.choose(&self.strings)?.clone())
    }

    fn key(&self, u: &mut Unstructured) -> Result<String> {
        if self.keys.is_empty() {
            return Ok("x".into());
        }
        Ok(u.choose(&self.keys)?.clone())
    }

    fn value(&self, u: &mut Unstructured) -> Result<Value> {
        Ok(match u.int_in_range(0..=5)? {
            0 => number(u)?,
            1 => Value::String(self.string(u)?),
            2 => u
                .choose(&[Value::Null, Value::Bool(true), Value::Bool(false)])?
                .clone(),
            3 => Value::Array(Vec::new()),
            4 => Value::Object(Map::new()),
            _ if self.values.is_empty() => Value::Null,
            _ => u.choose(&self.values)?.clone(),
        })
    }
}

/// Most nodes a mutated document may have before edits stop. Copies
/// compound (eight edits of 65 copies each), and a document of millions of
/// nodes measures the harness, not rollgate: its limits are tested by the
/// targeted tests of `wire` and the bindings (10,000,000 items, 128 levels).
const MAX_NODES: usize = 20_000;

/// Applies up to eight edits to `root` (the list of positional arguments),
/// while it has at most [`MAX_NODES`] nodes.
pub fn mutate(u: &mut Unstructured, root: &mut Value, pool: &Pool) -> Result<()> {
    let edits = u.int_in_range(1..=8)?;
    let own = Pool::new(std::iter::once(&*root));
    for _ in 0..edits {
        if u.is_empty() {
            break;
        }
        let nodes = count(root);
        if nodes > MAX_NODES {
            break;
        }
        let Some(node) = nth_mut(root, u.choose_index(nodes)?) else {
            continue;
        };
        edit(u, node, pool, &own)?;
    }
    Ok(())
}

fn edit(u: &mut Unstructured, node: &mut Value, pool: &Pool, own: &Pool) -> Result<()> {
    match u.int_in_range(0..=13)? {
        0 => *node = number(u)?,
        1 => *node = Value::String(pool.string(u)?),
        // Ids of this very document: dangling references become cycles,
        // duplicates and self-dependencies.
        2 => *node = Value::String(own.string(u)?),
        3 => *node = pool.value(u)?,
        4 => *node = own.value(u)?,
        5 => match node {
            Value::Object(map) if !map.is_empty() => {
                let keys: Vec<String> = map.keys().cloned().collect();
                map.remove(u.choose(&keys)?);
            }
            Value::Array(items) if !items.is_empty() => {
                items.remove(u.choose_index(items.len())?);
            }
            _ => *node = Value::Null,
        },
        6 => match node {
            Value::Array(items) if !items.is_empty() => {
                let copy = u.choose(items)?.clone();
                let most = (MAX_NODES / count(&copy)).clamp(1, 64);
                let times = u.int_in_range(1..=most)?;
                items.extend(std::iter::repeat_n(copy, times));
            }
            Value::Object(map) => {
                let key = pool.key(u)?;
                map.insert(key, pool.value(u)?);
            }
            _ => *node = Value::Array(vec![node.clone(), node.clone()]),
        },
        7 => {
            if let Some(v) = node.as_f64() {
                let factor = *u.choose(&[-1.0, 2.0, 0.5, 1e10, 1e-10])?;
                let shifted = if u.ratio(1, 2)? {
                    v * factor
                } else {
                    v + *u.choose(&[1.0, -1.0, 0.5])?
                };
                *node = serde_json::Number::from_f64(shifted).map_or(Value::Null, Value::Number);
            } else {
                *node = number(u)?;
            }
        }
        8 => {
            let depth = u.int_in_range(1..=300)?;
            let mut wrapped = std::mem::take(node);
            for _ in 0..depth {
                wrapped = Value::Array(vec![wrapped]);
            }
            *node = wrapped;
        }
        9 => match node {
            Value::Array(items) if items.len() > 1 => {
                if u.ratio(1, 2)? {
                    items.reverse();
                } else {
                    let (a, b) = (u.choose_index(items.len())?, u.choose_index(items.len())?);
                    items.swap(a, b);
                }
            }
            _ => *node = Value::Array(Vec::new()),
        },
        10 => {
            let text: String = u.arbitrary()?;
            *node = Value::String(text.chars().take(64).collect());
        }
        11 => match node {
            Value::String(s) => match u.int_in_range(0..=3)? {
                0 => *s = s.repeat(2),
                1 => {
                    let keep = u.int_in_range(0..=s.chars().count())?;
                    *s = s.chars().take(keep).collect();
                }
                2 => s.push(u.arbitrary()?),
                _ => s.insert(0, u.arbitrary()?),
            },
            _ => *node = Value::String(own.string(u)?),
        },
        12 => match node {
            Value::Object(map) if !map.is_empty() => {
                let keys: Vec<String> = map.keys().cloned().collect();
                let old = u.choose(&keys)?.clone();
                if let Some(v) = map.remove(&old) {
                    map.insert(pool.key(u)?, v);
                }
            }
            _ => *node = Value::Object(Map::new()),
        },
        _ => {
            // Grow a list to a few hundred entries of the same shape, with
            // each copy's strings made distinct so that ids stay unique.
            if let Value::Array(items) = node {
                if let Some(first) = items.first().cloned() {
                    let times = u.int_in_range(1..=400)?;
                    for i in 0..times {
                        let mut copy = first.clone();
                        suffix_strings(&mut copy, i);
                        items.push(copy);
                    }
                }
            }
        }
    }
    Ok(())
}

/// Whether `value` has at most `budget` nodes (counting down `budget`).
fn small(value: &Value, budget: &mut usize) -> bool {
    if *budget == 0 {
        return false;
    }
    *budget -= 1;
    match value {
        Value::Object(map) => map.values().all(|v| small(v, budget)),
        Value::Array(items) => items.iter().all(|v| small(v, budget)),
        _ => true,
    }
}

/// Appends `-i` to every string of `value` whose key is `id` (or to the
/// value itself when it is a string).
fn suffix_strings(value: &mut Value, i: usize) {
    match value {
        Value::String(s) => s.push_str(&format!("-{i}")),
        Value::Object(map) => {
            if let Some(Value::String(s)) = map.get_mut("id") {
                s.push_str(&format!("-{i}"));
            }
        }
        _ => {}
    }
}
