//! Tests of the calendar as a whole: daylight-saving changes, periodic
//! freezes and the searches of `search`.

use chrono::{DateTime, FixedOffset};

use super::*;

fn cal(json: &str) -> Calendar {
    Calendar::new(&crate::wire::from_json(json).unwrap()).unwrap()
}

fn ts(s: &str) -> DateTime<FixedOffset> {
    parse_timestamp("t", s).unwrap()
}

#[test]
fn spring_forward_keeps_local_nine() {
    // US DST starts 2026-03-08 (02:00 → 03:00).
    let c =
        cal(r#"{"time_zone": "America/New_York", "allow": [{"start": "09:00", "end": "10:00"}]}"#);
    let slot = c
        .next_window(
            ts("2026-03-07T12:00:00-05:00"),
            DurationSecs(600),
            DEFAULT_HORIZON,
        )
        .unwrap();
    assert_eq!(slot.start, "2026-03-08T09:00:00-04:00");
    assert_eq!(slot.end, "2026-03-08T09:10:00-04:00");
}

#[test]
fn gap_window_shifts_forward() {
    let c =
        cal(r#"{"time_zone": "America/New_York", "allow": [{"start": "02:30", "end": "04:00"}]}"#);
    let slot = c
        .next_window(
            ts("2026-03-08T00:00:00-05:00"),
            DurationSecs(60),
            DEFAULT_HORIZON,
        )
        .unwrap();
    // 02:30 does not exist that day: the window opens at 03:30 EDT.
    assert_eq!(slot.start, "2026-03-08T03:30:00-04:00");
}

#[test]
fn fall_back_window_is_longer() {
    // 2026-11-01 01:00 EDT → 01:00 EST: a 00:00–03:00 window lasts 4 h.
    let c =
        cal(r#"{"time_zone": "America/New_York", "allow": [{"start": "00:00", "end": "03:00"}]}"#);
    let check = c.check_window(ts("2026-11-01T00:00:00-04:00"), DurationSecs(4 * 3600));
    assert!(check.allowed, "{check:?}");
    let check = c.check_window(ts("2026-11-02T00:00:00-05:00"), DurationSecs(4 * 3600));
    assert!(!check.allowed);
}

#[test]
fn last_days_of_quarter() {
    let c = cal(r#"{"deny": [{"every": "quarter", "last_days": 3}]}"#);
    let allowed = |s: &str| c.check_window(ts(s), DurationSecs(0)).allowed;
    assert!(!allowed("2026-03-29T00:00:00Z"));
    assert!(allowed("2026-03-28T23:59:59Z"));
    assert!(allowed("2026-04-01T00:00:00Z"));
    assert!(allowed("2026-05-30T00:00:00Z"));
    assert!(!allowed("2026-12-31T12:00:00Z"));
    assert_eq!(
        c.time_until_next_deny(ts("2026-03-28T00:00:00Z")),
        Some(DurationSecs(86_400))
    );
    assert_eq!(
        c.time_until_next_deny(ts("2026-03-30T00:00:00Z")),
        Some(DurationSecs(0))
    );
}

#[test]
fn time_until_next_deny_searches_a_year_in_chunks() {
    // A freeze 200 days out is found; one beyond 366 days is not.
    let c = cal(r#"{"deny": [{"from": "2027-01-01T00:00:00Z", "to": "2027-01-02T00:00:00Z"}]}"#);
    assert_eq!(
        c.time_until_next_deny(ts("2026-06-15T00:00:00Z")),
        Some(DurationSecs(200 * 86_400))
    );
    assert_eq!(
        c.time_until_next_deny(ts("2026-01-01T00:00:00Z")),
        Some(DurationSecs(365 * 86_400))
    );
    assert_eq!(c.time_until_next_deny(ts("2025-12-30T00:00:00Z")), None);
    assert_eq!(
        cal("{}").time_until_next_deny(ts("2026-01-01T00:00:00Z")),
        None
    );
}

#[test]
fn next_fit_respects_the_horizon() {
    let c = cal(r#"{"allow": [{"days": ["mon"], "start": "09:00", "end": "10:00"}]}"#);
    let t = ts("2026-11-26T00:00:00Z").timestamp(); // a Thursday
    let monday = ts("2026-11-30T09:00:00Z").timestamp();
    assert_eq!(c.next_fit(t, 1800, 366 * DAY), Some(monday));
    assert_eq!(c.next_fit(t, 1800, monday - t), Some(monday));
    assert_eq!(c.next_fit(t, 1800, monday - t - 1), None);
    // Far out: a Monday 40 weeks on, across many chunks.
    let later = ts("2027-09-06T09:00:00Z").timestamp();
    let d = cal(
        r#"{"allow": [{"days": ["mon"], "start": "09:00", "end": "10:00"}],
                    "deny": [{"from": "2026-11-27T00:00:00Z", "to": "2027-09-05T00:00:00Z"}]}"#,
    );
    assert_eq!(d.next_fit(t, 1800, 366 * DAY), Some(later));
    let mut cache = d.fit_cache();
    assert_eq!(cache.fit(t, 1800, 366 * DAY), Some(later));
    assert_eq!(cache.fit(later, 1800, 366 * DAY), Some(later));
    assert_eq!(cache.fit(later + 1, 1800, 6 * DAY), Some(later + 1));
    assert_eq!(cache.fit(later + 1801, 1800, 6 * DAY), None);
    assert_eq!(cache.fit(t, 1800, later - t - 1), None);
}

#[test]
fn fit_cache_agrees_with_next_fit_across_chunks() {
    let c = cal(r#"{"time_zone": "Europe/Berlin",
        "allow": [{"days": ["tue", "thu"], "start": "22:00", "end": "03:00"}],
        "deny": [{"every": "month", "first_days": 3}], "holidays": ["2026-12-24"]}"#);
    let mut cache = c.fit_cache();
    let start = ts("2026-11-01T00:00:00Z").timestamp();
    for step in 0..60 {
        let t = start + step * 5 * DAY + step * 3607;
        for d in [0, 3600, 5 * 3600] {
            assert_eq!(
                cache.fit(t, d, 366 * DAY),
                c.next_fit(t, d, 366 * DAY),
                "{t} {d}"
            );
        }
    }
    assert_eq!(cal("{}").fit_cache().fit(start, 60, 0), Some(start));
}

#[test]
fn too_short_only_when_every_stretch_is_shorter() {
    let weekly = cal(r#"{"allow": [{"start": "09:00", "end": "10:00"}]}"#);
    let t = ts("2026-06-01T00:00:00Z").timestamp();
    assert_eq!(weekly.too_short(t, 3601, 366 * DAY), Some(3600));
    assert_eq!(weekly.too_short(t, 3600, 366 * DAY), None);
    // Touching windows merge into one longer stretch.
    let touching = cal(
        r#"{"allow": [{"start": "09:00", "end": "10:00"}, {"start": "10:00", "end": "11:00"}]}"#,
    );
    assert_eq!(touching.too_short(t, 7200, 366 * DAY), None);
    assert_eq!(touching.too_short(t, 7201, 366 * DAY), Some(7200));
    // Coverage alone restricts too.
    let coverage = cal(r#"{"coverage": [{"start": "09:00", "end": "10:00"}]}"#);
    assert_eq!(coverage.too_short(t, 7200, 366 * DAY), Some(3600));
    // Deny-only calendars are never too short.
    let deny = cal(r#"{"deny": [{"start": "09:00", "end": "10:00"}]}"#);
    assert_eq!(deny.too_short(t, 7 * DAY, 366 * DAY), None);
    // Nothing open at all within the horizon: no window, not a short one.
    let past =
        cal(r#"{"allow": [{"from": "2025-01-01T00:00:00Z", "to": "2025-01-01T01:00:00Z"}]}"#);
    assert_eq!(past.too_short(t, 7200, 366 * DAY), None);
    // A long enough absolute window outside the searched span.
    let mixed = cal(r#"{"allow": [{"start": "09:00", "end": "10:00"},
        {"from": "2025-01-01T00:00:00Z", "to": "2025-01-02T00:00:00Z"}]}"#);
    assert_eq!(mixed.too_short(t, 7200, 366 * DAY), None);
    assert_eq!(mixed.too_short(t, DAY + 1, 366 * DAY), Some(3600));
    let future = cal(r#"{"allow": [{"start": "09:00", "end": "10:00"},
        {"from": "2028-01-01T00:00:00Z", "to": "2028-01-02T00:00:00Z"}]}"#);
    assert_eq!(future.too_short(t, 7200, 366 * DAY), None);
    // Inside the span it counts as a stretch of its own.
    let near = cal(r#"{"allow": [{"start": "09:00", "end": "10:00"},
        {"from": "2026-06-10T00:00:00Z", "to": "2026-06-10T05:00:00Z"}]}"#);
    assert_eq!(near.too_short(t, 7200, 366 * DAY), None);
    assert_eq!(near.too_short(t, 6 * 3600, 366 * DAY), Some(5 * 3600));
}

#[test]
fn no_fit_errors_pick_their_code_and_path() {
    let weekly = cal(r#"{"allow": [{"start": "09:00", "end": "10:00"}]}"#);
    let t = ts("2026-06-01T00:00:00Z").timestamp();
    let err = weekly.no_fit_error(t, 7200, 366 * DAY, "short", "horizon");
    assert_eq!((err.code(), err.path()), ("window_too_short", "short"));
    assert_eq!(
        err.message(),
        "a deployment of 7200 s is longer than every allow window (longest 3600 s)"
    );
    let err = weekly.no_fit_error(t, 600, 7 * DAY, "short", "horizon");
    assert_eq!(
        (err.code(), err.path()),
        ("no_window_within_horizon", "horizon")
    );
    assert_eq!(
        err.message(),
        "no allowed start for a deployment of 600 s within 604800 s after 2026-06-01T00:00:00+00:00"
    );
}

#[test]
fn next_window_of_a_past_allow_range_is_no_window_within_horizon() {
    // Issue 9: was `window_too_short`.
    let spec = crate::wire::from_json(
        r#"{"allow": [{"from": "2025-01-01T00:00:00Z", "to": "2025-03-01T00:00:00Z"}]}"#,
    )
    .unwrap();
    let err = next_window(
        &spec,
        ts("2026-06-01T00:00:00Z"),
        DurationSecs(3600),
        DEFAULT_HORIZON,
    )
    .unwrap_err();
    assert_eq!((err.code(), err.path()), ("no_window_within_horizon", ""));
}
