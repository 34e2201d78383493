//! The real binary in a pseudo-terminal: open the demo, apply the suggested fixes, watch the
//! headline change from bounce to relay, quit, and check the terminal was restored.

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

struct Session {
    parser: Arc<Mutex<vt100::Parser>>,
    raw: Arc<Mutex<Vec<u8>>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
}

impl Session {
    fn start(args: &[&str]) -> Session {
        Session::start_with(args, &[])
    }

    fn start_with(args: &[&str], env: &[(&str, &str)]) -> Session {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: 30,
                cols: 100,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("a pseudo-terminal");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_relaycheck"));
        cmd.args(args);
        cmd.env("TERM", "xterm-256color");
        cmd.cwd(env!("CARGO_MANIFEST_DIR"));
        cmd.env_remove("NO_COLOR");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = pty.slave.spawn_command(cmd).expect("the binary starts");
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().expect("reader");
        let writer = pty.master.take_writer().expect("writer");
        let parser = Arc::new(Mutex::new(vt100::Parser::new(
            std::num::NonZeroU16::new(30).unwrap(),
            std::num::NonZeroU16::new(100).unwrap(),
            0,
        )));
        let raw = Arc::new(Mutex::new(Vec::new()));
        // Drain the output on its own thread so the child never blocks on a full pty.
        let (p, r) = (parser.clone(), raw.clone());
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                p.lock().unwrap().process(&buf[..n]);
                r.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        // The master must outlive the session; leak it into the closure-free holder.
        std::mem::forget(pty.master);
        Session {
            parser,
            raw,
            writer,
            child,
        }
    }

    fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// Waits until the screen shows `text` and has stopped changing.
    fn wait_for(&self, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut last = String::new();
        let mut stable_since = Instant::now();
        loop {
            let now = self.screen();
            if now != last {
                last = now.clone();
                stable_since = Instant::now();
            }
            if last.contains(text) && stable_since.elapsed() > Duration::from_millis(150) {
                return last;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {text:?}; screen:\n{last}"
            );
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    fn exit_code(&mut self) -> u32 {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.exit_code();
            }
            assert!(
                Instant::now() < deadline,
                "the wizard did not exit; screen:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(25));
        }
    }
}

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
