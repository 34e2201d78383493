//! The interactive commands: `relaycheck` / `relaycheck wizard` and `relaycheck train`.
//! They build the wizard's state here, then hand the terminal to `relaycheck_tui`.

use std::io::IsTerminal;
use std::process::ExitCode;

use super::args::{ThemeChoice, TrainArgs, WizardArgs};
use super::load::{load_inputs, resolve_now};
use super::print_out;
use relaycheck_io::error::InputError;

fn theme_for(choice: Option<ThemeChoice>) -> relaycheck_tui::theme::Theme {
    use relaycheck_tui::theme::{Theme, ThemeName};
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    Theme::new(match (choice, no_color) {
        (None, true) => ThemeName::Mono,
        (None, false) | (Some(ThemeChoice::Dark), _) => ThemeName::Dark,
        (Some(ThemeChoice::Light), _) => ThemeName::Light,
        (Some(ThemeChoice::HighContrast), _) => ThemeName::HighContrast,
    })
}

/// Builds the wizard's state for a scenario file, or the demo.
pub fn wizard_app(args: &WizardArgs) -> Result<relaycheck_tui::app::App, InputError> {
    use relaycheck_tui::app::{App, Origin};
    let now = resolve_now(args.ui.now.as_deref())?;
    let theme = theme_for(args.ui.theme);
    let (doc, scenario, origin) = if args.input.is_empty() {
        let (doc, scenario) = relaycheck_tui::demo::load(now)?;
        let origin = Origin {
            path: None,
            label: relaycheck_tui::demo::LABEL.to_string(),
            inputs: Vec::new(),
            lesson: None,
            input_lines: Vec::new(),
            notes: Vec::new(),
        };
        (doc, scenario, origin)
    } else {
        let loaded = load_inputs(&args.input, now)?;
        let label = if loaded.inputs.len() == 1 {
            loaded.inputs[0]
                .split_once(": ")
                .map_or(loaded.inputs[0].clone(), |(_, f)| f.to_string())
        } else {
            format!("{} inputs", loaded.inputs.len())
        };
        let origin = Origin {
            path: args.input.scenario.clone(),
            label,
            inputs: loaded.files.clone(),
            lesson: None,
            input_lines: loaded.inputs.clone(),
            notes: loaded.notes.clone(),
        };
        (loaded.doc, loaded.scenario, origin)
    };
    let origin = Origin {
        lesson: doc.lesson.clone(),
        ..origin
    };
    Ok(App::new(scenario, origin, now, theme))
}

/// The lesson list as text (`train --list`).
pub fn lesson_list() -> String {
    let mut out = String::from(" #  level   lesson id                          title\n");
    for (i, l) in relaycheck_io::training::catalog().iter().enumerate() {
        out.push_str(&format!(
            "{:>2}  {:<7} {:<34} {}\n",
            i + 1,
            l.level.as_str(),
            l.id,
            l.title
        ));
    }
    out.push_str("\nOpen one: relaycheck train <id or number>. Any lesson file works too: relaycheck train my-lesson.yaml\n");
    out
}

/// The wizard's state for a lesson: the lesson given, or the first one with the list open.
pub fn train_app(args: &TrainArgs) -> Result<relaycheck_tui::app::App, InputError> {
    use relaycheck_tui::app::{App, Modal, Origin};
    use relaycheck_tui::lesson::Panel;
    let now = resolve_now(args.ui.now.as_deref())?;
    let which = args
        .lesson
        .clone()
        .unwrap_or_else(|| relaycheck_io::training::BUILTIN[0].0.to_string());
    let loaded = relaycheck_io::training::load(&which, now)?;
    let origin = Origin {
        path: None,
        label: String::new(),
        inputs: Vec::new(),
        lesson: None,
        input_lines: Vec::new(),
        notes: Vec::new(),
    };
    let mut app = App::new(
        relaycheck_core::model::Scenario::default(),
        origin,
        now,
        theme_for(args.ui.theme),
    );
    relaycheck_tui::lesson::open(&mut app, loaded, relaycheck_io::training::catalog());
    if args.lesson.is_none() {
        app.modal = Some(Modal::Lesson(Panel::Picker { selected: 0 }));
    }
    Ok(app)
}

pub fn run_train(args: &TrainArgs) -> Result<ExitCode, InputError> {
    if args.list {
        print_out(&lesson_list());
        return Ok(ExitCode::SUCCESS);
    }
    if args.progress || args.reset {
        return relaycheck_io::training::progress::command(args.lesson.as_deref(), args.reset)
            .map(|text| {
                print_out(&text);
                ExitCode::SUCCESS
            })
            .map_err(InputError::without_file);
    }
    let mut app = train_app(args)?;
    let file = relaycheck_io::training::progress::default_file();
    let read = file.as_deref().map_or(
        Ok(Default::default()),
        relaycheck_io::training::progress::read,
    );
    relaycheck_tui::lesson::attach_progress(&mut app, file, read);
    run_app(app, args.ui.mouse)
}

pub fn run_wizard(args: &WizardArgs) -> Result<ExitCode, InputError> {
    let app = wizard_app(args)?;
    run_app(app, args.ui.mouse)
}

fn run_app(app: relaycheck_tui::app::App, mouse: bool) -> Result<ExitCode, InputError> {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return Err(InputError::without_file(
            "the wizard needs an interactive terminal; for scripts and CI use `relaycheck check --scenario FILE`",
        ));
    }
    let ending = relaycheck_tui::run(app, relaycheck_tui::Options { mouse })
        .map_err(|e| InputError::without_file(format!("the terminal failed: {e}")))?;
    Ok(match ending {
        relaycheck_tui::Ending::Quit => ExitCode::SUCCESS,
        // 128 + the signal, as a shell reports a process the signal ended (129, 130, 143).
        relaycheck_tui::Ending::Signal(signal) => {
            ExitCode::from(u8::try_from(128 + signal).unwrap_or(u8::MAX))
        }
    })
}
