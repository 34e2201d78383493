//! What a certificate's key, signature and extended key usages are, read from their OIDs.

use x509_parser::certificate::X509Certificate;
use x509_parser::error::X509Error;
use x509_parser::public_key::PublicKey;

use super::{Digest, KeyKind, SignatureAlgorithm, der};

// OIDs by their DER content bytes: comparing bytes instead of turning each OID into dotted
// text (`to_id_string`, thousands of instructions a call) was a tenth of listing a store.
// Each constant is checked against its dotted form in the tests.
pub(super) const OID_ED25519: &[u8] = &[0x2b, 0x65, 0x70];
pub(super) const OID_ED448: &[u8] = &[0x2b, 0x65, 0x71];
pub(super) const OID_RSASSA_PSS: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a];

/// Named curves: DER bytes, dotted form, name.
pub(super) const CURVES: &[(&[u8], &str, &str)] = &[
    (
        &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07],
        "1.2.840.10045.3.1.7",
        "P-256",
    ),
    (&[0x2b, 0x81, 0x04, 0x00, 0x22], "1.3.132.0.34", "P-384"),
    (&[0x2b, 0x81, 0x04, 0x00, 0x23], "1.3.132.0.35", "P-521"),
];

pub(super) fn key_kind(cert: &X509Certificate<'_>) -> KeyKind {
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
pub(super) const SIGNATURES: &[(&[u8], &str, &str, Digest)] = &[
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

pub(super) fn signature_algorithm(cert: &X509Certificate<'_>) -> SignatureAlgorithm {
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

pub(super) fn eku_names(eku: &x509_parser::extensions::ExtendedKeyUsage<'_>) -> Vec<String> {
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
pub(super) fn is_self_signed(cert: &X509Certificate<'_>, key: &KeyKind) -> bool {
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
