//! The Kayenta score of a canary run: the share of passing metrics per
//! group, weighted across groups.

use std::collections::BTreeMap;

use serde::Serialize;

use super::classify::Classification;

/// Score of one group.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct GroupScore {
    /// Percentage of passing metrics (`no_data` excluded); `null` when the
    /// group has no classified metric.
    pub score: Option<f64>,
    /// Effective weight in percent.
    pub weight: f64,
    /// Metrics classified `pass`.
    pub pass: usize,
    /// Metrics classified `high`, `low` or `no_data_fail`.
    pub fail: usize,
    /// Metrics classified `no_data`.
    pub no_data: usize,
    /// Metrics classified `continue` (not decided yet), left out like
    /// `no_data`.
    pub undecided: usize,
}

/// The score per group and overall (0 when no group has a score).
///
/// Each group's score is the percentage of its metrics classified `pass`
/// among those classified `pass` or failing (`no_data` and `continue`
/// excluded). Groups
/// with a configured weight keep it, the others share the rest of 100
/// equally; only groups with a score take part, and the weights are scaled
/// to add up to 100.
pub(crate) fn group_scores<'a>(
    weights: &BTreeMap<String, f64>,
    metrics: impl IntoIterator<Item = (&'a str, Classification)>,
) -> (BTreeMap<String, GroupScore>, f64) {
    let mut groups: BTreeMap<String, GroupScore> = BTreeMap::new();
    for (group, classification) in metrics {
        let g = groups.entry(group.to_string()).or_insert(GroupScore {
            score: None,
            weight: 0.0,
            pass: 0,
            fail: 0,
            no_data: 0,
            undecided: 0,
        });
        match classification {
            Classification::Pass => g.pass += 1,
            Classification::NoData => g.no_data += 1,
            Classification::Continue => g.undecided += 1,
            Classification::High | Classification::Low | Classification::NoDataFail => g.fail += 1,
        }
    }
    for g in groups.values_mut() {
        let counted = g.pass + g.fail;
        if counted > 0 {
            g.score = Some(100.0 * g.pass as f64 / counted as f64);
        }
    }
    let configured: f64 = groups
        .iter()
        .filter(|(n, g)| g.score.is_some() && weights.contains_key(*n))
        .filter_map(|(n, _)| weights.get(n))
        .sum();
    let unweighted = groups
        .iter()
        .filter(|(n, g)| g.score.is_some() && !weights.contains_key(*n))
        .count();
    let share = if unweighted > 0 {
        (100.0 - configured).max(0.0) / unweighted as f64
    } else {
        0.0
    };
    for (name, g) in groups.iter_mut() {
        if g.score.is_some() {
            g.weight = weights.get(name).copied().unwrap_or(share);
        }
    }
    let total_weight: f64 = groups.values().map(|g| g.weight).sum();
    let mut score = 0.0;
    if total_weight > 0.0 {
        score = groups
            .values()
            .filter_map(|g| g.score.map(|s| s * g.weight))
            .sum::<f64>()
            / total_weight;
        for g in groups.values_mut() {
            g.weight = 100.0 * g.weight / total_weight;
        }
    }
    (groups, score)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Classification::*;

    fn scores(
        weights: &[(&str, f64)],
        list: &[(Classification, &str)],
    ) -> (BTreeMap<String, GroupScore>, f64) {
        let weights = weights.iter().map(|(g, w)| (g.to_string(), *w)).collect();
        group_scores(&weights, list.iter().map(|(c, g)| (*g, *c)))
    }

    #[test]
    fn one_group_scores_the_share_of_passing_metrics() {
        let list = [
            (Pass, "g"),
            (High, "g"),
            (NoData, "g"),
            (NoDataFail, "g"),
            (Pass, "g"),
            (Continue, "g"),
            (Low, "g"),
            (Pass, "g"),
        ];
        let (groups, score) = scores(&[], &list);
        let g = &groups["g"];
        assert_eq!((g.pass, g.fail, g.no_data, g.undecided), (3, 3, 1, 1));
        assert_eq!(g.score, Some(50.0));
        assert_eq!(g.weight, 100.0);
        assert_eq!(score, 50.0);
    }

    #[test]
    fn unweighted_groups_share_the_rest_and_weights_scale_to_100() {
        let list = [(Pass, "x"), (Low, "y"), (Pass, "z"), (NoData, "w")];
        let (groups, score) = scores(&[("x", 40.0)], &list);
        let weight = |g: &str| groups[g].weight;
        assert_eq!((weight("x"), weight("y"), weight("z")), (40.0, 30.0, 30.0));
        assert_eq!((groups["w"].score, weight("w")), (None, 0.0));
        assert!((score - 70.0).abs() < 1e-12);
        // Configured weights under 100 with no other group are scaled up.
        let (groups, score) = scores(&[("x", 20.0), ("y", 30.0)], &[(Pass, "x"), (Low, "y")]);
        assert_eq!((groups["x"].weight, groups["y"].weight), (40.0, 60.0));
        assert!((score - 40.0).abs() < 1e-12);
        // Configured weights of 100 leave nothing for the others.
        let (groups, score) = scores(&[("x", 100.0)], &[(Pass, "x"), (Low, "y")]);
        assert_eq!(
            (groups["x"].weight, groups["y"].weight, score),
            (100.0, 0.0, 100.0)
        );
    }

    #[test]
    fn no_scored_group_gives_0() {
        let (groups, score) = scores(&[], &[(NoData, "g"), (Continue, "g")]);
        assert_eq!(
            (groups["g"].score, groups["g"].weight, score),
            (None, 0.0, 0.0)
        );
        let (groups, score) = scores(&[], &[]);
        assert!(groups.is_empty());
        assert_eq!(score, 0.0);
    }
}
