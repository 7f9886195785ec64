//! The one place where rollgate uses a second thread: [`join`] runs two
//! pieces of work side by side for the duration of one call.
//!
//! The engine keeps no thread pool and starts no thread that outlives a
//! call. A second thread is only a speed-up: if it cannot be started, the
//! calling thread does all the work, and the result is the same either way.

/// Runs `a` and `b` and returns both results: `a` on a scoped second thread
/// when `parallel` (on the calling thread if no thread can be started), `b`
/// on the calling thread. Results do not depend on which thread ran what.
///
/// `a` is `Fn` so that it can be run again on the calling thread when the
/// second thread could not be started. A panic in `a` is raised again here,
/// never turned into a result (library code does not panic, so this does not
/// happen; the bindings turn any panic into a typed error).
///
/// ```ignore
/// let (left, right) = rollgate::parallel::join(true, || 1 + 1, || 2 + 2);
/// assert_eq!((left, right), (2, 4));
/// ```
pub(crate) fn join<RA: Send, RB>(
    parallel: bool,
    a: impl Fn() -> RA + Sync,
    b: impl FnOnce() -> RB,
) -> (RA, RB) {
    if !parallel {
        let ra = a();
        return (ra, b());
    }
    std::thread::scope(|scope| {
        let worker = std::thread::Builder::new()
            .name("rollgate-worker".into())
            .spawn_scoped(scope, &a);
        let rb = b();
        let ra = match worker {
            Ok(handle) => match handle.join() {
                Ok(ra) => ra,
                Err(payload) => std::panic::resume_unwind(payload),
            },
            Err(_) => a(),
        };
        (ra, rb)
    })
}

#[cfg(test)]
mod tests {
    use super::join;

    #[test]
    fn both_sides_run_with_and_without_a_second_thread() {
        for parallel in [false, true] {
            let data: Vec<u64> = (1..=1000).collect();
            let (low, high) = join(
                parallel,
                || data.iter().take(500).sum::<u64>(),
                || data.iter().skip(500).sum::<u64>(),
            );
            assert_eq!(low + high, 500_500);
            assert_eq!(low, 125_250);
        }
    }
}
