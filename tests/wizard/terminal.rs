//! What a real terminal sends, in a pseudo-terminal: Shift-Tab as `ESC [ Z`, a bracketed
//! paste, and SIGTERM, SIGHUP or SIGINT from outside, after which the terminal is restored
//! (alternate screen left, cursor shown, bracketed paste off) and the exit status is
//! 128 + the signal.

use std::time::{Duration, Instant};

use crate::pty::Session;

const SCENARIO: &str = "assets/examples/seed002-host-instead-of-wildcard.yaml";

fn wizard() -> Session {
    let s = Session::start(&["wizard", "--scenario", SCENARIO, "--now", "2026-11-22"]);
    s.wait_for("will bounce");
    s
}

/// The sequences that restore the terminal, each after the last time it was changed.
fn assert_restored(s: &Session) {
    s.settle();
    let raw = s.raw_text();
    let after = |on: &str, off: &str| {
        let on = raw.rfind(on);
        let off = raw.rfind(off);
        assert!(
            off.is_some() && off > on,
            "{off:?} after {on:?} ({:?}):\n{:?}",
            off,
            &raw[raw.len().saturating_sub(400)..]
        );
    };
    after("\x1b[?1049h", "\x1b[?1049l");
    after("\x1b[?2004h", "\x1b[?2004l");
    after("\x1b[?25l", "\x1b[?25h");
    assert!(raw.contains("\x1b[?2004h"), "bracketed paste was turned on");
    assert!(
        !s.on_alternate_screen(),
        "the vt100 screen left the alternate screen"
    );
}

#[test]
fn shift_tab_from_the_terminal_moves_the_focus_back() {
    let mut s = wizard();
    s.send("1g");
    s.wait_for("▶ CN");
    s.send("\t");
    s.wait_for("▶ SANs");
    s.send("\x1b[Z");
    let screen = s.wait_for("▶ CN");
    assert!(!screen.contains("▶ SANs"), "{screen}");
    s.send("\x03");
    assert_eq!(s.exit_code(), 0);
}

fn signalled(name: &str, code: u32) {
    let mut s = wizard();
    s.signal(name);
    let started = Instant::now();
    assert_eq!(s.exit_code(), code, "kill -{name}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
    assert_restored(&s);
}

#[test]
fn sigterm_restores_the_terminal_and_exits_143() {
    signalled("TERM", 143);
}

#[test]
fn sighup_restores_the_terminal_and_exits_129() {
    signalled("HUP", 129);
}

#[test]
fn sigint_from_outside_restores_the_terminal_and_exits_130() {
    signalled("INT", 130);
}

#[test]
fn a_signal_while_a_form_is_open_still_restores_the_terminal() {
    let mut s = wizard();
    s.send("2a");
    s.wait_for("Add an accepted domain");
    s.signal("TERM");
    assert_eq!(s.exit_code(), 143);
    assert_restored(&s);
}

#[test]
fn a_bracketed_paste_of_50000_characters_is_one_edit_cut_at_4096() {
    let mut s = wizard();
    s.send("2a");
    s.wait_for("Add an accepted domain");
    let started = Instant::now();
    s.send(&format!("\x1b[200~{}\x1b[201~", "a".repeat(50_000)));
    let screen = s.wait_for("4096");
    assert!(screen.contains("cut to 4096 characters"), "{screen}");
    // Ctrl-C is honoured at once: no 50,000 queued keys ahead of it.
    s.send("\x03");
    assert_eq!(s.exit_code(), 0);
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "took {:?}",
        started.elapsed()
    );
    assert_restored(&s);
}
