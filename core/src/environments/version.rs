//! Versions and their order: migration versions as Flyway reads them
//! (`1`, `1.1`, `2_0_3`, an optional leading `V`; trailing zero parts do not
//! count, so `1.0` is `1`), and release versions of services
//! (`1.4.2`, `v2.0.0-rc.1+build.5`, ordered by semantic-versioning
//! precedence).

use std::cmp::Ordering;

/// A migration version: dot- or underscore-separated whole numbers.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct MigrationVersion(Vec<u64>);

impl MigrationVersion {
    /// Reads a version, or says why it is not one.
    pub(crate) fn parse(text: &str) -> Result<Self, String> {
        let body = text.strip_prefix(['V', 'v']).unwrap_or(text);
        let mut parts = Vec::new();
        for part in body.split(['.', '_']) {
            if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
                return Err(format!(
                    "version `{text}` must be whole numbers separated by `.` or `_`, e.g. 1.2 or V2_1"
                ));
            }
            parts.push(
                part.parse::<u64>()
                    .map_err(|_| format!("version `{text}` has a part too large"))?,
            );
        }
        while parts.last() == Some(&0) && parts.len() > 1 {
            parts.pop();
        }
        Ok(MigrationVersion(parts))
    }
}

impl Ord for MigrationVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        // Missing parts count as 0 (trailing zeros were trimmed).
        let n = self.0.len().max(other.0.len());
        (0..n)
            .map(|i| {
                let a = self.0.get(i).copied().unwrap_or(0);
                let b = other.0.get(i).copied().unwrap_or(0);
                a.cmp(&b)
            })
            .find(|o| o.is_ne())
            .unwrap_or(Ordering::Equal)
    }
}

impl PartialOrd for MigrationVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Compares two release versions by semantic-versioning precedence (numeric
/// core parts, then pre-release identifiers, a release after its
/// pre-releases; build metadata ignored); `None` when either does not read
/// as a release version.
pub(crate) fn compare_release(a: &str, b: &str) -> Option<Ordering> {
    let (a, b) = (Release::parse(a)?, Release::parse(b)?);
    Some(a.cmp(&b))
}

#[derive(Debug, PartialEq, Eq)]
struct Release<'a> {
    core: MigrationVersion,
    pre: Vec<&'a str>,
}

impl<'a> Release<'a> {
    fn parse(text: &'a str) -> Option<Self> {
        let text = text.strip_prefix(['v', 'V']).unwrap_or(text);
        let text = text.split_once('+').map_or(text, |(before, _)| before);
        let (core, pre) = match text.split_once('-') {
            Some((core, pre)) => (core, Some(pre)),
            None => (text, None),
        };
        if core.contains('_') {
            return None;
        }
        let core = MigrationVersion::parse(core).ok()?;
        let pre: Vec<&str> = match pre {
            Some(p) => p.split('.').collect(),
            None => Vec::new(),
        };
        if pre
            .iter()
            .any(|id| id.is_empty() || !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
        {
            return None;
        }
        Some(Release { core, pre })
    }
}

impl Ord for Release<'_> {
    fn cmp(&self, other: &Self) -> Ordering {
        self.core
            .cmp(&other.core)
            .then_with(|| match (self.pre.is_empty(), other.pre.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => compare_pre(&self.pre, &other.pre),
            })
    }
}

impl PartialOrd for Release<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

fn compare_pre(a: &[&str], b: &[&str]) -> Ordering {
    for (x, y) in a.iter().zip(b) {
        let o = match (x.parse::<u64>(), y.parse::<u64>()) {
            (Ok(x), Ok(y)) => x.cmp(&y),
            (Ok(_), Err(_)) => Ordering::Less,
            (Err(_), Ok(_)) => Ordering::Greater,
            (Err(_), Err(_)) => x.cmp(y),
        };
        if o.is_ne() {
            return o;
        }
    }
    a.len().cmp(&b.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migration_versions_read_as_flyway_reads_them() {
        let v = |s| MigrationVersion::parse(s).unwrap();
        assert_eq!(v("1.0"), v("1"));
        assert_eq!(v("V2_1"), v("2.1"));
        assert!(v("1.10") > v("1.9"));
        assert!(v("2") > v("1.9.9"));
        for bad in ["", "1..2", "a", "1.x", "V", "-1", "99999999999999999999999"] {
            assert!(MigrationVersion::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn release_versions_follow_semver_precedence() {
        use Ordering::*;
        assert_eq!(compare_release("1.4.2", "1.4.10"), Some(Less));
        assert_eq!(compare_release("v2.0.0", "2.0.0+build.7"), Some(Equal));
        assert_eq!(compare_release("2.0.0-rc.1", "2.0.0"), Some(Less));
        assert_eq!(compare_release("2.0.0-rc.2", "2.0.0-rc.10"), Some(Less));
        assert_eq!(compare_release("2.0.0-alpha", "2.0.0-1"), Some(Greater));
        assert_eq!(compare_release("2.0.0-rc", "2.0.0-rc.1"), Some(Less));
        assert_eq!(compare_release("abc123", "1.0"), None);
        assert_eq!(compare_release("1_0", "1.0"), None);
        assert_eq!(compare_release("1.0-", "1.0"), None);
    }
}
