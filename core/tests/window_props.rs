//! Property tests of the release calendar: `next_window` and `check_window`
//! agree with each other on random calendars in zones with and without
//! daylight saving, and neither panics.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use proptest::prelude::*;
use rollgate::window::{parse_timestamp, DEFAULT_HORIZON};
use rollgate::{Calendar, CalendarSpec, DurationSecs};
use serde_json::{json, Value};

const ZONES: [&str; 5] = [
    "America/New_York",
    "Europe/London",
    "Australia/Sydney",
    "Asia/Kolkata",
    "UTC",
];
const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

fn weekly(days: u8, start_q: u32, len_q: u32) -> Value {
    let days: Vec<&str> = DAYS
        .iter()
        .enumerate()
        .filter(|(i, _)| days >> i & 1 == 1)
        .map(|(_, d)| *d)
        .collect();
    let days = if days.is_empty() { vec!["wed"] } else { days };
    let start = start_q * 15;
    let end = (start + len_q * 15) % (24 * 60);
    json!({"days": days, "start": format!("{:02}:{:02}", start / 60, start % 60),
           "end": format!("{:02}:{:02}", end / 60, end % 60)})
}

fn calendar_strategy() -> impl Strategy<Value = Value> {
    (
        0usize..5,
        proptest::collection::vec((any::<u8>(), 0u32..96, 1u32..95), 0..3),
        proptest::collection::vec((any::<u8>(), 0u32..96, 1u32..40), 0..2),
        proptest::option::of((1u32..5, 0u8..3, any::<bool>())),
        proptest::option::of((any::<u8>(), 0u32..40, 40u32..80)),
        proptest::option::of(0u32..700),
    )
        .prop_map(|(zone, allow, deny, periodic, coverage, holiday)| {
            let mut deny: Vec<Value> = deny.into_iter().map(|(d, s, l)| weekly(d, s, l)).collect();
            if let Some((n, every, last)) = periodic {
                let every = ["month", "quarter", "year"][every as usize];
                deny.push(if last {
                    json!({"every": every, "last_days": n})
                } else {
                    json!({"every": every, "first_days": n})
                });
            }
            let mut cal = json!({
                "time_zone": ZONES[zone],
                "allow": allow.into_iter().map(|(d, s, l)| weekly(d, s, l)).collect::<Vec<_>>(),
                "deny": deny,
            });
            if let Some((d, s, l)) = coverage {
                cal["coverage"] = json!([weekly(d, s, l)]);
            }
            if let Some(day) = holiday {
                let date = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()
                    + chrono::Duration::days(i64::from(day));
                cal["holidays"] = json!([date.format("%Y-%m-%d").to_string()]);
            }
            cal
        })
}

fn at(offset_minutes: i64) -> chrono::DateTime<chrono::FixedOffset> {
    // 2026-01-01T00:00:00Z plus an offset: covers both DST changes of every zone.
    parse_timestamp("at", "2026-01-01T00:00:00Z").unwrap()
        + chrono::Duration::minutes(offset_minutes)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 160, rng_seed: proptest::test_runner::RngSeed::Fixed(3), ..ProptestConfig::default() })]

    #[test]
    fn next_window_and_check_window_agree(
        cal in calendar_strategy(),
        day in 0i64..(2 * 365),
        pick in any::<prop::sample::Index>(),
        minute_of_day in 0u32..(24 * 60),
        on_boundary in any::<bool>(),
        minutes in prop_oneof![Just(0u64), 0u64..(6 * 60)],
    ) {
        let spec_json = cal.clone();
        let spec: CalendarSpec = rollgate::wire::from_value(cal).unwrap();
        let calendar = Calendar::new(&spec).unwrap();
        // Half of the time exactly on a window boundary (local start or end
        // time of one of the calendar's weekly windows, or local midnight),
        // so that edges are tested, not just interiors.
        let t = {
            let mut times: Vec<String> = vec!["00:00".into()];
            for list in ["allow", "deny", "coverage"] {
                for w in spec_json[list].as_array().into_iter().flatten() {
                    for key in ["start", "end"] {
                        if let Some(x) = w[key].as_str() {
                            times.push(x.to_string());
                        }
                    }
                }
            }
            let local_minute = if on_boundary {
                let hm = &times[pick.index(times.len())];
                hm[..2].parse::<u32>().unwrap() * 60 + hm[3..].parse::<u32>().unwrap()
            } else {
                minute_of_day
            };
            let date = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + chrono::Duration::days(day);
            let local = date.and_hms_opt(local_minute / 60, local_minute % 60, 0).unwrap();
            let tz: chrono_tz::Tz = spec_json["time_zone"].as_str().unwrap().parse().unwrap();
            use chrono::TimeZone;
            match tz.from_local_datetime(&local).earliest() {
                Some(x) => x.fixed_offset(),
                None => at(day * 24 * 60),
            }
        };
        let d = DurationSecs(minutes * 60);
        let check = calendar.check_window(t, d);
        match calendar.next_window(t, d, DEFAULT_HORIZON) {
            Ok(slot) => {
                let start = parse_timestamp("start", &slot.start).unwrap();
                prop_assert!(start >= t);
                // The slot found is allowed ...
                prop_assert!(calendar.check_window(start, d).allowed, "{slot:?}");
                // ... and is the earliest: one second before it is not (or is before `t`).
                if start > t {
                    prop_assert!(!calendar.check_window(start - chrono::Duration::seconds(1), d).allowed);
                }
                prop_assert_eq!(check.allowed, start == t);
                let next = parse_timestamp("next", check.next_allowed_start.as_deref().unwrap()).unwrap();
                prop_assert_eq!(next, start);
            }
            Err(e) => {
                prop_assert!(matches!(e.code(), "window_too_short" | "no_window_within_horizon"), "{e}");
                prop_assert!(!check.allowed);
                prop_assert_eq!(check.next_allowed_start, None);
            }
        }
        // Time until the next freeze is zero exactly when a deny window covers `t`.
        if let Some(wait) = calendar.time_until_next_deny(t) {
            let zero = calendar.check_window(t, DurationSecs(0));
            let denied_now = zero.reasons.iter().any(|r| r.code == "deny_window" || r.code == "holiday");
            prop_assert_eq!(wait.as_secs() == 0, denied_now);
        }
    }
}
