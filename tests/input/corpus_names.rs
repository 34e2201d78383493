//! Name matching against cases nobody on the team wrote: x509-limbo's host-name cases and the
//! rustls-webpki and Go crypto/x509 tables (read in place from ../shared/corpora). Every row
//! must agree, except the rows listed as deliberate disagreements, which must disagree
//! exactly as listed (so the list cannot rot).

use crate::support;

use std::net::IpAddr;

use serde_json::Value;

fn lines(path: &std::path::Path) -> Vec<Value> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
        .collect()
}

fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} missing in {v}"))
}

/// Our verdict for a limbo case: does the leaf match the peer?
fn limbo_matches(case: &Value) -> bool {
    let pem = s(case, "peer_cert_pem");
    let facts = relaycheck::cert::load("limbo", pem.as_bytes(), None)
        .unwrap_or_else(|e| panic!("{}: {e}", s(case, "id")));
    let peer = s(case, "peer_name");
    match s(case, "peer_kind") {
        "IP" => {
            let ip: IpAddr = peer.parse().unwrap();
            facts.ip_sans.contains(&ip)
        }
        _ => facts.matches_host(peer),
    }
}

/// Cases where relaycheck follows domain-rules.md rather than WebPKI, with the reason.
const LIMBO_DELIBERATE: &[(&str, &str)] = &[(
    "webpki::san::no-san",
    "domain-rules.md section 2: the CN is used when there are no DNS SANs (Exchange and .NET still accept a CN-only certificate); limbo expects no CN fallback",
)];

/// Hard gate categories (corpora README): SUCCESS must match, FAILURE must not.
const HARD_GATE: &[&str] = &[
    "dns-exact",
    "wildcard",
    "wildcard-partial",
    "wildcard-position",
    "wildcard-idna",
    "wildcard-bare",
    "idna",
    "cn-fallback",
    "ip",
    "dns-syntax",
];

#[test]
fn limbo_hard_gate_cases_agree_except_the_deliberate_ones() {
    let Some(dir) = support::corpora() else {
        return;
    };
    let cases = lines(&dir.join("limbo-hostname/cases.jsonl"));
    let mut checked = 0;
    let mut wrong = Vec::new();
    for case in &cases {
        if !HARD_GATE.contains(&s(case, "category")) {
            continue;
        }
        checked += 1;
        let id = s(case, "id");
        let expected = s(case, "expected") == "SUCCESS";
        let ours = limbo_matches(case);
        let deliberate = LIMBO_DELIBERATE.iter().any(|(d, _)| *d == id);
        if deliberate {
            assert_ne!(
                ours, expected,
                "{id} is listed as a deliberate disagreement but now agrees: remove it from the list"
            );
        } else if ours != expected {
            wrong.push(format!(
                "{id}: expected {}, relaycheck says {ours}",
                s(case, "expected")
            ));
        }
    }
    assert_eq!(checked, 18, "the hard gate has 18 cases");
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn limbo_public_suffix_cases_follow_the_label_count_policy() {
    let Some(dir) = support::corpora() else {
        return;
    };
    // No Public Suffix List (docs/decisions.md): `*.com` is refused by the ">= 2 labels after
    // *" rule, `*.co.uk` and `*.s3.amazonaws.com` are accepted.
    let expected = [
        ("webpki::san::public-suffix-wildcard-san", false),
        ("webpki::san::public-suffix-multi-label-wildcard-san", true),
        (
            "webpki::san::public-suffix-private-namespace-wildcard-san",
            true,
        ),
    ];
    let cases = lines(&dir.join("limbo-hostname/cases.jsonl"));
    for (id, ours) in expected {
        let case = cases
            .iter()
            .find(|c| s(c, "id") == id)
            .unwrap_or_else(|| panic!("{id} missing"));
        assert_eq!(limbo_matches(case), ours, "{id}");
    }
}

#[test]
fn limbo_profile_cases_match_on_the_san_and_the_malformed_san_matches_nothing() {
    let Some(dir) = support::corpora() else {
        return;
    };
    let cases = lines(&dir.join("limbo-hostname/cases.jsonl"));
    let mut seen = 0;
    for case in &cases {
        let id = s(case, "id");
        match s(case, "category") {
            // The peer is in the SAN; FAILURE comes from CA/B Forum profile rules that say
            // nothing about Exchange relay: relaycheck matches the name.
            "cn-san-consistency" | "san-profile" => {
                seen += 1;
                assert!(limbo_matches(case), "{id}: the peer is in the SAN");
            }
            "malformed-san" => {
                seen += 1;
                let facts =
                    relaycheck::cert::load("limbo", s(case, "peer_cert_pem").as_bytes(), None)
                        .unwrap();
                assert!(
                    facts.has_san_extension && facts.san_malformed,
                    "{id}: the SAN is reported unreadable"
                );
                assert!(
                    !limbo_matches(case),
                    "{id}: no name can match, not even the CN"
                );
            }
            _ => {}
        }
    }
    assert_eq!(seen, 12);
}

#[test]
fn limbo_real_world_leaves_all_match() {
    let Some(dir) = support::corpora() else {
        return;
    };
    let cases = lines(&dir.join("limbo-hostname/cases-online.jsonl"));
    assert_eq!(cases.len(), 14);
    for case in &cases {
        assert!(
            limbo_matches(case),
            "{} must match {}",
            s(case, "id"),
            s(case, "peer_name")
        );
    }
}

fn table_disagreements(file: &str, deliberate: &[(&str, &str)]) {
    let Some(dir) = support::corpora() else {
        return;
    };
    let rows = lines(&dir.join("name-match-tables").join(file));
    let mut wrong = Vec::new();
    for row in &rows {
        let id = s(row, "id");
        let upstream = s(row, "expected") == "MATCH";
        let ours =
            relaycheck::names::cert_name_matches_host(s(row, "presented"), s(row, "reference"));
        if deliberate.iter().any(|(d, _)| *d == id) {
            assert_ne!(
                ours, upstream,
                "{id} is listed as deliberate but agrees now"
            );
        } else if ours != upstream {
            wrong.push(format!(
                "{id}: {:?} vs {:?}: upstream {}, relaycheck {ours}",
                s(row, "presented"),
                s(row, "reference"),
                s(row, "expected")
            ));
        }
    }
    assert!(wrong.is_empty(), "{file}: {wrong:#?}");
}

/// One trailing dot is removed from both names (domain-rules.md, Notation); webpki refuses a
/// presented name with a trailing dot.
const TRAILING_DOT: &str = "one trailing dot is ignored on both sides (domain-rules.md notation); webpki refuses it in the presented name";

const WEBPKI_DELIBERATE: &[(&str, &str)] = &[
    ("webpki-dns-015", TRAILING_DOT),
    ("webpki-dns-017", TRAILING_DOT),
    ("webpki-dns-019", TRAILING_DOT),
    ("webpki-dns-021", TRAILING_DOT),
    ("webpki-dns-094", TRAILING_DOT),
    ("webpki-dns-096", TRAILING_DOT),
    ("webpki-dns-097", TRAILING_DOT),
    ("webpki-dns-099", TRAILING_DOT),
    ("webpki-dns-100", TRAILING_DOT),
    ("webpki-dns-102", TRAILING_DOT),
    ("webpki-dns-108", TRAILING_DOT),
    ("webpki-dns-109", TRAILING_DOT),
];

const GO_DELIBERATE: &[(&str, &str)] = &[
    (
        "go-matchhostnames-012",
        "an empty label is not a DNS name (RFC 1035); Go compares the strings",
    ),
    ("go-matchhostnames-022", TRAILING_DOT),
    (
        "go-matchhostnames-026",
        "a wildcard needs two labels after it: `*.com` is refused (no PSL; Go has no such rule)",
    ),
    (
        "go-matchhostnames-027",
        "a wildcard needs two labels after it: `*.com` is refused (no PSL; Go has no such rule)",
    ),
    (
        "go-matchhostnames-028",
        "`foo:bar` is not a DNS name (LDH labels only)",
    ),
];

#[test]
fn rustls_webpki_table_agrees_except_trailing_dots() {
    table_disagreements(
        "rustls-webpki-presented-vs-reference.jsonl",
        WEBPKI_DELIBERATE,
    );
}

#[test]
fn go_table_agrees_except_the_listed_policy_rows() {
    table_disagreements("go-crypto-x509-matchhostnames.jsonl", GO_DELIBERATE);
}
