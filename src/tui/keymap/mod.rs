//! The one keymap table. Key handling, the footer hints and the `?` help overlay are all
//! generated from it, so a key's meaning is written once.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::app::Tab;

/// Everything a key can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    ForceQuit,
    Help,
    GoTo(Tab),
    NextStep,
    PrevStep,
    Up,
    Down,
    NextField,
    PrevField,
    Activate,
    Undo,
    ApplyFix,
    Add,
    Remove,
    ToggleVerified,
    CycleType,
    SetDefault,
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
}

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Global,
    Step(Tab),
    Lesson,
}

impl Scope {
    pub fn title(self) -> &'static str {
        match self {
            Scope::Global => "Everywhere",
            Scope::Step(t) => t.title(),
            Scope::Lesson => "In a lesson",
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

const fn k(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        mods: KeyModifiers::NONE,
    }
}

const fn code(code: KeyCode) -> Key {
    Key {
        code,
        mods: KeyModifiers::NONE,
    }
}

const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        mods: KeyModifiers::CONTROL,
    }
}

pub struct Binding {
    pub scope: Scope,
    pub keys: &'static [Key],
    /// How the keys are written in the footer and help ("↑/k").
    pub label: &'static str,
    /// The footer's word for it; `None` keeps it out of the footer (help only).
    pub hint: Option<&'static str>,
    pub help: &'static str,
    pub action: Action,
}

macro_rules! bind {
    ($scope:expr, [$($key:expr),+], $label:literal, $hint:expr, $help:literal, $action:expr) => {
        Binding { scope: $scope, keys: &[$($key),+], label: $label, hint: $hint, help: $help, action: $action }
    };
}

use Scope::{Global, Lesson, Step};
use Tab::{Certificate, Connector, Domains, MailFlow, Summary};

pub static KEYMAP: &[Binding] = &[
    bind!(
        Global,
        [k('?'), code(KeyCode::F(1))],
        "?/F1",
        Some("help"),
        "Show or hide this help",
        Action::Help
    ),
    bind!(
        Global,
        [k('q')],
        "q",
        Some("quit"),
        "Quit (asks first when there are unsaved edits)",
        Action::Quit
    ),
    bind!(
        Global,
        [ctrl('c')],
        "Ctrl-C",
        None,
        "Quit at once, without saving",
        Action::ForceQuit
    ),
    bind!(
        Global,
        [k('1')],
        "1",
        None,
        "Step 1: Certificate",
        Action::GoTo(Tab::Certificate)
    ),
    bind!(
        Global,
        [k('2')],
        "2",
        None,
        "Step 2: Domains",
        Action::GoTo(Tab::Domains)
    ),
    bind!(
        Global,
        [k('3')],
        "3",
        None,
        "Step 3: Connector",
        Action::GoTo(Tab::Connector)
    ),
    bind!(
        Global,
        [k('4')],
        "4",
        None,
        "Step 4: Mail flow",
        Action::GoTo(Tab::MailFlow)
    ),
    bind!(
        Global,
        [k('5')],
        "5",
        Some("steps"),
        "Step 5: Summary",
        Action::GoTo(Tab::Summary)
    ),
    bind!(
        Global,
        [code(KeyCode::PageDown)],
        "PgDn",
        None,
        "Next step",
        Action::NextStep
    ),
    bind!(
        Global,
        [code(KeyCode::PageUp)],
        "PgUp",
        None,
        "Previous step",
        Action::PrevStep
    ),
    bind!(
        Global,
        [code(KeyCode::Up), k('k')],
        "↑/k",
        None,
        "Move up",
        Action::Up
    ),
    bind!(
        Global,
        [code(KeyCode::Down), k('j')],
        "↓/j",
        Some("move"),
        "Move down",
        Action::Down
    ),
    bind!(
        Global,
        [code(KeyCode::Tab)],
        "Tab",
        None,
        "Next field, or between the list and the findings",
        Action::NextField
    ),
    bind!(
        Global,
        [code(KeyCode::BackTab)],
        "Shift-Tab",
        None,
        "Previous field",
        Action::PrevField
    ),
    bind!(
        Global,
        [k('f')],
        "f",
        Some("fix"),
        "Apply the fix of the highlighted finding (or the step's first fixable one)",
        Action::ApplyFix
    ),
    bind!(
        Global,
        [k('u'), ctrl('z')],
        "u/Ctrl-Z",
        Some("undo"),
        "Undo the last edit",
        Action::Undo
    ),
    bind!(
        Step(Certificate),
        [code(KeyCode::Enter)],
        "Enter",
        Some("use"),
        "Use this certificate (the one the on-premises server presents)",
        Action::Activate
    ),
    bind!(
        Step(Certificate),
        [k('a')],
        "a",
        Some("add"),
        "Add certificates from a file or a folder (Tab completes the path)",
        Action::Add
    ),
    bind!(
        Step(Certificate),
        [k('g')],
        "g",
        Some("lab cert"),
        "Generate a lab certificate with names you type",
        Action::Generate
    ),
    bind!(
        Step(Certificate),
        [k('x'), code(KeyCode::Delete)],
        "x/Del",
        None,
        "Remove the certificate from the list",
        Action::Remove
    ),
    bind!(
        Step(Domains),
        [k('a')],
        "a",
        Some("add"),
        "Add an accepted domain",
        Action::Add
    ),
    bind!(
        Step(Domains),
        [k('v'), k(' ')],
        "v/Space",
        Some("verified"),
        "Toggle verified / pending verification",
        Action::ToggleVerified
    ),
    bind!(
        Step(Domains),
        [k('t')],
        "t",
        Some("type"),
        "Change the type (Authoritative, InternalRelay, ExternalRelay)",
        Action::CycleType
    ),
    bind!(
        Step(Domains),
        [k('d')],
        "d",
        None,
        "Make it the default domain",
        Action::SetDefault
    ),
    bind!(
        Step(Domains),
        [k('x'), code(KeyCode::Delete)],
        "x/Del",
        Some("remove"),
        "Remove the accepted domain",
        Action::Remove
    ),
    bind!(
        Step(Connector),
        [code(KeyCode::Enter)],
        "Enter",
        Some("edit"),
        "Edit the field, or toggle it",
        Action::Activate
    ),
    bind!(
        Step(Connector),
        [k('c')],
        "c",
        Some("choices"),
        "TlsSenderCertificateName choices from the certificate",
        Action::TscnChoices
    ),
    bind!(
        Step(Connector),
        [k('w')],
        "w",
        Some("wildcard"),
        "Toggle TlsSenderCertificateName between host and *.domain",
        Action::ToggleWildcard
    ),
    bind!(
        Step(Connector),
        [k(']')],
        "]",
        None,
        "Next inbound connector",
        Action::NextConnector
    ),
    bind!(
        Step(Connector),
        [k('n')],
        "n",
        None,
        "New inbound connector",
        Action::NewConnector
    ),
    bind!(
        Step(Connector),
        [k('x'), code(KeyCode::Delete)],
        "x/Del",
        None,
        "Delete this inbound connector",
        Action::Remove
    ),
    bind!(
        Step(MailFlow),
        [k('a')],
        "a",
        Some("add"),
        "Add a message",
        Action::Add
    ),
    bind!(
        Step(MailFlow),
        [code(KeyCode::Enter), k('e')],
        "Enter/e",
        Some("edit"),
        "Edit the message",
        Action::Activate
    ),
    bind!(
        Step(MailFlow),
        [k('x'), code(KeyCode::Delete)],
        "x/Del",
        Some("delete"),
        "Delete the message",
        Action::Remove
    ),
    bind!(
        Step(MailFlow),
        [k('r')],
        "r",
        None,
        "Back to the four default messages",
        Action::ResetMessages
    ),
    bind!(
        Step(Summary),
        [k('c')],
        "c",
        Some("copy"),
        "Copy the PowerShell remediation (OSC 52, works over SSH)",
        Action::Copy
    ),
    bind!(
        Step(Summary),
        [k('s')],
        "s",
        Some("save"),
        "Save the edited scenario as YAML",
        Action::SaveScenario
    ),
    bind!(
        Step(Summary),
        [k('m')],
        "m",
        Some("report"),
        "Save the report as Markdown",
        Action::SaveReport
    ),
    bind!(
        Lesson,
        [k('h')],
        "h",
        Some("hint"),
        "Show the next hint",
        Action::Hint
    ),
    bind!(
        Lesson,
        [k('l')],
        "l",
        None,
        "Back to the lesson list",
        Action::Lessons
    ),
];

impl Key {
    fn matches(&self, ev: &KeyEvent) -> bool {
        let mods = ev.modifiers - KeyModifiers::SHIFT;
        let wanted = self.mods - KeyModifiers::SHIFT;
        match (self.code, ev.code) {
            // Characters already carry their shift (`?`, `]`); compare without it.
            (KeyCode::Char(a), KeyCode::Char(b)) => a == b && mods == wanted,
            (a, b) => a == b && ev.modifiers == self.mods,
        }
    }
}

/// The action a key asks for on this step (step bindings first, then lesson, then global).
pub fn lookup(ev: &KeyEvent, tab: Tab, in_lesson: bool) -> Option<Action> {
    let scopes = [Some(Step(tab)), in_lesson.then_some(Lesson), Some(Global)];
    scopes.iter().flatten().find_map(|scope| {
        KEYMAP
            .iter()
            .filter(|b| b.scope == *scope)
            .find(|b| b.keys.iter().any(|key| key.matches(ev)))
            .map(|b| b.action)
    })
}

/// The footer's hints for this step: step keys first, then the global ones.
pub fn footer(tab: Tab, in_lesson: bool) -> Vec<(&'static str, &'static str)> {
    let mut out = Vec::new();
    for scope in [Some(Step(tab)), in_lesson.then_some(Lesson), Some(Global)]
        .into_iter()
        .flatten()
    {
        for b in KEYMAP.iter().filter(|b| b.scope == scope) {
            if let Some(h) = b.hint {
                let label = if b.action == Action::GoTo(Tab::Summary) {
                    "1-5"
                } else {
                    b.label
                };
                out.push((label, h));
            }
        }
    }
    out
}

/// The help overlay's sections, in table order.
pub fn help_sections() -> Vec<(Scope, Vec<&'static Binding>)> {
    let mut out: Vec<(Scope, Vec<&'static Binding>)> = Vec::new();
    for b in KEYMAP {
        match out.iter_mut().find(|(s, _)| *s == b.scope) {
            Some((_, list)) => list.push(b),
            None => out.push((b.scope, vec![b])),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn step_bindings_win_over_global_ones() {
        let enter = ev(KeyCode::Enter, KeyModifiers::NONE);
        assert_eq!(
            lookup(&enter, Tab::Certificate, false),
            Some(Action::Activate)
        );
        let c = ev(KeyCode::Char('c'), KeyModifiers::NONE);
        assert_eq!(lookup(&c, Tab::Connector, false), Some(Action::TscnChoices));
        assert_eq!(lookup(&c, Tab::Summary, false), Some(Action::Copy));
        assert_eq!(lookup(&c, Tab::Domains, false), None);
    }

    #[test]
    fn shifted_characters_and_control_keys() {
        let q = ev(KeyCode::Char('?'), KeyModifiers::SHIFT);
        assert_eq!(lookup(&q, Tab::Domains, false), Some(Action::Help));
        let cc = ev(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(lookup(&cc, Tab::Summary, false), Some(Action::ForceQuit));
        let h = ev(KeyCode::Char('h'), KeyModifiers::NONE);
        assert_eq!(lookup(&h, Tab::Domains, false), None);
        assert_eq!(lookup(&h, Tab::Domains, true), Some(Action::Hint));
    }

    #[test]
    fn no_key_means_two_things_in_one_scope() {
        for (i, a) in KEYMAP.iter().enumerate() {
            for b in &KEYMAP[i + 1..] {
                if a.scope != b.scope {
                    continue;
                }
                for ka in a.keys {
                    for kb in b.keys {
                        assert!(
                            !(ka.code == kb.code && ka.mods == kb.mods),
                            "{} and {} share a key in {:?}",
                            a.help,
                            b.help,
                            a.scope
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn footer_and_help_come_from_the_table() {
        let f = footer(Tab::Domains, false);
        assert_eq!(f[0], ("a", "add"));
        assert!(f.contains(&("?/F1", "help")));
        let total: usize = help_sections().iter().map(|(_, b)| b.len()).sum();
        assert_eq!(total, KEYMAP.len());
    }
}
