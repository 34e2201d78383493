//! The scenarios the benchmarks share: the issue's scale (5,000 accepted domains, 500
//! candidate certificates, 20 inbound connectors, 100 messages) and the corpora's
//! 10,000-SAN certificate, read in place when it is there.
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::Arc;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use relaycheck::cert::CertFacts;
use relaycheck::lab::{LabCa, LabSpec, issue};
use relaycheck::model::{
    AcceptedDomain, CertificateEntry, CertificateSource, InboundConnector, Message, MessageKind,
    Scenario,
};
use relaycheck::names::DnsName;
use relaycheck::tui::app::{App, Origin};
use relaycheck::tui::theme::{Theme, ThemeName};
use time::OffsetDateTime;
use time::macros::datetime;

pub const NOW: OffsetDateTime = datetime!(2026-11-22 12:00 UTC);

/// The issue's scale.
pub const DOMAINS: usize = 5000;
pub const CERTIFICATES: usize = 500;
pub const CONNECTORS: usize = 20;
pub const MESSAGES: usize = 100;

pub fn dns(d: &str) -> DnsName {
    DnsName::parse(d).expect("a valid bench name")
}

/// A lab-CA-issued ECDSA certificate as PEM.
pub fn pem(cn: &str, sans: &[&str]) -> String {
    let ca = LabCa::shared().expect("lab CA");
    issue(&LabSpec::new(cn, sans, NOW), ca)
        .expect("lab certificate")
        .cert_pem
}

pub fn entry(label: &str, facts: CertFacts) -> CertificateEntry {
    CertificateEntry {
        source: CertificateSource::File {
            path: label.into(),
            key: None,
            password_env: None,
        },
        facts: Arc::new(facts),
    }
}

pub fn load(label: &str, pem: &str) -> CertFacts {
    relaycheck::cert::load(label, pem.as_bytes(), None).expect("bench certificate loads")
}

/// `n` candidate certificates: the server's own (`mail.contoso.com`) first, then one per
/// brand (`mail.brandN.example.com`), all issued by the lab CA.
pub fn candidates(n: usize) -> Vec<CertificateEntry> {
    let mut out = Vec::with_capacity(n);
    out.push(entry(
        "mail.contoso.com.pem",
        load(
            "mail.contoso.com.pem",
            &pem(
                "mail.contoso.com",
                &["mail.contoso.com", "autodiscover.contoso.com"],
            ),
        ),
    ));
    for i in 1..n {
        let cn = format!("mail.brand{i}.example.com");
        let label = format!("{cn}.pem");
        out.push(entry(&label, load(&label, &pem(&cn, &[cn.as_str()]))));
    }
    out
}

/// A tenant of `domains` accepted domains (contoso.com the default, then brandN.example.com,
/// one in ten pending verification), `connectors` inbound connectors (certificate and IP
/// based, some disabled, some Partner; the one that matches last, so every other one is
/// tried first), `messages` messages of every kind, and the given candidate certificates
/// with the first one selected.
pub fn tenant(
    domains: usize,
    connectors: usize,
    messages: usize,
    certificates: Vec<CertificateEntry>,
) -> Scenario {
    let mut s = Scenario::default();
    let mut list = Vec::with_capacity(domains);
    list.push(AcceptedDomain {
        default: true,
        ..AcceptedDomain::new(dns("contoso.com"))
    });
    for i in 1..domains {
        list.push(AcceptedDomain {
            verified: i % 10 != 0,
            ..AcceptedDomain::new(dns(&format!("brand{i}.example.com")))
        });
    }
    s.tenant.set_domains(list);
    for i in 0..connectors.saturating_sub(1) {
        let mut c = InboundConnector::new(format!("Inbound {i}"));
        if i % 2 == 0 {
            c.tls_sender_certificate_name = Some(format!("*.brand{}.example.com", i + 1));
        } else {
            c.sender_ip_addresses = vec![format!("198.51.{i}.0/24").parse().expect("a range")];
        }
        c.enabled = i % 7 != 0;
        c.require_tls = i % 5 != 0;
        if i % 9 == 4 {
            c.connector_type = relaycheck::model::ConnectorType::Partner;
        }
        s.inbound_connectors.push(c);
    }
    let mut hcw = InboundConnector::new("Inbound from on-premises");
    hcw.tls_sender_certificate_name = Some("*.contoso.com".into());
    s.inbound_connectors.push(hcw);
    s.on_premises.organization_fqdn = Some(dns("mail.contoso.com"));
    s.on_premises.ip = Some("203.0.113.10".parse().expect("an address"));
    let brands = domains.max(2) - 1;
    for i in 0..messages {
        let brand = format!("brand{}.example.com", 1 + i % brands);
        let (kind, from, to) = match i % 5 {
            0 => (
                MessageKind::User,
                format!("user{i}@contoso.com"),
                "someone@tailspintoys.com".to_string(),
            ),
            1 => (
                MessageKind::Ndr,
                String::new(),
                format!("sender{i}@fabrikam.com"),
            ),
            2 => (
                MessageKind::SentAs,
                format!("user{i}@fabrikam.com"),
                "someone@tailspintoys.com".to_string(),
            ),
            3 => (
                MessageKind::Forwarded,
                format!("john{i}@fabrikam.com"),
                "kate@tailspintoys.com".to_string(),
            ),
            _ => (
                MessageKind::Other,
                format!("news{i}@{brand}"),
                "reader@tailspintoys.com".to_string(),
            ),
        };
        s.messages.push(
            Message::new(&format!("Message {i}"), kind, &from, &to).expect("a valid message"),
        );
    }
    s.certificates = certificates;
    s.selected_certificate = Some(0);
    s
}

/// The issue's scale: 5,000 domains × 500 certificates × 20 connectors × 100 messages.
pub fn scale(domains: usize, certificates: Vec<CertificateEntry>) -> Scenario {
    tenant(domains, CONNECTORS, MESSAGES, certificates)
}

/// The corpora folder: `$RELAYCHECK_CORPORA`, else `../shared/corpora` beside the checkout.
pub fn corpora() -> PathBuf {
    std::env::var_os("RELAYCHECK_CORPORA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora"))
}

/// badssl's 10,000-SAN certificate (`certs/badssl/subdomain-10000-sans.pem`), or `None` with
/// a message when the corpora are not there.
pub fn ten_thousand_sans() -> Option<(Vec<u8>, CertFacts)> {
    let path = corpora().join("certs/badssl/subdomain-10000-sans.pem");
    match std::fs::read(&path) {
        Ok(bytes) => {
            let facts = relaycheck::cert::load("subdomain-10000-sans.pem", &bytes, None)
                .expect("badssl's 10,000-SAN certificate loads");
            assert_eq!(facts.dns_sans.len(), 10_000);
            Some((bytes, facts))
        }
        Err(e) => {
            eprintln!(
                "SKIPPED: the 10,000-SAN benchmarks: {} not readable ({e}); set RELAYCHECK_CORPORA",
                path.display()
            );
            None
        }
    }
}

/// Whether the command line's filter (criterion's one positional argument) selects the
/// benchmark `name`, so that a benchmark's setup runs only when it will be measured (a
/// profile of one benchmark then holds nothing else). A filter is read as a substring, with
/// `^` and `$` anchoring it; without a filter everything is selected.
pub fn wanted(name: &str) -> bool {
    const TAKES_VALUE: &[&str] = &[
        "--profile-time",
        "--warm-up-time",
        "--measurement-time",
        "--sample-size",
        "--save-baseline",
        "--baseline",
        "--load-baseline",
        "--noise-threshold",
        "--significance-level",
        "--confidence-level",
        "--nresamples",
        "--output-format",
        "--color",
        "--plotting-backend",
        "--format",
    ];
    let mut args = std::env::args().skip(1);
    let mut filter = None;
    while let Some(a) = args.next() {
        if a.starts_with('-') {
            if TAKES_VALUE.contains(&a.as_str()) {
                args.next();
            }
        } else {
            filter = Some(a);
            break;
        }
    }
    let Some(f) = filter else {
        return true;
    };
    match (f.strip_prefix('^'), f.strip_suffix('$')) {
        (Some(rest), _) if rest.ends_with('$') => name == &rest[..rest.len() - 1],
        (Some(rest), _) => name.starts_with(rest),
        (None, Some(rest)) => name.ends_with(rest),
        (None, None) => name.contains(f.as_str()),
    }
}

/// The wizard on a scenario, as a bench drives it (no file, the dark theme, at [`NOW`]).
pub fn app(s: Scenario) -> App {
    let origin = Origin {
        path: None,
        label: "bench".into(),
        inputs: Vec::new(),
        lesson: None,
        input_lines: Vec::new(),
        notes: Vec::new(),
    };
    App::new(s, origin, NOW, Theme::new(ThemeName::Dark))
}

/// One key through the wizard's one key path.
pub fn key(app: &mut App, code: KeyCode) {
    relaycheck::tui::dispatch_key(app, KeyEvent::new(code, KeyModifiers::NONE));
}
