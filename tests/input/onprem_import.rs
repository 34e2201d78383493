//! On-premises input: Get-SendConnector and Get-ReceiveConnector in every shape (ConvertTo-Json
//! from Windows PowerShell 5.1 and 7, one object or a list, Export-Clixml), Get-ExchangeCertificate
//! run against several servers, Get-HybridConfiguration, every CliXml file of the CSS-Exchange
//! corpus with HealthChecker's own expected outcomes, the scenario keys, and the collector's
//! folder read by `--from`.

use crate::support;

use std::path::{Path, PathBuf};

use relaycheck::error::InputError;
use relaycheck::facts::onprem::Presented;
use relaycheck::import::{self, NoteKind, Overrides, TenantData};
use relaycheck::model::{Scenario, SendConnector, TlsAuthLevel};
use serde_json::Value;

fn corpus() -> Option<PathBuf> {
    support::corpora().map(|c| c.join("powershell"))
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/onprem")
        .join(name)
}

fn load(o: &Overrides) -> TenantData {
    import::load(o, None, support::now()).unwrap_or_else(|e| panic!("{e}"))
}

fn load_err(o: &Overrides) -> InputError {
    InputError::from(import::load(o, None, support::now()).unwrap_err())
}

fn send(path: &Path) -> Vec<SendConnector> {
    load(&Overrides {
        send_connectors: Some(path.to_path_buf()),
        ..Overrides::default()
    })
    .onprem
    .send_connectors
    .unwrap()
}

/// The scenario made of the data alone, validated at the tests' moment.
fn report(data: &TenantData) -> relaycheck::report::Report {
    let mut s = Scenario::default();
    import::apply(&mut s, data);
    relaycheck::validate(&s, support::now())
}

const TLS_NAME: &str = "<I>CN=relaycheck Lab Root CA, O=relaycheck training lab<S>CN=mail.contoso.com, O=relaycheck training lab";

// ---------------------------------------------------------------------------------------
// ConvertTo-Json shapes
// ---------------------------------------------------------------------------------------

/// The relay connector as both PowerShell versions describe it.
fn assert_relay_connector(c: &SendConnector) {
    assert_eq!(c.name, "Outbound to Office 365");
    assert!(c.enabled);
    assert_eq!(
        relaycheck::model::onprem::address_space_domain(&c.address_spaces[0]).as_deref(),
        Some("*")
    );
    assert_eq!(c.smart_hosts, ["contoso-com.mail.protection.outlook.com"]);
    assert!(!c.dns_routing_enabled);
    assert!(c.require_tls);
    assert_eq!(c.tls_auth_level, Some(TlsAuthLevel::DomainValidation));
    assert_eq!(c.tls_domain.as_deref(), Some("mail.protection.outlook.com"));
    assert_eq!(c.tls_certificate_name.as_deref(), Some(TLS_NAME));
    assert!(c.cloud_services_mail_enabled);
    assert_eq!(c.source_transport_servers, ["EX01", "EX02"]);
    assert_eq!(c.fqdn.as_deref(), Some("mail.contoso.com"));
}

#[test]
fn powershell_7_objects_read_as_powershell_5_1_text_and_numbers() {
    let seven = send(&fixture("send-connectors-ps7.json"));
    assert_eq!(seven.len(), 2);
    assert_relay_connector(&seven[0]);
    assert_eq!(seven[0].address_spaces, ["SMTP:*;1"]);
    let internet = &seven[1];
    assert!(internet.dns_routing_enabled && !internet.cloud_services_mail_enabled);
    assert_eq!(internet.tls_auth_level, None);
    assert_eq!(internet.tls_certificate_name, None);

    // UTF-16 LE with a BOM and CRLF, the {"value": [...], "Count": n} wrapper, enums as numbers.
    let five = send(&fixture("send-connectors-ps51-utf16.json"));
    assert_eq!(five.len(), 2);
    assert_relay_connector(&five[0]);
    assert_eq!(five[0].address_spaces, ["smtp:*;1"]);
    assert_eq!(five[1].tls_auth_level, Some(TlsAuthLevel::EncryptionOnly));
    assert!(!five[1].enabled);
}

#[test]
fn one_object_an_ip_smart_host_and_a_flattened_enum() {
    let one = send(&fixture("send-connector-single.json"));
    assert_eq!(one.len(), 1);
    let c = &one[0];
    assert_eq!(c.address_spaces, ["SMTP:*;1"]);
    assert_eq!(c.smart_hosts, ["203.0.113.25"]);
    assert_eq!(c.tls_auth_level, Some(TlsAuthLevel::CertificateValidation));
    assert_eq!(c.source_transport_servers, ["EX01"]);
    // Lower-case tags are kept as written and read as HealthChecker reads them.
    let name = c.tls_certificate_name.as_deref().unwrap();
    assert!(name.starts_with("<i>"));
    assert!(relaycheck::model::TlsCertificateName::parse(name).is_some());
}

#[test]
fn receive_connectors_read_with_their_certificate_and_cloud_capability() {
    let data = load(&Overrides {
        receive_connectors: Some(fixture("receive-connectors.json")),
        ..Overrides::default()
    });
    let r = data.onprem.receive_connectors.unwrap();
    assert_eq!(r.len(), 2);
    assert_eq!(r[0].server.as_deref(), Some("EX01"));
    assert_eq!(r[0].transport_role.as_deref(), Some("FrontendTransport"));
    assert_eq!(r[0].fqdn.as_deref(), Some("mail.contoso.com"));
    assert_eq!(r[0].tls_certificate_name.as_deref(), Some(TLS_NAME));
    assert_eq!(
        r[0].tls_domain_capabilities,
        ["contoso.mail.onmicrosoft.com:AcceptCloudServicesMail"]
    );
    assert_eq!(r[1].transport_role.as_deref(), Some("HubTransport"));
    assert!(r[1].tls_certificate_name.is_none());
}

#[test]
fn an_empty_file_is_an_organisation_without_send_connectors() {
    let tmp = tempfile::tempdir().unwrap();
    for (name, content) in [
        ("empty.json", "".as_bytes()),
        ("bom.json", b"\xef\xbb\xbf\r\n"),
    ] {
        let p = tmp.path().join(name);
        std::fs::write(&p, content).unwrap();
        let data = load(&Overrides {
            send_connectors: Some(p.clone()),
            ..Overrides::default()
        });
        assert_eq!(data.onprem.send_connectors, Some(vec![]));
        assert!(
            data.notes
                .iter()
                .any(|n| n.text.contains("without send connectors"))
        );
        // Which is data: send-connector-missing fires.
        let r = report(&data);
        assert!(
            r.findings
                .iter()
                .any(|f| f.id.as_str() == "send-connector-missing"),
            "{name}"
        );
    }
}

#[test]
fn bad_files_are_refused_naming_file_and_field() {
    let tmp = tempfile::tempdir().unwrap();
    let cases: &[(&str, &str, &str)] = &[
        ("notjson.json", "Name : Outbound", "not JSON"),
        ("syntax.json", "[{\"Name\": }]", "not valid JSON (line 1"),
        (
            "auth.json",
            r#"[{"Name":"a","TlsAuthLevel":"Strict"}]"#,
            "[0].TlsAuthLevel: \"Strict\" is not one of EncryptionOnly (1), CertificateValidation (2), DomainValidation (4)",
        ),
        (
            "authnumber.json",
            r#"{"Name":"a","TlsAuthLevel":8}"#,
            "TlsAuthLevel: 8 is not one of",
        ),
        (
            "hosts.json",
            r#"[{"Name":"a","SmartHosts":[1]}]"#,
            "[0].SmartHosts[0]: expected a host name such as contoso-com.mail.protection.outlook.com, found a number",
        ),
        (
            "spaces.json",
            r#"[{"Name":"a","AddressSpaces":[true]}]"#,
            "[0].AddressSpaces[0]: expected an address space such as SMTP:*;1, found true/false",
        ),
        (
            "bool.json",
            r#"[{"Name":"a","RequireTLS":"maybe"}]"#,
            "[0].RequireTLS: expected true or false, found \"maybe\"",
        ),
        (
            "tlsname.json",
            r#"[{"Name":"a","TlsCertificateName":[1]}]"#,
            "[0].TlsCertificateName: expected <I>issuer<S>subject, found a list",
        ),
        ("noname.json", r#"[{"Enabled":true}]"#, "[0].Name: missing"),
        (
            "inbound.json",
            r#"[{"Name":"a","TlsSenderCertificateName":"*.contoso.com"}]"#,
            "[0]: this looks like Get-InboundConnector (Exchange Online) output, not Get-SendConnector",
        ),
        (
            "receive.json",
            r#"{"Name":"a","Bindings":["0.0.0.0:25"]}"#,
            "the top level: this looks like Get-ReceiveConnector output, not Get-SendConnector",
        ),
        (
            "number.json",
            "[1]",
            "[0]: expected an object (as ConvertTo-Json writes each result), found a number",
        ),
    ];
    for (name, content, want) in cases {
        let p = tmp.path().join(name);
        std::fs::write(&p, content).unwrap();
        let e = load_err(&Overrides {
            send_connectors: Some(p.clone()),
            ..Overrides::default()
        });
        assert_eq!(e.path.as_deref(), Some(p.as_path()), "{name}");
        assert!(e.message.contains(want), "{name}: {e}");
    }
    // A value from the file is echoed cut and cleaned.
    let p = tmp.path().join("long.json");
    let long = format!(
        "[{{\"Name\":\"a\",\"TlsAuthLevel\":\"{}\\u001b[31m\"}}]",
        "x".repeat(5000)
    );
    std::fs::write(&p, long).unwrap();
    let e = load_err(&Overrides {
        send_connectors: Some(p),
        ..Overrides::default()
    });
    assert!(
        e.message.len() < 600 && !e.message.contains('\u{1b}'),
        "{e}"
    );
}

#[test]
fn a_send_connector_export_is_not_a_receive_connector_export_nor_certificates() {
    let Some(dir) = corpus() else { return };
    let send = dir.join("css-exchange-clixml/HCConnectorTests_GetSendConnector.xml");
    let e = load_err(&Overrides {
        receive_connectors: Some(send.clone()),
        ..Overrides::default()
    });
    assert!(
        e.message
            .starts_with("[0]: this is SmtpSendConnectorConfig output, not Get-ReceiveConnector"),
        "{e}"
    );
    let e = load_err(&Overrides {
        send_connectors: Some(dir.join("css-exchange-clixml/E19_GetAcceptedDomain.xml")),
        ..Overrides::default()
    });
    assert!(
        e.message
            .contains("AcceptedDomain output, not Get-SendConnector"),
        "{e}"
    );
    let e = load_err(&Overrides {
        certificate: Some(send),
        ..Overrides::default()
    });
    assert!(e.message.contains("not Get-ExchangeCertificate"), "{e}");
}

#[test]
fn deep_or_hostile_clixml_never_panics() {
    let tmp = tempfile::tempdir().unwrap();
    let head = r#"<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04"><Obj RefId="0"><TN RefId="0"><T>Microsoft.Exchange.Data.Directory.SystemConfiguration.SmtpSendConnectorConfig</T></TN><Props><S N="Name">deep</S>"#;
    let deep = format!(
        "{head}{}{}</Props></Obj></Objs>",
        "<Obj N=\"SmartHosts\"><LST><Obj><Props>".repeat(2000),
        "</Props></Obj></LST></Obj>".repeat(2000)
    );
    let refs = format!(
        "{head}<Obj N=\"SmartHosts\"><LST>{}</LST></Obj></Props></Obj></Objs>",
        "<Ref RefId=\"0\" />".repeat(10_000)
    );
    for (name, text) in [("deep.xml", deep), ("refs.xml", refs)] {
        let p = tmp.path().join(name);
        std::fs::write(&p, text).unwrap();
        let _ = import::load(
            &Overrides {
                send_connectors: Some(p),
                ..Overrides::default()
            },
            None,
            support::now(),
        );
    }
}

// ---------------------------------------------------------------------------------------
// The CSS-Exchange corpus and HealthChecker's expected outcomes
// ---------------------------------------------------------------------------------------

fn summary(dir: &Path, file: &str) -> Value {
    let name = file.replace(".xml", ".summary.json");
    let text =
        std::fs::read_to_string(dir.join("css-exchange-derived-summaries").join(name)).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| a.iter().map(|s| s.as_str().unwrap().to_string()).collect())
        .unwrap_or_default()
}

#[test]
fn every_clixml_file_of_the_corpus_loads_through_its_flag() {
    let Some(dir) = corpus() else { return };
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join("css-exchange-clixml"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert_eq!(files.len(), 17);
    for path in files {
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        let want = summary(&dir, &file);
        let cmdlet = want["cmdlet"].as_str().unwrap();
        let count = want["count"].as_u64().unwrap() as usize;
        let mut o = Overrides::default();
        let slot = match cmdlet {
            "Get-AcceptedDomain" => &mut o.accepted_domains,
            "Get-ExchangeCertificate" => &mut o.certificate,
            "Get-SendConnector" => &mut o.send_connectors,
            "Get-ReceiveConnector" => &mut o.receive_connectors,
            "Get-HybridConfiguration" => &mut o.hybrid_configuration,
            other => panic!("{file}: {other}"),
        };
        *slot = Some(path.clone());
        let data = import::load(&o, None, support::now()).unwrap_or_else(|e| panic!("{file}: {e}"));
        match cmdlet {
            "Get-SendConnector" => {
                assert_eq!(data.onprem.send_connectors.unwrap().len(), count, "{file}");
            }
            "Get-ReceiveConnector" => {
                assert_eq!(
                    data.onprem.receive_connectors.unwrap().len(),
                    count,
                    "{file}"
                );
            }
            "Get-HybridConfiguration" => {
                let h = data.onprem.hybrid.unwrap();
                let o = &want["objects"][0];
                assert_eq!(
                    h.on_premises_smart_host.as_deref(),
                    o["OnPremisesSmartHost"].as_str()
                );
                assert_eq!(
                    h.tls_certificate_name.as_deref(),
                    o["TlsCertificateName"].as_str()
                );
                assert_eq!(
                    h.sending_transport_servers,
                    strings(&o["SendingTransportServers"])
                );
                assert_eq!(
                    data.organization_fqdn.map(|d| d.to_string()).as_deref(),
                    Some("mail.contoso.com")
                );
            }
            "Get-ExchangeCertificate" => {
                // Every certificate is on the server its Identity names (the Broken export
                // lost its SerializationData, and with it the Identity).
                let servers = data.onprem.servers.unwrap_or_default();
                let held: usize = servers.iter().map(|s| s.certificates.len()).sum();
                if file.ends_with("Broken.xml") {
                    assert_eq!(held, 0, "{file}");
                } else {
                    assert_eq!(held, count, "{file}");
                    assert_eq!(servers.len(), 1, "{file}");
                }
            }
            _ => assert!(data.accepted_domains.is_some(), "{file}"),
        }
    }
}

#[test]
fn every_connector_file_matches_its_summary() {
    let Some(dir) = corpus() else { return };
    for file in [
        "HCConnectorTests_GetSendConnector.xml",
        "HCConnectorTests_GetSendConnectorConfiguredToRelayToM365.xml",
    ] {
        let got = send(&dir.join("css-exchange-clixml").join(file));
        let want = summary(&dir, file);
        for (c, o) in got.iter().zip(want["objects"].as_array().unwrap()) {
            assert_eq!(c.name, o["Name"].as_str().unwrap(), "{file}");
            assert_eq!(c.enabled, o["Enabled"].as_bool().unwrap());
            assert_eq!(c.address_spaces, strings(&o["AddressSpaces"]));
            assert_eq!(c.smart_hosts, strings(&o["SmartHosts"]));
            assert_eq!(
                c.dns_routing_enabled,
                o["DNSRoutingEnabled"].as_bool().unwrap()
            );
            assert_eq!(c.fqdn.as_deref(), o["Fqdn"].as_str());
            assert_eq!(c.require_tls, o["RequireTLS"].as_bool().unwrap());
            assert_eq!(
                c.tls_auth_level.map(|l| l.as_str()),
                o["TlsAuthLevel"].as_str()
            );
            assert_eq!(c.tls_domain.as_deref(), o["TlsDomain"].as_str());
            assert_eq!(
                c.tls_certificate_name.as_deref(),
                o["TlsCertificateName"].as_str()
            );
            assert_eq!(
                c.cloud_services_mail_enabled,
                o["CloudServicesMailEnabled"].as_bool().unwrap()
            );
            assert_eq!(
                c.source_transport_servers,
                strings(&o["SourceTransportServers"])
            );
        }
    }
    for file in [
        "HCConnectorTests_GetReceiveConnector.xml",
        "HCConnectorTests_GetReceiveConnectorEmptyTlsCertificateName.xml",
    ] {
        let data = load(&Overrides {
            receive_connectors: Some(dir.join("css-exchange-clixml").join(file)),
            ..Overrides::default()
        });
        let got = data.onprem.receive_connectors.unwrap();
        let want = summary(&dir, file);
        let objects = want["objects"].as_array().unwrap();
        assert_eq!(got.len(), objects.len());
        for (c, o) in got.iter().zip(objects) {
            assert_eq!(c.name, o["Name"].as_str().unwrap(), "{file}");
            assert_eq!(c.server.as_deref(), o["Server"].as_str());
            assert_eq!(c.transport_role.as_deref(), o["TransportRole"].as_str());
            assert_eq!(c.enabled, o["Enabled"].as_bool().unwrap());
            assert_eq!(c.fqdn.as_deref(), o["Fqdn"].as_str());
            assert_eq!(c.require_tls, o["RequireTLS"].as_bool().unwrap());
            assert_eq!(
                c.tls_certificate_name.as_deref(),
                o["TlsCertificateName"].as_str()
            );
            assert_eq!(
                c.tls_domain_capabilities,
                strings(&o["TlsDomainCapabilities"])
            );
        }
    }
}

/// The connectors of a HealthChecker case, judged: (name, cloud, what it presents).
fn judged(dir: &Path, case: &Value) -> Vec<(String, bool, Presented)> {
    let input = |k: &str| {
        case["inputs"][k]
            .as_str()
            .map(|f| dir.join("css-exchange-clixml").join(f))
    };
    let data = load(&Overrides {
        send_connectors: input("send"),
        receive_connectors: input("receive"),
        certificate: input("certs"),
        ..Overrides::default()
    });
    let r = report(&data);
    let f = &r.facts.onprem;
    let mut out: Vec<(String, bool, Presented)> = f
        .receive_connectors
        .iter()
        .map(|c| (c.name.clone(), c.cloud, c.presents.clone()))
        .collect();
    let sent = data.onprem.send_connectors.unwrap();
    for (c, fact) in sent.iter().zip(f.send_connectors.as_ref().unwrap()) {
        out.push((
            c.name.clone(),
            c.cloud_services_mail_enabled,
            fact.presents.clone(),
        ));
    }
    out
}

fn matches_of<'a>(connectors: &'a [(String, bool, Presented)], tls: &str) -> Vec<&'a str> {
    connectors
        .iter()
        .find(|(_, _, p)| match p {
            Presented::Named { name, .. } => name.text().eq_ignore_ascii_case(tls),
            _ => false,
        })
        .map(|(_, _, p)| p.matches())
        .unwrap_or_else(|| panic!("no connector presents {tls}"))
}

#[test]
fn healthchecker_expected_outcomes_hold() {
    let Some(dir) = corpus() else { return };
    let text = std::fs::read_to_string(dir.join("css-exchange-expected-outcomes.json")).unwrap();
    let doc: Value = serde_json::from_str(&text).unwrap();
    let case = |id: &str| {
        doc["cases"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id)
            .unwrap_or_else(|| panic!("{id}"))
            .clone()
    };

    let base = case("css-hc-connectors-baseline");
    let e = &base["expected"];
    let c = judged(&dir, &base);
    assert_eq!(c.len() as u64, e["connector_count"].as_u64().unwrap());
    let cloud = c.iter().filter(|(_, cloud, _)| *cloud).count() as u64;
    assert_eq!(cloud, e["cloud_enabled_connectors"].as_u64().unwrap());
    let unset = c.iter().filter(|(_, _, p)| *p == Presented::Unset).count() as u64;
    assert_eq!(
        unset,
        e["connectors_without_TlsCertificateName"].as_u64().unwrap()
    );
    for want in e["cloud_connectors"].as_array().unwrap() {
        let tls = want["TlsCertificateName"].as_str().unwrap();
        assert_eq!(
            matches_of(&c, tls),
            [want["matches_thumbprint"].as_str().unwrap()],
            "{tls}"
        );
    }

    let multiple = case("css-hc-connectors-multiple-matching-certs");
    let c = judged(&dir, &multiple);
    let mut got = matches_of(&c, "<I>CN=localhost<S>CN=localhost");
    got.sort_unstable();
    let mut want =
        strings(&multiple["expected"]["send_connector_TlsCertificateName_matches_thumbprints"]);
    want.sort_unstable();
    assert_eq!(got, want);

    // The WIN-CTD3L0RGEN4 certificate is not on the server: not found, the other still matches.
    let missing = case("css-hc-connectors-cert-missing");
    let c = judged(&dir, &missing);
    assert!(matches_of(&c, "<I>CN=WIN-CTD3L0RGEN4<S>CN=WIN-CTD3L0RGEN4").is_empty());
    assert_eq!(
        matches_of(&c, "<I>CN=localhost<S>CN=localhost"),
        ["E267D459A0FB53D0EF225C11FAC062D522648C09"]
    );

    // Without a certificate list nothing is matched, and nothing is judged missing either.
    let none = case("css-hc-connectors-no-cert-list");
    let c = judged(&dir, &none);
    assert_eq!(
        c.len() as u64,
        none["expected"]["connector_count"].as_u64().unwrap()
    );
    for (name, _, p) in &c {
        assert!(p.matches().is_empty(), "{name}");
        if let Presented::Named { on_servers, .. } = p {
            assert!(
                on_servers.iter().all(|(_, found)| found.is_none()),
                "{name}"
            );
        }
    }

    let empty = case("css-hc-connectors-receive-empty-tlscertname");
    let c = judged(&dir, &empty);
    let cloud_receive = c
        .iter()
        .find(|(n, cloud, _)| *cloud && n.starts_with("Default Frontend"))
        .unwrap();
    assert_eq!(cloud_receive.2, Presented::Unset);
    assert_eq!(
        matches_of(&c, "<I>CN=localhost<S>CN=localhost"),
        [empty["expected"]["cloud_send_connector"]["thumbprint"]
            .as_str()
            .unwrap()]
    );

    let relay = case("css-hc-send-connector-relay-via-m365");
    let data = load(&Overrides {
        send_connectors: Some(
            dir.join("css-exchange-clixml")
                .join(relay["inputs"]["send"].as_str().unwrap()),
        ),
        ..Overrides::default()
    });
    let s = &data.onprem.send_connectors.unwrap()[0];
    let want = &relay["expected"]["send_connector"];
    assert_eq!(s.name, want["Name"].as_str().unwrap());
    assert!(
        s.smart_hosts[0]
            .to_lowercase()
            .ends_with(".mail.protection.outlook.com")
    );
    assert_eq!(s.require_tls, want["RequireTLS"].as_bool().unwrap());
    assert_eq!(
        s.tls_auth_level.map(|l| l.as_str()),
        want["TlsAuthLevel"].as_str()
    );
    assert!(s.address_spaces.iter().any(|a| a.contains('*')));
}

/// The end-to-end check of the corpus README: `<I>CN=localhost<S>CN=localhost` resolves to
/// the certificate of that thumbprint in `certs/css-exchange/`.
#[test]
fn localhost_resolves_to_its_der_file() {
    let Some(root) = support::corpora() else {
        return;
    };
    let der = root.join("certs/css-exchange/E267D459A0FB53D0EF225C11FAC062D522648C09.der");
    let facts = relaycheck::import::certs::load_certificate_file(&der, None).unwrap();
    let name =
        relaycheck::model::TlsCertificateName::parse("<I>CN=localhost<S>CN=localhost").unwrap();
    assert!(name.names(&facts.issuer, &facts.subject));
    assert_eq!(facts.thumbprint, "E267D459A0FB53D0EF225C11FAC062D522648C09");
    assert_eq!(
        facts.tls_certificate_name(),
        "<I>CN=localhost<S>CN=localhost"
    );
}

// ---------------------------------------------------------------------------------------
// Get-ExchangeCertificate against several servers
// ---------------------------------------------------------------------------------------

/// The corpus export with every certificate copied to a second server: the copies' Identity
/// (inside SerializationData, a .NET length-prefixed string) rewritten to `EX02.exlab.dom`.
fn two_server_export(dir: &Path) -> String {
    let text = std::fs::read_to_string(
        dir.join("css-exchange-clixml/HCConnectorTests_GetExchangeCertificate.xml"),
    )
    .unwrap();
    let body_start = text.find("<Obj RefId=").unwrap();
    let body_end = text.rfind("</Objs>").unwrap();
    let objects = &text[body_start..body_end];
    let mut copies = String::new();
    let mut rest = objects;
    let tag = "<BA N=\"SerializationData\">";
    while let Some(at) = rest.find(tag) {
        copies.push_str(&rest[..at + tag.len()]);
        let after = &rest[at + tag.len()..];
        let end = after.find('<').unwrap();
        let mut blob = data_encoding::BASE64
            .decode(&after.as_bytes()[..end])
            .unwrap();
        let old = b"WIN-CTD3L0RGEN4.exlab.dom\\";
        if let Some(i) = blob.windows(old.len()).position(|w| w == old) {
            let len = blob[i - 1] as usize;
            let new = b"EX02.exlab.dom\\";
            blob[i - 1] = (len - old.len() + new.len()) as u8;
            blob.splice(i..i + old.len(), new.iter().copied());
        }
        copies.push_str(&data_encoding::BASE64.encode(&blob));
        rest = &after[end..];
    }
    copies.push_str(rest);
    // RefIds must stay unique: the copies' ids move up.
    let copies = copies.replace("RefId=\"", "RefId=\"1");
    format!("{}{copies}{}", &text[..body_end], &text[body_end..])
}

#[test]
fn an_export_of_two_servers_fills_each_servers_inventory_and_lists_candidates_once() {
    let Some(dir) = corpus() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("exchange-certificates.xml");
    std::fs::write(&p, two_server_export(&dir)).unwrap();
    let data = load(&Overrides {
        certificate: Some(p.clone()),
        ..Overrides::default()
    });
    let servers = data.onprem.servers.clone().unwrap();
    let names: Vec<&str> = servers.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["WIN-CTD3L0RGEN4.exlab.dom", "EX02.exlab.dom"]);
    assert!(servers.iter().all(|s| s.certificates.len() == 4));
    assert!(servers[1].certificates.iter().all(|c| c.services.is_some()));
    // Today's flat list stays: each certificate once, the choice made among them.
    let certs = data.certificates.as_ref().unwrap();
    assert_eq!(certs.items.len(), 4);
    assert!(
        data.notes
            .iter()
            .any(|n| n.kind == NoteKind::Skipped && n.text.contains("4 copies left out")),
        "{:#?}",
        data.notes
    );

    // A scenario that names the same export for each server keeps each one's own.
    let yaml = format!(
        "version: 1\non_premises:\n  servers:\n    - name: EX02\n      certificates: [{0}]\n    - name: WIN-CTD3L0RGEN4\n      certificates: [{0}]\n",
        p.display()
    );
    let scenario_path = tmp.path().join("s.yaml");
    std::fs::write(&scenario_path, yaml).unwrap();
    let (_, s) = relaycheck::scenario::load(&scenario_path, None, support::now()).unwrap();
    assert_eq!(s.on_premises.servers[0].certificates.len(), 4);
    let yaml = format!(
        "version: 1\non_premises:\n  servers:\n    - name: EX03\n      certificates: [{}]\n",
        p.display()
    );
    std::fs::write(&scenario_path, yaml).unwrap();
    let e = relaycheck::scenario::load(&scenario_path, None, support::now()).unwrap_err();
    assert!(
        e.message.starts_with("on_premises.servers[0].certificates[0]: ")
            && e.message.contains("holds certificates of WIN-CTD3L0RGEN4.exlab.dom, EX02.exlab.dom only, none of server \"EX03\""),
        "{e}"
    );
}

// ---------------------------------------------------------------------------------------
// Scenario keys
// ---------------------------------------------------------------------------------------

#[test]
fn scenario_keys_load_with_defaults_save_back_and_refuse_unknown_keys() {
    let certs = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/examples/certs");
    let tmp = tempfile::tempdir().unwrap();
    let yaml = format!(
        r#"version: 1
certificate:
  file: {certs}/mail-contoso.pem
on_premises:
  send_connectors:
    - name: Outbound to Office 365
      smart_hosts: [contoso-com.mail.protection.outlook.com]
      tls_certificate_name: "{TLS_NAME}"
      source_transport_servers: [EX01]
    - name: Internet
      dns_routing_enabled: true
      require_tls: false
      tls_auth_level: ~
      tls_domain: ~
      cloud_services_mail_enabled: false
  receive_connectors:
    - name: Default Frontend EX01
      server: EX01
      tls_domain_capabilities: ["contoso.mail.onmicrosoft.com:AcceptCloudServicesMail"]
  servers:
    - name: EX01
      certificates: [{certs}/mail-contoso.pem]
"#,
        certs = certs.display()
    );
    let p = tmp.path().join("s.yaml");
    std::fs::write(&p, &yaml).unwrap();
    let (doc, s) = relaycheck::scenario::load(&p, None, support::now()).unwrap();
    let sc = s.on_premises.send_connectors.as_ref().unwrap();
    assert_eq!(sc[0].address_spaces, ["*"]);
    assert_eq!(sc[0].tls_auth_level, Some(TlsAuthLevel::DomainValidation));
    assert_eq!(
        sc[0].tls_domain.as_deref(),
        Some("mail.protection.outlook.com")
    );
    assert!(sc[0].require_tls && sc[0].cloud_services_mail_enabled && !sc[0].dns_routing_enabled);
    assert_eq!(sc[1].tls_auth_level, None);
    assert_eq!(s.on_premises.servers[0].certificates.len(), 1);
    let r = relaycheck::validate(&s, support::now());
    assert!(
        !r.findings
            .iter()
            .any(|f| f.id.as_str().starts_with("send-connector")),
        "{:#?}",
        r.findings.iter().map(|f| &f.message).collect::<Vec<_>>()
    );
    // Written back, it reads the same.
    let again = relaycheck::scenario::to_yaml(&relaycheck::scenario::to_file(&s, None, None));
    assert!(again.contains("tls_auth_level: null"), "{again}");
    let p2 = tmp.path().join("again.yaml");
    std::fs::write(&p2, &again).unwrap();
    let (_, s2) = relaycheck::scenario::load(&p2, None, support::now()).unwrap();
    assert_eq!(s2.on_premises, s.on_premises);
    assert!(doc.on_premises.servers[0].certificates.is_empty());

    for (bad, want) in [
        (
            "on_premises:\n  send_connectors:\n    - name: a\n      colour: red\n",
            "unknown field `colour`",
        ),
        (
            "on_premises:\n  servers:\n    - name: EX01\n      files: [a.pem]\n",
            "unknown field `files`",
        ),
        (
            "on_premises:\n  send_connectors:\n    - name: a\n      tls_auth_level: Strict\n",
            "unknown variant `Strict`",
        ),
        (
            "on_premises:\n  servers:\n    - name: EX01\n      certificates: [nothere.pem]\n",
            "nothere.pem: the file does not exist",
        ),
        (
            "on_premises:\n  servers:\n    - name: ''\n",
            "a server needs a name",
        ),
    ] {
        std::fs::write(&p, format!("version: 1\n{bad}")).unwrap();
        let e = relaycheck::scenario::load(&p, None, support::now()).unwrap_err();
        assert!(e.to_string().contains(want), "{bad}: {e}");
    }
}

// ---------------------------------------------------------------------------------------
// --from DIR
// ---------------------------------------------------------------------------------------

#[test]
fn the_collectors_folder_loads_every_file_and_says_which() {
    let dir = fixture("collected");
    let data = load(&Overrides {
        from: Some(dir.clone()),
        ..Overrides::default()
    });
    assert!(data.accepted_domains.is_some() && data.domain_status.is_some());
    assert!(data.inbound_connectors.is_some() && data.certificates.is_some());
    assert_eq!(data.onprem.send_connectors.as_ref().map(Vec::len), Some(2));
    assert_eq!(
        data.onprem.receive_connectors.as_ref().map(Vec::len),
        Some(2)
    );
    assert_eq!(data.onprem.servers.as_ref().map(Vec::len), Some(2));
    let note = &data.notes[0];
    assert_eq!(note.kind, NoteKind::Choice);
    assert!(
        note.text.contains("read accepted-domains.json, domain-status.json, inbound-connectors.json, outbound-connectors.json, send-connectors.json, receive-connectors.json, exchange-certificates.xml and organization-config.json.")
            && note.text.contains("Not in the folder: hybrid-configuration.json.")
            && !note.text.contains("Found but not read"),
        "{}",
        note.text
    );
    assert_eq!(data.inputs.len(), 8);
    assert_eq!(data.reject_direct_send, Some(false));

    // A flag wins over the folder's file.
    let data = load(&Overrides {
        from: Some(dir.clone()),
        send_connectors: Some(fixture("send-connector-single.json")),
        ..Overrides::default()
    });
    assert_eq!(data.onprem.send_connectors.as_ref().map(Vec::len), Some(1));
    assert!(
        data.notes[0]
            .text
            .contains("Not read, because a flag gave the file instead: send-connectors.json (--send-connectors given)."),
        "{}",
        data.notes[0].text
    );

    // Not a folder, no folder, a folder of nothing relaycheck reads: exit-2 errors naming it.
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("notes.txt"), "x").unwrap();
    for (p, want) in [
        (tmp.path().join("notes.txt"), "not a folder"),
        (tmp.path().join("nothere"), "the folder does not exist"),
        (
            tmp.path().to_path_buf(),
            "the folder holds none of the files relaycheck reads (accepted-domains.json, domain-status.json",
        ),
    ] {
        let e = load_err(&Overrides {
            from: Some(p.clone()),
            ..Overrides::default()
        });
        assert_eq!(e.path.as_deref(), Some(p.as_path()));
        assert!(e.message.contains(want), "{e}");
    }
}

#[test]
fn a_fifo_is_refused_as_a_connector_file_given_or_in_the_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let pipe = tmp.path().join("send-connectors.json");
    let status = std::process::Command::new("mkfifo")
        .arg(&pipe)
        .status()
        .unwrap();
    assert!(status.success(), "mkfifo failed");
    let e = load_err(&Overrides {
        send_connectors: Some(pipe.clone()),
        ..Overrides::default()
    });
    assert!(e.message.contains("named pipe"), "{e}");
    // In the folder too: refused by its type, naming it, never opened for reading.
    std::fs::copy(
        fixture("collected/accepted-domains.json"),
        tmp.path().join("accepted-domains.json"),
    )
    .unwrap();
    let e = load_err(&Overrides {
        from: Some(tmp.path().to_path_buf()),
        ..Overrides::default()
    });
    assert_eq!(e.path.as_deref(), Some(pipe.as_path()));
    assert!(e.message.contains("named pipe"), "{e}");
}
