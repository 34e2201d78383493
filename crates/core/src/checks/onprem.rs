//! The on-premises side (docs/checks.md, "On premises"): the send
//! connector that relays to Exchange Online, where it sends, which certificate it presents
//! and how it protects the connection, and whether every source transport server holds the
//! selected certificate. Without send connectors or server certificates nothing fires:
//! relaycheck cannot know. The checks state the problems; the plan's on-premises steps
//! (src/plan/onprem.rs) fix them, and only what the plan cannot do stays advice by hand.

use super::{CheckId, Context, Finding, Severity};
use crate::action::FixAction;
use crate::action::ps_quote;
use crate::facts::onprem::{Holding, Presented, SendConnectorFact, SmartHostKind, SourceServer};
use crate::model::SendConnector;
use crate::text::{ECHO_MAX, excerpt, quoted};
use crate::when::date;

pub(super) fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let facts = &ctx.facts.onprem;
    let (Some(list), Some(connectors)) = (
        ctx.scenario.on_premises.send_connectors.as_deref(),
        facts.send_connectors.as_deref(),
    ) else {
        return;
    };
    missing(ctx, list, connectors, out);
    for (c, fact) in list.iter().zip(connectors).filter(|(_, f)| f.relay) {
        smart_host(c, fact, out);
        certificate(ctx, c, fact, out);
        tls(c, fact, out);
    }
    for server in &facts.source_servers {
        not_on_server(ctx, server, out);
    }
}

/// A value from input, cut and cleaned for a message.
fn shown(text: &str) -> String {
    excerpt(text, ECHO_MAX).into_owned()
}

fn manual(text: String) -> Vec<FixAction> {
    vec![FixAction::Manual { text }]
}

/// Why a send connector does not relay to Exchange Online, in a few words.
fn why_not_relay(c: &SendConnector, f: &SendConnectorFact) -> Option<String> {
    let name = quoted(&c.name);
    if !f.enabled {
        return Some(format!("{name} is disabled"));
    }
    if !f.to_exchange_online {
        return Some(if f.dns_routing {
            format!("{name} sends by MX")
        } else if f.smart_hosts.is_empty() {
            format!("{name} has no smart host")
        } else {
            let hosts: Vec<String> = f.smart_hosts.iter().map(|h| shown(&h.host)).collect();
            format!("{name} sends to {}", crate::text::join_words(&hosts))
        });
    }
    if f.relay {
        return None;
    }
    let spaces: Vec<String> = c.address_spaces.iter().map(|a| shown(a)).collect();
    Some(if spaces.is_empty() {
        format!("{name} has no address space")
    } else {
        format!("{name} covers only {}", spaces.join(", "))
    })
}

fn missing(
    ctx: &Context<'_>,
    list: &[SendConnector],
    facts: &[SendConnectorFact],
    out: &mut Vec<Finding>,
) {
    let onprem = &ctx.facts.onprem;
    let any_to_exo = facts.iter().any(|f| f.enabled && f.to_exchange_online);
    if any_to_exo && onprem.uncovered_domains.is_empty() {
        return;
    }
    let reasons: Vec<String> = list
        .iter()
        .zip(facts)
        .filter_map(|(c, f)| why_not_relay(c, f))
        .collect();
    let domains: Vec<String> = onprem.uncovered_domains.iter().map(|d| shown(d)).collect();
    let message = if list.is_empty() {
        "There is no send connector on premises (Get-SendConnector lists none), so no mail is relayed through Exchange Online.".to_string()
    } else {
        let head = if !any_to_exo {
            "No send connector relays to Exchange Online: none is enabled and sends to Exchange Online (CloudServicesMailEnabled, or a smart host under mail.protection.outlook.com or mx.microsoft)".to_string()
        } else {
            format!(
                "No send connector to Exchange Online covers {} (address space * or the domain), so mail to {} does not relay through Exchange Online",
                crate::text::join_words(&domains),
                if domains.len() == 1 { "it" } else { "them" }
            )
        };
        if reasons.is_empty() {
            format!("{head}.")
        } else {
            let shown_reasons: Vec<String> = reasons.iter().take(20).cloned().collect();
            let more = reasons.len().saturating_sub(20);
            format!(
                "{head}: {}{}.",
                shown_reasons.join("; "),
                if more > 0 {
                    format!("; and {more} more")
                } else {
                    String::new()
                }
            )
        }
    };
    // The plan creates the connector (plan/onprem.rs).
    out.push(Finding::new(
        CheckId::SendConnectorMissing,
        Severity::Error,
        message,
        Vec::new(),
    ));
}

fn smart_host(c: &SendConnector, f: &SendConnectorFact, out: &mut Vec<Finding>) {
    let legacy: Vec<String> = f
        .smart_hosts
        .iter()
        .filter(|h| h.kind == SmartHostKind::MicrosoftLegacy)
        .map(|h| shown(&h.host))
        .collect();
    let other: Vec<String> = f
        .smart_hosts
        .iter()
        .filter(|h| h.kind == SmartHostKind::Other)
        .map(|h| shown(&h.host))
        .collect();
    let mut parts = Vec::new();
    if f.dns_routing {
        parts.push(
            "routes by MX (DNSRoutingEnabled is $true), so relayed mail goes to each recipient's own MX instead of through Exchange Online"
                .to_string(),
        );
    } else {
        if f.smart_hosts.is_empty() {
            parts.push("has no smart host".to_string());
        }
        if !other.is_empty() {
            parts.push(format!(
                "sends to {}, which {} not Exchange Online",
                crate::text::join_words(&other),
                if other.len() == 1 { "is" } else { "are" }
            ));
        }
        if !legacy.is_empty() {
            parts.push(format!(
                "sends to {}, which {} not the tenant's endpoint under mail.protection.outlook.com or mx.microsoft: Exchange Online answers 451 4.4.62 Mail sent to the wrong Office 365 region. ATTR35",
                crate::text::join_words(&legacy),
                if legacy.len() == 1 { "is" } else { "are" }
            ));
        }
    }
    if parts.is_empty() {
        return;
    }
    out.push(
        Finding::new(
            CheckId::SendConnectorSmartHost,
            Severity::Error,
            format!(
                "Send connector {} {}.",
                quoted(&c.name),
                parts.join("; and it ")
            ),
            Vec::new(),
        )
        .about(c.name.clone()),
    );
}

fn certificate(
    ctx: &Context<'_>,
    c: &SendConnector,
    f: &SendConnectorFact,
    out: &mut Vec<Finding>,
) {
    let name = quoted(&c.name);
    let cert = ctx.cert;
    let cert_words = cert.map(|x| {
        format!(
            "the certificate {} ({})",
            shown(&x.display_name()),
            shown(&x.tls_certificate_name())
        )
    });
    let choose = || {
        manual(format!(
            "Choose the certificate the server presents to Exchange Online and point the send connector at it (Exchange Management Shell): Set-SendConnector -Identity {} -TlsCertificateName \"<I>issuer<S>subject\" with the certificate's Issuer and Subject as Get-ExchangeCertificate shows them.",
            ps_quote(&c.name)
        ))
    };
    // With a selected certificate the plan points the connector at it; without one,
    // choosing it is the admin's.
    let fix = |x: Option<&crate::cert::CertFacts>| x.map_or_else(choose, |_| Vec::new());
    let (message, by_hand) = match &f.presents {
        Presented::Unset => (
            format!(
                "Send connector {name} has no TlsCertificateName, so Exchange picks a certificate itself{}.",
                cert_words
                    .as_ref()
                    .map(|w| format!(", which may not be {w} that the inbound connector expects"))
                    .unwrap_or_default()
            ),
            fix(cert),
        ),
        Presented::Malformed { text } => (
            format!(
                "Send connector {name} has TlsCertificateName {}, which is not <I>issuer<S>subject, so Exchange cannot find the certificate it means.",
                quoted(text)
            ),
            fix(cert),
        ),
        Presented::Named {
            name: tls,
            selected: Some(false),
            ..
        } => (
            format!(
                "Send connector {name} presents the certificate {}, not {}.",
                quoted(&tls.text()),
                cert_words.clone().unwrap_or_default()
            ),
            fix(cert),
        ),
        // It names the selected certificate, or there is none: is the certificate it names
        // installed on every source server whose certificates are known?
        Presented::Named {
            name: tls,
            selected: Some(true) | None,
            on_servers,
        } => {
            let is_lacking =
                |found: &Option<Vec<String>>| found.as_ref().is_some_and(Vec::is_empty);
            let lacking: Vec<&str> = on_servers
                .iter()
                .filter(|(_, found)| is_lacking(found))
                .map(|(s, _)| s.as_str())
                .collect();
            if lacking.is_empty() {
                return;
            }
            let servers: Vec<String> = on_servers.iter().map(|(s, _)| shown(s)).collect();
            let lacking_words: Vec<String> = lacking.iter().map(|s| shown(s)).collect();
            // The thumbprint to enable: the selected certificate's, else a copy another
            // source server holds.
            let thumbprint = cert.map(|c| c.thumbprint.clone()).or_else(|| {
                on_servers
                    .iter()
                    .find_map(|(_, found)| found.as_ref().and_then(|t| t.first().cloned()))
            });
            let by_hand = match (cert, thumbprint) {
                // The plan installs the selected certificate on every source server.
                (Some(_), _) => Vec::new(),
                (None, Some(t)) => lacking
                    .iter()
                    .flat_map(|s| manual(import_fix(s, &t)))
                    .collect(),
                (None, None) => manual(format!(
                    "On premises (Exchange Management Shell), import the certificate {} with its private key on {}: {}; or point the send connector at a certificate installed on every source server.",
                    quoted(&tls.text()),
                    crate::text::join_words(&lacking_words),
                    lacking
                        .iter()
                        .map(|s| import_line(s))
                        .collect::<Vec<_>>()
                        .join("; ")
                )),
            };
            (
                format!(
                    "Send connector {name} presents the certificate {}, which is not installed on {} (its source servers: {}).",
                    quoted(&tls.text()),
                    crate::text::join_words(&lacking_words),
                    servers.join(", ")
                ),
                by_hand,
            )
        }
    };
    out.push(
        Finding::new(
            CheckId::SendConnectorCertificate,
            Severity::Error,
            message,
            by_hand,
        )
        .about(c.name.clone()),
    );
}

/// Section 11's import of a certificate on a server that lacks it.
fn import_line(server: &str) -> String {
    format!(
        "Import-ExchangeCertificate -Server {} -FileData ([System.IO.File]::ReadAllBytes('C:\\temp\\certificate.pfx')) -Password (Read-Host -AsSecureString -Prompt 'PFX password')",
        ps_quote(server)
    )
}

/// Import a certificate on a server that lacks it and enable it for SMTP.
fn import_fix(server: &str, thumbprint: &str) -> String {
    format!(
        "On premises (Exchange Management Shell), import the certificate's PFX (with its private key) on {} and enable it for SMTP: {}; Enable-ExchangeCertificate -Server {} -Thumbprint {thumbprint} -Services SMTP",
        shown(server),
        import_line(server),
        ps_quote(server)
    )
}

fn tls(c: &SendConnector, f: &SendConnectorFact, out: &mut Vec<Finding>) {
    if f.tls_gaps.is_empty() {
        return;
    }
    let gaps: Vec<String> = f.tls_gaps.iter().map(|g| g.words()).collect();
    out.push(
        Finding::new(
            CheckId::SendConnectorTls,
            Severity::Warning,
            format!(
                "Send connector {} does not protect mail to Exchange Online as HCW sets it up: {}.",
                quoted(&c.name),
                gaps.join("; ")
            ),
            Vec::new(),
        )
        .about(c.name.clone()),
    );
}

fn not_on_server(ctx: &Context<'_>, s: &SourceServer, out: &mut Vec<Finding>) {
    let Some(cert) = ctx.cert else { return };
    let Some(words) = s.holding.words() else {
        return;
    };
    let server = shown(&s.holding.server);
    let detail = match &s.holding.holding {
        Holding::OutsideValidity {
            thumbprint,
            not_after,
            expired: true,
        } => format!(" (thumbprint {thumbprint}, NotAfter {})", date(*not_after)),
        Holding::OutsideValidity { thumbprint, .. } => format!(" (thumbprint {thumbprint})"),
        Holding::NotForSmtp {
            thumbprint,
            services,
        } => format!(" (thumbprint {thumbprint}, Services {services})"),
        _ => String::new(),
    };
    let connectors: Vec<String> = s.connectors.iter().map(|c| quoted(c)).collect();
    let message = format!(
        "The certificate {} is {words}{detail}, a source server of send connector{} {}: mail leaving through {server} presents another certificate or none.",
        shown(&cert.display_name()),
        if connectors.len() == 1 { "" } else { "s" },
        crate::text::join_words(&connectors)
    );
    out.push(
        Finding::new(
            CheckId::CertNotOnEveryServer,
            Severity::Error,
            message,
            // The plan installs it, or enables it for SMTP (plan/onprem.rs).
            Vec::new(),
        )
        .about(s.holding.server.clone()),
    );
}
