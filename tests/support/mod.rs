//! Shared helpers for integration tests: where the external corpora are, and lab fixtures.
#![allow(dead_code)]

use std::path::PathBuf;

pub mod bounded;
pub mod ps;

/// The external corpora folder: `$RELAYCHECK_CORPORA`, else `../shared/corpora` beside the
/// checkout. Outside CI a missing folder skips the test (it says so); with `CI=true` it is
/// a failure, so CI can never pass by skipping.
pub fn corpora() -> Option<PathBuf> {
    let dir = std::env::var_os("RELAYCHECK_CORPORA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora"));
    if dir.is_dir() {
        return Some(dir);
    }
    let ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
    assert!(
        !ci,
        "the external corpora are missing at {} (set RELAYCHECK_CORPORA); CI must not skip them",
        dir.display()
    );
    eprintln!(
        "SKIPPED: external corpora not found at {} (set RELAYCHECK_CORPORA to run these tests)",
        dir.display()
    );
    None
}

/// A fixed evaluation moment for reproducible tests.
pub fn now() -> time::OffsetDateTime {
    time::macros::datetime!(2026-11-22 12:00 UTC)
}
