use super::algorithm::{CURVES, OID_ED448, OID_ED25519, OID_RSASSA_PSS, SIGNATURES};
use super::*;

#[test]
fn empty_and_garbage_are_refused_with_a_reason() {
    assert_eq!(load("x", b"", None).unwrap_err().0, "the file is empty");
    assert_eq!(load("x", b"  \n", None).unwrap_err().0, "the file is empty");
    let e = load("x", b"hello, world", None).unwrap_err();
    assert!(e.0.contains("not a certificate"), "{e}");
    let e = load("x", &[0x30, 0x82, 0x01], None).unwrap_err();
    assert!(e.0.contains("not a valid X.509 certificate"), "{e}");
}

fn lab(cn: &str, sans: &[&str]) -> CertFacts {
    let now = time::macros::datetime!(2026-11-22 12:00 UTC);
    let spec = relaycheck_lab::LabSpec::new(cn, sans, now);
    let made = relaycheck_lab::issue(&spec, relaycheck_lab::LabCa::shared().unwrap()).unwrap();
    load("lab.pem", made.cert_pem.as_bytes(), None).unwrap()
}

#[test]
fn host_matching_by_index_agrees_with_the_matcher_name_by_name() {
    let certs = [
        lab("mail.contoso.com", &["mail.contoso.com", "*.fabrikam.com"]),
        lab("MAIL.Contoso.com", &["Autodiscover.CONTOSO.com."]),
        lab(
            "*.contoso.com",
            &["*.contoso.com", "*.com", "w*.contoso.com"],
        ),
        // No SAN DNS names at all: rcgen writes none, the CN decides.
        lab("cn-only.contoso.com", &[]),
    ];
    let hosts = [
        "mail.contoso.com",
        "MAIL.CONTOSO.COM.",
        "autodiscover.contoso.com",
        "a.fabrikam.com",
        "a.b.fabrikam.com",
        "fabrikam.com",
        "x.contoso.com",
        "contoso.com",
        "cn-only.contoso.com",
        "example.com",
        "",
        "bad..name",
        "*.contoso.com",
    ];
    for c in &certs {
        for h in hosts {
            assert_eq!(
                c.matches_host(h),
                names::certificate_matches_host(
                    c.common_name.as_deref(),
                    &c.dns_sans,
                    c.san_malformed,
                    h
                ),
                "{:?} against {h:?}",
                c.dns_sans
            );
        }
    }
    assert!(certs[0].matches_host("a.fabrikam.com"));
    assert!(certs[3].matches_host("cn-only.contoso.com"));
    assert_eq!(certs[3].host_names(), ["cn-only.contoso.com".to_string()]);
}

#[test]
fn a_bundle_gives_each_leaf_and_a_chain_stays_with_its_leaf() {
    let now = time::macros::datetime!(2026-11-22 12:00 UTC);
    let ca = relaycheck_lab::LabCa::shared().unwrap();
    let issue =
        |n: &str| relaycheck_lab::issue(&relaycheck_lab::LabSpec::new(n, &[n], now), ca).unwrap();
    let (a, b) = (issue("a.contoso.com"), issue("b.contoso.com"));
    let ca_pem = a.ca_pem.clone().unwrap();
    let mut seen = Vec::new();
    let text = format!("{}{ca_pem}{}", a.cert_pem, b.cert_pem);
    load_each("bundle.pem", text.as_bytes(), None, |at, f| {
        let f = f.unwrap();
        seen.push((at, f.source.clone(), f.common_name.clone(), f.chain.len()));
    });
    assert_eq!(
        seen,
        [
            (
                Some(0),
                "bundle.pem [0]".to_string(),
                Some("a.contoso.com".to_string()),
                1
            ),
            (
                Some(1),
                "bundle.pem [1]".to_string(),
                Some("b.contoso.com".to_string()),
                0
            ),
        ]
    );
    // One leaf and its chain: one certificate, no position, as `load` gives it.
    let mut one = Vec::new();
    let text = format!("{}{ca_pem}", a.cert_pem);
    load_each("chain.pem", text.as_bytes(), None, |at, f| {
        one.push((at, f.unwrap()))
    });
    assert_eq!(one.len(), 1);
    assert_eq!(one[0].0, None);
    assert_eq!(one[0].1, load("chain.pem", text.as_bytes(), None).unwrap());
    // A damaged block in a bundle is one error at its place; the others still load.
    let text = format!(
        "{}-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----\n{}",
        a.cert_pem, b.cert_pem
    );
    let mut results = Vec::new();
    load_each("mixed.pem", text.as_bytes(), None, |at, f| {
        results.push((at, f.is_ok()))
    });
    assert_eq!(
        results,
        [(Some(0), true), (Some(1), false), (Some(2), true)]
    );
}

#[test]
fn oid_bytes_are_the_dotted_oids() {
    use std::str::FromStr;
    let bytes = |dotted: &str| {
        x509_parser::der_parser::oid::Oid::from_str(dotted)
            .unwrap()
            .as_bytes()
            .to_vec()
    };
    for (der, dotted, ..) in SIGNATURES {
        assert_eq!(der.to_vec(), bytes(dotted), "{dotted}");
    }
    for (der, dotted, _) in CURVES {
        assert_eq!(der.to_vec(), bytes(dotted), "{dotted}");
    }
    assert_eq!(OID_RSASSA_PSS.to_vec(), bytes("1.2.840.113549.1.1.10"));
    assert_eq!(OID_ED25519.to_vec(), bytes("1.3.101.112"));
    assert_eq!(OID_ED448.to_vec(), bytes("1.3.101.113"));
}

#[test]
fn pem_without_certificate_block_is_refused() {
    let text = b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
    let e = load("x", text, None).unwrap_err();
    assert!(e.0.contains("no CERTIFICATE block"), "{e}");
}
