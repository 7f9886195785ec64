//! An allocator that aborts on absurd allocations, with or without a
//! sanitizer.
//!
//! libFuzzer's `-malloc_limit_mb` needs a sanitizer's malloc hooks, and the
//! targets run without one by default (rollgate has no `unsafe` code; see
//! README.md). This wrapper around the system allocator aborts the process
//! — a crash libFuzzer records with its input — when one allocation asks
//! for more than [`MAX_ONE`] bytes or the live total would pass
//! [`MAX_LIVE`]. Fuzz inputs are at most a few hundred kilobytes, so either
//! means allocation out of proportion to the input.

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Largest single allocation allowed: 256 MiB.
pub const MAX_ONE: usize = 256 << 20;
/// Largest live total allowed: 1 GiB.
pub const MAX_LIVE: usize = 1 << 30;

static LIVE: AtomicUsize = AtomicUsize::new(0);

/// The guarding allocator (installed as the global allocator of the targets).
pub struct Guard;

/// Writes `size` in decimal into `buf`, returning the digits (no allocation:
/// this runs inside the allocator).
fn digits(mut size: usize, buf: &mut [u8; 20]) -> &[u8] {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (size % 10) as u8;
        size /= 10;
        if size == 0 || i == 0 {
            break;
        }
    }
    &buf[i..]
}

/// Aborts unless `size` more bytes, `freed` of them given back by the same
/// call (a reallocation), stay within the limits.
fn admit(size: usize, freed: usize) {
    let live = LIVE.load(Ordering::Relaxed);
    if size > MAX_ONE || live.saturating_sub(freed).saturating_add(size) > MAX_LIVE {
        let mut buf = [0u8; 20];
        let mut err = std::io::stderr().lock();
        let _ = err.write_all(b"\n==alloc_guard: absurd allocation of ");
        let _ = err.write_all(digits(size, &mut buf));
        let _ = err.write_all(b" bytes with ");
        let _ = err.write_all(digits(live, &mut buf));
        let _ = err.write_all(b" bytes live; aborting\n");
        std::process::abort();
    }
}

// SAFETY: every call is forwarded unchanged to `System`; the guard only
// counts sizes and may abort before forwarding.
unsafe impl GlobalAlloc for Guard {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        admit(layout.size(), 0);
        // SAFETY: same contract as the caller's.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            LIVE.fetch_add(layout.size(), Ordering::Relaxed);
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        admit(layout.size(), 0);
        // SAFETY: same contract as the caller's.
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            LIVE.fetch_add(layout.size(), Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        admit(new_size, layout.size());
        // SAFETY: same contract as the caller's.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
            LIVE.fetch_add(new_size, Ordering::Relaxed);
        }
        p
    }
}
