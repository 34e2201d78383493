//! Numbers typed into the wizard's `g` (generate a lab certificate) form: an offset past
//! ±73000 days or a date outside 1950-01-01..=9999-12-31 is an error in the form, never a
//! panic; the edges themselves are accepted.

use ratatui::crossterm::event::{KeyCode, KeyModifiers};
use relaycheck::tui::app::{App, Modal};

use crate::kit::{self, key, key_with, keys};

/// Opens the generate form and types `value` into the field at `index` (0 CN, 2 valid
/// from, 3 valid until), then submits it.
fn generate_with(app: &mut App, index: usize, value: &str) {
    keys(app, "1g");
    for _ in 0..index {
        key(app, KeyCode::Tab);
    }
    key_with(app, KeyCode::Char('u'), KeyModifiers::CONTROL);
    keys(app, value);
    key(app, KeyCode::Enter);
}

/// The form's error note, if the form stayed open with one.
fn form_error(app: &App) -> Option<String> {
    match &app.modal {
        Some(Modal::Form(f)) => f
            .note
            .as_ref()
            .filter(|(ok, _)| !ok)
            .map(|(_, t)| t.clone()),
        _ => None,
    }
}

#[test]
fn an_offset_past_the_range_is_an_error_in_the_form() {
    for (index, value) in [
        (3, "-9223372036854775808d"),
        (3, "+9223372036854775807d"),
        (3, "99999999999999999999999d"),
        (2, "-73001d"),
    ] {
        let mut a = kit::two_levels();
        let before = a.scenario.certificates.len();
        generate_with(&mut a, index, value);
        let e = form_error(&a).unwrap_or_else(|| panic!("{value}: no error in the form"));
        assert!(e.contains("at most 73000 days"), "{value}: {e}");
        assert_eq!(a.scenario.certificates.len(), before, "nothing was added");
        let s = kit::screen(&mut a, 120, 40);
        assert!(s.contains("73000 days"), "the error is shown:\n{s}");
    }
}

#[test]
fn dates_outside_1950_to_9999_are_errors_in_the_form() {
    for (index, value) in [(3, "10000-01-01"), (2, "0000-01-01"), (2, "1949-12-31")] {
        let mut a = kit::two_levels();
        generate_with(&mut a, index, value);
        let e = form_error(&a).unwrap_or_else(|| panic!("{value}: no error in the form"));
        assert!(!e.is_empty(), "{value}");
    }
    let mut a = kit::two_levels();
    generate_with(&mut a, 2, "0000-01-01");
    let e = form_error(&a).unwrap();
    assert!(e.contains("1950-01-01 to 9999-12-31"), "{e}");
}

#[test]
fn the_default_year_from_the_last_day_is_an_error_not_a_panic() {
    // The wizard opened with --now 9999-12-31: "+365d" leaves the range.
    let mut a = kit::two_levels();
    a.now = time::macros::datetime!(9999-12-31 0:00 UTC);
    keys(&mut a, "1g");
    key(&mut a, KeyCode::Enter);
    let e = form_error(&a).expect("an error in the form");
    assert!(e.contains("valid_until"), "{e}");
    assert!(e.contains("1950-01-01 to 9999-12-31"), "{e}");
}

#[test]
fn the_edges_of_the_range_generate_a_certificate() {
    let mut a = kit::two_levels();
    let before = a.scenario.certificates.len();
    generate_with(&mut a, 3, "+73000d");
    assert_eq!(form_error(&a), None);
    assert_eq!(a.scenario.certificates.len(), before + 1);
}
