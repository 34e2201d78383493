//! The wizard's state: the scenario being edited, its latest report, where the cursor is,
//! and what is open on top (a form, a choice list, a question, the help).

use std::collections::HashSet;
use std::path::PathBuf;

use time::OffsetDateTime;

pub use super::form::{Field, FieldId, Form, FormField, FormPurpose};
use super::theme::Theme;
use relaycheck_core::checks::{CheckId, Finding, Severity, Step};
use relaycheck_core::model::{History, Scenario};
use relaycheck_core::report::{Report, Verdict};

/// The five wizard pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tab {
    Certificate,
    Domains,
    Connector,
    MailFlow,
    Summary,
}

impl Tab {
    pub const ALL: [Tab; 5] = [
        Tab::Certificate,
        Tab::Domains,
        Tab::Connector,
        Tab::MailFlow,
        Tab::Summary,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Tab::Certificate => "Certificate",
            Tab::Domains => "Domains",
            Tab::Connector => "Connector",
            Tab::MailFlow => "Mail flow",
            Tab::Summary => "Summary",
        }
    }

    pub fn number(self) -> usize {
        Tab::ALL.iter().position(|t| *t == self).unwrap_or(0) + 1
    }

    /// The report step whose findings this page shows (`None`: all of them).
    pub fn step(self) -> Option<Step> {
        match self {
            Tab::Certificate => Some(Step::Certificate),
            Tab::Domains => Some(Step::Domains),
            Tab::Connector => Some(Step::Connector),
            Tab::MailFlow => Some(Step::MailFlow),
            Tab::Summary => None,
        }
    }

    pub fn next(self) -> Tab {
        let i = self.number() % Tab::ALL.len();
        Tab::ALL[i]
    }

    pub fn prev(self) -> Tab {
        let i = (self.number() + Tab::ALL.len() - 2) % Tab::ALL.len();
        Tab::ALL[i]
    }
}

/// Which pane of a page has the cursor: the page's list or form, its details (scrolled),
/// or its findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Main,
    Details,
    Findings,
}

/// A choice list (TlsSenderCertificateName suggestions).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choices {
    pub title: String,
    /// (value, explanation)
    pub items: Vec<(String, String)>,
    pub selected: usize,
}

/// A yes/no question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Question {
    QuitUnsaved,
    Overwrite {
        path: PathBuf,
        purpose: FormPurpose,
    },
    /// Forget every lesson's progress.
    ResetProgress,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Modal {
    Help {
        scroll: u16,
    },
    /// A lesson's hints shown so far.
    Hints {
        scroll: u16,
    },
    Form(Form),
    Choices(Choices),
    Confirm(Question),
    Lesson(super::lesson::state::Panel),
}

/// What the last edit changed, for cause and effect.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Changes {
    pub what: String,
    pub resolved: Vec<CheckId>,
    /// New findings with their own severity (an info is not shown as an error).
    pub new: Vec<(CheckId, Severity)>,
    pub verdict: Option<(Verdict, Verdict)>,
    pub relayed_before: usize,
    pub relayed_after: usize,
}

impl Changes {
    pub fn between(what: String, before: &Report, after: &Report) -> Changes {
        let key = |f: &Finding| (f.id, f.subject.clone());
        let old: HashSet<_> = before.findings.iter().map(key).collect();
        let new: HashSet<_> = after.findings.iter().map(key).collect();
        let mut resolved: Vec<CheckId> = before
            .findings
            .iter()
            .filter(|f| !new.contains(&key(f)))
            .map(|f| f.id)
            .collect();
        let mut added: Vec<(CheckId, Severity)> = after
            .findings
            .iter()
            .filter(|f| !old.contains(&key(f)))
            .map(|f| (f.id, f.severity))
            .collect();
        resolved.dedup();
        added.dedup();
        let ok = |r: &Report| r.mail_flow.len() - r.rejected().count();
        Changes {
            what,
            resolved,
            new: added,
            verdict: (before.verdict != after.verdict).then_some((before.verdict, after.verdict)),
            relayed_before: ok(before),
            relayed_after: ok(after),
        }
    }
}

/// A connector value being typed: applied to the scenario at every key, committed to the
/// history on Enter, put back on Esc.
#[derive(Debug, Clone)]
pub struct LiveEdit {
    pub connector: usize,
    pub original: Option<String>,
    pub base_report: Report,
}

/// A file being read on a worker (`tui::loader`): the wizard waits for load `id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loading {
    pub id: u64,
    pub what: String,
}

/// Where the scenario came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The scenario file; `None` for the built-in demo.
    pub path: Option<PathBuf>,
    /// What the title bar shows.
    pub label: String,
    /// Files relaycheck read and must never overwrite.
    pub inputs: Vec<PathBuf>,
    /// The `lesson:` block to keep when saving.
    pub lesson: Option<relaycheck_io::training::Lesson>,
    /// What the scenario was made from, one line each, for the script's header.
    pub input_lines: Vec<String>,
    /// How the input was read (assumptions, choices), shown on the Summary.
    pub notes: Vec<relaycheck_io::import::Note>,
}

pub struct App {
    pub scenario: Scenario,
    /// The scenario as it was loaded (or as the lesson started): the Summary's script is the
    /// difference from it.
    pub start: Scenario,
    pub report: Report,
    /// From `start` to where the current edits and the open plan steps lead.
    pub remediation: relaycheck_core::plan::Plan,
    pub now: OffsetDateTime,
    pub tab: Tab,
    pub focus: Focus,
    pub cert_row: usize,
    pub domain_row: usize,
    pub connector: usize,
    pub field: usize,
    pub message_row: usize,
    pub finding_row: usize,
    pub summary_scroll: u16,
    /// How far the details pane of the current page is scrolled.
    pub details_scroll: u16,
    pub modal: Option<Modal>,
    pub changes: Option<Changes>,
    pub status: Option<String>,
    /// Undo, redo, and whether the scenario differs from what was loaded or saved.
    pub history: History,
    pub origin: Origin,
    pub theme: Theme,
    pub should_quit: bool,
    /// While TlsSenderCertificateName is typed (applied live, outside the history): the
    /// value before typing began, which Esc restores, and the report of that moment.
    pub live: Option<LiveEdit>,
    pub lesson: Option<super::lesson::state::LessonState>,
    /// The lesson list and the learner's progress (empty outside `relaycheck train`).
    pub classroom: super::lesson::state::Classroom,
    /// The terminal size, for the mode, mouse clicks and scrolling (kept up to date by
    /// resize messages).
    pub size: (u16, u16),
    /// Where the scenario was last saved in this session: offered again by the next save.
    pub saved_as: Option<PathBuf>,
    /// Effects asked for on the way (a lesson completed by an edit), handed to the runtime
    /// with the ones `update` returns.
    pub outbox: Vec<super::effect::Effect>,
    /// A file is being read off the UI thread; only stopping it (or quitting) works.
    pub loading: Option<Loading>,
}

/// The smallest terminal the wizard draws in.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

impl App {
    pub fn new(scenario: Scenario, origin: Origin, now: OffsetDateTime, theme: Theme) -> Self {
        let mut scenario = scenario;
        // Default messages become an explicit, editable list.
        relaycheck_core::model::edit::materialize_messages(&mut scenario);
        let report = relaycheck_core::validate(&scenario, now);
        let remediation = relaycheck_core::plan::remediation(&scenario, &scenario, now);
        App {
            start: scenario.clone(),
            remediation,
            cert_row: scenario.selected_certificate.unwrap_or(0),
            scenario,
            report,
            now,
            tab: Tab::Certificate,
            focus: Focus::Main,
            domain_row: 0,
            connector: 0,
            field: 0,
            message_row: 0,
            finding_row: 0,
            summary_scroll: 0,
            details_scroll: 0,
            modal: None,
            changes: None,
            status: None,
            history: History::new(),
            origin,
            theme,
            should_quit: false,
            live: None,
            lesson: None,
            classroom: super::lesson::state::Classroom::default(),
            size: (MIN_WIDTH, MIN_HEIGHT),
            saved_as: None,
            outbox: Vec::new(),
            loading: None,
        }
    }

    /// The findings the current page lists.
    pub fn page_findings(&self) -> Vec<&Finding> {
        match self.tab.step() {
            Some(step) => self.report.findings_for(step).collect(),
            None => self.report.findings.iter().collect(),
        }
    }

    pub fn revalidate(&mut self) {
        self.report = relaycheck_core::validate(&self.scenario, self.now);
        self.refresh_remediation();
    }

    /// The Summary's plan: from `start` to the target of the current scenario.
    pub fn refresh_remediation(&mut self) {
        self.remediation =
            relaycheck_core::plan::remediation(&self.start, &self.scenario, self.now);
    }

    /// The scenario differs from what was loaded or last saved.
    pub fn dirty(&self) -> bool {
        self.history.is_dirty()
    }
}
