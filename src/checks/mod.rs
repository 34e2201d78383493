//! The checks of docs/checks.md: pure functions from a scenario, its [`Facts`] and the
//! simulated mail flow to findings. They do no I/O and read no clock.

mod certificate;
mod connector;
mod domains;
mod ids;

use serde::Serialize;
use time::OffsetDateTime;

use crate::cert::CertFacts;
use crate::facts::Facts;
use crate::model::{Scenario, Tenant};
use crate::plan::action::{self, FixAction};
use crate::relay::MessageOutcome;

pub use ids::{CheckId, Severity, Step};

/// One problem (or note) about the scenario, with its fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub id: CheckId,
    pub severity: Severity,
    pub step: Step,
    /// One line, in the admin's words.
    pub message: String,
    /// Why it matters, with the public source.
    pub why: &'static str,
    /// What to do, with the PowerShell filled in.
    pub fix: String,
    /// The same fix as data (for scripts and the wizard's one-key fixes).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<FixAction>,
    /// What the finding is about (a domain, a connector), to tell repeated ids apart.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
}

impl Finding {
    pub(crate) fn new(
        id: CheckId,
        severity: Severity,
        message: String,
        actions: Vec<FixAction>,
    ) -> Self {
        Finding {
            id,
            severity,
            step: id.step(),
            message,
            why: id.why(),
            fix: action::fix_text(&actions),
            actions,
            subject: None,
        }
    }

    pub(crate) fn about(mut self, subject: impl Into<String>) -> Self {
        self.subject = Some(subject.into());
        self
    }

    /// Identity of a finding across re-validations: the id and what it is about.
    pub fn key(&self) -> (CheckId, Option<&str>) {
        (self.id, self.subject.as_deref())
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

    /// The TlsSenderCertificateName relaycheck recommends for the selected certificate.
    ///
    /// What HCW writes when it would not warn; otherwise `*.` + the closest verified
    /// accepted domain above one of the certificate's names (the connector rule reaches
    /// any depth); otherwise `*.` + the domain that must be added.
    pub fn recommended_tscn(&self) -> Option<String> {
        let cert = self.cert?;
        if let Some(h) = &self.facts.hcw
            && h.case != crate::hcw::HcwCase::NotAccepted
        {
            return Some(h.tls_sender_certificate_name.clone());
        }
        for name in cert.dns_names() {
            if let Some(domain) = self
                .tenant()
                .closest_verified_ancestor(crate::names::base(name))
            {
                return Some(format!("*.{domain}"));
            }
        }
        let name = cert.dns_names().first()?;
        Some(format!(
            "*.{}",
            crate::hcw::domain_to_add(name, self.tenant())
        ))
    }
}

/// Every check, in a stable order: by step, then severity, then the order the rules are
/// written in.
pub fn run(
    scenario: &Scenario,
    facts: &Facts,
    _mail_flow: &[MessageOutcome],
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
    findings.sort_by_key(|f| (f.step, f.severity));
    findings
}

/// The TlsSenderCertificateName relaycheck recommends (see [`Context::recommended_tscn`]).
pub fn recommended_tscn(scenario: &Scenario, facts: &Facts, now: OffsetDateTime) -> Option<String> {
    Context {
        scenario,
        facts,
        cert: scenario.certificate(),
        now,
    }
    .recommended_tscn()
}
