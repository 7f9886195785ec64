//! Interval algebra on half-open `[start, end)` stretches of seconds since
//! the epoch, kept sorted and disjoint: merge, intersect, subtract, and the
//! earliest fit of a deployment.

/// A half-open interval `[start, end)` of seconds since the epoch.
pub(crate) type Span = (i64, i64);

/// Sorts and merges overlapping or touching intervals.
pub(crate) fn merge(mut v: Vec<Span>) -> Vec<Span> {
    v.sort_unstable();
    let mut out: Vec<Span> = Vec::with_capacity(v.len());
    for (s, e) in v {
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

/// Intersection of two sorted, disjoint interval lists.
pub(crate) fn intersect(a: &[Span], b: &[Span]) -> Vec<Span> {
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while let (Some(&(s1, e1)), Some(&(s2, e2))) = (a.get(i), b.get(j)) {
        let (s, e) = (s1.max(s2), e1.min(e2));
        if s < e {
            out.push((s, e));
        }
        if e1 < e2 {
            i += 1;
        } else {
            j += 1;
        }
    }
    out
}

/// `a` minus `b`, both sorted and disjoint.
pub(crate) fn subtract(a: &[Span], b: &[Span]) -> Vec<Span> {
    let mut out = Vec::new();
    let mut j = 0;
    for &(s, e) in a {
        let mut cur = s;
        while let Some(&(ds, de)) = b.get(j) {
            if de <= cur {
                j += 1;
                continue;
            }
            if ds >= e {
                break;
            }
            if ds > cur {
                out.push((cur, ds));
            }
            cur = cur.max(de);
            if de >= e {
                break;
            }
            j += 1;
        }
        if cur < e {
            out.push((cur, e));
        }
    }
    out
}

/// Earliest `x >= t`, `x <= limit`, such that `[x, x + d)` lies inside one of
/// the sorted, disjoint intervals (`x` inside one when `d == 0`).
pub(crate) fn find_fit(free: &[Span], t: i64, d: i64, limit: i64) -> Option<i64> {
    let first = free.partition_point(|&(_, e)| e <= t);
    for &(s, e) in free.get(first..).unwrap_or(&[]) {
        let x = s.max(t);
        if x > limit {
            return None;
        }
        if (d == 0 && x < e) || (d > 0 && e - x >= d) {
            return Some(x);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_joins_overlapping_and_touching_intervals() {
        assert_eq!(merge(vec![(5, 7), (1, 3), (3, 4)]), vec![(1, 4), (5, 7)]);
        assert_eq!(merge(vec![(1, 10), (2, 3)]), vec![(1, 10)]);
        assert_eq!(merge(vec![(1, 2), (4, 5)]), vec![(1, 2), (4, 5)]);
        assert_eq!(merge(Vec::new()), Vec::<Span>::new());
    }

    #[test]
    fn intersect_keeps_only_common_parts() {
        assert_eq!(
            intersect(&[(0, 10)], &[(2, 3), (5, 12)]),
            vec![(2, 3), (5, 10)]
        );
        assert_eq!(
            intersect(&[(0, 4), (6, 10)], &[(0, 10)]),
            vec![(0, 4), (6, 10)]
        );
        // Touching is not overlapping.
        assert_eq!(intersect(&[(0, 5)], &[(5, 9)]), Vec::<Span>::new());
        assert_eq!(
            intersect(&[(0, 5), (7, 9)], &[(4, 8)]),
            vec![(4, 5), (7, 8)]
        );
    }

    #[test]
    fn subtract_cuts_holes() {
        assert_eq!(
            subtract(&[(0, 10), (20, 30)], &[(2, 3), (8, 22)]),
            vec![(0, 2), (3, 8), (22, 30)]
        );
        assert_eq!(subtract(&[(0, 10)], &[(0, 10)]), Vec::<Span>::new());
        assert_eq!(subtract(&[(0, 10)], &[(-5, 0), (10, 12)]), vec![(0, 10)]);
        assert_eq!(subtract(&[(0, 10)], &[(0, 4)]), vec![(4, 10)]);
        assert_eq!(subtract(&[(0, 10)], &[(6, 10)]), vec![(0, 6)]);
        assert_eq!(
            subtract(&[(0, 4), (6, 10)], &[(3, 7)]),
            vec![(0, 3), (7, 10)]
        );
        assert_eq!(
            subtract(&[(0, 10), (12, 14)], &[(1, 2), (3, 4), (13, 20)]),
            vec![(0, 1), (2, 3), (4, 10), (12, 13)]
        );
    }

    #[test]
    fn find_fit_takes_the_earliest_long_enough_stretch() {
        assert_eq!(find_fit(&[(0, 5), (10, 20)], 3, 4, 100), Some(10));
        assert_eq!(find_fit(&[(0, 5), (10, 20)], 3, 2, 100), Some(3));
        assert_eq!(find_fit(&[(0, 5), (10, 20)], 3, 0, 100), Some(3));
        // A zero-length deployment needs a point inside, not the end.
        assert_eq!(find_fit(&[(0, 5), (10, 20)], 5, 0, 100), Some(10));
        assert_eq!(find_fit(&[(0, 5), (10, 20)], 16, 4, 100), Some(16));
        assert_eq!(find_fit(&[(0, 5), (10, 20)], 17, 4, 100), None);
        // Nothing may start after the limit.
        assert_eq!(find_fit(&[(0, 5), (10, 20)], 3, 4, 9), None);
        assert_eq!(find_fit(&[(0, 5), (10, 20)], 3, 4, 10), Some(10));
        assert_eq!(find_fit(&[], 0, 0, 100), None);
    }
}
