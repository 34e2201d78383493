//! The head of `check`'s text and Markdown reports (and the JSON document's `inventory`):
//! when it was made, from which files, and what was checked (accepted domains with their
//! verification, each inbound connector with its type, TlsSenderCertificateName and IP
//! entries, the presented certificate and its chain, the on-premises send connectors).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const NOW: &str = "2026-11-22T12:00:00Z";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn check(scenario: &Path, format: &str) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_relaycheck"))
        .args([
            "check", "--now", NOW, "--color", "never", "--format", format,
        ])
        .arg("--scenario")
        .arg(scenario)
        .output()
        .unwrap()
}

fn out(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

/// A scenario with a pending domain, two connectors (one with a refused IP entry), the
/// mail.contoso.com certificate and a send connector; its name holds an escape.
fn scenario(dir: &Path) -> PathBuf {
    let certs = root().join("assets/examples/certs");
    for f in ["mail-contoso.pem", "lab-ca.pem"] {
        std::fs::copy(certs.join(f), dir.join(f)).unwrap();
    }
    let yaml = r#"version: 1
tenant:
  accepted_domains:
    - domain: contoso.com
      default: true
    - domain: fabrikam.com
      verified: false
      type: InternalRelay
certificate:
  file: mail-contoso.pem
trusted_roots: [lab-ca.pem]
inbound_connectors:
  - name: "Inbound from on-premises"
    tls_sender_certificate_name: "*.contoso.com"
  - name: "Old \u001b[2J IP connector"
    enabled: false
    sender_ip_addresses: [203.0.113.10, 10.0.0.0/16]
on_premises:
  organization_fqdn: mail.contoso.com
  send_connectors:
    - name: Outbound to Office 365
      smart_hosts: [contoso-com.mail.protection.outlook.com]
      source_transport_servers: [EX01]
"#;
    let p = dir.join("inventory.yaml");
    std::fs::write(&p, yaml).unwrap();
    p
}

#[test]
fn the_text_report_opens_with_what_was_checked() {
    let dir = tempfile::tempdir().unwrap();
    let path = scenario(dir.path());
    let text = out(&check(&path, "text"));
    let head: String = text
        .split("\nFAIL")
        .next()
        .unwrap_or_default()
        .split("\nPASS")
        .next()
        .unwrap_or_default()
        .split("\nWARN")
        .next()
        .unwrap_or_default()
        .to_string();
    for want in [
        "What was checked",
        &format!("Evaluated at: {NOW}"),
        &format!("scenario: {}", path.display()),
        &format!("trusted root: {}", dir.path().join("lab-ca.pem").display()),
        &format!(
            "certificate: {}",
            dir.path().join("mail-contoso.pem").display()
        ),
        "Accepted domains (2, 1 pending verification):",
        "contoso.com (verified, Authoritative, default)",
        "fabrikam.com (pending verification, InternalRelay)",
        "\"Inbound from on-premises\": OnPremises, enabled, TlsSenderCertificateName *.contoso.com",
        ": OnPremises, disabled, TlsSenderCertificateName (none)",
        "SenderIPAddresses 203.0.113.10, 10.0.0.0/16 (refused: Valid subnet mask values are /24 through /32)",
        "Certificate presented (of 1): CN=mail.contoso.com",
        "2 DNS SANs; issuer CN=relaycheck Lab Root CA",
        "expires 2099-12-31T00:00:00Z (26701 days left)",
        "chain complete to CN=relaycheck Lab Root CA",
        "On-premises send connectors (1):",
        "\"Outbound to Office 365\": enabled, relays to Exchange Online; smart hosts contoso-com.mail.protection.outlook.com; TlsCertificateName (none); source servers EX01",
    ] {
        assert!(head.contains(want), "the head lacks {want:?}:\n{head}");
    }
    let thumbprint = json_inventory(&path)["certificate"]["thumbprint"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(thumbprint.len(), 40);
    assert!(head.contains(&format!("thumbprint {thumbprint}")), "{head}");
    assert!(!text.contains('\u{1b}'), "input text is cleaned:\n{text}");
}

fn json_inventory(path: &Path) -> Value {
    let doc: Value = serde_json::from_slice(&check(path, "json").stdout).unwrap();
    doc["inventory"].clone()
}

#[test]
fn markdown_opens_with_the_same_inventory() {
    let dir = tempfile::tempdir().unwrap();
    let path = scenario(dir.path());
    let md = out(&check(&path, "markdown"));
    let at = |s: &str| md.find(s).unwrap_or_else(|| panic!("lacks {s:?}:\n{md}"));
    assert!(at("## What was checked") < at("## 1 Certificate"), "{md}");
    for want in [
        &format!("  - scenario: {}", path.display()),
        "| fabrikam.com | pending verification | InternalRelay | no |",
        // Input is escaped (`*` would start an emphasis), relaycheck's own words are not.
        "| Inbound from on-premises | OnPremises | yes | \\*.contoso.com | (none) |",
        "10.0.0.0/16 (refused: Valid subnet mask values are /24 through /32)",
        "- **Certificate presented** (of 1): CN=mail.contoso.com",
        "| Outbound to Office 365 | yes | yes | contoso-com.mail.protection.outlook.com | (none) | EX01 |",
    ] {
        assert!(md.contains(want), "lacks {want:?}:\n{md}");
    }
    assert!(!md.contains('\u{1b}'), "input text is cleaned");
}

#[test]
fn the_json_inventory_has_every_part_with_its_type() {
    let dir = tempfile::tempdir().unwrap();
    let path = scenario(dir.path());
    let inv = json_inventory(&path);
    assert_eq!(inv["evaluated_at"], NOW);
    assert_eq!(inv["inputs"][0]["what"], "scenario");
    assert_eq!(inv["inputs"][0]["path"], path.display().to_string());
    let domains = inv["accepted_domains"].as_array().unwrap();
    assert_eq!(domains.len(), 2);
    assert_eq!(domains[1]["domain"], "fabrikam.com");
    assert_eq!(domains[1]["verification"], "pending verification");
    assert_eq!(domains[1]["type"], "InternalRelay");
    assert_eq!(domains[0]["default"], true);
    let old = &inv["inbound_connectors"][1];
    assert_eq!(old["enabled"], false);
    assert_eq!(old["connector_type"], "OnPremises");
    assert!(old["tls_sender_certificate_name"].is_null());
    assert_eq!(old["sender_ip_addresses"][0]["refused"], Value::Null);
    assert_eq!(
        old["sender_ip_addresses"][1]["refused"],
        "Valid subnet mask values are /24 through /32"
    );
    let cert = &inv["certificate"];
    assert_eq!(cert["san_count"], 2);
    assert_eq!(cert["days_left"], 26701);
    assert!(cert["chain"].as_str().unwrap().starts_with("complete to"));
    assert_eq!(inv["candidate_certificates"], 1);
    assert_eq!(inv["send_connectors"][0]["relays"], true);

    // Without on-premises data nothing is said about send connectors.
    let plain = json_inventory(&root().join("assets/examples/seed000-host-two-levels-down.yaml"));
    assert!(plain["send_connectors"].is_null(), "{plain}");
}

/// Files read through the import flags are named too, each with what it was read as.
#[test]
fn cmdlet_files_given_by_flags_are_in_the_inputs() {
    let collected = root().join("tests/fixtures/onprem/collected");
    let ad = collected.join("accepted-domains.json");
    let inbound = collected.join("inbound-connectors.json");
    let config = collected.join("organization-config.json");
    let o = Command::new(env!("CARGO_BIN_EXE_relaycheck"))
        .args([
            "check",
            "--accepted-domains",
            ad.to_str().unwrap(),
            "--inbound-connectors",
            inbound.to_str().unwrap(),
            "--organization-config",
            config.to_str().unwrap(),
            "--now",
            NOW,
        ])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let text = out(&o);
    for want in [
        format!("accepted domains: {}", ad.display()),
        format!("inbound connectors: {}", inbound.display()),
        format!("organization config: {}", config.display()),
    ] {
        assert!(text.contains(&want), "lacks {want:?}:\n{text}");
    }
}
