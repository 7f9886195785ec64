//! The invariants every fuzz target asserts on results (errors:
//! [`crate::errors`]). A violation panics, which libFuzzer reports as a
//! crash with the input that caused it.
//!
//! - Results: every number finite, probabilities in [0, 1] (see
//!   [`crate::finite`]), and per function what its documentation promises:
//!   waves respect every dependency, schedules never run more than allowed,
//!   a slot the next-window search returns is allowed, a schedule or a
//!   record the engine returns is accepted back as input, …

use std::collections::{HashMap, HashSet};

use rollgate::stats::{
    Correction, KsTest, MannWhitney, ProportionTest, QuantileComparison, QuantileInterval,
    RateTest, SequentialTest, WelchTest,
};
use rollgate::{
    BlastRadius, CalendarSpec, CanaryVerdict, ChangeLogVerification, ChangeOutcome, ChangeRecord,
    ChangeRecordInput, DurationSecs, ParallelSchedule, Plan, RiskModel, Schedule, ServiceOrder,
    WindowCheck, WindowSlot,
};
use serde::Serialize;

/// Every number in `value` finite, probabilities in [0, 1].
pub fn numbers<T: Serialize + ?Sized>(value: &T) {
    if let Err(problem) = crate::finite::check_numbers(value) {
        panic!("result invariant: {problem}");
    }
}

fn durations(plan: &Plan) -> HashMap<&str, u64> {
    plan.services
        .iter()
        .map(|s| (s.id.as_str(), s.deploy_duration.as_secs()))
        .collect()
}

/// Every service in exactly one wave; every dependency in an earlier wave
/// (a later one when rolling back); critical-path times consistent.
pub fn order(plan: &Plan, order: &ServiceOrder) {
    let index = |waves: &[Vec<String>]| -> HashMap<String, usize> {
        let mut at = HashMap::new();
        for (w, wave) in waves.iter().enumerate() {
            for id in wave {
                assert!(at.insert(id.clone(), w).is_none(), "{id} in two waves");
            }
        }
        assert_eq!(at.len(), plan.services.len(), "waves miss services");
        at
    };
    let wave = index(&order.waves);
    let back = index(&order.rollback_waves);
    for s in &plan.services {
        for d in &s.depends_on {
            assert!(
                wave[d] < wave[&s.id],
                "{} deployed with or before {d}",
                s.id
            );
            assert!(
                back[d] > back[&s.id],
                "{d} rolled back with or before {}",
                s.id
            );
        }
    }
    let duration = durations(plan);
    let cp = &order.critical_path;
    let timing: HashMap<&str, _> = cp.services.iter().map(|t| (t.id.as_str(), t)).collect();
    let mut makespan = 0;
    for s in &plan.services {
        let t = timing[s.id.as_str()];
        let finish = t.earliest_start.checked_add(duration[s.id.as_str()]);
        assert_eq!(
            Some(t.earliest_finish),
            finish,
            "{}: finish ≠ start + duration",
            s.id
        );
        for d in &s.depends_on {
            assert!(
                t.earliest_start >= timing[d.as_str()].earliest_finish,
                "{} starts early",
                s.id
            );
        }
        assert!(
            t.latest_start >= t.earliest_start,
            "{}: negative slack",
            s.id
        );
        assert_eq!(
            t.slack,
            t.latest_start - t.earliest_start,
            "{}: slack",
            s.id
        );
        assert!(
            t.latest_finish <= cp.makespan_seconds,
            "{}: finishes late",
            s.id
        );
        makespan = makespan.max(t.earliest_finish);
    }
    assert_eq!(cp.makespan_seconds, makespan, "makespan");
    for pair in cp.path.windows(2) {
        let later = plan.services.iter().find(|s| s.id == pair[1]);
        assert!(
            later.is_some_and(|s| s.depends_on.contains(&pair[0])),
            "critical path {:?} → {:?} is no dependency",
            pair[0],
            pair[1]
        );
    }
}

/// Each listed service's dependents are exactly those that reach it.
pub fn blast(plan: &Plan, radius: &BlastRadius) {
    let edges: usize = plan.services.iter().map(|s| s.depends_on.len()).sum();
    if radius
        .services
        .len()
        .saturating_mul(plan.services.len() + edges)
        > 4_000_000
    {
        return;
    }
    let mut users: HashMap<&str, Vec<&str>> = HashMap::new();
    for s in &plan.services {
        for d in &s.depends_on {
            users.entry(d.as_str()).or_default().push(s.id.as_str());
        }
    }
    let facing: HashSet<&str> = plan
        .services
        .iter()
        .filter(|s| s.customer_facing)
        .map(|s| s.id.as_str())
        .collect();
    for b in &radius.services {
        let mut seen: HashSet<&str> = HashSet::new();
        let mut todo = vec![b.id.as_str()];
        while let Some(id) = todo.pop() {
            for &u in users.get(id).map(Vec::as_slice).unwrap_or(&[]) {
                if seen.insert(u) {
                    todo.push(u);
                }
            }
        }
        let got: HashSet<&str> = b.dependents.iter().map(String::as_str).collect();
        assert_eq!(got, seen, "{}: dependents", b.id);
        assert_eq!(b.dependent_count, b.dependents.len(), "{}: count", b.id);
        let cf = seen.iter().filter(|id| facing.contains(*id)).count();
        assert_eq!(
            b.customer_facing_dependents, cf,
            "{}: customer-facing",
            b.id
        );
        assert_eq!(b.customer_facing, facing.contains(b.id.as_str()));
    }
}

/// Each service once, for its duration, after its dependencies, and never
/// more than `max_parallel` at a time.
pub fn parallel(plan: &Plan, max_parallel: usize, schedule: &ParallelSchedule) {
    let duration = durations(plan);
    let at: HashMap<&str, _> = schedule
        .services
        .iter()
        .map(|s| (s.id.as_str(), s))
        .collect();
    assert_eq!(at.len(), plan.services.len(), "scheduled services");
    assert_eq!(
        schedule.services.len(),
        plan.services.len(),
        "scheduled twice"
    );
    let mut events = Vec::new();
    for s in &plan.services {
        let t = at[s.id.as_str()];
        assert_eq!(
            t.start.checked_add(duration[s.id.as_str()]),
            Some(t.finish),
            "{}: finish",
            s.id
        );
        for d in &s.depends_on {
            assert!(
                t.start >= at[d.as_str()].finish,
                "{} starts before {d} ends",
                s.id
            );
        }
        if t.finish > t.start {
            events.push((t.start, 1_i64));
            events.push((t.finish, -1_i64));
        }
    }
    events.sort_unstable();
    let mut running = 0_i64;
    for (_, delta) in events {
        running += delta;
        assert!(running <= max_parallel as i64, "{running} running at once");
    }
    let makespan = schedule
        .services
        .iter()
        .map(|s| s.finish)
        .max()
        .unwrap_or(0);
    assert_eq!(schedule.makespan_seconds, makespan, "makespan");
}

fn allowed(calendar: &CalendarSpec, at: &str, duration: DurationSecs) -> bool {
    let at = rollgate::window::parse_timestamp("at", at)
        .unwrap_or_else(|e| panic!("returned timestamp {at:?} does not parse: {e}"));
    rollgate::check_window(calendar, at, duration)
        .unwrap_or_else(|e| panic!("calendar accepted once, rejected now: {e}"))
        .allowed
}

type Time = chrono::DateTime<chrono::FixedOffset>;

fn seconds(text: &str) -> i64 {
    rollgate::window::parse_timestamp("t", text)
        .unwrap_or_else(|e| panic!("returned timestamp {text:?} does not parse: {e}"))
        .timestamp()
}

/// An allowed start is the time asked about; a later allowed start is allowed.
pub fn window_check(
    calendar: &CalendarSpec,
    at: Time,
    duration: DurationSecs,
    check: &WindowCheck,
) {
    match (&check.next_allowed_start, check.allowed) {
        (Some(next), true) => assert_eq!(seconds(next), at.timestamp(), "allowed elsewhere"),
        (Some(next), false) => {
            assert!(
                seconds(next) > at.timestamp(),
                "next start {next} not after {at}"
            );
            assert!(
                allowed(calendar, next, duration),
                "next start {next} is not allowed"
            );
        }
        (None, allowed) => assert!(!allowed, "allowed without a start"),
    }
}

/// The slot is allowed, lasts `duration`, and starts within the horizon.
pub fn window_slot(
    calendar: &CalendarSpec,
    after: Time,
    duration: DurationSecs,
    horizon: DurationSecs,
    slot: &WindowSlot,
) {
    let (start, end) = (seconds(&slot.start), seconds(&slot.end));
    assert!(
        start >= after.timestamp(),
        "slot {} before {after}",
        slot.start
    );
    assert_eq!(end - start, duration.as_secs() as i64, "slot length");
    let limit = after.timestamp().saturating_add(horizon.as_secs() as i64);
    assert!(start <= limit, "slot {} beyond the horizon", slot.start);
    assert!(
        allowed(calendar, &slot.start, duration),
        "slot {} not allowed",
        slot.start
    );
}

/// Regions once each, after the regions they depend on, apart from their
/// pair; services after their dependencies in each region; waves in order;
/// and the schedule accepted back by `to_mermaid_gantt` and `rollback_plan`.
pub fn rollout(plan: &Plan, schedule: &Schedule) {
    let mut wave_of: HashMap<&str, usize> = HashMap::new();
    let mut previous_pass = 0;
    for (w, wave) in schedule.waves.iter().enumerate() {
        assert!(
            wave.start_seconds >= previous_pass,
            "wave {} starts before the gate",
            w + 1
        );
        assert!(
            wave.start_seconds <= wave.finish_seconds,
            "wave {} ends early",
            w + 1
        );
        assert!(
            wave.gate.earliest_pass_seconds >= wave.finish_seconds,
            "gate before finish"
        );
        assert!(
            schedule.total_duration_seconds >= wave.gate.earliest_pass_seconds,
            "total"
        );
        previous_pass = wave.gate.earliest_pass_seconds;
        if wave.kind != "contract" {
            for r in &wave.regions {
                assert!(wave_of.insert(r, w).is_none(), "region {r} in two waves");
            }
        }
        let mut finish: HashMap<(&str, &str, &str), u64> = HashMap::new();
        for s in &wave.steps {
            assert!(
                s.start_seconds <= s.finish_seconds,
                "step ends before it starts"
            );
            assert!(
                s.start_seconds >= wave.start_seconds,
                "step before its wave"
            );
            assert!(
                s.finish_seconds <= wave.finish_seconds,
                "step after its wave"
            );
            let key = (s.region.as_str(), s.service.as_str(), s.stage.as_str());
            let f = finish.entry(key).or_default();
            *f = (*f).max(s.finish_seconds);
        }
        for s in &wave.steps {
            let Some(service) = plan.services.iter().find(|p| p.id == s.service) else {
                panic!("step of unknown service {}", s.service);
            };
            for d in &service.depends_on {
                if let Some(&f) = finish.get(&(s.region.as_str(), d.as_str(), s.stage.as_str())) {
                    assert!(
                        s.start_seconds >= f,
                        "{} before {d} in {}",
                        s.service,
                        s.region
                    );
                }
            }
        }
    }
    if !plan.regions.is_empty() {
        assert_eq!(
            wave_of.len(),
            plan.regions.len(),
            "regions missing from the waves"
        );
    }
    for r in &plan.regions {
        for q in &r.depends_on {
            assert!(
                wave_of[q.as_str()] < wave_of[r.id.as_str()],
                "{} not after {q}",
                r.id
            );
        }
        if let Some(p) = &r.pair {
            assert_ne!(
                wave_of[p.as_str()],
                wave_of[r.id.as_str()],
                "pair {} {p} together",
                r.id
            );
        }
    }
    let text = serde_json::to_string(schedule).unwrap_or_else(|e| panic!("schedule: {e}"));
    let back: Schedule = rollgate::wire::from_json(&text)
        .unwrap_or_else(|e| panic!("a returned schedule is rejected as input: {e}"));
    assert_eq!(&back, schedule, "schedule changes through JSON");
    if let Err(e) = rollgate::to_mermaid_gantt(schedule) {
        panic!("to_mermaid_gantt rejects a returned schedule: {e}");
    }
    let halt = rollgate::HaltedAt::Time(schedule.start.clone());
    if let Err(e) = rollgate::rollback_plan(schedule, &halt) {
        panic!("rollback_plan rejects a returned schedule: {e}");
    }
    if let Some(step) = schedule.waves.iter().flat_map(|w| &w.steps).last() {
        let halt = rollgate::HaltedAt::Step {
            region: step.region.clone(),
            service: step.service.clone(),
            stage: Some(step.stage.clone()),
        };
        if let Err(e) = rollgate::rollback_plan(schedule, &halt) {
            panic!("rollback_plan rejects a step of the schedule: {e}");
        }
    }
}

fn ordered(ci: &[Option<f64>; 2], what: &str) {
    if let [Some(lo), Some(hi)] = ci {
        assert!(lo <= hi, "{what}: interval [{lo}, {hi}] is reversed");
    }
}

/// Score in [0, 100]; intervals ordered.
pub fn canary(verdict: &CanaryVerdict) {
    assert!(
        (0.0..=100.0).contains(&verdict.score),
        "score {}",
        verdict.score
    );
    for (name, m) in &verdict.metrics {
        ordered(&m.ci, name);
    }
}

/// A fitted or updated model is valid input again, unchanged through JSON.
pub fn fitted_model(model: &RiskModel, history: &[ChangeOutcome]) {
    if let Err(e) = model.validate("") {
        panic!("a returned model does not validate: {e}");
    }
    let text = serde_json::to_string(model).unwrap_or_else(|e| panic!("model: {e}"));
    let back: RiskModel = rollgate::wire::from_json(&text)
        .unwrap_or_else(|e| panic!("a returned model is rejected as input: {e}"));
    if let Err(e) = back.validate("") {
        panic!("a returned model does not validate after JSON: {e}");
    }
    let _ = rollgate::evaluate_risk_model(model, history);
}

/// A new record chains onto its tail, and still does once stored as JSON.
pub fn appended(tail: Option<&ChangeRecord>, input: &ChangeRecordInput, record: &ChangeRecord) {
    assert_eq!(record.kind, input.kind);
    let text = serde_json::to_string(record).unwrap_or_else(|e| panic!("record: {e}"));
    let stored: ChangeRecord = rollgate::wire::from_json(&text)
        .unwrap_or_else(|e| panic!("a returned record is rejected as input: {e}"));
    let mut log: Vec<ChangeRecord> = Vec::new();
    if let Some(tail) = tail {
        if !rollgate::verify_change_log(std::slice::from_ref(tail), None).is_ok_and(|r| r.valid) {
            return;
        }
        log.push(tail.clone());
    }
    log.push(stored);
    let report = rollgate::verify_change_log(&log, None)
        .unwrap_or_else(|e| panic!("verify_change_log without a checkpoint failed: {e}"));
    assert!(
        report.valid,
        "an appended record, stored as JSON, breaks the chain: {report:?}"
    );
}

/// The report agrees with itself.
pub fn verification(records: &[ChangeRecord], report: &ChangeLogVerification) {
    assert_eq!(report.records, records.len());
    assert_eq!(report.valid, report.first_broken.is_none());
    if let Some(i) = report.first_broken {
        assert!(i < records.len(), "first_broken {i} out of range");
    }
}

/// U between 0 and n·m; sizes echoed; interval ordered.
pub fn mann_whitney(x: &[f64], y: &[f64], r: &MannWhitney) {
    assert_eq!((r.n_x, r.n_y), (x.len(), y.len()));
    let nm = x.len() as f64 * y.len() as f64;
    assert!(
        (0.0..=nm).contains(&r.statistic),
        "U = {} outside [0, {nm}]",
        r.statistic
    );
    ordered(&r.ci, "mann_whitney");
}

/// Degrees of freedom positive; interval ordered.
pub fn welch(r: &WelchTest) {
    assert!(r.df > 0.0, "df = {}", r.df);
    ordered(&r.ci, "welch");
}

/// D in [0, 1].
pub fn ks(r: &KsTest) {
    assert!((0.0..=1.0).contains(&r.statistic), "D = {}", r.statistic);
    assert!(
        r.signed_statistic.abs() <= 1.0,
        "signed D = {}",
        r.signed_statistic
    );
}

/// Ratio non-negative; interval ordered.
pub fn proportions(r: &ProportionTest) {
    assert!(r.ratio.is_none_or(|v| v >= 0.0), "ratio {:?}", r.ratio);
    ordered(&r.ci, "proportions");
}

/// Rates and ratio non-negative; interval ordered.
pub fn rates(r: &RateTest) {
    assert!(
        r.rate_x >= 0.0 && r.rate_y >= 0.0,
        "rates {} {}",
        r.rate_x,
        r.rate_y
    );
    assert!(r.ratio.is_none_or(|v| v >= 0.0), "ratio {:?}", r.ratio);
    ordered(&r.ci, "rates");
}

/// Estimate and interval within the sample's range; ranks within
/// 0..=n + 1; coverage at least the confidence asked for.
pub fn quantile_interval(x: &[f64], confidence: f64, r: &QuantileInterval) {
    let lo = x.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = x.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    assert!(
        lo <= r.estimate && r.estimate <= hi,
        "estimate {} outside the sample",
        r.estimate
    );
    for v in r.ci.iter().flatten() {
        assert!(lo <= *v && *v <= hi, "interval end {v} outside the sample");
    }
    assert!(
        r.ranks[0] < r.ranks[1] && r.ranks[1] <= r.n + 1,
        "ranks {:?}",
        r.ranks
    );
    assert!(
        r.achieved_confidence >= confidence - 1e-9,
        "coverage {} below {confidence}",
        r.achieved_confidence
    );
    ordered(&r.ci, "quantile_ci");
}

/// Interval ordered.
pub fn quantile_comparison(r: &QuantileComparison) {
    ordered(&r.ci, "compare_quantiles");
}

/// One adjusted value per input, never below it (equal without correction).
pub fn adjusted(p: &[f64], method: Correction, adjusted: &[f64]) {
    assert_eq!(p.len(), adjusted.len());
    for (raw, adj) in p.iter().zip(adjusted) {
        match method {
            Correction::None => assert_eq!(raw, adj),
            _ => assert!(adj >= raw && *adj <= 1.0, "adjusted {adj} for raw {raw}"),
        }
    }
}

/// One look per input; p-values never increase; `reject` and
/// `first_rejection` agree with `alpha`.
pub fn sequential(looks: &[[f64; 2]], alpha: f64, r: &SequentialTest) {
    assert_eq!(r.looks.len(), looks.len());
    let mut previous = 1.0_f64;
    for (i, look) in r.looks.iter().enumerate() {
        assert!(
            look.bayes_factor >= 0.0,
            "look {i}: Bayes factor {}",
            look.bayes_factor
        );
        assert!(look.p_value <= previous, "look {i}: p-value rises");
        previous = look.p_value;
        if r.first_rejection == Some(i) {
            assert!(
                look.p_value <= alpha,
                "first rejection at p = {}",
                look.p_value
            );
        }
        if r.first_rejection.is_none_or(|first| i < first) {
            assert!(
                look.p_value > alpha,
                "look {i} rejects before first_rejection"
            );
        }
    }
    assert_eq!(
        r.p_value,
        r.looks.last().map_or(1.0, |l| l.p_value),
        "final p-value"
    );
    assert_eq!(
        r.reject,
        r.first_rejection.is_some(),
        "reject vs first_rejection"
    );
}
