//! What one validation costs: the wizard re-validates on every keystroke, so `validate` must
//! stay well under a frame (about 1 ms). Run: `cargo bench --bench validate`
//! (figures and their meaning: docs/performance.md).

use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use relaycheck::lab::{LabCa, LabSpec, issue};
use relaycheck::model::{
    AcceptedDomain, CertificateEntry, CertificateSource, InboundConnector, Scenario,
};
use relaycheck::names::DnsName;
use time::OffsetDateTime;
use time::macros::datetime;

const NOW: OffsetDateTime = datetime!(2026-11-22 12:00 UTC);

/// The built-in demo, loaded once (its certificate is generated at load).
fn demo() -> Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo/demo.yaml");
    let generate = |g: &relaycheck::model::GenerateSpec| relaycheck::lab::generate_facts(g, NOW);
    relaycheck::scenario::load(&path, Some(&generate), NOW)
        .expect("demo loads")
        .1
}

fn pem(cn: &str, sans: &[&str]) -> String {
    let made = issue(&LabSpec::new(cn, sans, NOW), LabCa::shared().unwrap()).unwrap();
    made.cert_pem
}

fn entry(pem: &str) -> CertificateEntry {
    CertificateEntry {
        source: CertificateSource::File {
            path: "bench.pem".into(),
            key: None,
            password_env: None,
        },
        facts: Arc::new(relaycheck::cert::load("bench.pem", pem.as_bytes(), None).unwrap()),
    }
}

/// A large tenant: 5,000 accepted domains (the Exchange Online limit), 50 inbound
/// connectors (certificate and IP based, some disabled or Partner), the four default
/// messages, and the given certificate.
fn large_tenant(cert_pem: &str) -> Scenario {
    let mut s = Scenario::default();
    let dns = |d: &str| DnsName::parse(d).unwrap();
    s.tenant.push(AcceptedDomain {
        default: true,
        ..AcceptedDomain::new(dns("contoso.com"))
    });
    for i in 1..5000 {
        s.tenant.push(AcceptedDomain {
            verified: i % 10 != 0,
            ..AcceptedDomain::new(dns(&format!("brand{i}.example.com")))
        });
    }
    for i in 0..50 {
        let mut c = InboundConnector::new(format!("Inbound {i}"));
        if i % 2 == 0 {
            c.tls_sender_certificate_name = Some(format!("*.brand{}.example.com", i + 1));
        } else {
            c.sender_ip_addresses = vec![format!("203.0.{i}.0/24").parse().unwrap()];
        }
        c.enabled = i % 7 != 0;
        c.require_tls = i % 5 != 0;
        s.inbound_connectors.push(c);
    }
    // The connector that actually matches, last, so every other one is tried first.
    let mut hcw = InboundConnector::new("Inbound from on-premises");
    hcw.tls_sender_certificate_name = Some("*.contoso.com".into());
    s.inbound_connectors.push(hcw);
    s.on_premises.organization_fqdn = Some(dns("mail.contoso.com"));
    s.on_premises.ip = Some("203.0.113.10".parse().unwrap());
    s.certificates.push(entry(cert_pem));
    s.selected_certificate = Some(0);
    s
}

fn many_sans(n: usize) -> Vec<String> {
    let mut sans = vec!["mail.contoso.com".to_string()];
    sans.extend((1..n).map(|i| format!("host{i}.brand{i}.example.com")));
    sans
}

fn benches(c: &mut Criterion) {
    let demo = demo();
    c.bench_function("validate/demo", |b| {
        b.iter(|| relaycheck::validate(black_box(&demo), NOW));
    });

    let small_cert = pem(
        "mail.contoso.com",
        &["mail.contoso.com", "autodiscover.contoso.com"],
    );
    let large = large_tenant(&small_cert);
    assert_eq!(large.tenant.accepted_domains().len(), 5000);
    assert_eq!(large.inbound_connectors.len(), 51);
    c.bench_function("validate/5000-domains-50-connectors", |b| {
        b.iter(|| relaycheck::validate(black_box(&large), NOW));
    });

    let sans = many_sans(1000);
    let san_refs: Vec<&str> = sans.iter().map(String::as_str).collect();
    let big_pem = pem("mail.contoso.com", &san_refs);
    let facts = relaycheck::cert::load("bench.pem", big_pem.as_bytes(), None).unwrap();
    assert_eq!(facts.dns_sans.len(), 1000);
    c.bench_function("cert-load/1000-sans", |b| {
        b.iter(|| relaycheck::cert::load("bench.pem", black_box(big_pem.as_bytes()), None));
    });

    // The worst case the wizard can meet: the large tenant presenting the 1000-SAN certificate.
    let worst = large_tenant(&big_pem);
    c.bench_function("validate/5000-domains-50-connectors-1000-sans", |b| {
        b.iter(|| relaycheck::validate(black_box(&worst), NOW));
    });
    // How the cost grows with the number of SANs, on the demo's one-connector tenant.
    let mut by_sans = c.benchmark_group("validate/demo-tenant-by-sans");
    by_sans.measurement_time(std::time::Duration::from_secs(3));
    for n in [10, 100, 250, 1000] {
        let sans = many_sans(n);
        let refs: Vec<&str> = sans.iter().map(String::as_str).collect();
        let mut s = demo.clone();
        s.certificates = vec![entry(&pem("hostname.subdomain.contoso.com", &refs))];
        s.selected_certificate = Some(0);
        by_sans.bench_with_input(BenchmarkId::from_parameter(n), &s, |b, s| {
            b.iter(|| relaycheck::validate(black_box(s), NOW));
        });
    }
    by_sans.finish();

    let one = &worst.certificates[0].facts;
    c.bench_function("cert-dns-names/1000-sans", |b| {
        b.iter(|| black_box(one).dns_names());
    });
}

criterion_group!(validate, benches);
criterion_main!(validate);
