//! Reading a certificate file: the leaf, its chain and any key beside it, into [`CertFacts`].

use std::net::IpAddr;

use x509_parser::certificate::X509Certificate;
use x509_parser::error::X509Error;
use x509_parser::extensions::GeneralName;

use super::algorithm::{eku_names, is_self_signed, key_kind, signature_algorithm};
use super::{CertError, CertFacts, Derived, PrivateKeyStatus, chain, dn, hex_upper, key, pem};

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
