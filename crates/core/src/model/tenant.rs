//! The tenant: its accepted domains with a name index (kept with the list and shared between
//! clones, so validation never rebuilds it), their verification state and the default
//! domain.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::{is_false, yes};
use crate::names::{self, DnsName};

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
    /// domains to its own mailboxes is refused (docs/checks.md, rule RELAY step 3).
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

impl fmt::Display for DomainType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
