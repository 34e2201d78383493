//! The wizard's keystroke path at the scale: one key through `dispatch` (update and
//! its effects, which re-validate), then a draw of the real `view` into ratatui's
//! TestBackend. Also a 10,000-row certificate list. (Memory after 5,000 edits:
//! benches/memory.rs, whose counting allocator would slow these down.)
//! Run: `cargo bench --bench wizard` (figures and their meaning: docs/performance.md).
//!
//! Only `App::new`, `tui::dispatch_key` and `view::view` are used, so
//! the wizard's insides can move without breaking this file.

#[path = "common/mod.rs"]
mod common;

use std::hint::black_box;
use std::sync::Arc;

use common::{CERTIFICATES, DOMAINS, app, key};
use criterion::Criterion;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyCode;
use relaycheck::model::Scenario;
use relaycheck::tui::app::App;

fn terminal() -> Terminal<TestBackend> {
    Terminal::new(TestBackend::new(120, 40)).expect("a test terminal")
}

fn draw(t: &mut Terminal<TestBackend>, app: &App) {
    t.draw(|f| relaycheck::tui::view::view(app, f))
        .expect("draws");
}

/// Step 3, the last connector (the hybrid one), its TlsSenderCertificateName form open.
fn typing_tscn(s: Scenario) -> App {
    let last = s.inbound_connectors.len().saturating_sub(1);
    let mut a = app(s);
    key(&mut a, KeyCode::Char('3'));
    for _ in 0..last {
        key(&mut a, KeyCode::Char(']'));
    }
    for _ in 0..3 {
        key(&mut a, KeyCode::Char('j'));
    }
    key(&mut a, KeyCode::Enter);
    a
}

/// One typed character then one draw; every other iteration deletes it again, so the
/// value stays `*.contoso.com` or `*.contoso.comx` and every key re-validates.
fn bench_typing(c: &mut Criterion, name: &str, s: Scenario) {
    let mut a = typing_tscn(s);
    let mut t = terminal();
    draw(&mut t, &a);
    let mut n = 0u64;
    c.bench_function(name, |b| {
        b.iter(|| {
            n += 1;
            let code = if n % 2 == 1 {
                KeyCode::Char('x')
            } else {
                KeyCode::Backspace
            };
            key(&mut a, code);
            draw(&mut t, black_box(&a));
        });
    });
}

/// ↓ then ↑ (alternating) in step 1 with `rows` certificates, then a draw.
fn bench_list(c: &mut Criterion, name: &str, s: Scenario) {
    let mut a = app(s);
    key(&mut a, KeyCode::Char('1'));
    let mut t = terminal();
    draw(&mut t, &a);
    let mut n = 0u64;
    c.bench_function(name, |b| {
        b.iter(|| {
            n += 1;
            key(
                &mut a,
                if n % 2 == 1 {
                    KeyCode::Down
                } else {
                    KeyCode::Up
                },
            );
            draw(&mut t, black_box(&a));
        });
    });
}

fn main() {
    let certs = common::candidates(CERTIFICATES);
    let full = common::scale(DOMAINS, certs.clone());
    let mut c = Criterion::default().configure_from_args();
    // Each setup runs only when its benchmark is selected (a profile then holds nothing else).
    let name = "keystroke/tscn/scale";
    if common::wanted(name) {
        bench_typing(&mut c, name, full.clone());
    }
    let name = "keystroke/tscn/scale-10000-sans";
    if common::wanted(name)
        && let Some((_, facts)) = common::ten_thousand_sans()
    {
        let mut s = full.clone();
        s.certificates[0] = common::entry("subdomain-10000-sans.pem", facts);
        bench_typing(&mut c, name, s);
    }
    // 10,000 rows: the 500 candidates repeated (the list does not care that they repeat).
    let name = "keystroke/cert-list/10000-rows";
    if common::wanted(name) {
        let mut rows = full.clone();
        rows.certificates = (0..10_000)
            .map(|i| {
                let e = &certs[i % certs.len()];
                relaycheck::model::CertificateEntry {
                    source: e.source.clone(),
                    facts: Arc::clone(&e.facts),
                }
            })
            .collect();
        bench_list(&mut c, name, rows);
    }
    c.final_summary();
}
