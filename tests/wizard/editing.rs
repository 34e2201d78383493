//! Editing and words, as new users met them: a pre-filled value is replaced by the first
//! key, an error goes once the value is corrected, popups only offer the keys they have,
//! the "too small" screen shows its question, the wheel scrolls the pane under it, saving
//! again offers the same file, and the words say what is meant.

use std::path::PathBuf;

use ratatui::crossterm::event::{KeyCode, KeyModifiers};
use relaycheck::tui::app::{Focus, Modal};
use relaycheck::tui::update::Message;

use crate::kit::{self, key, key_with, keys};

#[test]
fn typing_into_a_pre_filled_field_replaces_it() {
    let mut a = kit::two_levels();
    keys(&mut a, "3jjjjjjj\n");
    keys(&mut a, "smtp.contoso.com\n");
    assert_eq!(
        a.scenario
            .on_premises
            .organization_fqdn
            .as_ref()
            .map(|f| f.as_str()),
        Some("smtp.contoso.com"),
        "not hostname.subdomain.contoso.comsmtp.contoso.com"
    );
    // → keeps the value and types after it.
    keys(&mut a, "\n");
    key(&mut a, KeyCode::End);
    keys(&mut a, "x\x1b");
    let mut b = kit::two_levels();
    keys(&mut b, "3jjjjjjj\n");
    key(&mut b, KeyCode::Right);
    key(&mut b, KeyCode::Home);
    keys(&mut b, "mail.");
    match &b.modal {
        Some(Modal::Form(f)) => assert_eq!(
            f.fields[0].input.value(),
            "mail.hostname.subdomain.contoso.com"
        ),
        other => panic!("{other:?}"),
    }
    let s = kit::screen(&mut b, 80, 24);
    assert!(
        s.contains("Ctrl-U clear"),
        "the way to clear is on screen:\n{s}"
    );
}

#[test]
fn an_error_goes_when_the_value_is_corrected() {
    let mut a = kit::two_levels();
    keys(&mut a, "2abad domain\n");
    let note = |a: &relaycheck::tui::app::App| match &a.modal {
        Some(Modal::Form(f)) => f.note.clone(),
        other => panic!("{other:?}"),
    };
    assert!(note(&a).is_some_and(|(ok, _)| !ok));
    key_with(&mut a, KeyCode::Char('u'), KeyModifiers::CONTROL);
    keys(&mut a, "sub.contoso.com");
    assert_eq!(note(&a), None, "the old error is gone");
    let s = kit::screen(&mut a, 80, 24);
    assert!(!s.contains("not a valid domain"), "{s}");
}

#[test]
fn only_path_fields_say_tab_completes() {
    for (what, k) in [
        ("TlsSenderCertificateName", "3jjj\n"),
        ("SenderIPAddresses", "3jjjjjj\n"),
    ] {
        let mut a = kit::two_levels();
        keys(&mut a, k);
        let s = kit::screen(&mut a, 80, 24);
        assert!(!s.to_lowercase().contains("complete"), "{what}:\n{s}");
        assert!(s.contains("Enter save"), "{what}:\n{s}");
    }
    let mut a = kit::two_levels();
    keys(&mut a, "1a");
    let s = kit::screen(&mut a, 80, 24);
    assert!(s.contains("Tab complete"), "{s}");
}

#[test]
fn q_on_the_too_small_screen_shows_its_question() {
    let mut a = kit::two_levels();
    keys(&mut a, "2f");
    relaycheck::tui::dispatch(
        &mut a,
        Message::Resize {
            width: 60,
            height: 20,
        },
    );
    keys(&mut a, "2"); // nothing happens unseen
    assert_eq!(a.tab, relaycheck::tui::app::Tab::Domains);
    keys(&mut a, "q");
    let s = kit::screen(&mut a, 60, 20);
    assert!(s.contains("Terminal too small"), "{s}");
    assert!(s.contains("Quit anyway?"), "the question is visible:\n{s}");
    assert!(s.contains("y/Y yes"), "{s}");
    keys(&mut a, "y");
    assert!(a.should_quit);
}

#[test]
fn the_mouse_wheel_scrolls_the_pane_under_it() {
    let mut a = kit::two_levels();
    let s = kit::screen(&mut a, 80, 24);
    let row = |text: &str| s.lines().position(|l| l.contains(text)).unwrap() as u16;
    let details = row("┌ Details") + 2;
    for _ in 0..3 {
        relaycheck::tui::dispatch(
            &mut a,
            Message::Wheel {
                column: 40,
                row: details,
                down: true,
            },
        );
    }
    assert_eq!(a.focus, Focus::Details);
    assert_eq!(a.details_scroll, 3);
    let s2 = kit::screen(&mut a, 80, 24);
    assert!(s2.contains("↑ 3 more"), "{s2}");
    relaycheck::tui::dispatch(
        &mut a,
        Message::Wheel {
            column: 40,
            row: details,
            down: false,
        },
    );
    assert_eq!(a.details_scroll, 2);
    let findings = row("┌ Findings") + 1;
    relaycheck::tui::dispatch(
        &mut a,
        Message::Wheel {
            column: 40,
            row: findings,
            down: true,
        },
    );
    assert_eq!(a.focus, Focus::Findings);
    // Over a popup, the wheel scrolls the popup.
    keys(&mut a, "?");
    relaycheck::tui::dispatch(
        &mut a,
        Message::Wheel {
            column: 0,
            row: 0,
            down: true,
        },
    );
    assert_eq!(a.modal, Some(Modal::Help { scroll: 1 }));
}

#[test]
fn saving_again_offers_the_same_file_and_the_title_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("ip.yaml");
    std::fs::copy("assets/examples/recommended-wildcard.yaml", &input).unwrap();
    let text = std::fs::read_to_string(&input).unwrap();
    // Certificate paths in the example are relative to its folder.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/examples/");
    std::fs::write(
        &input,
        text.replace("file: certs/", &format!("file: {}certs/", root.display()))
            .replace(
                "[certs/lab-ca.pem]",
                &format!("[{}certs/lab-ca.pem]", root.display()),
            ),
    )
    .unwrap();
    let mut a = kit::app_from(input.to_str().unwrap());
    let s = kit::screen(&mut a, 100, 30);
    assert!(s.contains("ip.yaml"), "the title names the file:\n{s}");
    keys(&mut a, "2v5s");
    let offered = |a: &relaycheck::tui::app::App| match &a.modal {
        Some(Modal::Form(f)) => PathBuf::from(f.fields[0].input.value()),
        other => panic!("{other:?}"),
    };
    let first = offered(&a);
    assert_eq!(first, dir.path().join("ip.edited.yaml"));
    keys(&mut a, "\n");
    assert!(!a.dirty(), "{:?}", a.status);
    keys(&mut a, "2v5s");
    assert_eq!(offered(&a), first, "not ip.edited.edited.yaml");
    keys(&mut a, "\n");
    assert!(!a.dirty(), "saved again without a question: {:?}", a.status);
    let s = kit::screen(&mut a, 100, 30);
    assert!(
        s.contains("ip.edited.yaml"),
        "the title names the saved file:\n{s}"
    );
    // A file that is itself an edit is not offered as its own save target.
    let mut b = kit::app_from(first.to_str().unwrap());
    keys(&mut b, "5s");
    assert_eq!(offered(&b), dir.path().join("ip.edited-2.yaml"));
}

#[test]
fn the_demo_is_called_the_built_in_demo() {
    let mut a = kit::demo();
    let s = kit::screen(&mut a, 100, 30);
    let title = s.lines().next().unwrap();
    assert!(title.contains("built-in demo"), "{title}");
    assert!(!title.contains("seed 000"), "{title}");
}

#[test]
fn one_day_left_new_findings_by_their_severity_and_missing_domains() {
    let mut a = kit::two_levels();
    keys(&mut a, "1g\t\t\t");
    keys(&mut a, "+1d\n");
    let s = kit::screen(&mut a, 100, 30);
    assert!(s.contains("(1 day left)"), "{s}");
    assert!(!s.contains("1 days"), "{s}");

    let mut b = kit::two_levels();
    keys(&mut b, "3");
    let s = kit::screen(&mut b, 100, 30);
    assert!(
        s.contains("✗ domain not in the tenant"),
        "the Domains step says missing:\n{s}"
    );
    keys(&mut b, "2f");
    let s = kit::screen(&mut b, 120, 40);
    assert!(
        s.contains("i new: cert-name-parent-accepted"),
        "an info is not an error:\n{s}"
    );
    assert!(!s.contains("✗ new: cert-name-parent-accepted"), "{s}");
    assert!(s.contains("! new: connector-hcw-drift"), "{s}");
}

#[test]
fn a_deleted_message_is_named() {
    let mut a = kit::two_levels();
    keys(&mut a, "4jx");
    let what = a.changes.as_ref().map(|c| c.what.clone());
    assert_eq!(
        what.as_deref(),
        Some("deleted message \"NDR to an external sender\"")
    );
    let s = kit::screen(&mut a, 120, 40);
    assert!(
        s.contains("deleted message \"NDR to an external sender\""),
        "{s}"
    );
}

#[test]
fn a_value_typed_live_is_put_back_when_the_small_screen_asks_to_quit() {
    let mut a = kit::two_levels();
    keys(&mut a, "2f3jjj\n*.contoso.com");
    assert_eq!(
        a.scenario.inbound_connectors[0]
            .tls_sender_certificate_name
            .as_deref(),
        Some("*.contoso.com"),
        "applied live"
    );
    relaycheck::tui::dispatch(
        &mut a,
        Message::Resize {
            width: 60,
            height: 20,
        },
    );
    keys(&mut a, "qn");
    assert_eq!(
        a.scenario.inbound_connectors[0]
            .tls_sender_certificate_name
            .as_deref(),
        Some("hostname.subdomain.contoso.com"),
        "nothing typed stays outside the history"
    );
    assert!(a.live.is_none());
}

#[test]
fn a_paste_of_50000_characters_is_one_edit_cut_at_the_fields_4096() {
    let field = |a: &relaycheck::tui::app::App| match &a.modal {
        Some(Modal::Form(f)) => (
            f.focused_value().chars().count(),
            f.fields[f.focus].input.revision(),
            f.note.clone(),
        ),
        _ => panic!("the form is open"),
    };
    let mut a = kit::two_levels();
    keys(&mut a, "2a");
    let (_, before, _) = field(&a);
    relaycheck::tui::dispatch(&mut a, Message::Paste("a".repeat(50_000)));
    let (len, after, note) = field(&a);
    assert_eq!(len, 4096, "the field holds its cap");
    assert_eq!(after, before + 1, "the whole paste was one edit");
    let (ok, note) = note.expect("the form says it was cut");
    assert!(!ok);
    assert!(note.contains("cut to 4096 characters"), "{note}");
    // Typing at the cap adds nothing, and says so too.
    keys(&mut a, "b");
    let (len, _, note) = field(&a);
    assert_eq!(len, 4096);
    assert!(note.unwrap().1.contains("4096"));
    // A small paste goes in at the cursor, control characters and line breaks made safe.
    let mut a = kit::two_levels();
    keys(&mut a, "2a");
    relaycheck::tui::dispatch(&mut a, Message::Paste("contoso\r\n.com\x1b[2J".into()));
    match &a.modal {
        Some(Modal::Form(f)) => {
            assert_eq!(f.focused_value(), "contoso .com[2J");
            assert_eq!(f.note, None);
        }
        _ => panic!("the form is open"),
    }
    // Outside a form a paste changes nothing.
    let mut a = kit::two_levels();
    let scenario = a.scenario.clone();
    relaycheck::tui::dispatch(&mut a, Message::Paste("x".into()));
    assert_eq!(a.scenario, scenario);
    assert!(
        a.status.as_deref().unwrap_or("").contains("form"),
        "{:?}",
        a.status
    );
}
