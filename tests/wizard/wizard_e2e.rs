//! The real binary in a pseudo-terminal: open the demo, apply the suggested fixes, watch the
//! headline change from bounce to relay, quit, and check the terminal was restored.

use std::time::Duration;

use crate::pty::Session;

#[test]
fn demo_fixed_in_the_wizard_then_quit_restores_the_terminal() {
    let mut s = Session::start(&["--now", "2026-11-22T12:00:00Z"]);
    let first = s.wait_for("will bounce");
    assert!(
        first.contains("NDRs, forwarded mail and mail sent as fabrikam.com will bounce"),
        "{first}"
    );
    assert!(first.contains("1 Certificate"), "{first}");

    // Domains: the seed article's fix, add and verify subdomain.contoso.com.
    s.send("2");
    s.wait_for("Needed by the certificate");
    s.send("f");
    let after_domain = s.wait_for("resolved: cert-name-not-accepted");
    assert!(
        after_domain.contains("subdomain.contoso.com"),
        "{after_domain}"
    );

    // Connector: take the suggested wildcard (what HCW now writes).
    s.send("3");
    s.wait_for("TlsSenderCertificateName");
    s.send("f");
    let fixed = s.wait_for("relay or deliver");
    assert!(fixed.contains("PASS"), "{fixed}");
    assert!(!fixed.contains("will bounce"), "{fixed}");

    // Quit: there are unsaved edits, so it asks first.
    s.send("q");
    s.wait_for("Quit anyway?");
    s.send("y");
    assert_eq!(s.exit_code(), 0);
    std::thread::sleep(Duration::from_millis(200));
    let raw = s.raw.lock().unwrap().clone();
    let text = String::from_utf8_lossy(&raw);
    let entered = text
        .rfind("\x1b[?1049h")
        .expect("entered the alternate screen");
    let left = text
        .rfind("\x1b[?1049l")
        .expect("left the alternate screen");
    assert!(
        left > entered,
        "the alternate screen was left after it was entered"
    );
}

#[test]
fn ctrl_c_quits_at_once_and_esc_cancels_a_form() {
    let mut s = Session::start(&[
        "wizard",
        "--scenario",
        "assets/examples/seed002-host-instead-of-wildcard.yaml",
        "--now",
        "2026-11-22",
    ]);
    s.wait_for("will bounce");
    s.send("2a");
    s.wait_for("Add an accepted domain");
    s.send("\x1b");
    s.wait_for("Cancelled.");
    s.send("\x03");
    assert_eq!(s.exit_code(), 0);
}

#[test]
fn a_broken_scenario_is_refused_before_the_terminal_is_touched() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.yaml");
    std::fs::write(&bad, "tenant:\n  acepted_domains: []\n").unwrap();
    let mut s = Session::start(&["wizard", "--scenario", bad.to_str().unwrap()]);
    let code = s.exit_code();
    std::thread::sleep(Duration::from_millis(200));
    let raw = String::from_utf8_lossy(&s.raw.lock().unwrap()).into_owned();
    assert_eq!(code, 2, "{raw}");
    assert!(raw.contains("unknown field `acepted_domains`"), "{raw}");
    assert!(
        !raw.contains("\x1b[?1049h"),
        "the alternate screen was never entered"
    );
}

#[test]
fn a_completed_lesson_is_kept_in_the_state_folder() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().to_str().unwrap();
    let mut s = Session::start_with(
        &["train", "1", "--now", "2026-11-22T12:00:00Z"],
        &[("RELAYCHECK_STATE_DIR", state)],
    );
    s.wait_for("Your objective");
    s.send("\r");
    s.wait_for("progress 0/");
    // Step 2, the second domain (contoso.com): verify it.
    s.send("2jv");
    s.wait_for("Lesson complete");
    s.send("q");
    assert_eq!(s.exit_code(), 0);
    let text = std::fs::read_to_string(dir.path().join("progress.json")).expect("progress kept");
    assert!(text.contains("01-apex-not-verified"), "{text}");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_relaycheck"))
        .args(["train", "--progress"])
        .env("RELAYCHECK_STATE_DIR", state)
        .output()
        .unwrap();
    let listed = String::from_utf8_lossy(&out.stdout);
    assert!(listed.contains("1 of 11 lessons done"), "{listed}");
}

#[test]
fn a_certificate_added_in_the_real_wizard_arrives_from_the_worker() {
    let mut s = Session::start(&[
        "wizard",
        "--scenario",
        "assets/examples/seed002-host-instead-of-wildcard.yaml",
        "--now",
        "2026-11-22",
    ]);
    s.wait_for("will bounce");
    s.send("1a");
    s.wait_for("Add certificates");
    s.send("assets/examples/certs/smtp-fabrikam.pem\r");
    let screen = s.wait_for("Added 1 certificate");
    assert!(screen.contains("smtp.fabrikam.net"), "{screen}");
    s.send("\x03");
    assert_eq!(s.exit_code(), 0);
}
