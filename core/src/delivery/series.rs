//! Calendar arithmetic in UTC for delivery metrics: the fourkeys-style
//! deployment-frequency bucket, and the week or month buckets of a series.
//!
//! Days, weeks and months are UTC: days start at 00:00 UTC, weeks on Monday
//! (ISO 8601; fourkeys' BigQuery `WEEK` starts on Sunday), months on the 1st.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::metrics::Window;
use super::records::SeriesPeriod;

const DAY_MS: i64 = 86_400_000;

/// How often a team deploys, as the fourkeys dashboard buckets it.
///
/// Over the UTC days of the window, grouped into weeks: **daily** when the
/// median week has deployments on at least 3 days; else **weekly** when
/// most weeks (the median week) have a deployment; else **monthly** when
/// the median over weeks of "weeks with a deployment in this week's month"
/// is at least 1; else **yearly**. Only successful deployments count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum FrequencyBucket {
    /// Deployments on 3 or more days in the median week.
    Daily,
    /// A deployment in most weeks.
    Weekly,
    /// A deployment in most months.
    Monthly,
    /// Less often.
    Yearly,
}

/// The UTC day number (days since 1970-01-01) of a millisecond instant.
fn day_of(ms: i64) -> i64 {
    ms.div_euclid(DAY_MS)
}

/// The Monday (day number) of the week holding `day`; 1970-01-01 was a Thursday.
fn monday_of(day: i64) -> i64 {
    day - (day + 3).rem_euclid(7)
}

/// `(year, month)` of a day number, as one increasing integer.
fn month_of(day: i64) -> i64 {
    let date = NaiveDate::from_num_days_from_ce_opt(day_to_ce(day));
    date.map_or(0, |d| i64::from(d.year()) * 12 + i64::from(d.month0()))
}

/// Day number → chrono's days from the common era (0001-01-01 is day 1).
fn day_to_ce(day: i64) -> i32 {
    i32::try_from(day + 719_163).unwrap_or(i32::MAX)
}

/// Median (R type 7 at ½) of small counts.
fn median(values: &mut [u32]) -> f64 {
    values.sort_unstable();
    let n = values.len();
    match (values.get((n.max(1) - 1) / 2), values.get(n / 2)) {
        (Some(a), Some(b)) => (f64::from(*a) + f64::from(*b)) / 2.0,
        _ => 0.0,
    }
}

/// The fourkeys bucket of the successful deployments finishing on
/// `deploy_days` (UTC day numbers, any order, repeats allowed) within
/// `window`; none for an empty window.
pub(crate) fn fourkeys_bucket(
    deploy_days: &mut Vec<i64>,
    window: Window,
) -> Option<FrequencyBucket> {
    if window.to <= window.from {
        return None;
    }
    let (first, last) = (day_of(window.from), day_of(window.to - 1));
    deploy_days.sort_unstable();
    deploy_days.dedup();
    // One row per week touching the window: (monday, days deployed).
    let mut weeks: Vec<(i64, u32)> = Vec::new();
    let mut monday = monday_of(first);
    while monday <= last {
        let (lo, hi) = (monday.max(first), (monday + 6).min(last));
        let start = deploy_days.partition_point(|d| *d < lo);
        let end = deploy_days.partition_point(|d| *d <= hi);
        weeks.push((monday, u32::try_from(end - start).unwrap_or(u32::MAX)));
        monday += 7;
    }
    let mut days_deployed: Vec<u32> = weeks.iter().map(|(_, n)| *n).collect();
    if median(&mut days_deployed) >= 3.0 {
        return Some(FrequencyBucket::Daily);
    }
    let mut week_deployed: Vec<u32> = weeks.iter().map(|(_, n)| u32::from(*n > 0)).collect();
    if median(&mut week_deployed) >= 1.0 {
        return Some(FrequencyBucket::Weekly);
    }
    // Each week row carries the number of deploying weeks in its month
    // (the month its Monday falls in).
    let months: Vec<i64> = weeks.iter().map(|(m, _)| month_of(*m)).collect();
    let mut per_month: std::collections::BTreeMap<i64, u32> = std::collections::BTreeMap::new();
    for ((_, n), month) in weeks.iter().zip(&months) {
        *per_month.entry(*month).or_default() += u32::from(*n > 0);
    }
    let mut monthly: Vec<u32> = months
        .iter()
        .map(|month| per_month.get(month).copied().unwrap_or(0))
        .collect();
    if median(&mut monthly) >= 1.0 {
        Some(FrequencyBucket::Monthly)
    } else {
        Some(FrequencyBucket::Yearly)
    }
}

/// The most buckets one series may have (a weekly series of 190 years).
pub const MAX_BUCKETS: usize = 10_000;

/// How many buckets a series over `window` has.
pub(crate) fn bucket_count(period: SeriesPeriod, window: Window) -> usize {
    if window.to <= window.from {
        return 0;
    }
    bucket_index(period, window, window.to - 1) + 1
}

/// The buckets of a series over `window`: consecutive weeks or months, each
/// clipped to the window; none for an empty window.
pub(crate) fn buckets(period: SeriesPeriod, window: Window) -> Vec<Window> {
    let mut out = Vec::new();
    if window.to <= window.from {
        return out;
    }
    let mut start = match period {
        SeriesPeriod::Week => monday_of(day_of(window.from)) * DAY_MS,
        SeriesPeriod::Month => month_start(window.from),
    };
    while start < window.to {
        let end = match period {
            SeriesPeriod::Week => start + 7 * DAY_MS,
            SeriesPeriod::Month => next_month_start(start),
        };
        out.push(Window {
            from: start.max(window.from),
            to: end.min(window.to),
        });
        start = end;
    }
    out
}

/// The index of the bucket holding `t` among [`buckets`]`(period, window)`.
pub(crate) fn bucket_index(period: SeriesPeriod, window: Window, t: i64) -> usize {
    let index = match period {
        SeriesPeriod::Week => (monday_of(day_of(t)) - monday_of(day_of(window.from))) / 7,
        SeriesPeriod::Month => month_of(day_of(t)) - month_of(day_of(window.from)),
    };
    usize::try_from(index).unwrap_or(0)
}

fn month_start(ms: i64) -> i64 {
    let day = day_of(ms);
    let date = NaiveDate::from_num_days_from_ce_opt(day_to_ce(day));
    date.map_or(day * DAY_MS, |d| (day - i64::from(d.day0())) * DAY_MS)
}

fn next_month_start(month_start_ms: i64) -> i64 {
    // 32 days after the 1st is always in the next month.
    month_start(month_start_ms + 32 * DAY_MS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> i64 {
        let d = NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap();
        i64::from(d.num_days_from_ce()) - 719_163
    }

    fn window(from: &str, to: &str) -> Window {
        Window {
            from: day(from) * DAY_MS,
            to: day(to) * DAY_MS,
        }
    }

    #[test]
    fn weeks_start_on_monday_utc() {
        assert_eq!(monday_of(day("2026-03-05")), day("2026-03-02"));
        assert_eq!(monday_of(day("2026-03-02")), day("2026-03-02"));
        assert_eq!(monday_of(day("1969-12-31")), day("1969-12-29"));
        assert_eq!(
            month_start(day("2026-02-17") * DAY_MS),
            day("2026-02-01") * DAY_MS
        );
        assert_eq!(
            next_month_start(day("2026-01-01") * DAY_MS),
            day("2026-02-01") * DAY_MS
        );
    }

    #[test]
    fn buckets_tile_the_window() {
        let w = window("2026-01-15", "2026-03-10");
        let months = buckets(SeriesPeriod::Month, w);
        assert_eq!(months.len(), 3);
        assert_eq!(months[0].from, w.from);
        assert_eq!(months[1].from, day("2026-02-01") * DAY_MS);
        assert_eq!(months[2].to, w.to);
        for t in [w.from, day("2026-02-28") * DAY_MS, w.to - 1] {
            let i = bucket_index(SeriesPeriod::Month, w, t);
            assert!(months[i].contains(t));
            let weeks = buckets(SeriesPeriod::Week, w);
            let j = bucket_index(SeriesPeriod::Week, w, t);
            assert!(weeks[j].contains(t));
        }
        assert!(buckets(SeriesPeriod::Week, window("2026-01-01", "2026-01-01")).is_empty());
    }

    #[test]
    fn fourkeys_buckets() {
        // Four whole weeks (Mon 2026-03-02 .. Sun 2026-03-29).
        let w = window("2026-03-02", "2026-03-30");
        let every_weekday: Vec<i64> = (0..28)
            .filter(|i| i % 7 < 5)
            .map(|i| day("2026-03-02") + i)
            .collect();
        assert_eq!(
            fourkeys_bucket(&mut every_weekday.clone(), w),
            Some(FrequencyBucket::Daily)
        );
        // Three of four weeks with one deployment: median week deployed.
        let mut some = vec![day("2026-03-03"), day("2026-03-10"), day("2026-03-17")];
        assert_eq!(fourkeys_bucket(&mut some, w), Some(FrequencyBucket::Weekly));
        // Two of four: the median of [0, 0, 1, 1] is 0.5: not weekly; every
        // week's month (March) has deploying weeks: monthly.
        let mut half = vec![day("2026-03-03"), day("2026-03-10")];
        assert_eq!(
            fourkeys_bucket(&mut half, w),
            Some(FrequencyBucket::Monthly)
        );
        assert_eq!(
            fourkeys_bucket(&mut vec![], w),
            Some(FrequencyBucket::Yearly)
        );
        assert_eq!(
            fourkeys_bucket(&mut vec![], window("2026-03-02", "2026-03-02")),
            None
        );
    }
}
