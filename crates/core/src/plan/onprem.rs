//! The on-premises part of the plan (docs/checks.md, "The plan", step 7): the
//! send connector that relays through Exchange Online gets the smart host and TLS settings
//! HCW gives it and presents the selected certificate, and every one of its source servers
//! holds that certificate, enabled for SMTP. Without on-premises data nothing changes here:
//! relaycheck cannot know what is there.

use time::OffsetDateTime;

use crate::action::FixAction;
use crate::facts::onprem::{self as facts, Holding, SmartHostKind};
use crate::model::onprem::{EXO_TLS_DOMAIN, same_server};
use crate::model::{
    Scenario, SendConnector, SendSetting, ServerCertificate, Services, TlsAuthLevel,
};

/// The name of the send connector the plan creates when none relays (the first not taken).
const NEW_SEND_CONNECTOR: [&str; 3] = [
    "Relay to Exchange Online",
    "Relay to Exchange Online 2",
    "Relay to Exchange Online 3",
];

/// `Services` SMTP bit.
const SMTP: u32 = 16;

/// Moves the on-premises side of `t` to where the plan leads.
pub(super) fn converge(t: &mut Scenario, now: OffsetDateTime) {
    if t.on_premises.send_connectors.is_none() {
        return;
    }
    connectors(t, now);
    servers(t, now);
}

/// What HCW sets on a send connector that relays to Exchange Online.
fn as_hcw_sets_it(c: &mut SendConnector, endpoint: &str) {
    let smart_hosts_work = !c.dns_routing_enabled
        && !c.smart_hosts.is_empty()
        && c.smart_hosts
            .iter()
            .all(|h| facts::smart_host_kind(h) == SmartHostKind::ExchangeOnline);
    if !smart_hosts_work {
        c.smart_hosts = vec![endpoint.to_string()];
        c.dns_routing_enabled = false;
    }
    c.require_tls = true;
    match c.tls_auth_level {
        None | Some(TlsAuthLevel::EncryptionOnly) => {
            c.tls_auth_level = Some(TlsAuthLevel::DomainValidation);
            c.tls_domain = Some(EXO_TLS_DOMAIN.to_string());
        }
        Some(TlsAuthLevel::DomainValidation) => {
            let right = c
                .tls_domain
                .as_deref()
                .is_some_and(|d| crate::names::normalize(d.trim()) == EXO_TLS_DOMAIN);
            if !right {
                c.tls_domain = Some(EXO_TLS_DOMAIN.to_string());
            }
        }
        // HealthChecker accepts it for relaying through Microsoft 365 (§11).
        Some(TlsAuthLevel::CertificateValidation) => {}
    }
    c.cloud_services_mail_enabled = true;
}

fn connectors(t: &mut Scenario, now: OffsetDateTime) {
    let f = facts::compute(t, now);
    let Some(list) = f.send_connectors.as_ref() else {
        return;
    };
    let cert_name = t.certificate().map(|c| c.tls_certificate_name());
    let any_to_exo = list.iter().any(|c| c.enabled && c.to_exchange_online);
    let mut needs_new = !any_to_exo || !f.uncovered_domains.is_empty();
    let mut relay: Vec<usize> = f.relay_connectors().map(|(i, _)| i).collect();
    if needs_new {
        // A connector meant for Exchange Online (CloudServicesMailEnabled, or a Microsoft
        // smart host) that covers every relayed domain is repaired and enabled rather than
        // a second one made: HCW's own "Outbound to Office 365", disabled or pointed at a
        // legacy host.
        let meant = list.iter().position(|c| {
            let microsoft = c.to_exchange_online
                || c.smart_hosts
                    .iter()
                    .any(|h| h.kind == SmartHostKind::MicrosoftLegacy);
            let covers_all = if f.relayed_domains.is_empty() {
                !c.covers.is_empty() || c.relay
            } else {
                c.covers.len() == f.relayed_domains.len()
            };
            microsoft && covers_all
        });
        if let Some(i) = meant {
            needs_new = false;
            if !relay.contains(&i) {
                relay.push(i);
            }
        }
    }
    let presents_selected: Vec<bool> = list
        .iter()
        .map(|c| {
            matches!(
                c.presents,
                facts::Presented::Named {
                    selected: Some(true),
                    ..
                }
            )
        })
        .collect();
    let snapshot = t.clone();
    let servers: Vec<String> = t
        .on_premises
        .servers
        .iter()
        .map(|s| s.name.clone())
        .collect();
    let Some(connectors) = t.on_premises.send_connectors.as_mut() else {
        return;
    };
    for i in relay {
        let endpoint = facts::exo_endpoint(&snapshot, connectors.get(i));
        let Some(c) = connectors.get_mut(i) else {
            continue;
        };
        c.enabled = true;
        as_hcw_sets_it(c, &endpoint);
        if let Some(name) = &cert_name
            && !presents_selected[i]
        {
            c.tls_certificate_name = Some(name.clone());
        }
    }
    if needs_new {
        let taken = |n: &str| connectors.iter().any(|c| c.name.eq_ignore_ascii_case(n));
        let name = NEW_SEND_CONNECTOR
            .into_iter()
            .find(|n| !taken(n))
            .unwrap_or(NEW_SEND_CONNECTOR[2]);
        let mut c = SendConnector::new(name);
        c.address_spaces = vec!["*".to_string()];
        as_hcw_sets_it(&mut c, &facts::exo_endpoint(&snapshot, None));
        c.tls_certificate_name = cert_name;
        c.source_transport_servers = servers;
        connectors.push(c);
    }
}

/// Every source server of a relay connector holds the selected certificate, for SMTP.
fn servers(t: &mut Scenario, now: OffsetDateTime) {
    let Some(cert) = t
        .selected_certificate
        .and_then(|i| t.certificates.get(i))
        .map(|e| e.facts.clone())
    else {
        return;
    };
    let f = facts::compute(t, now);
    for source in &f.source_servers {
        let name = &source.holding.server;
        let put = match &source.holding.holding {
            Holding::Unknown | Holding::Present { .. } => None,
            Holding::Missing | Holding::OutsideValidity { .. } => Some(
                ServerCertificate::from_facts(cert.clone(), Some(Services(SMTP)), Some(true)),
            ),
            Holding::NotForSmtp {
                thumbprint,
                services,
            } => t
                .on_premises
                .servers
                .iter()
                .filter(|s| same_server(&s.name, name))
                .flat_map(|s| &s.certificates)
                .find(|c| c.thumbprint == *thumbprint)
                .map(|c| {
                    let mut c = c.clone();
                    c.services = Some(Services(services.0 | SMTP));
                    c
                }),
        };
        if let Some(certificate) = put
            && let Some(server) = t
                .on_premises
                .servers
                .iter_mut()
                .find(|s| same_server(&s.name, name))
        {
            match server
                .certificates
                .iter_mut()
                .find(|c| c.thumbprint == certificate.thumbprint)
            {
                Some(slot) => *slot = certificate,
                None => server.certificates.push(certificate),
            }
        }
    }
}

/// The on-premises changes from `from` to `to`: certificates first (a send connector can
/// only name a certificate its servers hold), then the send connectors.
pub(super) fn diff(from: &Scenario, to: &Scenario, out: &mut Vec<FixAction>) {
    for server in &to.on_premises.servers {
        let before = from
            .on_premises
            .servers
            .iter()
            .find(|s| same_server(&s.name, &server.name));
        for c in &server.certificates {
            let old =
                before.and_then(|b| b.certificates.iter().find(|o| o.thumbprint == c.thumbprint));
            match old {
                None => out.push(FixAction::InstallCertificate {
                    server: server.name.clone(),
                    thumbprint: c.thumbprint.clone(),
                    certificate: Box::new(c.clone()),
                }),
                Some(o) if o.services != c.services && c.services.is_some_and(Services::smtp) => {
                    out.push(FixAction::EnableCertificateForSmtp {
                        server: server.name.clone(),
                        thumbprint: c.thumbprint.clone(),
                        certificate: Box::new(c.clone()),
                    })
                }
                Some(_) => {}
            }
        }
    }
    let (Some(before), Some(after)) = (
        from.on_premises.send_connectors.as_ref(),
        to.on_premises.send_connectors.as_ref(),
    ) else {
        return;
    };
    for c in after {
        match before.iter().find(|b| b.name.eq_ignore_ascii_case(&c.name)) {
            None => out.push(FixAction::NewSendConnector {
                connector: Box::new(c.clone()),
            }),
            Some(b) => {
                let settings = SendSetting::between(b, c);
                if !settings.is_empty() {
                    out.push(FixAction::SetSendConnector {
                        connector: b.name.clone(),
                        settings,
                    });
                }
            }
        }
    }
}
