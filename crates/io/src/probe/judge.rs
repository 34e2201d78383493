//! Judging what a server presented with the core's own rules: the chain becomes
//! certificate facts as a file would ([`relaycheck_core::cert::load`]), is put into the
//! scenario as the presented certificate, and the same checks and relay simulation as
//! `check` run on it. The probe adds only comparisons of what it saw with what the
//! scenario says (`probe-…` findings); it re-derives no rule.

use std::sync::Arc;

use time::OffsetDateTime;

use relaycheck_core::cert::{self, CertFacts};
use relaycheck_core::checks::{CheckId, Evaluation, Severity};
use relaycheck_core::model::{CertificateEntry, CertificateSource, Scenario};
use relaycheck_core::text::clean_line;

use super::ProbeFinding;

/// The certificate facts of a chain a server presented (DER, leaf first).
pub fn presented_facts(source: &str, chain: &[Vec<u8>]) -> Result<CertFacts, String> {
    let mut pem = String::new();
    for der in chain {
        pem.push_str(&cert::pem_block(der));
    }
    cert::load(source, pem.as_bytes(), None).map_err(|e| e.0)
}

/// The scenario (or an empty one) with `facts` as the certificate the on-premises server
/// presents.
pub fn with_presented(scenario: Option<&Scenario>, facts: CertFacts, label: &str) -> Scenario {
    let mut s = scenario.cloned().unwrap_or_default();
    s.certificates = vec![CertificateEntry {
        source: CertificateSource::File {
            path: label.to_string(),
            key: None,
            password_env: None,
        },
        facts: Arc::new(facts),
    }];
    s.selected_certificate = Some(0);
    s
}

/// The checks' findings that speak of a certificate a server presented: the certificate
/// step (not the on-premises inventory, and not the key, which a server never sends); the
/// domain and connector checks only when the scenario gives accepted domains or inbound
/// connectors.
pub fn certificate_findings(
    eval: &Evaluation,
    scenario: &Scenario,
    with_tenant: bool,
) -> Vec<ProbeFinding> {
    let keep = |id: CheckId| match id {
        CheckId::CertExpired
        | CheckId::CertNotYetValid
        | CheckId::CertExpiring
        | CheckId::CertSelfSigned
        | CheckId::CertWeakKey
        | CheckId::CertWeakSignature
        | CheckId::CertNoDnsNames
        | CheckId::CertChainIncomplete
        | CheckId::CertUntrustedRoot
        | CheckId::CertNoClientAuthEku => true,
        CheckId::CertNameNotAccepted
        | CheckId::CertNameParentAccepted
        | CheckId::CertNameForeignDomain => with_tenant && !scenario.tenant.is_empty(),
        CheckId::ConnectorTscnNotOnCert => with_tenant && !scenario.inbound_connectors.is_empty(),
        CheckId::OrgFqdnNotOnCert => scenario.on_premises.organization_fqdn.is_some(),
        _ => false,
    };
    eval.findings
        .iter()
        .filter(|f| keep(f.id))
        .map(|f| ProbeFinding::new(f.id.as_str(), f.severity, clean_line(&f.message)))
        .collect()
}

/// What `probe smtp` says about the chain a server presented.
pub struct SmtpJudgement {
    pub findings: Vec<ProbeFinding>,
    pub notes: Vec<String>,
}

/// Judges the chain `host` presented, against the scenario when one is given.
pub fn judge_smtp(
    host: &str,
    chain: &[Vec<u8>],
    scenario: Option<&Scenario>,
    trusted: &[relaycheck_core::model::TrustedRoot],
    now: OffsetDateTime,
) -> Result<SmtpJudgement, String> {
    let label = format!("the certificate {} presented", clean_line(host));
    let facts = presented_facts(&label, chain)?;
    let mut findings = Vec::new();
    let mut notes = Vec::new();
    let name = clean_line(&facts.display_name()).into_owned();

    if host.parse::<std::net::IpAddr>().is_err() && !facts.matches_host(host) {
        findings.push(ProbeFinding::new(
            "probe-host-not-on-cert",
            Severity::Warning,
            format!(
                "The certificate {name} that {} presents does not cover the name {} (certificate wildcard rules): a client connecting by that name cannot validate it.",
                clean_line(host),
                clean_line(host)
            ),
        ));
    }
    if let Some(selected) = scenario.and_then(Scenario::certificate) {
        if selected.thumbprint == facts.thumbprint {
            notes.push(format!(
                "{} presents the certificate the scenario selects ({}, thumbprint {}).",
                clean_line(host),
                clean_line(&selected.display_name()),
                selected.thumbprint
            ));
        } else {
            findings.push(ProbeFinding::new(
                "probe-certificate-differs",
                Severity::Warning,
                format!(
                    "{} presents {name} (thumbprint {}), not the certificate the scenario selects, {} (thumbprint {}): the scenario or the server's certificate binding is out of date.",
                    clean_line(host),
                    facts.thumbprint,
                    clean_line(&selected.display_name()),
                    selected.thumbprint
                ),
            ));
        }
    }
    let mut s = with_presented(scenario, facts, &label);
    s.trusted_roots.extend(trusted.iter().cloned());
    let eval = relaycheck_core::checks::evaluate(&s, now);
    if let Some(state) = &eval.facts.chain {
        notes.push(format!("Chain: {}.", clean_line(&state.words())));
    }
    if scenario.is_some() {
        if let (Some(i), relaycheck_core::facts::MatchedBy::Certificate) = (
            eval.facts.attribution.connector,
            eval.facts.attribution.matched_by,
        ) && let Some(c) = s.inbound_connectors.get(i)
        {
            notes.push(format!(
                "Sent to Exchange Online, this certificate matches the inbound connector \"{}\" by its TlsSenderCertificateName ({}).",
                clean_line(&c.name),
                clean_line(c.tscn_text().unwrap_or(""))
            ));
        } else if !s.inbound_connectors.is_empty() {
            notes.push(
                "Sent to Exchange Online, this certificate matches no inbound connector by its TlsSenderCertificateName.".to_string(),
            );
        }
        if let Some(hcw) = &eval.facts.hcw {
            notes.push(format!(
                "HCW would write TlsSenderCertificateName {} for it.",
                clean_line(&hcw.tls_sender_certificate_name)
            ));
        }
    }
    notes.push(
        "A receive connector's certificate is usually, not always, the one the send connector presents to Exchange Online: where a server has several SMTP certificates, the send connector's TlsCertificateName decides (relaycheck check --send-connectors).".to_string(),
    );
    findings.extend(certificate_findings(&eval, &s, scenario.is_some()));
    Ok(SmtpJudgement { findings, notes })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_chain_is_an_error_not_a_panic() {
        assert!(presented_facts("x", &[]).is_err());
        assert!(presented_facts("x", &[vec![0x30, 0x00]]).is_err());
    }
}
