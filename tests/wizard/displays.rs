//! What the pages show of the core's newer facts, each value from the Report: the Summary's
//! inventory, the chain and EKU on step 1 and what the on-premises side holds, the tenant's
//! RejectDirectSend on step 2, refused SenderIPAddresses on step 3, Direct Send on step 4.

use crate::kit::{self, keys};

/// The Summary scrolled until `text` is in view (or the end), as the screen shows it.
fn summary_until(a: &mut relaycheck::tui::app::App, text: &str) -> String {
    keys(a, "5");
    let mut s = kit::screen(a, 120, 40);
    for _ in 0..200 {
        if s.contains(text) {
            break;
        }
        keys(a, "j");
        s = kit::screen(a, 120, 40);
    }
    s
}

#[test]
fn the_summary_shows_what_was_checked_and_follows_edits() {
    let mut a = kit::two_levels();
    let s = summary_until(&mut a, "What was checked");
    assert!(s.contains("What was checked"), "{s}");
    assert!(
        s.contains("scenario: assets/examples/seed000-host-two-levels-down.yaml"),
        "{s}"
    );
    assert!(
        s.contains("Accepted domains (2, 0 pending verification):"),
        "{s}"
    );
    keys(&mut a, "2avanity.example\n");
    assert!(a.scenario.tenant.get("vanity.example").is_some());
    keys(&mut a, "jjjv");
    let s = summary_until(&mut a, "vanity.example (");
    assert!(
        s.contains("vanity.example (pending verification, Authoritative)"),
        "{s}"
    );
}
