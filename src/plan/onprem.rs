//! The on-premises part of the plan (domain-rules.md §11; docs/checks.md, "The plan"): the
//! send connector that relays through Exchange Online gets the smart host and TLS settings
//! HCW gives it and presents the selected certificate, and every one of its source servers
//! holds that certificate, enabled for SMTP. Without on-premises data nothing changes here:
//! relaycheck cannot know what is there.

use time::OffsetDateTime;

use super::action::FixAction;
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

/// A send connector setting as Set-SendConnector and New-SendConnector write it.
pub fn send_setting_powershell(s: &SendSetting) -> String {
    use super::action::{ps_bool, ps_quote};
    let list = |v: &[String]| -> String {
        if v.is_empty() {
            "$null".to_string()
        } else {
            v.iter().map(|x| ps_quote(x)).collect::<Vec<_>>().join(",")
        }
    };
    match s {
        SendSetting::Enabled(v) => format!("-Enabled {}", ps_bool(*v)),
        SendSetting::AddressSpaces(v) => format!("-AddressSpaces {}", list(v)),
        SendSetting::SmartHosts(v) => format!("-SmartHosts {}", list(v)),
        SendSetting::DnsRoutingEnabled(v) => format!("-DNSRoutingEnabled {}", ps_bool(*v)),
        SendSetting::RequireTls(v) => format!("-RequireTLS {}", ps_bool(*v)),
        SendSetting::TlsAuthLevel(Some(l)) => format!("-TlsAuthLevel {l}"),
        SendSetting::TlsAuthLevel(None) => "-TlsAuthLevel $null".to_string(),
        SendSetting::TlsDomain(Some(d)) => format!("-TlsDomain {}", ps_quote(d)),
        SendSetting::TlsDomain(None) => "-TlsDomain $null".to_string(),
        SendSetting::CloudServicesMailEnabled(v) => {
            format!("-CloudServicesMailEnabled {}", ps_bool(*v))
        }
        SendSetting::TlsCertificateName(Some(n)) => format!("-TlsCertificateName {}", ps_quote(n)),
        SendSetting::TlsCertificateName(None) => "-TlsCertificateName $null".to_string(),
        SendSetting::SourceTransportServers(v) => {
            format!("-SourceTransportServers {}", list(v))
        }
    }
}

/// The settings a new send connector is created with (New-SendConnector's parameters).
fn new_connector_settings(c: &SendConnector) -> Vec<SendSetting> {
    let mut out = vec![
        SendSetting::AddressSpaces(c.address_spaces.clone()),
        SendSetting::SmartHosts(c.smart_hosts.clone()),
        SendSetting::DnsRoutingEnabled(c.dns_routing_enabled),
        SendSetting::RequireTls(c.require_tls),
    ];
    if c.tls_auth_level.is_some() {
        out.push(SendSetting::TlsAuthLevel(c.tls_auth_level));
    }
    if c.tls_domain.is_some() {
        out.push(SendSetting::TlsDomain(c.tls_domain.clone()));
    }
    out.push(SendSetting::CloudServicesMailEnabled(
        c.cloud_services_mail_enabled,
    ));
    if c.tls_certificate_name.is_some() {
        out.push(SendSetting::TlsCertificateName(
            c.tls_certificate_name.clone(),
        ));
    }
    if !c.source_transport_servers.is_empty() {
        out.push(SendSetting::SourceTransportServers(
            c.source_transport_servers.clone(),
        ));
    }
    out
}

/// The Exchange Management Shell lines of an on-premises action.
pub(super) fn commands(action: &FixAction) -> Vec<String> {
    use super::action::ps_quote;
    let params = |settings: &[SendSetting]| -> String {
        settings
            .iter()
            .map(send_setting_powershell)
            .collect::<Vec<_>>()
            .join(" ")
    };
    match action {
        FixAction::SetSendConnector {
            connector,
            settings,
        } => vec![format!(
            "Set-SendConnector -Identity {} {}",
            ps_quote(connector),
            params(settings)
        )],
        FixAction::NewSendConnector { connector } => vec![format!(
            "New-SendConnector -Name {} {}",
            ps_quote(&connector.name),
            params(&new_connector_settings(connector))
        )],
        FixAction::InstallCertificate {
            server, thumbprint, ..
        } => vec![
            format!(
                "Import-ExchangeCertificate -Server {} -FileData ([System.IO.File]::ReadAllBytes((Read-Host -Prompt 'Path of the .pfx of certificate {thumbprint}'))) -Password (Read-Host -AsSecureString -Prompt 'Password of the .pfx')",
                ps_quote(server)
            ),
            format!(
                "Enable-ExchangeCertificate -Server {} -Thumbprint {thumbprint} -Services SMTP",
                ps_quote(server)
            ),
        ],
        FixAction::EnableCertificateForSmtp {
            server, thumbprint, ..
        } => vec![format!(
            "Enable-ExchangeCertificate -Server {} -Thumbprint {thumbprint} -Services SMTP",
            ps_quote(server)
        )],
        _ => Vec::new(),
    }
}

/// Said with a step that sets a smart host: where the value comes from.
const SMART_HOST_NOTE: &str = " The smart host is the MX host of your accepted domain (Microsoft 365 admin center → Settings → Domains; under mx.microsoft for domains added from July 2026).";

/// An on-premises action in the admin's words.
pub(super) fn describe(action: &FixAction) -> String {
    use crate::text::clean_line;
    match action {
        FixAction::SetSendConnector {
            connector,
            settings,
        } => {
            let what: Vec<String> = settings.iter().map(send_setting_powershell).collect();
            let mut text = format!(
                "On premises, change send connector \"{}\": {}.",
                clean_line(connector),
                what.join(" ")
            );
            if settings
                .iter()
                .any(|s| matches!(s, SendSetting::SmartHosts(_)))
            {
                text.push_str(SMART_HOST_NOTE);
            }
            text
        }
        FixAction::NewSendConnector { connector } => format!(
            "On premises, create send connector \"{}\" that relays all mail to the Internet (address space *) through Exchange Online with TLS as HCW sets it up (or choose to route outbound mail through Exchange Online when you rerun HCW).{SMART_HOST_NOTE}",
            clean_line(&connector.name)
        ),
        FixAction::InstallCertificate {
            server, thumbprint, ..
        } => format!(
            "On premises, import the certificate {thumbprint} with its private key on {} and enable it for SMTP (export it as a .pfx from a server that holds it: Export-ExchangeCertificate -Thumbprint {thumbprint} -BinaryEncoded -Password …).",
            clean_line(server)
        ),
        FixAction::EnableCertificateForSmtp {
            server, thumbprint, ..
        } => format!(
            "On premises, enable the certificate {thumbprint} for SMTP on {}.",
            clean_line(server)
        ),
        _ => String::new(),
    }
}
