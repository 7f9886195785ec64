//! Known issues that would otherwise stop every run at the same place.
//!
//! Only one, and only while its owner fixes it: `welch_t_test` panics inside
//! statrs' incomplete beta function (`beta_reg` unwraps an out-of-range
//! argument), e.g. for `welch_t_test([1e154, 1.0], [1.0, 2.0])` (issue 9).
//! Fuzzing finds it within a minute, and each finding ends the run, so
//! nothing behind it in the Welch path would ever be found.
//!
//! [`welch`] runs a Welch test and tolerates exactly that class: a panic
//! raised in statrs' `function/beta.rs` while a Welch test runs. Any other
//! panic, and the same panic anywhere else, still aborts as usual. The first
//! tolerated panic is reported on stderr (so the logs show the class is
//! still there). Set `FUZZ_STRICT=1` to tolerate nothing.

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Once;

thread_local! {
    static IN_WELCH: Cell<bool> = const { Cell::new(false) };
    static TOLERATED: Cell<bool> = const { Cell::new(false) };
}

static REPORTED: AtomicBool = AtomicBool::new(false);

fn install_hook() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        // The hook libfuzzer-sys installed: print, then abort.
        let abort = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            let in_statrs_beta = info.location().is_some_and(|l| {
                let file = l.file().replace('\\', "/");
                file.contains("statrs") && file.ends_with("function/beta.rs")
            });
            if IN_WELCH.with(Cell::get) && in_statrs_beta {
                TOLERATED.with(|t| t.set(true));
                if !REPORTED.swap(true, Ordering::Relaxed) {
                    eprintln!(
                        "fuzz: known issue 9 (welch_t_test -> statrs beta_reg panic: {info}); \
                         tolerated from here on (FUZZ_STRICT=1 to stop on it)"
                    );
                }
                return;
            }
            abort(info);
        }));
    });
}

/// Runs `test` (a Welch test); `None` if it raised the known statrs panic.
pub fn welch<T>(test: impl FnOnce() -> T) -> Option<T> {
    if std::env::var_os("FUZZ_STRICT").is_some_and(|v| v == "1") {
        return Some(test());
    }
    install_hook();
    IN_WELCH.with(|w| w.set(true));
    TOLERATED.with(|t| t.set(false));
    let out = panic::catch_unwind(AssertUnwindSafe(test));
    IN_WELCH.with(|w| w.set(false));
    match out {
        Ok(value) => Some(value),
        Err(_) if TOLERATED.with(Cell::get) => None,
        Err(payload) => panic::resume_unwind(payload),
    }
}
