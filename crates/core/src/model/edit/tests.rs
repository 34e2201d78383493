//! Edits and their undos.

use super::*;

fn scenario() -> Scenario {
    let mut s = Scenario::default();
    s.tenant
        .push(AcceptedDomain::new(DnsName::parse("contoso.com").unwrap()));
    s.inbound_connectors.push(InboundConnector::new("Inbound"));
    s
}

/// Applies the edit, checks `check`, reverts, and checks the scenario is as before.
fn round_trip(s: &mut Scenario, e: Edit, check: impl FnOnce(&Scenario)) {
    let before = s.clone();
    let undo = apply(s, &e).unwrap_or_else(|err| panic!("{e:?}: {err}"));
    check(s);
    revert(s, undo);
    assert_eq!(*s, before, "undo of {e:?}");
}

#[test]
fn add_verify_remove_domain() {
    let mut s = scenario();
    let sub = DnsName::parse("sub.contoso.com").unwrap();
    apply(&mut s, &Edit::AddUnverifiedDomain(sub.clone())).unwrap();
    assert!(!s.tenant.accepted_domains()[1].verified);
    apply(&mut s, &Edit::VerifyDomain(sub.clone())).unwrap();
    assert!(s.tenant.accepted_domains()[1].verified);
    apply(&mut s, &Edit::RemoveDomain(sub.clone())).unwrap();
    assert_eq!(s.tenant.len(), 1);
    assert_eq!(
        apply(&mut s, &Edit::VerifyDomain(sub.clone())),
        Err(EditError::NoSuchDomain(sub))
    );
}

#[test]
fn every_edit_is_undone_exactly() {
    let mut s = scenario();
    let d = |t: &str| DnsName::parse(t).unwrap();
    s.tenant.push(AcceptedDomain {
        verified: false,
        ..AcceptedDomain::new(d("fabrikam.com"))
    });
    let edits = vec![
        Edit::AddDomain(d("sub.contoso.com")),
        Edit::AddDomain(d("fabrikam.com")),
        Edit::AddUnverifiedDomain(d("new.contoso.com")),
        Edit::VerifyDomain(d("fabrikam.com")),
        Edit::UnverifyDomain(d("contoso.com")),
        Edit::RemoveDomain(d("contoso.com")),
        Edit::SetDomainType {
            domain: d("contoso.com"),
            domain_type: DomainType::InternalRelay,
        },
        Edit::SetDefaultDomain(d("fabrikam.com")),
        Edit::SetRejectDirectSend(true),
        Edit::SetTlsSenderCertificateName {
            connector: None,
            value: Some("*.contoso.com".into()),
        },
        Edit::SetConnectorEnabled {
            connector: Some("inbound".into()),
            value: false,
        },
        Edit::SetConnectorType {
            connector: None,
            value: ConnectorType::Partner,
        },
        Edit::SetSenderIpAddresses {
            connector: None,
            value: vec!["203.0.113.10".parse().unwrap()],
        },
        Edit::RenameConnector {
            connector: None,
            value: "Renamed".into(),
        },
        Edit::AddConnector(InboundConnector::new("Second")),
        Edit::RemoveConnector("Inbound".into()),
        Edit::SetOrganizationFqdn(Some(d("mail.contoso.com"))),
        Edit::SetOnPremisesIp(Some("203.0.113.10".parse().unwrap())),
        Edit::AddMessage(
            Message::new(
                "x",
                super::super::MessageKind::Other,
                "a@contoso.com",
                "b@c.com",
            )
            .unwrap(),
        ),
        Edit::RemoveMessage(1),
        Edit::ResetMessages,
    ];
    for e in edits {
        round_trip(&mut s, e, |_| {});
    }
}

#[test]
fn failed_edits_change_nothing_and_say_why() {
    let mut s = scenario();
    let before = s.clone();
    assert_eq!(
        apply(&mut s, &Edit::RemoveMessage(9)),
        Err(EditError::NoSuchMessage(10))
    );
    assert_eq!(
        apply(
            &mut s,
            &Edit::AddConnector(InboundConnector::new("INBOUND"))
        ),
        Err(EditError::DuplicateConnector("INBOUND".into()))
    );
    assert_eq!(
        apply(
            &mut s,
            &Edit::RenameConnector {
                connector: None,
                value: " ".into()
            }
        ),
        Err(EditError::EmptyName)
    );
    assert_eq!(s, before);
    let all = apply_all(
        &mut s,
        &[
            Edit::AddDomain(DnsName::parse("a.contoso.com").unwrap()),
            Edit::SelectCertificate(3),
        ],
    );
    assert_eq!(
        all,
        Err(EditError::NoSuchCertificate {
            number: 4,
            count: 0
        })
    );
    assert_eq!(s, before, "all or nothing");
}

#[test]
fn connector_edits_find_the_connector() {
    let mut s = scenario();
    apply(
        &mut s,
        &Edit::SetTlsSenderCertificateName {
            connector: None,
            value: Some("*.contoso.com".into()),
        },
    )
    .unwrap();
    assert_eq!(
        s.inbound_connectors[0]
            .tls_sender_certificate_name
            .as_deref(),
        Some("*.contoso.com")
    );
    let missing = apply(
        &mut s,
        &Edit::SetRequireTls {
            connector: Some("Nope".into()),
            value: false,
        },
    );
    assert_eq!(
        missing.unwrap_err().to_string(),
        "there is no inbound connector named \"Nope\""
    );
}

#[test]
fn editing_default_messages_keeps_the_others() {
    let mut s = scenario();
    apply(&mut s, &Edit::RemoveMessage(0)).unwrap();
    assert_eq!(s.messages.len(), 3);
    assert_eq!(s.messages[0].title(), "NDR to an external sender");
}

#[test]
fn descriptions_name_what_they_touch() {
    let mut s = scenario();
    materialize_messages(&mut s);
    assert_eq!(
        describe(&Edit::RemoveMessage(1), &s),
        "deleted message \"NDR to an external sender\""
    );
    assert_eq!(
        describe(
            &Edit::SetTlsSenderCertificateName {
                connector: None,
                value: Some("*.contoso.com".into())
            },
            &s
        ),
        "TlsSenderCertificateName of \"Inbound\" set to *.contoso.com"
    );
}

#[test]
fn solution_yaml_shape() {
    let yaml = "- add_domain: sub.contoso.com\n- set_tls_sender_certificate_name: {value: '*.contoso.com'}\n- select_certificate: 1\n- set_reject_direct_send: true\n";
    let edits = parse_edits(yaml).unwrap();
    assert_eq!(
        edits[0],
        Edit::AddDomain(DnsName::parse("sub.contoso.com").unwrap())
    );
    assert_eq!(
        edits[1],
        Edit::SetTlsSenderCertificateName {
            connector: None,
            value: Some("*.contoso.com".into())
        }
    );
    assert_eq!(edits[2], Edit::SelectCertificate(0));
    assert_eq!(edits[3], Edit::SetRejectDirectSend(true));
    assert!(parse_edits("- select_certificate: 0").is_err());
    assert!(parse_edits("- paint_it_red: 1").is_err());
    assert!(parse_edits("- add_certificates: []").is_err());
}
