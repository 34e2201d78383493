//! The scenario: everything that decides whether Exchange Online relays on-premises mail.
//! These types are both the in-memory model the wizard edits and the YAML scenario format.

pub mod edit;
pub mod generate;
pub mod history;
mod ip;
pub mod note;

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::cert::CertFacts;
use crate::names::{self, DnsName, EmailAddress};

pub use edit::{Edit, EditError, Undo};
pub use generate::{GenerateSpec, LabIssuer, LabKey};
pub use history::History;
pub use ip::{IpProblem, IpRange};
pub use note::{Note, NoteKind};

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

/// What the tenant knows about a name, found by hash look-up (never a scan of the list).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DomainStatus {
    Verified,
    Unverified,
    Absent,
}

impl DomainStatus {
    /// In the admin's words: "verified", "pending verification", "not in the tenant".
    pub fn words(self) -> &'static str {
        match self {
            DomainStatus::Verified => "verified",
            DomainStatus::Unverified => "pending verification",
            DomainStatus::Absent => "not in the tenant",
        }
    }
}

/// The accepted domains with a hash index and the tenant's default domains, kept up to date
/// by every change (only [`Tenant`]'s methods change it), so that validation never scans
/// the list however many domains the tenant has.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct DomainTable {
    list: Vec<AcceptedDomain>,
    /// Name → position in `list`. Names are unique: duplicates are merged on the way in.
    index: HashMap<DnsName, usize>,
    /// Position of [`Tenant::default_domain`].
    default_domain: Option<usize>,
    /// Position of [`Tenant::own_domain`].
    own_domain: Option<usize>,
}

impl DomainTable {
    fn from_list(domains: Vec<AcceptedDomain>) -> Self {
        let mut t = DomainTable {
            list: Vec::with_capacity(domains.len()),
            ..DomainTable::default()
        };
        for d in domains {
            match t.index.get(&d.domain) {
                // A duplicate entry counts as verified (or default) when any copy is.
                Some(&i) => {
                    let have = &mut t.list[i];
                    have.verified |= d.verified;
                    have.default |= d.default;
                }
                None => {
                    t.index.insert(d.domain.clone(), t.list.len());
                    t.list.push(d);
                }
            }
        }
        t.refresh_defaults();
        t
    }

    fn reindex(&mut self) {
        self.index.clear();
        for (i, d) in self.list.iter().enumerate() {
            self.index.insert(d.domain.clone(), i);
        }
        self.refresh_defaults();
    }

    /// The default domain: the one marked default if it is verified, else the first
    /// verified one, else the first accepted one. The own domain: the same among verified
    /// domains that are not `*.onmicrosoft.com`.
    fn refresh_defaults(&mut self) {
        let own = |d: &AcceptedDomain| d.verified && !is_initial_domain(&d.domain);
        let l = &self.list;
        self.default_domain = l
            .iter()
            .position(|d| d.default && d.verified)
            .or_else(|| l.iter().position(|d| d.verified))
            .or(if l.is_empty() { None } else { Some(0) });
        self.own_domain = l
            .iter()
            .position(|d| d.default && own(d))
            .or_else(|| l.iter().position(own));
    }
}

/// The tenant's initial `*.onmicrosoft.com` domain (and its mail routing siblings).
pub fn is_initial_domain(d: &DnsName) -> bool {
    d.as_str().ends_with(".onmicrosoft.com")
}

/// The tenant: its accepted domains and its Direct Send setting.
///
/// Cloning is cheap (the domain table is shared until one side changes it), which keeps the
/// plan's "what if" scenarios and the wizard's snapshots light at 5,000 domains.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tenant {
    domains: Arc<DomainTable>,
    /// `Set-OrganizationConfig -RejectDirectSend`: anonymous mail from the tenant's own
    /// domains to its own mailboxes is refused (domain-rules.md §7, §10.1).
    pub reject_direct_send: bool,
}

impl Tenant {
    pub fn new(domains: Vec<AcceptedDomain>) -> Self {
        Tenant {
            domains: Arc::new(DomainTable::from_list(domains)),
            reject_direct_send: false,
        }
    }

    /// Both hold the very same domain table (one is an unchanged clone of the other), so no
    /// accepted domain differs: a comparison can stop here without looking at any.
    pub fn same_domains(&self, other: &Tenant) -> bool {
        Arc::ptr_eq(&self.domains, &other.domains)
    }

    /// The accepted domains, in the tenant's order.
    pub fn accepted_domains(&self) -> &[AcceptedDomain] {
        &self.domains.list
    }

    pub fn len(&self) -> usize {
        self.domains.list.len()
    }

    pub fn is_empty(&self) -> bool {
        self.domains.list.is_empty()
    }

    pub fn get(&self, name: &str) -> Option<&AcceptedDomain> {
        let i = *self.domains.index.get(name)?;
        self.domains.list.get(i)
    }

    pub fn position(&self, name: &str) -> Option<usize> {
        self.domains.index.get(name).copied()
    }

    pub fn status(&self, name: &str) -> DomainStatus {
        match self.get(name) {
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

    /// The tenant's default verified domain: the one marked default if it is verified,
    /// else the first verified one, else the first accepted one.
    pub fn default_domain(&self) -> Option<&DnsName> {
        self.domains
            .default_domain
            .and_then(|i| self.domains.list.get(i))
            .map(|d| &d.domain)
    }

    /// A verified domain of the organisation's own (not `*.onmicrosoft.com`), the default
    /// one if it qualifies: the domain users send from.
    pub fn own_domain(&self) -> Option<&DnsName> {
        self.domains
            .own_domain
            .and_then(|i| self.domains.list.get(i))
            .map(|d| &d.domain)
    }

    /// Replaces every accepted domain (duplicates are merged).
    pub fn set_domains(&mut self, domains: Vec<AcceptedDomain>) {
        self.domains = Arc::new(DomainTable::from_list(domains));
    }

    fn table(&mut self) -> &mut DomainTable {
        Arc::make_mut(&mut self.domains)
    }

    /// Adds a domain that is not there yet at position `at` (clamped), or merges it into the
    /// existing entry. Returns whether it was new.
    pub fn insert(&mut self, at: usize, domain: AcceptedDomain) -> bool {
        let t = self.table();
        if let Some(&i) = t.index.get(&domain.domain) {
            let have = &mut t.list[i];
            have.verified |= domain.verified;
            have.default |= domain.default;
            t.refresh_defaults();
            return false;
        }
        let at = at.min(t.list.len());
        if at == t.list.len() {
            t.index.insert(domain.domain.clone(), at);
            t.list.push(domain);
            t.refresh_defaults();
        } else {
            t.list.insert(at, domain);
            t.reindex();
        }
        true
    }

    /// Adds a domain at the end (see [`Tenant::insert`]).
    pub fn push(&mut self, domain: AcceptedDomain) -> bool {
        let at = self.len();
        self.insert(at, domain)
    }

    /// Removes a domain; returns where it was and what it was.
    pub fn remove(&mut self, name: &str) -> Option<(usize, AcceptedDomain)> {
        let i = self.position(name)?;
        let t = self.table();
        let d = t.list.remove(i);
        t.reindex();
        Some((i, d))
    }

    /// Changes one domain (never its name); returns what `change` returned.
    pub fn update<R>(
        &mut self,
        name: &str,
        change: impl FnOnce(&mut AcceptedDomain) -> R,
    ) -> Option<R> {
        let i = self.position(name)?;
        let t = self.table();
        let d = &mut t.list[i];
        let original = d.domain.clone();
        let out = change(d);
        d.domain = original;
        t.refresh_defaults();
        Some(out)
    }

    /// Changes every domain in one pass (never their names).
    pub fn update_all(&mut self, mut change: impl FnMut(&mut AcceptedDomain)) {
        let t = self.table();
        for d in &mut t.list {
            let original = d.domain.clone();
            change(d);
            d.domain = original;
        }
        t.refresh_defaults();
    }

    /// Marks `name` as the only default domain; returns the domains that were default.
    pub fn set_default(&mut self, name: &str) -> Option<Vec<DnsName>> {
        self.position(name)?;
        let t = self.table();
        let mut before = Vec::new();
        for d in &mut t.list {
            if d.default {
                before.push(d.domain.clone());
            }
            d.default = d.domain.as_str() == name;
        }
        t.refresh_defaults();
        Some(before)
    }

    /// Marks exactly these domains as default (to undo [`Tenant::set_default`]).
    pub fn restore_defaults(&mut self, defaults: &[DnsName]) {
        let t = self.table();
        for d in &mut t.list {
            d.default = defaults.contains(&d.domain);
        }
        t.refresh_defaults();
    }
}

/// The scenario file's shape of the tenant.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct TenantFile {
    #[serde(default)]
    accepted_domains: Vec<AcceptedDomain>,
    #[serde(default, skip_serializing_if = "is_false")]
    reject_direct_send: bool,
}

impl Serialize for Tenant {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Tenant", 2)?;
        st.serialize_field("accepted_domains", self.accepted_domains())?;
        if self.reject_direct_send {
            st.serialize_field("reject_direct_send", &true)?;
        }
        st.end()
    }
}

impl<'de> Deserialize<'de> for Tenant {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let f = TenantFile::deserialize(d)?;
        let mut t = Tenant::new(f.accepted_domains);
        t.reject_direct_send = f.reject_direct_send;
        Ok(t)
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

/// What a test message stands for, in the admin's words (the headline says "NDRs",
/// "forwarded mail", "mail sent as fabrikam.com").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MessageKind {
    /// A user's own mail to the Internet.
    User,
    /// A non-delivery report: the null sender `<>`.
    Ndr,
    /// Mail sent as a domain the tenant does not own.
    SentAs,
    /// External mail forwarded on: its envelope sender stays the original one.
    Forwarded,
    /// Mail to the tenant's own users.
    Internal,
    /// Anything else.
    Other,
}

impl MessageKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MessageKind::User => "user",
            MessageKind::Ndr => "ndr",
            MessageKind::SentAs => "sent-as",
            MessageKind::Forwarded => "forwarded",
            MessageKind::Internal => "internal",
            MessageKind::Other => "other",
        }
    }

    /// The kind of a message written before `kind:` existed (or added in the wizard without
    /// one): the null sender is an NDR, a name that speaks of forwarding is forwarded mail.
    pub fn guess(name: Option<&str>, mail_from: &MailFrom) -> MessageKind {
        if mail_from.0.is_none() {
            MessageKind::Ndr
        } else if name.is_some_and(|n| n.to_ascii_lowercase().contains("forward")) {
            MessageKind::Forwarded
        } else {
            MessageKind::Other
        }
    }
}

/// One message the on-premises server hands to Exchange Online.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Message {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub kind: MessageKind,
    pub mail_from: MailFrom,
    pub rcpt_to: EmailAddress,
}

/// A message as a scenario file writes it (`kind:` may be missing in older files).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MessageFile {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    kind: Option<MessageKind>,
    #[serde(default = "null_sender")]
    mail_from: MailFrom,
    rcpt_to: EmailAddress,
}

impl<'de> Deserialize<'de> for Message {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let f = MessageFile::deserialize(d)?;
        Ok(Message {
            kind: f
                .kind
                .unwrap_or_else(|| MessageKind::guess(f.name.as_deref(), &f.mail_from)),
            name: f.name,
            mail_from: f.mail_from,
            rcpt_to: f.rcpt_to,
        })
    }
}

fn null_sender() -> MailFrom {
    MailFrom(None)
}

impl Message {
    pub fn new(
        name: &str,
        kind: MessageKind,
        mail_from: &str,
        rcpt_to: &str,
    ) -> Result<Self, names::NameError> {
        Ok(Message {
            name: Some(name.to_string()),
            kind,
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
    /// Empty means "the four default messages" (domain-rules.md section 7).
    pub messages: Vec<Message>,
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

    /// The domain the tenant's users send from (domain-rules.md §7): the default verified
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

/// The four messages of seed 002's scenarios, sent from the tenant's domain `d`.
pub fn default_messages(d: Option<&str>) -> Vec<Message> {
    let d = d.unwrap_or("contoso.com");
    let rows = [
        (
            "User mail to the Internet",
            MessageKind::User,
            format!("user@{d}"),
            "someone@tailspintoys.com",
        ),
        (
            "NDR to an external sender",
            MessageKind::Ndr,
            String::new(),
            "john@fabrikam.com",
        ),
        (
            "Mail sent as a domain the tenant does not own",
            MessageKind::SentAs,
            "user@fabrikam.com".to_string(),
            "someone@tailspintoys.com",
        ),
        (
            "Forwarded external mail",
            MessageKind::Forwarded,
            "john@fabrikam.com".to_string(),
            "kate@tailspintoys.com",
        ),
    ];
    rows.iter()
        .filter_map(|(name, kind, from, to)| Message::new(name, *kind, from, to).ok())
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
        Tenant::new(
            domains
                .iter()
                .map(|(d, v)| AcceptedDomain {
                    verified: *v,
                    ..AcceptedDomain::new(DnsName::parse(d).unwrap())
                })
                .collect(),
        )
    }

    fn name(s: &str) -> DnsName {
        DnsName::parse(s).unwrap()
    }

    #[test]
    fn index_distinguishes_verified_unverified_absent() {
        let t = tenant(&[("contoso.com", true), ("fabrikam.com", false)]);
        assert_eq!(t.status("contoso.com"), DomainStatus::Verified);
        assert_eq!(t.status("fabrikam.com"), DomainStatus::Unverified);
        assert_eq!(t.status("sub.contoso.com"), DomainStatus::Absent);
    }

    #[test]
    fn duplicates_merge_and_count_as_verified_when_any_copy_is() {
        let t = tenant(&[
            ("contoso.com", false),
            ("fabrikam.com", true),
            ("contoso.com", true),
        ]);
        assert_eq!(t.len(), 2);
        assert_eq!(t.status("contoso.com"), DomainStatus::Verified);
        assert_eq!(t.position("fabrikam.com"), Some(1));
    }

    #[test]
    fn the_index_follows_every_change() {
        let mut t = tenant(&[("a.com", true), ("b.com", true), ("c.com", false)]);
        let (at, removed) = t.remove("a.com").unwrap();
        assert_eq!((at, removed.domain.as_str()), (0, "a.com"));
        assert_eq!(t.position("c.com"), Some(1));
        assert_eq!(t.status("a.com"), DomainStatus::Absent);
        assert!(t.insert(0, removed));
        assert_eq!(t.position("c.com"), Some(2));
        assert_eq!(
            t.update("c.com", |d| std::mem::replace(&mut d.verified, true)),
            Some(false)
        );
        assert!(t.is_verified("c.com"));
        assert!(
            !t.push(AcceptedDomain::new(name("b.com"))),
            "already there: merged"
        );
        assert_eq!(t.len(), 3);
        // A change cannot rename an entry behind the index's back.
        t.update("b.com", |d| d.domain = name("z.com"));
        assert_eq!(t.position("b.com"), Some(1));
    }

    #[test]
    fn clones_share_the_table_until_one_changes() {
        let t = tenant(&[("contoso.com", true)]);
        let mut u = t.clone();
        assert!(Arc::ptr_eq(&t.domains, &u.domains));
        assert!(t.same_domains(&u));
        u.push(AcceptedDomain::new(name("fabrikam.com")));
        assert_eq!((t.len(), u.len()), (1, 2));
        assert!(!t.same_domains(&u));
    }

    #[test]
    fn closest_verified_ancestor_walks_label_suffixes() {
        let t = tenant(&[("contoso.com", true), ("sub.contoso.com", false)]);
        assert_eq!(
            t.closest_verified_ancestor("a.sub.contoso.com"),
            Some("contoso.com")
        );
        assert_eq!(t.closest_verified_ancestor("fabrikam.com"), None);
    }

    #[test]
    fn default_domain_prefers_verified_default() {
        let mut t = tenant(&[("a.com", true), ("b.com", false), ("c.com", true)]);
        t.update("b.com", |d| d.default = true);
        assert_eq!(t.default_domain().map(DnsName::as_str), Some("a.com"));
        let before = t.set_default("c.com").unwrap();
        assert_eq!(before, vec![name("b.com")]);
        assert_eq!(t.default_domain().map(DnsName::as_str), Some("c.com"));
        t.restore_defaults(&before);
        assert_eq!(t.default_domain().map(DnsName::as_str), Some("a.com"));
    }

    #[test]
    fn sending_domain_is_never_onmicrosoft_when_another_is_verified() {
        let mut t = tenant(&[("contoso.onmicrosoft.com", true), ("contoso.com", true)]);
        t.set_default("contoso.onmicrosoft.com");
        let s = Scenario {
            tenant: t,
            ..Scenario::default()
        };
        assert_eq!(s.sending_domain().map(DnsName::as_str), Some("contoso.com"));
        assert_eq!(
            s.effective_messages()[0].mail_from.as_text(),
            "user@contoso.com"
        );
        let only = Scenario {
            tenant: tenant(&[("contoso.onmicrosoft.com", true)]),
            ..Scenario::default()
        };
        assert_eq!(
            only.sending_domain().map(DnsName::as_str),
            Some("contoso.onmicrosoft.com")
        );
    }

    #[test]
    fn four_default_messages_use_the_default_domain() {
        let m = default_messages(Some("contoso.com"));
        assert_eq!(m.len(), 4);
        assert_eq!(m[0].mail_from.as_text(), "user@contoso.com");
        assert_eq!(m[1].mail_from.0, None);
        assert_eq!(m[1].kind, MessageKind::Ndr);
        assert_eq!(m[1].rcpt_to.as_str(), "john@fabrikam.com");
        assert_eq!(m[2].mail_from.as_text(), "user@fabrikam.com");
        assert_eq!(m[3].rcpt_to.as_str(), "kate@tailspintoys.com");
        assert_eq!(m[3].kind, MessageKind::Forwarded);
    }

    #[test]
    fn message_kind_is_read_or_guessed_for_older_files() {
        let m: Message = serde_yaml::from_str(
            "{name: Ben's rule, kind: forwarded, mail_from: a@b.com, rcpt_to: c@d.com}",
        )
        .unwrap();
        assert_eq!(m.kind, MessageKind::Forwarded);
        let old: Message = serde_yaml::from_str(
            "{name: Forwarded external mail, mail_from: a@b.com, rcpt_to: c@d.com}",
        )
        .unwrap();
        assert_eq!(old.kind, MessageKind::Forwarded);
        let ndr: Message = serde_yaml::from_str("{mail_from: '', rcpt_to: c@d.com}").unwrap();
        assert_eq!(ndr.kind, MessageKind::Ndr);
        let plain: Message =
            serde_yaml::from_str("{mail_from: a@b.com, rcpt_to: c@d.com}").unwrap();
        assert_eq!(plain.kind, MessageKind::Other);
        assert!(serde_yaml::from_str::<Message>("{kind: spam, rcpt_to: c@d.com}").is_err());
    }

    #[test]
    fn tenant_round_trips_with_direct_send() {
        let mut t = tenant(&[("contoso.com", true)]);
        t.reject_direct_send = true;
        let yaml = serde_yaml::to_string(&t).unwrap();
        assert!(yaml.contains("reject_direct_send: true"), "{yaml}");
        let back: Tenant = serde_yaml::from_str(&yaml).unwrap();
        assert_eq!(back, t);
        let plain: Tenant = serde_yaml::from_str("accepted_domains: []").unwrap();
        assert!(!plain.reject_direct_send);
        assert!(serde_yaml::from_str::<Tenant>("colour: red").is_err());
    }
}
