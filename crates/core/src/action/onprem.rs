//! The on-premises actions in words and PowerShell (Exchange Management Shell): the send
//! connector's settings, a new send connector, a certificate to install or enable.

use super::FixAction;
use crate::model::{SendConnector, SendSetting};

/// A send connector setting as Set-SendConnector and New-SendConnector write it.
pub fn send_setting_powershell(s: &SendSetting) -> String {
    use super::quote::{ps_bool, ps_quote};
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
    use super::quote::ps_quote;
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
    match action {
        FixAction::SetSendConnector {
            connector,
            settings,
        } => {
            let what: Vec<String> = settings.iter().map(send_setting_powershell).collect();
            let mut text = format!(
                "On premises, change send connector \"{}\": {}.",
                connector,
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
            &connector.name
        ),
        FixAction::InstallCertificate {
            server, thumbprint, ..
        } => format!(
            "On premises, import the certificate {thumbprint} with its private key on {} and enable it for SMTP (export it as a .pfx from a server that holds it: Export-ExchangeCertificate -Thumbprint {thumbprint} -BinaryEncoded -Password …).",
            server
        ),
        FixAction::EnableCertificateForSmtp {
            server, thumbprint, ..
        } => format!(
            "On premises, enable the certificate {thumbprint} for SMTP on {}.",
            server
        ),
        _ => String::new(),
    }
}
