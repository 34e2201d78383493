//! The presenter line (`p` in a lesson): the PowerShell of the learner's last change, as the
//! core's `plan::change_steps` gives it, following undo and redo; and the completion panel
//! next to the plan's answer when the learner's changes differ from it.

use ratatui::crossterm::event::KeyCode;
use relaycheck::tui::update::Message;

use crate::kit::{self, key, keys};

const TSCN_LINE: &str = "Set-InboundConnector -Identity \"Inbound from 5b1f8c2e-contoso\" -TlsSenderCertificateName \"*.contoso.com\"";

/// The screen's rows joined without their line breaks and indentation (a long command wraps).
fn flat(screen: &str) -> String {
    screen.lines().map(str::trim).collect::<Vec<_>>().join(" ")
}

#[test]
fn p_shows_the_powershell_of_the_last_change_and_undo_updates_it() {
    let mut a = kit::train(Some("2"));
    keys(&mut a, "\n");
    let s = kit::screen(&mut a, 120, 40);
    assert!(!s.contains("Presenter"), "hidden until p:\n{s}");
    keys(&mut a, "p");
    let s = kit::screen(&mut a, 120, 40);
    assert!(s.contains("Presenter No change yet"), "{s}");

    keys(&mut a, "3w\x1b");
    assert_eq!(
        a.scenario.inbound_connectors[0].tscn_text(),
        Some("*.contoso.com")
    );
    let s = kit::screen(&mut a, 200, 50);
    assert!(s.contains(&format!("EXO> {TSCN_LINE}")), "{s}");

    keys(&mut a, "u");
    let s = kit::screen(&mut a, 120, 40);
    assert!(
        s.contains("Presenter No change yet"),
        "undo takes it back:\n{s}"
    );
    keys(&mut a, "U");
    let s = kit::screen(&mut a, 200, 50);
    assert!(s.contains(TSCN_LINE), "redo brings it again:\n{s}");

    keys(&mut a, "p");
    let s = kit::screen(&mut a, 120, 40);
    assert!(!s.contains("Presenter"), "p hides it again:\n{s}");
}

#[test]
fn after_undo_the_line_shows_the_change_now_last() {
    // Lesson 3: add contoso.com, then set the connector; undoing the second shows the first.
    let mut a = kit::train(Some("3"));
    keys(&mut a, "\np");
    let edits = a.lesson.as_ref().unwrap().lesson.solution.clone();
    for e in edits {
        relaycheck::tui::dispatch(&mut a, Message::Edit(e));
    }
    // The completion panel opened; close it and undo the connector change.
    keys(&mut a, "\x1bu");
    let last = a.lesson.as_ref().unwrap().last_change.clone().unwrap();
    assert!(last.what.contains("contoso.com"), "{last:?}");
    let commands: Vec<&str> = last
        .steps
        .iter()
        .flat_map(|s| s.command.iter().map(|l| l.as_str()))
        .collect();
    assert_eq!(
        commands[0], "New-MgDomain -Id \"contoso.com\"",
        "{commands:?}"
    );
    let s = kit::screen(&mut a, 120, 40);
    assert!(s.contains("Graph> New-MgDomain -Id \"contoso.com\""), "{s}");
    // Three commands do not fit in the bar's rows: it says there is more.
    assert!(
        s.lines().take(12).any(|l| l.trim_end().ends_with('…')),
        "{s}"
    );
}

#[test]
fn a_change_with_nothing_to_run_says_so_and_by_hand_steps_are_named() {
    // Lesson 7's change is HCW's organisation FQDN: rerun HCW, by hand.
    let mut a = kit::train(Some("7"));
    keys(&mut a, "\np");
    let edits = a.lesson.as_ref().unwrap().lesson.solution.clone();
    for e in edits {
        relaycheck::tui::dispatch(&mut a, Message::Edit(e));
    }
    keys(&mut a, "\x1b");
    let s = flat(&kit::screen(&mut a, 200, 50));
    assert!(s.contains("By hand: Rerun HCW"), "{s}");
}

#[test]
fn p_means_nothing_outside_a_lesson() {
    let mut a = kit::two_levels();
    keys(&mut a, "p");
    assert!(a.lesson.is_none());
    let s = kit::screen(&mut a, 120, 40);
    assert!(!s.contains("Presenter"), "{s}");
}

#[test]
fn the_completion_panel_shows_the_plans_answer_when_the_learner_did_otherwise() {
    // Lesson 9's own solution fixes the envelope sender; relaycheck's plan makes the
    // connector certificate-based instead: both are shown.
    let mut a = kit::train(Some("9"));
    keys(&mut a, "\n");
    let edits = a.lesson.as_ref().unwrap().lesson.solution.clone();
    for e in edits {
        relaycheck::tui::dispatch(&mut a, Message::Edit(e));
    }
    assert!(a.lesson.as_ref().unwrap().completed);
    let s = flat(&kit::screen(&mut a, 200, 50));
    assert!(s.contains("The plan's answer"), "{s}");
    assert!(
        s.contains(
            "• Change inbound connector \"Inbound from on-premises\": -TlsSenderCertificateName"
        ),
        "{s}"
    );
    assert!(
        s.contains("\"*.contoso.com\" -SenderIPAddresses $null."),
        "{s}"
    );
    assert!(s.contains("What you changed"), "{s}");

    // Lesson 2 solved as the plan says: no second answer.
    let mut b = kit::train(Some("2"));
    keys(&mut b, "\n3w");
    assert!(b.lesson.as_ref().unwrap().completed);
    let s = flat(&kit::screen(&mut b, 200, 50));
    assert!(s.contains("Lesson complete"), "{s}");
    assert!(!s.contains("The plan's answer"), "{s}");
    key(&mut b, KeyCode::Esc);
}

#[test]
fn a_hostile_name_stays_one_powershell_token_on_the_presenter_line() {
    // U+201A closes a single-quoted string for PowerShell: the name must not run
    // Remove-Item nor comment out the rest (tests/support/ps.rs tokenizes it).
    let hostile = "x$\u{201A}; Remove-Item C:\\Temp\\* -Recurse; #";
    let mut a = kit::train(Some("2"));
    keys(&mut a, "\np");
    relaycheck::tui::dispatch(
        &mut a,
        Message::Edit(relaycheck::model::Edit::RenameConnector {
            connector: Default::default(),
            value: hostile.into(),
        }),
    );
    let rows: Vec<String> = relaycheck::tui::lesson::presenter::lines(&a, 1000)
        .iter()
        .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
        .collect();
    let commands: Vec<&str> = rows
        .iter()
        .filter_map(|r| r.split_once("EXO> ").map(|(_, c)| c.trim_end()))
        .collect();
    assert!(!commands.is_empty(), "{rows:#?}");
    for c in commands {
        crate::support::ps::assert_one_token("presenter line", c, hostile);
    }
}
