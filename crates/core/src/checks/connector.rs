//! Step 3, Connector: the inbound connector of type OnPremises, its TlsSenderCertificateName,
//! what HCW would write, and the organisation FQDN (docs/checks.md, "Connector").

use super::{CheckId, Context, Finding, Severity};
use crate::action::FixAction;
use crate::facts::TscnState;
use crate::model::{ConnectorType, DomainStatus, InboundConnector};
use crate::names;

pub(super) fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let connectors = &ctx.scenario.inbound_connectors;
    let active: Vec<&InboundConnector> = connectors
        .iter()
        .filter(|c| c.is_active_on_premises())
        .collect();

    if active.is_empty() {
        out.push(Finding::new(
            CheckId::ConnectorMissing,
            Severity::Error,
            if connectors.is_empty() {
                "There is no inbound connector for the on-premises organisation.".to_string()
            } else {
                "No inbound connector is both enabled and of type OnPremises.".to_string()
            },
            Vec::new(),
        ));
    } else if active.iter().all(|c| c.tscn_text().is_none()) {
        for c in &active {
            out.push(
                Finding::new(
                    CheckId::ConnectorIpOnly,
                    Severity::Warning,
                    if c.sender_ip_addresses.is_empty() {
                        format!(
                            "Inbound connector \"{}\" has neither a TlsSenderCertificateName nor SenderIPAddresses: it cannot recognise the on-premises server, and without a certificate identity NDRs, forwarded mail and mail sent as other domains are rejected with 550 5.7.64 Relay Access Denied ATTR36.",
                            c.name
                        )
                    } else {
                        format!(
                            "Inbound connector \"{}\" identifies the on-premises server by IP address only: NDRs, forwarded mail and mail sent as other domains are rejected with 550 5.7.64 Relay Access Denied ATTR36.",
                            c.name
                        )
                    },
                    Vec::new(),
                )
                .about(c.name.clone()),
            );
        }
    }

    for (c, fact) in connectors.iter().zip(&ctx.facts.connectors) {
        let tscn = match &fact.tscn {
            TscnState::Unset => continue,
            TscnState::Invalid { text, reason } => {
                out.push(
                    Finding::new(
                        CheckId::ConnectorTscnInvalid,
                        Severity::Error,
                        format!(
                            "Inbound connector \"{}\" has TlsSenderCertificateName \"{text}\", which is not valid: {reason}.",
                            c.name
                        ),
                        Vec::new(),
                    )
                    .about(c.name.clone()),
                );
                continue;
            }
            TscnState::Valid { tscn, .. } => tscn,
        };
        if !fact.active {
            continue;
        }
        if let (
            Some(cert),
            TscnState::Valid {
                on_certificate: Some(false),
                ..
            },
        ) = (ctx.cert, &fact.tscn)
        {
            let names = cert.dns_names();
            out.push(
                Finding::new(
                    CheckId::ConnectorTscnNotOnCert,
                    Severity::Error,
                    format!(
                        "Inbound connector \"{}\" expects a certificate for {tscn}, but the certificate presents {}.",
                        c.name,
                        if names.is_empty() {
                            "no DNS name".to_string()
                        } else {
                            crate::text::list(names, NAMES_LISTED)
                        }
                    ),
                    Vec::new(),
                )
                .about(c.name.clone()),
            );
        }
        let domains = ctx.tenant();
        let base = tscn.base().as_str();
        if !domains.is_verified(base) {
            let pending = if domains.status(base) == DomainStatus::Unverified {
                " (its verification is pending)"
            } else {
                ""
            };
            out.push(
                Finding::new(
                    CheckId::ConnectorDomainNotAccepted,
                    Severity::Error,
                    format!(
                        "Inbound connector \"{}\" uses {tscn}, but {base} is not a verified accepted domain{pending}, so certificate-based relay is refused.",
                        c.name
                    ),
                    Vec::new(),
                )
                .about(c.name.clone()),
            );
        }
    }

    for c in connectors {
        let refused: Vec<String> = c
            .sender_ip_addresses
            .iter()
            .filter_map(|ip| {
                ip.problem().map(|p| {
                    format!(
                        "{} ({})",
                        crate::text::quoted(&ip.to_string()),
                        p.sentence()
                    )
                })
            })
            .collect();
        if !refused.is_empty() {
            out.push(
                Finding::new(
                    CheckId::ConnectorIpInvalid,
                    Severity::Error,
                    format!(
                        "Inbound connector {} lists SenderIPAddresses Exchange Online does not accept, and such an entry never matches: {}.",
                        crate::text::quoted(&c.name),
                        crate::text::list(&refused, 10)
                    ),
                    Vec::new(),
                )
                .about(c.name.clone()),
            );
        }
    }

    drift(ctx, out);
    org_fqdn(ctx, out);
}

/// Differences between the connector HCW manages and what HCW writes.
fn drift(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let Some(c) = ctx
        .facts
        .hybrid_connector
        .and_then(|i| ctx.scenario.inbound_connectors.get(i))
    else {
        return;
    };
    let mut differences = Vec::new();
    if !c.enabled {
        differences.push("it is disabled".to_string());
    }
    if c.connector_type != ConnectorType::OnPremises {
        differences.push(format!("its type is {}, not OnPremises", c.connector_type));
    }
    if !c.require_tls {
        differences.push("RequireTls is $false".to_string());
    }
    if !c.cloud_services_mail_enabled {
        differences.push("CloudServicesMailEnabled is $false".to_string());
    }
    if !c.sender_ip_addresses.is_empty() {
        let ips: Vec<String> = c
            .sender_ip_addresses
            .iter()
            .map(|i| crate::text::excerpt(&i.to_string(), 60).into_owned())
            .collect();
        differences.push(format!(
            "SenderIPAddresses is {} (HCW writes $null, so its next run removes this IP fallback)",
            crate::text::join_words(&ips)
        ));
    }
    if let Some(hcw) = &ctx.facts.hcw {
        let written = hcw.tls_sender_certificate_name.as_str();
        let current = c.tscn_text().map(names::normalize);
        if current.as_deref() != Some(names::normalize(written).as_str()) {
            let warns = if hcw.warning.is_some() {
                " (and warns HCW8103)"
            } else {
                ""
            };
            differences.push(match c.tscn_text() {
                Some(t) => format!("TlsSenderCertificateName is {t}, HCW writes {written}{warns}"),
                None => {
                    format!("it has no TlsSenderCertificateName, HCW writes {written}{warns}")
                }
            });
        }
    }
    if differences.is_empty() {
        return;
    }
    out.push(
        Finding::new(
            CheckId::ConnectorHcwDrift,
            Severity::Warning,
            format!(
                "Inbound connector \"{}\" differs from what HCW writes: {}.",
                c.name,
                differences.join("; ")
            ),
            Vec::new(),
        )
        .about(c.name.clone()),
    );
}

/// How many of a certificate's names a message lists before it says how many more: a
/// certificate may carry 10,000 (and the message is drawn on every frame).
const NAMES_LISTED: usize = 20;

fn org_fqdn(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let (Some(cert), Some(fqdn)) = (ctx.cert, &ctx.scenario.on_premises.organization_fqdn) else {
        return;
    };
    if ctx.facts.organization_fqdn_on_certificate != Some(false) {
        return;
    }
    // Host-name matching reads the SANs (the CN only without a SAN extension): list those.
    let names = cert.host_names();
    out.push(
        Finding::new(
            CheckId::OrgFqdnNotOnCert,
            Severity::Error,
            format!(
                "The organisation FQDN {fqdn} is not on the certificate ({}), so Exchange Online refuses the TLS connection to on-premises.",
                if names.is_empty() {
                    "it has no DNS names for host matching".to_string()
                } else {
                    format!(
                        "its names for host matching: {}",
                        crate::text::list(names, NAMES_LISTED)
                    )
                }
            ),
            vec![FixAction::Manual {
                text: format!(
                    "Use a certificate whose subject alternative names include {fqdn}, or set the organisation FQDN in HCW (the outbound connector's SmartHosts) to a name on the certificate."
                ),
            }],
        )
        .about(fqdn.to_string()),
    );
}
