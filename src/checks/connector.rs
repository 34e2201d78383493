//! Step 3, Connector: the inbound connector of type OnPremises, its TlsSenderCertificateName,
//! what HCW would write, and the organisation FQDN (docs/checks.md, "Connector").

use super::domains::add_or_verify;
use super::{CheckId, Context, Finding, Severity};
use crate::facts::TscnState;
use crate::hcw::{HcwCase, domain_to_add, is_addable};
use crate::model::{ConnectorType, DomainStatus, InboundConnector};
use crate::names::{self, Tscn};
use crate::plan::{ConnectorSetting, FixAction};

pub(super) fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let connectors = &ctx.scenario.inbound_connectors;
    let active: Vec<&InboundConnector> = connectors
        .iter()
        .filter(|c| c.is_active_on_premises())
        .collect();
    let recommended = ctx.recommended_tscn();
    let fallback_tscn = || {
        recommended.clone().unwrap_or_else(|| {
            format!(
                "*.{}",
                ctx.scenario
                    .own_domain()
                    .or(ctx.scenario.default_domain())
                    .map_or("contoso.com", |d| d.as_str())
            )
        })
    };

    if active.is_empty() {
        out.push(Finding::new(
            CheckId::ConnectorMissing,
            Severity::Error,
            if connectors.is_empty() {
                "There is no inbound connector for the on-premises organisation.".to_string()
            } else {
                "No inbound connector is both enabled and of type OnPremises.".to_string()
            },
            vec![FixAction::NewInboundConnector {
                tls_sender_certificate_name: fallback_tscn(),
            }],
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
                    vec![set_tscn(c, &fallback_tscn())],
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
                        vec![set_tscn(c, &fallback_tscn())],
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
                        if names.is_empty() { "no DNS name".to_string() } else { names.join(", ") }
                    ),
                    vec![set_tscn(c, &fallback_tscn())],
                )
                .about(c.name.clone()),
            );
        }
        let domains = ctx.tenant();
        let base = tscn.base().as_str();
        if !domains.is_verified(base) {
            let parent = names::parent(base).filter(|p| domains.is_verified(p));
            let actions = match (tscn, parent) {
                (Tscn::Host(_), Some(p)) => vec![set_tscn(c, &format!("*.{p}"))],
                _ => {
                    let verified_recommendation = recommended.as_deref().filter(|r| {
                        Tscn::parse(r).is_ok_and(|t| domains.is_verified(t.base().as_str()))
                    });
                    let add = domain_to_add(base, domains);
                    // A bare top-level domain (`*.com`) is never something to add.
                    let addable = is_addable(&add) && !domains.is_verified(&add);
                    match (verified_recommendation, addable) {
                        (Some(r), true) => vec![
                            set_tscn(c, r),
                            FixAction::Manual {
                                text: format!("Or add and verify {add}, then set TlsSenderCertificateName *.{add}."),
                            },
                        ],
                        (Some(r), false) => vec![set_tscn(c, r)],
                        (None, true) if tscn.is_wildcard() && add == base => {
                            add_or_verify(&add, domains).into_iter().collect()
                        }
                        (None, true) => add_or_verify(&add, domains)
                            .into_iter()
                            .chain([set_tscn(c, &format!("*.{add}"))])
                            .collect(),
                        (None, false) => vec![FixAction::Manual {
                            text: "Set TlsSenderCertificateName to a domain of the tenant that is on the certificate (for example *.contoso.com).".to_string(),
                        }],
                    }
                }
            };
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
                    actions,
                )
                .about(c.name.clone()),
            );
        }
    }

    drift(ctx, out);
    org_fqdn(ctx, out);
}

fn set_tscn(c: &InboundConnector, value: &str) -> FixAction {
    FixAction::SetInboundConnector {
        connector: c.name.clone(),
        settings: vec![ConnectorSetting::TlsSenderCertificateName(
            value.to_string(),
        )],
    }
}

/// Differences from what HCW writes. HCW manages the OnPremises connectors; when none has
/// that type, every connector is compared (one of them was meant to be it).
fn drift(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let connectors = &ctx.scenario.inbound_connectors;
    let on_prem: Vec<&InboundConnector> = connectors
        .iter()
        .filter(|c| c.connector_type == ConnectorType::OnPremises)
        .collect();
    let candidates: Vec<&InboundConnector> = if on_prem.is_empty() {
        connectors.iter().collect()
    } else {
        on_prem
    };
    for c in candidates {
        let mut differences = Vec::new();
        let mut settings = Vec::new();
        if !c.enabled {
            differences.push("it is disabled".to_string());
            settings.push(ConnectorSetting::Enabled(true));
        }
        if c.connector_type != ConnectorType::OnPremises {
            differences.push(format!("its type is {}, not OnPremises", c.connector_type));
            settings.push(ConnectorSetting::ConnectorType(ConnectorType::OnPremises));
        }
        if !c.require_tls {
            differences.push("RequireTls is $false".to_string());
            settings.push(ConnectorSetting::RequireTls(true));
        }
        if !c.cloud_services_mail_enabled {
            differences.push("CloudServicesMailEnabled is $false".to_string());
            settings.push(ConnectorSetting::CloudServicesMailEnabled(true));
        }
        let mut domain_first: Option<FixAction> = None;
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
                    Some(t) => {
                        format!("TlsSenderCertificateName is {t}, HCW writes {written}{warns}")
                    }
                    None => {
                        format!("it has no TlsSenderCertificateName, HCW writes {written}{warns}")
                    }
                });
                if hcw.case == HcwCase::NotAccepted {
                    // HCW's own value would not relay: fix the domain first, so that the next
                    // HCW run writes a value that works, and match the connector to that.
                    let add = domain_to_add(&hcw.certificate_name, ctx.tenant());
                    if let Some(step) = is_addable(&add)
                        .then(|| add_or_verify(&add, ctx.tenant()))
                        .flatten()
                    {
                        let n = names::normalize(&hcw.certificate_name);
                        let future = if names::base(&n) == add {
                            hcw.certificate_name.clone()
                        } else {
                            format!("*.{add}")
                        };
                        domain_first = Some(step);
                        if current.as_deref() != Some(names::normalize(&future).as_str()) {
                            settings.push(ConnectorSetting::TlsSenderCertificateName(future));
                        }
                    } else {
                        // The certificate's CN is not a domain at all: only a new certificate helps.
                        domain_first = Some(FixAction::Manual {
                            text: "Have the certificate reissued with a DNS name in its CN, then rerun HCW.".to_string(),
                        });
                    }
                } else {
                    settings.push(ConnectorSetting::TlsSenderCertificateName(
                        written.to_string(),
                    ));
                }
            }
        }
        if differences.is_empty() {
            continue;
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
                domain_first
                    .into_iter()
                    .chain(
                        (!settings.is_empty()).then(|| FixAction::SetInboundConnector {
                            connector: c.name.clone(),
                            settings,
                        }),
                    )
                    .collect(),
            )
            .about(c.name.clone()),
        );
    }
}

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
                if names.is_empty() { "it has no DNS names for host matching".to_string() } else { format!("its names for host matching: {}", names.join(", ")) }
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
