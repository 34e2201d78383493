//! The on-premises side (docs/checks.md, "On premises"): Exchange Server's send and receive connectors
//! (`Get-SendConnector`, `Get-ReceiveConnector`) and each transport server's Exchange
//! certificates (`Get-ExchangeCertificate -Server`), as the scenario holds them.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::cert::CertFacts;

/// `AllowedServices`, the flags `Get-ExchangeCertificate` shows as `Services`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Services(pub u32);

impl Services {
    pub const NAMES: [(u32, &'static str); 7] = [
        (1, "IMAP"),
        (2, "POP"),
        (4, "UM"),
        (8, "IIS"),
        (16, "SMTP"),
        (32, "Federation"),
        (64, "UMCallRouter"),
    ];

    pub fn smtp(self) -> bool {
        self.0 & 16 != 0
    }

    /// As Exchange prints it: `IMAP, POP, IIS, SMTP`, or `None`.
    pub fn names(self) -> String {
        let names: Vec<&str> = Self::NAMES
            .iter()
            .filter(|(bit, _)| self.0 & bit != 0)
            .map(|(_, n)| *n)
            .collect();
        if names.is_empty() {
            "None".to_string()
        } else {
            names.join(", ")
        }
    }
}

impl std::fmt::Display for Services {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.names())
    }
}

/// A send connector's `TlsAuthLevel`: how it checks the certificate of the host it sends to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TlsAuthLevel {
    EncryptionOnly,
    CertificateValidation,
    DomainValidation,
}

impl TlsAuthLevel {
    /// The documented values (Set-SendConnector) with the numbers `ConvertTo-Json` and
    /// Export-Clixml write: CertificateValidation is 2 in Exchange's own exports; 1 and 4
    /// follow the same flags as Exchange Online's `TlsSettings`.
    pub const NUMBERS: [(i64, &'static str); 3] = [
        (1, "EncryptionOnly"),
        (2, "CertificateValidation"),
        (4, "DomainValidation"),
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TlsAuthLevel::EncryptionOnly => "EncryptionOnly",
            TlsAuthLevel::CertificateValidation => "CertificateValidation",
            TlsAuthLevel::DomainValidation => "DomainValidation",
        }
    }

    pub fn from_name(name: &str) -> Option<TlsAuthLevel> {
        match name {
            "EncryptionOnly" => Some(TlsAuthLevel::EncryptionOnly),
            "CertificateValidation" => Some(TlsAuthLevel::CertificateValidation),
            "DomainValidation" => Some(TlsAuthLevel::DomainValidation),
            _ => None,
        }
    }
}

impl std::fmt::Display for TlsAuthLevel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The `TlsDomain` HCW writes and Exchange Online's certificate carries.
pub const EXO_TLS_DOMAIN: &str = "mail.protection.outlook.com";

fn yes() -> bool {
    true
}

fn is_true(b: &bool) -> bool {
    *b
}

fn any_address_space() -> Vec<String> {
    vec!["*".to_string()]
}

fn domain_validation() -> Option<TlsAuthLevel> {
    Some(TlsAuthLevel::DomainValidation)
}

fn exo_tls_domain() -> Option<String> {
    Some(EXO_TLS_DOMAIN.to_string())
}

/// An on-premises send connector (`Get-SendConnector`). In a scenario file the defaults
/// are the settings of a connector that relays through Exchange Online as HCW sets up its
/// TLS (the fix of docs/checks.md, "On premises"), so only `name`, `smart_hosts` and
/// `tls_certificate_name` need writing; the importers use the cmdlet's own defaults.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SendConnector {
    pub name: String,
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub enabled: bool,
    /// As written (`SMTP:*;1`, `*`, `contoso.com`); see [`address_space_domain`].
    #[serde(default = "any_address_space")]
    pub address_spaces: Vec<String>,
    /// Host names or IP addresses, as written.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub smart_hosts: Vec<String>,
    #[serde(default)]
    pub dns_routing_enabled: bool,
    #[serde(default = "yes")]
    pub require_tls: bool,
    /// `None` (`~` in YAML): not set.
    #[serde(default = "domain_validation")]
    pub tls_auth_level: Option<TlsAuthLevel>,
    #[serde(default = "exo_tls_domain")]
    pub tls_domain: Option<String>,
    /// `<I>issuer<S>subject`, kept as written: a malformed value is a finding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_certificate_name: Option<String>,
    #[serde(default = "yes")]
    pub cloud_services_mail_enabled: bool,
    /// Server names, as Exchange shows them (`EX01`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub source_transport_servers: Vec<String>,
    /// The name the connector gives in EHLO.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fqdn: Option<String>,
}

impl SendConnector {
    /// A connector with the cmdlet's defaults: enabled, routing by MX, no TLS settings.
    pub fn new(name: impl Into<String>) -> Self {
        SendConnector {
            name: name.into(),
            enabled: true,
            address_spaces: Vec::new(),
            smart_hosts: Vec::new(),
            dns_routing_enabled: true,
            require_tls: false,
            tls_auth_level: None,
            tls_domain: None,
            tls_certificate_name: None,
            cloud_services_mail_enabled: false,
            source_transport_servers: Vec::new(),
            fqdn: None,
        }
    }

    /// The TlsCertificateName as written, trimmed; `None` when unset or blank.
    pub fn tls_certificate_name_text(&self) -> Option<&str> {
        self.tls_certificate_name
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
    }
}

/// One send connector setting, as Set-SendConnector takes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "parameter", content = "value")]
pub enum SendSetting {
    Enabled(bool),
    AddressSpaces(Vec<String>),
    SmartHosts(Vec<String>),
    #[serde(rename = "DNSRoutingEnabled")]
    DnsRoutingEnabled(bool),
    #[serde(rename = "RequireTLS")]
    RequireTls(bool),
    TlsAuthLevel(Option<TlsAuthLevel>),
    TlsDomain(Option<String>),
    CloudServicesMailEnabled(bool),
    TlsCertificateName(Option<String>),
    SourceTransportServers(Vec<String>),
}

impl SendSetting {
    /// Gives the connector this setting.
    pub fn apply(&self, c: &mut SendConnector) {
        match self {
            SendSetting::Enabled(v) => c.enabled = *v,
            SendSetting::AddressSpaces(v) => c.address_spaces = v.clone(),
            SendSetting::SmartHosts(v) => c.smart_hosts = v.clone(),
            SendSetting::DnsRoutingEnabled(v) => c.dns_routing_enabled = *v,
            SendSetting::RequireTls(v) => c.require_tls = *v,
            SendSetting::TlsAuthLevel(v) => c.tls_auth_level = *v,
            SendSetting::TlsDomain(v) => c.tls_domain = v.clone(),
            SendSetting::CloudServicesMailEnabled(v) => c.cloud_services_mail_enabled = *v,
            SendSetting::TlsCertificateName(v) => c.tls_certificate_name = v.clone(),
            SendSetting::SourceTransportServers(v) => c.source_transport_servers = v.clone(),
        }
    }

    /// The settings that differ between two connectors, in Set-SendConnector's usual order.
    pub fn between(from: &SendConnector, to: &SendConnector) -> Vec<SendSetting> {
        let mut out = Vec::new();
        if from.enabled != to.enabled {
            out.push(SendSetting::Enabled(to.enabled));
        }
        if from.address_spaces != to.address_spaces {
            out.push(SendSetting::AddressSpaces(to.address_spaces.clone()));
        }
        if from.smart_hosts != to.smart_hosts {
            out.push(SendSetting::SmartHosts(to.smart_hosts.clone()));
        }
        if from.dns_routing_enabled != to.dns_routing_enabled {
            out.push(SendSetting::DnsRoutingEnabled(to.dns_routing_enabled));
        }
        if from.require_tls != to.require_tls {
            out.push(SendSetting::RequireTls(to.require_tls));
        }
        if from.tls_auth_level != to.tls_auth_level {
            out.push(SendSetting::TlsAuthLevel(to.tls_auth_level));
        }
        if from.tls_domain != to.tls_domain {
            out.push(SendSetting::TlsDomain(to.tls_domain.clone()));
        }
        if from.tls_certificate_name != to.tls_certificate_name {
            out.push(SendSetting::TlsCertificateName(
                to.tls_certificate_name.clone(),
            ));
        }
        if from.cloud_services_mail_enabled != to.cloud_services_mail_enabled {
            out.push(SendSetting::CloudServicesMailEnabled(
                to.cloud_services_mail_enabled,
            ));
        }
        if from.source_transport_servers != to.source_transport_servers {
            out.push(SendSetting::SourceTransportServers(
                to.source_transport_servers.clone(),
            ));
        }
        out
    }
}

/// The domain of an SMTP address space, lower-case (`SMTP:*;1` → `*`, `smtp:contoso.com;1`
/// → `contoso.com`, `*.contoso.com` stays); `None` for other address types (X400:…).
pub fn address_space_domain(text: &str) -> Option<String> {
    let t = text.trim();
    let t = match t.split_once(':') {
        Some((kind, rest)) if kind.eq_ignore_ascii_case("smtp") => rest,
        Some(_) => return None,
        None => t,
    };
    let domain = t.split(';').next().unwrap_or(t).trim();
    (!domain.is_empty()).then(|| crate::names::normalize(domain))
}

/// Whether an address space domain covers a recipient domain: `*` covers every domain,
/// `*.contoso.com` contoso.com and every name under it, `contoso.com` only itself.
pub fn address_space_covers(space: &str, domain: &str) -> bool {
    if space == "*" {
        return true;
    }
    match space.strip_prefix("*.") {
        Some(base) => {
            domain == base
                || domain
                    .strip_suffix(base)
                    .is_some_and(|rest| rest.ends_with('.'))
        }
        None => space == domain,
    }
}

/// An on-premises receive connector (`Get-ReceiveConnector`): read and shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReceiveConnector {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server: Option<String>,
    /// `HubTransport`, `FrontendTransport` (as written).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transport_role: Option<String>,
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub enabled: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fqdn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_certificate_name: Option<String>,
    /// `contoso.mail.onmicrosoft.com:AcceptCloudServicesMail`: set on the connector HCW
    /// prepares for mail from Exchange Online.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tls_domain_capabilities: Vec<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub require_tls: bool,
}

impl ReceiveConnector {
    pub fn new(name: impl Into<String>) -> Self {
        ReceiveConnector {
            name: name.into(),
            server: None,
            transport_role: None,
            enabled: true,
            fqdn: None,
            tls_certificate_name: None,
            tls_domain_capabilities: Vec::new(),
            require_tls: false,
        }
    }
}

/// A send or receive connector's `TlsCertificateName`: `<I>issuer<S>subject`, the DNs as
/// Exchange writes them (`CN=R3, O=Let's Encrypt, C=US`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsCertificateName {
    pub issuer: String,
    pub subject: String,
}

impl TlsCertificateName {
    /// Reads `<I>issuer<S>subject` (the tags in either case, as HealthChecker accepts
    /// them); `None` when the value has another shape or an empty part.
    pub fn parse(text: &str) -> Option<TlsCertificateName> {
        let t = text.trim();
        let rest = t.get(..3).filter(|p| p.eq_ignore_ascii_case("<I>"))?;
        let rest = &t[rest.len()..];
        let at = rest.to_ascii_lowercase().find("<s>")?;
        let issuer = rest[..at].trim();
        let subject = rest[at + 3..].trim();
        if issuer.is_empty() || subject.is_empty() {
            return None;
        }
        Some(TlsCertificateName {
            issuer: issuer.to_string(),
            subject: subject.to_string(),
        })
    }

    /// The certificate with this issuer and subject: the DNs compared as HealthChecker's
    /// Cloud Connector Check does (PowerShell's `-eq`: whole strings, ignoring case).
    pub fn names(&self, issuer: &str, subject: &str) -> bool {
        fn same(a: &str, b: &str) -> bool {
            a.trim().to_lowercase() == b.trim().to_lowercase()
        }
        same(&self.issuer, issuer) && same(&self.subject, subject)
    }

    pub fn text(&self) -> String {
        crate::cert::dn::tls_certificate_name(&self.issuer, &self.subject)
    }
}

impl std::fmt::Display for TlsCertificateName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text())
    }
}

/// The server part of a certificate's `Identity` (`EX01\5FC3…` → `EX01`); `None` when the
/// identity names no server.
pub fn identity_server(identity: &str) -> Option<&str> {
    let (server, thumbprint) = identity.trim().rsplit_once('\\')?;
    let server = server.trim();
    let is_thumbprint = thumbprint.len() == 40 && thumbprint.chars().all(|c| c.is_ascii_hexdigit());
    (is_thumbprint && !server.is_empty()).then_some(server)
}

/// Whether two names mean the same Exchange server: `WIN-CTD3L0RGEN4` and
/// `win-ctd3l0rgen4.exlab.dom` do (a certificate's Identity may carry the FQDN while a
/// connector's SourceTransportServers carry the short name).
pub fn same_server(a: &str, b: &str) -> bool {
    let host = |s: &str| -> String {
        let s = s.trim();
        s.split('.').next().unwrap_or(s).to_lowercase()
    };
    !a.trim().is_empty() && host(a) == host(b)
}

/// One Exchange certificate installed on a transport server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerCertificate {
    /// SHA-1, upper-case hex.
    pub thumbprint: String,
    /// As Exchange shows them.
    pub subject: String,
    pub issuer: String,
    pub not_before: OffsetDateTime,
    pub not_after: OffsetDateTime,
    /// `None` when the export does not say.
    pub services: Option<Services>,
    pub self_signed: bool,
    /// `None` when the export does not say.
    pub has_private_key: Option<bool>,
    /// What the certificate itself says (from RawData).
    pub facts: Option<Arc<CertFacts>>,
}

impl ServerCertificate {
    /// The entry for a certificate read from its bytes.
    pub fn from_facts(
        facts: Arc<CertFacts>,
        services: Option<Services>,
        has_private_key: Option<bool>,
    ) -> Self {
        let key_known = match facts.private_key {
            crate::cert::PrivateKeyStatus::Matches => Some(true),
            _ => None,
        };
        ServerCertificate {
            thumbprint: facts.thumbprint.clone(),
            subject: facts.subject.clone(),
            issuer: facts.issuer.clone(),
            not_before: facts.not_before,
            not_after: facts.not_after,
            services,
            self_signed: facts.self_signed,
            has_private_key: has_private_key.or(key_known),
            facts: Some(facts),
        }
    }

    pub fn is_within_validity(&self, now: OffsetDateTime) -> bool {
        now >= self.not_before && now < self.not_after
    }

    /// `<I>issuer<S>subject` for this certificate.
    pub fn tls_certificate_name(&self) -> String {
        crate::cert::dn::tls_certificate_name(&self.issuer, &self.subject)
    }
}

/// A transport server and the Exchange certificates installed on it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TransportServer {
    pub name: String,
    /// The certificate files as the scenario names them (kept to save the scenario back).
    pub files: Vec<String>,
    pub certificates: Vec<ServerCertificate>,
}

impl TransportServer {
    pub fn new(name: impl Into<String>) -> Self {
        TransportServer {
            name: name.into(),
            ..TransportServer::default()
        }
    }
}

/// The scenario file's shape of a server: its name and its certificate files.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct TransportServerFile {
    name: String,
    #[serde(default)]
    certificates: Vec<String>,
}

impl Serialize for TransportServer {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        TransportServerFile {
            name: self.name.clone(),
            certificates: self.files.clone(),
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for TransportServer {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let f = TransportServerFile::deserialize(d)?;
        if f.name.trim().is_empty() {
            return Err(serde::de::Error::custom("a server needs a name"));
        }
        Ok(TransportServer {
            name: f.name,
            files: f.certificates,
            certificates: Vec::new(),
        })
    }
}

impl super::OnPremises {
    /// What is known of the on-premises side, for a report's first line
    /// (`2 send connectors, 5 receive connectors, the certificates of 2 servers`); `None`
    /// when nothing is.
    pub fn summary(&self) -> Option<String> {
        let count = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
        let mut parts = Vec::new();
        if let Some(c) = &self.send_connectors {
            parts.push(count(c.len(), "send connector"));
        }
        if let Some(c) = &self.receive_connectors {
            parts.push(count(c.len(), "receive connector"));
        }
        if !self.servers.is_empty() {
            parts.push(format!(
                "the certificates of {}",
                count(self.servers.len(), "server")
            ));
        }
        (!parts.is_empty()).then(|| parts.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn services_names() {
        assert_eq!(Services(27).names(), "IMAP, POP, IIS, SMTP");
        assert_eq!(Services(0).names(), "None");
        assert!(Services(24).smtp());
    }

    #[test]
    fn tls_certificate_name_shapes() {
        let n = TlsCertificateName::parse("<I>CN=R3, O=Let's Encrypt, C=US<S>CN=mail.contoso.com")
            .unwrap();
        assert_eq!(n.issuer, "CN=R3, O=Let's Encrypt, C=US");
        assert_eq!(n.subject, "CN=mail.contoso.com");
        assert!(n.names("cn=r3, o=let's encrypt, c=us", "CN=MAIL.contoso.com"));
        assert!(!n.names("CN=R3", "CN=mail.contoso.com"));
        assert!(TlsCertificateName::parse("<i>CN=a<s>CN=b").is_some());
        for bad in [
            "CN=a",
            "<I>CN=a",
            "<I><S>CN=b",
            "<I>CN=a<S>",
            "<S>CN=b<I>CN=a",
            "",
        ] {
            assert!(TlsCertificateName::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn address_spaces_and_cover() {
        assert_eq!(address_space_domain("SMTP:*;1").as_deref(), Some("*"));
        assert_eq!(
            address_space_domain("smtp:Contoso.com;10").as_deref(),
            Some("contoso.com")
        );
        assert_eq!(
            address_space_domain("*.contoso.com").as_deref(),
            Some("*.contoso.com")
        );
        assert_eq!(address_space_domain("X400:c=US;a=;p=Contoso;1"), None);
        assert!(address_space_covers("*", "fabrikam.com"));
        assert!(address_space_covers("*.contoso.com", "contoso.com"));
        assert!(address_space_covers("*.contoso.com", "a.b.contoso.com"));
        assert!(!address_space_covers("*.contoso.com", "notcontoso.com"));
        assert!(!address_space_covers("contoso.com", "a.contoso.com"));
    }

    #[test]
    fn identities_and_servers() {
        assert_eq!(
            identity_server("EX01\\5FC346C96D1C5BA964C29526537AF0FED0006FD4"),
            Some("EX01")
        );
        assert_eq!(
            identity_server("5FC346C96D1C5BA964C29526537AF0FED0006FD4"),
            None
        );
        assert_eq!(identity_server("EX01\\not-a-thumbprint"), None);
        assert!(same_server("WIN-CTD3L0RGEN4", "win-ctd3l0rgen4.exlab.dom"));
        assert!(!same_server("EX01", "EX02"));
        assert!(!same_server("", ""));
    }
}
