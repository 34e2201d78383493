//! The example scenarios of assets/examples (and the built-in demo) give the verdict, the HCW
//! outcome, the findings and the mail flow their comments and the seed articles describe,
//! both through the library and through `relaycheck check`.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::now;
use relaycheck::model::Scenario;
use relaycheck::plan::FixAction;
use relaycheck::relay::{DecidedBy, Outcome, REPLY_ATTR36};
use relaycheck::report::{Report, Verdict};

const NOW: &str = "2026-11-22T12:00:00Z";

fn hcw8103(cn: &str) -> String {
    format!(
        "HCW8103 The certificate provided ({cn}) does not match a verified domain inside the Office 365 tenant."
    )
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn load(path: &Path) -> Scenario {
    let n = now();
    let generate = |g: &relaycheck::model::GenerateSpec| relaycheck::lab::generate_facts(g, n);
    relaycheck::scenario::load(path, Some(&generate), n)
        .unwrap_or_else(|e| panic!("{e}"))
        .1
}

struct Expect {
    file: &'static str,
    verdict: Verdict,
    /// (name HCW reads, TSCN it writes, warns HCW8103)
    hcw: (&'static str, &'static str, bool),
    /// Findings that must be there (id, a word of the message).
    findings: &'static [(&'static str, &'static str)],
    /// Ids that must not be there.
    absent: &'static [&'static str],
    /// (message name, outcome, decided by), every message in order.
    mail_flow: &'static [(&'static str, Outcome, DecidedBy)],
}

const USER: &str = "User mail to the Internet";
const NDR: &str = "NDR to an external sender";
const SENT_AS: &str = "Mail sent as a domain the tenant does not own";
const FORWARDED: &str = "Forwarded external mail";

use DecidedBy::{Certificate, None as Nothing, RecipientDomain, SenderDomain};
use Outcome::{Delivered, Rejected, Relayed};

/// User mail relays on its sender domain; the three seed 002 scenarios bounce.
const ONLY_USER_MAIL: &[(&str, Outcome, DecidedBy)] = &[
    (USER, Relayed, SenderDomain),
    (NDR, Rejected, Nothing),
    (SENT_AS, Rejected, Nothing),
    (FORWARDED, Rejected, Nothing),
];

fn expectations() -> Vec<Expect> {
    vec![
        Expect {
            file: "assets/examples/recommended-wildcard.yaml",
            verdict: Verdict::Pass,
            hcw: ("mail.contoso.com", "*.contoso.com", false),
            findings: &[],
            absent: &[
                "cert-name-not-accepted",
                "connector-domain-not-accepted",
                "connector-hcw-drift",
                "connector-tscn-not-on-cert",
                "org-fqdn-not-on-cert",
            ],
            mail_flow: &[
                (USER, Relayed, Certificate),
                (NDR, Relayed, Certificate),
                (SENT_AS, Relayed, Certificate),
                (FORWARDED, Relayed, Certificate),
            ],
        },
        Expect {
            file: "assets/examples/seed000-apex-not-verified.yaml",
            verdict: Verdict::Fail,
            hcw: ("contoso.com", "contoso.com", true),
            findings: &[
                ("cert-name-not-accepted", "HCW8103"),
                ("domain-unverified", "contoso.com"),
                ("connector-domain-not-accepted", "pending"),
            ],
            absent: &["connector-hcw-drift", "org-fqdn-not-on-cert"],
            mail_flow: ONLY_USER_MAIL,
        },
        Expect {
            file: "assets/examples/seed000-host-two-levels-down.yaml",
            verdict: Verdict::Fail,
            hcw: (
                "hostname.subdomain.contoso.com",
                "hostname.subdomain.contoso.com",
                true,
            ),
            findings: &[
                ("cert-name-not-accepted", "HCW8103"),
                (
                    "connector-domain-not-accepted",
                    "hostname.subdomain.contoso.com",
                ),
            ],
            absent: &["domain-unverified", "connector-hcw-drift"],
            mail_flow: ONLY_USER_MAIL,
        },
        Expect {
            file: "assets/examples/seed000-host-under-unaccepted-domain.yaml",
            verdict: Verdict::Fail,
            hcw: ("hostname.contoso.com", "hostname.contoso.com", true),
            findings: &[
                ("cert-name-not-accepted", "HCW8103"),
                ("connector-domain-not-accepted", "hostname.contoso.com"),
            ],
            absent: &["domain-unverified", "connector-hcw-drift"],
            mail_flow: ONLY_USER_MAIL,
        },
        Expect {
            file: "assets/examples/seed002-host-instead-of-wildcard.yaml",
            verdict: Verdict::Fail,
            hcw: ("mail.contoso.com", "*.contoso.com", false),
            findings: &[
                ("connector-domain-not-accepted", "mail.contoso.com"),
                ("connector-hcw-drift", "HCW writes *.contoso.com"),
            ],
            absent: &["cert-name-not-accepted", "connector-tscn-not-on-cert"],
            mail_flow: ONLY_USER_MAIL,
        },
        Expect {
            file: "assets/examples/seed002-ip-only-connector.yaml",
            verdict: Verdict::Fail,
            hcw: ("mail.contoso.com", "*.contoso.com", false),
            findings: &[("connector-ip-only", "ATTR36")],
            absent: &["connector-missing", "cert-name-not-accepted"],
            mail_flow: &[
                ("User mail to the Internet", Relayed, SenderDomain),
                ("NDR to an external sender", Rejected, Nothing),
                ("Mail sent as fabrikam.com", Rejected, Nothing),
                ("Forwarded external mail", Rejected, Nothing),
                (
                    "Mail to a colleague in Exchange Online",
                    Delivered,
                    RecipientDomain,
                ),
            ],
        },
        Expect {
            file: "assets/demo/demo.yaml",
            verdict: Verdict::Fail,
            hcw: (
                "hostname.subdomain.contoso.com",
                "hostname.subdomain.contoso.com",
                true,
            ),
            findings: &[
                ("cert-name-not-accepted", "HCW8103"),
                (
                    "connector-domain-not-accepted",
                    "hostname.subdomain.contoso.com",
                ),
            ],
            absent: &["cert-expired", "cert-expiring", "org-fqdn-not-on-cert"],
            mail_flow: &[
                ("User mail to the Internet", Relayed, SenderDomain),
                ("NDR to an external sender", Rejected, Nothing),
                ("Mail sent as fabrikam.com", Rejected, Nothing),
                ("Forwarded external mail", Rejected, Nothing),
            ],
        },
    ]
}

fn check_report(e: &Expect, r: &Report) -> Vec<String> {
    let mut problems = Vec::new();
    if r.verdict != e.verdict {
        problems.push(format!("verdict {:?}, not {:?}", r.verdict, e.verdict));
    }
    match &r.hcw() {
        Some(h) => {
            let (reads, writes, warns) = e.hcw;
            if h.certificate_name != reads || h.tls_sender_certificate_name != writes {
                problems.push(format!(
                    "HCW reads {} writes {}, not {reads} / {writes}",
                    h.certificate_name, h.tls_sender_certificate_name
                ));
            }
            let want = warns.then(|| hcw8103(reads));
            if h.warning != want {
                problems.push(format!("HCW warning {:?}, not {want:?}", h.warning));
            }
        }
        None => problems.push("no HCW outcome".into()),
    }
    for (id, word) in e.findings {
        if !r
            .findings
            .iter()
            .any(|f| f.id.as_str() == *id && f.message.contains(word))
        {
            problems.push(format!("no {id} mentioning {word:?}"));
        }
    }
    for id in e.absent {
        if r.findings.iter().any(|f| f.id.as_str() == *id) {
            problems.push(format!("unexpected {id}"));
        }
    }
    let flow: Vec<(&str, Outcome, DecidedBy)> = r
        .mail_flow
        .iter()
        .map(|m| (m.name.as_str(), m.outcome, m.decided_by))
        .collect();
    if flow != e.mail_flow {
        problems.push(format!("mail flow {flow:?}, not {:?}", e.mail_flow));
    }
    for m in r.rejected() {
        if m.reply != REPLY_ATTR36 {
            problems.push(format!(
                "{} rejected with {:?}, not ATTR36",
                m.name, m.reply
            ));
        }
    }
    problems
}

/// The table covers every example file: a new example needs its expectations here.
#[test]
fn every_example_has_expectations() {
    let mut on_disk: Vec<String> = std::fs::read_dir(root().join("assets/examples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .map(|p| {
            format!(
                "assets/examples/{}",
                p.file_name().unwrap().to_string_lossy()
            )
        })
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = expectations()
        .iter()
        .map(|e| e.file.to_string())
        .filter(|f| f.starts_with("assets/examples/"))
        .collect();
    listed.sort();
    assert_eq!(on_disk, listed);
}

#[test]
fn examples_through_the_library() {
    let mut failures = Vec::new();
    for e in expectations() {
        let s = load(&root().join(e.file));
        let r = relaycheck::validate(&s, now());
        let problems = check_report(&e, &r);
        if !problems.is_empty() {
            failures.push(format!("{}:\n  {}", e.file, problems.join("\n  ")));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn examples_through_relaycheck_check() {
    let mut failures = Vec::new();
    for e in expectations() {
        let out = Command::new(env!("CARGO_BIN_EXE_relaycheck"))
            .args(["check", "--format", "json", "--now", NOW, "--scenario"])
            .arg(root().join(e.file))
            .output()
            .unwrap();
        let code = out.status.code();
        let want_code = Some(e.verdict.exit_code());
        let doc: serde_json::Value = match serde_json::from_slice(&out.stdout) {
            Ok(d) => d,
            Err(err) => {
                failures.push(format!(
                    "{}: not JSON ({err}): {}",
                    e.file,
                    String::from_utf8_lossy(&out.stderr)
                ));
                continue;
            }
        };
        let mut problems = Vec::new();
        if code != want_code {
            problems.push(format!("exit {code:?}, not {want_code:?}"));
        }
        if doc["verdict"] != e.verdict.as_str() {
            problems.push(format!("verdict {}", doc["verdict"]));
        }
        let (_, writes, warns) = e.hcw;
        if doc["hcw"]["tls_sender_certificate_name"] != writes {
            problems.push(format!("hcw {}", doc["hcw"]));
        }
        if doc["hcw"]["warning"].is_string() != warns {
            problems.push(format!("hcw warning {}", doc["hcw"]["warning"]));
        }
        for (id, _) in e.findings {
            if !doc["findings"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f["id"] == *id)
            {
                problems.push(format!("no finding {id}"));
            }
        }
        let flow: Vec<(String, String)> = doc["mail_flow"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| {
                (
                    m["name"].as_str().unwrap().to_string(),
                    m["outcome"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        let want: Vec<(String, String)> = e
            .mail_flow
            .iter()
            .map(|(n, o, _)| (n.to_string(), o.as_str().to_string()))
            .collect();
        if flow != want {
            problems.push(format!("mail flow {flow:?}"));
        }
        if !problems.is_empty() {
            failures.push(format!("{}: {}", e.file, problems.join("; ")));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Seed 000's preferred fix for the two-levels-down example: add only
/// subdomain.contoso.com; after rerunning HCW (the connector takes what HCW writes) every
/// message relays.
#[test]
fn seed000_two_levels_down_fixed_as_the_article_says() {
    let mut s = load(&root().join("assets/examples/seed000-host-two-levels-down.yaml"));
    let r = relaycheck::validate(&s, now());
    let f = r
        .findings
        .iter()
        .find(|f| f.id.as_str() == "cert-name-not-accepted")
        .unwrap();
    assert_eq!(
        f.actions[0],
        FixAction::AddDomain {
            domain: relaycheck::names::DnsName::parse("subdomain.contoso.com").unwrap()
        }
    );
    s.tenant.push(relaycheck::model::AcceptedDomain::new(
        relaycheck::names::DnsName::parse("subdomain.contoso.com").unwrap(),
    ));
    let after_domain = relaycheck::validate(&s, now());
    let h = after_domain.hcw().unwrap();
    assert_eq!(h.warning, None);
    assert_eq!(h.tls_sender_certificate_name, "*.subdomain.contoso.com");
    s.inbound_connectors[0].tls_sender_certificate_name =
        Some(h.tls_sender_certificate_name.clone());
    let after_hcw = relaycheck::validate(&s, now());
    assert!(
        after_hcw.mail_flow.iter().all(|m| m.outcome == Relayed),
        "{:#?}",
        after_hcw.mail_flow
    );
    assert_ne!(after_hcw.verdict, Verdict::Fail);
}

/// Seed 002: "use *.contoso.com instead of mail.contoso.com"; with it every message relays.
#[test]
fn seed002_host_instead_of_wildcard_fixed_as_the_article_says() {
    let mut s = load(&root().join("assets/examples/seed002-host-instead-of-wildcard.yaml"));
    let r = relaycheck::validate(&s, now());
    let f = r
        .findings
        .iter()
        .find(|f| f.id.as_str() == "connector-domain-not-accepted")
        .unwrap();
    assert!(
        f.fix.contains(
            "Set-InboundConnector -Identity \"Inbound from 5b1f8c2e-contoso\" -TlsSenderCertificateName \"*.contoso.com\""
        ),
        "{}",
        f.fix
    );
    s.inbound_connectors[0].tls_sender_certificate_name = Some("*.contoso.com".into());
    let fixed = relaycheck::validate(&s, now());
    assert!(fixed.mail_flow.iter().all(|m| m.outcome == Relayed));
    assert_eq!(fixed.verdict, Verdict::Pass);
}
