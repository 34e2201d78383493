//! The memory the wizard keeps after 5,000 edits at the scale (5,000 domains × 500
//! certificates × 20 connectors × 100 messages): each edit goes through `dispatch` (the
//! history, a re-validation), counted by a global allocator in this binary, with the
//! kernel's VmRSS and VmHWM beside it. Prints one line; not a timing.
//! Run: `cargo bench --bench memory` (figures and their meaning: docs/performance.md).
//!
//! Only `App::new`, `tui::dispatch_key` are used.

// The counting allocator implements GlobalAlloc, an unsafe trait: the one place in the
// workspace where unsafe code is allowed (the shipped crates forbid it).
#![allow(unsafe_code)]

#[path = "common/mod.rs"]
mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::{CERTIFICATES, DOMAINS, app, key};
use ratatui::crossterm::event::KeyCode;
use relaycheck::model::Scenario;

/// Counts the bytes live on the heap and their peak.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        unsafe { System.dealloc(p, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
    unsafe fn realloc(&self, p: *mut u8, layout: Layout, new: usize) -> *mut u8 {
        let q = unsafe { System.realloc(p, layout, new) };
        if !q.is_null() {
            if new >= layout.size() {
                let now =
                    LIVE.fetch_add(new - layout.size(), Ordering::Relaxed) + new - layout.size();
                PEAK.fetch_max(now, Ordering::Relaxed);
            } else {
                LIVE.fetch_sub(layout.size() - new, Ordering::Relaxed);
            }
        }
        q
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

const MIB: f64 = 1024.0 * 1024.0;

fn vm(field: &str) -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .map(|l| l.trim_start_matches(field).trim().to_string())
        })
        .unwrap_or_else(|| "n/a".into())
}

/// `edits` edits (toggling the hybrid connector's Enabled in step 3, each through the
/// history and re-validated) on the scale scenario; prints what stays on the heap.
fn memory(s: Scenario, edits: usize, before: usize) {
    let mut a = app(s);
    key(&mut a, KeyCode::Char('3'));
    key(&mut a, KeyCode::Char('j')); // Enabled
    let loaded = LIVE.load(Ordering::Relaxed);
    PEAK.store(loaded, Ordering::Relaxed);
    let start = std::time::Instant::now();
    for _ in 0..edits {
        key(&mut a, KeyCode::Enter);
    }
    let elapsed = start.elapsed();
    let after = LIVE.load(Ordering::Relaxed);
    println!(
        "memory/{edits}-edits: scenario and app {:.1} MiB after load; after {edits} edits {:.1} MiB live ({:+.1} MiB), peak {:.1} MiB; VmRSS {}, VmHWM {}; {:.1} ms per edit",
        (loaded - before) as f64 / MIB,
        (after - before) as f64 / MIB,
        (after as f64 - loaded as f64) / MIB,
        (PEAK.load(Ordering::Relaxed) - before) as f64 / MIB,
        vm("VmRSS:"),
        vm("VmHWM:"),
        elapsed.as_secs_f64() * 1000.0 / edits as f64,
    );
    black_box(a);
}

fn main() {
    let edits: usize = std::env::var("EDITS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(5000);
    // Everything from here on counts: the scenario, the app, the edits.
    let before = LIVE.load(Ordering::Relaxed);
    let s = common::scale(DOMAINS, common::candidates(CERTIFICATES));
    memory(s, edits, before);
}
