//! The plan through the binary: `check --format json`'s `plan`, `scenario fix` (the target,
//! and the same bytes when fixed again), and `--format powershell --out DIR`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const NOW: &str = "2026-11-22T12:00:00Z";

fn relaycheck(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_relaycheck"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("relaycheck runs")
}

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets/examples")
        .join(name)
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn json_has_the_plan_in_order_with_where_each_step_runs() {
    let out = relaycheck(&[
        "check",
        "-s",
        s(&example("seed000-host-two-levels-down.yaml")),
        "--now",
        NOW,
        "-f",
        "json",
    ]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["schema"], "relaycheck.report.v1");
    let plan = doc["plan"].as_array().unwrap();
    assert_eq!(plan.len(), 2, "{plan:#?}");
    assert_eq!(plan[0]["step"], "add-domain");
    assert_eq!(plan[0]["runs_in"], "graph");
    assert_eq!(
        plan[0]["command"],
        "New-MgDomain -Id \"subdomain.contoso.com\""
    );
    assert_eq!(plan[1]["step"], "set-inbound-connector");
    assert_eq!(plan[1]["runs_in"], "exchange-online");
    assert!(
        plan[1]["summary"]
            .as_str()
            .unwrap()
            .contains("*.subdomain.contoso.com")
    );
    assert_eq!(
        doc["recommended_tls_sender_certificate_name"],
        "*.subdomain.contoso.com"
    );
}

#[test]
fn scenario_fix_writes_the_target_and_fixing_it_again_writes_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("fixed.yaml");
    let second = dir.path().join("fixed-again.yaml");
    let out = relaycheck(&[
        "scenario",
        "fix",
        "-s",
        s(&example("seed000-host-two-levels-down.yaml")),
        "--now",
        NOW,
        "-o",
        s(&first),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("2 changes applied."));
    let yaml = std::fs::read_to_string(&first).unwrap();
    assert!(yaml.contains("domain: subdomain.contoso.com"), "{yaml}");
    assert!(
        yaml.contains("tls_sender_certificate_name: '*.subdomain.contoso.com'"),
        "{yaml}"
    );
    // check on the target: the world after the plan.
    let check = relaycheck(&["check", "-s", s(&first), "--now", NOW, "-f", "json"]);
    let doc: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    assert_eq!(doc["verdict"], "pass", "{doc:#}");
    assert_eq!(doc["plan"].as_array().map(Vec::len), Some(0), "{doc:#}");
    assert_eq!(check.status.code(), Some(0));
    let again = relaycheck(&[
        "scenario",
        "fix",
        "-s",
        s(&first),
        "--now",
        NOW,
        "-o",
        s(&second),
    ]);
    assert!(
        again.status.success(),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    assert_eq!(
        std::fs::read(&first).unwrap(),
        std::fs::read(&second).unwrap()
    );
    // Never overwritten without --force; never an input.
    let refused = relaycheck(&[
        "scenario",
        "fix",
        "-s",
        s(&first),
        "--now",
        NOW,
        "-o",
        s(&second),
    ]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("already exists"));
    let input = relaycheck(&[
        "scenario",
        "fix",
        "-s",
        s(&first),
        "--now",
        NOW,
        "-o",
        s(&first),
        "--force",
    ]);
    assert_eq!(input.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&input.stderr).contains("input file"),
        "{}",
        String::from_utf8_lossy(&input.stderr)
    );
}

#[test]
fn powershell_out_dir_writes_one_file_per_shell_and_never_replaces_one() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("fix");
    let scenario = example("seed000-apex-not-verified.yaml");
    let args = [
        "check",
        "-s",
        s(&scenario),
        "--now",
        NOW,
        "-f",
        "powershell",
        "--out",
        s(&out_dir),
    ];
    let out = relaycheck(&args);
    assert_eq!(
        out.status.code(),
        Some(1),
        "fail verdict: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("2-graph-verify-domains.ps1"), "{stdout}");
    let verify = std::fs::read_to_string(out_dir.join("2-graph-verify-domains.ps1")).unwrap();
    assert!(
        verify.contains("\nConfirm-MgDomain -DomainId \"contoso.com\" -WhatIf\n"),
        "{verify}"
    );
    assert!(out_dir.join("README.txt").is_file());
    let again = relaycheck(&args);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    let wrong = relaycheck(&[
        "check",
        "-s",
        s(&example("seed000-apex-not-verified.yaml")),
        "--out",
        s(&out_dir),
    ]);
    assert_eq!(wrong.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("--format powershell"));
}

#[test]
fn scenario_fix_on_every_example_and_lesson_converges_in_one_step() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<PathBuf> = Vec::new();
    for dir in ["assets/examples", "assets/training"] {
        for e in std::fs::read_dir(root.join(dir)).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "yaml") {
                files.push(p);
            }
        }
    }
    files.sort();
    assert!(files.len() >= 15);
    let tmp = tempfile::tempdir().unwrap();
    for (i, f) in files.iter().enumerate() {
        let first = tmp.path().join(format!("{i}-a.yaml"));
        let second = tmp.path().join(format!("{i}-b.yaml"));
        let out = relaycheck(&["scenario", "fix", "-s", s(f), "--now", NOW, "-o", s(&first)]);
        assert!(
            out.status.success(),
            "{}: {}",
            f.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        let check = relaycheck(&["check", "-s", s(&first), "--now", NOW, "-f", "json"]);
        let doc: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
        let changes: Vec<&serde_json::Value> = doc["plan"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["runs_in"] != "manual" || s["step"] != "manual")
            .collect();
        assert!(
            changes.is_empty(),
            "{}: the target's plan still changes {changes:#?}",
            f.display()
        );
        assert_eq!(
            doc["hcw"]["warning"],
            serde_json::Value::Null,
            "{}: HCW warns on the target",
            f.display()
        );
        let again = relaycheck(&[
            "scenario",
            "fix",
            "-s",
            s(&first),
            "--now",
            NOW,
            "-o",
            s(&second),
        ]);
        assert!(
            again.status.success(),
            "{}",
            String::from_utf8_lossy(&again.stderr)
        );
        assert_eq!(
            std::fs::read_to_string(&first).unwrap(),
            std::fs::read_to_string(&second).unwrap(),
            "{}: fixing the target changed it",
            f.display()
        );
    }
}
