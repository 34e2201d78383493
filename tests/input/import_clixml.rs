//! Export-Clixml files: every Get-ExchangeCertificate and Get-AcceptedDomain file of the
//! CSS-Exchange corpus, read in place and compared with the collector's summaries.

use crate::support;

use std::path::{Path, PathBuf};

use relaycheck::import::{self, CertFormat, NoteKind, Overrides};
use relaycheck::model::DomainType;
use serde_json::Value;

fn corpus() -> Option<PathBuf> {
    support::corpora().map(|c| c.join("powershell"))
}

fn summary(dir: &Path, file: &str) -> Value {
    let name = file.replace(".xml", ".summary.json");
    let text =
        std::fs::read_to_string(dir.join("css-exchange-derived-summaries").join(name)).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn files_for(dir: &Path, cmdlet: &str) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(dir.join("css-exchange-derived-summaries"))
        .unwrap()
        .filter_map(|e| {
            let p = e.unwrap().path();
            let v: Value = serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
            (v["cmdlet"] == cmdlet).then(|| v["source_file"].as_str().unwrap().to_string())
        })
        .collect();
    out.sort();
    out
}

/// "CN=a,OU=b,ST=c" and "CN=a, OU=b, S=c" compare equal.
fn dn_key(dn: &str) -> String {
    dn.split(',')
        .map(|p| p.trim().replace("ST=", "S="))
        .collect::<Vec<_>>()
        .join(",")
}

#[test]
fn every_certificate_file_matches_its_summary() {
    let Some(dir) = corpus() else { return };
    let files = files_for(&dir, "Get-ExchangeCertificate");
    assert_eq!(files.len(), 9, "{files:?}");
    for file in files {
        let path = dir.join("css-exchange-clixml").join(&file);
        let mut notes = Vec::new();
        let certs =
            import::certs::load(&path, None, &mut notes).unwrap_or_else(|e| panic!("{file}: {e}"));
        let want = summary(&dir, &file);
        let objects = want["objects"].as_array().unwrap();
        assert_eq!(certs.len(), objects.len(), "{file}");
        for (got, want) in certs.iter().zip(objects) {
            assert_eq!(got.format, CertFormat::Clixml);
            assert_eq!(
                got.facts.thumbprint,
                want["thumbprint_sha1"].as_str().unwrap(),
                "{file}"
            );
            assert_eq!(
                dn_key(&got.facts.subject),
                dn_key(want["subject"].as_str().unwrap()),
                "{file}"
            );
            let sans: Vec<String> = want["san_dns"]
                .as_array()
                .map(|a| a.iter().map(|s| s.as_str().unwrap().to_string()).collect())
                .unwrap_or_default();
            assert_eq!(got.facts.dns_sans, sans, "{file} {}", got.facts.thumbprint);
            // The "Broken" export lost its SerializationData, and with it Services.
            let broken = file.ends_with("Broken.xml");
            assert_eq!(
                got.services.is_none(),
                broken,
                "{file}: Services for {}",
                got.facts.thumbprint
            );
            assert!(got.der.is_some());
        }
    }
}

#[test]
fn services_come_out_of_serialization_data() {
    let Some(dir) = corpus() else { return };
    let path = dir.join("css-exchange-clixml/E19_GetExchangeCertificate.xml");
    let certs = import::certs::load(&path, None, &mut Vec::new()).unwrap();
    let services: Vec<(String, String)> = certs
        .iter()
        .map(|c| (c.facts.display_name(), c.services.unwrap().to_string()))
        .collect();
    assert_eq!(
        services,
        [
            (
                "Microsoft Exchange Server Auth Certificate".to_string(),
                "SMTP".to_string()
            ),
            ("Solo-E19A".to_string(), "IMAP, POP, IIS, SMTP".to_string()),
            ("WMSvc-WIN-K300A9DA9VA".to_string(), "None".to_string()),
        ]
    );
}

#[test]
fn every_accepted_domain_file_matches_its_summary() {
    let Some(dir) = corpus() else { return };
    let files = files_for(&dir, "Get-AcceptedDomain");
    assert_eq!(files.len(), 3, "{files:?}");
    for file in files {
        let overrides = Overrides {
            accepted_domains: Some(dir.join("css-exchange-clixml").join(&file)),
            ..Overrides::default()
        };
        let data = import::load(&overrides, None, support::now())
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        let got = data.accepted_domains.unwrap();
        let want = summary(&dir, &file);
        let mut expected = Vec::new();
        let mut skipped = 0;
        for o in want["objects"].as_array().unwrap() {
            let name = o["DomainName"].as_str().unwrap();
            let t = match o["DomainType"].as_str().unwrap() {
                "Authoritative" => DomainType::Authoritative,
                "InternalRelay" => DomainType::InternalRelay,
                _ => DomainType::ExternalRelay,
            };
            if name == "*" {
                skipped += 1;
                continue;
            }
            let base = name.trim_start_matches("*.").to_ascii_lowercase();
            expected.push((base, t, o["Default"].as_bool().unwrap()));
        }
        let got: Vec<(String, DomainType, bool)> = got
            .iter()
            .map(|d| (d.domain.to_string(), d.domain_type, d.default))
            .collect();
        assert_eq!(got, expected, "{file}");
        let skipped_notes = data
            .notes
            .iter()
            .filter(|n| n.kind == NoteKind::Skipped)
            .count();
        assert_eq!(skipped_notes, skipped, "{file}: {:?}", data.notes);
        assert!(
            data.notes.iter().any(|n| n.text.contains("*.contoso.local")
                && n.text.contains("counts as contoso.local")),
            "{file}: {:?}",
            data.notes
        );
    }
}

#[test]
fn hcw_connector_value_resolves_to_the_css_exchange_certificate() {
    let Some(dir) = corpus() else { return };
    let path = dir.join("css-exchange-clixml/HCConnectorTests_GetExchangeCertificate.xml");
    let certs = import::certs::load(&path, None, &mut Vec::new()).unwrap();
    let hits: Vec<&str> = certs
        .iter()
        .filter(|c| c.facts.tls_certificate_name() == "<I>CN=localhost<S>CN=localhost")
        .map(|c| c.facts.thumbprint.as_str())
        .collect();
    assert_eq!(hits, ["E267D459A0FB53D0EF225C11FAC062D522648C09"]);
    // The same certificate as the DER file named by its thumbprint.
    let der = std::fs::read(
        support::corpora()
            .unwrap()
            .join("certs/css-exchange/E267D459A0FB53D0EF225C11FAC062D522648C09.der"),
    )
    .unwrap();
    let imported = certs
        .iter()
        .find(|c| c.facts.thumbprint == hits[0])
        .unwrap();
    assert_eq!(imported.der.as_deref(), Some(der.as_slice()));
}

#[test]
fn several_certificates_choose_the_smtp_ca_issued_one_and_say_why() {
    let Some(dir) = corpus() else { return };
    let overrides = Overrides {
        certificate: Some(dir.join("css-exchange-clixml/E19_GetExchangeCertificate.xml")),
        ..Overrides::default()
    };
    // 2021: every certificate in the file is still valid. All are self-signed, so SMTP
    // decides between the auth certificate and the server's own; the later expiry wins.
    let data = import::load(
        &overrides,
        None,
        time::macros::datetime!(2021-06-01 0:00 UTC),
    )
    .unwrap();
    let certs = data.certificates.unwrap();
    assert_eq!(certs.items.len(), 3);
    assert_eq!(
        certs.items[certs.selected].facts.display_name(),
        "Solo-E19A"
    );
    let note = data
        .notes
        .iter()
        .find(|n| n.kind == NoteKind::Choice)
        .unwrap();
    assert!(
        note.text.starts_with(
            "Of 3 certificates, Solo-E19A (thumbprint 6C7DE09FB39A40144F57EFEBC3DF0148E3A9AB28"
        ),
        "{}",
        note.text
    );
    assert!(
        note.text
            .contains("it is assigned to SMTP and it is valid now"),
        "{}",
        note.text
    );
}

#[test]
fn windows_powershell_utf16_export_reads_the_same() {
    let Some(dir) = corpus() else { return };
    let src = dir.join("css-exchange-clixml/E16_GetExchangeCertificate.xml");
    let text = std::fs::read_to_string(&src).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let utf16 = tmp.path().join("certs.xml");
    let mut bytes = vec![0xff, 0xfe];
    for unit in text
        .trim_start_matches('\u{feff}')
        .replace('\n', "\r\n")
        .encode_utf16()
    {
        bytes.extend(unit.to_le_bytes());
    }
    std::fs::write(&utf16, bytes).unwrap();
    let a = import::certs::load(&src, None, &mut Vec::new()).unwrap();
    let b = import::certs::load(&utf16, None, &mut Vec::new()).unwrap();
    let prints = |v: &[import::ImportedCertificate]| -> Vec<(String, Option<import::Services>)> {
        v.iter()
            .map(|c| (c.facts.thumbprint.clone(), c.services))
            .collect()
    };
    assert_eq!(prints(&a), prints(&b));
}

#[test]
fn other_exports_and_damaged_files_are_refused_naming_file_field_and_problem() {
    let Some(dir) = corpus() else { return };
    let receive = dir.join("css-exchange-clixml/HCConnectorTests_GetReceiveConnector.xml");
    let e = import::certs::load(&receive, None, &mut Vec::new()).unwrap_err();
    let e = relaycheck::error::InputError::from(e);
    assert_eq!(e.path.as_deref(), Some(receive.as_path()));
    assert!(
        e.message
            .starts_with("[0]: this is ReceiveConnector output, not Get-ExchangeCertificate"),
        "{e}"
    );

    let domains = dir.join("css-exchange-clixml/E19_GetAcceptedDomain.xml");
    let e = relaycheck::error::InputError::from(
        import::certs::load(&domains, None, &mut Vec::new()).unwrap_err(),
    );
    assert!(e.message.contains("AcceptedDomain output"), "{e}");
    let certs = dir.join("css-exchange-clixml/E19_GetExchangeCertificate.xml");
    let e = relaycheck::error::InputError::from(
        import::load(
            &Overrides {
                accepted_domains: Some(certs.clone()),
                ..Overrides::default()
            },
            None,
            support::now(),
        )
        .unwrap_err(),
    );
    assert!(
        e.message
            .contains("ExchangeCertificate output, not Get-AcceptedDomain"),
        "{e}"
    );

    let text = std::fs::read_to_string(&certs).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let cases = [
        ("truncated.xml", text[..text.len() / 2].to_string(), "the XML is malformed"),
        (
            "base64.xml",
            replace_first_raw_data(&text, "!!not base64!!"),
            "[0].RawData: not valid Base64",
        ),
        (
            "notcert.xml",
            replace_first_raw_data(&text, "MIIBAAAA"),
            "[0].RawData: it is not a valid X.509 certificate",
        ),
        (
            "noraw.xml",
            text.replacen("N=\"RawData\"", "N=\"Other\"", 1),
            "[0].RawData: missing",
        ),
        (
            "empty.xml",
            "<Objs Version=\"1.1.0.1\" xmlns=\"http://schemas.microsoft.com/powershell/2004/04\"></Objs>".to_string(),
            "holds no objects",
        ),
    ];
    for (name, content, want) in cases {
        let p = tmp.path().join(name);
        std::fs::write(&p, content).unwrap();
        let e = relaycheck::error::InputError::from(
            import::certs::load(&p, None, &mut Vec::new()).unwrap_err(),
        );
        assert_eq!(e.path.as_deref(), Some(p.as_path()), "{name}");
        assert!(e.message.contains(want), "{name}: {e}");
    }
}

fn replace_first_raw_data(text: &str, with: &str) -> String {
    let start = text.find("<BA N=\"RawData\">").unwrap() + "<BA N=\"RawData\">".len();
    let end = start + text[start..].find('<').unwrap();
    format!("{}{with}{}", &text[..start], &text[end..])
}
