//! The on-premises checks of domain-rules.md §11, one table per check id (named cases that
//! fire, with the exact message and the PowerShell of the fix, and cases that must not), the
//! facts they read, and that nothing fires without on-premises data.

use std::sync::Arc;

use crate::rulekit::*;
use relaycheck::cert::CertFacts;
use relaycheck::checks::{Severity, Step};
use relaycheck::facts::onprem::{Holding, Presented};
use relaycheck::model::{
    Scenario, SendConnector, ServerCertificate, Services, TlsAuthLevel, TransportServer,
};

/// The ids of section 11, each with its table below.
pub const SECTION_11: [&str; 5] = [
    "send-connector-missing",
    "send-connector-smart-host",
    "send-connector-certificate",
    "send-connector-tls",
    "cert-not-on-every-server",
];

const CERTIFICATE: Step = Step::Certificate;
const CN: &str = "mail.contoso.com";
const EXO: &str = "contoso-com.mail.protection.outlook.com";
const SMTP: Services = Services(16);
const IIS_SMTP: Services = Services(24);
const IIS: Services = Services(8);

/// The certificate of the recommended setup (the presented one).
fn good() -> Arc<CertFacts> {
    cert(CN, &[CN, "autodiscover.contoso.com"])
}

/// The same issuer and subject as [`good`], another certificate: expired a month ago.
fn expired_copy() -> Arc<CertFacts> {
    let n = now();
    cert_valid(CN, n - days(800), n - days(30))
}

fn tls_name(c: &CertFacts) -> String {
    c.tls_certificate_name()
}

/// A send connector as HCW sets it up for relaying through Exchange Online, presenting the
/// good certificate from EX01 and EX02.
fn relay(name: &str) -> SendConnector {
    SendConnector {
        address_spaces: vec!["SMTP:*;1".into()],
        smart_hosts: vec![EXO.into()],
        dns_routing_enabled: false,
        require_tls: true,
        tls_auth_level: Some(TlsAuthLevel::DomainValidation),
        tls_domain: Some("mail.protection.outlook.com".into()),
        tls_certificate_name: Some(tls_name(&good())),
        cloud_services_mail_enabled: true,
        source_transport_servers: vec!["EX01".into(), "EX02".into()],
        ..SendConnector::new(name)
    }
}

/// An ordinary Internet send connector: routes by MX, not to Exchange Online.
fn internet() -> SendConnector {
    SendConnector {
        address_spaces: vec!["SMTP:*;1".into()],
        source_transport_servers: vec!["EX01".into()],
        ..SendConnector::new("Internet")
    }
}

fn installed(c: &Arc<CertFacts>, services: Services) -> ServerCertificate {
    ServerCertificate::from_facts(c.clone(), Some(services), Some(true))
}

fn server(name: &str, certs: Vec<ServerCertificate>) -> TransportServer {
    TransportServer {
        certificates: certs,
        ..TransportServer::new(name)
    }
}

/// The recommended setup with its on-premises side.
fn onprem(connectors: Vec<SendConnector>, servers: Vec<TransportServer>) -> Scenario {
    let mut s = recommended().build();
    s.on_premises.send_connectors = Some(connectors);
    s.on_premises.servers = servers;
    s
}

/// Both servers hold the good certificate for SMTP.
fn both_servers() -> Vec<TransportServer> {
    vec![
        server("EX01", vec![installed(&good(), IIS_SMTP)]),
        server("ex02.contoso.local", vec![installed(&good(), SMTP)]),
    ]
}

fn healthy() -> Scenario {
    onprem(vec![relay("Outbound to Office 365")], both_servers())
}

fn with_connector(c: SendConnector) -> Scenario {
    onprem(vec![c], both_servers())
}

// ---------------------------------------------------------------------------------------
// The healthy setup, and no on-premises data
// ---------------------------------------------------------------------------------------

#[test]
fn the_healthy_on_premises_side_has_no_finding_of_section_11() {
    let r = validate(&healthy());
    for id in SECTION_11 {
        assert!(with_id(&r, id).is_empty(), "{id}: {:#?}", summary(&r));
    }
    let f = &r.facts.onprem;
    assert_eq!(f.relayed_domains, ["tailspintoys.com", "fabrikam.com"]);
    let relays: Vec<&str> = f.relay_connectors().map(|(_, c)| c.name.as_str()).collect();
    assert_eq!(relays, ["Outbound to Office 365"]);
    assert_eq!(f.source_servers.len(), 2);
    assert!(
        f.source_servers
            .iter()
            .all(|s| matches!(s.holding.holding, Holding::Present { .. }))
    );
    assert_eq!(f.not_listed_because(0), Vec::<String>::new());
}

#[test]
fn without_on_premises_data_nothing_of_section_11_fires() {
    // Servers without send connectors, send connectors unknown: nothing can be judged.
    let mut s = recommended().build();
    s.on_premises.servers = vec![server("EX01", vec![])];
    let mut bare = recommended().build();
    bare.on_premises.send_connectors = None;
    for s in [recommended().build(), s, bare] {
        let r = validate(&s);
        for id in SECTION_11 {
            assert!(with_id(&r, id).is_empty(), "{id}: {:#?}", summary(&r));
        }
        assert!(r.facts.onprem.send_connectors.is_none());
    }
}

// ---------------------------------------------------------------------------------------
// send-connector-missing
// ---------------------------------------------------------------------------------------

#[test]
fn send_connector_missing() {
    let disabled = SendConnector {
        enabled: false,
        ..relay("Outbound to Office 365")
    };
    let hybrid_only = SendConnector {
        address_spaces: vec!["smtp:contoso.mail.onmicrosoft.com;1".into()],
        ..relay("Outbound to Office 365")
    };
    let dns_but_cloud = SendConnector {
        dns_routing_enabled: true,
        smart_hosts: vec![],
        ..relay("Outbound to Office 365")
    };
    let new_line = "New-SendConnector -Name \"Relay to Exchange Online\" -AddressSpaces \"*\" -SmartHosts \"contoso-com.mail.protection.outlook.com\" -DNSRoutingEnabled $false -RequireTLS $true -TlsAuthLevel DomainValidation -TlsDomain \"mail.protection.outlook.com\" -CloudServicesMailEnabled $true -TlsCertificateName";
    run(
        "send-connector-missing",
        CERTIFICATE,
        vec![
            fires(
                "no send connector at all",
                onprem(vec![], both_servers()),
                Severity::Error,
                &[],
            )
            .exact("There is no send connector on premises (Get-SendConnector lists none), so no mail is relayed through Exchange Online.")
            .fix(&["create send connector \"Relay to Exchange Online\" that relays all mail to the Internet (address space *) through Exchange Online", new_line]),
            fires(
                "only an Internet connector that routes by MX",
                onprem(vec![internet()], both_servers()),
                Severity::Error,
                &[],
            )
            .exact("No send connector relays to Exchange Online: none is enabled and sends to Exchange Online (CloudServicesMailEnabled, or a smart host under mail.protection.outlook.com or mx.microsoft): \"Internet\" sends by MX.")
            .fix(&[new_line, "-SourceTransportServers \"EX01\",\"ex02.contoso.local\""]),
            fires(
                "the relay connector is disabled",
                onprem(vec![disabled, internet()], both_servers()),
                Severity::Error,
                &["\"Outbound to Office 365\" is disabled; \"Internet\" sends by MX"],
            ),
            fires(
                "HCW's hybrid connector covers only the coexistence domain",
                onprem(vec![hybrid_only], both_servers()),
                Severity::Error,
                &[],
            )
            .exact("No send connector to Exchange Online covers tailspintoys.com and fabrikam.com (address space * or the domain), so mail to them does not relay through Exchange Online: \"Outbound to Office 365\" covers only smtp:contoso.mail.onmicrosoft.com;1."),
            silent("the relay connector", healthy()),
            silent(
                "an Internet connector beside the relay connector",
                onprem(vec![internet(), relay("Outbound to Office 365")], both_servers()),
            ),
            silent(
                "CloudServicesMailEnabled but routed by MX: a smart-host problem, not a missing connector",
                with_connector(dns_but_cloud),
            ),
            silent("send connectors not known", recommended().build()),
        ],
    );
}

#[test]
fn send_connector_missing_names_only_the_domains_left_out() {
    let only_fabrikam = SendConnector {
        address_spaces: vec!["smtp:*.fabrikam.com;1".into()],
        ..relay("To Fabrikam")
    };
    let r = validate(&onprem(vec![only_fabrikam], both_servers()));
    let f = one(&r, "send-connector-missing");
    assert!(
        f.message.starts_with(
            "No send connector to Exchange Online covers tailspintoys.com (address space * or the domain), so mail to it does not relay"
        ),
        "{}",
        f.message
    );
}

// ---------------------------------------------------------------------------------------
// send-connector-smart-host
// ---------------------------------------------------------------------------------------

#[test]
fn send_connector_smart_host() {
    let by_mx = SendConnector {
        dns_routing_enabled: true,
        ..relay("Outbound to Office 365")
    };
    let legacy = SendConnector {
        smart_hosts: vec!["smtp.office365.com".into()],
        ..relay("Outbound to Office 365")
    };
    let third_party = SendConnector {
        smart_hosts: vec!["relay.fabrikam.net".into(), EXO.into()],
        ..relay("Outbound to Office 365")
    };
    let mx_microsoft = SendConnector {
        smart_hosts: vec!["contoso-com.a-v1.mx.microsoft".into()],
        ..relay("Outbound to Office 365")
    };
    // The plan changes only the settings that differ from what HCW sets.
    let by_mx_fix =
        "Set-SendConnector -Identity \"Outbound to Office 365\" -DNSRoutingEnabled $false";
    let fix = "Set-SendConnector -Identity \"Outbound to Office 365\" -SmartHosts \"contoso-com.mail.protection.outlook.com\"";
    run(
        "send-connector-smart-host",
        CERTIFICATE,
        vec![
            fires(
                "routes by MX",
                with_connector(by_mx),
                Severity::Error,
                &[],
            )
            .exact("Send connector \"Outbound to Office 365\" routes by MX (DNSRoutingEnabled is $true), so relayed mail goes to each recipient's own MX instead of through Exchange Online.")
            .fix(&[by_mx_fix]),
            fires(
                "a legacy Microsoft host: ATTR35",
                with_connector(legacy),
                Severity::Error,
                &[],
            )
            .exact("Send connector \"Outbound to Office 365\" sends to smtp.office365.com, which is not the tenant's endpoint under mail.protection.outlook.com or mx.microsoft: Exchange Online answers 451 4.4.62 Mail sent to the wrong Office 365 region. ATTR35.")
            .fix(&[fix, "The smart host is the MX host of your accepted domain"]),
            fires(
                "a third-party smart host beside Exchange Online's",
                with_connector(third_party),
                Severity::Error,
                &["sends to relay.fabrikam.net, which is not Exchange Online"],
            )
            .fix(&["-SmartHosts \"contoso-com.mail.protection.outlook.com\""]),
            silent("the tenant's endpoint", healthy()),
            silent(
                "an MX host under mx.microsoft (MC1048624)",
                with_connector(mx_microsoft),
            ),
            silent(
                "an Internet connector is not the relay connector",
                onprem(vec![internet(), relay("Outbound to Office 365")], both_servers()),
            ),
        ],
    );
}

// ---------------------------------------------------------------------------------------
// send-connector-certificate
// ---------------------------------------------------------------------------------------

#[test]
fn send_connector_certificate() {
    let other = cert("old.fabrikam.com", &["old.fabrikam.com"]);
    let unset = SendConnector {
        tls_certificate_name: None,
        ..relay("Outbound to Office 365")
    };
    let malformed = SendConnector {
        tls_certificate_name: Some("CN=mail.contoso.com".into()),
        ..relay("Outbound to Office 365")
    };
    let names_other = SendConnector {
        tls_certificate_name: Some(tls_name(&other)),
        ..relay("Outbound to Office 365")
    };
    let other_case = SendConnector {
        tls_certificate_name: Some(tls_name(&good()).to_uppercase().replace("<I>", "<i>")),
        ..relay("Outbound to Office 365")
    };
    // Without a selected certificate: is the certificate it names on every source server?
    let mut no_cert = onprem(
        vec![relay("Outbound to Office 365")],
        vec![
            server("EX01", vec![installed(&good(), SMTP)]),
            server("EX02", vec![installed(&other, SMTP)]),
        ],
    );
    no_cert.certificates.clear();
    no_cert.selected_certificate = None;
    let mut no_cert_everywhere = healthy();
    no_cert_everywhere.certificates.clear();
    no_cert_everywhere.selected_certificate = None;
    let point = format!(
        "Set-SendConnector -Identity \"Outbound to Office 365\" -TlsCertificateName \"{}\"",
        tls_name(&good())
    );
    run(
        "send-connector-certificate",
        CERTIFICATE,
        vec![
            fires(
                "no TlsCertificateName",
                with_connector(unset),
                Severity::Error,
                &[],
            )
            .exact(&format!("Send connector \"Outbound to Office 365\" has no TlsCertificateName, so Exchange picks a certificate itself, which may not be the certificate mail.contoso.com ({}) that the inbound connector expects.", tls_name(&good())))
            .fix(&[&point]),
            fires(
                "not <I>issuer<S>subject",
                with_connector(malformed),
                Severity::Error,
                &[],
            )
            .exact("Send connector \"Outbound to Office 365\" has TlsCertificateName \"CN=mail.contoso.com\", which is not <I>issuer<S>subject, so Exchange cannot find the certificate it means.")
            .fix(&[&point]),
            fires(
                "names another certificate",
                with_connector(names_other),
                Severity::Error,
                &["presents the certificate \"<I>CN=relaycheck Lab Root CA, O=relaycheck training lab<S>CN=old.fabrikam.com, O=relaycheck training lab\", not the certificate mail.contoso.com"],
            )
            .fix(&[&point]),
            fires(
                "no selected certificate, and EX02 lacks the one it names",
                no_cert,
                Severity::Error,
                &["which is not installed on EX02 (its source servers: EX01, EX02)"],
            )
            .fix(&["Import-ExchangeCertificate -Server \"EX02\" -FileData ([System.IO.File]::ReadAllBytes('C:\\temp\\certificate.pfx'))"]),
            silent("names the selected certificate", healthy()),
            silent(
                "the DNs in another case (HealthChecker's -eq ignores case)",
                with_connector(other_case),
            ),
            silent(
                "no selected certificate, and every source server holds the one it names",
                no_cert_everywhere,
            ),
            fires(
                "names the selected certificate, not installed on EX02 (cert-not-on-every-server too, one fix)",
                onprem(
                    vec![relay("Outbound to Office 365")],
                    vec![server("EX01", vec![installed(&good(), SMTP)]), server("EX02", vec![])],
                ),
                Severity::Error,
                &[],
            )
            .exact(&format!("Send connector \"Outbound to Office 365\" presents the certificate \"{}\", which is not installed on EX02 (its source servers: EX01, EX02).", tls_name(&good())))
            .fix(&[&format!("Import-ExchangeCertificate -Server \"EX02\" -FileData ([System.IO.File]::ReadAllBytes((Read-Host -Prompt 'Path of the .pfx of certificate {0}'))) -Password (Read-Host -AsSecureString -Prompt 'Password of the .pfx')\n    Enable-ExchangeCertificate -Server \"EX02\" -Thumbprint {0} -Services SMTP", good().thumbprint)]),
            silent(
                "names the selected certificate, expired on EX02: cert-not-on-every-server says so",
                onprem(
                    vec![relay("Outbound to Office 365")],
                    vec![
                        server("EX01", vec![installed(&good(), SMTP)]),
                        server("EX02", vec![installed(&expired_copy(), SMTP)]),
                    ],
                ),
            ),
        ],
    );
}

// ---------------------------------------------------------------------------------------
// send-connector-tls
// ---------------------------------------------------------------------------------------

#[test]
fn send_connector_tls() {
    let plain = SendConnector {
        require_tls: false,
        tls_auth_level: None,
        tls_domain: None,
        cloud_services_mail_enabled: true,
        ..relay("Outbound to Office 365")
    };
    let encryption_only = SendConnector {
        tls_auth_level: Some(TlsAuthLevel::EncryptionOnly),
        ..relay("Outbound to Office 365")
    };
    let no_domain = SendConnector {
        tls_domain: None,
        ..relay("Outbound to Office 365")
    };
    let wrong_domain = SendConnector {
        tls_domain: Some("contoso.com".into()),
        ..relay("Outbound to Office 365")
    };
    let not_cloud = SendConnector {
        cloud_services_mail_enabled: false,
        ..relay("Outbound to Office 365")
    };
    let certificate_validation = SendConnector {
        tls_auth_level: Some(TlsAuthLevel::CertificateValidation),
        tls_domain: None,
        ..relay("My company to Office 365")
    };
    let fix = "Set-SendConnector -Identity \"Outbound to Office 365\" -RequireTLS $true -TlsAuthLevel DomainValidation -TlsDomain \"mail.protection.outlook.com\"";
    run(
        "send-connector-tls",
        CERTIFICATE,
        vec![
            fires(
                "no TLS required, nothing validated",
                with_connector(plain),
                Severity::Warning,
                &[],
            )
            .exact("Send connector \"Outbound to Office 365\" does not protect mail to Exchange Online as HCW sets it up: RequireTLS is $false; TlsAuthLevel is not set, so Exchange Online's certificate is not validated.")
            .fix(&[fix]),
            fires(
                "EncryptionOnly",
                with_connector(encryption_only),
                Severity::Warning,
                &["TlsAuthLevel is EncryptionOnly, so Exchange Online's certificate is not validated"],
            ),
            fires(
                "DomainValidation without TlsDomain",
                with_connector(no_domain),
                Severity::Warning,
                &["TlsAuthLevel is DomainValidation but TlsDomain is empty (HCW writes mail.protection.outlook.com)"],
            ),
            fires(
                "DomainValidation with another TlsDomain",
                with_connector(wrong_domain),
                Severity::Warning,
                &["TlsDomain is contoso.com, not mail.protection.outlook.com"],
            ),
            fires(
                "CloudServicesMailEnabled off, relaying by its Exchange Online smart host",
                with_connector(not_cloud),
                Severity::Warning,
                &["CloudServicesMailEnabled is $false"],
            ),
            silent("as HCW writes it", healthy()),
            silent(
                "CertificateValidation (HealthChecker accepts it)",
                with_connector(certificate_validation),
            ),
        ],
    );
}

// ---------------------------------------------------------------------------------------
// cert-not-on-every-server
// ---------------------------------------------------------------------------------------

#[test]
fn cert_not_on_every_server() {
    let ex01 = || server("EX01", vec![installed(&good(), SMTP)]);
    let thumb = good().thumbprint.clone();
    let import = format!(
        "Import-ExchangeCertificate -Server \"EX02\" -FileData ([System.IO.File]::ReadAllBytes((Read-Host -Prompt 'Path of the .pfx of certificate {thumb}'))) -Password (Read-Host -AsSecureString -Prompt 'Password of the .pfx')\n    Enable-ExchangeCertificate -Server \"EX02\" -Thumbprint {thumb} -Services SMTP"
    );
    let expired = expired_copy();
    let renewed = vec![
        ex01(),
        server(
            "EX02",
            vec![installed(&expired, SMTP), installed(&good(), SMTP)],
        ),
    ];
    let unknown_services = vec![
        ex01(),
        server(
            "EX02",
            vec![ServerCertificate::from_facts(good(), None, None)],
        ),
    ];
    run(
        "cert-not-on-every-server",
        CERTIFICATE,
        vec![
            fires(
                "missing on EX02",
                onprem(
                    vec![relay("Outbound to Office 365")],
                    vec![ex01(), server("EX02", vec![installed(&cert("ex02.contoso.com", &[]), SMTP)])],
                ),
                Severity::Error,
                &[],
            )
            .exact("The certificate mail.contoso.com is not on EX02, a source server of send connector \"Outbound to Office 365\": mail leaving through EX02 presents another certificate or none.")
            .fix(&[&import]),
            fires(
                "only an expired copy on EX02",
                onprem(
                    vec![relay("Outbound to Office 365")],
                    vec![ex01(), server("EX02", vec![installed(&expired, SMTP)])],
                ),
                Severity::Error,
                &[&format!("is expired on EX02 (thumbprint {}, NotAfter 2026-10-23), a source server", expired.thumbprint)],
            )
            .fix(&[&import]),
            fires(
                "not enabled for SMTP on EX01",
                onprem(
                    vec![relay("Outbound to Office 365")],
                    vec![
                        server("EX01.contoso.local", vec![installed(&good(), IIS)]),
                        server("EX02", vec![installed(&good(), SMTP)]),
                    ],
                ),
                Severity::Error,
                &[],
            )
            .exact(&format!("The certificate mail.contoso.com is not enabled for SMTP on EX01 (thumbprint {thumb}, Services IIS), a source server of send connector \"Outbound to Office 365\": mail leaving through EX01 presents another certificate or none."))
            // The server as its certificate export names it.
            .fix(&[&format!("Enable-ExchangeCertificate -Server \"EX01.contoso.local\" -Thumbprint {thumb} -Services SMTP")]),
            fires(
                "EX02 has no certificates at all",
                onprem(vec![relay("Outbound to Office 365")], vec![ex01(), server("EX02", vec![])]),
                Severity::Error,
                &["is not on EX02"],
            ),
            silent("on both servers, for SMTP", healthy()),
            silent(
                "EX02's certificates are not known",
                onprem(vec![relay("Outbound to Office 365")], vec![ex01()]),
            ),
            silent("renewed on EX02: the old copy beside the new one", onprem(vec![relay("Outbound to Office 365")], renewed)),
            silent(
                "Services not in the export",
                onprem(vec![relay("Outbound to Office 365")], unknown_services),
            ),
            silent(
                "EX02 is the Internet connector's only: not a source of the relay connector",
                onprem(
                    vec![
                        SendConnector {
                            source_transport_servers: vec!["EX01".into()],
                            ..relay("Outbound to Office 365")
                        },
                        SendConnector {
                            source_transport_servers: vec!["EX02".into()],
                            ..internet()
                        },
                    ],
                    vec![ex01(), server("EX02", vec![])],
                ),
            ),
        ],
    );
}

// ---------------------------------------------------------------------------------------
// The facts the wizard and the plan read
// ---------------------------------------------------------------------------------------

/// One server without the certificate is two findings (the connector's certificate is not
/// there; the selected certificate is not there) and one step of the plan that resolves
/// both.
#[test]
fn a_missing_server_is_one_step_for_both_findings() {
    let r = validate(&onprem(
        vec![relay("Outbound to Office 365")],
        vec![
            server("EX01", vec![installed(&good(), SMTP)]),
            server("EX02", vec![]),
        ],
    ));
    let a = one(&r, "send-connector-certificate");
    let b = one(&r, "cert-not-on-every-server");
    assert!(a.by_hand.is_empty() && b.by_hand.is_empty());
    let steps: Vec<_> = r
        .plan
        .steps
        .iter()
        .filter(|s| s.step == "install-certificate")
        .collect();
    assert_eq!(steps.len(), 1, "{:#?}", r.plan.steps);
    assert_eq!(steps[0].resolves.len(), 2);
    assert_eq!(r.plan.steps.len(), 1, "{:#?}", r.plan.steps);
}

#[test]
fn hcw_listing_on_every_server_is_a_fact_per_candidate() {
    let mut s = onprem(
        vec![relay("Outbound to Office 365")],
        vec![
            server("EX01", vec![installed(&good(), IIS)]),
            server("EX02", vec![]),
        ],
    );
    let other = cert("smtp.contoso.com", &["smtp.contoso.com"]);
    s.certificates.push(relaycheck::model::CertificateEntry {
        source: s.certificates[0].source.clone(),
        facts: other,
    });
    let r = validate(&s);
    let f = &r.facts.onprem;
    assert_eq!(
        f.not_listed_because(0),
        ["not enabled for SMTP on EX01", "not on EX02"]
    );
    assert_eq!(f.not_listed_because(1), ["not on EX01", "not on EX02"]);
    let c = &f.send_connectors.as_ref().unwrap()[0];
    match &c.presents {
        Presented::Named {
            selected,
            on_servers,
            ..
        } => {
            assert_eq!(*selected, Some(true));
            assert_eq!(on_servers[0].1.as_ref().map(Vec::len), Some(1));
            assert_eq!(on_servers[1].1.as_ref().map(Vec::len), Some(0));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        with_id(&r, "cert-not-on-every-server")
            .iter()
            .map(|f| f.subject.as_deref().unwrap_or(""))
            .collect::<Vec<_>>(),
        ["EX01", "EX02"]
    );
}

// ---------------------------------------------------------------------------------------
// Rule PLAN on the on-premises side
// ---------------------------------------------------------------------------------------

/// Every send connector state × every state of the servers × a certificate selected or
/// not: the plan reaches a target with no on-premises error or warning a change can fix,
/// rerunning the plan there changes nothing, and its steps run in the Exchange
/// Management Shell.
#[test]
fn rule_plan_holds_on_the_on_premises_side() {
    let other = cert("old.fabrikam.com", &["old.fabrikam.com"]);
    let connectors: Vec<(&str, Vec<SendConnector>)> = vec![
        ("healthy", vec![relay("Outbound to Office 365")]),
        ("none", vec![]),
        ("internet only", vec![internet()]),
        (
            "by MX",
            vec![SendConnector {
                dns_routing_enabled: true,
                ..relay("Outbound to Office 365")
            }],
        ),
        (
            "legacy host",
            vec![SendConnector {
                smart_hosts: vec!["smtp.office365.com".into()],
                ..relay("Outbound to Office 365")
            }],
        ),
        (
            "third party beside",
            vec![SendConnector {
                smart_hosts: vec![EXO.into(), "relay.fabrikam.net".into()],
                ..relay("Outbound to Office 365")
            }],
        ),
        (
            "no TLS",
            vec![SendConnector {
                require_tls: false,
                tls_auth_level: None,
                tls_domain: None,
                ..relay("Outbound to Office 365")
            }],
        ),
        (
            "wrong TlsDomain",
            vec![SendConnector {
                tls_domain: Some("contoso.com".into()),
                ..relay("Outbound to Office 365")
            }],
        ),
        (
            "no certificate name",
            vec![SendConnector {
                tls_certificate_name: None,
                ..relay("Outbound to Office 365")
            }],
        ),
        (
            "another certificate",
            vec![SendConnector {
                tls_certificate_name: Some(tls_name(&other)),
                ..relay("Outbound to Office 365")
            }],
        ),
        (
            "disabled beside the Internet one",
            vec![
                SendConnector {
                    enabled: false,
                    ..relay("Outbound to Office 365")
                },
                internet(),
            ],
        ),
        (
            "covers contoso.com only",
            vec![SendConnector {
                address_spaces: vec!["smtp:fabrikam.com;1".into()],
                ..relay("Outbound to Office 365")
            }],
        ),
    ];
    let expired = expired_copy();
    let servers: Vec<(&str, Vec<TransportServer>)> = vec![
        ("both hold it", both_servers()),
        (
            "EX02 lacks it",
            vec![
                server("EX01", vec![installed(&good(), SMTP)]),
                server("EX02", vec![]),
            ],
        ),
        (
            "EX02 has an expired copy",
            vec![
                server("EX01", vec![installed(&good(), SMTP)]),
                server("EX02", vec![installed(&expired, SMTP)]),
            ],
        ),
        (
            "EX01 has it for IIS only",
            vec![
                server("EX01", vec![installed(&good(), IIS)]),
                server("EX02", vec![installed(&good(), SMTP)]),
            ],
        ),
        ("not known", vec![]),
    ];
    let mut failures = Vec::new();
    let mut with_steps = 0;
    for (cname, list) in &connectors {
        for (sname, servers) in &servers {
            for selected in [true, false] {
                let mut s = onprem(list.clone(), servers.clone());
                if !selected {
                    s.selected_certificate = None;
                    s.certificates.clear();
                }
                let name = format!("{cname} / {sname} / certificate selected: {selected}");
                for p in crate::plan::rule_plan_problems(&s) {
                    failures.push(format!("{name}: {p}"));
                }
                let plan = &validate(&s).plan;
                if selected {
                    // With a certificate, nothing of section 11 is left for a person.
                    let target = plan.apply(&s).expect("the plan applies");
                    let after = validate(&target);
                    for f in after
                        .findings
                        .iter()
                        .filter(|f| SECTION_11.contains(&f.id.as_str()))
                    {
                        failures.push(format!("{name}: the target still has {}", f.id));
                    }
                }
                if plan
                    .changes()
                    .any(|st| st.runs_in == relaycheck::plan::RunsIn::ExchangeServer)
                {
                    with_steps += 1;
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // The space is not trivially clean: most of it needs on-premises steps.
    assert!(
        with_steps >= 60,
        "{with_steps} scenarios with on-premises steps"
    );
}
