//! The plan (docs/checks.md, "The plan"): the changes that bring a scenario to a
//! configuration that relays, passes every check and survives the next HCW run, as typed
//! steps that every report, script and wizard page renders. It is computed once per
//! validation from two scenarios: where the admin started, and the target ([`target`]).
//! The steps are their difference ([`diff`]); each step knows where it runs, what it needs
//! first and which findings it resolves.

pub mod diff;
pub mod onprem;
pub mod target;

use serde::Serialize;
use time::OffsetDateTime;

use crate::checks::{self, Evaluation, Finding, FindingKey, Severity};
use crate::model::{Edit, EditError, Scenario};
use crate::text::{Block, Line};

pub use crate::action::{
    ConnectorSetting, FixAction, NEW_CONNECTOR, Part, RunsIn, SEND_CONNECTOR, ps_bool, ps_quote,
};
pub use target::{Advice, Target};

/// One step of the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanStep {
    #[serde(skip)]
    pub action: FixAction,
    /// `add-domain`, `set-inbound-connector`, …, `manual`.
    pub step: &'static str,
    pub runs_in: RunsIn,
    /// One sentence in the admin's words.
    pub summary: Line,
    /// The PowerShell, one line per command (`None` for a step by hand).
    #[serde(serialize_with = "lines")]
    pub command: Vec<Line>,
    /// The findings it resolves (with its prerequisites).
    #[serde(skip)]
    pub resolves: Vec<FindingKey>,
    /// Steps that must come first (positions in the plan).
    #[serde(skip)]
    pub needs: Vec<usize>,
    /// An added domain sits under a verified root domain: Microsoft 365 verifies it on
    /// creation, no TXT record is needed.
    #[serde(skip)]
    pub verified_parent: bool,
}

fn lines<S: serde::Serializer>(v: &[Line], s: S) -> Result<S::Ok, S::Error> {
    if v.is_empty() {
        s.serialize_none()
    } else {
        let joined: Vec<&str> = v.iter().map(Line::as_str).collect();
        s.serialize_str(&joined.join("\n"))
    }
}

impl PlanStep {
    fn new(action: FixAction, from: &Scenario) -> Self {
        let verified_parent = action
            .domain()
            .and_then(|d| d.parent())
            .is_some_and(|p| from.tenant.closest_verified_ancestor(p).is_some());
        let summary = match (&action, verified_parent) {
            (FixAction::AddDomain { domain }, true) => {
                let above = domain
                    .parent()
                    .and_then(|p| from.tenant.closest_verified_ancestor(p))
                    .unwrap_or_default();
                format!(
                    "Add {domain} to the tenant (Microsoft 365 admin center → Settings → Domains, or New-MgDomain): Microsoft 365 verifies it at once, because {above} above it is verified."
                )
            }
            _ => action.describe().into_string(),
        };
        PlanStep {
            step: action.kind(),
            runs_in: action.runs_in(),
            summary: summary.into(),
            command: action
                .powershell(verified_parent)
                .into_iter()
                .map(Line::from)
                .collect(),
            resolves: Vec::new(),
            needs: Vec::new(),
            verified_parent,
            action,
        }
    }

    /// A change to the configuration (it has edits; it may still be made by hand, in HCW),
    /// not advice only a person can follow.
    pub fn is_change(&self) -> bool {
        !matches!(self.action, FixAction::Manual { .. })
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// The changes, in the order they run, then the steps by hand.
    pub steps: Vec<PlanStep>,
    /// Other ways that also work, never applied ("Or …").
    pub alternatives: Vec<Advice>,
    /// Optional changes notes suggest (commented out in scripts, never applied).
    pub suggestions: Vec<PlanStep>,
    /// The TlsSenderCertificateName of the connector HCW manages, in the target: what the
    /// wizard labels "Recommended".
    pub target_tscn: Option<String>,
    /// The findings of the starting scenario that the changes resolve, for scripts.
    pub resolved: Vec<Finding>,
}

impl Plan {
    pub fn changes(&self) -> impl Iterator<Item = &PlanStep> {
        self.steps.iter().filter(|s| s.is_change())
    }

    pub fn by_hand(&self) -> impl Iterator<Item = &PlanStep> {
        self.steps.iter().filter(|s| !s.is_change())
    }

    /// No configuration change is left (steps by hand may be).
    pub fn is_done(&self) -> bool {
        self.changes().next().is_none()
    }

    /// The edits of every change, in order: applied to the scenario they were planned for,
    /// they give the target.
    pub fn edits(&self) -> Vec<Edit> {
        self.changes()
            .filter_map(|s| s.action.edits())
            .flatten()
            .collect()
    }

    /// Whether `steps` make exactly this plan's changes, in any order (steps by hand aside):
    /// what a learner did is "the plan's answer" when it is.
    pub fn same_changes(&self, steps: &[PlanStep]) -> bool {
        let mut left: Vec<&FixAction> = self.changes().map(|s| &s.action).collect();
        for s in steps.iter().filter(|s| s.is_change()) {
            match left.iter().position(|a| **a == s.action) {
                Some(i) => {
                    left.swap_remove(i);
                }
                None => return false,
            }
        }
        left.is_empty()
    }

    /// The scenario with every change applied.
    pub fn apply(&self, s: &Scenario) -> Result<Scenario, EditError> {
        let mut t = s.clone();
        crate::model::edit::apply_all(&mut t, &self.edits())?;
        Ok(t)
    }

    /// Positions of the steps that resolve `key`, each after the steps it needs.
    pub fn steps_for(&self, key: &FindingKey) -> Vec<usize> {
        let mut out = Vec::new();
        for (i, s) in self.steps.iter().enumerate() {
            if s.resolves.contains(key) {
                self.with_prerequisites(i, &mut out);
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    fn with_prerequisites(&self, i: usize, out: &mut Vec<usize>) {
        if out.contains(&i) {
            return;
        }
        for n in &self.steps[i].needs {
            self.with_prerequisites(*n, out);
        }
        out.push(i);
    }
}

/// One change as it would be made in a real tenant: the difference between the scenario
/// before it and after it, as plan steps (each with where it runs and its PowerShell). The
/// wizard's presenter line shows it for a lesson's last change; a lesson's completion panel
/// compares the learner's changes with the plan's this way. Facts no cmdlet changes (the
/// test messages, the server's address) make no step.
pub fn change_steps(before: &Scenario, after: &Scenario) -> Vec<PlanStep> {
    let mut steps: Vec<PlanStep> = diff::diff(before, after)
        .into_iter()
        .map(|a| PlanStep::new(a, before))
        .collect();
    link_prerequisites(&mut steps);
    steps
}

/// The plan of a scenario whose evaluation is `eval`.
pub fn plan(s: &Scenario, eval: &Evaluation, now: OffsetDateTime) -> Plan {
    let target = target::converge(s, eval, now);
    build(s, eval, &target, now)
}

/// What the wizard's Summary shows: from where the admin started (`origin`) to where the
/// current edits lead once the plan's steps still open are taken too. Every edit made in
/// the wizard is a step; undoing it removes the step.
pub fn remediation(origin: &Scenario, current: &Scenario, now: OffsetDateTime) -> Plan {
    let current_eval = checks::evaluate(current, now);
    let target = target::converge(current, &current_eval, now);
    let origin_eval = checks::evaluate(origin, now);
    build(origin, &origin_eval, &target, now)
}

fn build(from: &Scenario, eval: &Evaluation, target: &Target, now: OffsetDateTime) -> Plan {
    let mut steps: Vec<PlanStep> = diff::diff(from, &target.scenario)
        .into_iter()
        .map(|a| PlanStep::new(a, from))
        .collect();
    link_prerequisites(&mut steps);
    attribute(from, eval, &mut steps, now);

    // What only a person can do: the by-hand advice of what is left in the target.
    let left = checks::evaluate(&target.scenario, now);
    let mut by_hand: Vec<(String, Vec<FindingKey>)> = Vec::new();
    let mut alternatives = target.alternatives.clone();
    let mut suggestions: Vec<PlanStep> = Vec::new();
    let origin_only = eval
        .findings
        .iter()
        .filter(|f| !left.findings.iter().any(|l| l.key() == f.key()));
    // A finding the changes leave standing is advised as it stands after them (its names
    // may have changed); one they resolve offers its advice as another way.
    for f in left.findings.iter().chain(origin_only) {
        if f.severity == Severity::Info {
            // A note's advice is optional: a suggestion, never a step of the plan.
            for text in &f.by_hand {
                if !suggestions.iter().any(|s| s.summary == *text) {
                    let mut s = PlanStep::new(
                        FixAction::Manual {
                            text: text.to_string(),
                        },
                        from,
                    );
                    s.resolves = vec![f.owned_key()];
                    suggestions.push(s);
                }
            }
            continue;
        }
        for text in &f.by_hand {
            let resolved_by_changes = !left.findings.iter().any(|l| l.key() == f.key());
            if resolved_by_changes {
                // The changes resolve it; what a person could do instead is another way.
                let mut chars = text.chars();
                let or = chars
                    .next()
                    .map(|c| format!("Or {}{}", c.to_lowercase(), chars.as_str()))
                    .unwrap_or_default();
                if !alternatives.iter().any(|a| a.text == or) {
                    alternatives.push(Advice {
                        text: or.into(),
                        about: vec![f.owned_key()],
                    });
                }
                continue;
            }
            match by_hand.iter_mut().find(|(t, _)| t == text) {
                Some((_, about)) if !about.contains(&f.owned_key()) => about.push(f.owned_key()),
                Some(_) => {}
                None => by_hand.push((text.to_string(), vec![f.owned_key()])),
            }
        }
    }
    for (text, about) in by_hand {
        let mut step = PlanStep::new(FixAction::Manual { text: text.clone() }, from);
        step.resolves = about;
        steps.push(step);
    }

    for f in eval
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Info)
    {
        for a in &f.suggestions {
            let mut s = PlanStep::new(a.clone(), from);
            s.resolves = vec![f.owned_key()];
            suggestions.push(s);
        }
    }
    // Other ways are about findings the scenario has.
    let keys: Vec<FindingKey> = eval.findings.iter().map(Finding::owned_key).collect();
    for a in &mut alternatives {
        a.about.retain(|k| keys.contains(k));
    }
    alternatives.retain(|a| !a.about.is_empty());
    let resolved = eval
        .findings
        .iter()
        .filter(|f| {
            steps
                .iter()
                .any(|s| s.is_change() && s.resolves.contains(&f.owned_key()))
        })
        .cloned()
        .collect();
    Plan {
        steps,
        alternatives,
        suggestions,
        target_tscn: target.tscn.clone(),
        resolved,
    }
}

/// A connector step that names a domain's TlsSenderCertificateName needs that domain's
/// step first.
fn link_prerequisites(steps: &mut [PlanStep]) {
    let domain_steps: Vec<(usize, String)> = steps
        .iter()
        .enumerate()
        .filter_map(|(i, s)| match &s.action {
            FixAction::AddDomain { domain } | FixAction::VerifyDomain { domain } => {
                Some((i, domain.to_string()))
            }
            _ => None,
        })
        .collect();
    for s in steps.iter_mut() {
        let tscn = match &s.action {
            FixAction::SetInboundConnector { settings, .. } => {
                settings.iter().find_map(|x| match x {
                    ConnectorSetting::TlsSenderCertificateName(Some(v)) => Some(v.clone()),
                    _ => None,
                })
            }
            FixAction::NewInboundConnector { connector } => {
                connector.tscn_text().map(str::to_string)
            }
            _ => None,
        };
        let Some(base) = tscn
            .as_deref()
            .and_then(|t| crate::names::Tscn::parse(t).ok())
            .map(|t| t.base().to_string())
        else {
            continue;
        };
        s.needs = domain_steps
            .iter()
            .filter(|(_, d)| *d == base)
            .map(|(i, _)| *i)
            .collect();
    }
}

/// Which findings of `from` each change resolves: those gone once it and the steps it needs
/// are applied, and not already gone with the steps it needs alone. A finding only the
/// whole plan resolves is given to every change.
fn attribute(from: &Scenario, eval: &Evaluation, steps: &mut [PlanStep], now: OffsetDateTime) {
    let keys: Vec<FindingKey> = eval.findings.iter().map(Finding::owned_key).collect();
    if keys.is_empty() || steps.is_empty() {
        return;
    }
    let gone_after = |indexes: &[usize], steps: &[PlanStep]| -> Vec<FindingKey> {
        let edits: Vec<Edit> = indexes
            .iter()
            .filter_map(|i| steps[*i].action.edits())
            .flatten()
            .collect();
        let mut s = from.clone();
        if crate::model::edit::apply_all(&mut s, &edits).is_err() {
            return Vec::new();
        }
        let after = checks::evaluate(&s, now);
        keys.iter()
            .filter(|k| !after.findings.iter().any(|f| f.owned_key() == **k))
            .cloned()
            .collect()
    };
    let closure = |i: usize, steps: &[PlanStep]| -> Vec<usize> {
        let mut out = Vec::new();
        let mut stack = vec![i];
        while let Some(j) = stack.pop() {
            if !out.contains(&j) {
                out.push(j);
                stack.extend(steps[j].needs.iter().copied());
            }
        }
        out.sort_unstable();
        out
    };
    let mut attributed: Vec<FindingKey> = Vec::new();
    for i in 0..steps.len() {
        if !steps[i].is_change() || steps[i].action.edits().is_none() {
            continue;
        }
        let with = gone_after(&closure(i, steps), steps);
        let mut before: Vec<usize> = closure(i, steps);
        before.retain(|j| *j != i);
        let without = if before.is_empty() {
            Vec::new()
        } else {
            gone_after(&before, steps)
        };
        let mine: Vec<FindingKey> = with.into_iter().filter(|k| !without.contains(k)).collect();
        attributed.extend(mine.iter().cloned());
        steps[i].resolves = mine;
    }
    let all: Vec<usize> = (0..steps.len()).filter(|i| steps[*i].is_change()).collect();
    let rest: Vec<FindingKey> = gone_after(&all, steps)
        .into_iter()
        .filter(|k| !attributed.contains(k))
        .collect();
    if !rest.is_empty() {
        for i in all {
            steps[i].resolves.extend(rest.iter().cloned());
        }
    }
}

/// A finding's fix in words: the steps that resolve it (each with its PowerShell), what is
/// done by hand, other ways, and the HCW rerun after a change.
pub fn fix_text(plan: &Plan, finding: &Finding) -> Block {
    let key = finding.owned_key();
    let mut out: Vec<String> = Vec::new();
    let mut changed = false;
    for i in plan.steps_for(&key) {
        let s = &plan.steps[i];
        changed |= s.is_change();
        let mut text = s.summary.to_string();
        for line in &s.command {
            text.push_str("\n    ");
            text.push_str(line);
        }
        out.push(text);
    }
    for s in plan
        .suggestions
        .iter()
        .filter(|s| s.resolves.contains(&key))
    {
        let mut text = format!("Optional: {}", s.summary);
        for line in &s.command {
            text.push_str("\n    ");
            text.push_str(line);
        }
        out.push(text);
    }
    for a in plan.alternatives.iter().filter(|a| a.about.contains(&key)) {
        out.push(a.text.to_string());
    }
    if changed {
        out.push(
            "After the change, rerun the Hybrid Configuration Wizard so that its connectors agree."
                .to_string(),
        );
    }
    Block::new(out.join("\n"))
}

/// A finding's fix as data: the steps that resolve it, then its suggestions.
pub fn fix_actions(plan: &Plan, finding: &Finding) -> Vec<FixAction> {
    let key = finding.owned_key();
    plan.steps_for(&key)
        .into_iter()
        .map(|i| plan.steps[i].action.clone())
        .chain(
            plan.suggestions
                .iter()
                .filter(|s| s.resolves.contains(&key))
                .map(|s| s.action.clone()),
        )
        .collect()
}
