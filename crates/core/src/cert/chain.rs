//! The certificate's chain as its source carries it (docs/checks.md, `cert-chain-incomplete`
//! and `cert-untrusted-root`): from the leaf, each issuer found in the same file (same name,
//! and its key verifies the signature), up to a self-signed root or to an issuer the file
//! does not carry. Whether that end is a public root is read off Mozilla's root store
//! (`webpki-roots`); whether a scenario trusts it is decided later, with the scenario's
//! `trusted_roots`.

use std::collections::HashMap;
use std::sync::OnceLock;

use x509_parser::certificate::X509Certificate;
use x509_parser::prelude::FromDer;
use x509_parser::x509::SubjectPublicKeyInfo;

use super::dn;

/// A certificate of the chain, as far as a report needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub subject: String,
    pub thumbprint: String,
}

/// A root as the scenario may name it in `trusted_roots`: its raw subject and key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RootKey {
    pub subject_der: Vec<u8>,
    pub spki_der: Vec<u8>,
}

/// Where the chain the file carries ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainEnd {
    /// The leaf is its own issuer (`cert-self-signed` says the rest).
    SelfSignedLeaf,
    /// A self-signed root the file carries; `public`: it is in Mozilla's root store.
    Root {
        subject: String,
        key: RootKey,
        public: bool,
    },
    /// The file does not carry the issuer of the last certificate; `public`: that issuer is a
    /// root of Mozilla's store (same name, and its key verifies the signature).
    Missing {
        issuer: String,
        issuer_der: Vec<u8>,
        public: bool,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainFacts {
    /// The certificates above the leaf, in order, as far as the file carries them.
    pub path: Vec<Link>,
    pub end: ChainEnd,
}

impl ChainFacts {
    /// The file carries no issuer certificate for the leaf (and the leaf is not self-signed).
    pub fn leaf_issuer_missing(&self) -> bool {
        self.path.is_empty() && matches!(self.end, ChainEnd::Missing { public: false, .. })
    }
}

/// Mozilla's roots by raw subject (the contents of the Name, as webpki keeps them).
fn public_roots() -> &'static HashMap<&'static [u8], Vec<&'static [u8]>> {
    static ROOTS: OnceLock<HashMap<&'static [u8], Vec<&'static [u8]>>> = OnceLock::new();
    ROOTS.get_or_init(|| {
        let mut m: HashMap<&'static [u8], Vec<&'static [u8]>> = HashMap::new();
        for a in webpki_roots::TLS_SERVER_ROOTS {
            m.entry(a.subject.as_ref())
                .or_default()
                .push(a.subject_public_key_info.as_ref());
        }
        m
    })
}

/// The contents of a DER element (without its tag and length).
fn contents(der: &[u8]) -> &[u8] {
    super::der::read(der).map_or(der, |(tlv, _)| tlv.content)
}

/// A DER SEQUENCE around `contents`.
fn sequence(contents: &[u8]) -> Vec<u8> {
    let mut out = vec![0x30];
    let n = contents.len();
    if n < 0x80 {
        out.push(n as u8);
    } else {
        let bytes: Vec<u8> = n
            .to_be_bytes()
            .into_iter()
            .skip_while(|b| *b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
    out.extend_from_slice(contents);
    out
}

/// Whether `cert` was signed by the key `spki_der` (a whole SubjectPublicKeyInfo).
fn signed_by(cert: &X509Certificate<'_>, spki_der: &[u8]) -> bool {
    SubjectPublicKeyInfo::from_der(spki_der)
        .map(|(_, spki)| cert.verify_signature(Some(&spki)).is_ok())
        .unwrap_or(false)
}

/// `cert`'s issuer is a public root: a root of that name whose key verifies the signature.
fn issued_by_public_root(cert: &X509Certificate<'_>) -> bool {
    public_roots()
        .get(contents(cert.issuer().as_raw()))
        .is_some_and(|keys| keys.iter().any(|k| signed_by(cert, &sequence(k))))
}

fn is_public_root(cert: &X509Certificate<'_>) -> bool {
    let spki = contents(cert.public_key().raw);
    public_roots()
        .get(contents(cert.subject().as_raw()))
        .is_some_and(|keys| keys.contains(&spki))
}

fn is_self_issued(cert: &X509Certificate<'_>) -> bool {
    cert.issuer().as_raw() == cert.subject().as_raw() && signed_by(cert, cert.public_key().raw)
}

/// Walks the chain of `leaf` through the other certificates of its file.
pub fn walk(leaf: &X509Certificate<'_>, others: &[(X509Certificate<'_>, String)]) -> ChainFacts {
    if is_self_issued(leaf) {
        return ChainFacts {
            path: Vec::new(),
            end: ChainEnd::SelfSignedLeaf,
        };
    }
    let mut by_subject: HashMap<&[u8], Vec<usize>> = HashMap::new();
    for (i, (c, _)) in others.iter().enumerate() {
        by_subject.entry(c.subject().as_raw()).or_default().push(i);
    }
    let mut path = Vec::new();
    let mut used = vec![false; others.len()];
    let mut current = leaf;
    loop {
        let issuer = by_subject.get(current.issuer().as_raw()).and_then(|ids| {
            ids.iter()
                .copied()
                .find(|i| !used[*i] && signed_by(current, others[*i].0.public_key().raw))
        });
        let Some(i) = issuer else {
            return ChainFacts {
                path,
                end: ChainEnd::Missing {
                    issuer: dn::exchange_dn(current.issuer()),
                    issuer_der: current.issuer().as_raw().to_vec(),
                    public: issued_by_public_root(current),
                },
            };
        };
        used[i] = true;
        let (cert, thumbprint) = &others[i];
        path.push(Link {
            subject: dn::exchange_dn(cert.subject()),
            thumbprint: thumbprint.clone(),
        });
        if is_self_issued(cert) {
            return ChainFacts {
                path,
                end: ChainEnd::Root {
                    subject: dn::exchange_dn(cert.subject()),
                    key: RootKey {
                        subject_der: cert.subject().as_raw().to_vec(),
                        spki_der: cert.public_key().raw.to_vec(),
                    },
                    public: is_public_root(cert),
                },
            };
        }
        current = cert;
    }
}

/// The key a certificate given as a trusted root stands for (`None`: not a certificate).
pub fn root_key(der: &[u8]) -> Option<RootKey> {
    let (_, cert) = x509_parser::parse_x509_certificate(der).ok()?;
    Some(RootKey {
        subject_der: cert.subject().as_raw().to_vec(),
        spki_der: cert.public_key().raw.to_vec(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_public_root_store_is_there_and_keyed_by_name() {
        assert!(webpki_roots::TLS_SERVER_ROOTS.len() > 100);
        // DigiCert Global Root G2: Exchange Online's TLS certificate chains to it (MC1224565).
        let g2 = public_roots()
            .keys()
            .any(|subject| subject.windows(23).any(|w| w == b"DigiCert Global Root G2"));
        assert!(g2);
    }

    #[test]
    fn sequences_wrap_short_and_long_contents() {
        assert_eq!(sequence(&[1, 2]), vec![0x30, 2, 1, 2]);
        let long = vec![7u8; 300];
        let s = sequence(&long);
        assert_eq!(&s[..4], &[0x30, 0x82, 0x01, 0x2c]);
        assert_eq!(contents(&s), &long[..]);
    }
}
