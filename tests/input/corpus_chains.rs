//! Real chains (x509-limbo's `cases-online.jsonl`: leaves of google.com, microsoft.com and
//! twelve more, with their intermediates and roots): relaycheck walks each as the file
//! carries it. Leaf and intermediates reach a public root Mozilla's store knows; the leaf
//! alone is incomplete (`cert-chain-incomplete`: Exchange Online does not fetch the
//! intermediates); with the root in the file too, the chain ends at a public root.

use crate::support;

use std::path::Path;

use relaycheck::facts::{ChainState, TrustedBy, chain_state};
use relaycheck::import::certs::load_certificate_bytes;

struct Case {
    id: String,
    leaf: String,
    intermediates: Vec<String>,
    roots: Vec<String>,
}

fn cases() -> Option<Vec<Case>> {
    let dir = support::corpora()?.join("limbo-hostname");
    let text = std::fs::read_to_string(dir.join("cases-online.jsonl")).expect("cases-online.jsonl");
    let strings = |v: &serde_json::Value| -> Vec<String> {
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    Some(
        text.lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).expect("a JSON line");
                Case {
                    id: v["id"].as_str().unwrap_or("?").to_string(),
                    leaf: v["peer_cert_pem"].as_str().expect("a leaf").to_string(),
                    intermediates: strings(&v["untrusted_intermediates_pem"]),
                    roots: strings(&v["trusted_certs_pem"]),
                }
            })
            .collect(),
    )
}

fn state(id: &str, pems: &[&str]) -> ChainState {
    let bundle = pems.join("\n");
    let facts = load_certificate_bytes(Path::new(id), bundle.as_bytes(), None)
        .unwrap_or_else(|e| panic!("{id}: {e}"));
    chain_state(&facts, &[])
}

#[test]
fn real_chains_are_walked_as_their_files_carry_them() {
    let Some(cases) = cases() else { return };
    assert_eq!(
        cases.len(),
        14,
        "the corpus README says 14 real-world cases"
    );
    let mut failures = Vec::new();
    for c in &cases {
        let mut with_chain: Vec<&str> = vec![&c.leaf];
        with_chain.extend(c.intermediates.iter().map(String::as_str));
        match state(&c.id, &with_chain) {
            ChainState::Trusted {
                by: TrustedBy::PublicStore,
                ..
            } => {}
            other => failures.push(format!("{}: leaf + intermediates: {other:?}", c.id)),
        }
        match state(&c.id, &[&c.leaf]) {
            ChainState::Incomplete { issuer } if !issuer.is_empty() => {}
            other => failures.push(format!("{}: leaf alone: {other:?}", c.id)),
        }
        let mut whole = with_chain.clone();
        whole.extend(c.roots.iter().map(String::as_str));
        match state(&c.id, &whole) {
            ChainState::Trusted {
                by: TrustedBy::PublicStore,
                ..
            } => {}
            other => failures.push(format!("{}: leaf + intermediates + root: {other:?}", c.id)),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The leaf alone names its issuer: the intermediate the admin must install.
#[test]
fn an_incomplete_chain_names_the_missing_intermediate() {
    let Some(cases) = cases() else { return };
    let c = cases
        .iter()
        .find(|c| c.id == "online::google.com")
        .expect("google.com is in the corpus");
    let inter = load_certificate_bytes(Path::new("i"), c.intermediates[0].as_bytes(), None)
        .expect("the intermediate loads");
    match state(&c.id, &[&c.leaf]) {
        ChainState::Incomplete { issuer } => assert_eq!(issuer, inter.subject),
        other => panic!("{other:?}"),
    }
}
