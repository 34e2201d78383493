//! Certificates: read PEM, DER or Base64 from bytes, and extract once, at load, every fact
//! the checks need (names, validity, key, signature, self-signature, thumbprint, the
//! Exchange `<I>…<S>…` string, whether a supplied private key belongs to it).

mod algorithm;
pub mod chain;
pub(crate) mod der;
pub mod dn;
pub mod key;
mod pem;
mod read;

use std::fmt;
use std::net::IpAddr;

use time::OffsetDateTime;

pub use key::PrivateKeyStatus;
pub use read::{load, load_each};

use crate::names;

/// Where a certificate's bytes came from: the file's encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CertFormat {
    /// PEM, DER or Base64: a scenario file can point at it as it is.
    X509,
    Pkcs12,
    Clixml,
}

/// The public key of a certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyKind {
    Rsa { bits: usize },
    Ec { curve: String, bits: usize },
    Ed25519,
    Ed448,
    Dsa { bits: usize },
    Other(String),
}

impl fmt::Display for KeyKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyKind::Rsa { bits } => write!(f, "RSA {bits} bits"),
            KeyKind::Ec { curve, .. } => write!(f, "ECDSA {curve}"),
            KeyKind::Ed25519 => f.write_str("Ed25519"),
            KeyKind::Ed448 => f.write_str("Ed448"),
            KeyKind::Dsa { bits } => write!(f, "DSA {bits} bits"),
            KeyKind::Other(oid) => write!(f, "unknown key type ({oid})"),
        }
    }
}

/// The digest a signature algorithm uses, as far as weakness is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Digest {
    Md2,
    Md4,
    Md5,
    Sha1,
    Sha2,
    Other,
}

impl Digest {
    /// SHA-1 and the MD family: what HealthChecker calls a weak signature.
    pub fn is_weak(self) -> bool {
        matches!(self, Digest::Md2 | Digest::Md4 | Digest::Md5 | Digest::Sha1)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureAlgorithm {
    /// The name Windows shows (`sha256RSA`, `sha1RSA`, `sha256ECDSA`, …) or the OID.
    pub name: String,
    pub digest: Digest,
}

/// Everything relaycheck knows about one certificate, computed once at load.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertFacts {
    /// Where it came from, for messages (a path, or "generated").
    pub source: String,
    /// Subject and issuer as Exchange shows them (`CN=mail.contoso.com, O=Contoso`).
    pub subject: String,
    pub issuer: String,
    /// The first subject CN, as written in the certificate.
    pub common_name: Option<String>,
    /// DNS names of the subjectAltName extension, as written.
    pub dns_sans: Vec<String>,
    pub ip_sans: Vec<IpAddr>,
    /// The certificate has a subjectAltName extension (even one without DNS names).
    pub has_san_extension: bool,
    /// The subjectAltName extension is present but could not be read.
    pub san_malformed: bool,
    pub not_before: OffsetDateTime,
    pub not_after: OffsetDateTime,
    pub key: KeyKind,
    pub signature: SignatureAlgorithm,
    /// Extended key usages, readable (`Server Authentication (1.3.6.1.5.5.7.3.1)`).
    pub extended_key_usages: Vec<String>,
    /// Issuer equals subject and the signature verifies with the certificate's own key.
    pub self_signed: bool,
    /// SHA-1 of the DER, upper-case hex: Exchange's `Thumbprint`.
    pub thumbprint: String,
    pub serial: String,
    pub private_key: PrivateKeyStatus,
    /// Subjects of the other certificates in the same file (the chain), in file order.
    pub chain: Vec<String>,
    /// The chain from the leaf up, as far as the file carries it, and where it ends.
    pub chain_facts: chain::ChainFacts,
    /// Made by relaycheck's lab for a `generate:` block, issued by the lab CA: its root is
    /// trusted for the lab (as a public CA would be).
    pub lab: bool,
    /// The names for connector matching (see [`CertFacts::dns_names`]), computed at load.
    names: Vec<String>,
    /// The same names, and every domain above them, for constant-time connector matching;
    /// built on the first match (listing a store of certificates never needs it).
    name_index: Derived<NameIndex>,
    /// The names host matching reads, for constant-time host matching; built likewise.
    host_index: Derived<HostIndex>,
    /// The certificate itself (DER), to write it out again (never the key).
    pub der: Vec<u8>,
    /// The other certificates of its source (its chain, as far as it came), in file order.
    pub chain_der: Vec<Vec<u8>>,
}

/// An index derived from a certificate's names, built once, the first time it is asked
/// for. It takes no part in comparing certificates: equal names give equal indexes.
#[derive(Debug, Clone, Default)]
struct Derived<T>(std::sync::OnceLock<T>);

impl<T> PartialEq for Derived<T> {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl<T> Eq for Derived<T> {}

/// The certificate's connector names in hash sets: the names themselves, and every domain
/// at or above each name (`a.b.contoso.com` gives `a.b.contoso.com`, `b.contoso.com`,
/// `contoso.com`, `com`; `*.contoso.com` gives `contoso.com`, `com`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct NameIndex {
    exact: std::collections::HashSet<String>,
    at_or_below: std::collections::HashSet<String>,
}

impl NameIndex {
    fn new(names: &[String]) -> Self {
        let mut index = NameIndex::default();
        for n in names {
            index.exact.insert(n.clone());
            let mut domain = if n.starts_with("*.") {
                names::parent(n)
            } else {
                Some(n.as_str())
            };
            while let Some(d) = domain {
                if !index.at_or_below.insert(d.to_string()) {
                    break;
                }
                domain = names::parent(d);
            }
        }
        index
    }
}

/// The names RFC 6125 host matching reads ([`CertFacts::host_names`]) in hash sets: exact
/// host names, and the bases of wildcards (`*.contoso.com` gives `contoso.com`), each in
/// comparison form; names a certificate may not carry are left out, as the matcher does.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct HostIndex {
    exact: std::collections::HashSet<String>,
    wildcard: std::collections::HashSet<String>,
}

impl HostIndex {
    fn new(presented: &[String]) -> Self {
        let mut index = HostIndex::default();
        for raw in presented {
            let n = names::normalize(raw);
            match names::classify_presented(&n) {
                Some(names::Presented::Host(h)) => {
                    index.exact.insert(h.to_string());
                }
                Some(names::Presented::Wildcard(b)) => {
                    index.wildcard.insert(b.to_string());
                }
                None => {}
            }
        }
        index
    }

    /// The answer of [`names::certificate_matches_host`] on the names indexed, without a
    /// scan.
    fn matches(&self, host: &str) -> bool {
        let host = names::normalize(host);
        names::is_dns_name(&host)
            && (self.exact.contains(&host)
                || names::parent(&host).is_some_and(|p| self.wildcard.contains(p)))
    }
}

impl CertFacts {
    /// Connector matching of a TlsSenderCertificateName against every name of the
    /// certificate (docs/checks.md, "Connector wildcard"), without a scan: the same answer as asking
    /// [`crate::names::Tscn::matches_cert_name`] for each name in [`CertFacts::dns_names`].
    pub fn matches_tscn(&self, tscn: &names::Tscn) -> bool {
        let index = self
            .name_index
            .0
            .get_or_init(|| NameIndex::new(&self.names));
        match tscn {
            names::Tscn::Wildcard(domain) => index.at_or_below.contains(domain.as_str()),
            names::Tscn::Host(host) => {
                index.exact.contains(host.as_str())
                    || host
                        .parent()
                        .filter(|p| p.contains('.'))
                        .is_some_and(|p| index.exact.contains(&format!("*.{p}")))
            }
        }
    }

    /// Exchange Server's `TlsCertificateName` for this certificate.
    pub fn tls_certificate_name(&self) -> String {
        dn::tls_certificate_name(&self.issuer, &self.subject)
    }

    /// The certificate's names for connector (TSCN) matching: the CN and every DNS SAN
    /// that is a valid DNS identifier, in comparison form, CN first, without repeats.
    /// Computed once at load: validation asks for it on every keystroke.
    pub fn dns_names(&self) -> &[String] {
        &self.names
    }

    fn compute_names(common_name: Option<&String>, dns_sans: &[String]) -> Vec<String> {
        let mut seen = std::collections::HashSet::new();
        common_name
            .into_iter()
            .chain(dns_sans)
            .map(|raw| names::normalize(raw))
            .filter(|n| names::classify_presented(n).is_some() && seen.insert(n.clone()))
            .collect()
    }

    /// The name HCW reads: the subject CN, or the first DNS SAN when there is none.
    pub fn hcw_name(&self) -> Option<String> {
        let cn = self
            .common_name
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty());
        cn.or_else(|| self.dns_sans.first().map(String::as_str))
            .map(|n| n.strip_suffix('.').unwrap_or(n).to_string())
    }

    /// RFC 6125 host-name match: the DNS SANs, or the CN when there are none (and the SAN
    /// extension, if any, could be read). The same answer as
    /// [`names::certificate_matches_host`], from an index built at load: constant time
    /// however many names the certificate carries.
    pub fn matches_host(&self, host: &str) -> bool {
        self.host_index
            .0
            .get_or_init(|| HostIndex::new(self.host_names()))
            .matches(host)
    }

    /// The names host matching reads: the DNS SANs, or the CN when there are none.
    pub fn host_names(&self) -> &[String] {
        if !self.dns_sans.is_empty() || self.san_malformed {
            &self.dns_sans
        } else {
            self.common_name.as_slice()
        }
    }

    /// The certificate and the chain its source carried, as PEM (never a key): what a
    /// scenario file can point at instead of a PKCS#12 or CliXml source.
    pub fn pem_bundle(&self) -> String {
        let mut out = pem_block(&self.der);
        for c in &self.chain_der {
            out.push_str(&pem_block(c));
        }
        out
    }

    /// Client Authentication (1.3.6.1.5.5.7.3.2) is allowed: no EKU extension, or one that
    /// lists it or anyExtendedKeyUsage.
    pub fn allows_client_auth(&self) -> bool {
        self.extended_key_usages.is_empty()
            || self
                .extended_key_usages
                .iter()
                .any(|e| e.contains("(1.3.6.1.5.5.7.3.2)") || e.contains("(2.5.29.37.0)"))
    }

    /// Whole days from `now` to expiry (negative once expired).
    pub fn days_left(&self, now: OffsetDateTime) -> i64 {
        (self.not_after - now).whole_days()
    }

    pub fn is_within_validity(&self, now: OffsetDateTime) -> bool {
        now >= self.not_before && now < self.not_after
    }

    /// A one-line description for lists: the CN or first SAN, else the subject.
    pub fn display_name(&self) -> String {
        self.hcw_name().unwrap_or_else(|| {
            if self.subject.is_empty() {
                "(no subject)".to_string()
            } else {
                self.subject.clone()
            }
        })
    }
}

/// Why bytes could not be used as a certificate (the file name is added by the caller).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertError(pub String);

impl fmt::Display for CertError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CertError {}

/// A certificate (DER) as a PEM block.
pub fn pem_block(der: &[u8]) -> String {
    let b64 = data_encoding::BASE64.encode(der);
    let mut out = String::from("-----BEGIN CERTIFICATE-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(chunk));
        out.push('\n');
    }
    out.push_str("-----END CERTIFICATE-----\n");
    out
}

pub(crate) fn hex_upper(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    push_hex_upper(&mut out, bytes);
    out
}

/// Appends the bytes as upper-case hex (without a `format!` per byte).
pub(crate) fn push_hex_upper(out: &mut String, bytes: &[u8]) {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
}

#[cfg(test)]
mod tests;
