//! Every shipped lesson: it loads, its starting state does not meet its objective, and its
//! solution, replayed through the wizard's own `update`, meets it.

use crate::support;

use relaycheck::training::{self, LoadedLesson};
use relaycheck::tui::app::{App, Origin};
use relaycheck::tui::theme::{Theme, ThemeName};
use relaycheck::tui::update::Message;

fn wizard_for(l: &LoadedLesson) -> App {
    let origin = Origin {
        path: l.path.clone(),
        label: l.lesson.title.clone(),
        inputs: Vec::new(),
        lesson: Some(l.lesson.clone()),
        input_lines: Vec::new(),
        notes: Vec::new(),
    };
    App::new(
        l.scenario.clone(),
        origin,
        support::now(),
        Theme::new(ThemeName::Mono),
    )
}

#[test]
fn at_least_eight_lessons_ordered_easy_to_hard() {
    let lessons = training::all_builtin(support::now()).expect("every lesson loads");
    assert!(lessons.len() >= 8, "{} lessons", lessons.len());
    let levels: Vec<_> = lessons.iter().map(|l| l.lesson.level).collect();
    let mut sorted = levels.clone();
    sorted.sort_by_key(|l| match l {
        training::Level::Easy => 0,
        training::Level::Medium => 1,
        training::Level::Hard => 2,
    });
    assert_eq!(levels, sorted, "lessons go from easy to hard");
}

#[test]
fn each_lesson_starts_unmet_and_its_solution_meets_it_through_update() {
    for l in training::all_builtin(support::now()).unwrap() {
        let mut app = wizard_for(&l);
        let goals = l.lesson.objective.goals(&app.report);
        assert!(
            !goals.iter().all(|g| g.met),
            "{}: the objective is met before any edit: {goals:?}",
            l.id
        );
        for edit in &l.lesson.solution {
            relaycheck::tui::dispatch(&mut app, Message::Edit(edit.clone()));
            assert!(
                app.status.is_none(),
                "{}: edit {edit:?} was refused: {:?}",
                l.id,
                app.status
            );
        }
        let goals = l.lesson.objective.goals(&app.report);
        assert!(
            goals.iter().all(|g| g.met),
            "{}: the solution does not meet the objective: {goals:?}",
            l.id
        );
        let replayed = training::replay(&l, support::now()).unwrap();
        assert!(l.lesson.objective.is_met(&replayed), "{}", l.id);
    }
}

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use relaycheck::cli::{TrainArgs, UiArgs, train_app};

fn train(lesson: Option<&str>) -> App {
    let args = TrainArgs {
        lesson: lesson.map(str::to_string),
        list: false,
        progress: false,
        reset: false,
        ui: UiArgs {
            now: Some("2026-11-22T12:00:00Z".into()),
            ..UiArgs::default()
        },
    };
    let mut app = train_app(&args).expect("lesson opens");
    app.theme = Theme::new(ThemeName::Mono);
    app
}

fn keys(app: &mut App, text: &str) {
    for c in text.chars() {
        let code = match c {
            '\n' => KeyCode::Enter,
            '\x1b' => KeyCode::Esc,
            c => KeyCode::Char(c),
        };
        relaycheck::tui::dispatch_key(app, KeyEvent::new(code, KeyModifiers::NONE));
    }
}

fn screen(app: &App) -> String {
    let mut t = Terminal::new(TestBackend::new(100, 30)).unwrap();
    t.draw(|f| relaycheck::tui::view::view(app, f)).unwrap();
    let b = t.backend().buffer();
    (0..30)
        .map(|y| {
            (0..100)
                .map(|x| b[(x, y)].symbol())
                .collect::<String>()
                .trim_end()
                .to_string()
                + "\n"
        })
        .collect()
}

#[test]
fn the_lesson_picker_lists_every_lesson() {
    let mut app = train(None);
    keys(&mut app, "2"); // ignored while the list is open
    let s = screen(&app);
    insta::assert_snapshot!("lesson_picker_100x30", s);
    for l in training::catalog() {
        assert!(s.contains(&l.title), "{} missing", l.title);
    }
}

#[test]
fn a_lesson_in_progress_keeps_objective_progress_and_hints_on_screen() {
    let mut app = train(Some("6"));
    keys(&mut app, "\n2h");
    let s = screen(&app);
    insta::assert_snapshot!("lesson_in_progress_100x30", s);
    assert!(s.contains("progress 0/3 goals"), "{s}");
    assert!(s.contains("Hint 1/3"), "{s}");
    keys(&mut app, "\x1bf");
    assert!(
        screen(&app).contains("progress 1/3 goals"),
        "the domain fix ends the HCW warning"
    );
}

#[test]
fn meeting_the_objective_opens_the_completion_panel() {
    let mut app = train(Some("06-host-two-levels-down"));
    keys(&mut app, "\n2f3f");
    let s = screen(&app);
    insta::assert_snapshot!("lesson_complete_100x30", s);
    assert!(s.contains("Lesson complete"), "{s}");
    assert!(
        s.contains("added and verified subdomain.contoso.com"),
        "{s}"
    );
    assert!(s.contains("grandparents never count"), "{s}");
    assert!(app.lesson.as_ref().unwrap().completed);
    // n opens the next lesson.
    let effects = relaycheck::tui::press(
        &mut app,
        KeyEvent::new(KeyCode::Char('n'), KeyModifiers::NONE),
    );
    assert_eq!(
        effects,
        vec![relaycheck::tui::update::Effect::OpenLesson(
            "07-org-fqdn-not-on-certificate".into()
        )]
    );
}

#[test]
fn broken_lesson_files_get_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let good = training::BUILTIN[1].1;
    let cases = [
        ("typo.yaml", good.replace("  hints:", "  hintz:"), "unknown field `hintz`"),
        ("badid.yaml", good.replace("gone: [connector-domain-not-accepted]", "gone: [connector-domain-not-acepted]"), "is not a check id"),
        ("badedit.yaml", good.replace("- set_tls_sender_certificate_name:", "- paint_connector:"), "paint_connector"),
        ("noobjective.yaml", good.replace("    all_messages_pass: true\n    gone: [connector-domain-not-accepted]\n    verdict: pass\n", "    {}\n"), "objective"),
        ("scenario.yaml", std::fs::read_to_string("assets/examples/recommended-wildcard.yaml").unwrap(), "not a lesson"),
    ];
    for (name, text, expected) in cases {
        let p = dir.path().join(name);
        std::fs::write(&p, &text).unwrap();
        let e = training::load(p.to_str().unwrap(), support::now())
            .expect_err(name)
            .to_string();
        assert!(e.contains(name), "{name}: the file is named: {e}");
        assert!(e.contains(expected), "{name}: {e}");
    }
    let e = training::load("no-such-lesson", support::now())
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("01-apex-not-verified"),
        "the error lists the lessons: {e}"
    );
}

#[test]
fn a_lesson_file_from_any_folder_works_like_a_built_in_one() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("my-lesson.yaml");
    std::fs::write(&p, training::BUILTIN[3].1).unwrap();
    let l = training::load(p.to_str().unwrap(), support::now()).unwrap();
    assert_eq!(l.id, "my-lesson");
    assert!(
        !l.lesson
            .objective
            .is_met(&relaycheck::validate(&l.scenario, support::now()))
    );
    assert!(
        l.lesson
            .objective
            .is_met(&training::replay(&l, support::now()).unwrap())
    );
}

#[test]
fn lessons_work_with_check_and_train_list_prints_them() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("lesson.yaml");
    std::fs::write(&p, training::BUILTIN[1].1).unwrap();
    let bin = env!("CARGO_BIN_EXE_relaycheck");
    let out = std::process::Command::new(bin)
        .args([
            "check",
            "--scenario",
            p.to_str().unwrap(),
            "--now",
            "2026-11-22",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "the lesson's starting state fails"
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["id"] == "connector-domain-not-accepted")
    );
    let list = std::process::Command::new(bin)
        .args(["train", "--list"])
        .output()
        .unwrap();
    assert_eq!(list.status.code(), Some(0));
    let text = String::from_utf8(list.stdout).unwrap();
    for l in training::catalog() {
        assert!(text.contains(&l.id) && text.contains(&l.title), "{text}");
    }
}
