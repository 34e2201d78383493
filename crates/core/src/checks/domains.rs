//! Step 2, Domains: is the certificate's name under a verified accepted domain, and is every
//! domain the connector needs verified (docs/checks.md, "Domains")?

use super::{CheckId, Context, Finding, Severity};
use crate::action::FixAction;
use crate::hcw::{HcwCase, domain_to_add, is_addable};
use crate::model::{ACCEPTED_DOMAIN_LIMIT, DomainStatus};
use crate::names::{self, DnsName};

pub(super) fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let domains = ctx.tenant();
    let mut needed: Vec<String> = Vec::new();

    if let Some(hcw) = &ctx.facts.hcw {
        match hcw.case {
            HcwCase::NotAccepted => {
                let add = domain_to_add(&hcw.certificate_name, domains);
                let example = ctx
                    .scenario
                    .own_domain()
                    .map(|d| format!(" (for example mail.{d})"))
                    .unwrap_or_default();
                let finding = Finding::new(
                    CheckId::CertNameNotAccepted,
                    Severity::Warning,
                    hcw.warning.clone().unwrap_or_default(),
                    Vec::new(),
                )
                .about(hcw.certificate_name.clone());
                // A CN that is not a DNS name ("Contoso Mail Server") has no domain to add:
                // only a new certificate helps.
                out.push(if is_addable(&add) {
                    finding.or(format!(
                        "Or have the certificate reissued with a name under a verified accepted domain{example}."
                    ))
                } else {
                    Finding {
                        by_hand: vec![crate::text::Line::new(format!(
                            "Have the certificate reissued with a DNS name under a verified accepted domain in its CN{example}."
                        ))],
                        ..finding
                    }
                });
                let n = names::base(&names::normalize(&hcw.certificate_name)).to_string();
                if let Some(p) = names::parent(&n) {
                    needed.push(n.clone());
                    needed.push(p.to_string());
                } else {
                    needed.push(n);
                }
            }
            HcwCase::ParentAccepted => {
                let exact = names::base(&names::normalize(&hcw.certificate_name)).to_string();
                let mut f = Finding::new(
                    CheckId::CertNameParentAccepted,
                    Severity::Info,
                    format!(
                        "HCW accepts {} because {} is a verified accepted domain, and writes TlsSenderCertificateName {}. Microsoft's 2023 guidance also suggests adding {exact} itself.",
                        hcw.certificate_name,
                        names::parent(&exact).unwrap_or_default(),
                        hcw.tls_sender_certificate_name
                    ),
                    Vec::new(),
                )
                .about(exact.clone());
                if let Ok(domain) = DnsName::parse(&exact) {
                    f = f.suggest(FixAction::AddDomain { domain });
                }
                out.push(f);
            }
            HcwCase::NameAccepted => {}
        }
    }

    for c in &ctx.facts.connectors {
        if let (true, Some(t)) = (c.active, c.tscn.tscn()) {
            needed.push(t.base().as_str().to_string());
        }
    }

    let mut reported: Vec<&str> = Vec::new();
    for d in &needed {
        if domains.status(d) == DomainStatus::Unverified && !reported.contains(&d.as_str()) {
            reported.push(d);
            out.push(
                Finding::new(
                    CheckId::DomainUnverified,
                    Severity::Error,
                    format!("{d} is an accepted domain, but its verification is pending, so it does not count."),
                    Vec::new(),
                )
                .about(d.clone()),
            );
        }
    }

    foreign_names(ctx, out);

    let count = ctx.tenant().len();
    if count > ACCEPTED_DOMAIN_LIMIT {
        out.push(Finding::new(
            CheckId::TenantDomainLimit,
            Severity::Warning,
            format!("The tenant lists {count} accepted domains; Exchange Online allows {ACCEPTED_DOMAIN_LIMIT}."),
            vec![FixAction::Manual {
                text: "Remove accepted domains that no longer receive mail (Microsoft 365 admin center → Settings → Domains).".into(),
            }],
        ));
    }
}

/// `cert-name-foreign-domain`: the certificate a certificate-based OnPremises connector
/// recognises carries names outside the tenant's verified domains (MC1226222).
fn foreign_names(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let Some(cert) = ctx.cert else { return };
    let Some(connector) = ctx.facts.connectors.iter().find(|c| {
        c.active
            && matches!(
                c.tscn,
                crate::facts::TscnState::Valid {
                    on_certificate: Some(true),
                    ..
                }
            )
    }) else {
        return;
    };
    let tenant = ctx.tenant();
    let foreign: Vec<&String> = cert
        .dns_names()
        .iter()
        .filter(|n| tenant.closest_verified_ancestor(names::base(n)).is_none())
        .collect();
    if foreign.is_empty() {
        return;
    }
    let mut domains: Vec<String> = Vec::new();
    for n in &foreign {
        let d = domain_to_add(n, tenant);
        if is_addable(&d) && !domains.contains(&d) {
            domains.push(d);
        }
    }
    out.push(Finding::new(
        CheckId::CertNameForeignDomain,
        Severity::Warning,
        format!(
            "The certificate that certificate-based connector \"{}\" recognises carries {} name{} outside the tenant's verified accepted domains: {}. Microsoft names this a configuration that may unexpectedly stop working (MC1226222).",
            connector.name,
            foreign.len(),
            if foreign.len() == 1 { "" } else { "s" },
            crate::text::list(&foreign, 5)
        ),
        vec![FixAction::Manual {
            text: if domains.is_empty() {
                format!(
                    "Have the certificate reissued without {}.",
                    crate::text::list(&foreign, 5)
                )
            } else {
                format!(
                    "Have the certificate reissued without {}, or add and verify {} if the organisation owns {}.",
                    crate::text::list(&foreign, 5),
                    crate::text::list(&domains, 5),
                    if domains.len() == 1 { "it" } else { "them" }
                )
            },
        }],
    ));
}
