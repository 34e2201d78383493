//! Step 2, Domains: is the certificate's name under a verified accepted domain, and is every
//! domain the connector needs verified (domain-rules.md §3 and §5)?

use super::{CheckId, Context, Finding, Severity};
use crate::hcw::{HcwCase, domain_to_add, is_addable};
use crate::model::{ACCEPTED_DOMAIN_LIMIT, DomainStatus, Tenant};
use crate::names::{self, DnsName, Tscn};
use crate::plan::FixAction;

/// Add, or only verify, a domain, depending on whether the tenant already has it. `None`
/// when the text is not a domain that can be added.
pub(crate) fn add_or_verify(domain: &str, tenant: &Tenant) -> Option<FixAction> {
    let domain = DnsName::parse(domain).ok()?;
    Some(match tenant.status(domain.as_str()) {
        DomainStatus::Unverified => FixAction::VerifyDomain { domain },
        _ => FixAction::AddDomain { domain },
    })
}

pub(super) fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let domains = ctx.tenant();
    let mut needed: Vec<String> = Vec::new();

    if let Some(hcw) = &ctx.facts.hcw {
        match hcw.case {
            HcwCase::NotAccepted => {
                let add = domain_to_add(&hcw.certificate_name, domains);
                let mut actions = Vec::new();
                // A CN that is not a DNS name ("Contoso Mail Server") has no domain to add.
                if is_addable(&add) {
                    actions.extend(add_or_verify(&add, domains));
                }
                let example = ctx
                    .scenario
                    .own_domain()
                    .map(|d| format!(" (for example mail.{d})"))
                    .unwrap_or_default();
                let text = if actions.is_empty() {
                    format!(
                        "Have the certificate reissued with a DNS name under a verified accepted domain in its CN{example}."
                    )
                } else {
                    format!(
                        "Or have the certificate reissued with a name under a verified accepted domain{example}."
                    )
                };
                actions.push(FixAction::Manual { text });
                let hcw8103 = hcw.warning.clone().unwrap_or_default();
                out.push(
                    Finding::new(
                        CheckId::CertNameNotAccepted,
                        Severity::Warning,
                        hcw8103,
                        actions,
                    )
                    .about(hcw.certificate_name.clone()),
                );
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
                out.push(
                    Finding::new(
                        CheckId::CertNameParentAccepted,
                        Severity::Info,
                        format!(
                            "HCW accepts {} because {} is a verified accepted domain, and writes TlsSenderCertificateName {}. Microsoft's 2023 guidance also suggests adding {exact} itself.",
                            hcw.certificate_name,
                            names::parent(&exact).unwrap_or_default(),
                            hcw.tls_sender_certificate_name
                        ),
                        DnsName::parse(&exact)
                            .map(|domain| vec![FixAction::AddDomain { domain }])
                            .unwrap_or_default(),
                    )
                    .about(exact),
                );
            }
            HcwCase::NameAccepted => {}
        }
    }

    for c in ctx
        .scenario
        .inbound_connectors
        .iter()
        .filter(|c| c.is_active_on_premises())
    {
        if let Some(Ok(t)) = c.tscn_text().map(Tscn::parse) {
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
                    add_or_verify(d, domains).into_iter().collect(),
                )
                .about(d.clone()),
            );
        }
    }

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
