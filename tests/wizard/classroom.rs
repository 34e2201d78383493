//! The classroom as new learners tried it: lessons cannot be passed while the report
//! fails or by rewriting the test mail, the completion panel tells what was really done,
//! hints stay readable, and progress is kept across lessons.

use ratatui::crossterm::event::{KeyCode, KeyModifiers};
use relaycheck::report::Verdict;
use relaycheck::training;
use relaycheck::tui::app::{App, Modal};
use relaycheck::tui::lesson::Panel;
use relaycheck::tui::update::Message;

use crate::kit::{self, key, key_with, keys};

fn completed(app: &App) -> bool {
    app.lesson.as_ref().is_some_and(|l| l.completed)
}

fn ctrl_u(app: &mut App) {
    key_with(app, KeyCode::Char('u'), KeyModifiers::CONTROL);
}

/// Types a TlsSenderCertificateName on step 3 and commits it.
fn set_tscn(app: &mut App, value: &str) {
    keys(app, "3kkkkkkkkkjjj\n");
    ctrl_u(app);
    keys(app, value);
    keys(app, "\n");
}

#[test]
fn lesson_4_is_not_passed_by_deleting_the_failing_messages() {
    let mut app = kit::train(Some("4"));
    keys(&mut app, "\n4jxxx");
    assert_eq!(
        app.scenario.messages.len(),
        4,
        "the test messages are fixed"
    );
    assert!(
        app.status
            .as_deref()
            .is_some_and(|s| s.contains("test messages are fixed")),
        "{:?}",
        app.status
    );
    for k in ["r", "a", "\n"] {
        keys(&mut app, k);
        assert!(app.modal.is_none(), "{k:?} opens nothing in a lesson");
        assert_eq!(app.scenario.messages.len(), 4);
    }
    set_tscn(&mut app, "contoso.com");
    assert_eq!(app.report.verdict, Verdict::Fail);
    assert!(!completed(&app), "a lesson is not complete over a FAIL");
    let s = kit::screen(&mut app, 80, 24);
    assert!(!s.contains("Lesson complete"), "{s}");
    assert!(s.contains("✗ verdict PASS"), "the verdict is a goal:\n{s}");
}

#[test]
fn the_completion_panel_names_each_change_once_and_leaves_out_undone_ones() {
    let mut app = kit::train(Some("2"));
    keys(&mut app, "\n2t"); // a change, then undone: not part of what was done
    keys(&mut app, "u");
    set_tscn(&mut app, "*.contoso.co");
    assert!(!completed(&app));
    set_tscn(&mut app, "*.contoso.com");
    assert!(completed(&app));
    let s = kit::screen(&mut app, 100, 30);
    assert!(s.contains("Lesson complete"), "{s}");
    let changes = relaycheck::tui::lesson::changes_made(&app);
    assert_eq!(
        changes,
        vec![
            "TlsSenderCertificateName of \"Inbound from 5b1f8c2e-contoso\" set to *.contoso.com"
                .to_string()
        ],
        "each change once, the last word on it, nothing undone"
    );
    assert!(s.contains("Why it works"), "{s}");
    assert!(!s.contains("undo:"), "{s}");
}

#[test]
fn the_completion_panel_says_when_the_learner_found_another_way() {
    // Lesson 7's solution points the organisation FQDN elsewhere; reissuing the
    // certificate with the FQDN on it (a lab certificate here) works too.
    let mut app = kit::train(Some("7"));
    keys(&mut app, "\n1g");
    let Some(Modal::Form(form)) = &mut app.modal else {
        panic!("the lab certificate form")
    };
    assert_eq!(form.fields[0].label, "CN");
    keys(
        &mut app,
        "mail.contoso.com\tmail.contoso.com, smtp.contoso.com\n",
    );
    keys(&mut app, "\n");
    if !completed(&app) {
        // The new certificate is last; select it.
        keys(&mut app, "jjjjjjjjj\n");
    }
    assert!(
        completed(&app),
        "status {:?} goals {:?}",
        app.status,
        app.lesson.as_ref().map(|l| l.goals(&app.report))
    );
    let s = kit::screen(&mut app, 120, 40);
    assert!(s.contains("You found another way"), "{s}");
    assert!(
        s.contains("organisation FQDN set to smtp.contoso.com"),
        "{s}"
    );
}

/// Ways to make a lesson's goals look met without fixing anything; none may complete it.
const GAMING: &[(&str, &str)] = &[
    ("delete every message", "4xxxxxxxxx"),
    ("reset and add messages", "4ra"),
    ("edit the messages", "4\n\x1bj\n\x1bjj\n\x1b"),
    ("disable the connector", "3kkkkkkkkkj\n"),
    ("make it a partner connector", "3kkkkkkkkkjj\n"),
    ("remove the connector", "3x"),
    ("remove every certificate", "1jjjjjjjjjxxxxxxxx"),
    ("remove the domains", "2jjjjjjxxxxxxxx"),
];

#[test]
fn no_gaming_path_completes_any_built_in_lesson() {
    for (id, _) in training::BUILTIN {
        for (name, path) in GAMING {
            let mut app = kit::train(Some(id));
            keys(&mut app, "\n");
            keys(&mut app, path);
            assert!(!completed(&app), "{id}: \"{name}\" completed the lesson");
        }
        let mut app = kit::train(Some(id));
        keys(&mut app, "\n");
        for wrong in ["example.org", "contoso.com", "*.onmicrosoft.com", ""] {
            set_tscn(&mut app, wrong);
            keys(&mut app, "u");
            assert!(
                !completed(&app),
                "{id}: TlsSenderCertificateName {wrong:?} then undo"
            );
        }
        // Delete-and-fix: messages refused, then the connector set to the apex.
        let mut app = kit::train(Some(id));
        keys(&mut app, "\n4xxx");
        set_tscn(&mut app, "contoso.com");
        assert!(!completed(&app), "{id}: deleting messages then contoso.com");
        // The lesson's own solution, through the same refusals, still completes it.
        let mut app = kit::train(Some(id));
        keys(&mut app, "\n");
        let solution = app.lesson.as_ref().unwrap().lesson.solution.clone();
        for e in solution {
            relaycheck::tui::dispatch(&mut app, Message::Edit(e));
            assert!(app.status.is_none(), "{id}: {:?}", app.status);
        }
        assert!(completed(&app), "{id}: the solution completes it");
    }
}

#[test]
fn lesson_9_lets_the_learner_change_only_the_newsletters_envelope_sender() {
    let mut app = kit::train(Some("9"));
    keys(&mut app, "\n4\n");
    assert!(app.modal.is_none(), "the user mail is fixed");
    keys(&mut app, "j\n");
    let Some(Modal::Form(form)) = &app.modal else {
        panic!("the newsletter's sender form: {:?}", app.status)
    };
    assert_eq!(form.fields.len(), 1, "MAIL FROM only");
    ctrl_u(&mut app);
    keys(&mut app, "bounces@contoso.com\n");
    assert!(
        completed(&app),
        "{:?}",
        app.lesson.as_ref().map(|l| l.goals(&app.report))
    );
    assert_eq!(app.report.verdict, Verdict::Warn, "allowed warnings remain");
}

#[test]
fn hints_wrap_stay_listed_and_say_how_many_remain() {
    let mut app = kit::train(Some("6"));
    keys(&mut app, "\nh");
    let hints = app.lesson.as_ref().unwrap().lesson.hints.clone();
    let s = kit::screen(&mut app, 80, 24);
    for word in hints[0].split_whitespace() {
        assert!(s.contains(word), "hint 1 is cut ({word}):\n{s}");
    }
    assert!(s.contains("2 more hints"), "{s}");
    keys(&mut app, "h");
    let s = kit::screen(&mut app, 80, 24);
    for word in hints[0]
        .split_whitespace()
        .chain(hints[1].split_whitespace())
    {
        assert!(
            s.contains(word),
            "hints 1 and 2 are both shown ({word}):\n{s}"
        );
    }
    assert!(s.contains("1 more hint"), "{s}");
    keys(&mut app, "\x1b");
    let s = kit::screen(&mut app, 80, 24);
    assert!(
        s.contains("2 of 3 shown, 1 more"),
        "the bar counts them:\n{s}"
    );
}

#[test]
fn every_goal_is_shown_whole_at_80x24_and_100x30() {
    for (w, h) in [(80, 24), (100, 30)] {
        let mut app = kit::train(Some("1"));
        keys(&mut app, "\n");
        let s = kit::screen(&mut app, w, h);
        let goals = app.lesson.as_ref().unwrap().goals(&app.report);
        for g in goals {
            for word in g.text.split_whitespace() {
                assert!(s.contains(word), "{w}×{h}: goal {:?} is cut:\n{s}", g.text);
            }
        }
    }
}

/// The lesson's own solution, edit by edit.
fn solve(app: &mut App) {
    let solution = app.lesson.as_ref().unwrap().lesson.solution.clone();
    for e in solution {
        relaycheck::tui::dispatch(app, Message::Edit(e));
    }
}

fn open_next(app: &mut App) {
    keys(app, "n");
    assert!(matches!(
        app.modal,
        Some(Modal::Lesson(Panel::Intro { .. }))
    ));
    keys(app, "\n");
}

#[test]
fn progress_is_kept_across_lessons_and_in_the_state_folder() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("state/progress.json");
    let mut app = kit::train(Some("1"));
    relaycheck::tui::lesson::attach_progress(&mut app, Some(file.clone()), Ok(Default::default()));
    keys(&mut app, "\n");
    solve(&mut app);
    assert!(completed(&app), "lesson 1");
    open_next(&mut app);
    set_tscn(&mut app, "*.contoso.com");
    assert!(completed(&app), "lesson 2");
    open_next(&mut app);
    solve(&mut app);
    assert!(completed(&app), "lesson 3");
    open_next(&mut app); // lesson 4, not done
    keys(&mut app, "l");
    let s = kit::screen(&mut app, 100, 30);
    let ticked: Vec<&str> = s.lines().filter(|l| l.contains("✓ done")).collect();
    assert_eq!(
        ticked.len(),
        3,
        "lessons 1-3 stay ticked after opening 4:\n{s}"
    );
    assert!(s.contains("3 of 11 done"), "{s}");
    let stored = relaycheck::training::progress::read(&file).unwrap();
    assert_eq!(
        stored
            .lessons
            .keys()
            .map(String::as_str)
            .collect::<Vec<_>>(),
        [
            "01-apex-not-verified",
            "02-wildcard-not-host",
            "03-host-under-unaccepted-domain"
        ]
    );
    // r in the list asks, then forgets everything (the file too).
    keys(&mut app, "r");
    assert!(matches!(app.modal, Some(Modal::Confirm(_))));
    keys(&mut app, "y");
    assert!(app.classroom.progress.lessons.is_empty());
    assert!(
        relaycheck::training::progress::read(&file)
            .unwrap()
            .lessons
            .is_empty()
    );
    let s = kit::screen(&mut app, 100, 30);
    assert!(s.contains("0 of 11 done"), "{s}");
}

#[test]
fn train_progress_and_reset_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = relaycheck::training::progress::Progress::default();
    p.record("02-wildcard-not-host", "2026-11-22T10:00:00Z", 2);
    p.record("05-self-signed-certificate", "2026-11-22T11:00:00Z", 0);
    relaycheck::training::progress::write(&dir.path().join("progress.json"), &p).unwrap();
    let bin = env!("CARGO_BIN_EXE_relaycheck");
    let run = |args: &[&str]| {
        let out = std::process::Command::new(bin)
            .args(args)
            .env("RELAYCHECK_STATE_DIR", dir.path())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}: {out:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    let text = run(&["train", "--progress"]);
    assert!(text.contains("2 of 11 lessons done"), "{text}");
    let line = text
        .lines()
        .find(|l| l.contains("02-wildcard-not-host"))
        .unwrap();
    assert!(
        line.contains('✓') && line.contains("2026-11-22T10:00:00Z") && line.contains(" 2 "),
        "{line}"
    );
    run(&["train", "--reset", "5"]);
    let text = run(&["train", "--progress"]);
    assert!(text.contains("1 of 11 lessons done"), "{text}");
    run(&["train", "--reset"]);
    let text = run(&["train", "--progress"]);
    assert!(text.contains("0 of 11 lessons done"), "{text}");
    assert!(
        text.contains(&dir.path().display().to_string()),
        "names the file: {text}"
    );
}

#[test]
fn opening_a_lesson_again_starts_it_afresh_and_keeps_its_tick() {
    let mut app = kit::train(Some("2"));
    set_tscn(&mut app, "*.contoso.com");
    keys(&mut app, "\n");
    set_tscn(&mut app, "*.contoso.com");
    assert!(completed(&app));
    keys(&mut app, "l");
    keys(&mut app, "\n"); // the list opens on the current lesson
    assert!(!completed(&app), "a fresh start");
    assert!(app.classroom.progress.is_done("02-wildcard-not-host"));
    key(&mut app, KeyCode::Enter);
}
