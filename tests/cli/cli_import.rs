//! The import flags on the command line: alone or over a scenario, the notes they produce in
//! every format, `--format powershell` with and without -WhatIf, and `scenario export`.

use std::path::PathBuf;
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixture(name: &str) -> String {
    root()
        .join("tests/fixtures/import")
        .join(name)
        .display()
        .to_string()
}

fn cert() -> String {
    root()
        .join("assets/examples/certs/mail-contoso.pem")
        .display()
        .to_string()
}

fn relaycheck(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_relaycheck"))
        .args(args)
        .env_remove("NO_COLOR")
        .output()
        .unwrap()
}

fn import_args() -> Vec<String> {
    vec![
        "--accepted-domains".into(),
        fixture("accepted-domains.json"),
        "--inbound-connectors".into(),
        fixture("inbound-connectors.json"),
        "--certificate".into(),
        cert(),
        "--now".into(),
        "2026-11-22".into(),
    ]
}

#[test]
fn check_from_cmdlet_output_alone_reports_the_assumption() {
    let mut args = vec!["check".to_string()];
    args.extend(import_args());
    args.extend(["--format".into(), "json".into()]);
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = relaycheck(&refs);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let notes = doc["input_notes"].as_array().unwrap();
    assert!(
        notes.iter().any(|n| n["kind"] == "assumption"
            && n["text"].as_str().unwrap().contains("assumed verified")),
        "{notes:?}"
    );
    assert!(
        doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["id"] == "connector-domain-not-accepted")
    );
}

#[test]
fn flags_win_over_the_scenario() {
    let scenario = root().join("assets/examples/recommended-wildcard.yaml");
    let out = relaycheck(&[
        "check",
        "--scenario",
        scenario.to_str().unwrap(),
        "--inbound-connectors",
        &fixture("inbound-connector-ip-only.json"),
        "--now",
        "2026-11-22",
        "--format",
        "json",
    ]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert!(
        ids.contains(&"connector-ip-only"),
        "the file's IP-only connector replaced the scenario's: {ids:?}"
    );
}

#[test]
fn powershell_output_has_whatif_unless_asked_not_to() {
    let mut args = vec!["check".to_string()];
    args.extend(import_args());
    args.extend(["--format".into(), "powershell".into()]);
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let with = String::from_utf8(relaycheck(&refs).stdout).unwrap();
    assert!(
        with.contains("Set-InboundConnector") && with.contains("-WhatIf"),
        "{with}"
    );
    assert!(
        with.contains("#Requires -Modules ExchangeOnlineManagement"),
        "{with}"
    );
    let mut args2 = args.clone();
    args2.push("--no-whatif".into());
    let refs: Vec<&str> = args2.iter().map(String::as_str).collect();
    let without = String::from_utf8(relaycheck(&refs).stdout).unwrap();
    assert!(without.contains("Set-InboundConnector"), "{without}");
    assert!(
        !without
            .lines()
            .filter(|l| !l.trim_start().starts_with('#'))
            .any(|l| l.contains("-WhatIf")),
        "{without}"
    );
}

#[test]
fn nothing_to_check_and_a_protected_pfx_without_password_env_exit_2() {
    let out = relaycheck(&["check"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nothing to check"));
    let dir = tempfile::tempdir().unwrap();
    let garbage = dir.path().join("x.json");
    std::fs::write(&garbage, "{ not json").unwrap();
    let out = relaycheck(&["check", "--accepted-domains", garbage.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("x.json"), "{err}");
    let out = relaycheck(&[
        "check",
        "--certificate",
        &cert(),
        "--password-env",
        "RELAYCHECK_SURELY_UNSET_VAR",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("RELAYCHECK_SURELY_UNSET_VAR"));
}

#[test]
fn scenario_export_writes_a_loadable_file_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let out_file = dir.path().join("combined.yaml");
    let mut args = vec!["scenario".to_string(), "export".into()];
    args.extend(import_args().into_iter().take(6));
    args.extend(["-o".into(), out_file.display().to_string()]);
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = relaycheck(&refs);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let text = std::fs::read_to_string(&out_file).unwrap();
    assert!(
        text.contains("# assumption:"),
        "the notes head the file: {text}"
    );
    let (_, s) = relaycheck::scenario::load(&out_file, None, crate::support::now()).unwrap();
    assert_eq!(s.tenant.accepted_domains().len(), 4);
    assert_eq!(s.inbound_connectors.len(), 2);
    let again = relaycheck(&refs);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("never overwrites"));
    assert_eq!(std::fs::read_to_string(&out_file).unwrap(), text);
}
