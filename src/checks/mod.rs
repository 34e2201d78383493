//! The validator: a pure function from a scenario and a moment to a report. It does no I/O
//! and reads no clock; certificates were parsed and verified when they were loaded.

mod certificate;
mod connector;
mod domains;
pub mod fix;
pub mod hcw;
mod ids;

use serde::Serialize;
use time::OffsetDateTime;

use crate::cert::CertFacts;
use crate::model::{DomainIndex, Scenario};
use crate::relay;
use crate::report::Report;

pub use certificate::date as format_date;
pub use domains::domain_to_add;
pub use fix::{ConnectorSetting, FixAction};
pub use hcw::{HcwCase, HcwOutcome};
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
            fix: fix::fix_text(&actions),
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

/// What every check may read, computed once per validation.
pub(crate) struct Context<'a> {
    pub scenario: &'a Scenario,
    pub domains: DomainIndex<'a>,
    pub cert: Option<&'a CertFacts>,
    pub hcw: Option<HcwOutcome>,
    pub now: OffsetDateTime,
}

impl Context<'_> {
    /// The TlsSenderCertificateName relaycheck recommends for the selected certificate.
    ///
    /// What HCW writes when it would not warn; otherwise `*.` + the closest verified
    /// accepted domain above one of the certificate's names (the connector rule reaches
    /// any depth); otherwise `*.` + the domain that must be added.
    pub fn recommended_tscn(&self) -> Option<String> {
        let cert = self.cert?;
        if let Some(h) = &self.hcw
            && h.case != HcwCase::NotAccepted
        {
            return Some(h.tls_sender_certificate_name.clone());
        }
        for name in cert.dns_names() {
            if let Some(domain) = self
                .domains
                .closest_verified_ancestor(crate::names::base(name))
            {
                return Some(format!("*.{domain}"));
            }
        }
        let name = cert.dns_names().first()?;
        Some(format!("*.{}", domains::domain_to_add(name, &self.domains)))
    }
}

/// Validates a scenario at the moment `now`.
pub fn validate(scenario: &Scenario, now: OffsetDateTime) -> Report {
    let domains = DomainIndex::new(&scenario.tenant);
    let cert = scenario.certificate();
    let hcw = cert.and_then(|c| hcw::hcw_tscn(c, &domains));
    let ctx = Context {
        scenario,
        domains,
        cert,
        hcw,
        now,
    };
    let mut findings = Vec::new();
    certificate::check(&ctx, &mut findings);
    domains::check(&ctx, &mut findings);
    connector::check(&ctx, &mut findings);
    // Stable order: by step, then severity, then the order the rules were written in.
    findings.sort_by_key(|f| (f.step, f.severity));
    let recommended = ctx.recommended_tscn();
    let mail_flow = relay::simulate(&ctx);
    Report::new(ctx.hcw, findings, mail_flow, recommended)
}
