//! The scenario: everything that decides whether Exchange Online relays on-premises mail.
//! These types are both the in-memory model the wizard edits and the YAML scenario format.

pub mod edit;
pub mod generate;
pub mod history;
mod input;
mod ip;
mod message;
pub mod note;
pub mod onprem;
mod tenant;

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::cert::CertFacts;
use crate::names::DnsName;

pub use edit::{Edit, EditError, Undo};
pub use generate::{GenerateSpec, LabIssuer, LabKey};
pub use history::History;
pub use input::InputFile;
pub use ip::{IpProblem, IpRange};
pub use message::{MailFrom, Message, MessageKind, default_messages};
pub use note::{Note, NoteKind};
pub use onprem::{
    ReceiveConnector, SendConnector, SendSetting, ServerCertificate, Services, TlsAuthLevel,
    TlsCertificateName, TransportServer,
};
pub use tenant::{
    ACCEPTED_DOMAIN_LIMIT, AcceptedDomain, DomainStatus, DomainType, Tenant, is_initial_domain,
};

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
    /// `Get-SendConnector`; `None`: not known (an empty list: there are none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub send_connectors: Option<Vec<SendConnector>>,
    /// `Get-ReceiveConnector`; `None`: not known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receive_connectors: Option<Vec<ReceiveConnector>>,
    /// The transport servers whose certificates are known (`Get-ExchangeCertificate -Server`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub servers: Vec<TransportServer>,
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
    /// Made at load time from a `generate:` block (kept to save it back).
    Generated(GenerateSpec),
}

/// A candidate certificate with its facts, parsed and verified once at load.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateEntry {
    pub source: CertificateSource,
    pub facts: Arc<CertFacts>,
}

/// The whole scenario, resolved: certificates are loaded, names are checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scenario {
    pub tenant: Tenant,
    pub certificates: Vec<CertificateEntry>,
    /// Index into `certificates` of the one the on-premises server presents.
    pub selected_certificate: Option<usize>,
    pub inbound_connectors: Vec<InboundConnector>,
    pub on_premises: OnPremises,
    /// Empty means "the four default messages" (docs/checks.md, "Rule RELAY").
    pub messages: Vec<Message>,
    /// Roots to treat as trusted (labs and training): `trusted_roots:` of the scenario file.
    pub trusted_roots: Vec<TrustedRoot>,
    /// The files read for it, in order (never written to a scenario file): the reports'
    /// inventory lists them with the certificates' own files.
    pub inputs: Vec<InputFile>,
}

/// A root certificate the scenario trusts (a lab or company CA), as its file names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustedRoot {
    /// The path as the scenario file writes it.
    pub path: String,
    /// The root's subject, as Exchange shows it.
    pub subject: String,
    pub key: crate::cert::chain::RootKey,
}

impl Scenario {
    pub fn certificate(&self) -> Option<&CertFacts> {
        self.selected_certificate
            .and_then(|i| self.certificates.get(i))
            .map(|e| e.facts.as_ref())
    }

    /// The tenant's default verified domain (see [`Tenant::default_domain`]).
    pub fn default_domain(&self) -> Option<&DnsName> {
        self.tenant.default_domain()
    }

    /// A verified domain of the organisation's own (see [`Tenant::own_domain`]).
    pub fn own_domain(&self) -> Option<&DnsName> {
        self.tenant.own_domain()
    }

    /// The domain the tenant's users send from (docs/checks.md, rule RELAY): the default verified
    /// accepted domain, unless that is the initial `*.onmicrosoft.com` one and another
    /// verified domain exists.
    pub fn sending_domain(&self) -> Option<&DnsName> {
        match self.default_domain() {
            Some(d) if is_initial_domain(d) => self.own_domain().or(Some(d)),
            other => other,
        }
    }

    /// The messages to simulate: the scenario's, or the four defaults.
    pub fn effective_messages(&self) -> Vec<Message> {
        if self.messages.is_empty() {
            default_messages(self.sending_domain().map(DnsName::as_str))
        } else {
            self.messages.clone()
        }
    }
}

impl fmt::Display for ConnectorType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
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

#[cfg(test)]
mod tests;
