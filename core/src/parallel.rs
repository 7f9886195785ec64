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
    join_mut(parallel, &mut (), |_| a(), b)
}

/// [`join`] where `a` works on `state`, borrowed mutably for the call (a
/// scratch buffer, or a value `a` replaces): `a` gets `&mut state` on the
/// second thread, or on the calling thread after `b` when the second thread
/// could not be started (then `a` has not run, and `state` is untouched).
///
/// ```ignore
/// let mut high = vec![3, 1, 2];
/// let (_, low) = rollgate::parallel::join_mut(true, &mut high, |v| v.sort(), || 1 + 1);
/// assert_eq!((high, low), (vec![1, 2, 3], 2));
/// ```
pub(crate) fn join_mut<S: Send + ?Sized, RA: Send, RB>(
    parallel: bool,
    state: &mut S,
    a: impl Fn(&mut S) -> RA + Sync,
    b: impl FnOnce() -> RB,
) -> (RA, RB) {
    if !parallel {
        let ra = a(state);
        return (ra, b());
    }
    let a = &a;
    let (ra, rb) = std::thread::scope(|scope| {
        let on_worker = &mut *state;
        let worker = std::thread::Builder::new()
            .name("rollgate-worker".into())
            .spawn_scoped(scope, move || a(on_worker));
        let rb = b();
        (worker.ok().map(|handle| handle.join()), rb)
    });
    match ra {
        Some(Ok(ra)) => (ra, rb),
        Some(Err(payload)) => std::panic::resume_unwind(payload),
        // The thread was not started: the closure never ran.
        None => (a(state), rb),
    }
}

#[cfg(test)]
mod tests {
    use super::{join, join_mut};

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

    #[test]
    fn the_worker_side_gets_its_state_mutably() {
        for parallel in [false, true] {
            let mut data: Vec<u64> = (1..=1000).rev().collect();
            let (low, high) = data.split_at_mut(400);
            let (sum_high, sum_low) = join_mut(
                parallel,
                high,
                |half| {
                    half.sort_unstable();
                    half.iter().sum::<u64>()
                },
                || low.iter().sum::<u64>(),
            );
            assert_eq!((sum_low, sum_high), (320_200, 180_300));
            assert_eq!(data.get(400..403), Some(&[1, 2, 3][..]));
            assert_eq!(data.first(), Some(&1000));
        }
    }
}
