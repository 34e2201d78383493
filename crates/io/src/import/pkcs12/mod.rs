//! PKCS#12 (`.pfx`, `.p12`) as `Export-PfxCertificate`, `Export-ExchangeCertificate` and the
//! Windows certificate export write them: the legacy encryption (RC2-40 for certificates,
//! 3DES for keys, SHA-1 MAC) as well as AES-256 with a SHA-256 MAC. Decryption is
//! p12-keystore's; this module walks the structure first (with the `der` crate) to weigh the
//! key-derivation work the file asks for, then links keys to certificates and words the
//! errors.
//!
//! Every password-based key derivation costs time (PBKDF2, the PKCS#12 KDF) or memory
//! (scrypt), and the file chooses how much. p12-keystore caps one derivation; nothing capped
//! the file, so 1,000 bags of 1,000,000 iterations ran for minutes. Before anything is
//! decrypted, the derivations the file asks for are added up and refused beyond the limits
//! below (an export from Windows or OpenSSL needs about 10,000 iterations in 3 derivations).
//! The walk sees the MAC and every encrypted part of the file, and the key bags stored in
//! its unencrypted parts (where Windows, OpenSSL and p12-keystore put them); bags inside an
//! encrypted part only become visible by decrypting it, and are left to p12-keystore's own
//! per-derivation cap.
//!
//! The password is borrowed, never copied, printed or put in an error. Decrypted keys are
//! held in zeroising buffers and handed to certificate loading only to compare their
//! public halves with the certificate's.

use der::asn1::{AnyRef, ObjectIdentifier};
use der::{Decode, Reader, SliceReader, Tag, TagNumber, Tagged};
use p12_keystore::Pkcs12Archive;
use p12_keystore::error::Error as P12Error;
use x509_parser::prelude::FromDer;
use zeroize::Zeroizing;

use relaycheck_core::text::group;

/// Iterations of one key derivation (p12-keystore's own cap, checked here to say so).
pub const MAX_ITERATIONS: u64 = 1_000_000;
/// Iterations of all key derivations of one file, the MAC's included.
pub const MAX_TOTAL_ITERATIONS: u64 = 5_000_000;
/// Key derivations of one file.
pub const MAX_DERIVATIONS: usize = 64;
/// Memory of one scrypt derivation, 128·N·r bytes.
pub const MAX_SCRYPT_MEMORY: u64 = 64 * 1024 * 1024;
/// Parallelism p of one scrypt derivation (p12-keystore's own cap).
pub const MAX_SCRYPT_PARALLELISM: u64 = 16;
/// The scrypt cost N·r·p of all derivations of one file (32 derivations at OpenSSL's
/// default N = 16384, r = 8, p = 1).
pub const MAX_TOTAL_SCRYPT_COST: u64 = 1 << 22;

const OID_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.1");
const OID_ENCRYPTED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.6");
const OID_SHROUDED_KEY_BAG: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.12.10.1.2");
const OID_SECRET_BAG: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.12.10.1.5");
const OID_PBES2: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.5.13");
const OID_PBKDF2: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.5.12");
const OID_SCRYPT: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.11591.4.11");
/// pbeWithSHAAnd3-KeyTripleDES-CBC and pbeWithSHAAnd40BitRC2-CBC, the PKCS#12 KDF schemes
/// p12-keystore decrypts.
const OID_PBE_SHA1_3DES: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.12.1.3");
const OID_PBE_SHA1_RC2_40: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.12.1.6");

/// `[0]` EXPLICIT: the content of a ContentInfo, the value of a SafeBag.
const EXPLICIT_0: Tag = Tag::ContextSpecific {
    constructed: true,
    number: TagNumber(0),
};
/// `[0]` IMPLICIT OCTET STRING: the encrypted content of an EncryptedContentInfo.
const IMPLICIT_0: Tag = Tag::ContextSpecific {
    constructed: false,
    number: TagNumber(0),
};

/// One certificate of the file, with the key that belongs to it and the other certificates
/// (its chain) in file order.
pub struct Entry {
    pub leaf: Vec<u8>,
    pub chain: Vec<Vec<u8>>,
    pub key: Option<Zeroizing<Vec<u8>>>,
}

impl std::fmt::Debug for Entry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Entry")
            .field("leaf", &format_args!("{} bytes", self.leaf.len()))
            .field("chain", &self.chain.len())
            .field("key", &self.key.as_ref().map(|_| "(hidden)"))
            .finish()
    }
}

/// Why a PKCS#12 file could not be read. No variant carries the password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// It is protected and no password was given (the empty password did not open it).
    PasswordNeeded,
    /// The given password does not open it: its integrity check (MAC) failed.
    WrongPassword,
    /// No integrity check (MAC) and decryption failed: wrong password or damaged data.
    WrongPasswordOrDamaged,
    /// The file is damaged or not PKCS#12 after all (the reason).
    Damaged(String),
    /// It uses something relaycheck cannot read (the reason).
    Unsupported(String),
    /// It asks for more key-derivation work than the limits allow (which limit, and why).
    TooMuchWork(String),
}

impl Problem {
    /// A sentence for the admin; the caller adds the file name.
    pub fn sentence(&self) -> String {
        match self {
            Problem::PasswordNeeded => {
                "the PKCS#12 file is password-protected: give its password (the wizard asks for it; `check` reads it from --password-env VAR)".into()
            }
            Problem::WrongPassword => {
                "the password does not open this PKCS#12 file: its integrity check (MAC) failed, so the password is wrong (or the file was changed after it was written)".into()
            }
            Problem::WrongPasswordOrDamaged => {
                "the PKCS#12 file could not be decrypted with this password: either the password is wrong or the file is damaged (the file has no integrity check (MAC), so relaycheck cannot tell which)".into()
            }
            Problem::Damaged(why) => format!("the PKCS#12 file is damaged: {why}"),
            Problem::Unsupported(why) => format!("the PKCS#12 file cannot be read: {why}"),
            Problem::TooMuchWork(why) => format!(
                "the PKCS#12 file asks for more key-derivation work than relaycheck allows, so it was not opened: {why}"
            ),
        }
    }
}

/// The elements of a constructed DER value, or `None` when they do not parse.
fn elements(content: &[u8]) -> Option<Vec<AnyRef<'_>>> {
    let mut reader = SliceReader::new(content).ok()?;
    let mut out = Vec::new();
    while !reader.is_finished() {
        out.push(AnyRef::decode(&mut reader).ok()?);
    }
    Some(out)
}

/// The first DER value of `bytes` (what follows it is ignored).
fn first(bytes: &[u8]) -> Option<AnyRef<'_>> {
    let mut reader = SliceReader::new(bytes).ok()?;
    AnyRef::decode(&mut reader).ok()
}

fn is_oid(value: &AnyRef<'_>, oid: &ObjectIdentifier) -> bool {
    value.tag() == Tag::ObjectIdentifier && value.value() == oid.as_bytes()
}

/// A non-negative INTEGER, saturating (a cost that does not fit is too large anyway);
/// `None` for anything else.
fn unsigned(value: &AnyRef<'_>) -> Option<u64> {
    if value.tag() != Tag::Integer {
        return None;
    }
    let bytes = value.value();
    if bytes.first().is_none_or(|b| b & 0x80 != 0) {
        return None;
    }
    let significant = bytes.iter().skip_while(|b| **b == 0).count();
    if significant > 8 {
        return Some(u64::MAX);
    }
    Some(bytes.iter().fold(0u64, |n, b| (n << 8) | u64::from(*b)))
}

/// The outer shape of a PFX: `SEQUENCE { INTEGER 3, ContentInfo(data), MacData OPTIONAL }`.
struct Pfx<'a> {
    /// The authenticated safe's ContentInfo elements (content type, `[0]` content).
    auth_safe: Vec<AnyRef<'a>>,
    mac: Option<AnyRef<'a>>,
}

fn pfx_shape(bytes: &[u8]) -> Option<Pfx<'_>> {
    let pfx = first(bytes).filter(|v| v.tag() == Tag::Sequence)?;
    let items = elements(pfx.value())?;
    let version = items.first()?;
    if version.tag() != Tag::Integer || version.value() != [3] {
        return None;
    }
    let content_info = items.get(1).filter(|v| v.tag() == Tag::Sequence)?;
    let auth_safe = elements(content_info.value())?;
    if !is_oid(auth_safe.first()?, &OID_DATA) {
        return None;
    }
    Some(Pfx {
        auth_safe,
        mac: items.get(2).copied(),
    })
}

/// Whether the bytes are a PKCS#12 file (judged by their structure, not the file name).
pub fn is_pkcs12(bytes: &[u8]) -> bool {
    pfx_shape(bytes).is_some()
}

/// The key-derivation work a file asks for, as far as it can be seen without decrypting.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct Work {
    derivations: usize,
    /// PBKDF2 and PKCS#12-KDF iterations, summed (PKCS#12-style encryption derives its key
    /// and its IV separately: twice the iterations).
    iterations: u64,
    largest_iterations: u64,
    /// Σ N·r·p of the scrypt derivations.
    scrypt_cost: u64,
    /// The largest scrypt derivation: (memory 128·N·r, N, r), and the largest p.
    scrypt_memory: (u64, u64, u64),
    scrypt_parallelism: u64,
    /// Parts encrypted with the password (a failure there may be a wrong password).
    encrypted: usize,
}

impl Work {
    fn iterations(&mut self, n: u64, runs: u64) {
        self.derivations += 1;
        self.largest_iterations = self.largest_iterations.max(n);
        self.iterations = self.iterations.saturating_add(n.saturating_mul(runs));
    }

    /// An AlgorithmIdentifier of an encryption p12-keystore performs.
    fn encryption(&mut self, algorithm: &AnyRef<'_>) {
        let Some(parts) = elements(algorithm.value()) else {
            return;
        };
        let (Some(oid), Some(params)) = (parts.first(), parts.get(1)) else {
            return;
        };
        if is_oid(oid, &OID_PBE_SHA1_3DES) || is_oid(oid, &OID_PBE_SHA1_RC2_40) {
            // SEQUENCE { salt OCTET STRING, iterations INTEGER }
            if let Some(n) = elements(params.value())
                .as_deref()
                .and_then(|p| p.get(1))
                .and_then(unsigned)
            {
                self.iterations(n, 2);
            }
        } else if is_oid(oid, &OID_PBES2) {
            // SEQUENCE { keyDerivationFunc AlgorithmIdentifier, encryptionScheme … }
            let Some(kdf) = elements(params.value())
                .and_then(|p| p.first().copied())
                .and_then(|kdf| elements(kdf.value()))
            else {
                return;
            };
            let (Some(kdf_oid), Some(kdf_params)) = (kdf.first(), kdf.get(1)) else {
                return;
            };
            let Some(values) = elements(kdf_params.value()) else {
                return;
            };
            if is_oid(kdf_oid, &OID_PBKDF2) {
                // SEQUENCE { salt, iterationCount INTEGER, keyLength OPTIONAL, prf OPTIONAL }
                if let Some(n) = values.get(1).and_then(unsigned) {
                    self.iterations(n, 1);
                }
            } else if is_oid(kdf_oid, &OID_SCRYPT) {
                // SEQUENCE { salt, costParameter N, blockSize r, parallelizationParameter p, … }
                let number = |i: usize| values.get(i).and_then(unsigned);
                if let (Some(n), Some(r), Some(p)) = (number(1), number(2), number(3)) {
                    self.derivations += 1;
                    let memory = 128u64.saturating_mul(n).saturating_mul(r);
                    if memory > self.scrypt_memory.0 {
                        self.scrypt_memory = (memory, n, r);
                    }
                    self.scrypt_parallelism = self.scrypt_parallelism.max(p);
                    self.scrypt_cost = self
                        .scrypt_cost
                        .saturating_add(n.saturating_mul(r).saturating_mul(p));
                }
            }
        }
    }

    /// An EncryptedPrivateKeyInfo: `SEQUENCE { AlgorithmIdentifier, OCTET STRING }`.
    fn encrypted_key(&mut self, info: &AnyRef<'_>) {
        if let Some(algorithm) = elements(info.value()).and_then(|p| p.first().copied()) {
            self.encrypted += 1;
            self.encryption(&algorithm);
        }
    }

    /// The bags of an unencrypted SafeContents: `SEQUENCE OF SafeBag`.
    fn safe_contents(&mut self, der: &[u8]) {
        let Some(bags) = first(der).and_then(|s| elements(s.value())) else {
            return;
        };
        for bag in bags {
            let Some(parts) = elements(bag.value()) else {
                continue;
            };
            let (Some(id), Some(value)) = (parts.first(), parts.get(1)) else {
                continue;
            };
            if value.tag() != EXPLICIT_0 {
                continue;
            }
            if is_oid(id, &OID_SHROUDED_KEY_BAG) {
                if let Some(info) = first(value.value()) {
                    self.encrypted_key(&info);
                }
            } else if is_oid(id, &OID_SECRET_BAG) {
                // SecretBag { type OID, [0] EXPLICIT OCTET STRING (EncryptedPrivateKeyInfo) }
                let info = first(value.value())
                    .and_then(|secret| elements(secret.value()))
                    .and_then(|s| s.get(1).copied())
                    .filter(|v| v.tag() == EXPLICIT_0)
                    .and_then(|v| first(v.value()))
                    .filter(|v| v.tag() == Tag::OctetString)
                    .and_then(|v| first(v.value()));
                if let Some(info) = info {
                    self.encrypted_key(&info);
                }
            }
        }
    }
}

/// Walks what p12-keystore will derive keys for: the MAC, each ContentInfo of the
/// authenticated safe (EncryptedData, or Data holding SafeBags), each shrouded key and
/// secret bag of the unencrypted parts. What does not parse is left to p12-keystore, which
/// then refuses it before deriving anything.
fn work(pfx: &Pfx<'_>) -> Work {
    let mut work = Work::default();
    if let Some(mac) = pfx.mac.and_then(|m| elements(m.value())) {
        // MacData { mac DigestInfo, macSalt OCTET STRING, iterations INTEGER DEFAULT 1 }
        let n = mac.get(2).and_then(unsigned).unwrap_or(1);
        work.iterations(n, 1);
    }
    let safes = pfx
        .auth_safe
        .get(1)
        .filter(|c| c.tag() == EXPLICIT_0)
        .and_then(|c| first(c.value()))
        .filter(|o| o.tag() == Tag::OctetString)
        .and_then(|o| first(o.value()))
        .and_then(|s| elements(s.value()))
        .unwrap_or_default();
    for safe in safes {
        let Some(info) = elements(safe.value()) else {
            continue;
        };
        let (Some(kind), Some(content)) = (info.first(), info.get(1)) else {
            continue;
        };
        let Some(content) = Some(content)
            .filter(|c| c.tag() == EXPLICIT_0)
            .and_then(|c| first(c.value()))
        else {
            continue;
        };
        if is_oid(kind, &OID_DATA) {
            if content.tag() == Tag::OctetString {
                work.safe_contents(content.value());
            }
        } else if is_oid(kind, &OID_ENCRYPTED_DATA) {
            // EncryptedData { version, EncryptedContentInfo { type, algorithm, [0] content } }
            let Some(eci) = elements(content.value())
                .and_then(|e| e.get(1).copied())
                .and_then(|eci| elements(eci.value()))
            else {
                continue;
            };
            let has_content = eci.get(2).is_some_and(|c| c.tag() == IMPLICIT_0);
            if let (Some(algorithm), true) = (eci.get(1), has_content) {
                work.encrypted += 1;
                work.encryption(algorithm);
            }
        }
    }
    work
}

/// The refusal when the work is beyond a limit.
fn check_work(work: &Work) -> Result<(), Problem> {
    let too_much = |why: String| Err(Problem::TooMuchWork(why));
    if work.largest_iterations > MAX_ITERATIONS {
        return too_much(format!(
            "one of its key derivations asks for {} iterations; the limit is {} per derivation",
            group(work.largest_iterations),
            group(MAX_ITERATIONS)
        ));
    }
    if work.iterations > MAX_TOTAL_ITERATIONS {
        return too_much(format!(
            "its {} key derivations add up to {} iterations; the limit is {} per file (an export from Windows or OpenSSL needs about 10,000)",
            group(work.derivations as u64),
            group(work.iterations),
            group(MAX_TOTAL_ITERATIONS)
        ));
    }
    let (memory, n, r) = work.scrypt_memory;
    if memory > MAX_SCRYPT_MEMORY {
        return too_much(format!(
            "one of its scrypt key derivations needs {} MiB of memory (N = {}, r = {}); the limit is {} MiB per derivation",
            group(memory / (1024 * 1024)),
            group(n),
            r,
            MAX_SCRYPT_MEMORY / (1024 * 1024)
        ));
    }
    if work.scrypt_parallelism > MAX_SCRYPT_PARALLELISM {
        return too_much(format!(
            "one of its scrypt key derivations asks for parallelism p = {}; the limit is {MAX_SCRYPT_PARALLELISM}",
            group(work.scrypt_parallelism)
        ));
    }
    if work.scrypt_cost > MAX_TOTAL_SCRYPT_COST {
        return too_much(format!(
            "its scrypt key derivations add up to a cost N·r·p of {}; the limit is {} per file",
            group(work.scrypt_cost),
            group(MAX_TOTAL_SCRYPT_COST)
        ));
    }
    if work.derivations > MAX_DERIVATIONS {
        return too_much(format!(
            "it asks for {} key derivations; the limit is {MAX_DERIVATIONS} per file",
            group(work.derivations as u64)
        ));
    }
    Ok(())
}

/// Opens the file. Without a password the empty password is tried (OpenSSL writes such
/// files); when that fails the answer is [`Problem::PasswordNeeded`]. The key-derivation
/// work is weighed first: nothing is derived for a file beyond the limits.
pub fn read(bytes: &[u8], password: Option<&str>) -> Result<Vec<Entry>, Problem> {
    let pfx = pfx_shape(bytes)
        .ok_or_else(|| Problem::Damaged("it is not a PKCS#12 (PFX) structure".into()))?;
    let has_mac = pfx.mac.is_some();
    let work = work(&pfx);
    check_work(&work)?;
    let archive = Pkcs12Archive::from_pkcs12(bytes, password.unwrap_or("")).map_err(|e| {
        // Without a MAC, nothing tells a wrong password from damage: whatever fails once
        // an encrypted part was decrypted may be either.
        let after_decryption = matches!(
            e,
            P12Error::UnpadError
                | P12Error::DerError(_)
                | P12Error::InvalidData
                | P12Error::InvalidLength
                | P12Error::Pkcs5Error(_)
                | P12Error::X509Error(_)
                | P12Error::InvalidPrivateKey
                | P12Error::UnsupportedCertificateType
        );
        let password_problem = matches!(e, P12Error::MacError(_))
            || (!has_mac && work.encrypted > 0 && after_decryption);
        match (password_problem, password, has_mac) {
            (true, None, _) => Problem::PasswordNeeded,
            (true, Some(_), true) => Problem::WrongPassword,
            (true, Some(_), false) => Problem::WrongPasswordOrDamaged,
            (false, _, _) => match e {
                P12Error::UnsupportedEncryptionScheme | P12Error::UnsupportedMacAlgorithm => {
                    Problem::Unsupported(
                        "it uses an encryption or integrity algorithm relaycheck does not read (supported: 3DES, RC2-40, AES with PBKDF2 or scrypt; SHA-1 and SHA-2 MACs)".into(),
                    )
                }
                P12Error::InvalidParameters => Problem::Unsupported(
                    "its key-derivation parameters are missing or out of the range p12-keystore reads".into(),
                ),
                P12Error::UnsupportedContentType => Problem::Unsupported(
                    "its contents are signed with a public key (not password-based), which relaycheck does not read".into(),
                ),
                P12Error::InvalidVersion => Problem::Damaged("its version is not 3".into()),
                other => Problem::Damaged(other.to_string()),
            },
        }
    })?;
    Ok(link(archive))
}

/// Pairs keys with certificates: by local key id, else by trying each certificate (the
/// caller's key comparison decides), and gives every leaf the other certificates as chain.
fn link(archive: Pkcs12Archive) -> Vec<Entry> {
    let certs: Vec<Vec<u8>> = archive
        .certs
        .iter()
        .map(|c| c.cert.as_der().to_vec())
        .collect();
    let cert_ids: Vec<Option<&[u8]>> = archive
        .certs
        .iter()
        .map(|c| c.local_key_id.as_deref())
        .collect();
    let mut leaves: Vec<(usize, Option<Zeroizing<Vec<u8>>>)> = Vec::new();
    let mut unlinked_keys: Vec<Zeroizing<Vec<u8>>> = Vec::new();
    for bag in &archive.keys {
        let key = Zeroizing::new(bag.key.as_der().to_vec());
        let linked = bag.local_key_id.as_ref().and_then(|id| {
            cert_ids
                .iter()
                .position(|c| c.is_some_and(|c| c == id.0.as_slice()))
        });
        match linked {
            Some(i) if !leaves.iter().any(|(l, _)| *l == i) => leaves.push((i, Some(key))),
            _ => unlinked_keys.push(key),
        }
    }
    let end_entities: Vec<usize> = (0..certs.len())
        .filter(|i| !issues_another(&certs, *i))
        .collect();
    for key in unlinked_keys {
        let free = end_entities
            .iter()
            .copied()
            .chain(0..certs.len())
            .find(|i| !leaves.iter().any(|(l, _)| l == i));
        if let Some(i) = free {
            leaves.push((i, Some(key)));
        }
    }
    if leaves.is_empty() {
        if let Some(first) =
            end_entities
                .first()
                .copied()
                .or(if certs.is_empty() { None } else { Some(0) })
        {
            leaves.push((first, None));
        }
        for i in end_entities.iter().skip(1) {
            leaves.push((*i, None));
        }
    }
    leaves.sort_by_key(|(i, _)| *i);
    let leaf_set: Vec<usize> = leaves.iter().map(|(i, _)| *i).collect();
    leaves
        .into_iter()
        .map(|(i, key)| Entry {
            leaf: certs[i].clone(),
            chain: (0..certs.len())
                .filter(|j| !leaf_set.contains(j))
                .map(|j| certs[j].clone())
                .collect(),
            key,
        })
        .collect()
}

/// Whether certificate `i` is the issuer of another certificate in the set (a CA).
fn issues_another(certs: &[Vec<u8>], i: usize) -> bool {
    let Ok((_, ca)) = x509_parser::certificate::X509Certificate::from_der(&certs[i]) else {
        return false;
    };
    certs.iter().enumerate().any(|(j, der)| {
        j != i
            && x509_parser::certificate::X509Certificate::from_der(der)
                .is_ok_and(|(_, c)| c.issuer().as_raw() == ca.subject().as_raw())
    })
}

#[cfg(test)]
mod tests;
