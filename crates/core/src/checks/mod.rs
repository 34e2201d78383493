//! The checks of docs/checks.md: pure functions from a scenario, its [`Facts`] and the
//! simulated mail flow to findings. They do no I/O and read no clock.

mod certificate;
mod connector;
mod domains;
mod ids;
mod mailflow;
mod onprem;

use serde::Serialize;
use time::OffsetDateTime;

use crate::action::FixAction;
use crate::cert::CertFacts;
use crate::facts::Facts;
use crate::model::{Scenario, Tenant};
use crate::relay::MessageOutcome;
use crate::text::{Block, Line};

pub use ids::{CheckId, Severity, Step};

/// A finding's identity across re-validations: its id and what it is about.
pub type FindingKey = (CheckId, Option<String>);

/// One problem (or note) about the scenario. The checks say what is wrong and what only a
/// person can do about it (`by_hand`: a new certificate, a renewal); the changes that fix it
/// come from the plan, which fills `fix` and `actions` (see `crate::report::validate`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub id: CheckId,
    pub severity: Severity,
    pub step: Step,
    /// One line, in the admin's words (cleaned: it quotes input).
    pub message: Line,
    /// Why it matters, with the public source.
    pub why: &'static str,
    /// What to do, with the PowerShell filled in.
    pub fix: Block,
    /// The same fix as data: the plan's steps that resolve it, then what is done by hand.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<FixAction>,
    /// What the finding is about (a domain, a connector), to tell repeated ids apart.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// What no configuration change can do (the check's own words).
    #[serde(skip)]
    pub by_hand: Vec<Line>,
    /// Another way that also works, instead of the plan's changes.
    #[serde(skip)]
    pub alternatives: Vec<Line>,
    /// An optional change a note suggests (never part of the plan's target).
    #[serde(skip)]
    pub suggestions: Vec<FixAction>,
}

impl Finding {
    /// A finding; `by_hand` are `FixAction::Manual` steps only a person can take.
    pub(crate) fn new(
        id: CheckId,
        severity: Severity,
        message: impl Into<Line>,
        by_hand: Vec<FixAction>,
    ) -> Self {
        Finding {
            id,
            severity,
            step: id.step(),
            message: message.into(),
            why: id.why(),
            fix: Block::default(),
            actions: Vec::new(),
            subject: None,
            by_hand: by_hand
                .into_iter()
                .filter_map(|a| match a {
                    FixAction::Manual { text } => Some(Line::from(text)),
                    _ => None,
                })
                .collect(),
            alternatives: Vec::new(),
            suggestions: Vec::new(),
        }
    }

    /// An optional change (for notes: it is offered, never applied by the plan).
    pub(crate) fn suggest(mut self, action: FixAction) -> Self {
        self.suggestions.push(action);
        self
    }

    pub(crate) fn about(mut self, subject: impl Into<String>) -> Self {
        self.subject = Some(subject.into());
        self
    }

    /// Another way that also works (shown with "Or").
    pub(crate) fn or(mut self, text: impl Into<Line>) -> Self {
        self.alternatives.push(text.into());
        self
    }

    /// Identity of a finding across re-validations: the id and what it is about.
    pub fn key(&self) -> (CheckId, Option<&str>) {
        (self.id, self.subject.as_deref())
    }

    pub fn owned_key(&self) -> FindingKey {
        (self.id, self.subject.clone())
    }
}

/// What a scenario looks like to the rules at one moment: the facts, the simulated mail
/// flow and the findings (without the plan, which is computed from evaluations).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evaluation {
    pub facts: Facts,
    pub mail_flow: Vec<MessageOutcome>,
    pub findings: Vec<Finding>,
}

/// Facts, then the mail flow, then the checks.
pub fn evaluate(scenario: &Scenario, now: OffsetDateTime) -> Evaluation {
    let facts = crate::facts::compute(scenario, now);
    let mail_flow = crate::relay::simulate(scenario, &facts);
    let findings = run(scenario, &facts, &mail_flow, now);
    Evaluation {
        facts,
        mail_flow,
        findings,
    }
}

/// What every check may read.
pub(crate) struct Context<'a> {
    pub scenario: &'a Scenario,
    pub facts: &'a Facts,
    pub cert: Option<&'a CertFacts>,
    pub now: OffsetDateTime,
}

impl Context<'_> {
    pub fn tenant(&self) -> &Tenant {
        &self.scenario.tenant
    }
}

/// Every check, in a stable order: by step, then severity, then the order the rules are
/// written in.
pub fn run(
    scenario: &Scenario,
    facts: &Facts,
    mail_flow: &[MessageOutcome],
    now: OffsetDateTime,
) -> Vec<Finding> {
    let ctx = Context {
        scenario,
        facts,
        cert: scenario.certificate(),
        now,
    };
    let mut findings = Vec::new();
    certificate::check(&ctx, &mut findings);
    domains::check(&ctx, &mut findings);
    connector::check(&ctx, &mut findings);
    mailflow::check(&ctx, mail_flow, &mut findings);
    onprem::check(&ctx, &mut findings);
    findings.sort_by_key(|f| (f.step, f.severity));
    findings
}
