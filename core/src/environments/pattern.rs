//! Path rules: a glob over the JSON pointer of a value inside an environment
//! spec, optionally limited to some environments.
//!
//! A pattern is a JSON pointer whose tokens may hold `*` (any run of
//! characters within one token) and whose token `**` matches any number of
//! tokens: `/services/*/replicas`, `/services/*/config/*secret*`,
//! `/infrastructure/**`. Tokens are compared unescaped (`~1` is `/`).

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// A glob over value paths inside a spec, for the pairs of environments it
/// names.
///
/// ```
/// let rule: rollgate::environments::PathRule = rollgate::wire::from_json(
///     r#"{"path": "/services/*/replicas", "environments": ["dev"]}"#).unwrap();
/// assert_eq!(rule.environments, ["dev"]);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PathRule {
    /// The glob (see the module docs), starting with `/`.
    pub path: String,
    /// The rule applies to a pair that includes one of these environments
    /// (empty: every pair).
    #[serde(default)]
    pub environments: Vec<String>,
}

/// A checked [`PathRule`]: tokens split and unescaped, environments as
/// positions.
#[derive(Debug, Clone)]
pub(crate) struct CompiledRule {
    tokens: Vec<String>,
    environments: Vec<usize>,
}

impl CompiledRule {
    /// Compiles a rule found at `path` (for errors): the glob must start
    /// with `/` (`invalid_input` at `<path>/path`), every environment must be
    /// known (`unknown_environment` at `<path>/environments/<i>`).
    pub(crate) fn new(
        rule: &PathRule,
        path: &str,
        lookup: impl Fn(&str) -> Option<usize>,
    ) -> Result<Self> {
        let Some(body) = rule.path.strip_prefix('/') else {
            return Err(Error::invalid_input(
                format!("{path}/path"),
                format!(
                    "a path rule is a JSON pointer glob starting with `/`, got `{}`",
                    rule.path
                ),
            ));
        };
        let tokens = body
            .split('/')
            .map(|t| t.replace("~1", "/").replace("~0", "~"))
            .collect();
        let mut environments = Vec::with_capacity(rule.environments.len());
        for (i, id) in rule.environments.iter().enumerate() {
            match lookup(id) {
                Some(p) => environments.push(p),
                None => {
                    return Err(super::spec::unknown_environment(
                        format!("{path}/environments/{i}"),
                        id,
                    ))
                }
            }
        }
        Ok(CompiledRule {
            tokens,
            environments,
        })
    }

    /// Whether the rule covers the pair of environments at positions `a`, `b`.
    pub(crate) fn covers(&self, a: usize, b: usize) -> bool {
        self.environments.is_empty() || self.environments.iter().any(|&e| e == a || e == b)
    }

    /// Whether the rule's glob matches a path given as unescaped tokens.
    pub(crate) fn matches(&self, path: &[&str]) -> bool {
        match_tokens(&self.tokens, path)
    }
}

fn match_tokens(pattern: &[String], path: &[&str]) -> bool {
    match pattern.split_first() {
        None => path.is_empty(),
        Some((first, rest)) if first == "**" => {
            (0..=path.len()).any(|skip| path.get(skip..).is_some_and(|p| match_tokens(rest, p)))
        }
        Some((first, rest)) => match path.split_first() {
            Some((token, path_rest)) => glob(first, token) && match_tokens(rest, path_rest),
            None => false,
        },
    }
}

/// Whether `text` matches `pattern`, where `*` is any run of characters.
fn glob(pattern: &str, text: &str) -> bool {
    let mut parts = pattern.split('*');
    let Some(head) = parts.next() else {
        return true;
    };
    let Some(mut rest) = text.strip_prefix(head) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else {
        // No `*`: the whole text must have been the head.
        return rest.is_empty();
    };
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = rest.get(at + part.len()..).unwrap_or(""),
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(path: &str) -> CompiledRule {
        let rule = PathRule {
            path: path.into(),
            environments: vec![],
        };
        CompiledRule::new(&rule, "rules/allow/0", |_| Some(0)).unwrap()
    }

    #[test]
    fn globs_match_within_tokens_and_across_with_double_star() {
        assert!(rule("/services/*/replicas").matches(&["services", "api", "replicas"]));
        assert!(!rule("/services/*/replicas").matches(&["services", "api", "version"]));
        assert!(rule("/services/*/config/*secret*").matches(&[
            "services",
            "a",
            "config",
            "db.secret_key"
        ]));
        assert!(
            !rule("/services/*/config/*secret*").matches(&["services", "a", "config", "db.key"])
        );
        assert!(rule("/infrastructure/**").matches(&["infrastructure", "x"]));
        assert!(rule("/**/replicas").matches(&["services", "a", "replicas"]));
        assert!(rule("/data_volume/a~1b").matches(&["data_volume", "a/b"]));
        assert!(rule("/x/a*b*c").matches(&["x", "abc"]));
        assert!(!rule("/x/a*b*c").matches(&["x", "ac"]));
        assert!(!rule("/x/ab*b").matches(&["x", "ab"]));
        assert!(!rule("/x").matches(&["x", "y"]));
    }

    #[test]
    fn rules_need_a_pointer_and_known_environments() {
        let bad = PathRule {
            path: "services".into(),
            environments: vec![],
        };
        let err = CompiledRule::new(&bad, "rules/allow/2", |_| Some(0)).unwrap_err();
        assert_eq!(
            (err.code(), err.path()),
            ("invalid_input", "rules/allow/2/path")
        );
        let unknown = PathRule {
            path: "/x".into(),
            environments: vec!["qa".into()],
        };
        let err = CompiledRule::new(&unknown, "rules/allow/0", |_| None).unwrap_err();
        assert_eq!(
            (err.code(), err.path()),
            ("unknown_environment", "rules/allow/0/environments/0")
        );
    }
}
