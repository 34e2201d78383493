//! The scenario: everything that decides whether Exchange Online relays on-premises mail.
//! These types are both the in-memory model the wizard edits and the YAML scenario format.

pub mod edit;
mod ip;

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::cert::CertFacts;
use crate::names::{self, DnsName, EmailAddress};

pub use edit::Edit;
pub use ip::{IpProblem, IpRange};

/// Exchange Online's limit on accepted domains per tenant.
pub const ACCEPTED_DOMAIN_LIMIT: usize = 5000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
pub enum DomainType {
    #[default]
    Authoritative,
    InternalRelay,
    ExternalRelay,
}

/// Accepts the names and Exchange's enum numbers (Authoritative = 0, ExternalRelay = 1,
/// InternalRelay = 2), as `Get-AcceptedDomain | ConvertTo-Json` may write them.
impl<'de> Deserialize<'de> for DomainType {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Number(u64),
            Text(String),
        }
        let bad = |what: String| {
            serde::de::Error::custom(format!(
                "{what} is not an accepted domain type (Authoritative, InternalRelay, ExternalRelay, or 0, 2, 1)"
            ))
        };
        match Raw::deserialize(d)? {
            Raw::Number(0) => Ok(DomainType::Authoritative),
            Raw::Number(1) => Ok(DomainType::ExternalRelay),
            Raw::Number(2) => Ok(DomainType::InternalRelay),
            Raw::Number(n) => Err(bad(n.to_string())),
            Raw::Text(t) => match t.to_ascii_lowercase().as_str() {
                "authoritative" => Ok(DomainType::Authoritative),
                "internalrelay" => Ok(DomainType::InternalRelay),
                "externalrelay" => Ok(DomainType::ExternalRelay),
                _ => Err(bad(format!("\"{t}\""))),
            },
        }
    }
}

impl DomainType {
    pub fn as_str(self) -> &'static str {
        match self {
            DomainType::Authoritative => "Authoritative",
            DomainType::InternalRelay => "InternalRelay",
            DomainType::ExternalRelay => "ExternalRelay",
        }
    }
}

fn yes() -> bool {
    true
}

fn is_true(b: &bool) -> bool {
    *b
}

fn is_false(b: &bool) -> bool {
    !*b
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AcceptedDomain {
    pub domain: DnsName,
    #[serde(rename = "type", default)]
    pub domain_type: DomainType,
    #[serde(default = "yes")]
    pub verified: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub default: bool,
}

impl AcceptedDomain {
    pub fn new(domain: DnsName) -> Self {
        AcceptedDomain {
            domain,
            domain_type: DomainType::Authoritative,
            verified: true,
            default: false,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tenant {
    #[serde(default)]
    pub accepted_domains: Vec<AcceptedDomain>,
}

/// What the tenant knows about a name, found by hash look-up (never a scan of the list).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DomainStatus {
    Verified,
    Unverified,
    Absent,
}

/// A hash index over the accepted domains, built once per validation.
pub struct DomainIndex<'a> {
    by_name: HashMap<&'a str, &'a AcceptedDomain>,
}

impl<'a> DomainIndex<'a> {
    pub fn new(tenant: &'a Tenant) -> Self {
        let mut by_name = HashMap::with_capacity(tenant.accepted_domains.len());
        for d in &tenant.accepted_domains {
            // A duplicate entry counts as verified when any copy is.
            by_name
                .entry(d.domain.as_str())
                .and_modify(|e: &mut &AcceptedDomain| {
                    if d.verified && !e.verified {
                        *e = d;
                    }
                })
                .or_insert(d);
        }
        DomainIndex { by_name }
    }

    pub fn status(&self, name: &str) -> DomainStatus {
        match self.by_name.get(name) {
            Some(d) if d.verified => DomainStatus::Verified,
            Some(_) => DomainStatus::Unverified,
            None => DomainStatus::Absent,
        }
    }

    /// `name ∈ AD`: an accepted domain whose verification is complete.
    pub fn is_verified(&self, name: &str) -> bool {
        self.status(name) == DomainStatus::Verified
    }

    /// The closest verified accepted domain among `name` and its ancestors, looked up
    /// label suffix by label suffix.
    pub fn closest_verified_ancestor<'n>(&self, name: &'n str) -> Option<&'n str> {
        let mut current = Some(name);
        while let Some(candidate) = current {
            if self.is_verified(candidate) {
                return Some(candidate);
            }
            current = names::parent(candidate);
        }
        None
    }

    pub fn len(&self) -> usize {
        self.by_name.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_name.is_empty()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum ConnectorType {
    #[default]
    OnPremises,
    Partner,
}

impl ConnectorType {
    pub fn as_str(self) -> &'static str {
        match self {
            ConnectorType::OnPremises => "OnPremises",
            ConnectorType::Partner => "Partner",
        }
    }
}

/// An Exchange Online inbound connector (`Get-InboundConnector`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InboundConnector {
    pub name: String,
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub enabled: bool,
    #[serde(default)]
    pub connector_type: ConnectorType,
    /// Kept as typed: a wrong value is a finding (`connector-tscn-invalid`), not a load error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_sender_certificate_name: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sender_ip_addresses: Vec<IpRange>,
    #[serde(default = "yes")]
    pub require_tls: bool,
    #[serde(default = "yes")]
    pub cloud_services_mail_enabled: bool,
}

impl InboundConnector {
    pub fn new(name: impl Into<String>) -> Self {
        InboundConnector {
            name: name.into(),
            enabled: true,
            connector_type: ConnectorType::OnPremises,
            tls_sender_certificate_name: None,
            sender_ip_addresses: Vec::new(),
            require_tls: true,
            cloud_services_mail_enabled: true,
        }
    }

    /// The TSCN as typed, with surrounding blanks removed; `None` when unset or blank.
    pub fn tscn_text(&self) -> Option<&str> {
        self.tls_sender_certificate_name
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
    }

    pub fn is_active_on_premises(&self) -> bool {
        self.enabled && self.connector_type == ConnectorType::OnPremises
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OnPremises {
    /// The FQDN Exchange Online connects to (HCW "Organization FQDN", the outbound
    /// connector's SmartHosts / TlsDomain).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_fqdn: Option<DnsName>,
    /// The public address the on-premises server relays from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip: Option<std::net::IpAddr>,
}

/// The envelope sender (P1 `MAIL FROM`); empty is the null sender of an NDR.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailFrom(pub Option<EmailAddress>);

impl MailFrom {
    pub fn parse(text: &str) -> Result<Self, names::NameError> {
        let t = text.trim();
        if t.is_empty() || t == "<>" {
            Ok(MailFrom(None))
        } else {
            EmailAddress::parse(t).map(|a| MailFrom(Some(a)))
        }
    }

    pub fn domain(&self) -> Option<&DnsName> {
        self.0.as_ref().map(EmailAddress::domain)
    }

    /// SMTP form: `<>` for the null sender.
    pub fn display(&self) -> String {
        match &self.0 {
            Some(a) => a.to_string(),
            None => "<>".to_string(),
        }
    }

    pub fn as_text(&self) -> &str {
        self.0.as_ref().map_or("", EmailAddress::as_str)
    }
}

impl Serialize for MailFrom {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_text())
    }
}

impl<'de> Deserialize<'de> for MailFrom {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = Option::<String>::deserialize(d)?.unwrap_or_default();
        MailFrom::parse(&text).map_err(serde::de::Error::custom)
    }
}

impl Serialize for EmailAddress {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for EmailAddress {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        EmailAddress::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// One message the on-premises server hands to Exchange Online.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Message {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default = "null_sender")]
    pub mail_from: MailFrom,
    pub rcpt_to: EmailAddress,
}

fn null_sender() -> MailFrom {
    MailFrom(None)
}

impl Message {
    pub fn new(name: &str, mail_from: &str, rcpt_to: &str) -> Result<Self, names::NameError> {
        Ok(Message {
            name: Some(name.to_string()),
            mail_from: MailFrom::parse(mail_from)?,
            rcpt_to: EmailAddress::parse(rcpt_to)?,
        })
    }

    /// The name to show: the given one, or `sender → recipient`.
    pub fn title(&self) -> String {
        match &self.name {
            Some(n) if !n.trim().is_empty() => n.clone(),
            _ => format!("{} → {}", self.mail_from.display(), self.rcpt_to),
        }
    }
}

/// How a certificate came into the scenario; kept so that a saved scenario points at the
/// same source again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CertificateSource {
    /// A file, with an optional separate private key file (paths as written in the scenario).
    File {
        path: String,
        key: Option<String>,
        /// For a PKCS#12 file: the environment variable holding its password (never the
        /// password itself).
        password_env: Option<String>,
    },
    /// Made at load time from a `generate:` block (kept verbatim to save it back).
    Generated(serde_yaml::Value),
}

/// A candidate certificate with its facts, parsed and verified once at load.
#[derive(Debug, Clone)]
pub struct CertificateEntry {
    pub source: CertificateSource,
    pub facts: Arc<CertFacts>,
}

/// The whole scenario, resolved: certificates are loaded, names are checked.
#[derive(Debug, Clone, Default)]
pub struct Scenario {
    pub tenant: Tenant,
    pub certificates: Vec<CertificateEntry>,
    /// Index into `certificates` of the one the on-premises server presents.
    pub selected_certificate: Option<usize>,
    pub inbound_connectors: Vec<InboundConnector>,
    pub on_premises: OnPremises,
    /// Empty means "the four default messages" (domain-rules.md section 7).
    pub messages: Vec<Message>,
}

impl Scenario {
    pub fn certificate(&self) -> Option<&CertFacts> {
        self.selected_certificate
            .and_then(|i| self.certificates.get(i))
            .map(|e| e.facts.as_ref())
    }

    /// The tenant's default verified domain: the one marked default if it is verified,
    /// else the first verified one, else the first accepted one.
    pub fn default_domain(&self) -> Option<&DnsName> {
        let domains = &self.tenant.accepted_domains;
        domains
            .iter()
            .find(|d| d.default && d.verified)
            .or_else(|| domains.iter().find(|d| d.verified))
            .or_else(|| domains.first())
            .map(|d| &d.domain)
    }

    /// A verified domain of the organisation's own (not `*.onmicrosoft.com`), for
    /// suggestions such as "reissue the certificate for mail.<domain>".
    pub fn own_domain(&self) -> Option<&DnsName> {
        let own =
            |d: &&AcceptedDomain| d.verified && !d.domain.as_str().ends_with(".onmicrosoft.com");
        let domains = &self.tenant.accepted_domains;
        domains
            .iter()
            .filter(own)
            .find(|d| d.default)
            .or_else(|| domains.iter().find(own))
            .map(|d| &d.domain)
    }

    /// The messages to simulate: the scenario's, or the four defaults.
    pub fn effective_messages(&self) -> Vec<Message> {
        if self.messages.is_empty() {
            default_messages(self.default_domain().map(DnsName::as_str))
        } else {
            self.messages.clone()
        }
    }
}

/// The four messages of seed 002's scenarios, sent from the tenant's default domain `d`.
pub fn default_messages(d: Option<&str>) -> Vec<Message> {
    let d = d.unwrap_or("contoso.com");
    let rows = [
        (
            "User mail to the Internet",
            format!("user@{d}"),
            "someone@tailspintoys.com",
        ),
        (
            "NDR to an external sender",
            String::new(),
            "john@fabrikam.com",
        ),
        (
            "Mail sent as a domain the tenant does not own",
            "user@fabrikam.com".to_string(),
            "someone@tailspintoys.com",
        ),
        (
            "Forwarded external mail",
            "john@fabrikam.com".to_string(),
            "kate@tailspintoys.com",
        ),
    ];
    rows.iter()
        .filter_map(|(name, from, to)| Message::new(name, from, to).ok())
        .collect()
}

impl fmt::Display for ConnectorType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for DomainType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tenant(domains: &[(&str, bool)]) -> Tenant {
        Tenant {
            accepted_domains: domains
                .iter()
                .map(|(d, v)| AcceptedDomain {
                    verified: *v,
                    ..AcceptedDomain::new(DnsName::parse(d).unwrap())
                })
                .collect(),
        }
    }

    #[test]
    fn index_distinguishes_verified_unverified_absent() {
        let t = tenant(&[("contoso.com", true), ("fabrikam.com", false)]);
        let idx = DomainIndex::new(&t);
        assert_eq!(idx.status("contoso.com"), DomainStatus::Verified);
        assert_eq!(idx.status("fabrikam.com"), DomainStatus::Unverified);
        assert_eq!(idx.status("sub.contoso.com"), DomainStatus::Absent);
    }

    #[test]
    fn closest_verified_ancestor_walks_label_suffixes() {
        let t = tenant(&[("contoso.com", true), ("sub.contoso.com", false)]);
        let idx = DomainIndex::new(&t);
        assert_eq!(
            idx.closest_verified_ancestor("a.sub.contoso.com"),
            Some("contoso.com")
        );
        assert_eq!(idx.closest_verified_ancestor("fabrikam.com"), None);
    }

    #[test]
    fn default_domain_prefers_verified_default() {
        let mut t = tenant(&[("a.com", true), ("b.com", false), ("c.com", true)]);
        t.accepted_domains[1].default = true;
        t.accepted_domains[2].default = true;
        let s = Scenario {
            tenant: t,
            ..Scenario::default()
        };
        assert_eq!(s.default_domain().map(DnsName::as_str), Some("c.com"));
    }

    #[test]
    fn four_default_messages_use_the_default_domain() {
        let m = default_messages(Some("contoso.com"));
        assert_eq!(m.len(), 4);
        assert_eq!(m[0].mail_from.as_text(), "user@contoso.com");
        assert_eq!(m[1].mail_from.0, None);
        assert_eq!(m[1].rcpt_to.as_str(), "john@fabrikam.com");
        assert_eq!(m[2].mail_from.as_text(), "user@fabrikam.com");
        assert_eq!(m[3].rcpt_to.as_str(), "kate@tailspintoys.com");
    }
}
