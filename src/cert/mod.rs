//! Certificates: read PEM, DER or Base64 from bytes, and extract once, at load, every fact
//! the checks need (names, validity, key, signature, self-signature, thumbprint, the
//! Exchange `<I>…<S>…` string, whether a supplied private key belongs to it).

pub mod chain;
pub(crate) mod der;
pub mod dn;
pub mod key;
mod pem;

use std::fmt;
use std::net::IpAddr;

use time::OffsetDateTime;
use x509_parser::certificate::X509Certificate;
use x509_parser::error::X509Error;
use x509_parser::extensions::GeneralName;
use x509_parser::public_key::PublicKey;

pub use key::PrivateKeyStatus;

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

/// Reads a certificate (and any private key beside it in the same data) from the bytes of a
/// `.pem`, `.crt`, `.cer` (DER or Base64) or `.der` file. The format is found from the
/// bytes, never from the extension. `extra_key` is the content of a separate key file.
pub fn load(source: &str, bytes: &[u8], extra_key: Option<&[u8]>) -> Result<CertFacts, CertError> {
    // The text may hold a private key: it is wiped when dropped.
    let text = crate::text::decode(bytes).map(zeroize::Zeroizing::new);
    if bytes.is_empty() || text.as_deref().is_some_and(|t| t.trim().is_empty()) {
        return Err(CertError("the file is empty".into()));
    }
    let mut key_blocks: Vec<pem::Block> = Vec::new();
    let mut chain_der: Vec<Vec<u8>> = Vec::new();
    if let Some(text) = text.as_deref().filter(|t| t.contains("-----BEGIN")) {
        let blocks = pem::blocks(text);
        let mut first_cert_error = None;
        for block in blocks {
            match block.label.as_str() {
                "CERTIFICATE" | "X509 CERTIFICATE" | "TRUSTED CERTIFICATE" => match block.data {
                    Ok(der) => chain_der.push(der.to_vec()),
                    Err(e) if chain_der.is_empty() => {
                        first_cert_error.get_or_insert(e);
                    }
                    Err(_) => {}
                },
                _ => key_blocks.push(block),
            }
        }
        if chain_der.is_empty() {
            return Err(CertError(first_cert_error.unwrap_or_else(|| {
                "it holds PEM blocks but no CERTIFICATE block".to_string()
            })));
        }
    } else if bytes.first() == Some(&0x30) {
        chain_der.push(bytes.to_vec());
    } else if let Some(der) = text.as_deref().and_then(|t| pem::decode_bare_base64(t)) {
        chain_der.push(der);
    } else {
        return Err(CertError(
            "it is not a certificate: neither PEM, DER nor Base64 (.cer)".into(),
        ));
    }
    if let Some(extra) = extra_key {
        let text = zeroize::Zeroizing::new(crate::text::decode(extra).unwrap_or_default());
        let before = key_blocks.len();
        key_blocks.extend(pem::blocks(&text));
        if key_blocks.len() == before && extra.first() == Some(&0x30) {
            key_blocks.push(pem::Block {
                label: "PRIVATE KEY".into(),
                encrypted: false,
                data: Ok(zeroize::Zeroizing::new(extra.to_vec())),
            });
        }
        if key_blocks.len() == before {
            key_blocks.push(pem::Block {
                label: "PRIVATE KEY".into(),
                encrypted: false,
                data: Err("the key file holds no private key block".into()),
            });
        }
    }
    let leaf_der = &chain_der[0];
    let (_, leaf) = x509_parser::parse_x509_certificate(leaf_der).map_err(|e| {
        CertError(format!(
            "it is not a valid X.509 certificate: {}",
            describe(e)
        ))
    })?;
    let private_key = key_status(&key_blocks, &leaf);
    let mut facts = facts(source, leaf_der, &leaf, private_key)?;
    let rest: Vec<&[u8]> = chain_der[1..].iter().map(Vec::as_slice).collect();
    with_chain(&mut facts, &leaf, &rest);
    Ok(facts)
}

/// Gives a leaf's facts the certificates its file carries after it: their subjects, the
/// chain walked up from the leaf, and their DER (for the chain judgement and exports).
fn with_chain(facts: &mut CertFacts, leaf: &X509Certificate<'_>, chain_der: &[&[u8]]) {
    let others: Vec<(X509Certificate<'_>, String)> = chain_der
        .iter()
        .filter_map(|der| {
            let (_, c) = x509_parser::parse_x509_certificate(der).ok()?;
            let digest = ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, der);
            Some((c, hex_upper(digest.as_ref())))
        })
        .collect();
    facts.chain = others
        .iter()
        .map(|(c, _)| dn::exchange_dn(c.subject()))
        .collect();
    facts.chain_facts = chain::walk(leaf, &others);
    facts.chain_der = chain_der.iter().map(|d| d.to_vec()).collect();
}

/// Every certificate of a file, one at a time, for listing a store (`relaycheck
/// certificates`): a file with one certificate and its chain gives one, as [`load`] does; a
/// PEM bundle of several leaves gives each leaf with the chain that follows it (a block
/// whose subject is the issuer of the block before belongs to that block's chain). Each
/// leaf of a bundle is labelled `source [i]`, and `each` gets its position `i` (from 0;
/// `None` for a file of one certificate) and its facts or why it could not be read; nothing
/// but the bundle's blocks is kept meanwhile.
pub fn load_each(
    source: &str,
    bytes: &[u8],
    extra_key: Option<&[u8]>,
    mut each: impl FnMut(Option<usize>, Result<CertFacts, CertError>),
) {
    let text = crate::text::decode(bytes).map(zeroize::Zeroizing::new);
    let Some(text) = text.as_deref().filter(|t| t.contains("-----BEGIN")) else {
        return each(None, load(source, bytes, extra_key));
    };
    let mut blocks = pem::blocks(text);
    let certificate = |b: &pem::Block| {
        matches!(
            b.label.as_str(),
            "CERTIFICATE" | "X509 CERTIFICATE" | "TRUSTED CERTIFICATE"
        )
    };
    if blocks.iter().filter(|b| certificate(b)).count() <= 1 {
        return each(None, load(source, bytes, extra_key));
    }
    let mut key_blocks: Vec<pem::Block> = Vec::new();
    let mut cert_blocks: Vec<pem::Block> = Vec::new();
    for b in blocks.drain(..) {
        if certificate(&b) {
            cert_blocks.push(b);
        } else {
            key_blocks.push(b);
        }
    }
    if let Some(extra) = extra_key {
        let text = zeroize::Zeroizing::new(crate::text::decode(extra).unwrap_or_default());
        key_blocks.extend(pem::blocks(&text));
    }
    let mut position = 0;
    type Leaf<'a> = (usize, X509Certificate<'a>, &'a [u8]);
    let mut current: Option<Leaf<'_>> = None;
    let mut chain: Vec<&[u8]> = Vec::new();
    // The issuer of the last certificate seen (owned: the parsed certificate moves on).
    let mut last_issuer: Vec<u8> = Vec::new();
    // A leaf is handed on once the next one starts (or the file ends): only then is it
    // known whether the file held one certificate with its chain (no position) or several.
    let finish = |current: Option<Leaf<'_>>,
                  chain: &mut Vec<&[u8]>,
                  each: &mut dyn FnMut(Option<usize>, Result<CertFacts, CertError>),
                  only: bool| {
        if let Some((i, leaf, der)) = current {
            let private_key = key_status(&key_blocks, &leaf);
            let (position, label) = if only {
                (None, source.to_string())
            } else {
                (Some(i), format!("{source} [{i}]"))
            };
            each(
                position,
                facts(&label, der, &leaf, private_key).map(|mut f| {
                    with_chain(&mut f, &leaf, chain);
                    f
                }),
            );
        }
        chain.clear();
    };
    for block in &cert_blocks {
        let der = match &block.data {
            Ok(der) => der.as_slice(),
            Err(why) => {
                finish(current.take(), &mut chain, &mut each, false);
                each(Some(position), Err(CertError(why.clone())));
                position += 1;
                last_issuer.clear();
                continue;
            }
        };
        let parsed = match x509_parser::parse_x509_certificate(der) {
            Ok((_, c)) => c,
            Err(e) => {
                finish(current.take(), &mut chain, &mut each, false);
                each(
                    Some(position),
                    Err(CertError(format!(
                        "it is not a valid X.509 certificate: {}",
                        describe(e)
                    ))),
                );
                position += 1;
                last_issuer.clear();
                continue;
            }
        };
        let issued_previous = current.is_some()
            && !last_issuer.is_empty()
            && parsed.subject().as_raw() == last_issuer.as_slice();
        if issued_previous {
            chain.push(der);
            last_issuer = parsed.issuer().as_raw().to_vec();
            continue;
        }
        finish(current.take(), &mut chain, &mut each, false);
        last_issuer = parsed.issuer().as_raw().to_vec();
        current = Some((position, parsed, der));
        position += 1;
    }
    finish(current.take(), &mut chain, &mut each, position == 1);
}

fn describe(e: x509_parser::nom::Err<X509Error>) -> String {
    match e {
        x509_parser::nom::Err::Incomplete(_) => "the data is truncated".to_string(),
        x509_parser::nom::Err::Error(e) | x509_parser::nom::Err::Failure(e) => match e {
            X509Error::Der(_) => "the DER encoding is malformed or truncated".to_string(),
            X509Error::NomError(x509_parser::nom::error::ErrorKind::Eof) => {
                "the data is truncated".to_string()
            }
            X509Error::NomError(_) => "the DER encoding is malformed".to_string(),
            other => other.to_string(),
        },
    }
}

fn key_status(blocks: &[pem::Block], leaf: &X509Certificate<'_>) -> PrivateKeyStatus {
    let mut status = PrivateKeyStatus::NotSupplied;
    for block in blocks {
        let found = match &block.data {
            Ok(der) => match key::KeyBlock::from_pem(&block.label, der, block.encrypted) {
                Some(kb) => key::check(kb, leaf.public_key()),
                None => continue,
            },
            Err(why) if block.label.contains("PRIVATE KEY") => {
                PrivateKeyStatus::Unreadable(format!("the private key block is unreadable: {why}"))
            }
            Err(_) => continue,
        };
        // One matching key settles it; otherwise keep the most telling problem.
        if found == PrivateKeyStatus::Matches {
            return found;
        }
        if matches!(
            status,
            PrivateKeyStatus::NotSupplied | PrivateKeyStatus::Unverifiable(_)
        ) {
            status = found;
        }
    }
    status
}

fn facts(
    source: &str,
    der: &[u8],
    cert: &X509Certificate<'_>,
    private_key: PrivateKeyStatus,
) -> Result<CertFacts, CertError> {
    let subject = dn::exchange_dn(cert.subject());
    let issuer = dn::exchange_dn(cert.issuer());
    let common_name = cert.subject().iter_common_name().next().and_then(dn::text);
    let (mut dns_sans, mut ip_sans) = (Vec::new(), Vec::new());
    let (has_san_extension, san_malformed) = match cert.subject_alternative_name() {
        Ok(Some(san)) => {
            for gn in &san.value.general_names {
                match gn {
                    GeneralName::DNSName(n) => dns_sans.push((*n).to_string()),
                    GeneralName::IPAddress(bytes) => {
                        if let Some(ip) = ip_from_bytes(bytes) {
                            ip_sans.push(ip);
                        }
                    }
                    _ => {}
                }
            }
            (true, false)
        }
        Ok(None) => (false, false),
        Err(_) => (true, true),
    };
    let validity = cert.validity();
    let key = key_kind(cert);
    let signature = signature_algorithm(cert);
    let extended_key_usages = match cert.extended_key_usage() {
        Ok(Some(eku)) => eku_names(eku.value),
        _ => Vec::new(),
    };
    let self_signed = is_self_signed(cert, &key);
    let thumbprint = {
        let digest = ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, der);
        hex_upper(digest.as_ref())
    };
    let names = CertFacts::compute_names(common_name.as_ref(), &dns_sans);
    Ok(CertFacts {
        names,
        name_index: Derived::default(),
        host_index: Derived::default(),
        der: der.to_vec(),
        chain_der: Vec::new(),
        source: source.to_string(),
        subject,
        issuer,
        common_name,
        dns_sans,
        ip_sans,
        has_san_extension,
        san_malformed,
        not_before: validity.not_before.to_datetime(),
        not_after: validity.not_after.to_datetime(),
        key,
        signature,
        extended_key_usages,
        self_signed,
        thumbprint,
        serial: hex_upper(cert.raw_serial()),
        private_key,
        chain: Vec::new(),
        chain_facts: chain::ChainFacts {
            path: Vec::new(),
            end: chain::ChainEnd::SelfSignedLeaf,
        },
        lab: false,
    })
}

fn ip_from_bytes(bytes: &[u8]) -> Option<IpAddr> {
    match bytes.len() {
        4 => <[u8; 4]>::try_from(bytes).ok().map(IpAddr::from),
        16 => <[u8; 16]>::try_from(bytes).ok().map(IpAddr::from),
        _ => None,
    }
}

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

// OIDs by their DER content bytes: comparing bytes instead of turning each OID into dotted
// text (`to_id_string`, thousands of instructions a call) was a tenth of listing a store.
// Each constant is checked against its dotted form in the tests.
const OID_ED25519: &[u8] = &[0x2b, 0x65, 0x70];
const OID_ED448: &[u8] = &[0x2b, 0x65, 0x71];
const OID_RSASSA_PSS: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a];

/// Named curves: DER bytes, dotted form, name.
const CURVES: &[(&[u8], &str, &str)] = &[
    (
        &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07],
        "1.2.840.10045.3.1.7",
        "P-256",
    ),
    (&[0x2b, 0x81, 0x04, 0x00, 0x22], "1.3.132.0.34", "P-384"),
    (&[0x2b, 0x81, 0x04, 0x00, 0x23], "1.3.132.0.35", "P-521"),
];

fn key_kind(cert: &X509Certificate<'_>) -> KeyKind {
    let spki = cert.public_key();
    let alg = spki.algorithm.algorithm.as_bytes();
    match alg {
        OID_ED25519 => return KeyKind::Ed25519,
        OID_ED448 => return KeyKind::Ed448,
        // An RSA key restricted to RSASSA-PSS: the same RSAPublicKey inside.
        OID_RSASSA_PSS => {
            let modulus = der::expect(&spki.subject_public_key.data, der::SEQUENCE)
                .and_then(|(seq, _)| der::expect(seq, der::INTEGER))
                .map(|(m, _)| der::strip_leading_zeros(m));
            if let Some(m) = modulus {
                return KeyKind::Rsa { bits: rsa_bits(m) };
            }
        }
        _ => {}
    }
    match spki.parsed() {
        Ok(PublicKey::RSA(rsa)) => KeyKind::Rsa {
            bits: rsa_bits(der::strip_leading_zeros(rsa.modulus)),
        },
        Ok(PublicKey::EC(point)) => {
            let curve = spki
                .algorithm
                .parameters
                .as_ref()
                .and_then(|p| p.as_oid().ok())
                .map(|oid| {
                    CURVES
                        .iter()
                        .find(|(der, _, _)| *der == oid.as_bytes())
                        .map_or_else(|| oid.to_id_string(), |(_, _, name)| name.to_string())
                })
                .unwrap_or_else(|| "explicit curve".to_string());
            KeyKind::Ec {
                curve,
                bits: point.key_size(),
            }
        }
        Ok(PublicKey::DSA(y)) => KeyKind::Dsa { bits: y.len() * 8 },
        _ => KeyKind::Other(spki.algorithm.algorithm.to_id_string()),
    }
}

/// The size of an RSA modulus (without leading zeros) in bits.
fn rsa_bits(modulus: &[u8]) -> usize {
    match modulus.first() {
        Some(first) => (modulus.len() - 1) * 8 + (8 - first.leading_zeros() as usize),
        None => 0,
    }
}

/// Signature algorithms: DER bytes, dotted form, the name Windows shows, the digest.
const SIGNATURES: &[(&[u8], &str, &str, Digest)] = &[
    (
        &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x02],
        "1.2.840.113549.1.1.2",
        "md2RSA",
        Digest::Md2,
    ),
    (
        &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x03],
        "1.2.840.113549.1.1.3",
        "md4RSA",
        Digest::Md4,
    ),
    (
        &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x04],
        "1.2.840.113549.1.1.4",
        "md5RSA",
        Digest::Md5,
    ),
    (
        &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x05],
        "1.2.840.113549.1.1.5",
        "sha1RSA",
        Digest::Sha1,
    ),
    (
        &[0x2b, 0x0e, 0x03, 0x02, 0x1d],
        "1.3.14.3.2.29",
        "sha1RSA",
        Digest::Sha1,
    ),
    (
        &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b],
        "1.2.840.113549.1.1.11",
        "sha256RSA",
        Digest::Sha2,
    ),
    (
        &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0c],
        "1.2.840.113549.1.1.12",
        "sha384RSA",
        Digest::Sha2,
    ),
    (
        &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0d],
        "1.2.840.113549.1.1.13",
        "sha512RSA",
        Digest::Sha2,
    ),
    (
        &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0e],
        "1.2.840.113549.1.1.14",
        "sha224RSA",
        Digest::Sha2,
    ),
    (
        &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x01],
        "1.2.840.10045.4.1",
        "sha1ECDSA",
        Digest::Sha1,
    ),
    (
        &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x01],
        "1.2.840.10045.4.3.1",
        "sha224ECDSA",
        Digest::Sha2,
    ),
    (
        &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02],
        "1.2.840.10045.4.3.2",
        "sha256ECDSA",
        Digest::Sha2,
    ),
    (
        &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x03],
        "1.2.840.10045.4.3.3",
        "sha384ECDSA",
        Digest::Sha2,
    ),
    (
        &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x04],
        "1.2.840.10045.4.3.4",
        "sha512ECDSA",
        Digest::Sha2,
    ),
    (
        &[0x2a, 0x86, 0x48, 0xce, 0x38, 0x04, 0x03],
        "1.2.840.10040.4.3",
        "sha1DSA",
        Digest::Sha1,
    ),
    (
        &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, 0x02],
        "2.16.840.1.101.3.4.3.2",
        "sha256DSA",
        Digest::Sha2,
    ),
    (OID_ED25519, "1.3.101.112", "Ed25519", Digest::Other),
    (OID_ED448, "1.3.101.113", "Ed448", Digest::Other),
];

fn signature_algorithm(cert: &X509Certificate<'_>) -> SignatureAlgorithm {
    let oid = cert.signature_algorithm.algorithm.as_bytes();
    if oid == OID_RSASSA_PSS {
        return pss(cert);
    }
    match SIGNATURES.iter().find(|(der, ..)| *der == oid) {
        Some((_, _, name, digest)) => SignatureAlgorithm {
            name: name.to_string(),
            digest: *digest,
        },
        None => SignatureAlgorithm {
            name: cert.signature_algorithm.algorithm.to_id_string(),
            digest: Digest::Other,
        },
    }
}

/// RSASSA-PSS names its hash in the parameters; without parameters it is SHA-1 (RFC 4055).
fn pss(cert: &X509Certificate<'_>) -> SignatureAlgorithm {
    use x509_parser::signature_algorithm::SignatureAlgorithm as Sa;
    let digest = match Sa::try_from(&cert.signature_algorithm) {
        Ok(Sa::RSASSA_PSS(params)) => match params.hash_algorithm_oid().to_id_string().as_str() {
            "1.3.14.3.2.26" => Digest::Sha1,
            "2.16.840.1.101.3.4.2.1" | "2.16.840.1.101.3.4.2.2" | "2.16.840.1.101.3.4.2.3" => {
                Digest::Sha2
            }
            _ => Digest::Other,
        },
        _ => Digest::Other,
    };
    SignatureAlgorithm {
        name: "RSASSA-PSS".to_string(),
        digest,
    }
}

fn eku_names(eku: &x509_parser::extensions::ExtendedKeyUsage<'_>) -> Vec<String> {
    let mut out = Vec::new();
    let known = [
        (eku.any, "Any Purpose (2.5.29.37.0)"),
        (eku.server_auth, "Server Authentication (1.3.6.1.5.5.7.3.1)"),
        (eku.client_auth, "Client Authentication (1.3.6.1.5.5.7.3.2)"),
        (eku.code_signing, "Code Signing (1.3.6.1.5.5.7.3.3)"),
        (eku.email_protection, "Secure Email (1.3.6.1.5.5.7.3.4)"),
        (eku.time_stamping, "Time Stamping (1.3.6.1.5.5.7.3.8)"),
        (eku.ocsp_signing, "OCSP Signing (1.3.6.1.5.5.7.3.9)"),
    ];
    for (present, name) in known {
        if present {
            out.push(name.to_string());
        }
    }
    out.extend(eku.other.iter().map(|o| o.to_id_string()));
    out
}

/// Issuer = subject and the signature verifies with the certificate's own key. When the
/// signature cannot be checked here (an algorithm `ring` does not verify, or an RSA key
/// outside 2048–8192 bits), the key identifiers decide instead.
fn is_self_signed(cert: &X509Certificate<'_>, key: &KeyKind) -> bool {
    if cert.issuer().as_raw() != cert.subject().as_raw() {
        return false;
    }
    match cert.verify_signature(None) {
        Ok(()) => true,
        Err(X509Error::SignatureUnsupportedAlgorithm) => key_ids_agree(cert),
        Err(_) if matches!(key, KeyKind::Rsa { bits } if *bits < 2048 || *bits > 8192) => {
            key_ids_agree(cert)
        }
        Err(_) => false,
    }
}

fn key_ids_agree(cert: &X509Certificate<'_>) -> bool {
    use x509_parser::extensions::ParsedExtension;
    let mut ski = None;
    let mut aki = None;
    for ext in cert.extensions() {
        match ext.parsed_extension() {
            ParsedExtension::SubjectKeyIdentifier(id) => ski = Some(id.0),
            ParsedExtension::AuthorityKeyIdentifier(a) => {
                aki = a.key_identifier.as_ref().map(|k| k.0)
            }
            _ => {}
        }
    }
    match (aki, ski) {
        (Some(a), Some(s)) => a == s,
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_and_garbage_are_refused_with_a_reason() {
        assert_eq!(load("x", b"", None).unwrap_err().0, "the file is empty");
        assert_eq!(load("x", b"  \n", None).unwrap_err().0, "the file is empty");
        let e = load("x", b"hello, world", None).unwrap_err();
        assert!(e.0.contains("not a certificate"), "{e}");
        let e = load("x", &[0x30, 0x82, 0x01], None).unwrap_err();
        assert!(e.0.contains("not a valid X.509 certificate"), "{e}");
    }

    fn lab(cn: &str, sans: &[&str]) -> CertFacts {
        let now = time::macros::datetime!(2026-11-22 12:00 UTC);
        let spec = crate::lab::LabSpec::new(cn, sans, now);
        let made = crate::lab::issue(&spec, crate::lab::LabCa::shared().unwrap()).unwrap();
        load("lab.pem", made.cert_pem.as_bytes(), None).unwrap()
    }

    #[test]
    fn host_matching_by_index_agrees_with_the_matcher_name_by_name() {
        let certs = [
            lab("mail.contoso.com", &["mail.contoso.com", "*.fabrikam.com"]),
            lab("MAIL.Contoso.com", &["Autodiscover.CONTOSO.com."]),
            lab(
                "*.contoso.com",
                &["*.contoso.com", "*.com", "w*.contoso.com"],
            ),
            // No SAN DNS names at all: rcgen writes none, the CN decides.
            lab("cn-only.contoso.com", &[]),
        ];
        let hosts = [
            "mail.contoso.com",
            "MAIL.CONTOSO.COM.",
            "autodiscover.contoso.com",
            "a.fabrikam.com",
            "a.b.fabrikam.com",
            "fabrikam.com",
            "x.contoso.com",
            "contoso.com",
            "cn-only.contoso.com",
            "example.com",
            "",
            "bad..name",
            "*.contoso.com",
        ];
        for c in &certs {
            for h in hosts {
                assert_eq!(
                    c.matches_host(h),
                    names::certificate_matches_host(
                        c.common_name.as_deref(),
                        &c.dns_sans,
                        c.san_malformed,
                        h
                    ),
                    "{:?} against {h:?}",
                    c.dns_sans
                );
            }
        }
        assert!(certs[0].matches_host("a.fabrikam.com"));
        assert!(certs[3].matches_host("cn-only.contoso.com"));
        assert_eq!(certs[3].host_names(), ["cn-only.contoso.com".to_string()]);
    }

    #[test]
    fn a_bundle_gives_each_leaf_and_a_chain_stays_with_its_leaf() {
        let now = time::macros::datetime!(2026-11-22 12:00 UTC);
        let ca = crate::lab::LabCa::shared().unwrap();
        let issue =
            |n: &str| crate::lab::issue(&crate::lab::LabSpec::new(n, &[n], now), ca).unwrap();
        let (a, b) = (issue("a.contoso.com"), issue("b.contoso.com"));
        let ca_pem = a.ca_pem.clone().unwrap();
        let mut seen = Vec::new();
        let text = format!("{}{ca_pem}{}", a.cert_pem, b.cert_pem);
        load_each("bundle.pem", text.as_bytes(), None, |at, f| {
            let f = f.unwrap();
            seen.push((at, f.source.clone(), f.common_name.clone(), f.chain.len()));
        });
        assert_eq!(
            seen,
            [
                (
                    Some(0),
                    "bundle.pem [0]".to_string(),
                    Some("a.contoso.com".to_string()),
                    1
                ),
                (
                    Some(1),
                    "bundle.pem [1]".to_string(),
                    Some("b.contoso.com".to_string()),
                    0
                ),
            ]
        );
        // One leaf and its chain: one certificate, no position, as `load` gives it.
        let mut one = Vec::new();
        let text = format!("{}{ca_pem}", a.cert_pem);
        load_each("chain.pem", text.as_bytes(), None, |at, f| {
            one.push((at, f.unwrap()))
        });
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].0, None);
        assert_eq!(one[0].1, load("chain.pem", text.as_bytes(), None).unwrap());
        // A damaged block in a bundle is one error at its place; the others still load.
        let text = format!(
            "{}-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----\n{}",
            a.cert_pem, b.cert_pem
        );
        let mut results = Vec::new();
        load_each("mixed.pem", text.as_bytes(), None, |at, f| {
            results.push((at, f.is_ok()))
        });
        assert_eq!(
            results,
            [(Some(0), true), (Some(1), false), (Some(2), true)]
        );
    }

    #[test]
    fn oid_bytes_are_the_dotted_oids() {
        use std::str::FromStr;
        let bytes = |dotted: &str| {
            x509_parser::der_parser::oid::Oid::from_str(dotted)
                .unwrap()
                .as_bytes()
                .to_vec()
        };
        for (der, dotted, ..) in SIGNATURES {
            assert_eq!(der.to_vec(), bytes(dotted), "{dotted}");
        }
        for (der, dotted, _) in CURVES {
            assert_eq!(der.to_vec(), bytes(dotted), "{dotted}");
        }
        assert_eq!(OID_RSASSA_PSS.to_vec(), bytes("1.2.840.113549.1.1.10"));
        assert_eq!(OID_ED25519.to_vec(), bytes("1.3.101.112"));
        assert_eq!(OID_ED448.to_vec(), bytes("1.3.101.113"));
    }

    #[test]
    fn pem_without_certificate_block_is_refused() {
        let text = b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
        let e = load("x", text, None).unwrap_err();
        assert!(e.0.contains("no CERTIFICATE block"), "{e}");
    }
}
