//! One change, as data.

use super::*;

fn d(s: &str) -> DnsName {
    DnsName::parse(s).unwrap()
}

#[test]
fn set_connector_line_is_exact() {
    let a = FixAction::SetInboundConnector {
        connector: "Inbound from on-premises".into(),
        settings: vec![ConnectorSetting::TlsSenderCertificateName(Some(
            "*.contoso.com".into(),
        ))],
    };
    assert_eq!(
        a.commands(Part::ExchangeOnline, false),
        vec![
            "Set-InboundConnector -Identity \"Inbound from on-premises\" -TlsSenderCertificateName \"*.contoso.com\""
        ]
    );
    assert_eq!(a.runs_in(), RunsIn::ExchangeOnline);
}

#[test]
fn new_connector_line_is_exact() {
    let mut c = InboundConnector::new(NEW_CONNECTOR);
    c.tls_sender_certificate_name = Some("*.contoso.com".into());
    let a = FixAction::NewInboundConnector {
        connector: Box::new(c),
    };
    assert_eq!(
        a.powershell(false),
        vec![
            "New-InboundConnector -Name \"Inbound from on-premises\" -ConnectorType OnPremises -SenderDomains * -RequireTls $true -TlsSenderCertificateName \"*.contoso.com\" -CloudServicesMailEnabled $true"
        ]
    );
}

#[test]
fn a_new_domain_is_added_then_verified_in_another_part() {
    let a = FixAction::AddDomain {
        domain: d("subdomain.contoso.com"),
    };
    assert_eq!(a.parts(false), vec![Part::GraphAdd, Part::GraphVerify]);
    let add = a.commands(Part::GraphAdd, false);
    assert_eq!(add[0], "New-MgDomain -Id \"subdomain.contoso.com\"");
    assert!(
        add[1].starts_with("Get-MgDomainVerificationDnsRecord -DomainId \"subdomain.contoso.com\"")
    );
    assert!(!add.iter().any(|l| l.starts_with("Confirm-MgDomain")));
    assert_eq!(
        a.commands(Part::GraphVerify, false),
        vec!["Confirm-MgDomain -DomainId \"subdomain.contoso.com\""]
    );
    // Under a verified root domain Microsoft 365 verifies it on creation.
    assert_eq!(a.parts(true), vec![Part::GraphAdd]);
}

#[test]
fn send_connector_value_is_quoted_safely() {
    let a = FixAction::UseCertificate {
        index: Some(1),
        thumbprint: "AB".into(),
        send_connector: Some(SEND_CONNECTOR.into()),
        tls_certificate_name: "<I>CN=R3, O=Let's Encrypt, C=US<S>CN=mail.contoso.com".into(),
    };
    assert_eq!(
        a.commands(Part::ExchangeServer, false)[0],
        "Set-SendConnector -Identity \"Outbound to Office 365\" -TlsCertificateName \"<I>CN=R3, O=Let's Encrypt, C=US<S>CN=mail.contoso.com\""
    );
    assert_eq!(ps_quote("a$b'c"), "'a$b''c'");
    assert_eq!(ps_quote("Kate’s “relay”"), "'Kate’’s “relay”'");
    assert_eq!(ps_quote("Kate’s relay"), "\"Kate’s relay\"");
    assert_eq!(ps_quote("say \"hi\""), "'say \"hi\"'");
    assert_eq!(ps_quote("a\nb\u{1b}"), "\"a␊b␛\"");
    // U+201A (single low-9) closes a single-quoted string for PowerShell too.
    assert_eq!(ps_quote("x$\u{201A}; y"), "'x$\u{201A}\u{201A}; y'");
    assert_eq!(ps_quote("\u{201A}\u{201B}"), "\"\u{201A}\u{201B}\"");
}

#[test]
fn fixes_become_edits_and_a_rename_goes_last() {
    let e = FixAction::SetInboundConnector {
        connector: "Inbound".into(),
        settings: vec![
            ConnectorSetting::Name("New name".into()),
            ConnectorSetting::Enabled(true),
        ],
    }
    .edits()
    .unwrap();
    assert!(matches!(e[0], Edit::SetConnectorEnabled { .. }));
    assert!(matches!(e[1], Edit::RenameConnector { .. }));
    assert!(FixAction::Manual { text: "x".into() }.edits().is_none());
}
