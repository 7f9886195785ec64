//! Unit tests of the error shape: codes, families, paths, details.

use super::*;

#[test]
fn every_kind_has_its_code_in_details_and_family() {
    let cases: Vec<(Error, &str, ErrorFamily)> = vec![
        (
            Error::invalid_input("/a", "m"),
            "invalid_input",
            ErrorFamily::Plan,
        ),
        (
            Error::new(
                "/a",
                InputError::UnknownField {
                    field: "x".into(),
                    expected: vec!["y".into()],
                },
            ),
            "unknown_field",
            ErrorFamily::Plan,
        ),
        (
            Error::new(
                "/d",
                CalendarError::InvalidTimeZone {
                    time_zone: "Mars/Base".into(),
                },
            ),
            "invalid_time_zone",
            ErrorFamily::Calendar,
        ),
        (
            Error::new("x/0", CanaryError::InsufficientData { needed: 2, got: 1 }),
            "insufficient_data",
            ErrorFamily::Canary,
        ),
        (
            Error::new("/h", ChangeError::UnknownRiskFactor { factor: "f".into() }),
            "unknown_risk_factor",
            ErrorFamily::Change,
        ),
        (
            Error::new(
                "events/0",
                ReleaseError::InvalidEvent {
                    event: "step_finished".into(),
                    message: "never started".into(),
                },
            ),
            "invalid_event",
            ErrorFamily::Release,
        ),
        (
            Error::new(
                "state",
                ReleaseError::IncompatibleState {
                    message: "m".into(),
                },
            ),
            "incompatible_state",
            ErrorFamily::Release,
        ),
        (
            Error::new(
                "template",
                ReleaseError::UnknownPlaceholder {
                    placeholder: "x".into(),
                },
            ),
            "unknown_placeholder",
            ErrorFamily::Release,
        ),
        (
            Error::new(
                "promotion_path/1",
                EnvironmentError::UnknownEnvironment {
                    environment: "qa".into(),
                },
            ),
            "unknown_environment",
            ErrorFamily::Environment,
        ),
        (
            Error::new(
                "options/report_year",
                DeliveryError::UnknownReportYear {
                    year: 2019,
                    known: vec![2022, 2023, 2024],
                },
            ),
            "unknown_report_year",
            ErrorFamily::Delivery,
        ),
        (
            Error::internal("boom"),
            "internal_error",
            ErrorFamily::Internal,
        ),
    ];
    for (err, code, family) in cases {
        assert_eq!(err.code(), code);
        assert_eq!(err.family(), family);
        let details = err.details();
        assert_eq!(details["code"], code, "{err}");
        assert_eq!(details["path"], err.path());
    }
}

#[test]
fn display_omits_an_empty_path() {
    assert_eq!(
        Error::invalid_input("", "missing field `name`").to_string(),
        "missing field `name`"
    );
    assert_eq!(Error::invalid_input("/a", "bad").to_string(), "/a: bad");
}

#[test]
fn only_input_errors_change_family() {
    let err = Error::new(
        "/a",
        PlanError::UnknownService {
            service: "s".into(),
        },
    )
    .in_family(ErrorFamily::Change);
    assert_eq!(err.family(), ErrorFamily::Plan);
    let err = Error::invalid_input("/a", "m").in_family(ErrorFamily::Calendar);
    assert_eq!(err.family(), ErrorFamily::Calendar);
}

#[test]
fn prefixes_join_parameter_names_and_pointers() {
    assert_eq!(
        Error::invalid_input("", "m").with_path_prefix("x").path(),
        "x"
    );
    assert_eq!(
        Error::invalid_input("/0", "m").with_path_prefix("x").path(),
        "x/0"
    );
    assert_eq!(
        Error::invalid_input("0", "m").with_path_prefix("x").path(),
        "x/0"
    );
    assert_eq!(
        Error::invalid_input("0", "m").with_path_prefix("x/").path(),
        "x/0"
    );
    assert_eq!(
        Error::invalid_input("/a", "m").with_path_prefix("").path(),
        "/a"
    );
}

#[test]
fn serialises_as_its_details() {
    let err = Error::new(
        "/services/0/depends_on/0",
        PlanError::DependencyCycle {
            cycle: vec!["a".into(), "b".into(), "a".into()],
            members: vec!["a".into(), "b".into()],
        },
    );
    let json = serde_json::to_value(&err).unwrap();
    assert_eq!(json["code"], "dependency_cycle");
    assert_eq!(json["cycle"][1], "b");
    assert_eq!(json["path"], "/services/0/depends_on/0");
}
