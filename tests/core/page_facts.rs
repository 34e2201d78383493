//! Facts the wizard's pages show and nothing else derives: each candidate's chain, the
//! SenderIPAddresses Exchange Online refuses, what a send connector presents in words, and
//! how a message's decision reads (Direct Send).

use crate::rulekit::*;
use relaycheck::facts::{ChainState, TrustedBy};
use relaycheck::model::{IpProblem, SendConnector, ServerCertificate, TransportServer};

#[test]
fn every_candidate_has_its_chain_judged() {
    let s = recommended()
        .cert(self_signed("old.contoso.com"))
        .cert(cert("mail.contoso.com", &["mail.contoso.com"]))
        .build();
    let r = validate(&s);
    assert_eq!(r.facts.chains.len(), 3);
    assert!(
        matches!(
            r.facts.chains[0],
            ChainState::Trusted {
                by: TrustedBy::Lab,
                ..
            }
        ),
        "{:?}",
        r.facts.chains[0]
    );
    assert_eq!(r.facts.chains[1], ChainState::SelfSigned);
    assert_eq!(
        r.facts.chain.as_ref(),
        r.facts.chains.get(2),
        "the presented one's is the same"
    );
}

#[test]
fn refused_sender_ip_addresses_are_named_with_why() {
    let s = recommended()
        .connector(ip_connector(
            "IP",
            &["203.0.113.10", "10.0.0.0/16", "2001:db8::1"],
        ))
        .build();
    let r = validate(&s);
    assert!(r.facts.connectors[0].refused_ip_addresses.is_empty());
    let refused: Vec<(String, IpProblem)> = r.facts.connectors[1]
        .refused_ip_addresses
        .iter()
        .map(|(ip, p)| (ip.to_string(), *p))
        .collect();
    assert_eq!(
        refused,
        vec![
            ("10.0.0.0/16".to_string(), IpProblem::PrefixTooShort),
            ("2001:db8::1".to_string(), IpProblem::Ipv6),
        ]
    );
}

#[test]
fn what_a_send_connector_presents_reads_in_words() {
    let mut s = recommended().build();
    let good = s.certificates[0].facts.clone();
    let named = SendConnector {
        smart_hosts: vec!["contoso-com.mail.protection.outlook.com".into()],
        dns_routing_enabled: false,
        tls_certificate_name: Some(good.tls_certificate_name()),
        source_transport_servers: vec!["EX01".into(), "EX02".into()],
        ..SendConnector::new("Outbound to Office 365")
    };
    let unset = SendConnector {
        tls_certificate_name: None,
        ..named.clone()
    };
    s.on_premises.send_connectors = Some(vec![named, unset]);
    s.on_premises.servers = vec![
        TransportServer {
            certificates: vec![ServerCertificate::from_facts(
                good.clone(),
                None,
                Some(true),
            )],
            ..TransportServer::new("EX01")
        },
        TransportServer::new("EX02"),
    ];
    let r = validate(&s);
    let sc = r.facts.onprem.send_connectors.as_ref().unwrap();
    assert_eq!(
        sc[0].presents.words(),
        "the selected certificate; not installed on EX02"
    );
    assert_eq!(
        sc[1].presents.words(),
        "no TlsCertificateName: Exchange picks a certificate itself"
    );
}

#[test]
fn direct_send_reads_as_such_delivered_or_refused() {
    // No connector claims the server: mail to the tenant's own mailboxes is Direct Send.
    let open = Build::new()
        .default_domain("contoso.com")
        .message(
            "Scanner to a user",
            "scanner@contoso.com",
            "kate@contoso.com",
        )
        .build();
    let r = validate(&open);
    assert_eq!(r.mail_flow[0].decided_by_words(), "anonymous (Direct Send)");
    assert_eq!(r.mail_flow[0].decided_by_label(), "Direct Send");
    assert!(!r.mail_flow[0].is_direct_send_refused());
    let closed = Build::new()
        .default_domain("contoso.com")
        .reject_direct_send()
        .message(
            "Scanner to a user",
            "scanner@contoso.com",
            "kate@contoso.com",
        )
        .build();
    let r = validate(&closed);
    assert!(r.mail_flow[0].is_direct_send_refused());
    assert!(r.mail_flow[0].reply.starts_with("550 5.7.68"));
    assert_eq!(r.mail_flow[0].decided_by_words(), "RejectDirectSend");
    assert_eq!(r.mail_flow[0].decided_by_label(), "RejectDirectSend");
}
