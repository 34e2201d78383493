//! Step 4, Mail flow: what the simulated messages show beyond their outcome (docs/checks.md,
//! `sender-domain-unregistered`).

use super::{CheckId, Context, Finding, Severity};
use crate::action::FixAction;
use crate::relay::{DecidedBy, MessageOutcome, Outcome};

pub(super) fn check(ctx: &Context<'_>, mail_flow: &[MessageOutcome], out: &mut Vec<Finding>) {
    let tenant = ctx.tenant();
    let mut seen: Vec<String> = Vec::new();
    for m in mail_flow {
        if m.outcome != Outcome::Relayed || m.decided_by != DecidedBy::Certificate {
            continue;
        }
        let Some((_, domain)) = m.mail_from.rsplit_once('@') else {
            continue;
        };
        if tenant.is_verified(domain) || seen.iter().any(|d| d == domain) {
            continue;
        }
        seen.push(domain.to_string());
        let mut f = Finding::new(
            CheckId::SenderDomainUnregistered,
            Severity::Info,
            format!(
                "\"{}\" relays only through the certificate connector: {domain} is not an accepted domain, and Exchange Online limits such mail (550 5.7.750 Service unavailable. Client blocked from sending from unregistered domains).",
                m.name
            ),
            Vec::new(),
        )
        .about(domain.to_string());
        if let Ok(d) = crate::names::DnsName::parse(domain) {
            f = f.suggest(FixAction::AddDomain { domain: d });
        }
        out.push(f);
    }
}
