//! The wizard on random key sequences: `update` with each key (its effects are dropped, so
//! nothing is read, written or copied), and the real `view` drawn into a TestBackend after
//! every key, starting from the built-in demo.
#![no_main]

use libfuzzer_sys::fuzz_target;
use time::macros::datetime;

#[path = "../wizard_input.rs"]
mod wizard_input;
use wizard_input::event;

fuzz_target!(|data: &[u8]| {
    let now = datetime!(2026-11-22 12:00 UTC);
    let Ok((_, scenario)) = relaycheck::tui::demo::load(now) else {
        return;
    };
    let (mut app, mut terminal, keys) = wizard_input::start(scenario, now, data);
    for &b in keys.iter().take(200) {
        let _effects = relaycheck::tui::press(&mut app, event(b));
        let _ = terminal.draw(|f| relaycheck::tui::view::view(&app, f));
        if app.should_quit {
            break;
        }
    }
});
