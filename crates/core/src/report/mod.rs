//! The report: one value that every view renders (the wizard, and `check`'s text, JSON,
//! Markdown and PowerShell), with the verdict and the headline in the admin's words.
//! [`validate`] makes it: facts first, then the mail flow, then the checks.

pub mod certificates;
pub mod inventory;
pub mod json;
pub mod markdown;
pub mod powershell;
pub mod text;

use serde::Serialize;
use time::OffsetDateTime;

use crate::checks::{self, Evaluation, Finding, Severity, Step};
use crate::facts::Facts;
use crate::hcw::HcwOutcome;
use crate::model::Scenario;
use crate::plan::Plan;
use crate::relay::{self, MessageOutcome, Outcome};

/// What the one-key fix of a finding does: the wizard's edits, and what must be done outside
/// the tenant model (a certificate request, the on-premises send connector).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OneKeyFix {
    pub edits: Vec<crate::model::Edit>,
    pub by_hand: Vec<crate::text::Line>,
}

/// A value offered for TlsSenderCertificateName, with what relaycheck knows about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TscnChoice {
    pub value: String,
    /// It is a name on the certificate itself (else a `*.` domain above one).
    pub on_certificate: bool,
    pub hcw_writes: bool,
    pub recommended: bool,
    pub domain: crate::model::DomainStatus,
}

impl TscnChoice {
    /// The marks in words, for a list.
    pub fn words(&self) -> String {
        let mut m = Vec::new();
        if self.on_certificate {
            m.push("exact name on the certificate");
        }
        if self.hcw_writes {
            m.push("HCW writes this");
        }
        if self.recommended {
            m.push("recommended");
        }
        m.push(match self.domain {
            crate::model::DomainStatus::Verified => "domain verified",
            crate::model::DomainStatus::Unverified => "domain pending verification",
            crate::model::DomainStatus::Absent => "domain not in the tenant",
        });
        m.join("; ")
    }
}

/// Validates a scenario at the moment `now`: the facts, the mail flow, the findings, and the
/// plan whose steps are each finding's fix.
pub fn validate(scenario: &Scenario, now: OffsetDateTime) -> Report {
    let eval = checks::evaluate(scenario, now);
    let plan = crate::plan::plan(scenario, &eval, now);
    finish(scenario, eval, plan, now, None)
}

/// The report while the wizard's admin types a value: this scenario's facts, findings, mail
/// flow and inventory, with the plan and the files read kept from `before`, the report from
/// before the typing began. The plan is nearly all of a validation's cost and is made again
/// when the value is committed or dropped; the files read do not change by typing. A finding
/// that only the half-typed value has carries no fix until then (docs/performance.md).
pub fn validate_while_typing(scenario: &Scenario, now: OffsetDateTime, before: &Report) -> Report {
    let eval = checks::evaluate(scenario, now);
    let inputs = before.inventory.inputs.clone();
    finish(scenario, eval, before.plan.clone(), now, Some(inputs))
}

fn finish(
    scenario: &Scenario,
    eval: Evaluation,
    plan: Plan,
    now: OffsetDateTime,
    inputs: Option<std::sync::Arc<[crate::model::InputFile]>>,
) -> Report {
    let Evaluation {
        facts,
        mail_flow,
        mut findings,
    } = eval;
    for f in &mut findings {
        f.fix = crate::plan::fix_text(&plan, f);
        f.actions = crate::plan::fix_actions(&plan, f);
    }
    let inputs = inputs.unwrap_or_else(|| inventory::inputs(scenario).into());
    let inventory = inventory::build_with(scenario, &facts, now, inputs);
    Report {
        inventory,
        ..Report::new(facts, findings, mail_flow, plan)
    }
}

/// What HCW would write and whether it warns, cleaned for a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HcwSays {
    pub tls_sender_certificate_name: crate::text::Line,
    pub warning: Option<crate::text::Line>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Pass,
    Warn,
    Fail,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Warn => "warn",
            Verdict::Fail => "fail",
        }
    }

    /// The process exit code `check` uses: 0 for pass and warn, 1 for fail.
    pub fn exit_code(self) -> i32 {
        match self {
            Verdict::Pass | Verdict::Warn => 0,
            Verdict::Fail => 1,
        }
    }
}

/// The state of one wizard step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum StepStatus {
    Ok,
    Warnings,
    Errors,
}

impl StepStatus {
    pub fn word(self) -> &'static str {
        match self {
            StepStatus::Ok => "ok",
            StepStatus::Warnings => "warnings",
            StepStatus::Errors => "errors",
        }
    }

    /// A symbol that does not rely on colour.
    pub fn symbol(self) -> &'static str {
        match self {
            StepStatus::Ok => "✓",
            StepStatus::Warnings => "!",
            StepStatus::Errors => "✗",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub verdict: Verdict,
    pub findings: Vec<Finding>,
    pub mail_flow: Vec<MessageOutcome>,
    /// What the checks and the simulation were computed from: the facts views show.
    pub facts: Facts,
    /// The TlsSenderCertificateName relaycheck recommends for the selected certificate:
    /// what the plan's target has on the connector HCW manages.
    pub recommended_tscn: Option<String>,
    /// The one plan every fix, script and wizard label comes from.
    pub plan: Plan,
    /// When, from what, and what was checked: the head of every report.
    pub inventory: inventory::Inventory,
}

impl Report {
    pub fn new(
        facts: Facts,
        findings: Vec<Finding>,
        mail_flow: Vec<MessageOutcome>,
        plan: Plan,
    ) -> Self {
        let rejected = mail_flow.iter().any(|m| m.outcome == Outcome::Rejected);
        let verdict = if rejected || findings.iter().any(|f| f.severity == Severity::Error) {
            Verdict::Fail
        } else if findings.iter().any(|f| f.severity == Severity::Warning) {
            Verdict::Warn
        } else {
            Verdict::Pass
        };
        Report {
            verdict,
            findings,
            mail_flow,
            facts,
            recommended_tscn: plan.target_tscn.clone(),
            plan,
            inventory: inventory::Inventory::default(),
        }
    }

    /// What the one-key fix of `finding` does.
    pub fn one_key_fix(&self, finding: &Finding) -> OneKeyFix {
        let key = finding.owned_key();
        let mut fix = OneKeyFix::default();
        let steps = self.plan.steps_for(&key);
        let suggested = self
            .plan
            .suggestions
            .iter()
            .filter(|s| finding.severity == Severity::Info && s.resolves.contains(&key));
        for s in steps.iter().map(|i| &self.plan.steps[*i]).chain(suggested) {
            match s.action.edits() {
                Some(edits) => fix.edits.extend(edits),
                None => fix.by_hand.push(s.summary.clone()),
            }
        }
        fix
    }

    /// The TlsSenderCertificateName values to offer for the selected certificate: what HCW
    /// writes and what relaycheck recommends first, then each name on the certificate and
    /// every `*.` domain above it (not a bare top-level domain), each once. Linear in the
    /// number of names.
    pub fn tscn_choices(&self, scenario: &Scenario) -> Vec<TscnChoice> {
        let Some(cert) = scenario.certificate() else {
            return Vec::new();
        };
        let norm = crate::names::normalize;
        let hcw = self.hcw().map(|h| norm(&h.tls_sender_certificate_name));
        let recommended = self.recommended_tscn.as_deref().map(norm);
        let mut seen = std::collections::HashSet::new();
        let mut out = Vec::new();
        let mut push = |value: String, on_certificate: bool| {
            let key = norm(&value);
            let Ok(tscn) = crate::names::Tscn::parse(&key) else {
                return;
            };
            if !seen.insert(key.clone()) {
                return;
            }
            out.push(TscnChoice {
                on_certificate,
                hcw_writes: hcw.as_deref() == Some(key.as_str()),
                recommended: recommended.as_deref() == Some(key.as_str()),
                domain: scenario.tenant.status(tscn.base().as_str()),
                value,
            });
        };
        for v in self
            .hcw()
            .map(|h| h.tls_sender_certificate_name.clone())
            .into_iter()
            .chain(self.recommended_tscn.clone())
        {
            let exact = cert.dns_names().contains(&norm(&v));
            push(v, exact);
        }
        for name in cert.dns_names() {
            push(name.clone(), true);
            let mut parent = crate::names::parent(crate::names::base(name));
            while let Some(p) = parent.filter(|p| p.contains('.')) {
                push(format!("*.{p}"), false);
                parent = crate::names::parent(p);
            }
        }
        out
    }

    /// What HCW writes for the selected certificate (rule HCW-TSCN).
    pub fn hcw(&self) -> Option<&HcwOutcome> {
        self.facts.hcw.as_ref()
    }

    /// What HCW would write, as the reports print it (a certificate's name is input).
    pub fn hcw_says(&self) -> Option<HcwSays> {
        self.hcw().map(|h| HcwSays {
            tls_sender_certificate_name: h.tls_sender_certificate_name.as_str().into(),
            warning: h.warning.as_deref().map(Into::into),
        })
    }

    pub fn findings_for(&self, step: Step) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(move |f| f.step == step)
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }

    pub fn rejected(&self) -> impl Iterator<Item = &MessageOutcome> {
        self.mail_flow
            .iter()
            .filter(|m| m.outcome == Outcome::Rejected)
    }

    pub fn step_status(&self, step: Step) -> StepStatus {
        let worst = if step == Step::MailFlow && self.rejected().next().is_some() {
            Some(Severity::Error)
        } else {
            self.findings_for(step).map(|f| f.severity).min()
        };
        match worst {
            Some(Severity::Error) => StepStatus::Errors,
            Some(Severity::Warning) => StepStatus::Warnings,
            _ => StepStatus::Ok,
        }
    }

    /// One sentence an admin understands: what bounces and with which reply, or why not.
    pub fn headline(&self) -> crate::text::Line {
        crate::text::Line::new(self.headline_words())
    }

    fn headline_words(&self) -> String {
        let rejected: Vec<&MessageOutcome> = self.rejected().collect();
        if !rejected.is_empty() {
            if rejected.len() == self.mail_flow.len() {
                let reply = relay::short_reply(&rejected[0].reply);
                let same = rejected
                    .iter()
                    .all(|m| relay::short_reply(&m.reply) == reply);
                if same {
                    return format!("All mail relayed from on-premises will bounce: {reply}");
                }
            }
            let mut kinds: Vec<String> = Vec::new();
            for m in &rejected {
                let k = relay::kind_of_mail(m);
                if !kinds.contains(&k) {
                    kinds.push(k);
                }
            }
            // The admin's order: NDRs, forwarded mail, then mail sent as other domains.
            kinds.sort_by_key(|k| match k.as_str() {
                "NDRs" => 0,
                "forwarded mail" => 1,
                _ => 2,
            });
            let mut replies: Vec<&str> = Vec::new();
            for m in &rejected {
                let r = relay::short_reply(&m.reply);
                if !replies.contains(&r) {
                    replies.push(r);
                }
            }
            let mut what = crate::text::join_words(&kinds);
            if let Some(first) = what.get_mut(..1) {
                first.make_ascii_uppercase();
            }
            return format!("{what} will bounce: {}", replies.join(" / "));
        }
        let errors = self.count(Severity::Error);
        let warnings = self.count(Severity::Warning);
        let flow = match self.mail_flow.len() {
            0 => "No test messages to simulate".to_string(),
            1 => "The test message relays or delivers".to_string(),
            n => format!("All {n} test messages relay or deliver"),
        };
        match (errors, warnings) {
            (0, 0) => format!("{flow}; nothing to fix."),
            (0, w) => format!("{flow}; {w} warning{} to review.", plural(w)),
            (e, _) => format!(
                "{flow}{}, but {e} error{} must be fixed.",
                if self.mail_flow.is_empty() {
                    ""
                } else {
                    " today"
                },
                plural(e)
            ),
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
