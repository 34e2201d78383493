//! The on-premises side (domain-rules.md §11; docs/checks.md, "On premises"): the send
//! connector that relays to Exchange Online, where it sends, which certificate it presents
//! and how it protects the connection, and whether every source transport server holds the
//! selected certificate. Without send connectors or server certificates nothing fires:
//! relaycheck cannot know. The fixes are the by-hand advice of each finding for now (the
//! exact PowerShell of §11), until the plan has on-premises steps.

use super::{CheckId, Context, Finding, Severity};
use crate::facts::onprem::{Holding, Presented, SendConnectorFact, SmartHostKind, SourceServer};
use crate::model::SendConnector;
use crate::model::onprem::EXO_TLS_DOMAIN;
use crate::plan::FixAction;
use crate::plan::action::ps_quote;
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
        smart_host(ctx, c, fact, out);
        certificate(ctx, c, fact, out);
        tls(ctx, c, fact, out);
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

/// The smart host of the fix: an Exchange Online endpoint a send connector already uses,
/// else the MX host Microsoft gives the tenant's own domain (`contoso-com.…`).
fn exo_endpoint(ctx: &Context<'_>, c: Option<&SendConnector>) -> String {
    let exo =
        |h: &&String| crate::facts::onprem::smart_host_kind(h) == SmartHostKind::ExchangeOnline;
    let all = ctx.scenario.on_premises.send_connectors.iter().flatten();
    c.into_iter()
        .chain(all)
        .flat_map(|c| c.smart_hosts.iter())
        .find(exo)
        .map(|h| crate::names::normalize(h.trim()))
        .unwrap_or_else(|| match ctx.scenario.sending_domain() {
            Some(d) => format!(
                "{}.mail.protection.outlook.com",
                d.as_str().replace('.', "-")
            ),
            None => "contoso-com.mail.protection.outlook.com".to_string(),
        })
}

/// Where the smart host of the fix comes from, for the fix's words.
fn endpoint_words(ctx: &Context<'_>) -> String {
    let domain = ctx
        .scenario
        .sending_domain()
        .map_or_else(|| "your domain".to_string(), |d| d.to_string());
    format!(
        "The smart host is the MX host of {domain} (Microsoft 365 admin center → Settings → Domains; under mx.microsoft for domains added from July 2026)."
    )
}

/// Section 11's send connector fix: smart host and TLS as HCW sets them.
fn relay_settings_line(ctx: &Context<'_>, c: &SendConnector) -> String {
    format!(
        "Set-SendConnector -Identity {} -SmartHosts {} -DNSRoutingEnabled $false -RequireTLS $true -TlsAuthLevel DomainValidation -TlsDomain {EXO_TLS_DOMAIN} -CloudServicesMailEnabled $true",
        ps_quote(&c.name),
        ps_quote(&exo_endpoint(ctx, Some(c)))
    )
}

fn relay_settings_fix(ctx: &Context<'_>, c: &SendConnector) -> Vec<FixAction> {
    manual(format!(
        "On premises (Exchange Management Shell), send through Exchange Online with TLS as HCW sets it up: {}. {}",
        relay_settings_line(ctx, c),
        endpoint_words(ctx)
    ))
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
    let taken = |n: &str| list.iter().any(|c| c.name.eq_ignore_ascii_case(n));
    let name = ["Relay to Exchange Online", "Relay to Exchange Online 2"]
        .into_iter()
        .find(|n| !taken(n))
        .unwrap_or("Relay to Exchange Online 3");
    let servers: Vec<String> = ctx
        .scenario
        .on_premises
        .servers
        .iter()
        .map(|s| ps_quote(&s.name))
        .collect();
    let mut line = format!(
        "New-SendConnector -Name {} -AddressSpaces \"*\" -SmartHosts {} -DNSRoutingEnabled $false -RequireTLS $true -TlsAuthLevel DomainValidation -TlsDomain {EXO_TLS_DOMAIN} -CloudServicesMailEnabled $true",
        ps_quote(name),
        ps_quote(&exo_endpoint(ctx, None))
    );
    if let Some(cert) = ctx.cert {
        line.push_str(&format!(
            " -TlsCertificateName {}",
            ps_quote(&cert.tls_certificate_name())
        ));
    }
    if !servers.is_empty() {
        line.push_str(&format!(" -SourceTransportServers {}", servers.join(",")));
    }
    out.push(Finding::new(
        CheckId::SendConnectorMissing,
        Severity::Error,
        message,
        manual(format!(
            "On premises (Exchange Management Shell), create a send connector that relays through Exchange Online (or choose to route outbound mail through Exchange Online when you rerun HCW): {line}. {}",
            endpoint_words(ctx)
        )),
    ));
}

fn smart_host(ctx: &Context<'_>, c: &SendConnector, f: &SendConnectorFact, out: &mut Vec<Finding>) {
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
            relay_settings_fix(ctx, c),
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
    let point_at = |x: &crate::cert::CertFacts| {
        manual(format!(
            "On premises (Exchange Management Shell), point the send connector at the certificate: Set-SendConnector -Identity {} -TlsCertificateName {}",
            ps_quote(&c.name),
            ps_quote(&x.tls_certificate_name())
        ))
    };
    let choose = || {
        manual(format!(
            "Choose the certificate the server presents to Exchange Online and point the send connector at it (Exchange Management Shell): Set-SendConnector -Identity {} -TlsCertificateName \"<I>issuer<S>subject\" with the certificate's Issuer and Subject as Get-ExchangeCertificate shows them.",
            ps_quote(&c.name)
        ))
    };
    let fix = |x: Option<&crate::cert::CertFacts>| x.map_or_else(choose, point_at);
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
            let by_hand = match thumbprint {
                // The same text as `cert-not-on-every-server`'s: the plan makes one step of both.
                Some(t) => lacking
                    .iter()
                    .flat_map(|s| manual(import_fix(s, &t)))
                    .collect(),
                None => manual(format!(
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

fn tls(ctx: &Context<'_>, c: &SendConnector, f: &SendConnectorFact, out: &mut Vec<Finding>) {
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
            relay_settings_fix(ctx, c),
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
    let q = ps_quote(&s.holding.server);
    let enable = |thumbprint: &str| {
        format!("Enable-ExchangeCertificate -Server {q} -Thumbprint {thumbprint} -Services SMTP")
    };
    let text = match &s.holding.holding {
        Holding::NotForSmtp { thumbprint, .. } => format!(
            "On premises (Exchange Management Shell), enable the certificate for SMTP on {server}: {}",
            enable(thumbprint)
        ),
        _ => import_fix(&s.holding.server, &cert.thumbprint),
    };
    out.push(
        Finding::new(
            CheckId::CertNotOnEveryServer,
            Severity::Error,
            message,
            manual(text),
        )
        .about(s.holding.server.clone()),
    );
}
