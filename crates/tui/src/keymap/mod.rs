//! The one keymap table. Every mode of the wizard (the pages, forms, choice lists, questions,
//! the help, the lesson panels) is a set of scopes of this table; key handling, the footer,
//! each modal's hint line, the `?` help and the key list in docs/wizard.md are all made from
//! it, so a key's meaning is written once (gitui's `commands()`, television's help).

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::app::{App, MIN_HEIGHT, MIN_WIDTH, Modal, Tab};

/// Everything a key can ask for. A key becomes an action before `update` sees it; text
/// typed into a form field is an action too ([`Action::Type`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    ForceQuit,
    Help,
    Dismiss,
    GoTo(Tab),
    NextStep,
    PrevStep,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    NextPane,
    PrevPane,
    Activate,
    Undo,
    Redo,
    ApplyFix,
    Add,
    Remove,
    ToggleVerified,
    CycleType,
    SetDefault,
    ToggleRejectDirectSend,
    Generate,
    TscnChoices,
    ToggleWildcard,
    NextConnector,
    NewConnector,
    ResetMessages,
    Copy,
    SaveScenario,
    SaveReport,
    Hint,
    Lessons,
    Presenter,
    // Forms.
    Type(char),
    Backspace,
    DeleteChar,
    Left,
    Right,
    Home,
    End,
    ClearField,
    NextField,
    PrevField,
    Complete,
    Submit,
    Cancel,
    // Choice lists, questions, panels.
    Choose,
    Yes,
    No,
    Close,
    NextLesson,
    ResetProgress,
}

impl Action {
    /// Same action, whatever character `Type` carries.
    pub fn same_kind(self, other: Action) -> bool {
        std::mem::discriminant(&self) == std::mem::discriminant(&other)
            && match (self, other) {
                (Action::GoTo(a), Action::GoTo(b)) => a == b,
                _ => true,
            }
    }
}

/// A part of the table that applies together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// In every mode.
    Always,
    /// On every page (no form, list or panel open).
    Pages,
    Step(Tab),
    /// On the pages, during a lesson.
    Lesson,
    Form,
    /// Forms with several fields.
    FormFields,
    /// Forms whose field is a path.
    PathField,
    Choices,
    Confirm,
    Help,
    LessonIntro,
    LessonDone,
    LessonList,
    Hints,
    /// While a file is read off the UI thread.
    Loading,
    TooSmall,
}

impl Scope {
    pub fn title(self) -> &'static str {
        match self {
            Scope::Always => "Always",
            Scope::Pages => "On every step",
            Scope::Step(Tab::Certificate) => "Step 1, Certificate",
            Scope::Step(Tab::Domains) => "Step 2, Domains",
            Scope::Step(Tab::Connector) => "Step 3, Connector",
            Scope::Step(Tab::MailFlow) => "Step 4, Mail flow",
            Scope::Step(Tab::Summary) => "Step 5, Summary",
            Scope::Lesson => "In a lesson",
            Scope::Form => "In a form",
            Scope::FormFields => "In a form with several fields",
            Scope::PathField => "In a path field",
            Scope::Choices => "In a choice list",
            Scope::Confirm => "In a question",
            Scope::Help => "In this help",
            Scope::LessonIntro => "Lesson introduction",
            Scope::LessonDone => "Lesson complete",
            Scope::LessonList => "Lesson list",
            Scope::Hints => "Hints",
            Scope::Loading => "While a file loads",
            Scope::TooSmall => "Terminal too small",
        }
    }

    /// Every scope, in the order the help and the docs list them.
    pub const ALL: [Scope; 20] = [
        Scope::Always,
        Scope::Pages,
        Scope::Step(Tab::Certificate),
        Scope::Step(Tab::Domains),
        Scope::Step(Tab::Connector),
        Scope::Step(Tab::MailFlow),
        Scope::Step(Tab::Summary),
        Scope::Lesson,
        Scope::Form,
        Scope::FormFields,
        Scope::PathField,
        Scope::Choices,
        Scope::Confirm,
        Scope::Help,
        Scope::LessonIntro,
        Scope::LessonDone,
        Scope::LessonList,
        Scope::Hints,
        Scope::Loading,
        Scope::TooSmall,
    ];
}

/// What is on screen, as far as keys are concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Page { tab: Tab, lesson: bool },
    Form { many_fields: bool, path: bool },
    Choices,
    Confirm,
    Help,
    LessonIntro,
    LessonDone,
    LessonList,
    Hints,
    Loading,
    TooSmall,
}

impl Mode {
    /// The scopes that apply, first match wins.
    pub fn scopes(self) -> Vec<Scope> {
        let mut out = vec![Scope::Always];
        match self {
            Mode::Page { tab, lesson } => {
                out.push(Scope::Step(tab));
                if lesson {
                    out.push(Scope::Lesson);
                }
                out.push(Scope::Pages);
            }
            Mode::Form { many_fields, path } => {
                if path {
                    out.push(Scope::PathField);
                }
                if many_fields {
                    out.push(Scope::FormFields);
                }
                out.push(Scope::Form);
            }
            Mode::Choices => out.push(Scope::Choices),
            Mode::Confirm => out.push(Scope::Confirm),
            Mode::Help => out.push(Scope::Help),
            Mode::LessonIntro => out.push(Scope::LessonIntro),
            Mode::LessonDone => out.push(Scope::LessonDone),
            Mode::LessonList => out.push(Scope::LessonList),
            Mode::Hints => out.push(Scope::Hints),
            Mode::Loading => out.push(Scope::Loading),
            Mode::TooSmall => out.push(Scope::TooSmall),
        }
        out
    }

    /// Every mode there is (for tests that check the table against the screen).
    pub fn all() -> Vec<Mode> {
        let mut out = Vec::new();
        for tab in Tab::ALL {
            out.push(Mode::Page { tab, lesson: false });
            out.push(Mode::Page { tab, lesson: true });
        }
        for (many_fields, path) in [(false, false), (true, false), (false, true)] {
            out.push(Mode::Form { many_fields, path });
        }
        out.extend([
            Mode::Choices,
            Mode::Confirm,
            Mode::Help,
            Mode::LessonIntro,
            Mode::LessonDone,
            Mode::LessonList,
            Mode::Hints,
            Mode::Loading,
            Mode::TooSmall,
        ]);
        out
    }
}

/// The mode the wizard is in. A question stays answerable on the "too small" screen (it is
/// drawn there); everything else waits until the terminal is large enough again.
pub fn mode(app: &App) -> Mode {
    let small = app.size.0 < MIN_WIDTH || app.size.1 < MIN_HEIGHT;
    match &app.modal {
        Some(Modal::Confirm(_)) => Mode::Confirm,
        _ if app.loading.is_some() => Mode::Loading,
        _ if small => Mode::TooSmall,
        None => Mode::Page {
            tab: app.tab,
            lesson: app.lesson.is_some(),
        },
        Some(Modal::Form(f)) => Mode::Form {
            many_fields: f.fields.len() > 1,
            path: f.purpose.is_path(),
        },
        Some(Modal::Choices(_)) => Mode::Choices,
        Some(Modal::Help { .. }) => Mode::Help,
        Some(Modal::Hints { .. }) => Mode::Hints,
        Some(Modal::Lesson(p)) => match p {
            super::lesson::state::Panel::Intro { .. } => Mode::LessonIntro,
            super::lesson::state::Panel::Complete { .. } => Mode::LessonDone,
            super::lesson::state::Panel::Picker { .. } => Mode::LessonList,
        },
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Exact {
        code: KeyCode,
        mods: KeyModifiers,
    },
    /// Any character without Ctrl or Alt: typed text.
    AnyChar,
}

const fn k(c: char) -> Key {
    Key::Exact {
        code: KeyCode::Char(c),
        mods: KeyModifiers::NONE,
    }
}

const fn code(code: KeyCode) -> Key {
    Key::Exact {
        code,
        mods: KeyModifiers::NONE,
    }
}

const fn ctrl(c: char) -> Key {
    Key::Exact {
        code: KeyCode::Char(c),
        mods: KeyModifiers::CONTROL,
    }
}

pub struct Binding {
    pub scope: Scope,
    pub keys: &'static [Key],
    /// How the keys are written in the footer, the help and the docs ("↑/k").
    pub label: &'static str,
    /// The footer's (label, word); `None` keeps it out of the footer and hint lines.
    pub hint: Option<(&'static str, &'static str)>,
    pub help: &'static str,
    pub action: Action,
}

mod table;
pub use table::KEYMAP;

impl Key {
    fn matches(&self, ev: &KeyEvent) -> bool {
        match *self {
            Key::AnyChar => {
                matches!(ev.code, KeyCode::Char(_))
                    && !ev
                        .modifiers
                        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
            }
            Key::Exact { code, mods } => {
                let got = ev.modifiers - KeyModifiers::SHIFT;
                let wanted = mods - KeyModifiers::SHIFT;
                match (code, ev.code) {
                    // Characters already carry their shift (`?`, `]`); compare without it.
                    (KeyCode::Char(a), KeyCode::Char(b)) => a == b && got == wanted,
                    (a, b) => a == b && ev.modifiers == mods,
                }
            }
        }
    }

    /// A key event that this key matches (for tests and the docs).
    pub fn example(&self) -> KeyEvent {
        match *self {
            Key::AnyChar => KeyEvent::new(KeyCode::Char('x'), KeyModifiers::NONE),
            Key::Exact { code, mods } => KeyEvent::new(code, mods),
        }
    }
}

/// A key event as the terminal reported it, made into the app's key: the one place terminal
/// keys are normalised ([`crate::key_message`]). crossterm reports Shift-Tab as `BackTab`
/// *with* `SHIFT`, and a shifted character with `SHIFT` although the character already
/// carries it (`?`, `A`); the table writes both without it.
pub fn normalize(mut ev: KeyEvent) -> KeyEvent {
    if ev.code == KeyCode::BackTab {
        ev.modifiers -= KeyModifiers::SHIFT;
    }
    ev
}

/// The binding a key event selects in this mode.
pub fn binding(ev: &KeyEvent, mode: Mode) -> Option<&'static Binding> {
    mode.scopes().into_iter().find_map(|scope| {
        KEYMAP
            .iter()
            .filter(|b| b.scope == scope)
            .find(|b| b.keys.iter().any(|key| key.matches(ev)))
    })
}

/// The action a key event asks for in this mode.
pub fn lookup(ev: &KeyEvent, mode: Mode) -> Option<Action> {
    let b = binding(ev, mode)?;
    Some(match (b.action, ev.code) {
        (Action::Type(_), KeyCode::Char(c)) => Action::Type(c),
        (a, _) => a,
    })
}

/// The hints for this mode (the footer, and a modal's own hint line), the mode's own scope
/// first and "Always" last.
pub fn hints(mode: Mode) -> Vec<(&'static str, &'static str)> {
    let mut scopes = mode.scopes();
    scopes.rotate_left(1);
    let mut out = Vec::new();
    for scope in scopes {
        for b in KEYMAP.iter().filter(|b| b.scope == scope) {
            if let Some(h) = b.hint {
                out.push(h);
            }
        }
    }
    out
}

/// A mode's hints on one line: "Enter save · Esc cancel · …".
pub fn hint_line(mode: Mode) -> String {
    hints(mode)
        .iter()
        .map(|(k, w)| format!("{k} {w}"))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The help's sections, in [`Scope::ALL`] order.
pub fn help_sections() -> Vec<(Scope, Vec<&'static Binding>)> {
    Scope::ALL
        .iter()
        .map(|s| (*s, KEYMAP.iter().filter(|b| b.scope == *s).collect()))
        .filter(|(_, list): &(Scope, Vec<&Binding>)| !list.is_empty())
        .collect()
}

/// The key list of docs/wizard.md, made from the table (a test keeps the docs equal to it).
pub fn markdown() -> String {
    let mut out = String::new();
    for (scope, bindings) in help_sections() {
        out.push_str(&format!(
            "### {}\n\n| key | what it does |\n| --- | --- |\n",
            scope.title()
        ));
        for b in bindings {
            out.push_str(&format!("| `{}` | {} |\n", b.label, b.help));
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    fn page(tab: Tab, lesson: bool) -> Mode {
        Mode::Page { tab, lesson }
    }

    #[test]
    fn step_bindings_win_over_page_ones() {
        let enter = ev(KeyCode::Enter, KeyModifiers::NONE);
        assert_eq!(
            lookup(&enter, page(Tab::Certificate, false)),
            Some(Action::Activate)
        );
        let c = ev(KeyCode::Char('c'), KeyModifiers::NONE);
        assert_eq!(
            lookup(&c, page(Tab::Connector, false)),
            Some(Action::TscnChoices)
        );
        assert_eq!(lookup(&c, page(Tab::Summary, false)), Some(Action::Copy));
        assert_eq!(lookup(&c, page(Tab::Domains, false)), None);
    }

    #[test]
    fn shifted_characters_control_keys_and_typing() {
        let q = ev(KeyCode::Char('?'), KeyModifiers::SHIFT);
        assert_eq!(lookup(&q, page(Tab::Domains, false)), Some(Action::Help));
        let cc = ev(KeyCode::Char('c'), KeyModifiers::CONTROL);
        for m in Mode::all() {
            assert_eq!(lookup(&cc, m), Some(Action::ForceQuit), "{m:?}");
        }
        let h = ev(KeyCode::Char('h'), KeyModifiers::NONE);
        assert_eq!(lookup(&h, page(Tab::Domains, false)), None);
        assert_eq!(lookup(&h, page(Tab::Domains, true)), Some(Action::Hint));
        let form = Mode::Form {
            many_fields: false,
            path: false,
        };
        let q = ev(KeyCode::Char('q'), KeyModifiers::NONE);
        assert_eq!(lookup(&q, form), Some(Action::Type('q')));
        let tab = ev(KeyCode::Tab, KeyModifiers::NONE);
        assert_eq!(
            lookup(&tab, form),
            None,
            "a single value has nothing to tab to"
        );
        let path = Mode::Form {
            many_fields: false,
            path: true,
        };
        assert_eq!(lookup(&tab, path), Some(Action::Complete));
        let redo = ev(KeyCode::Char('y'), KeyModifiers::CONTROL);
        assert_eq!(
            lookup(&redo, page(Tab::MailFlow, false)),
            Some(Action::Redo)
        );
    }

    #[test]
    fn no_key_means_two_things_in_one_scope() {
        for (i, a) in KEYMAP.iter().enumerate() {
            for b in &KEYMAP[i + 1..] {
                if a.scope != b.scope {
                    continue;
                }
                for ka in a.keys {
                    assert!(
                        !b.keys.contains(ka),
                        "{} and {} share a key in {:?}",
                        a.help,
                        b.help,
                        a.scope
                    );
                }
            }
        }
    }

    #[test]
    fn every_label_names_each_of_its_keys() {
        for b in KEYMAP {
            assert_eq!(b.label.split('/').count(), b.keys.len(), "{}", b.label);
        }
    }

    #[test]
    fn every_binding_is_in_the_help_and_the_docs_text() {
        let total: usize = help_sections().iter().map(|(_, b)| b.len()).sum();
        assert_eq!(total, KEYMAP.len());
        let md = markdown();
        for b in KEYMAP {
            assert!(md.contains(&format!("| `{}` | {} |", b.label, b.help)));
        }
    }
}
