//! Damaged input never panics: every fixture and corpus file truncated and with bytes
//! flipped is either read or refused with a message naming the file.

use crate::support;

use std::path::{Path, PathBuf};

use p12_keystore::{
    Certificate, EncryptionAlgorithm, KeyStore, KeyStoreEntry, MacAlgorithm, PrivateKey,
    PrivateKeyChain,
};
use relaycheck::error::InputError;
use relaycheck::import::{self, ImportError, Overrides};
use zeroize::Zeroizing;

/// Loads `bytes` as the given kind of input; a refusal must name the file.
fn try_load(dir: &Path, kind: &str, bytes: &[u8], password: Option<&Zeroizing<String>>) {
    let p = dir.join("input");
    std::fs::write(&p, bytes).unwrap();
    let mut o = Overrides::default();
    match kind {
        "certificate" => o.certificate = Some(p.clone()),
        "accepted" => o.accepted_domains = Some(p.clone()),
        "status" => o.domain_status = Some(p.clone()),
        "inbound" => o.inbound_connectors = Some(p.clone()),
        _ => o.outbound_connectors = Some(p.clone()),
    }
    if let Err(e) = import::load(&o, password, support::now()) {
        let e = match e {
            ImportError::PasswordNeeded { path } => InputError::new(path, "password"),
            other => InputError::from(other),
        };
        assert_eq!(e.path.as_deref(), Some(p.as_path()), "{kind}: {e}");
        assert!(!e.message.is_empty());
    }
}

/// Prefixes, and copies with one byte changed, at `step` intervals.
fn damaged(bytes: &[u8], step: usize) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for n in (0..bytes.len()).step_by(step) {
        out.push(bytes[..n].to_vec());
        let mut flipped = bytes.to_vec();
        flipped[n] ^= 0x5a;
        out.push(flipped);
    }
    out
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(name)
}

#[test]
fn damaged_json_never_panics() {
    let tmp = tempfile::tempdir().unwrap();
    for (name, kind) in [
        ("accepted-domains.json", "accepted"),
        ("accepted-domain-single-object.json", "accepted"),
        ("accepted-domains-enum-numbers.json", "accepted"),
        ("domain-status.json", "status"),
        ("inbound-connectors.json", "inbound"),
        ("outbound-connectors.json", "outbound"),
    ] {
        let bytes = std::fs::read(fixture(name)).unwrap();
        for b in damaged(&bytes, 3) {
            try_load(tmp.path(), kind, &b, None);
        }
    }
}

#[test]
fn damaged_clixml_never_panics() {
    let Some(dir) = support::corpora() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let path = dir.join("powershell/css-exchange-clixml/E19_GetExchangeCertificate.xml");
    let text = std::fs::read_to_string(&path).unwrap();
    for b in damaged(text.as_bytes(), 97) {
        try_load(tmp.path(), "certificate", &b, None);
    }
    // Inside the SerializationData blob every Base64 character changed in turn: the .NET
    // reader must give up quietly (no Services) or read on, never panic or hang.
    let start = text.find("<BA N=\"SerializationData\">").unwrap() + 26;
    let end = start + text[start..].find('<').unwrap();
    for i in (start..end).step_by(5) {
        let mut b = text.clone().into_bytes();
        b[i] = if b[i] == b'A' { b'/' } else { b'A' };
        try_load(tmp.path(), "certificate", &b, None);
    }
    let domains = dir.join("powershell/css-exchange-clixml/E19_GetAcceptedDomain_Bad.xml");
    let bytes = std::fs::read(domains).unwrap();
    for b in damaged(&bytes, 401) {
        try_load(tmp.path(), "accepted", &b, None);
    }
}

#[test]
fn damaged_pkcs12_never_panics() {
    let made = relaycheck::lab::issue(
        &relaycheck::lab::LabSpec::new("mail.contoso.com", &["mail.contoso.com"], support::now()),
        relaycheck::lab::LabCa::shared().unwrap(),
    )
    .unwrap();
    let key_der: Vec<u8> = {
        let body: String = made
            .key_pem
            .lines()
            .filter(|l| !l.starts_with("-----"))
            .collect();
        data_encoding::BASE64.decode(body.as_bytes()).unwrap()
    };
    let mut store = KeyStore::new();
    store.add_entry(
        "k",
        KeyStoreEntry::PrivateKeyChain(PrivateKeyChain::new(
            b"id".as_slice(),
            PrivateKey::from_der(&key_der).unwrap(),
            [Certificate::from_der(&made.cert_der).unwrap()],
        )),
    );
    let password = Zeroizing::new("pw".to_string());
    let tmp = tempfile::tempdir().unwrap();
    for (enc, mac) in [
        (
            EncryptionAlgorithm::PbeWithShaAnd3KeyTripleDesCbc,
            MacAlgorithm::HmacSha1,
        ),
        (
            EncryptionAlgorithm::PbeWithHmacSha256AndAes256,
            MacAlgorithm::HmacSha256,
        ),
    ] {
        let pfx = store
            .writer(&password)
            .encryption_algorithm(enc)
            .encryption_iterations(1)
            .mac_algorithm(mac)
            .mac_iterations(1)
            .write()
            .unwrap();
        for b in damaged(&pfx, 11) {
            try_load(tmp.path(), "certificate", &b, Some(&password));
        }
    }
}
