//! Risk timing factors derived from a release calendar: the same assessment
//! as with a hand-computed window status.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use rollgate::{assess_risk, wire::from_value, Change, Plan, RiskContext};
use serde_json::json;

fn change(start: &str) -> Change {
    from_value(json!({
        "id": "CHG-7", "author": "ana", "services": ["api"],
        "lines_added": 40, "planned_start": start, "planned_duration": "1h"
    }))
    .unwrap()
}

fn calendar() -> serde_json::Value {
    json!({
        "time_zone": "Europe/Berlin",
        "allow": [{"days": ["mon", "tue", "wed", "thu", "fri"], "start": "09:00", "end": "17:00"}],
        "deny": [{"from": "2026-12-18T00:00:00+01:00", "to": "2027-01-04T00:00:00+01:00", "reason": "year-end freeze"}]
    })
}

fn factor(a: &rollgate::RiskAssessment, code: &str) -> f64 {
    a.factors
        .iter()
        .find(|f| f.code() == code)
        .map(|f| f.value)
        .unwrap_or(f64::NAN)
}

#[test]
fn calendar_in_context_equals_the_window_it_implies() {
    // Thursday 17 December 2026, 20:00 Berlin: outside the 09-17 window, and
    // the freeze starts 4 hours later (midnight).
    let c = change("2026-12-17T20:00:00+01:00");
    let with_calendar: RiskContext = from_value(json!({"calendar": calendar()})).unwrap();
    let by_hand: RiskContext =
        from_value(json!({"window": {"allowed": false, "seconds_to_next_freeze": 4.0 * 3600.0}}))
            .unwrap();
    let a = assess_risk(&c, None, None, None, Some(&with_calendar)).unwrap();
    let b = assess_risk(&c, None, None, None, Some(&by_hand)).unwrap();
    assert_eq!(a.log_odds, b.log_odds);
    assert_eq!(factor(&a, "outside_window"), 1.0);
    assert_eq!(factor(&a, "near_freeze"), 4.0 * 3600.0);
}

#[test]
fn inside_the_window_and_far_from_a_freeze() {
    // Tuesday 24 November 2026, 10:00 Berlin: allowed; the freeze is
    // 23 days and 14 hours away.
    let c = change("2026-11-24T10:00:00+01:00");
    let ctx: RiskContext = from_value(json!({"calendar": calendar()})).unwrap();
    let a = assess_risk(&c, None, None, None, Some(&ctx)).unwrap();
    assert_eq!(factor(&a, "outside_window"), 0.0);
    assert_eq!(factor(&a, "near_freeze"), (23.0 * 24.0 + 14.0) * 3600.0);
}

#[test]
fn the_plan_calendar_is_used_when_the_context_has_none() {
    let plan: Plan = from_value(json!({
        "name": "p", "services": [{"id": "api"}],
        "calendars": {"eu": calendar()}, "calendar": "eu"
    }))
    .unwrap();
    let c = change("2026-12-17T20:00:00+01:00");
    let a = assess_risk(&c, Some(&plan), None, None, None).unwrap();
    assert_eq!(factor(&a, "outside_window"), 1.0);
    // An explicit window in the context wins over any calendar.
    let ctx: RiskContext = from_value(json!({"window": {"allowed": true}})).unwrap();
    let b = assess_risk(&c, Some(&plan), None, None, Some(&ctx)).unwrap();
    assert_eq!(factor(&b, "outside_window"), 0.0);
}

#[test]
fn a_bad_calendar_is_a_calendar_error_with_its_path() {
    let ctx: RiskContext = from_value(json!({"calendar": {"time_zone": "Mars/Olympus"}})).unwrap();
    let err = assess_risk(
        &change("2026-11-24T10:00:00+01:00"),
        None,
        None,
        None,
        Some(&ctx),
    )
    .unwrap_err();
    assert_eq!(err.code(), "invalid_time_zone");
    assert_eq!(err.path(), "context/calendar/time_zone");
}
