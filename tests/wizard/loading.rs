//! Loading off the UI thread (issue 13): a file opened from the wizard is read on a worker,
//! the screen says "Loading …", Esc and q stop waiting at once (the result is dropped),
//! Ctrl-C quits, and the deadline gives a clear message. The loader here is a slow one
//! driven by channels: nothing waits on a clock.

use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use relaycheck::tui::app::App;
use relaycheck::tui::effect::DEADLINE;
use relaycheck::tui::loader::{Job, Runtime};

use crate::kit;

const CERT: &str = "assets/examples/certs/mail-contoso.pem";

/// A loader that tells when it starts, waits for the gate, loads for real, then says it is
/// done.
struct Slow {
    started: Receiver<String>,
    gate: Sender<()>,
    done: Receiver<()>,
    runtime: Runtime,
}

fn slow() -> Slow {
    let (started_tx, started) = mpsc::channel();
    let (gate, gate_rx) = mpsc::channel::<()>();
    let (done_tx, done) = mpsc::channel();
    let gate_rx = Arc::new(Mutex::new(gate_rx));
    let started_tx = Arc::new(Mutex::new(started_tx));
    let done_tx = Arc::new(Mutex::new(done_tx));
    let real = relaycheck::tui::loader::default_loader();
    let loader: relaycheck::tui::loader::Loader = Arc::new(move |job: Job| {
        let _ = started_tx.lock().unwrap().send(job.what());
        let _ = gate_rx.lock().unwrap().recv();
        let result = real(job);
        let _ = done_tx.lock().unwrap().send(());
        result
    });
    Slow {
        started,
        gate,
        done,
        runtime: Runtime::new(loader, DEADLINE),
    }
}

fn press(rt: &mut Runtime, app: &mut App, code: KeyCode, mods: KeyModifiers, at: Instant) {
    if let Some(m) = relaycheck::tui::key_message(app, &KeyEvent::new(code, mods)) {
        rt.dispatch(app, m, at);
    }
}

fn typed(rt: &mut Runtime, app: &mut App, text: &str, at: Instant) {
    for c in text.chars() {
        let code = match c {
            '\n' => KeyCode::Enter,
            c => KeyCode::Char(c),
        };
        press(rt, app, code, KeyModifiers::NONE, at);
    }
}

/// Step 1, `a`, the path, Enter: the load starts and the worker is running.
fn start_loading(s: &mut Slow, app: &mut App, at: Instant) {
    typed(&mut s.runtime, app, &format!("1a{CERT}\n"), at);
    assert_eq!(s.started.recv().unwrap(), CERT, "the worker got the path");
    assert!(app.loading.is_some(), "the wizard waits for it");
}

#[test]
fn the_screen_says_loading_and_keeps_answering_keys() {
    let mut s = slow();
    let mut a = kit::two_levels();
    let t0 = Instant::now();
    start_loading(&mut s, &mut a, t0);
    let screen = kit::screen(&mut a, 80, 24);
    assert!(screen.contains(&format!("… Loading {CERT}")), "{screen}");
    assert!(
        screen.contains("Esc/q stop loading"),
        "the footer has the keys:\n{screen}"
    );
    assert!(
        s.runtime
            .wait(t0)
            .is_some_and(|d| d <= relaycheck::tui::loader::POLL),
        "the event loop keeps looking (it never blocks while a load runs)"
    );
    // Keys still arrive; only stopping means something.
    press(
        &mut s.runtime,
        &mut a,
        KeyCode::Char('3'),
        KeyModifiers::NONE,
        t0,
    );
    assert_eq!(a.tab, relaycheck::tui::app::Tab::Certificate);
    s.runtime.poll(&mut a, t0);
    assert!(a.loading.is_some(), "nothing arrived yet");

    s.gate.send(()).unwrap();
    s.runtime.finish(&mut a);
    assert!(a.loading.is_none());
    assert_eq!(
        a.scenario.certificates.len(),
        2,
        "the certificate was added"
    );
    assert!(
        s.runtime.wait(Instant::now()).is_none(),
        "no load runs any more"
    );
}

#[test]
fn esc_and_q_stop_waiting_at_once_and_the_result_is_dropped() {
    for key in [KeyCode::Esc, KeyCode::Char('q')] {
        let mut s = slow();
        let mut a = kit::two_levels();
        let t0 = Instant::now();
        start_loading(&mut s, &mut a, t0);
        press(&mut s.runtime, &mut a, key, KeyModifiers::NONE, t0);
        assert!(a.loading.is_none(), "{key:?} stops it");
        assert!(!a.should_quit, "{key:?} does not quit");
        assert!(
            a.status
                .as_deref()
                .is_some_and(|t| t.starts_with("Stopped loading")),
            "{:?}",
            a.status
        );
        assert!(
            s.runtime.wait(t0).is_none(),
            "the loop blocks on keys again"
        );
        // The worker finishes later: its certificates never arrive.
        s.gate.send(()).unwrap();
        s.done.recv().unwrap();
        s.runtime.poll(&mut a, t0 + Duration::from_secs(1));
        s.runtime.finish(&mut a);
        assert_eq!(a.scenario.certificates.len(), 1, "{key:?}: dropped");
        assert!(!a.dirty());
    }
}

#[test]
fn ctrl_c_quits_at_once_while_loading() {
    let mut s = slow();
    let mut a = kit::two_levels();
    let t0 = Instant::now();
    start_loading(&mut s, &mut a, t0);
    press(
        &mut s.runtime,
        &mut a,
        KeyCode::Char('c'),
        KeyModifiers::CONTROL,
        t0,
    );
    assert!(a.should_quit);
    s.gate.send(()).unwrap();
}

#[test]
fn the_deadline_gives_a_clear_error() {
    let mut s = slow();
    let mut a = kit::two_levels();
    let t0 = Instant::now();
    start_loading(&mut s, &mut a, t0);
    s.runtime
        .poll(&mut a, t0 + DEADLINE - Duration::from_millis(1));
    assert!(a.loading.is_some(), "not yet");
    s.runtime.poll(&mut a, t0 + DEADLINE);
    assert!(a.loading.is_none());
    let status = a.status.clone().unwrap_or_default();
    assert!(
        status.starts_with(&format!("Gave up loading {CERT} after 10 s")),
        "{status}"
    );
    assert!(status.contains("Nothing was added"), "{status}");
    s.gate.send(()).unwrap();
    s.done.recv().unwrap();
    s.runtime.poll(&mut a, t0 + DEADLINE * 2);
    assert_eq!(a.scenario.certificates.len(), 1, "a late result is dropped");
}

#[test]
fn a_password_prompt_and_a_lesson_come_through_the_worker_too() {
    // A lesson opened from the list is read on the worker as well.
    let mut s = slow();
    let mut a = kit::train(None);
    let t0 = Instant::now();
    press(
        &mut s.runtime,
        &mut a,
        KeyCode::Down,
        KeyModifiers::NONE,
        t0,
    );
    press(
        &mut s.runtime,
        &mut a,
        KeyCode::Enter,
        KeyModifiers::NONE,
        t0,
    );
    assert_eq!(s.started.recv().unwrap(), "lesson 02-wildcard-not-host");
    assert!(a.loading.is_some());
    s.gate.send(()).unwrap();
    s.runtime.finish(&mut a);
    assert_eq!(
        a.lesson.as_ref().map(|l| l.id.as_str()),
        Some("02-wildcard-not-host")
    );

    // The real loader asks for a PKCS#12 password through the same path.
    let dir = tempfile::tempdir().unwrap();
    let pfx: PathBuf = crate::tui_pkcs12::write_pfx(dir.path());
    let mut rt = Runtime::new(relaycheck::tui::loader::default_loader(), DEADLINE);
    let mut b = kit::two_levels();
    typed(&mut rt, &mut b, &format!("1a{}\n", pfx.display()), t0);
    rt.finish(&mut b);
    assert!(
        matches!(&b.modal, Some(relaycheck::tui::app::Modal::Form(f)) if f.title.starts_with("Password for")),
        "{:?}",
        b.modal
    );
    typed(
        &mut rt,
        &mut b,
        &format!("{}\n", crate::tui_pkcs12::PASSWORD),
        t0,
    );
    assert!(
        b.loading.is_some(),
        "the password's load runs on the worker too"
    );
    rt.finish(&mut b);
    assert_eq!(b.scenario.certificates.len(), 2, "{:?}", b.status);
}
