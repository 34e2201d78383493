//! `ConvertTo-Json` output in every shape and encoding Windows PowerShell 5.1 and
//! PowerShell 7 write it, merged over scenarios; every bad file refused with a sentence that
//! names the file, the field and the problem.

use crate::support;

use std::path::{Path, PathBuf};

use relaycheck::error::InputError;
use relaycheck::import::{self, NoteKind, Overrides, TenantData};
use relaycheck::model::{ConnectorType, DomainType, IpProblem, Scenario};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(name)
}

fn load(overrides: &Overrides) -> TenantData {
    import::load(overrides, None, support::now()).unwrap_or_else(|e| panic!("{e}"))
}

fn domains_only(path: PathBuf) -> Overrides {
    Overrides {
        accepted_domains: Some(path),
        ..Overrides::default()
    }
}

fn domain_rows(data: &TenantData) -> Vec<(String, DomainType, bool)> {
    data.accepted_domains
        .as_ref()
        .unwrap()
        .iter()
        .map(|d| (d.domain.to_string(), d.domain_type, d.default))
        .collect()
}

/// The text as Windows PowerShell 5.1's `>` writes it: UTF-16 LE, byte-order mark, CRLF.
fn utf16le_crlf(text: &str) -> Vec<u8> {
    let mut out = vec![0xff, 0xfe];
    for unit in text
        .replace("\r\n", "\n")
        .replace('\n', "\r\n")
        .encode_utf16()
    {
        out.extend(unit.to_le_bytes());
    }
    out
}

/// Every encoding an admin's file may come in, written to `dir`.
fn encodings(dir: &Path, name: &str) -> Vec<PathBuf> {
    let text = std::fs::read_to_string(fixture(name)).unwrap();
    let variants: Vec<(&str, Vec<u8>)> = vec![
        ("utf16le-bom-crlf", utf16le_crlf(&text)),
        (
            "utf8-bom",
            [b"\xef\xbb\xbf".as_slice(), text.as_bytes()].concat(),
        ),
        ("utf8-crlf", text.replace('\n', "\r\n").into_bytes()),
        ("utf8", text.into_bytes()),
    ];
    variants
        .into_iter()
        .map(|(how, bytes)| {
            let p = dir.join(format!("{how}-{name}"));
            std::fs::write(&p, bytes).unwrap();
            p
        })
        .collect()
}

#[test]
fn accepted_domains_in_every_shape() {
    let exo = load(&domains_only(fixture("accepted-domains.json")));
    assert_eq!(
        domain_rows(&exo),
        [
            ("contoso.com".to_string(), DomainType::Authoritative, true),
            (
                "contoso.onmicrosoft.com".to_string(),
                DomainType::Authoritative,
                false
            ),
            (
                "contoso.mail.onmicrosoft.com".to_string(),
                DomainType::InternalRelay,
                false
            ),
            ("fabrikam.com".to_string(), DomainType::Authoritative, false),
        ]
    );
    let single = load(&domains_only(fixture("accepted-domain-single-object.json")));
    assert_eq!(
        domain_rows(&single),
        [("contoso.com".to_string(), DomainType::Authoritative, true)]
    );
    let numbers = load(&domains_only(fixture("accepted-domains-enum-numbers.json")));
    assert_eq!(
        domain_rows(&numbers),
        [
            ("contoso.com".to_string(), DomainType::Authoritative, true),
            (
                "partner.example".to_string(),
                DomainType::ExternalRelay,
                false
            ),
            (
                "contoso.mail.onmicrosoft.com".to_string(),
                DomainType::InternalRelay,
                false
            ),
        ]
    );
    let wrapped = load(&domains_only(fixture("accepted-domains-ps51-wrapper.json")));
    assert_eq!(
        domain_rows(&wrapped),
        [
            ("contoso.com".to_string(), DomainType::Authoritative, true),
            (
                "contoso.onmicrosoft.com".to_string(),
                DomainType::Authoritative,
                false
            ),
        ]
    );
}

#[test]
fn every_fixture_reads_the_same_in_every_encoding() {
    let tmp = tempfile::tempdir().unwrap();
    for name in [
        "accepted-domains.json",
        "accepted-domain-single-object.json",
        "accepted-domains-enum-numbers.json",
        "accepted-domains-ps51-wrapper.json",
    ] {
        let want = domain_rows(&load(&domains_only(fixture(name))));
        for p in encodings(tmp.path(), name) {
            assert_eq!(
                domain_rows(&load(&domains_only(p.clone()))),
                want,
                "{}",
                p.display()
            );
        }
    }
    for name in ["inbound-connectors.json", "inbound-connector-ip-only.json"] {
        let o = |p: PathBuf| Overrides {
            inbound_connectors: Some(p),
            ..Overrides::default()
        };
        let want = load(&o(fixture(name))).inbound_connectors;
        for p in encodings(tmp.path(), name) {
            assert_eq!(
                load(&o(p.clone())).inbound_connectors,
                want,
                "{}",
                p.display()
            );
        }
    }
    for name in ["domain-status.json"] {
        let o = |p: PathBuf| Overrides {
            domain_status: Some(p),
            ..Overrides::default()
        };
        let want = load(&o(fixture(name))).domain_status;
        for p in encodings(tmp.path(), name) {
            assert_eq!(load(&o(p.clone())).domain_status, want, "{}", p.display());
        }
    }
    for name in [
        "outbound-connectors.json",
        "outbound-connector-single-enum-numbers.json",
    ] {
        let o = |p: PathBuf| Overrides {
            outbound_connectors: Some(p),
            ..Overrides::default()
        };
        let want = load(&o(fixture(name))).organization_fqdn;
        assert!(want.is_some(), "{name}");
        for p in encodings(tmp.path(), name) {
            assert_eq!(
                load(&o(p.clone())).organization_fqdn,
                want,
                "{}",
                p.display()
            );
        }
    }
}

#[test]
fn verification_status_is_merged_by_name_or_assumed_and_said() {
    let assumed = load(&domains_only(fixture("accepted-domains.json")));
    let mut s = Scenario::default();
    let notes = import::apply(&mut s, &assumed);
    assert!(s.tenant.accepted_domains().iter().all(|d| d.verified));
    let note = notes
        .iter()
        .find(|n| n.kind == NoteKind::Assumption)
        .expect("the assumption is recorded");
    assert_eq!(
        note.text,
        "Verification status was not given (--domain-status, from Get-MgDomain): all 4 accepted domains were assumed verified."
    );

    let merged = load(&Overrides {
        accepted_domains: Some(fixture("accepted-domains.json")),
        domain_status: Some(fixture("domain-status.json")),
        ..Overrides::default()
    });
    let mut s = Scenario::default();
    let notes = import::apply(&mut s, &merged);
    let verified: Vec<(&str, bool)> = s
        .tenant
        .accepted_domains()
        .iter()
        .map(|d| (d.domain.as_str(), d.verified))
        .collect();
    assert_eq!(
        verified,
        [
            ("contoso.com", true),
            ("contoso.onmicrosoft.com", true),
            ("contoso.mail.onmicrosoft.com", true),
            ("fabrikam.com", false),
        ]
    );
    assert!(!notes.iter().any(|n| n.text.contains("assumed verified")));
    assert!(
        notes
            .iter()
            .any(|n| n.kind == NoteKind::Skipped && n.text.contains("tailspintoys.com")),
        "{notes:?}"
    );
}

#[test]
fn domain_status_alone_updates_a_scenarios_domains() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/examples");
    let (_, mut s) = relaycheck::scenario::load(
        &dir.join("seed002-host-instead-of-wildcard.yaml"),
        None,
        crate::support::now(),
    )
    .unwrap();
    let data = load(&Overrides {
        domain_status: Some(fixture("domain-status.json")),
        ..Overrides::default()
    });
    let notes = import::apply(&mut s, &data);
    assert!(s.tenant.accepted_domains().iter().all(|d| d.verified));
    // fabrikam.com and two others are in Graph but not in this scenario's tenant.
    assert!(
        notes.iter().any(|n| n.text.contains("fabrikam.com")),
        "{notes:?}"
    );
}

#[test]
fn inbound_connectors_keep_what_the_checks_need() {
    let data = load(&Overrides {
        inbound_connectors: Some(fixture("inbound-connectors.json")),
        ..Overrides::default()
    });
    let c = data.inbound_connectors.as_ref().unwrap();
    assert_eq!(c.len(), 2);
    assert_eq!(
        c[0].name,
        "Inbound from 2f6c7d3e-8a41-4b2e-9c55-1d0e7f3a6b20"
    );
    assert_eq!(c[0].connector_type, ConnectorType::OnPremises);
    assert_eq!(
        c[0].tls_sender_certificate_name.as_deref(),
        Some("mail.contoso.com")
    );
    assert!(c[0].enabled && c[0].require_tls && c[0].cloud_services_mail_enabled);
    assert_eq!(c[1].connector_type, ConnectorType::Partner);
    assert_eq!(c[1].tls_sender_certificate_name, None);
    let ips: Vec<bool> = ["203.0.113.25", "198.51.100.77", "192.0.2.1"]
        .iter()
        .map(|ip| {
            c[1].sender_ip_addresses
                .iter()
                .any(|r| r.contains(ip.parse().unwrap()))
        })
        .collect();
    assert_eq!(ips, [true, true, false]);
    // SenderDomains smtp:*;1 is what HCW writes: nothing to say.
    assert!(data.notes.is_empty(), "{:?}", data.notes);

    let single = load(&Overrides {
        inbound_connectors: Some(fixture("inbound-connector-ip-only.json")),
        ..Overrides::default()
    });
    let c = single.inbound_connectors.unwrap();
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].connector_type, ConnectorType::OnPremises);
    assert_eq!(c[0].tls_sender_certificate_name, None);
}

#[test]
fn restricted_sender_domains_on_an_on_premises_connector_are_noted() {
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("in.json");
    std::fs::write(
        &p,
        r#"{"Name":"Inbound","ConnectorType":"OnPremises","SenderDomains":["smtp:contoso.com;1"],"TlsSenderCertificateName":"*.contoso.com"}"#,
    )
    .unwrap();
    let data = load(&Overrides {
        inbound_connectors: Some(p),
        ..Overrides::default()
    });
    assert!(
        data.notes[0]
            .text
            .contains("accepts only sender domains contoso.com"),
        "{:?}",
        data.notes
    );
}

#[test]
fn an_empty_connector_file_means_no_connectors() {
    let tmp = tempfile::tempdir().unwrap();
    // `Get-InboundConnector | ConvertTo-Json > in.json` with no connectors: a BOM only.
    let p = tmp.path().join("in.json");
    std::fs::write(&p, [0xff, 0xfe]).unwrap();
    let data = load(&Overrides {
        inbound_connectors: Some(p.clone()),
        outbound_connectors: Some(p),
        ..Overrides::default()
    });
    assert_eq!(data.inbound_connectors, Some(Vec::new()));
    assert_eq!(data.organization_fqdn, None);
    assert!(
        data.notes
            .iter()
            .any(|n| n.text.contains("tenant without inbound connectors"))
    );
    assert!(
        data.notes
            .iter()
            .any(|n| n.text.contains("organisation FQDN is unknown"))
    );
}

#[test]
fn organization_fqdn_from_outbound_connectors_and_the_flag_wins() {
    let data = load(&Overrides {
        outbound_connectors: Some(fixture("outbound-connectors.json")),
        ..Overrides::default()
    });
    assert_eq!(
        data.organization_fqdn.as_ref().map(|n| n.as_str()),
        Some("mail.contoso.com")
    );
    assert_eq!(
        data.notes[0].text,
        "Organisation FQDN mail.contoso.com taken from outbound connector \"Outbound to 2f6c7d3e-8a41-4b2e-9c55-1d0e7f3a6b20\" (TlsDomain)."
    );
    // A wildcard TlsDomain names no host, and an IP smart host is no name: the next smart host.
    let data = load(&Overrides {
        outbound_connectors: Some(fixture("outbound-connector-single-enum-numbers.json")),
        ..Overrides::default()
    });
    assert_eq!(
        data.organization_fqdn.as_ref().map(|n| n.as_str()),
        Some("smtp.contoso.com")
    );
    assert!(data.notes[0].text.ends_with("(SmartHosts)."));
    let data = load(&Overrides {
        outbound_connectors: Some(fixture("outbound-connectors.json")),
        organization_fqdn: Some("Hybrid.Contoso.com.".into()),
        ..Overrides::default()
    });
    assert_eq!(
        data.organization_fqdn.as_ref().map(|n| n.as_str()),
        Some("hybrid.contoso.com")
    );
    assert!(data.notes.is_empty());
    let e = import::load(
        &Overrides {
            organization_fqdn: Some("not a name".into()),
            ..Overrides::default()
        },
        None,
        support::now(),
    )
    .unwrap_err();
    assert!(
        InputError::from(e)
            .to_string()
            .starts_with("--organization-fqdn: ")
    );
}

#[test]
fn flags_win_over_the_scenario_and_the_rest_stays() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/examples");
    let (_, mut s) = relaycheck::scenario::load(
        &dir.join("seed000-host-two-levels-down.yaml"),
        None,
        crate::support::now(),
    )
    .unwrap();
    let before = s.clone();
    let data = load(&Overrides {
        accepted_domains: Some(fixture("accepted-domains.json")),
        domain_status: Some(fixture("domain-status.json")),
        inbound_connectors: Some(fixture("inbound-connectors.json")),
        outbound_connectors: Some(fixture("outbound-connectors.json")),
        ..Overrides::default()
    });
    import::apply(&mut s, &data);
    assert_eq!(s.tenant.accepted_domains().len(), 4);
    assert_eq!(s.inbound_connectors.len(), 2);
    assert_eq!(
        s.on_premises.organization_fqdn.as_ref().map(|n| n.as_str()),
        Some("mail.contoso.com")
    );
    // Not given on the command line: the scenario's certificate, IP and messages stay.
    assert_eq!(s.certificates.len(), before.certificates.len());
    assert_eq!(
        s.certificate().map(|c| c.thumbprint.clone()),
        before.certificate().map(|c| c.thumbprint.clone())
    );
    assert_eq!(s.on_premises.ip, before.on_premises.ip);
    assert_eq!(s.messages, before.messages);
}

#[test]
fn real_tenant_data_validates_end_to_end() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/examples/certs");
    let data = load(&Overrides {
        certificate: Some(dir.join("mail-contoso.pem")),
        accepted_domains: Some(fixture("accepted-domains.json")),
        domain_status: Some(fixture("domain-status.json")),
        inbound_connectors: Some(fixture("inbound-connectors.json")),
        outbound_connectors: Some(fixture("outbound-connectors.json")),
        ..Overrides::default()
    });
    let mut s = Scenario::default();
    import::apply(&mut s, &data);
    let report = relaycheck::validate(&s, support::now());
    let ids: Vec<&str> = report.findings.iter().map(|f| f.id.as_str()).collect();
    // The connector says mail.contoso.com, a host that is no accepted domain (seed 002).
    assert!(ids.contains(&"connector-domain-not-accepted"), "{ids:?}");
    assert_eq!(report.recommended_tscn.as_deref(), Some("*.contoso.com"));
}

/// (file name, which flag, content, the start of the expected message)
const BAD: &[(&str, &str, &str, &str)] = &[
    (
        "empty.json",
        "accepted",
        "",
        "the file is empty: Get-AcceptedDomain",
    ),
    ("empty-list.json", "accepted", "[]", "the list is empty"),
    (
        "table.txt",
        "accepted",
        "Name          DomainName    DomainType\r\n----          ----------    ----------\r\ncontoso.com   contoso.com   Authoritative\r\n",
        "not JSON: it looks like list or table output",
    ),
    (
        "truncated.json",
        "accepted",
        "[{\"DomainName\": \"contoso.com\",",
        "not valid JSON (line 1, column",
    ),
    (
        "type-name.json",
        "accepted",
        r#"[{"DomainName":"contoso.com","DomainType":"Federated"}]"#,
        "[0].DomainType: \"Federated\" is not an accepted domain type (expected Authoritative, ExternalRelay, InternalRelay or the numbers 0, 1, 2)",
    ),
    (
        "type-number.json",
        "accepted",
        r#"[{"DomainName":"contoso.com"},{"DomainName":"fabrikam.com","DomainType":7}]"#,
        "[1].DomainType: 7 is not an accepted domain type",
    ),
    (
        "type-kind.json",
        "accepted",
        r#"{"DomainName":"contoso.com","DomainType":true}"#,
        "DomainType: expected a name or a number, found true/false",
    ),
    (
        "wrong-file.json",
        "accepted",
        r#"[{"Name":"Inbound","TlsSenderCertificateName":"*.contoso.com","ConnectorType":"OnPremises"}]"#,
        "[0].DomainName: missing (this looks like Get-InboundConnector output, not Get-AcceptedDomain)",
    ),
    (
        "name-kind.json",
        "accepted",
        r#"{"DomainName":5}"#,
        "DomainName: expected a domain name or an object with Domain, found a number",
    ),
    (
        "bad-name.json",
        "accepted",
        r#"[{"DomainName":"contoso..com"}]"#,
        "[0].DomainName: \"contoso..com\" is not a valid domain name",
    ),
    (
        "not-objects.json",
        "accepted",
        "[1, 2]",
        "[0]: expected an object (as ConvertTo-Json writes each result), found a number",
    ),
    (
        "default.json",
        "accepted",
        r#"[{"DomainName":"contoso.com","Default":"yes"}]"#,
        "[0].Default: expected true or false, found \"yes\"",
    ),
    (
        "status-missing.json",
        "status",
        r#"[{"Id":"contoso.com"}]"#,
        "[0].IsVerified: missing",
    ),
    (
        "status-kind.json",
        "status",
        r#"[{"Id":"contoso.com","IsVerified":"yes"}]"#,
        "[0].IsVerified: expected true or false, found \"yes\"",
    ),
    (
        "status-id.json",
        "status",
        r#"{"Id":"not a domain","IsVerified":true}"#,
        "Id: \"not a domain\" is not a valid domain name",
    ),
    (
        "status-empty.json",
        "status",
        "",
        "the file is empty: Get-MgDomain",
    ),
    (
        "in-type.json",
        "inbound",
        r#"[{"Name":"x","ConnectorType":"Hybrid"}]"#,
        "[0].ConnectorType: \"Hybrid\" is not one of OnPremises (1), Partner (2)",
    ),
    (
        "in-type-number.json",
        "inbound",
        r#"[{"Name":"x","ConnectorType":3}]"#,
        "[0].ConnectorType: 3 is not one of OnPremises (1), Partner (2)",
    ),
    (
        "in-no-type.json",
        "inbound",
        r#"{"Name":"x"}"#,
        "ConnectorType: missing",
    ),
    (
        "in-no-name.json",
        "inbound",
        r#"[{"ConnectorType":"OnPremises"}]"#,
        "[0].Name: missing",
    ),
    (
        "in-ip-kind.json",
        "inbound",
        r#"{"Name":"x","ConnectorType":1,"SenderIPAddresses":[true]}"#,
        "SenderIPAddresses[0]: expected an address",
    ),
    (
        "in-tscn.json",
        "inbound",
        r#"{"Name":"x","ConnectorType":"OnPremises","TlsSenderCertificateName":42}"#,
        "TlsSenderCertificateName: expected a name such as *.contoso.com, or null, found a number",
    ),
    (
        "in-bool.json",
        "inbound",
        r#"{"Name":"x","ConnectorType":"OnPremises","RequireTls":"maybe"}"#,
        "RequireTls: expected true or false, found \"maybe\"",
    ),
    (
        "in-wrong-file.json",
        "inbound",
        r#"[{"DomainName":"contoso.com","DomainType":0}]"#,
        "[0].Name: missing (this looks like Get-AcceptedDomain output, not Get-InboundConnector)",
    ),
    (
        "out-tls.json",
        "outbound",
        r#"[{"Name":"o","ConnectorType":"OnPremises","TlsSettings":"Strict"}]"#,
        "[0].TlsSettings: \"Strict\" is not one of EncryptionOnly (1), CertificateValidation (2), DomainValidation (4)",
    ),
    (
        "out-hosts.json",
        "outbound",
        r#"[{"Name":"o","ConnectorType":"OnPremises","SmartHosts":[5]}]"#,
        "[0].SmartHosts[0]: expected a host name such as mail.contoso.com, found a number",
    ),
    (
        "out-source.json",
        "outbound",
        r#"{"Name":"o","ConnectorType":"OnPremises","ConnectorSource":"Robot"}"#,
        "ConnectorSource: \"Robot\" is not one of",
    ),
];

/// SenderIPAddresses entries Exchange Online would refuse are not load errors: each loads as
/// written and says why (the `connector-ip-invalid` finding); a blank entry is no address.
#[test]
fn sender_ip_entries_exchange_online_refuses_load_and_say_why() {
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("in-ips.json");
    std::fs::write(
        &p,
        r#"{"Name":"x","ConnectorType":1,"SenderIPAddresses":[
            "10.0.0.1-10.0.0.9", "2001:db8::/32", "10.0.0.0/8", "mail.contoso.com",
            "10.0.0.9-10.0.0.1", "  ", {"Expression":"203.0.113.0/24"}]}"#,
    )
    .unwrap();
    let data = load(&Overrides {
        inbound_connectors: Some(p),
        ..Overrides::default()
    });
    let c = data.inbound_connectors.expect("connectors");
    let got: Vec<(String, Option<IpProblem>)> = c[0]
        .sender_ip_addresses
        .iter()
        .map(|r| (r.to_string(), r.problem()))
        .collect();
    let want = [
        ("10.0.0.1-10.0.0.9", None),
        ("2001:db8::/32", Some(IpProblem::Ipv6)),
        ("10.0.0.0/8", Some(IpProblem::PrefixTooShort)),
        ("mail.contoso.com", Some(IpProblem::Syntax)),
        ("10.0.0.9-10.0.0.1", Some(IpProblem::RangeReversed)),
        ("203.0.113.0/24", None),
    ]
    .map(|(t, p)| (t.to_string(), p));
    assert_eq!(got, want);
    let ranges = &c[0].sender_ip_addresses;
    assert!(ranges[0].contains("10.0.0.5".parse().unwrap()));
    assert!(
        !ranges[2].contains("10.0.0.5".parse().unwrap()),
        "a /8 never matches"
    );
}

#[test]
fn bad_files_are_refused_naming_the_file_the_field_and_the_problem() {
    let tmp = tempfile::tempdir().unwrap();
    for (name, flag, content, want) in BAD {
        let p = tmp.path().join(name);
        std::fs::write(&p, content).unwrap();
        let mut o = Overrides::default();
        match *flag {
            "accepted" => o.accepted_domains = Some(p.clone()),
            "status" => o.domain_status = Some(p.clone()),
            "inbound" => o.inbound_connectors = Some(p.clone()),
            _ => o.outbound_connectors = Some(p.clone()),
        }
        let e = InputError::from(import::load(&o, None, support::now()).unwrap_err());
        assert_eq!(e.path.as_deref(), Some(p.as_path()), "{name}");
        assert!(
            e.message.starts_with(want),
            "{name}:\n got  {}\n want {want}",
            e.message
        );
        assert!(!e.message.contains('\n'), "{name}: one paragraph");
    }
}

#[test]
fn the_same_refusals_hold_in_utf16() {
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("ad.json");
    std::fs::write(
        &p,
        utf16le_crlf(r#"[{"DomainName":"contoso.com","DomainType":"Federated"}]"#),
    )
    .unwrap();
    let e = InputError::from(import::load(&domains_only(p), None, support::now()).unwrap_err());
    assert!(
        e.message.starts_with("[0].DomainType: \"Federated\""),
        "{e}"
    );
}

#[test]
fn binary_and_missing_files_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("ad.json");
    std::fs::write(&p, [0x30, 0x82, 0xff, 0x00, 0xc3]).unwrap();
    let e =
        InputError::from(import::load(&domains_only(p.clone()), None, support::now()).unwrap_err());
    assert!(e.message.starts_with("the file is not text"), "{e}");
    let missing = tmp.path().join("nope.json");
    let e = InputError::from(
        import::load(&domains_only(missing.clone()), None, support::now()).unwrap_err(),
    );
    assert_eq!(
        e.to_string(),
        format!("{}: the file does not exist", missing.display())
    );
}
