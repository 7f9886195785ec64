//! Property tests of the environment functions: an environment is at parity
//! with its copy, the migration order leaves nothing pending and no problem,
//! teardown never picks production or a protected environment, and no input
//! makes any of them panic.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeMap;

use proptest::prelude::*;
use rollgate::environments::{AppliedMigration, MigrationHistory, MigrationScript};
use rollgate::{EnvironmentSpec, MigrationPhase, ParityRules, TeardownPolicy, Timestamp};
use serde_json::{json, Value};

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<bool>().prop_map(Value::from),
        (-1e6f64..1e6).prop_map(Value::from),
        (0u32..100).prop_map(Value::from),
        "[a-z0-9.]{0,6}".prop_map(Value::from),
    ]
}

fn version() -> impl Strategy<Value = String> {
    prop_oneof![
        (0u32..4, 0u32..4, 0u32..4).prop_map(|(a, b, c)| format!("{a}.{b}.{c}")),
        "[a-z0-9]{1,5}",
        (0u32..3).prop_map(|a| format!("{a}.0.0-rc.1")),
    ]
}

fn timestamp() -> impl Strategy<Value = Value> {
    (0u32..28, 0u32..12)
        .prop_map(|(d, m)| json!(format!("2026-{:02}-{:02}T09:00:00Z", m + 1, d + 1)))
}

fn spec(id: String) -> impl Strategy<Value = Value> {
    let service = (
        version(),
        proptest::option::of("[a-f0-9]{2}"),
        proptest::collection::btree_map("[a-z.]{1,4}", scalar(), 0..4),
        proptest::option::of(0u32..20),
    )
        .prop_map(|(v, d, c, r)| {
            let mut s = json!({"version": v, "config": c});
            if let Some(d) = d {
                s["artifact_digest"] = json!(d);
            }
            if let Some(r) = r {
                s["replicas"] = json!(r);
            }
            s
        });
    (
        prop_oneof![Just("development"), Just("test"), Just("staging"), Just("production"), Just("ephemeral")],
        proptest::collection::btree_map("[a-z]{1,3}", service, 0..5),
        proptest::collection::btree_map("[a-z.]{1,4}", scalar(), 0..4),
        proptest::collection::btree_map("[a-z]{1,3}", 0f64..1e6, 0..3),
        proptest::collection::btree_map(prop_oneof![Just("protected".to_string()), "[a-z]{1,3}"], "[a-z]{0,3}", 0..3),
        proptest::option::of(timestamp()),
        proptest::option::of(timestamp()),
        proptest::option::of("[a-c]"),
        0f64..10_000.0,
    )
        .prop_map(move |(tier, services, infra, volume, labels, created, deployed, owner, cost)| {
            let mut env = json!({"id": id, "tier": tier, "services": services, "infrastructure": infra,
                                 "data_volume": volume, "labels": labels, "monthly_cost": cost});
            if let Some(c) = created {
                env["created_at"] = c.clone();
                // Expiry after creation, or an expiry alone.
                env["expires_at"] = c;
            }
            if let Some(d) = deployed {
                env["last_deployed_at"] = d;
            }
            if let Some(o) = owner {
                env["owner"] = json!(o);
            }
            env
        })
}

fn arbitrary_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        (-1e6f64..1e6).prop_map(Value::from),
        "[a-z0-9._]{0,8}".prop_map(Value::from),
        Just(json!("2026-03-02T09:00:00Z")),
        prop_oneof![
            Just("id"),
            Just("tier"),
            Just("services"),
            Just("version"),
            Just("production"),
            Just("expand"),
            Just("contract"),
            Just("1.2")
        ]
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..5).prop_map(Value::from),
            proptest::collection::btree_map(
                prop_oneof![
                    Just("id".to_string()),
                    Just("tier".to_string()),
                    Just("services".to_string()),
                    Just("version".to_string()),
                    Just("checksum".to_string()),
                    Just("environment".to_string()),
                    Just("applied".to_string()),
                    Just("phase".to_string()),
                    Just("requester".to_string()),
                    Just("duration".to_string()),
                    Just("path".to_string()),
                    Just("environments".to_string()),
                    "[a-z_]{1,8}"
                ],
                inner,
                0..6
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn call(function: &str, a: Value, b: Value, c: Value) {
    use rollgate::wire::from_value as read;
    let now: Timestamp = "2026-03-02T09:00:00Z".parse().unwrap();
    let _ = match function {
        "check_parity" => (|| {
            let envs: Vec<EnvironmentSpec> = read(a)?;
            let path: Vec<String> = read(b)?;
            let rules: Option<ParityRules> = read(c)?;
            rollgate::check_parity(&envs, &path, &rules.unwrap_or_default()).map(|_| ())
        })(),
        "check_promotion" => (|| {
            let path: Vec<String> = read(a)?;
            let deployments: Vec<rollgate::PromotionDeployment> = read(b)?;
            let rules: Option<rollgate::PromotionRules> = read(c)?;
            let artifact = rollgate::Artifact {
                digest: "d".into(),
                version: Some("1.0".into()),
            };
            rollgate::check_promotion(&path, &deployments, &artifact, &rules.unwrap_or_default())
                .map(|_| ())
        })(),
        "plan_migrations" => (|| {
            let scripts: Vec<MigrationScript> = read(a)?;
            let histories: Vec<MigrationHistory> = read(b)?;
            rollgate::plan_migrations(&scripts, &histories).map(|_| ())
        })(),
        "evaluate_access" => (|| {
            let request: rollgate::AccessRequest = read(a)?;
            let policy: rollgate::AccessPolicy = read(b)?;
            rollgate::evaluate_access(&request, &policy, now).map(|_| ())
        })(),
        "teardown_candidates" => (|| {
            let envs: Vec<EnvironmentSpec> = read(a)?;
            let policy: Option<TeardownPolicy> = read(b)?;
            rollgate::teardown_candidates(&envs, &policy.unwrap_or_default(), now).map(|_| ())
        })(),
        _ => (|| {
            let plan: rollgate::Plan = read(a)?;
            let services: Vec<String> = read(b)?;
            let options: Option<rollgate::IsolationOptions> = read(c)?;
            rollgate::isolation_plan(&plan, &services, &options.unwrap_or_default()).map(|_| ())
        })(),
    };
}

/// Scripts 1..=n with random phases; each environment applied a random
/// subset (correct checksums), in version order.
fn migration_case() -> impl Strategy<Value = (Vec<MigrationScript>, Vec<MigrationHistory>)> {
    (1usize..8).prop_flat_map(|n| {
        (
            proptest::collection::vec(any::<bool>(), n),
            proptest::collection::vec(proptest::collection::vec(any::<bool>(), n), 1..5),
        )
            .prop_map(move |(contract, applied)| {
                let scripts: Vec<MigrationScript> = contract
                    .iter()
                    .enumerate()
                    .map(|(i, &c)| MigrationScript {
                        version: format!("{}", i + 1),
                        description: String::new(),
                        checksum: format!("c{i}"),
                        reversible: false,
                        phase: if c {
                            MigrationPhase::Contract
                        } else {
                            MigrationPhase::Expand
                        },
                    })
                    .collect();
                let histories = applied
                    .iter()
                    .enumerate()
                    .map(|(e, row)| MigrationHistory {
                        environment: format!("env{e}"),
                        applied: row
                            .iter()
                            .enumerate()
                            .filter(|(_, &a)| a)
                            .map(|(i, _)| AppliedMigration {
                                version: format!("{}", i + 1),
                                checksum: format!("c{i}"),
                                applied_at: None,
                            })
                            .collect(),
                    })
                    .collect();
                (scripts, histories)
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn an_environment_is_at_parity_with_its_copy(env in spec("a".into())) {
        let mut copy = env.clone();
        copy["id"] = json!("b");
        let envs: Vec<EnvironmentSpec> = rollgate::wire::from_value(json!([env, copy])).unwrap();
        let report = rollgate::check_parity(&envs, &["a".into(), "b".into()], &ParityRules::default()).unwrap();
        prop_assert!(report.pairs[0].findings.is_empty(), "{:?}", report.pairs[0].findings);
        prop_assert_eq!(report.pairs[0].parity_score, 1.0);
        prop_assert!(!report.blocking);
    }

    #[test]
    fn parity_counts_add_up_and_scores_stay_in_range(a in spec("a".into()), b in spec("b".into())) {
        let envs: Vec<EnvironmentSpec> = rollgate::wire::from_value(json!([a, b])).unwrap();
        let report = rollgate::check_parity(&envs, &["a".into(), "b".into()], &ParityRules::default()).unwrap();
        let p = &report.pairs[0];
        prop_assert_eq!(p.identical + p.allowed + p.drift + p.ahead, p.compared);
        prop_assert_eq!(p.findings.len(), p.allowed + p.drift + p.ahead);
        prop_assert!((0.0..=1.0).contains(&p.parity_score));
    }

    #[test]
    fn applying_the_migration_order_leaves_nothing_pending((scripts, mut histories) in migration_case()) {
        let plan = rollgate::plan_migrations(&scripts, &histories).unwrap();
        // Replay the steps round by round: a contract runs only when every
        // lower expand was everywhere at the end of the previous round.
        let mut rounds: BTreeMap<u32, Vec<&rollgate::environments::MigrationStep>> = BTreeMap::new();
        for step in &plan.steps {
            rounds.entry(step.round).or_default().push(step);
        }
        for steps in rounds.values() {
            let everywhere = |v: usize| histories.iter().all(|h| h.applied.iter().any(|a| a.version == v.to_string()));
            for step in steps.iter().filter(|s| s.phase == MigrationPhase::Contract) {
                let c: usize = step.version.parse().unwrap();
                for e in scripts.iter().take(c - 1).filter(|s| s.phase == MigrationPhase::Expand) {
                    prop_assert!(everywhere(e.version.parse().unwrap()), "contract {} ran before expand {}", c, e.version);
                }
            }
            for step in steps {
                let h = histories.iter_mut().find(|h| h.environment == step.environment).unwrap();
                let i: usize = step.version.parse().unwrap();
                h.applied.push(AppliedMigration { version: step.version.clone(), checksum: format!("c{}", i - 1), applied_at: None });
            }
        }
        let after = rollgate::plan_migrations(&scripts, &histories).unwrap();
        prop_assert!(after.steps.is_empty());
        for e in &after.environments {
            prop_assert!(e.pending.is_empty(), "{:?}", e);
            prop_assert!(e.problems.is_empty(), "{:?}", e.problems);
        }
        prop_assert!(after.valid);
    }

    #[test]
    fn teardown_never_picks_production_or_protected(
        envs in proptest::collection::vec(spec(String::new()), 0..8),
        idle in 0u64..90,
        budget in proptest::option::of(0f64..5000.0),
    ) {
        let envs: Vec<Value> = envs.into_iter().enumerate().map(|(i, mut e)| { e["id"] = json!(format!("e{i}")); e }).collect();
        let envs: Vec<EnvironmentSpec> = rollgate::wire::from_value(Value::from(envs)).unwrap();
        let policy: TeardownPolicy = rollgate::wire::from_value(json!({
            "max_idle": idle * 86_400, "cost_budget": budget, "tiers": ["development", "test", "staging", "production", "ephemeral"]
        })).unwrap();
        let now: Timestamp = "2026-12-31T00:00:00Z".parse().unwrap();
        let plan = rollgate::teardown_candidates(&envs, &policy, now).unwrap();
        let saved: f64 = plan.candidates.iter().map(|c| c.monthly_cost).sum();
        prop_assert!((saved - plan.monthly_cost_saved).abs() <= 1e-6 * saved.max(1.0));
        for c in &plan.candidates {
            let env = envs.iter().find(|e| e.id == c.environment).unwrap();
            prop_assert_ne!(env.tier, rollgate::EnvironmentTier::Production);
            prop_assert!(!env.labels.contains_key("protected"));
            prop_assert!(!c.reasons.is_empty());
        }
    }

    #[test]
    fn no_input_panics(
        function in prop_oneof![Just("check_parity"), Just("check_promotion"), Just("plan_migrations"),
                                Just("evaluate_access"), Just("teardown_candidates"), Just("isolation_plan")],
        a in arbitrary_json(), b in arbitrary_json(), c in arbitrary_json(),
    ) {
        call(function, a, b, c);
    }
}
