//! Step 2, Domains: is the certificate's name under a verified accepted domain, and is every
//! domain the connector needs verified (domain-rules.md §3 and §5)?

use super::fix::FixAction;
use super::hcw::HcwCase;
use super::{CheckId, Context, Finding, Severity};
use crate::model::{ACCEPTED_DOMAIN_LIMIT, DomainIndex, DomainStatus};
use crate::names::{self, Tscn};

/// Second-level public suffixes common enough that `parent(contoso.co.uk)` must not be
/// offered as a domain to add. Without a full public-suffix list this is a heuristic for
/// the suggestion text only; no rule depends on it.
const SECOND_LEVEL_SUFFIXES: &[&str] = &[
    "co.uk", "org.uk", "ac.uk", "gov.uk", "me.uk", "com.au", "net.au", "org.au", "co.nz", "co.jp",
    "co.za", "com.br", "com.cn", "com.mx", "co.in", "com.tr", "com.sg", "co.kr",
];

/// The domain to add so that HCW stops warning for certificate name `name` (seed 000):
/// the name itself when it is an apex domain or already added, otherwise its parent
/// (`hostname.subdomain.contoso.com` → `subdomain.contoso.com`).
pub fn domain_to_add(name: &str, domains: &DomainIndex<'_>) -> String {
    let n = names::base(&names::normalize(name)).to_string();
    if name.starts_with("*.") || domains.status(&n) != DomainStatus::Absent {
        return n;
    }
    match names::parent(&n) {
        Some(p) if domains.status(p) != DomainStatus::Absent => p.to_string(),
        Some(p) if p.contains('.') && !SECOND_LEVEL_SUFFIXES.contains(&p) => p.to_string(),
        _ => n,
    }
}

/// Add, or only verify, a domain, depending on whether the tenant already has it.
pub(crate) fn add_or_verify(domain: &str, domains: &DomainIndex<'_>) -> FixAction {
    match domains.status(domain) {
        DomainStatus::Unverified => FixAction::VerifyDomain {
            domain: domain.to_string(),
        },
        _ => FixAction::AddDomain {
            domain: domain.to_string(),
        },
    }
}

pub(super) fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let domains = &ctx.domains;
    let mut needed: Vec<String> = Vec::new();

    if let Some(hcw) = &ctx.hcw {
        match hcw.case {
            HcwCase::NotAccepted => {
                let add = domain_to_add(&hcw.certificate_name, domains);
                let mut actions = Vec::new();
                // A CN that is not a DNS name ("Contoso Mail Server") has no domain to add.
                if names::is_dns_name(&add) && add.contains('.') {
                    actions.push(add_or_verify(&add, domains));
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
                        vec![FixAction::AddDomain { domain: exact.clone() }],
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
                    vec![FixAction::VerifyDomain { domain: d.clone() }],
                )
                .about(d.clone()),
            );
        }
    }

    let count = ctx.scenario.tenant.accepted_domains.len();
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
