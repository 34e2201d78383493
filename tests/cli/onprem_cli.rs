//! The on-premises side through `relaycheck check` as a process: each id of domain-rules.md
//! §11 firing and silent from a scenario file, the collector's folder read with `--from DIR`
//! (files left untouched), the new flags, and bad input as one paragraph with exit code 2.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const NOW: &str = "2026-11-22T12:00:00Z";
const SECTION_11: [&str; 5] = [
    "send-connector-missing",
    "send-connector-smart-host",
    "send-connector-certificate",
    "send-connector-tls",
    "cert-not-on-every-server",
];
const TLS_NAME: &str = "<I>CN=relaycheck Lab Root CA, O=relaycheck training lab<S>CN=mail.contoso.com, O=relaycheck training lab";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn relaycheck(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_relaycheck"))
        .args(args)
        .env_remove("NO_COLOR")
        .output()
        .unwrap()
}

fn json(args: &[&str]) -> (Option<i32>, Value) {
    let mut all = vec!["check", "--now", NOW, "--format", "json"];
    all.extend_from_slice(args);
    let o = relaycheck(&all);
    let doc = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    });
    (o.status.code(), doc)
}

/// The ids of section 11 in a report, with their subjects.
fn section_11(doc: &Value) -> Vec<(String, String)> {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| SECTION_11.contains(&f["id"].as_str().unwrap()))
        .map(|f| {
            (
                f["id"].as_str().unwrap().to_string(),
                f["subject"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

/// A scenario of the recommended setup with this send connector block (after
/// `send_connectors:`) and the file of EX02's certificate.
fn scenario(dir: &Path, send_connectors: &str, ex02: &str) -> PathBuf {
    let certs = root().join("assets/examples/certs");
    for f in ["mail-contoso.pem", "smtp-fabrikam.pem"] {
        std::fs::copy(certs.join(f), dir.join(f)).unwrap();
    }
    let yaml = format!(
        r#"version: 1
tenant:
  accepted_domains:
    - domain: contoso.com
      default: true
certificate:
  file: mail-contoso.pem
inbound_connectors:
  - name: Inbound from on-premises
    tls_sender_certificate_name: "*.contoso.com"
on_premises:
  organization_fqdn: mail.contoso.com
  send_connectors:{send_connectors}
  servers:
    - name: EX01
      certificates: [mail-contoso.pem]
    - name: EX02
      certificates: [{ex02}]
"#
    );
    let p = dir.join("onprem.yaml");
    std::fs::write(&p, yaml).unwrap();
    p
}

fn relay(extra: &str) -> String {
    format!(
        "\n    - name: Outbound to Office 365\n      smart_hosts: [contoso-com.mail.protection.outlook.com]\n      tls_certificate_name: \"{TLS_NAME}\"\n      source_transport_servers: [EX01, EX02]\n{extra}"
    )
}

/// A case: its name, the send connector block, EX02's certificate file, the findings wanted.
type Case = (
    &'static str,
    String,
    &'static str,
    Vec<(&'static str, &'static str)>,
);

#[test]
fn each_id_fires_and_stays_silent_through_check() {
    let cases: [Case; 7] = [
        ("healthy", relay(""), "mail-contoso.pem", vec![]),
        (
            "no send connector",
            " []".to_string(),
            "mail-contoso.pem",
            vec![("send-connector-missing", "")],
        ),
        (
            "a legacy smart host",
            relay("").replace(
                "contoso-com.mail.protection.outlook.com",
                "smtp.office365.com",
            ),
            "mail-contoso.pem",
            vec![("send-connector-smart-host", "Outbound to Office 365")],
        ),
        (
            "no TlsCertificateName",
            relay("").replace(&format!("      tls_certificate_name: \"{TLS_NAME}\"\n"), ""),
            "mail-contoso.pem",
            vec![("send-connector-certificate", "Outbound to Office 365")],
        ),
        (
            "RequireTLS off",
            relay("      require_tls: false\n"),
            "mail-contoso.pem",
            vec![("send-connector-tls", "Outbound to Office 365")],
        ),
        (
            "EX02 has another certificate",
            relay(""),
            "smtp-fabrikam.pem",
            vec![
                ("send-connector-certificate", "Outbound to Office 365"),
                ("cert-not-on-every-server", "EX02"),
            ],
        ),
        (
            "EX02 is not a source server",
            relay("").replace("[EX01, EX02]", "[EX01]"),
            "smtp-fabrikam.pem",
            vec![],
        ),
    ];
    for (name, block, ex02, want) in cases {
        let tmp = tempfile::tempdir().unwrap();
        let p = scenario(tmp.path(), &block, ex02);
        let (code, doc) = json(&["--scenario", p.to_str().unwrap()]);
        let got = section_11(&doc);
        let want: Vec<(String, String)> = want
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        assert_eq!(got, want, "{name}");
        let errors = doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["severity"] == "error");
        assert_eq!(code, Some(if errors { 1 } else { 0 }), "{name}");
    }
}

fn digest(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn the_collectors_folder_round_trips_through_check_from() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("relaycheck-data");
    std::fs::create_dir(&dir).unwrap();
    for (name, bytes) in digest(&root().join("tests/fixtures/onprem/collected")) {
        std::fs::write(dir.join(name), bytes).unwrap();
    }
    let before = digest(&dir);
    let (code, doc) = json(&["--from", dir.to_str().unwrap()]);
    assert_eq!(code, Some(1));
    assert_eq!(
        section_11(&doc),
        [("cert-not-on-every-server".to_string(), "EX02".to_string())]
    );
    let notes: Vec<&str> = doc["input_notes"]
        .as_array()
        .map(|a| a.iter().filter_map(|n| n["text"].as_str()).collect())
        .unwrap_or_default();
    assert!(
        notes.iter().any(|n| n.starts_with("From the folder ")),
        "{doc:#}"
    );
    let text = relaycheck(&["check", "--now", NOW, "--from", dir.to_str().unwrap()]);
    assert!(
        String::from_utf8_lossy(&text.stdout).starts_with("relaycheck: certificate mail.contoso.com, 2 accepted domains, 1 inbound connector, 2 send connectors, 2 receive connectors, the certificates of 2 servers\n"),
        "{}",
        String::from_utf8_lossy(&text.stdout)
    );
    assert_eq!(digest(&dir), before, "input files are never modified");

    // Enabled for SMTP on EX02 too: nothing of section 11 is left.
    let xml = std::fs::read_to_string(dir.join("exchange-certificates.xml")).unwrap();
    std::fs::write(
        dir.join("exchange-certificates.xml"),
        xml.replace(
            "<S N=\"Services\">IIS</S>",
            "<S N=\"Services\">IIS, SMTP</S>",
        ),
    )
    .unwrap();
    let (code, doc) = json(&["--from", dir.to_str().unwrap()]);
    assert_eq!(section_11(&doc), []);
    assert_eq!(code, Some(0), "{doc:#}");

    // The same folder for the wizard: it loads (and then wants a terminal).
    let o = relaycheck(&["wizard", "--from", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("interactive terminal"));
}

#[test]
fn the_new_flags_read_alone_and_bad_input_is_one_paragraph_with_exit_2() {
    let fixtures = root().join("tests/fixtures/onprem");
    let (code, doc) = json(&[
        "--send-connectors",
        fixtures
            .join("send-connectors-ps51-utf16.json")
            .to_str()
            .unwrap(),
        "--receive-connectors",
        fixtures.join("receive-connectors.json").to_str().unwrap(),
        "--certificate",
        fixtures
            .join("collected/exchange-certificates.xml")
            .to_str()
            .unwrap(),
    ]);
    assert_eq!(code, Some(1));
    assert_eq!(
        section_11(&doc),
        [("cert-not-on-every-server".to_string(), "EX02".to_string())]
    );

    let tmp = tempfile::tempdir().unwrap();
    let bad = tmp.path().join("send.json");
    std::fs::write(&bad, r#"[{"Name":"a","TlsAuthLevel":"Strict"}]"#).unwrap();
    let nothere = tmp.path().join("nothere");
    for (args, want) in [
        (
            vec!["--send-connectors", bad.to_str().unwrap()],
            format!(
                "relaycheck: error: {}: [0].TlsAuthLevel: \"Strict\" is not one of EncryptionOnly (1), CertificateValidation (2), DomainValidation (4)",
                bad.display()
            ),
        ),
        (
            vec!["--from", nothere.to_str().unwrap()],
            format!(
                "relaycheck: error: {}: the folder does not exist",
                nothere.display()
            ),
        ),
    ] {
        let mut all = vec!["check", "--now", NOW];
        all.extend(args);
        let o = relaycheck(&all);
        assert_eq!(o.status.code(), Some(2));
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(err.trim_end(), want);
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
        assert!(o.stdout.is_empty());
    }
}
