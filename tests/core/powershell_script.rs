//! `check --format powershell`: a golden script for a seed scenario, the parts per shell, and
//! for every example and made-up scenarios a parse with the tree-sitter PowerShell grammar
//! (plus pwsh where it exists) and a check that every command is a known cmdlet with known
//! parameters.

use crate::support;
use crate::support::ps::{self, assert_well_formed};

use std::path::PathBuf;
use std::sync::Arc;

use relaycheck::lab::{self, LabCa, LabSpec};
use relaycheck::model::{
    AcceptedDomain, CertificateEntry, CertificateSource, InboundConnector, Scenario,
};
use relaycheck::names::DnsName;
use relaycheck::report::powershell::{self, Options};

fn examples() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/examples")
}

fn load_example(name: &str) -> Scenario {
    relaycheck::scenario::load(&examples().join(name), None, support::now())
        .unwrap()
        .1
}

fn script(scenario: &Scenario, options: &Options) -> String {
    let report = relaycheck::validate(scenario, support::now());
    powershell::render(&report, scenario, support::now(), options)
}

fn versionless(script: &str) -> String {
    script.replace(env!("CARGO_PKG_VERSION"), "[version]")
}

/// The lines of one part of the combined script (from its banner to its `return`).
fn part<'a>(script: &'a str, title_start: &str) -> &'a str {
    let banner = format!(": {title_start}");
    let start = script
        .lines()
        .position(|l| l.starts_with("# ===== Part ") && l.contains(&banner))
        .unwrap_or_else(|| panic!("no part {title_start:?} in\n{script}"));
    let offset: usize = script.lines().take(start).map(|l| l.len() + 1).sum();
    let rest = &script[offset..];
    let end = rest.find("\nreturn\n").map_or(rest.len(), |i| i + 8);
    &rest[..end]
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
fn seed000_adds_only_the_subdomain_and_sets_what_hcw_will_write() {
    let out = script(
        &load_example("seed000-host-two-levels-down.yaml"),
        &Options::default(),
    );
    let graph = part(&out, "Add the domains");
    assert!(
        graph.contains("\nNew-MgDomain -Id \"subdomain.contoso.com\" -WhatIf\n"),
        "{graph}"
    );
    // contoso.com above it is verified: Microsoft 365 verifies it on creation.
    assert!(!out.contains("Confirm-MgDomain"), "{out}");
    let exo = part(&out, "Exchange Online");
    assert!(
        exo.contains("\nSet-InboundConnector -Identity \"Inbound from 5b1f8c2e-contoso\" -TlsSenderCertificateName \"*.subdomain.contoso.com\" -WhatIf\n"),
        "{exo}"
    );
    assert!(!out.contains("\"*.contoso.com\" -WhatIf"), "{out}");
    // *.contoso.com is offered only as a way that works until HCW runs again.
    assert!(out.contains("works until HCW runs again"), "{out}");
}

#[test]
fn a_new_domain_is_added_its_txt_record_shown_then_the_script_stops() {
    // mail.fabrikam.com with nothing verified above it: New-MgDomain, the TXT record, a stop;
    // Confirm-MgDomain only in the verify part.
    let scenario = lab_scenario("mail.fabrikam.com", 365, &[("contoso.com", true)]);
    let out = script(&scenario, &Options::default());
    assert_well_formed("new-domain", &out);
    let add = part(&out, "Add the domains");
    assert!(
        add.contains("\nNew-MgDomain -Id \"fabrikam.com\" -WhatIf\n"),
        "{add}"
    );
    assert!(
        add.contains("\nGet-MgDomainVerificationDnsRecord -DomainId \"fabrikam.com\""),
        "{add}"
    );
    assert!(
        add.contains("Write-Host \"Publish the TXT record(s)"),
        "{add}"
    );
    assert!(add.ends_with("\nreturn\n"), "{add}");
    assert!(
        !add.contains("Confirm-MgDomain"),
        "never straight after New-MgDomain:\n{add}"
    );
    let verify = part(&out, "Verify the domains");
    assert!(
        verify.contains("\nConfirm-MgDomain -DomainId \"fabrikam.com\" -WhatIf\n"),
        "{verify}"
    );
    let at = |s: &str| out.find(s).unwrap();
    assert!(at("New-MgDomain") < at("Confirm-MgDomain"));
    assert!(at("Confirm-MgDomain") < at("New-InboundConnector"));
}

#[test]
fn every_part_runs_on_its_own_in_its_shell() {
    let scenario = lab_scenario("mail.fabrikam.com", 365, &[("contoso.com", true)]);
    let out = script(&scenario, &Options::default());
    for (title, module, connect) in [
        (
            "Add the domains",
            Some("Microsoft.Graph.Identity.DirectoryManagement"),
            Some("Connect-MgGraph -Scopes \"Domain.ReadWrite.All\""),
        ),
        (
            "Verify the domains",
            Some("Microsoft.Graph.Identity.DirectoryManagement"),
            Some("Connect-MgGraph -Scopes \"Domain.ReadWrite.All\""),
        ),
        (
            "Exchange Online",
            Some("ExchangeOnlineManagement"),
            Some("Connect-ExchangeOnline"),
        ),
    ] {
        let p = part(&out, title);
        assert_well_formed(title, p);
        assert!(p.contains("\n$ErrorActionPreference = 'Stop'\n"), "{p}");
        if let Some(m) = module {
            assert!(p.contains(&format!("\n#Requires -Modules {m}\n")), "{p}");
        }
        if let Some(c) = connect {
            assert!(p.contains(&format!("\n{c}\n")), "{p}");
        }
        assert!(p.ends_with("\nreturn\n"), "{p}");
        // Graph and Exchange Online never share a part (their sign-in libraries clash).
        assert!(!(p.contains("Connect-MgGraph") && p.contains("Connect-ExchangeOnline")));
    }
}

#[test]
fn out_dir_files_are_one_part_each_and_a_readme_on_the_order() {
    let scenario = lab_scenario("mail.fabrikam.com", 365, &[("contoso.com", true)]);
    let report = relaycheck::validate(&scenario, support::now());
    let files = powershell::files(&report, &scenario, support::now(), &Options::default());
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "1-graph-add-domains.ps1",
            "2-graph-verify-domains.ps1",
            "3-exchange-online.ps1",
            "README.txt"
        ]
    );
    for (name, text) in &files[..3] {
        assert_well_formed(name, text);
        assert!(
            text.starts_with("# relaycheck remediation script\n"),
            "{name}"
        );
        assert_eq!(text.matches("# ===== Part ").count(), 1, "{name}");
    }
    let readme = &files[3].1;
    assert!(readme.contains("1. 1-graph-add-domains.ps1"), "{readme}");
    assert!(readme.contains("3. 3-exchange-online.ps1"), "{readme}");
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
    assert!(out.contains("\nSet-InboundConnector -Identity \"Inbound from 5b1f8c2e-contoso\" -TlsSenderCertificateName \"*.subdomain.contoso.com\"\n"), "{out}");
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
        assert_eq!(
            out.contains("rerun the Hybrid Configuration Wizard"),
            !report.plan.is_done(),
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
    // Expiring in 10 days (a renewal, by hand), no connector (New-InboundConnector), the
    // certificate's domain pending (Confirm-MgDomain only, never New-MgDomain too).
    let scenario = lab_scenario(
        "mail.contoso.com",
        10,
        &[("contoso.com", false), ("contoso.onmicrosoft.com", true)],
    );
    let out = script(&scenario, &Options::default());
    assert_well_formed("every-kind", &out);
    for want in [
        "New-InboundConnector -Name \"Inbound from on-premises\" -ConnectorType OnPremises -SenderDomains * -RequireTls $true -TlsSenderCertificateName \"*.contoso.com\" -CloudServicesMailEnabled $true -WhatIf",
        "Confirm-MgDomain -DomainId \"contoso.com\" -WhatIf",
        "#Requires -Modules Microsoft.Graph.Identity.DirectoryManagement",
        "#Requires -Modules ExchangeOnlineManagement",
        "Connect-MgGraph -Scopes \"Domain.ReadWrite.All\"",
        "Connect-ExchangeOnline",
        "# To do by hand",
        "Renew the certificate with the same names (mail.contoso.com)",
    ] {
        assert!(out.contains(want), "missing {want:?} in\n{out}");
    }
    assert!(!out.contains("New-MgDomain"), "{out}");
    let commands: Vec<String> = ps::parse(&out)
        .unwrap()
        .into_iter()
        .filter(|c| !c.name.starts_with("Connect-"))
        .map(|c| format!("{} {:?}", c.name, c.parameters))
        .collect();
    let lines: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with("New-") || l.starts_with("Set-") || l.starts_with("Confirm-"))
        .collect();
    let mut unique = lines.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), lines.len(), "a change twice:\n{out}");
    assert!(!commands.is_empty());
    let at = |s: &str| out.find(s).unwrap();
    assert!(at("Confirm-MgDomain") < at("New-InboundConnector"));
    assert!(at("New-InboundConnector") < at("rerun the Hybrid Configuration Wizard"));
}

#[test]
fn one_set_inbound_connector_per_connector_with_all_its_settings() {
    // An IP-only connector without TLS settings: ip-only (TSCN) and HCW drift (settings and
    // the SenderIPAddresses HCW removes) become one line.
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
        "-SenderIPAddresses $null",
    ] {
        assert!(lines[0].contains(p), "{p} missing in {}", lines[0]);
    }
    assert!(lines[0].ends_with(" -WhatIf"));
    assert!(
        out.contains("# Fixes connector-ip-only (Inbound from on-premises), connector-hcw-drift (Inbound from on-premises)"),
        "{out}"
    );
}

#[test]
fn info_suggestions_stay_commented_out() {
    // seed 002's recommended case: only the optional "add mail.contoso.com too" remains.
    let scenario = load_example("recommended-wildcard.yaml");
    let out = script(&scenario, &Options::default());
    assert_well_formed("info", &out);
    assert!(
        out.contains("# Optional, for notes (not needed for relay"),
        "{out}"
    );
    assert!(
        out.contains("#       New-MgDomain -Id \"mail.contoso.com\""),
        "{out}"
    );
    assert!(!out.contains("#Requires -Modules"), "{out}");
    assert!(!out.contains("\nConnect-MgGraph"), "{out}");
    assert!(
        !out.contains("rerun the Hybrid Configuration Wizard"),
        "{out}"
    );
    assert!(ps::parse(&out).unwrap().is_empty(), "only comments:\n{out}");
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
fn control_characters_in_names_and_paths_never_leave_a_comment() {
    // A connector name and an input path carrying CR, LF, ESC, NUL, U+2028 and a command.
    let mut scenario = lab_scenario("mail.contoso.com", 365, &[("contoso.com", true)]);
    let evil = "Inbound\r\nRemove-Item C:\\ -Recurse\u{1b}]0;x\u{7}\0\u{2028}end";
    let mut c = InboundConnector::new(evil);
    c.tls_sender_certificate_name = Some("mail.contoso.com".into());
    scenario.inbound_connectors = vec![c];
    let options = Options {
        whatif: true,
        inputs: vec![format!(
            "scenario: C:\\x.yaml\nRemove-Item C:\\ -Recurse\r\u{2028}"
        )],
        notes: vec!["note\n# ends\nRemove-Item C:\\".into()],
    };
    let out = script(&scenario, &options);
    for bad in ['\r', '\u{1b}', '\0', '\u{2028}', '\u{7}'] {
        assert!(!out.contains(bad), "{bad:?} reached the script:\n{out}");
    }
    let commands = ps::parse(&out).unwrap();
    assert!(
        commands.iter().all(|c| c.name != "Remove-Item"),
        "an injected command runs:\n{out}"
    );
    assert_well_formed("injection", &out);
}

#[test]
fn a_passing_scenario_says_there_is_nothing_to_change() {
    let mut scenario = lab_scenario(
        "mail.contoso.com",
        365,
        &[("contoso.com", true), ("mail.contoso.com", true)],
    );
    let mut c = InboundConnector::new("Inbound from on-premises");
    c.tls_sender_certificate_name = Some("mail.contoso.com".into());
    scenario.inbound_connectors = vec![c];
    let report = relaycheck::validate(&scenario, support::now());
    assert!(report.plan.is_done(), "{:#?}", report.plan);
    let out = powershell::render(&report, &scenario, support::now(), &Options::default());
    assert_well_formed("pass", &out);
    assert!(out.contains("# Nothing to change"), "{out}");
    assert!(out.lines().all(|l| l.starts_with('#')), "{out}");
}

#[test]
fn the_checker_catches_what_it_should() {
    // The checker itself must refuse what a parser or the cmdlet would refuse.
    for bad in [
        "Set-InboundConnector -Identity \"x\" -TlsSenderCertificateNme \"*.contoso.com\"",
        "Remove-Item -Path C:\\",
        "Set-InboundConnector -Identity \"x",
        "New-MgDomain -Id (",
        "if ($x) {",
    ] {
        assert!(!ps::problems(bad).is_empty(), "accepted: {bad}");
    }
    assert!(ps::problems("# a comment\nNew-MgDomain -Id \"a.com\" -WhatIf\nreturn\n").is_empty());
}

#[test]
fn the_on_premises_part_installs_certificates_then_sets_the_send_connector() {
    use crate::rulekit::*;
    use relaycheck::model::{SendConnector, ServerCertificate, Services, TransportServer};
    let mut s = recommended().build();
    let cert = s.certificates[0].facts.clone();
    let held = ServerCertificate::from_facts(cert.clone(), Some(Services(16)), Some(true));
    s.on_premises.servers = vec![
        TransportServer {
            certificates: vec![held],
            ..TransportServer::new("EX01")
        },
        TransportServer::new("EX02"),
    ];
    s.on_premises.send_connectors = Some(vec![SendConnector {
        address_spaces: vec!["*".into()],
        smart_hosts: vec!["smtp.office365.com".into()],
        dns_routing_enabled: false,
        source_transport_servers: vec!["EX01".into(), "EX02".into()],
        ..SendConnector::new("Outbound to Office 365")
    }]);
    let out = script(&s, &Options::default());
    assert_well_formed("on premises", &out);
    let p = part(&out, "On-premises Exchange");
    assert_well_formed("on-premises part", p);
    assert!(
        !p.contains("Connect-ExchangeOnline") && !p.contains("Connect-MgGraph"),
        "{p}"
    );
    let import = p
        .find("Import-ExchangeCertificate -Server \"EX02\"")
        .unwrap_or_else(|| panic!("{p}"));
    let enable = p
        .find(&format!(
            "Enable-ExchangeCertificate -Server \"EX02\" -Thumbprint {} -Services SMTP",
            cert.thumbprint
        ))
        .unwrap_or_else(|| panic!("{p}"));
    let set = p
        .find("Set-SendConnector -Identity \"Outbound to Office 365\" -SmartHosts \"contoso-com.mail.protection.outlook.com\" -RequireTLS $true -TlsAuthLevel DomainValidation -TlsDomain \"mail.protection.outlook.com\" -TlsCertificateName ")
        .unwrap_or_else(|| panic!("{p}"));
    assert!(import < enable && enable < set, "{p}");
    // Every change takes -WhatIf by default.
    for line in p
        .lines()
        .filter(|l| l.starts_with("Set-") || l.starts_with("Import-") || l.starts_with("Enable-"))
    {
        assert!(line.ends_with(" -WhatIf"), "{line}");
    }
}
