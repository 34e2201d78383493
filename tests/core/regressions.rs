//! Cases found in review, each pinned by a test: the wrong advice or message they had, and
//! what must be said instead.

use crate::support;

use std::sync::Arc;

use relaycheck::cert::CertFacts;
use relaycheck::checks::CheckId;
use relaycheck::lab::{LabCa, LabSpec, issue};
use relaycheck::model::{
    AcceptedDomain, CertificateEntry, CertificateSource, InboundConnector, Scenario,
};
use relaycheck::names::DnsName;
use relaycheck::plan::FixAction;
use relaycheck::relay::Outcome;

fn cert(cn: &str, sans: &[&str]) -> Arc<CertFacts> {
    let made = issue(
        &LabSpec::new(cn, sans, support::now()),
        LabCa::shared().unwrap(),
    )
    .unwrap();
    Arc::new(relaycheck::cert::load("t", (made.cert_pem + &made.key_pem).as_bytes(), None).unwrap())
}

fn scenario(domains: &[&str], c: Arc<CertFacts>, connectors: Vec<InboundConnector>) -> Scenario {
    Scenario {
        tenant: relaycheck::model::Tenant::new(
            domains
                .iter()
                .map(|d| AcceptedDomain::new(DnsName::parse(d).unwrap()))
                .collect(),
        ),
        certificates: vec![CertificateEntry {
            source: CertificateSource::File {
                path: "t".into(),
                key: None,
                password_env: None,
            },
            facts: c,
        }],
        selected_certificate: Some(0),
        inbound_connectors: connectors,
        ..Scenario::default()
    }
}

fn connector(name: &str, tscn: Option<&str>) -> InboundConnector {
    let mut c = InboundConnector::new(name);
    c.tls_sender_certificate_name = tscn.map(str::to_string);
    c
}

#[test]
fn a_later_certificate_connector_with_a_verified_domain_wins() {
    let s = scenario(
        &["contoso.com"],
        cert("mail.contoso.com", &["mail.contoso.com"]),
        vec![
            connector("A", Some("mail.contoso.com")),
            connector("B", Some("*.contoso.com")),
        ],
    );
    let r = relaycheck::validate(&s, support::now());
    assert!(
        r.mail_flow.iter().all(|m| m.outcome == Outcome::Relayed),
        "{:?}",
        r.mail_flow
    );
    assert_eq!(r.mail_flow[1].connector.as_deref(), Some("B"));
}

#[test]
fn a_cn_that_is_not_a_dns_name_is_never_offered_as_a_domain() {
    let s = scenario(
        &["contoso.com"],
        cert("Contoso Mail Server", &["mail.contoso.com"]),
        vec![connector("A", Some("*.contoso.com"))],
    );
    let r = relaycheck::validate(&s, support::now());
    let f = r
        .findings
        .iter()
        .find(|f| f.id == CheckId::CertNameNotAccepted)
        .expect("HCW warns");
    assert!(
        !f.actions.iter().any(|a| matches!(
            a,
            FixAction::AddDomain { .. } | FixAction::VerifyDomain { .. }
        )),
        "{:?}",
        f.actions
    );
    assert!(f.fix.contains("reissued with a DNS name"), "{}", f.fix);
    assert!(
        !r.findings
            .iter()
            .any(|f| f.fix.contains("contoso mail server")),
        "{:#?}",
        r.findings
    );
}

#[test]
fn a_bare_tld_connector_domain_is_not_something_to_add() {
    let s = scenario(
        &["contoso.com"],
        cert("mail.contoso.com", &["mail.contoso.com"]),
        vec![connector("A", Some("*.com"))],
    );
    let r = relaycheck::validate(&s, support::now());
    let f = r
        .findings
        .iter()
        .find(|f| f.id == CheckId::ConnectorDomainNotAccepted)
        .unwrap();
    assert!(!f.fix.contains("Add com "), "{}", f.fix);
    assert!(!f.fix.contains("New-MgDomain -Id \"com\""), "{}", f.fix);
    assert!(f.fix.contains("*.contoso.com"), "{}", f.fix);
}

#[test]
fn no_redundant_add_when_the_domain_is_already_verified() {
    let s = scenario(
        &["contoso.com"],
        cert("mail.sub.contoso.com", &["mail.sub.contoso.com"]),
        vec![connector("A", Some("*.sub.contoso.com"))],
    );
    let r = relaycheck::validate(&s, support::now());
    let f = r
        .findings
        .iter()
        .find(|f| f.id == CheckId::ConnectorDomainNotAccepted)
        .unwrap();
    assert!(
        !f.fix.contains("Or add and verify contoso.com"),
        "{}",
        f.fix
    );
}

#[test]
fn org_fqdn_message_lists_the_names_host_matching_reads() {
    let mut s = scenario(
        &["contoso.com"],
        cert("mail.contoso.com", &["smtp.contoso.com"]),
        vec![connector("A", Some("*.contoso.com"))],
    );
    s.on_premises.organization_fqdn = Some(DnsName::parse("mail.contoso.com").unwrap());
    let r = relaycheck::validate(&s, support::now());
    let f = r
        .findings
        .iter()
        .find(|f| f.id == CheckId::OrgFqdnNotOnCert)
        .expect("the CN does not count when SANs exist");
    assert!(
        f.message
            .contains("its names for host matching: smtp.contoso.com"),
        "{}",
        f.message
    );
    assert!(
        !f.message.contains("covers mail.contoso.com"),
        "{}",
        f.message
    );
}

#[test]
fn a_connector_without_tscn_or_addresses_is_not_called_ip_based() {
    let s = scenario(
        &["contoso.com"],
        cert("mail.contoso.com", &["mail.contoso.com"]),
        vec![connector("A", None)],
    );
    let r = relaycheck::validate(&s, support::now());
    let f = r
        .findings
        .iter()
        .find(|f| f.id == CheckId::ConnectorIpOnly)
        .unwrap();
    assert!(
        f.message
            .contains("neither a TlsSenderCertificateName nor SenderIPAddresses"),
        "{}",
        f.message
    );
}

#[test]
fn scenario_files_with_only_comments_are_empty_and_domain_types_take_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("c.yaml");
    std::fs::write(&p, "# nothing here\n\n---\n").unwrap();
    let e = relaycheck::scenario::load(&p, None, crate::support::now())
        .unwrap_err()
        .to_string();
    assert!(e.contains("empty"), "{e}");
    std::fs::write(&p, "tenant:\n  accepted_domains:\n    - {domain: contoso.com, type: 2}\n    - {domain: fabrikam.com, type: 7}\n").unwrap();
    let e = relaycheck::scenario::load(&p, None, crate::support::now())
        .unwrap_err()
        .to_string();
    assert!(e.contains("7 is not an accepted domain type"), "{e}");
    std::fs::write(
        &p,
        "tenant:\n  accepted_domains:\n    - {domain: contoso.com, type: 2}\n",
    )
    .unwrap();
    let (_, s) = relaycheck::scenario::load(&p, None, crate::support::now()).unwrap();
    assert_eq!(
        s.tenant.accepted_domains()[0].domain_type.as_str(),
        "InternalRelay"
    );
}

#[test]
fn the_headline_counts_one_test_message_as_one() {
    use crate::rulekit::*;
    let one = validate(
        &recommended()
            .message("Kate", "kate@contoso.com", "someone@fabrikam.com")
            .build(),
    );
    let h = one.headline();
    assert!(h.starts_with("The test message relays or delivers;"), "{h}");
    assert!(!h.contains("All 1 test messages"), "{h}");
}

/// A certificate with many names: messages list the first twenty and count the rest (a
/// 10,000-SAN certificate made one finding of 10,000 names, wrapped on every frame).
#[test]
fn long_name_lists_in_messages_are_cut_with_a_count() {
    use crate::rulekit::*;
    let names: Vec<String> = (0..30).map(|i| format!("host{i}.fabrikam.com")).collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let r = validate(
        &recommended()
            .cert(cert("host0.fabrikam.com", &refs))
            .fqdn("mail.contoso.com")
            .build(),
    );
    for id in ["org-fqdn-not-on-cert", "connector-tscn-not-on-cert"] {
        let f = one(&r, id);
        assert!(
            f.message.contains("host19.fabrikam.com"),
            "{id}: {}",
            f.message
        );
        assert!(
            !f.message.contains("host20.fabrikam.com"),
            "{id}: {}",
            f.message
        );
        assert!(f.message.contains("and 10 more"), "{id}: {}", f.message);
    }
}
