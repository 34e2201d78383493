//! `check --format powershell`: a golden script for a seed scenario, and for every example
//! and some made-up scenarios a structural check that stands in for a PowerShell parser
//! (every line a comment, a blank, or a known cmdlet with known parameters). When `pwsh` is
//! installed the scripts are parsed by it too.

use crate::support;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use relaycheck::lab::{self, LabCa, LabSpec};
use relaycheck::model::{
    AcceptedDomain, CertificateEntry, CertificateSource, InboundConnector, Scenario,
};
use relaycheck::names::DnsName;
use relaycheck::plan::FixAction;
use relaycheck::report::powershell::{self, Options};

fn examples() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/examples")
}

fn load_example(name: &str) -> Scenario {
    relaycheck::scenario::load(&examples().join(name), None, crate::support::now())
        .unwrap()
        .1
}

fn script(scenario: &Scenario, options: &Options) -> String {
    let report = relaycheck::validate(scenario, support::now());
    powershell::render(&report, scenario, support::now(), options)
}

/// The parameters each cmdlet the script may use accepts (from the Microsoft Learn
/// references), with `-WhatIf`/`-Confirm` where the cmdlet supports them.
fn known_cmdlets() -> HashMap<&'static str, Vec<&'static str>> {
    HashMap::from([
        ("Connect-MgGraph", vec!["Scopes", "TenantId", "NoWelcome"]),
        (
            "Connect-ExchangeOnline",
            vec!["UserPrincipalName", "Organization", "ShowBanner"],
        ),
        ("New-MgDomain", vec!["Id", "WhatIf", "Confirm"]),
        ("Confirm-MgDomain", vec!["DomainId", "WhatIf", "Confirm"]),
        (
            "Set-InboundConnector",
            vec![
                "Identity",
                "Enabled",
                "ConnectorType",
                "RequireTls",
                "CloudServicesMailEnabled",
                "TlsSenderCertificateName",
                "WhatIf",
                "Confirm",
            ],
        ),
        (
            "New-InboundConnector",
            vec![
                "Name",
                "ConnectorType",
                "SenderDomains",
                "RequireTls",
                "TlsSenderCertificateName",
                "CloudServicesMailEnabled",
                "WhatIf",
                "Confirm",
            ],
        ),
        (
            "Set-SendConnector",
            vec!["Identity", "TlsCertificateName", "WhatIf", "Confirm"],
        ),
    ])
}

/// Splits a command line into words, honouring PowerShell's quoting: '…' with '' inside,
/// "…" with `" inside. Returns `None` for an unterminated string or a stray operator.
fn words(line: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let mut chars = line.chars().peekable();
    loop {
        while chars.peek() == Some(&' ') {
            chars.next();
        }
        let Some(&c) = chars.peek() else {
            return Some(out);
        };
        let mut word = String::new();
        match c {
            '\'' => {
                chars.next();
                loop {
                    match chars.next()? {
                        '\'' if chars.peek() == Some(&'\'') => {
                            chars.next();
                            word.push('\'');
                        }
                        '\'' => break,
                        other => word.push(other),
                    }
                }
                out.push(format!("'{word}'"));
            }
            '"' => {
                chars.next();
                loop {
                    match chars.next()? {
                        '`' => word.push(chars.next()?),
                        '"' => break,
                        '$' => return None, // no expansion expected inside "…"
                        other => word.push(other),
                    }
                }
                out.push(format!("\"{word}\""));
            }
            _ => {
                while let Some(&c) = chars.peek() {
                    if c == ' ' {
                        break;
                    }
                    if matches!(
                        c,
                        '|' | ';' | '&' | '(' | ')' | '{' | '}' | '"' | '\'' | '`'
                    ) {
                        return None;
                    }
                    word.push(c);
                    chars.next();
                }
                out.push(word);
            }
        }
    }
}

/// Checks the script line by line; returns the problems found.
fn structure_problems(script: &str) -> Vec<String> {
    let known = known_cmdlets();
    let mut problems = Vec::new();
    for (n, line) in script.lines().enumerate() {
        let n = n + 1;
        if line.trim().is_empty() || line.starts_with('#') {
            if line.starts_with("#Requires") {
                let ok = line == "#Requires -Version 5.1"
                    || line == "#Requires -Modules Microsoft.Graph.Identity.DirectoryManagement"
                    || line == "#Requires -Modules ExchangeOnlineManagement";
                if !ok {
                    problems.push(format!("line {n}: unexpected #Requires: {line}"));
                }
            }
            continue;
        }
        if line != line.trim() {
            problems.push(format!("line {n}: leading or trailing blanks: {line:?}"));
        }
        let Some(w) = words(line) else {
            problems.push(format!(
                "line {n}: does not tokenize as one command: {line}"
            ));
            continue;
        };
        let Some(params) = known.get(w[0].as_str()) else {
            problems.push(format!("line {n}: unknown cmdlet {}", w[0]));
            continue;
        };
        let mut i = 1;
        let mut positional = 0;
        while i < w.len() {
            let word = &w[i];
            if let Some(name) = word.strip_prefix('-') {
                if !params.contains(&name) {
                    problems.push(format!("line {n}: {} has no parameter -{name}", w[0]));
                }
                let switch = matches!(name, "WhatIf" | "Confirm" | "NoWelcome");
                if !switch {
                    match w.get(i + 1) {
                        Some(v) if !v.starts_with('-') => i += 1,
                        _ => problems.push(format!("line {n}: -{name} has no value")),
                    }
                }
            } else {
                // Only Set-SendConnector's Identity is given by position.
                positional += 1;
                if w[0] != "Set-SendConnector" || positional > 1 {
                    problems.push(format!("line {n}: unexpected value {word}"));
                }
            }
            i += 1;
        }
    }
    problems
}

fn assert_well_formed(name: &str, script: &str) {
    let problems = structure_problems(script);
    assert!(
        problems.is_empty(),
        "{name}:\n{}\n---\n{script}",
        problems.join("\n")
    );
    pwsh_parses(name, script);
}

/// Parses the script with PowerShell's own parser when `pwsh` is installed.
fn pwsh_parses(name: &str, script: &str) {
    let Ok(probe) = std::process::Command::new("pwsh").arg("-Version").output() else {
        return;
    };
    if !probe.status.success() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("fix.ps1");
    std::fs::write(&path, script).unwrap();
    let command = format!(
        "$e = $null; [void][System.Management.Automation.Language.Parser]::ParseFile('{}', [ref]$null, [ref]$e); if ($e.Count) {{ $e | ForEach-Object {{ $_.ToString() }}; exit 1 }}",
        path.display()
    );
    let out = std::process::Command::new("pwsh")
        .args(["-NoProfile", "-NonInteractive", "-Command", &command])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{name}: pwsh does not parse the script:\n{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

fn versionless(script: &str) -> String {
    script.replace(env!("CARGO_PKG_VERSION"), "[version]")
}

#[test]
fn golden_script_for_seed_000_host_two_levels_down() {
    let scenario = load_example("seed000-host-two-levels-down.yaml");
    let options = Options {
        whatif: true,
        inputs: vec!["scenario: assets/examples/seed000-host-two-levels-down.yaml".into()],
        notes: Vec::new(),
    };
    let out = script(&scenario, &options);
    assert_well_formed("seed000", &out);
    insta::assert_snapshot!("seed000_host_two_levels_down", versionless(&out));
}

#[test]
fn no_whatif_leaves_the_changes_bare() {
    let scenario = load_example("seed000-host-two-levels-down.yaml");
    let out = script(
        &scenario,
        &Options {
            whatif: false,
            ..Options::default()
        },
    );
    assert_well_formed("no-whatif", &out);
    assert!(!out.contains("-WhatIf"), "{out}");
    assert!(out.contains("\nSet-InboundConnector -Identity \"Inbound from 5b1f8c2e-contoso\" -TlsSenderCertificateName \"*.contoso.com\"\n"));
}

#[test]
fn every_example_gives_a_well_formed_script() {
    let mut names: Vec<String> = std::fs::read_dir(examples())
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            name.ends_with(".yaml").then_some(name)
        })
        .collect();
    names.sort();
    assert!(names.len() >= 6);
    for name in names {
        let scenario = load_example(&name);
        let out = script(&scenario, &Options::default());
        assert_well_formed(&name, &out);
        let report = relaycheck::validate(&scenario, support::now());
        let has_changes = report
            .findings
            .iter()
            .filter(|f| f.severity != relaycheck::checks::Severity::Info)
            .flat_map(|f| &f.actions)
            .any(|a| !matches!(a, FixAction::Manual { .. }));
        assert_eq!(
            out.contains("rerun the Hybrid Configuration Wizard"),
            has_changes,
            "{name}"
        );
    }
}

fn lab_scenario(cn: &str, not_after_days: i64, domains: &[(&str, bool)]) -> Scenario {
    let now = support::now();
    let mut spec = LabSpec::new(cn, &[cn], now);
    spec.not_after = now + time::Duration::days(not_after_days);
    let made = lab::issue(&spec, LabCa::shared().unwrap()).unwrap();
    let facts = relaycheck::cert::load("lab", made.cert_pem.as_bytes(), None).unwrap();
    Scenario {
        tenant: relaycheck::model::Tenant::new(
            domains
                .iter()
                .map(|(d, v)| AcceptedDomain {
                    verified: *v,
                    ..AcceptedDomain::new(DnsName::parse(d).unwrap())
                })
                .collect(),
        ),
        certificates: vec![CertificateEntry {
            source: CertificateSource::File {
                path: "lab.pem".into(),
                key: None,
                password_env: None,
            },
            facts: Arc::new(facts),
        }],
        selected_certificate: Some(0),
        ..Scenario::default()
    }
}

#[test]
fn every_kind_of_change_and_nothing_twice() {
    // Expiring in 10 days (renewal + Set-SendConnector), no connector (New-InboundConnector),
    // the certificate's domain pending (Confirm-MgDomain only, never New-MgDomain too).
    let scenario = lab_scenario(
        "mail.contoso.com",
        10,
        &[("contoso.com", false), ("contoso.onmicrosoft.com", true)],
    );
    let out = script(&scenario, &Options::default());
    assert_well_formed("every-kind", &out);
    for want in [
        "Set-SendConnector \"Outbound to Office 365\" -TlsCertificateName \"<I>CN=relaycheck Lab Root CA, O=relaycheck training lab<S>CN=mail.contoso.com, O=relaycheck training lab\" -WhatIf",
        "New-InboundConnector -Name \"Inbound from on-premises\" -ConnectorType OnPremises -SenderDomains * -RequireTls $true -TlsSenderCertificateName \"*.contoso.com\" -CloudServicesMailEnabled $true -WhatIf",
        "Confirm-MgDomain -DomainId \"contoso.com\" -WhatIf",
        "#Requires -Modules Microsoft.Graph.Identity.DirectoryManagement",
        "#Requires -Modules ExchangeOnlineManagement",
        "Connect-MgGraph -Scopes \"Domain.ReadWrite.All\"",
        "Connect-ExchangeOnline",
        "in the Exchange Management Shell",
        "# To do by hand",
        "Renew the certificate with the same names (mail.contoso.com)",
    ] {
        assert!(out.contains(want), "missing {want:?} in\n{out}");
    }
    assert!(!out.contains("New-MgDomain"), "{out}");
    let cmdlets: Vec<&str> = out
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .collect();
    let mut unique = cmdlets.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), cmdlets.len(), "a line twice:\n{out}");
    // Order: domains, then the Exchange Online connector, then on premises, then HCW.
    let at = |s: &str| out.find(s).unwrap();
    assert!(at("Confirm-MgDomain") < at("New-InboundConnector"));
    assert!(at("New-InboundConnector") < at("Set-SendConnector"));
    assert!(at("Set-SendConnector") < at("rerun the Hybrid Configuration Wizard"));
}

#[test]
fn one_set_inbound_connector_per_connector_with_all_its_settings() {
    // A disabled IP-only connector of the wrong type: ip-only (TSCN) and HCW drift (four
    // settings) become one line.
    let mut scenario = lab_scenario("mail.contoso.com", 365, &[("contoso.com", true)]);
    let mut c = InboundConnector::new("Inbound from on-premises");
    c.require_tls = false;
    c.cloud_services_mail_enabled = false;
    c.sender_ip_addresses = vec!["203.0.113.10".parse().unwrap()];
    scenario.inbound_connectors = vec![c];
    let out = script(&scenario, &Options::default());
    assert_well_formed("merged", &out);
    let lines: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with("Set-InboundConnector"))
        .collect();
    assert_eq!(lines.len(), 1, "{out}");
    for p in [
        "-TlsSenderCertificateName \"*.contoso.com\"",
        "-RequireTls $true",
        "-CloudServicesMailEnabled $true",
    ] {
        assert!(lines[0].contains(p), "{p} missing in {}", lines[0]);
    }
    assert!(lines[0].ends_with(" -WhatIf"));
    assert!(out.contains("# Fixes connector-ip-only (Inbound from on-premises), connector-hcw-drift (Inbound from on-premises)"), "{out}");
}

#[test]
fn info_suggestions_stay_commented_out() {
    // seed 002's recommended case: only the optional "add mail.contoso.com too" remains.
    let scenario = load_example("recommended-wildcard.yaml");
    let out = script(&scenario, &Options::default());
    assert_well_formed("info", &out);
    assert!(
        out.contains("# Optional (info, not needed for relay): cert-name-parent-accepted"),
        "{out}"
    );
    assert!(
        out.contains("\n# New-MgDomain -Id \"mail.contoso.com\" -WhatIf\n"),
        "{out}"
    );
    assert!(!out.contains("#Requires -Modules"), "{out}");
    assert!(!out.contains("\nConnect-MgGraph"), "{out}");
    assert!(
        !out.contains("rerun the Hybrid Configuration Wizard"),
        "{out}"
    );
}

#[test]
fn header_names_inputs_time_notes_and_quotes_safely() {
    let mut scenario = lab_scenario("mail.contoso.com", 365, &[("contoso.com", true)]);
    let mut c = InboundConnector::new("O'Brien's $connector");
    c.tls_sender_certificate_name = Some("mail.contoso.com".into());
    scenario.inbound_connectors = vec![c];
    let options = Options {
        whatif: true,
        inputs: vec![
            "certificate: C:\\export\\mail.pfx".into(),
            "accepted domains: ad.json".into(),
        ],
        notes: vec!["assumption: Verification status was not given (--domain-status, from Get-MgDomain): all 1 accepted domain were assumed verified.".into()],
    };
    let out = script(&scenario, &options);
    assert_well_formed("quoting", &out);
    assert!(out.starts_with("# relaycheck remediation script\n#\n# Generated by relaycheck "));
    assert!(out.contains(" at 2026-11-22T12:00:00Z from:\n#   certificate: C:\\export\\mail.pfx\n#   accepted domains: ad.json\n"), "{out}");
    assert!(
        out.contains(
            "# How the input was read:\n#   - assumption: Verification status was not given"
        ),
        "{out}"
    );
    assert!(
        out.contains("Set-InboundConnector -Identity 'O''Brien''s $connector' "),
        "{out}"
    );
    for line in out.lines() {
        assert!(
            line.chars().count() <= 110 || !line.starts_with('#'),
            "long comment: {line}"
        );
    }
}

#[test]
fn a_passing_scenario_says_there_is_nothing_to_change() {
    let scenario = load_example("recommended-wildcard.yaml");
    let mut report = relaycheck::validate(&scenario, support::now());
    report.findings.clear();
    let out = powershell::render(&report, &scenario, support::now(), &Options::default());
    assert_well_formed("pass", &out);
    assert!(out.contains("# Nothing here needs a PowerShell change."));
    assert!(out.lines().all(|l| l.starts_with('#')), "{out}");
}

#[test]
fn structure_check_catches_what_it_should() {
    // The checker itself: it must refuse what a parser or the cmdlet would refuse.
    let bad = [
        "Set-InboundConnector -Identity \"x\" -TlsSenderCertificateNme \"*.contoso.com\"",
        "Remove-InboundConnector -Identity \"x\"",
        "Set-InboundConnector -Identity \"x",
        "Set-InboundConnector -Identity x | Out-Null",
        "New-MgDomain -Id",
        "$x = 1",
    ];
    for line in bad {
        assert!(!structure_problems(line).is_empty(), "accepted: {line}");
    }
    let _ = Path::new(".");
}
