//! Private keys found beside a certificate: does the key belong to it?
//!
//! We compare public halves: the RSA modulus and exponent, the EC point, or the Ed25519
//! public key. The key material itself is never kept, printed or logged.
//!
//! The structures are read with RustCrypto's `pkcs8`, `pkcs1` and `sec1` crates, through
//! their borrowing `…Ref` types: they point into the caller's buffer (a `Zeroizing` PEM or
//! PKCS#12 block) and copy no private key material, so zeroising that buffer is enough.

use pkcs8::der::Decode;
use pkcs8::der::asn1::OctetStringRef;
use pkcs8::{ObjectIdentifier, PrivateKeyInfoRef};
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

const OID_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const OID_EC: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const OID_ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");

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

/// PKCS#8 `PrivateKeyInfo` (v1) or `OneAsymmetricKey` (v2, which may carry the public key).
fn pkcs8_public(input: &[u8]) -> Result<PublicHalf<'_>, KeyProblem> {
    let info = PrivateKeyInfoRef::from_der(input).map_err(|_| unreadable("PKCS#8"))?;
    let private = info.private_key.as_bytes();
    let oid = info.algorithm.oid;
    if oid == OID_RSA {
        pkcs1_public(private)
    } else if oid == OID_EC {
        sec1_public(private)
    } else if oid == OID_ED25519 {
        if let Some(public) = &info.public_key {
            return Ok(PublicHalf::Point(public.raw_bytes().to_vec()));
        }
        // RFC 8410: the private key is CurvePrivateKey ::= OCTET STRING, the 32-byte seed.
        let seed = <&OctetStringRef>::from_der(private).map_err(|_| unreadable("PKCS#8"))?;
        let pair = ring::signature::Ed25519KeyPair::from_seed_unchecked(seed.as_bytes())
            .map_err(|_| unreadable("Ed25519"))?;
        use ring::signature::KeyPair;
        Ok(PublicHalf::Point(pair.public_key().as_ref().to_vec()))
    } else {
        Err(KeyProblem::Unverifiable(
            "the private key is of a kind relaycheck does not compare (only RSA, EC and Ed25519)"
                .into(),
        ))
    }
}

/// PKCS#1 `RSAPrivateKey`: the modulus and public exponent.
fn pkcs1_public(input: &[u8]) -> Result<PublicHalf<'_>, KeyProblem> {
    let key = pkcs1::RsaPrivateKeyRef::from_der(input).map_err(|_| unreadable("RSA"))?;
    Ok(PublicHalf::Rsa {
        modulus: key.modulus.as_bytes(),
        exponent: key.public_exponent.as_bytes(),
    })
}

/// SEC1 `ECPrivateKey`: the public point, when the key carries it (`[1] publicKey`).
fn sec1_public(input: &[u8]) -> Result<PublicHalf<'_>, KeyProblem> {
    let key = sec1::EcPrivateKey::from_der(input).map_err(|_| unreadable("EC"))?;
    let point = key.public_key.ok_or_else(|| {
        KeyProblem::Unverifiable(
            "the EC private key does not carry its public key, so it cannot be compared".into(),
        )
    })?;
    Ok(PublicHalf::Point(point.to_vec()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use pkcs8::PrivateKeyInfoRef;
    use pkcs8::der::Decode;
    use pkcs8::der::asn1::OctetStringRef;
    use relaycheck_lab::{self as lab, LabCa, LabIssuer, LabKey, LabSpec};
    use x509_parser::prelude::{FromDer, X509Certificate};
    use zeroize::Zeroizing;

    /// A lab certificate (DER) and its private key (PKCS#8 DER).
    fn lab_pair(key: LabKey) -> (Vec<u8>, Zeroizing<Vec<u8>>) {
        let mut spec = LabSpec::new("mail.contoso.com", &[], rcgen::date_time_ymd(2026, 11, 22));
        spec.key = key;
        spec.issuer = LabIssuer::SelfSigned;
        let made = lab::issue(&spec, LabCa::shared().expect("lab CA")).expect("lab certificate");
        let block = super::super::pem::blocks(&made.key_pem)
            .into_iter()
            .next()
            .expect("a key block");
        assert_eq!(block.label, "PRIVATE KEY");
        (made.cert_der, block.data.expect("base64"))
    }

    /// A self-signed Ed25519 certificate and its key as ring writes it (PKCS#8 v2).
    fn ed25519_pair() -> (Vec<u8>, Vec<u8>) {
        let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ED25519).expect("Ed25519 key");
        let params =
            rcgen::CertificateParams::new(vec!["mail.contoso.com".to_string()]).expect("params");
        let cert = params.self_signed(&key).expect("certificate");
        (cert.der().to_vec(), key.serialized_der().to_vec())
    }

    /// The key inside a PKCS#8 wrapper (PKCS#1 for RSA, SEC1 for EC, the seed for Ed25519).
    fn inner(pkcs8: &[u8]) -> Vec<u8> {
        PrivateKeyInfoRef::from_der(pkcs8)
            .expect("PKCS#8")
            .private_key
            .as_bytes()
            .to_vec()
    }

    /// A PKCS#8 v1 key with a one-element OID (3 bytes, as 1.3.101.x) and a 32-byte-or-so
    /// CurvePrivateKey, as RFC 8410 writes X25519 and Ed25519 keys.
    fn rfc8410_v1(oid_last: u8, seed: &[u8]) -> Vec<u8> {
        let n = u8::try_from(seed.len()).expect("short seed");
        let mut der = vec![0x30, 14 + n, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03];
        der.extend([0x2b, 0x65, oid_last, 0x04, 2 + n, 0x04, n]);
        der.extend_from_slice(seed);
        der
    }

    fn status(block: KeyBlock<'_>, cert_der: &[u8]) -> PrivateKeyStatus {
        let (_, cert) = X509Certificate::from_der(cert_der).expect("certificate");
        check(block, cert.public_key())
    }

    fn unreadable(what: &str) -> PrivateKeyStatus {
        PrivateKeyStatus::Unreadable(format!("the {what} private key is malformed"))
    }

    #[test]
    fn ec_keys_in_pkcs8_and_sec1_are_compared_by_their_point() {
        let (cert, key) = lab_pair(LabKey::EcdsaP256);
        let (_, other) = lab_pair(LabKey::EcdsaP256);
        let sec1 = inner(&key);
        let cases = [
            (
                "PKCS#8, own key",
                KeyBlock::Pkcs8(&key),
                PrivateKeyStatus::Matches,
            ),
            (
                "PKCS#8, another key",
                KeyBlock::Pkcs8(&other),
                PrivateKeyStatus::DoesNotMatch,
            ),
            (
                "SEC1, own key",
                KeyBlock::Sec1Ec(&sec1),
                PrivateKeyStatus::Matches,
            ),
        ];
        for (name, block, want) in cases {
            assert_eq!(status(block, &cert), want, "{name}");
        }
        let other_sec1 = inner(&other);
        assert_eq!(
            status(KeyBlock::Sec1Ec(&other_sec1), &cert),
            PrivateKeyStatus::DoesNotMatch
        );
    }

    #[test]
    fn an_ec_key_without_its_public_key_is_unverifiable() {
        let (cert, key) = lab_pair(LabKey::EcdsaP256);
        let scalar = sec1::EcPrivateKey::from_der(&inner(&key))
            .expect("SEC1")
            .private_key
            .to_vec();
        // ECPrivateKey { version 1, privateKey } and nothing else.
        let mut bare = vec![0x30, 0x25, 0x02, 0x01, 0x01, 0x04, 0x20];
        bare.extend_from_slice(&scalar);
        assert_eq!(
            status(KeyBlock::Sec1Ec(&bare), &cert),
            PrivateKeyStatus::Unverifiable(
                "the EC private key does not carry its public key, so it cannot be compared".into()
            )
        );
    }

    #[test]
    fn rsa_keys_in_pkcs8_and_pkcs1_are_compared_by_modulus_and_exponent() {
        let (cert, key) = lab_pair(LabKey::Rsa1024);
        let (_, other) = lab_pair(LabKey::Rsa1024);
        let (ec_cert, _) = lab_pair(LabKey::EcdsaP256);
        let pkcs1 = inner(&key);
        let other_pkcs1 = inner(&other);
        let cases = [
            (
                "PKCS#8, own key",
                KeyBlock::Pkcs8(&key),
                &cert,
                PrivateKeyStatus::Matches,
            ),
            (
                "PKCS#1, own key",
                KeyBlock::Pkcs1Rsa(&pkcs1),
                &cert,
                PrivateKeyStatus::Matches,
            ),
            (
                "PKCS#8, another key",
                KeyBlock::Pkcs8(&other),
                &cert,
                PrivateKeyStatus::DoesNotMatch,
            ),
            (
                "PKCS#1, another key",
                KeyBlock::Pkcs1Rsa(&other_pkcs1),
                &cert,
                PrivateKeyStatus::DoesNotMatch,
            ),
            (
                "RSA key beside an ECDSA certificate",
                KeyBlock::Pkcs8(&key),
                &ec_cert,
                PrivateKeyStatus::DoesNotMatch,
            ),
        ];
        for (name, block, cert, want) in cases {
            assert_eq!(status(block, cert), want, "{name}");
        }
    }

    #[test]
    fn ed25519_keys_match_by_embedded_public_key_or_by_seed() {
        let (cert, key) = ed25519_pair();
        let (_, other) = ed25519_pair();
        let seed_of = |pkcs8: &[u8]| {
            let wrapped = inner(pkcs8);
            <&OctetStringRef>::from_der(&wrapped)
                .expect("CurvePrivateKey")
                .as_bytes()
                .to_vec()
        };
        let v1_own = rfc8410_v1(0x70, &seed_of(&key));
        let v1_other = rfc8410_v1(0x70, &seed_of(&other));
        let cases = [
            ("v2 with public key, own", &key, PrivateKeyStatus::Matches),
            (
                "v2 with public key, another",
                &other,
                PrivateKeyStatus::DoesNotMatch,
            ),
            ("v1 seed only, own", &v1_own, PrivateKeyStatus::Matches),
            (
                "v1 seed only, another",
                &v1_other,
                PrivateKeyStatus::DoesNotMatch,
            ),
        ];
        for (name, der, want) in cases {
            assert_eq!(status(KeyBlock::Pkcs8(der), &cert), want, "{name}");
        }
    }

    #[test]
    fn encrypted_and_unknown_keys_are_unverifiable() {
        let (cert, _) = ed25519_pair();
        assert_eq!(
            status(KeyBlock::Encrypted, &cert),
            PrivateKeyStatus::Unverifiable(
                "the private key is encrypted; relaycheck cannot compare it".into()
            )
        );
        let x25519 = rfc8410_v1(0x6e, &[7; 32]);
        assert_eq!(
            status(KeyBlock::Pkcs8(&x25519), &cert),
            PrivateKeyStatus::Unverifiable(
                "the private key is of a kind relaycheck does not compare (only RSA, EC and \
                 Ed25519)"
                    .into()
            )
        );
    }

    #[test]
    fn malformed_keys_are_unreadable_with_the_structure_named() {
        let (cert, _) = lab_pair(LabKey::EcdsaP256);
        // PKCS#8 v1 with the rsaEncryption OID (NULL parameters) around an empty SEQUENCE.
        let rsa_oid_around_nothing = [
            0x30, 0x17, 0x02, 0x01, 0x00, 0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7,
            0x0d, 0x01, 0x01, 0x01, 0x05, 0x00, 0x04, 0x03, 0x30, 0x01, 0x00,
        ];
        let short_seed = rfc8410_v1(0x70, &[7; 31]);
        let not_a_seed = {
            let mut der = rfc8410_v1(0x70, &[7; 32]);
            der[14] = 0x05; // the CurvePrivateKey's OCTET STRING tag, now NULL
            der
        };
        let sequence_header_only = [0x30, 0x82, 0x01, 0x00, 0x00, 0x00];
        let cases = [
            (
                "PKCS#8 header only",
                KeyBlock::Pkcs8(&sequence_header_only),
                unreadable("PKCS#8"),
            ),
            ("PKCS#8 empty", KeyBlock::Pkcs8(&[]), unreadable("PKCS#8")),
            (
                "PKCS#8 truncated",
                KeyBlock::Pkcs8(&short_seed[..20]),
                unreadable("PKCS#8"),
            ),
            (
                "RSA inside PKCS#8",
                KeyBlock::Pkcs8(&rsa_oid_around_nothing),
                unreadable("RSA"),
            ),
            (
                "Ed25519 seed of 31 bytes",
                KeyBlock::Pkcs8(&short_seed),
                unreadable("Ed25519"),
            ),
            (
                "Ed25519 seed not an OCTET STRING",
                KeyBlock::Pkcs8(&not_a_seed),
                unreadable("PKCS#8"),
            ),
            (
                "PKCS#1 garbage",
                KeyBlock::Pkcs1Rsa(&[0x30, 0x03, 0x02, 0x01, 0x00]),
                unreadable("RSA"),
            ),
            (
                "SEC1 garbage",
                KeyBlock::Sec1Ec(&[0x04, 0x00]),
                unreadable("EC"),
            ),
        ];
        for (name, block, want) in cases {
            assert_eq!(status(block, &cert), want, "{name}");
        }
    }
}
