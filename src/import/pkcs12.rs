//! PKCS#12 (`.pfx`, `.p12`) as `Export-PfxCertificate`, `Export-ExchangeCertificate` and the
//! Windows certificate export write them: the legacy encryption (RC2-40 for certificates,
//! 3DES for keys, SHA-1 MAC) as well as AES-256 with a SHA-256 MAC. Decryption is
//! p12-keystore's; this module only links keys to certificates and words the errors.
//!
//! The password is borrowed, never copied, printed or put in an error. Decrypted keys are
//! held in zeroising buffers and handed to certificate loading only to compare their
//! public halves with the certificate's.

use p12_keystore::Pkcs12Archive;
use p12_keystore::error::Error as P12Error;
use x509_parser::prelude::FromDer;
use zeroize::Zeroizing;

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
    /// The given password does not open it.
    WrongPassword,
    /// No integrity check (MAC) and decryption failed: wrong password or damaged data.
    WrongPasswordOrDamaged,
    /// The file is damaged or not PKCS#12 after all (the reason).
    Damaged(String),
    /// It uses something relaycheck cannot read (the reason).
    Unsupported(String),
}

impl Problem {
    /// A sentence for the admin; the caller adds the file name.
    pub fn sentence(&self) -> String {
        match self {
            Problem::PasswordNeeded => {
                "the PKCS#12 file is password-protected: give its password (the wizard asks for it; `check` reads it from --password-env VAR)".into()
            }
            Problem::WrongPassword => {
                "the password does not open this PKCS#12 file (its integrity check failed)".into()
            }
            Problem::WrongPasswordOrDamaged => {
                "the PKCS#12 file could not be decrypted: the password is wrong or the file is damaged".into()
            }
            Problem::Damaged(why) => format!("the PKCS#12 file is damaged: {why}"),
            Problem::Unsupported(why) => format!("the PKCS#12 file cannot be read: {why}"),
        }
    }
}

/// A DER tag-length-value: (tag, content, rest). Definite lengths only.
fn tlv(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (t, rest) = crate::cert::der::read(input)?;
    Some((t.tag, t.content, rest))
}

const OID_PKCS7_DATA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01];

/// The outer shape of a PFX: `SEQUENCE { INTEGER 3, ContentInfo(data), MacData OPTIONAL }`.
/// Returns whether it carries a MAC, or `None` when the bytes are not a PFX.
fn pfx_shape(bytes: &[u8]) -> Option<bool> {
    let (tag, pfx, _) = tlv(bytes)?;
    if tag != 0x30 {
        return None;
    }
    let (tag, version, rest) = tlv(pfx)?;
    if tag != 0x02 || version != [3] {
        return None;
    }
    let (tag, content_info, rest) = tlv(rest)?;
    if tag != 0x30 {
        return None;
    }
    let (tag, oid, _) = tlv(content_info)?;
    if tag != 0x06 || oid != OID_PKCS7_DATA {
        return None;
    }
    Some(!rest.is_empty())
}

/// Whether the bytes are a PKCS#12 file (judged by their structure, not the file name).
pub fn is_pkcs12(bytes: &[u8]) -> bool {
    pfx_shape(bytes).is_some()
}

/// Opens the file. Without a password the empty password is tried (OpenSSL writes such
/// files); when that fails the answer is [`Problem::PasswordNeeded`].
pub fn read(bytes: &[u8], password: Option<&str>) -> Result<Vec<Entry>, Problem> {
    let has_mac = pfx_shape(bytes)
        .ok_or_else(|| Problem::Damaged("it is not a PKCS#12 (PFX) structure".into()))?;
    let archive = Pkcs12Archive::from_pkcs12(bytes, password.unwrap_or("")).map_err(|e| {
        let password_problem = matches!(e, P12Error::MacError(_))
            || (!has_mac
                && matches!(
                    e,
                    P12Error::UnpadError | P12Error::DerError(_) | P12Error::InvalidData
                ));
        match (password_problem, password, has_mac) {
            (true, None, _) => Problem::PasswordNeeded,
            (true, Some(_), true) => Problem::WrongPassword,
            (true, Some(_), false) => Problem::WrongPasswordOrDamaged,
            (false, _, _) => match e {
                P12Error::UnsupportedEncryptionScheme | P12Error::UnsupportedMacAlgorithm => {
                    Problem::Unsupported(
                        "it uses an encryption or integrity algorithm relaycheck does not read (supported: 3DES, RC2-40, AES with PBKDF2; SHA-1 and SHA-2 MACs)".into(),
                    )
                }
                P12Error::InvalidParameters => Problem::Unsupported(
                    "its key-derivation parameters are out of range (more than 1,000,000 iterations?)".into(),
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
mod tests {
    use super::*;

    #[test]
    fn structure_sniffing() {
        assert!(!is_pkcs12(b""));
        assert!(!is_pkcs12(&[0x30, 0x03, 0x02, 0x01, 0x01]));
        assert!(!is_pkcs12(b"-----BEGIN CERTIFICATE-----"));
        let minimal = [
            0x30, 0x10, 0x02, 0x01, 0x03, 0x30, 0x0b, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7,
            0x0d, 0x01, 0x07, 0x01,
        ];
        assert!(is_pkcs12(&minimal));
        // Without a MAC a failure cannot tell a wrong password from damage.
        assert!(read(&minimal, None).is_err());
        assert_eq!(
            read(&minimal, Some("x")).unwrap_err(),
            Problem::WrongPasswordOrDamaged
        );
    }
}
