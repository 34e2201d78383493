//! Where the plan leads (docs/checks.md, "The plan"): the configuration the tenant and the
//! on-premises side should end up in, computed directly from the scenario in seed 000's
//! order. Add and verify the domain the certificate needs (else say the certificate must be
//! reissued); then the connector HCW manages gets exactly what HCW writes for that
//! certificate, so that the next HCW run keeps it; everything no configuration can change
//! becomes a step by hand.

use time::OffsetDateTime;

use crate::cert::CertFacts;
use crate::checks::{Evaluation, FindingKey};
use crate::facts::{self, TscnState};
use crate::hcw::{self, HcwCase};
use crate::model::{AcceptedDomain, ConnectorType, InboundConnector, Scenario};
use crate::names::{self, DnsName};

use crate::action::NEW_CONNECTOR;

/// A step by hand or another way, with the findings it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Advice {
    pub text: crate::text::Line,
    pub about: Vec<FindingKey>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub scenario: Scenario,
    /// The TlsSenderCertificateName of the connector HCW manages, in the target.
    pub tscn: Option<String>,
    /// Other ways that also work ("Or …"), never applied.
    pub alternatives: Vec<Advice>,
}

/// The target of a scenario whose evaluation is `eval`.
pub fn converge(s: &Scenario, eval: &Evaluation, now: OffsetDateTime) -> Target {
    let mut t = s.clone();
    let mut alternatives = Vec::new();
    if let Some(better) = better_certificate(s, now) {
        t.selected_certificate = Some(better);
    }
    let cert = t.certificate().cloned();
    let before = cert.as_ref().and_then(|c| hcw::hcw_tscn(c, &t.tenant));

    // 1. The domain HCW needs for the certificate's name (seed 000: add only that one).
    if let Some(h) = &before
        && h.case == HcwCase::NotAccepted
    {
        let add = hcw::domain_to_add(&h.certificate_name, &t.tenant);
        if hcw::is_addable(&add)
            && let Ok(domain) = DnsName::parse(&add)
        {
            add_and_verify(&mut t, domain.clone());
            if let Some(c) = &cert
                && let Some(today) = works_today(s, c)
            {
                use crate::checks::CheckId;
                let mut about = vec![(
                    CheckId::CertNameNotAccepted,
                    Some(h.certificate_name.clone()),
                )];
                if let Some(name) = eval
                    .facts
                    .hybrid_connector
                    .and_then(|i| s.inbound_connectors.get(i))
                    .map(|c| c.name.clone())
                {
                    for id in [
                        CheckId::ConnectorDomainNotAccepted,
                        CheckId::ConnectorTscnNotOnCert,
                        CheckId::ConnectorIpOnly,
                    ] {
                        about.push((id, Some(name.clone())));
                    }
                }
                alternatives.push(Advice {
                    text: format!(
                        "Or, without adding {domain}: set TlsSenderCertificateName {today}, which matches the certificate today; it works until HCW runs again, which writes {} back and warns HCW8103.",
                        h.tls_sender_certificate_name
                    ).into(),
                    about,
                });
            }
        }
    }

    // 2. The value the connector HCW manages ends with.
    let after = cert.as_ref().and_then(|c| hcw::hcw_tscn(c, &t.tenant));
    let tscn = match (&after, &cert) {
        (Some(h), _) if h.case != HcwCase::NotAccepted => {
            Some(h.tls_sender_certificate_name.clone())
        }
        // The certificate needs reissuing: keep (or make) a value that works today.
        (_, Some(c)) => works_today(&t, c),
        (_, None) => None,
    };
    let hybrid = eval.facts.hybrid_connector;
    connectors(&mut t, hybrid, tscn.as_deref(), now);
    organization_fqdn(&mut t);

    // 3. Every domain a remaining connector needs is verified, not pending.
    let needed: Vec<DnsName> = facts::compute(&t, now)
        .needed_domains
        .iter()
        .filter(|n| n.status == crate::model::DomainStatus::Unverified)
        .filter_map(|n| DnsName::parse(&n.domain).ok())
        .collect();
    for d in needed {
        add_and_verify(&mut t, d);
    }
    if let Some(h) = &after
        && h.case == HcwCase::NotAccepted
    {
        // §5: with HCW8103 left (a new certificate is needed), base(CN) and its parent
        // count as needed too; a pending one is verified.
        let n = names::base(&names::normalize(&h.certificate_name)).to_string();
        for d in [Some(n.as_str()), names::parent(&n)].into_iter().flatten() {
            if t.tenant.status(d) == crate::model::DomainStatus::Unverified
                && let Ok(d) = DnsName::parse(d)
            {
                add_and_verify(&mut t, d);
            }
        }
    }

    // A certificate name under a domain the tenant added but never verified: verifying it
    // is the tenant's own step (a domain it does not have at all may not be its own).
    if let Some(c) = &cert {
        let pending: Vec<DnsName> = c
            .dns_names()
            .iter()
            .filter(|n| t.tenant.closest_verified_ancestor(names::base(n)).is_none())
            .filter_map(|n| {
                let mut d = Some(names::base(n));
                while let Some(x) = d {
                    if t.tenant.status(x) == crate::model::DomainStatus::Unverified {
                        return DnsName::parse(x).ok();
                    }
                    d = names::parent(x);
                }
                None
            })
            .collect();
        for d in pending {
            add_and_verify(&mut t, d);
        }
    }

    // 4. On premises: the relay send connector and its servers (§11).
    super::onprem::converge(&mut t, now);

    for f in &eval.findings {
        for text in &f.alternatives {
            alternatives.push(Advice {
                text: text.clone(),
                about: vec![f.owned_key()],
            });
        }
    }
    Target {
        scenario: t,
        tscn,
        alternatives,
    }
}

fn add_and_verify(t: &mut Scenario, domain: DnsName) {
    if t.tenant.get(domain.as_str()).is_some() {
        t.tenant.update(domain.as_str(), |d| d.verified = true);
    } else {
        t.tenant.push(AcceptedDomain::new(domain));
    }
}

/// A value that matches the certificate and names a verified domain today: the connector's
/// own when it already works, else `*.` the closest verified accepted domain above one of
/// the certificate's names.
fn works_today(s: &Scenario, cert: &CertFacts) -> Option<String> {
    let current = s
        .inbound_connectors
        .iter()
        .filter(|c| c.is_active_on_premises())
        .filter_map(|c| c.tscn_text())
        .find(|t| TscnState::judge(Some(t), Some(cert), &s.tenant).works());
    if let Some(c) = current {
        return Some(c.to_string());
    }
    cert.dns_names().iter().find_map(|n| {
        s.tenant
            .closest_verified_ancestor(names::base(n))
            .map(|d| format!("*.{d}"))
    })
}

/// The connector HCW manages gets what HCW writes: enabled, OnPremises, RequireTls,
/// CloudServicesMailEnabled and `tscn`; its SenderIPAddresses go (HCW writes `$null`) once
/// the certificate path works (until then they are the fallback that relays). Without
/// such a connector a new one is made. Other enabled OnPremises connectors whose value does
/// not work get `tscn` too.
fn connectors(t: &mut Scenario, hybrid: Option<usize>, tscn: Option<&str>, now: OffsetDateTime) {
    let cert = t.certificate().cloned();
    // The IP fallback goes only once a certificate that will keep working is in place.
    let authenticates = cert
        .as_ref()
        .is_some_and(|c| facts::usable(c, &t.trusted_roots, now));
    let works = |value: Option<&str>| TscnState::judge(value, cert.as_ref(), &t.tenant).works();
    let certificate_path = authenticates && works(tscn);
    let tenant_fallback = || {
        t.sending_domain()
            .filter(|d| t.tenant.is_verified(d.as_str()))
            .map(|d| format!("*.{d}"))
    };
    let value = tscn.map(str::to_string).or_else(|| {
        // No certificate to judge: a connector for the domain users send from.
        if cert.is_none() {
            tenant_fallback()
        } else {
            None
        }
    });
    let index = match hybrid {
        Some(i) if i < t.inbound_connectors.len() => i,
        _ => {
            let mut name = NEW_CONNECTOR.to_string();
            let mut n = 2;
            while t
                .inbound_connectors
                .iter()
                .any(|c| c.name.eq_ignore_ascii_case(&name))
            {
                name = format!("{NEW_CONNECTOR} {n}");
                n += 1;
            }
            t.inbound_connectors.push(InboundConnector::new(name));
            t.inbound_connectors.len() - 1
        }
    };
    let others_fixed: Vec<usize> = (0..t.inbound_connectors.len())
        .filter(|i| *i != index && t.inbound_connectors[*i].is_active_on_premises())
        .filter(|i| !works(t.inbound_connectors[*i].tscn_text()))
        .filter(|i| t.inbound_connectors[*i].tscn_text().is_some())
        .collect();
    let c = &mut t.inbound_connectors[index];
    c.enabled = true;
    c.connector_type = ConnectorType::OnPremises;
    c.require_tls = true;
    c.cloud_services_mail_enabled = true;
    if let Some(v) = &value {
        c.tls_sender_certificate_name = Some(v.clone());
    }
    if certificate_path {
        c.sender_ip_addresses.clear();
    }
    if let Some(v) = &value {
        for i in others_fixed {
            t.inbound_connectors[i].tls_sender_certificate_name = Some(v.clone());
        }
    }
    // An entry Exchange Online refuses never matches: it goes, on every connector.
    for c in &mut t.inbound_connectors {
        c.sender_ip_addresses.retain(|ip| ip.problem().is_none());
    }
}

/// When Exchange Online's TLS connection to the organisation FQDN would fail because the
/// certificate does not cover it, a host name on the certificate under a verified domain
/// becomes the FQDN (HCW's Organization FQDN: the lesson's and HCW's own way); without one,
/// only a new certificate helps (the check says so by hand).
fn organization_fqdn(t: &mut Scenario) {
    let Some(cert) = t.certificate() else { return };
    let Some(fqdn) = &t.on_premises.organization_fqdn else {
        return;
    };
    if cert.matches_host(fqdn.as_str()) {
        return;
    }
    let candidate = cert
        .host_names()
        .iter()
        .map(|n| names::normalize(n))
        .filter(|n| !n.starts_with('*'))
        .filter_map(|n| DnsName::parse(&n).ok())
        .find(|n| {
            n.parent()
                .is_some_and(|p| t.tenant.closest_verified_ancestor(p).is_some())
                && cert.matches_host(n.as_str())
        });
    if let Some(c) = candidate {
        t.on_premises.organization_fqdn = Some(c);
    }
}

/// When the presented certificate cannot work (HCW would not list it, its key is weak or
/// not its own, it has no DNS name, it expires within 30 days) and another candidate can,
/// the best other one: the one HCW lists whose names the tenant knows best, expiring last.
fn better_certificate(s: &Scenario, now: OffsetDateTime) -> Option<usize> {
    let current = s.certificate()?;
    if facts::usable(current, &s.trusted_roots, now) {
        return None;
    }
    let known = |c: &CertFacts| {
        c.dns_names()
            .iter()
            .filter(|n| s.tenant.closest_verified_ancestor(names::base(n)).is_some())
            .count()
    };
    s.certificates
        .iter()
        .enumerate()
        .filter(|(_, e)| facts::usable(&e.facts, &s.trusted_roots, now))
        .max_by_key(|(_, e)| (known(&e.facts) > 0, e.facts.not_after))
        .map(|(i, _)| i)
}
