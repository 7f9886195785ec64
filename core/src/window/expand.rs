//! Expanding a calendar's rules into concrete instants: the occurrences of
//! each window near a stretch of time, resolved in the calendar's zone, and
//! the allowed stretches (allow ∩ coverage, minus deny) they leave.
//!
//! Local times are resolved the way JavaScript's Temporal does by default
//! (`"compatible"`): a time skipped by a spring-forward change moves forward
//! by the length of the gap, a time repeated by a fall-back change means its
//! first occurrence.

use chrono::{
    DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, Offset,
    TimeZone, Utc,
};
use chrono_tz::Tz;

use super::compile::{Calendar, Rule, Window};
use super::intervals::{intersect, merge, subtract, Span};
use super::spec::Period;
use super::DAY;

/// Resolves a local wall-clock time to an instant (Temporal's "compatible"
/// rule: gaps move forward by their length, repeated times take the first).
pub(crate) fn resolve(tz: &Tz, local: NaiveDateTime) -> i64 {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => t.timestamp(),
        LocalResult::Ambiguous(a, b) => a.timestamp().min(b.timestamp()),
        LocalResult::None => {
            // Inside a gap: read the time with the offset in force before it.
            let before = local.and_utc().timestamp() - DAY;
            let offset = DateTime::<Utc>::from_timestamp(before, 0)
                .map(|u| tz.offset_from_utc_datetime(&u.naive_utc()).fix())
                .map_or(0, |o| i64::from(o.local_minus_utc()));
            local.and_utc().timestamp() - offset
        }
    }
}

fn local_date(tz: &Tz, t: i64) -> NaiveDate {
    DateTime::<Utc>::from_timestamp(t, 0)
        .map(|u| u.with_timezone(tz).date_naive())
        .unwrap_or_default()
}

fn midnight(date: NaiveDate) -> NaiveDateTime {
    date.and_time(NaiveTime::MIN)
}

/// The first day of the month numbered `m` (years × 12 + month0).
fn month_start(m: i32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(m.div_euclid(12), (m.rem_euclid(12) + 1) as u32, 1)
}

impl Calendar {
    /// Occurrences of one window intersecting `[a, b]` (with a margin of two
    /// days each side), appended to `out`.
    pub(crate) fn occurrences(&self, w: &Window, a: i64, b: i64, out: &mut Vec<Span>) {
        let tz = &self.tz;
        let first = local_date(tz, a) - Duration::days(2);
        let last = local_date(tz, b) + Duration::days(2);
        match &w.rule {
            Rule::Weekly { days, start, end } => {
                let mut date = first;
                while date <= last {
                    let weekday = date.weekday().num_days_from_monday() as usize;
                    if days.get(weekday).copied().unwrap_or(false) {
                        let base = midnight(date);
                        let s = resolve(tz, base + Duration::seconds(*start));
                        let e = resolve(tz, base + Duration::seconds(*end));
                        // A window entirely inside a skipped hour vanishes.
                        if e > s && e > a - 2 * DAY && s < b + 2 * DAY {
                            out.push((s, e));
                        }
                    }
                    date += Duration::days(1);
                }
            }
            Rule::Absolute { from, to } => {
                if *to > a - 2 * DAY && *from < b + 2 * DAY {
                    out.push((*from, *to));
                }
            }
            Rule::Day(date) => {
                if *date >= first && *date <= last {
                    let s = resolve(tz, midnight(*date));
                    let e = resolve(tz, midnight(*date + Duration::days(1)));
                    out.push((s, e));
                }
            }
            Rule::Periodic {
                every,
                first: at_start,
                count,
            } => self.periodic(*every, *at_start, *count, first, last, out),
        }
    }

    /// Occurrences of a periodic window on the days `first..=last`.
    fn periodic(
        &self,
        every: Period,
        at_start: bool,
        count: u32,
        first: NaiveDate,
        last: NaiveDate,
        out: &mut Vec<Span>,
    ) {
        let step = every.months();
        // Walk the periods from a year before `first` to a year after `last`.
        let start_month = (first.year() * 12 + first.month0() as i32) - 12;
        let end_month = last.year() * 12 + last.month0() as i32 + 12;
        let mut m = start_month - start_month.rem_euclid(step);
        while m <= end_month {
            if let (Some(ps), Some(pe)) = (month_start(m), month_start(m + step)) {
                let n = Duration::days(i64::from(count));
                let (ds, de) = if at_start { (ps, ps + n) } else { (pe - n, pe) };
                if de >= first && ds <= last {
                    out.push((
                        resolve(&self.tz, midnight(ds)),
                        resolve(&self.tz, midnight(de)),
                    ));
                }
            }
            m += step;
        }
    }

    /// The occurrences of every window of `list` near `[a, b]`, merged.
    pub(crate) fn merged(&self, list: &[Window], a: i64, b: i64) -> Vec<Span> {
        let mut v = Vec::new();
        for w in list {
            self.occurrences(w, a, b, &mut v);
        }
        merge(v)
    }

    /// Allowed stretches (allow ∩ coverage, minus deny) covering `[a, b]`;
    /// stretches are clipped three days beyond it. With `with_deny` false,
    /// deny windows are ignored.
    pub(crate) fn free(&self, a: i64, b: i64, with_deny: bool) -> Vec<Span> {
        let everything = vec![(a - 3 * DAY, b + 3 * DAY)];
        let allow = if self.allow.is_empty() {
            everything.clone()
        } else {
            intersect(&self.merged(&self.allow, a, b), &everything)
        };
        let open = if self.coverage.is_empty() {
            allow
        } else {
            intersect(&allow, &self.merged(&self.coverage, a, b))
        };
        if with_deny && !self.deny.is_empty() {
            subtract(&open, &self.merged(&self.deny, a, b))
        } else {
            open
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cal(json: &str) -> Calendar {
        Calendar::new(&crate::wire::from_json(json).unwrap()).unwrap()
    }

    fn at(text: &str) -> i64 {
        crate::wire::time::parse_timestamp("t", text)
            .unwrap()
            .timestamp()
    }

    fn local(date: &str, time: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(&format!("{date} {time}"), "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn resolve_follows_temporal_compatible() {
        let ny = chrono_tz::America::New_York;
        // An ordinary time.
        assert_eq!(
            resolve(&ny, local("2026-03-07", "09:00")),
            at("2026-03-07T09:00:00-05:00")
        );
        // Skipped by spring forward (02:00 → 03:00): moves forward by the gap.
        assert_eq!(
            resolve(&ny, local("2026-03-08", "02:30")),
            at("2026-03-08T03:30:00-04:00")
        );
        // Repeated by fall back: the first (EDT) occurrence.
        assert_eq!(
            resolve(&ny, local("2026-11-01", "01:30")),
            at("2026-11-01T01:30:00-04:00")
        );
    }

    #[test]
    fn weekly_occurrences_cover_the_range_with_a_margin() {
        let c = cal(r#"{"allow": [{"days": ["wed"], "start": "22:00", "end": "02:00"}]}"#);
        let mut out = Vec::new();
        // Monday 2026-11-23 .. Monday 2026-11-30, margins of two days.
        c.occurrences(
            &c.allow[0],
            at("2026-11-23T12:00:00Z"),
            at("2026-11-30T12:00:00Z"),
            &mut out,
        );
        assert_eq!(
            out,
            vec![(at("2026-11-25T22:00:00Z"), at("2026-11-26T02:00:00Z"))]
        );
        let mut out = Vec::new();
        c.occurrences(
            &c.allow[0],
            at("2026-11-20T00:00:00Z"),
            at("2026-11-21T00:00:00Z"),
            &mut out,
        );
        assert_eq!(
            out,
            vec![(at("2026-11-18T22:00:00Z"), at("2026-11-19T02:00:00Z"))]
        );
    }

    #[test]
    fn resolve_reads_a_gap_with_the_offset_before_it() {
        // Lisbon, 2026-03-29: 01:00 WET → 02:00 WEST. 01:30 is read at +00:00
        // (the offset the day before), not at Lisbon's 1970 offset (+01:00).
        let lisbon = chrono_tz::Europe::Lisbon;
        assert_eq!(
            resolve(&lisbon, local("2026-03-29", "01:30")),
            at("2026-03-29T02:30:00+01:00")
        );
        assert_eq!(
            resolve(&lisbon, local("2026-03-29", "00:59")),
            at("2026-03-29T00:59:00+00:00")
        );
        assert_eq!(
            resolve(&lisbon, local("2026-03-29", "02:00")),
            at("2026-03-29T02:00:00+01:00")
        );
    }

    #[test]
    fn weekly_occurrences_keep_two_days_of_margin_exactly() {
        let c = cal(r#"{"allow": [{"start": "09:00", "end": "10:00"}]}"#);
        let starts = |a: &str, b: &str| {
            let mut out = Vec::new();
            c.occurrences(&c.allow[0], at(a), at(b), &mut out);
            out.iter()
                .map(|&(s, e)| {
                    assert_eq!(e - s, 3600);
                    crate::wire::time::format_in(&chrono_tz::UTC, s)
                })
                .collect::<Vec<_>>()
        };
        // Saturday's window ends exactly two days before Monday 10:00: out.
        assert_eq!(
            starts("2026-11-23T10:00:00Z", "2026-11-23T10:00:00Z"),
            [
                "2026-11-22T09:00:00+00:00",
                "2026-11-23T09:00:00+00:00",
                "2026-11-24T09:00:00+00:00",
                "2026-11-25T09:00:00+00:00"
            ]
        );
        // Wednesday's starts exactly two days after Monday 09:00: out.
        assert_eq!(
            starts("2026-11-23T09:00:00Z", "2026-11-23T09:00:00Z"),
            [
                "2026-11-21T09:00:00+00:00",
                "2026-11-22T09:00:00+00:00",
                "2026-11-23T09:00:00+00:00",
                "2026-11-24T09:00:00+00:00"
            ]
        );
        assert_eq!(
            starts("2026-11-23T09:30:00Z", "2026-11-24T09:30:00Z").len(),
            6
        );
    }

    #[test]
    fn periodic_occurrences_near_the_range_only() {
        let c = cal(r#"{"deny": [{"every": "quarter", "last_days": 3}]}"#);
        let near = |a: &str, b: &str| {
            let mut out = Vec::new();
            c.occurrences(&c.deny[0], at(a), at(b), &mut out);
            out
        };
        let q1 = (at("2026-03-29T00:00:00Z"), at("2026-04-01T00:00:00Z"));
        let q4 = (at("2025-12-29T00:00:00Z"), at("2026-01-01T00:00:00Z"));
        // The days `first..=last` are the range's days widened by two.
        assert_eq!(
            near("2026-04-03T00:00:00Z", "2026-04-03T00:00:00Z"),
            vec![q1]
        );
        assert_eq!(near("2026-04-04T00:00:00Z", "2026-04-04T00:00:00Z"), vec![]);
        assert_eq!(
            near("2026-03-27T00:00:00Z", "2026-03-27T00:00:00Z"),
            vec![q1]
        );
        assert_eq!(near("2026-03-26T00:00:00Z", "2026-03-26T00:00:00Z"), vec![]);
        assert_eq!(
            near("2026-01-01T00:00:00Z", "2026-03-30T00:00:00Z"),
            vec![q4, q1]
        );
        let c = cal(
            r#"{"time_zone": "Asia/Tokyo", "deny": [{"every": "month", "first_days": 2}, {"every": "year", "last_days": 1}]}"#,
        );
        let mut out = Vec::new();
        c.occurrences(
            &c.deny[0],
            at("2026-02-28T00:00:00+09:00"),
            at("2026-03-02T00:00:00+09:00"),
            &mut out,
        );
        assert_eq!(
            out,
            vec![(
                at("2026-03-01T00:00:00+09:00"),
                at("2026-03-03T00:00:00+09:00")
            )]
        );
        let mut out = Vec::new();
        c.occurrences(
            &c.deny[1],
            at("2027-01-01T12:00:00+09:00"),
            at("2027-01-01T12:00:00+09:00"),
            &mut out,
        );
        assert_eq!(
            out,
            vec![(
                at("2026-12-31T00:00:00+09:00"),
                at("2027-01-01T00:00:00+09:00")
            )]
        );
    }

    #[test]
    fn a_window_ending_where_the_skipped_hour_ends_vanishes() {
        // Berlin, 2026-03-29: 02:00 → 03:00. 02:10 moves to 03:10 CEST, after
        // the 03:00 end, so that day's window vanishes; 02:10–02:50 moves
        // whole to 03:10–03:50.
        let c = cal(
            r#"{"time_zone": "Europe/Berlin", "allow": [{"start": "02:10", "end": "03:00"}, {"start": "02:10", "end": "02:50"}]}"#,
        );
        let day = (
            at("2026-03-29T00:00:00+01:00"),
            at("2026-03-30T00:00:00+02:00"),
        );
        let on_the_day = |w: usize| {
            let mut out = Vec::new();
            c.occurrences(
                &c.allow[w],
                at("2026-03-29T00:00:00Z"),
                at("2026-03-29T06:00:00Z"),
                &mut out,
            );
            assert_eq!(out.len(), 4 + w);
            out.into_iter()
                .filter(|&(s, _)| s >= day.0 && s < day.1)
                .collect::<Vec<_>>()
        };
        assert_eq!(on_the_day(0), vec![]);
        assert_eq!(
            on_the_day(1),
            vec![(
                at("2026-03-29T03:10:00+02:00"),
                at("2026-03-29T03:50:00+02:00")
            )]
        );
    }

    #[test]
    fn absolute_windows_near_the_range_only() {
        let c =
            cal(r#"{"deny": [{"from": "2026-06-10T00:00:00Z", "to": "2026-06-11T00:00:00Z"}]}"#);
        let w = &c.deny[0];
        let mut out = Vec::new();
        // Two days of margin: ends after a − 2 days, starts before b + 2 days.
        c.occurrences(
            w,
            at("2026-06-12T23:59:59Z"),
            at("2026-06-13T00:00:00Z"),
            &mut out,
        );
        assert_eq!(out.len(), 1);
        c.occurrences(
            w,
            at("2026-06-13T00:00:00Z"),
            at("2026-06-14T00:00:00Z"),
            &mut out,
        );
        assert_eq!(out.len(), 1);
        c.occurrences(
            w,
            at("2026-06-01T00:00:00Z"),
            at("2026-06-08T00:00:01Z"),
            &mut out,
        );
        assert_eq!(out.len(), 2);
        c.occurrences(
            w,
            at("2026-06-01T00:00:00Z"),
            at("2026-06-08T00:00:00Z"),
            &mut out,
        );
        assert_eq!(out.len(), 2);
    }

    #[test]
    fn holidays_are_whole_local_days() {
        let c = cal(r#"{"time_zone": "America/New_York", "holidays": ["2026-11-01"]}"#);
        let mut out = Vec::new();
        c.occurrences(
            &c.deny[0],
            at("2026-10-31T12:00:00Z"),
            at("2026-10-31T12:00:00Z"),
            &mut out,
        );
        // The fall-back day lasts 25 hours.
        assert_eq!(
            out,
            vec![(
                at("2026-11-01T00:00:00-04:00"),
                at("2026-11-02T00:00:00-05:00")
            )]
        );
        let mut out = Vec::new();
        c.occurrences(
            &c.deny[0],
            at("2026-10-26T00:00:00Z"),
            at("2026-10-29T00:00:00Z"),
            &mut out,
        );
        assert!(out.is_empty());
        c.occurrences(
            &c.deny[0],
            at("2026-11-04T12:00:00Z"),
            at("2026-11-05T00:00:00Z"),
            &mut out,
        );
        assert!(out.is_empty());
    }

    #[test]
    fn periodic_windows_start_or_end_each_period() {
        let c = cal(
            r#"{"deny": [{"every": "quarter", "last_days": 3}, {"every": "month", "first_days": 2}, {"every": "year", "first_days": 1}]}"#,
        );
        let near = |w: usize, a: &str| {
            let mut out = Vec::new();
            c.occurrences(&c.deny[w], at(a), at(a), &mut out);
            out
        };
        assert!(near(0, "2026-03-30T00:00:00Z")
            .contains(&(at("2026-03-29T00:00:00Z"), at("2026-04-01T00:00:00Z"))));
        assert!(!near(0, "2026-03-30T00:00:00Z")
            .contains(&(at("2026-02-26T00:00:00Z"), at("2026-03-01T00:00:00Z"))));
        assert!(near(1, "2026-05-01T00:00:00Z")
            .contains(&(at("2026-05-01T00:00:00Z"), at("2026-05-03T00:00:00Z"))));
        assert!(near(2, "2027-01-01T00:00:00Z")
            .contains(&(at("2027-01-01T00:00:00Z"), at("2027-01-02T00:00:00Z"))));
        assert!(!near(2, "2027-01-01T00:00:00Z")
            .contains(&(at("2026-07-01T00:00:00Z"), at("2026-07-02T00:00:00Z"))));
    }

    #[test]
    fn free_stretches_combine_allow_coverage_and_deny() {
        let c = cal(r#"{"allow": [{"start": "09:00", "end": "17:00"}],
                "coverage": [{"start": "08:00", "end": "12:00"}, {"start": "13:00", "end": "18:00"}],
                "deny": [{"from": "2026-06-10T10:00:00Z", "to": "2026-06-10T11:00:00Z"}]}"#);
        let a = at("2026-06-10T00:00:00Z");
        let day = |f: &[Span]| -> Vec<Span> {
            f.iter()
                .copied()
                .filter(|&(s, _)| s >= a && s < a + DAY)
                .collect()
        };
        assert_eq!(
            day(&c.free(a, a + DAY, true)),
            vec![
                (a + 9 * 3600, a + 10 * 3600),
                (a + 11 * 3600, a + 12 * 3600),
                (a + 13 * 3600, a + 17 * 3600)
            ]
        );
        assert_eq!(
            day(&c.free(a, a + DAY, false)),
            vec![
                (a + 9 * 3600, a + 12 * 3600),
                (a + 13 * 3600, a + 17 * 3600)
            ]
        );
        // Without allow and coverage everything is open, clipped 3 days out.
        let open =
            cal(r#"{"deny": [{"from": "2026-06-10T10:00:00Z", "to": "2026-06-10T11:00:00Z"}]}"#);
        assert_eq!(
            open.free(a, a + DAY, true),
            vec![(a - 3 * DAY, a + 10 * 3600), (a + 11 * 3600, a + 4 * DAY)]
        );
        assert_eq!(
            open.free(a, a + DAY, false),
            vec![(a - 3 * DAY, a + 4 * DAY)]
        );
    }
}
