//! Private keys found beside a certificate: does the key belong to it?
//!
//! We compare public halves: the RSA modulus and exponent, the EC point, or the Ed25519
//! public key. The key material itself is never kept, printed or logged.

use x509_parser::public_key::PublicKey;
use x509_parser::x509::SubjectPublicKeyInfo;

use super::der;

/// What the certificate's source says about its private key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrivateKeyStatus {
    /// No private key came with the certificate.
    NotSupplied,
    /// A key came with it and its public half is the certificate's.
    Matches,
    /// A key came with it and belongs to another certificate.
    DoesNotMatch,
    /// A key block was present but could not be read (the reason, never the key).
    Unreadable(String),
    /// A key is present but cannot be compared (encrypted, or of a kind we do not read).
    Unverifiable(String),
}

impl PrivateKeyStatus {
    pub fn is_supplied(&self) -> bool {
        !matches!(self, PrivateKeyStatus::NotSupplied)
    }
}

/// A private key block, by its PEM label or its DER structure.
#[derive(Debug, Clone, Copy)]
pub enum KeyBlock<'a> {
    Pkcs8(&'a [u8]),
    Pkcs1Rsa(&'a [u8]),
    Sec1Ec(&'a [u8]),
    Encrypted,
}

impl<'a> KeyBlock<'a> {
    /// Maps a PEM label to a key block; `None` when the label is not a private key.
    pub fn from_pem(label: &str, contents: &'a [u8], encrypted_headers: bool) -> Option<Self> {
        let block = match label {
            "PRIVATE KEY" => KeyBlock::Pkcs8(contents),
            "RSA PRIVATE KEY" => KeyBlock::Pkcs1Rsa(contents),
            "EC PRIVATE KEY" => KeyBlock::Sec1Ec(contents),
            "ENCRYPTED PRIVATE KEY" => KeyBlock::Encrypted,
            _ => return None,
        };
        Some(if encrypted_headers {
            KeyBlock::Encrypted
        } else {
            block
        })
    }
}

/// The public half of a key, in a form comparable with a certificate's.
#[derive(Debug, PartialEq, Eq)]
enum PublicHalf<'a> {
    Rsa {
        modulus: &'a [u8],
        exponent: &'a [u8],
    },
    Point(Vec<u8>),
}

const OID_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
const OID_EC: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
const OID_ED25519: &[u8] = &[0x2b, 0x65, 0x70];

/// Compares a key block with the certificate's public key.
pub fn check(block: KeyBlock<'_>, spki: &SubjectPublicKeyInfo<'_>) -> PrivateKeyStatus {
    let public = match block {
        KeyBlock::Encrypted => {
            return PrivateKeyStatus::Unverifiable(
                "the private key is encrypted; relaycheck cannot compare it".into(),
            );
        }
        KeyBlock::Pkcs8(der) => pkcs8_public(der),
        KeyBlock::Pkcs1Rsa(der) => pkcs1_public(der),
        KeyBlock::Sec1Ec(der) => sec1_public(der),
    };
    let public = match public {
        Ok(p) => p,
        Err(KeyProblem::Unreadable(why)) => return PrivateKeyStatus::Unreadable(why),
        Err(KeyProblem::Unverifiable(why)) => return PrivateKeyStatus::Unverifiable(why),
    };
    let same = match (&public, spki.parsed()) {
        (PublicHalf::Rsa { modulus, exponent }, Ok(PublicKey::RSA(rsa))) => {
            der::strip_leading_zeros(modulus) == der::strip_leading_zeros(rsa.modulus)
                && der::strip_leading_zeros(exponent) == der::strip_leading_zeros(rsa.exponent)
        }
        (PublicHalf::Point(point), _) => point.as_slice() == spki.subject_public_key.data.as_ref(),
        _ => false,
    };
    if same {
        PrivateKeyStatus::Matches
    } else {
        PrivateKeyStatus::DoesNotMatch
    }
}

enum KeyProblem {
    Unreadable(String),
    Unverifiable(String),
}

fn unreadable(what: &str) -> KeyProblem {
    KeyProblem::Unreadable(format!("the {what} private key is malformed"))
}

fn pkcs8_public(input: &[u8]) -> Result<PublicHalf<'_>, KeyProblem> {
    let bad = || unreadable("PKCS#8");
    let (seq, _) = der::expect(input, der::SEQUENCE).ok_or_else(bad)?;
    let parts = der::children(seq).ok_or_else(bad)?;
    let [version, algorithm, private, rest @ ..] = parts.as_slice() else {
        return Err(bad());
    };
    if version.tag != der::INTEGER || algorithm.tag != der::SEQUENCE {
        return Err(bad());
    }
    if private.tag != der::OCTET_STRING {
        return Err(bad());
    }
    let (oid, _) = der::expect(algorithm.content, der::OID).ok_or_else(bad)?;
    // OneAsymmetricKey (v2) may carry the public key as [1] IMPLICIT BIT STRING.
    let embedded_public = rest
        .iter()
        .find(|t| t.tag == 0x81)
        .and_then(|t| t.content.split_first())
        .map(|(_, key)| key.to_vec());
    match oid {
        OID_RSA => pkcs1_public(private.content),
        OID_EC => sec1_public(private.content),
        OID_ED25519 => {
            if let Some(key) = embedded_public {
                return Ok(PublicHalf::Point(key));
            }
            let (seed, _) = der::expect(private.content, der::OCTET_STRING).ok_or_else(bad)?;
            let pair = ring::signature::Ed25519KeyPair::from_seed_unchecked(seed)
                .map_err(|_| unreadable("Ed25519"))?;
            use ring::signature::KeyPair;
            Ok(PublicHalf::Point(pair.public_key().as_ref().to_vec()))
        }
        _ => Err(KeyProblem::Unverifiable(
            "the private key is of a kind relaycheck does not compare (only RSA, EC and Ed25519)"
                .into(),
        )),
    }
}

fn pkcs1_public(input: &[u8]) -> Result<PublicHalf<'_>, KeyProblem> {
    let bad = || unreadable("RSA");
    let (seq, _) = der::expect(input, der::SEQUENCE).ok_or_else(bad)?;
    let (_version, rest) = der::expect(seq, der::INTEGER).ok_or_else(bad)?;
    let (modulus, rest) = der::expect(rest, der::INTEGER).ok_or_else(bad)?;
    let (exponent, _) = der::expect(rest, der::INTEGER).ok_or_else(bad)?;
    Ok(PublicHalf::Rsa { modulus, exponent })
}

fn sec1_public(input: &[u8]) -> Result<PublicHalf<'_>, KeyProblem> {
    let bad = || unreadable("EC");
    let (seq, _) = der::expect(input, der::SEQUENCE).ok_or_else(bad)?;
    let parts = der::children(seq).ok_or_else(bad)?;
    // ECPrivateKey ::= SEQUENCE { version, privateKey, [0] parameters OPTIONAL,
    //                             [1] publicKey BIT STRING OPTIONAL }
    let public = parts.iter().find(|t| t.tag == 0xa1).ok_or_else(|| {
        KeyProblem::Unverifiable(
            "the EC private key does not carry its public key, so it cannot be compared".into(),
        )
    })?;
    let (bits, _) = der::expect(public.content, der::BIT_STRING).ok_or_else(bad)?;
    let (_, point) = bits.split_first().ok_or_else(bad)?;
    Ok(PublicHalf::Point(point.to_vec()))
}
