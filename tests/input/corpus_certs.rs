//! Certificates written by others (../shared/corpora/certs): every file loads or is refused
//! with a sentence, never a panic; where OpenSSL and python-cryptography both read a file,
//! relaycheck reads it too and agrees on the facts; Exchange thumbprints and the
//! `<I>…<S>…` name resolve to the right certificate.

use crate::support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let p = entry.path();
        if p.is_dir() {
            out.extend(files(&p));
        } else if !matches!(
            p.file_name().and_then(|n| n.to_str()),
            Some("manifest.jsonl" | "SOURCE.md")
        ) {
            out.push(p);
        }
    }
    out.sort();
    out
}

#[test]
fn every_corpus_file_loads_or_is_refused_with_a_sentence() {
    let Some(dir) = support::corpora() else {
        return;
    };
    let certs = dir.join("certs");
    let all = files(&certs);
    assert!(all.len() >= 180, "{} files", all.len());
    let (mut ok, mut refused) = (0, 0);
    for f in &all {
        let bytes = std::fs::read(f).unwrap();
        let name = f.display().to_string();
        let result = std::panic::catch_unwind(|| relaycheck::cert::load(&name, &bytes, None));
        match result {
            Err(_) => panic!("{name}: loading panicked"),
            Ok(Ok(_)) => ok += 1,
            Ok(Err(e)) => {
                refused += 1;
                assert!(
                    !e.0.is_empty() && !e.0.contains('\n'),
                    "{name}: the error is one line: {:?}",
                    e.0
                );
                assert!(
                    !e.0.contains("nom error"),
                    "{name}: parser jargon leaked: {}",
                    e.0
                );
            }
        }
    }
    eprintln!("{ok} loaded, {refused} refused");
    assert!(ok > 150, "{ok} loaded");
}

#[test]
fn malformed_files_are_refused_with_the_reason() {
    let Some(dir) = support::corpora() else {
        return;
    };
    let m = dir.join("certs/derived-malformed");
    let expect = [
        ("empty.der", "the file is empty"),
        ("certificate.der.trunc-10bytes.der", "truncated"),
        ("certificate.der.trunc-half.der", "truncated"),
        ("certificate.der.trunc-minus1.der", "truncated"),
        (
            "certificate.der.outer-length-too-long.der",
            "not a valid X.509 certificate",
        ),
        ("certificate.pem.bad-base64.pem", "not valid Base64"),
        ("certificate.pem.body-cut.pem", "truncated"),
    ];
    for (file, words) in expect {
        let bytes = std::fs::read(m.join(file)).unwrap();
        let e = relaycheck::cert::load(file, &bytes, None).expect_err(file);
        assert!(e.0.contains(words), "{file}: {e}");
    }
    // Trailing bytes after a complete certificate are tolerated, as OpenSSL does.
    let bytes = std::fs::read(m.join("certificate.der.trailing-garbage.der")).unwrap();
    assert!(relaycheck::cert::load("x", &bytes, None).is_ok());
}

fn manifest(dir: &Path) -> Vec<Value> {
    std::fs::read_to_string(dir.join("certs/manifest.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Files where relaycheck deliberately reads differently from the manifest, with why.
const MANIFEST_DELIBERATE: &[(&str, &str)] = &[];

#[test]
fn files_both_openssl_and_pyca_read_are_read_alike() {
    let Some(dir) = support::corpora() else {
        return;
    };
    let mut differences = Vec::new();
    let mut compared = 0;
    for row in manifest(&dir) {
        if row["pyca_parse"] != "ok" || row["openssl_parse"] != "ok" {
            continue;
        }
        let rel = row["path"].as_str().unwrap();
        if MANIFEST_DELIBERATE.iter().any(|(p, _)| *p == rel) {
            continue;
        }
        let bytes = std::fs::read(dir.join("certs").join(rel)).unwrap();
        let facts = match relaycheck::cert::load(rel, &bytes, None) {
            Ok(f) => f,
            Err(e) => {
                differences.push(format!(
                    "{rel}: refused ({e}) although OpenSSL and pyca read it"
                ));
                continue;
            }
        };
        compared += 1;
        let leaf = &row["leaf_facts"];
        if let Some(n) = leaf["san_dns_count"].as_u64()
            && facts.dns_sans.len() as u64 != n
        {
            differences.push(format!(
                "{rel}: {} DNS SANs, manifest {n}",
                facts.dns_sans.len()
            ));
        }
        if let Some(sample) = leaf["san_dns_sample"].as_array() {
            for (i, s) in sample.iter().enumerate() {
                if facts.dns_sans.get(i).map(String::as_str) != s.as_str() {
                    differences.push(format!(
                        "{rel}: SAN {i} is {:?}, manifest {s}",
                        facts.dns_sans.get(i)
                    ));
                }
            }
        }
        match (
            leaf["key_type"].as_str(),
            leaf["key_bits"].as_u64(),
            &facts.key,
        ) {
            (Some("RSA"), Some(bits), relaycheck::cert::KeyKind::Rsa { bits: ours })
                if *ours as u64 != bits =>
            {
                differences.push(format!("{rel}: RSA {ours} bits, manifest {bits}"));
            }
            (Some("RSA"), _, k) if !matches!(k, relaycheck::cert::KeyKind::Rsa { .. }) => {
                differences.push(format!("{rel}: key {k}, manifest RSA"));
            }
            (Some("EC"), _, k) if !matches!(k, relaycheck::cert::KeyKind::Ec { .. }) => {
                differences.push(format!("{rel}: key {k}, manifest EC"));
            }
            (Some("Ed25519"), _, k) if *k != relaycheck::cert::KeyKind::Ed25519 => {
                differences.push(format!("{rel}: key {k}, manifest Ed25519"));
            }
            _ => {}
        }
        if let Some(cn) = leaf["subject_cn"]
            .as_array()
            .and_then(|a| a.first())
            .and_then(Value::as_str)
            && facts.common_name.as_deref() != Some(cn)
        {
            differences.push(format!(
                "{rel}: CN {:?}, manifest {cn:?}",
                facts.common_name
            ));
        }
    }
    assert!(compared > 140, "{compared} compared");
    assert!(differences.is_empty(), "{differences:#?}");
}

#[test]
fn css_exchange_files_are_named_by_their_thumbprint() {
    let Some(dir) = support::corpora() else {
        return;
    };
    let folder = dir.join("certs/css-exchange");
    let mut n = 0;
    for f in files(&folder) {
        let stem = f.file_stem().unwrap().to_str().unwrap().to_string();
        let facts = relaycheck::cert::load(&stem, &std::fs::read(&f).unwrap(), None).unwrap();
        assert_eq!(facts.thumbprint, stem);
        n += 1;
    }
    assert_eq!(n, 24);
}

#[test]
fn the_exchange_name_of_localhost_resolves_to_its_certificate() {
    let Some(dir) = support::corpora() else {
        return;
    };
    let folder = dir.join("certs/css-exchange");
    let mut by_name: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for f in files(&folder) {
        let facts = relaycheck::cert::load("x", &std::fs::read(&f).unwrap(), None).unwrap();
        by_name
            .entry(facts.tls_certificate_name())
            .or_default()
            .push(facts.thumbprint);
    }
    let hits = by_name
        .get("<I>CN=localhost<S>CN=localhost")
        .expect("a localhost certificate");
    assert!(
        hits.contains(&"E267D459A0FB53D0EF225C11FAC062D522648C09".to_string()),
        "{hits:?}"
    );
    // Every localhost certificate Exchange made shares the name: the thumbprint tells them apart.
    for t in hits {
        let f = folder.join(format!("{t}.der"));
        let facts = relaycheck::cert::load("x", &std::fs::read(f).unwrap(), None).unwrap();
        assert_eq!(facts.subject, "CN=localhost");
        assert!(
            facts.self_signed,
            "{t}: Exchange's localhost certificate is self-signed"
        );
    }
}

#[test]
fn pem_files_with_foreign_blocks_still_give_their_certificates() {
    let Some(dir) = support::corpora() else {
        return;
    };
    for file in [
        "cryptography.io.with_garbage.pem",
        "cryptography.io.chain_with_garbage.pem",
        "cryptography.io.with_headers.pem",
    ] {
        let p = dir.join("certs/pyca-vectors").join(file);
        let facts = relaycheck::cert::load(file, &std::fs::read(&p).unwrap(), None)
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        assert!(
            facts.dns_sans.iter().any(|s| s.contains("cryptography.io")),
            "{file}: {:?}",
            facts.dns_sans
        );
        assert!(
            !matches!(
                facts.private_key,
                relaycheck::cert::PrivateKeyStatus::Matches
            ),
            "{file}: the foreign key block is not this certificate's key"
        );
    }
}

#[test]
fn the_ten_thousand_san_certificate_loads_and_matches() {
    let Some(dir) = support::corpora() else {
        return;
    };
    let folder = dir.join("certs/badssl");
    let f = files(&folder)
        .into_iter()
        .find(|p| p.to_string_lossy().contains("10000"))
        .expect("the 10000-SAN certificate");
    let facts = relaycheck::cert::load("big", &std::fs::read(&f).unwrap(), None).unwrap();
    assert!(facts.dns_sans.len() >= 10_000, "{}", facts.dns_sans.len());
    let last = facts.dns_sans.last().unwrap().clone();
    assert!(facts.matches_host(&last));
    assert_eq!(facts.dns_names().len(), {
        let mut v = facts.dns_names().to_vec();
        v.sort();
        v.dedup();
        v.len()
    });
}
