//! Rule PLAN (docs/checks.md, "The plan"): for every scenario of a generated space (certificate
//! names one to three labels deep, with and without wildcards and extra SANs; each domain the
//! certificate needs verified, pending or absent; TlsSenderCertificateName absent, the host,
//! `*.` its parent, `*.` its grandparent, wrong or invalid; the connector absent, IP-only,
//! disabled, Partner or as HCW makes it), for every example and every lesson, before and
//! after its solution, the plan's target
//! 1. has no error or warning a configuration change can fix (what is left needs a new
//!    certificate, and the plan says so with a step by hand);
//! 2. makes HCW write exactly its TlsSenderCertificateName, without HCW8103;
//! 3. has an empty plan itself (the same steps by hand, no change).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::rulekit::*;
use relaycheck::checks::{CheckId, Severity};
use relaycheck::model::{AcceptedDomain, InboundConnector, Scenario};
use relaycheck::plan::Plan;
use relaycheck::report::Report;

/// Findings that only a new (or another) certificate can resolve: what may be left in a
/// target, and only next to a step by hand.
const NEEDS_A_CERTIFICATE: &[CheckId] = &[
    CheckId::CertExpired,
    CheckId::CertNotYetValid,
    CheckId::CertExpiring,
    CheckId::CertSelfSigned,
    CheckId::CertWeakKey,
    CheckId::CertWeakSignature,
    CheckId::CertNoDnsNames,
    CheckId::CertKeyMismatch,
    CheckId::CertNameNotAccepted,
    CheckId::ConnectorHcwDrift,
    CheckId::OrgFqdnNotOnCert,
    CheckId::CertNameForeignDomain,
    CheckId::CertChainIncomplete,
    CheckId::CertUntrustedRoot,
    // Without a selected certificate, which one the send connector presents is the
    // admin's choice (a step by hand); with one, the on-premises test demands it is fixed.
    CheckId::SendConnectorCertificate,
];

fn by_hand(p: &Plan) -> BTreeSet<String> {
    p.by_hand().map(|s| s.summary.to_string()).collect()
}

/// Checks the three properties; returns what is wrong, or nothing.
pub(crate) fn rule_plan_problems(s: &Scenario) -> Vec<String> {
    let report = validate(s);
    let plan = &report.plan;
    let target = match plan.apply(s) {
        Ok(t) => t,
        Err(e) => return vec![format!("the plan's edits do not apply: {e}")],
    };
    let after: Report = validate(&target);
    let mut problems = Vec::new();
    let manual = plan.by_hand().next().is_some();
    for f in &after.findings {
        if f.severity == Severity::Info {
            continue;
        }
        if !(manual && NEEDS_A_CERTIFICATE.contains(&f.id)) {
            problems.push(format!(
                "1: the target still has {} {} ({}){}",
                f.severity.as_str(),
                f.id,
                f.message,
                if manual {
                    ""
                } else {
                    " and the plan has no step by hand"
                }
            ));
        }
    }
    let hybrid = after
        .facts
        .hybrid_connector
        .and_then(|i| target.inbound_connectors.get(i));
    match (after.hcw(), hybrid) {
        (Some(h), Some(c))
            if h.warning.is_none()
                && c.tscn_text() != Some(h.tls_sender_certificate_name.as_str()) =>
        {
            problems.push(format!(
                "2: HCW writes {} but the target has {:?}",
                h.tls_sender_certificate_name,
                c.tscn_text()
            ));
        }
        (Some(h), Some(_)) if h.warning.is_none() => {}
        (Some(h), _) if h.warning.is_some() && !manual => {
            problems.push(format!("2: HCW still warns: {:?}", h.warning));
        }
        (Some(_), None) => problems.push("2: the target has no connector HCW manages".into()),
        _ => {}
    }
    if !after.plan.is_done() {
        let left: Vec<&str> = after.plan.changes().map(|s| s.summary.as_str()).collect();
        problems.push(format!("3: the target's plan is not empty: {left:?}"));
    }
    if by_hand(&after.plan) != by_hand(plan) {
        problems.push(format!(
            "3: steps by hand differ: {:?} then {:?}",
            by_hand(plan),
            by_hand(&after.plan)
        ));
    }
    problems
}

#[derive(Debug, Clone, Copy)]
enum DomainState {
    Verified,
    Pending,
    Absent,
}

#[derive(Debug, Clone, Copy)]
enum TscnKind {
    Absent,
    Host,
    Parent,
    Grandparent,
    Wrong,
    Invalid,
}

#[derive(Debug, Clone, Copy)]
enum ConnectorKind {
    Absent,
    IpOnly,
    Disabled,
    Partner,
    AsHcwMakesIt,
}

fn with_state(b: Build, d: &str, state: DomainState) -> Build {
    match state {
        DomainState::Verified => b.domain(d),
        DomainState::Pending => b.pending(d),
        DomainState::Absent => b,
    }
}

/// The generated space: every combination, each a named scenario.
fn space() -> Vec<(String, Scenario)> {
    use ConnectorKind as C;
    use DomainState::*;
    use TscnKind as T;
    // (CN, extra SANs): depth 1 to 3, wildcards, other names beside the CN.
    let certificates: &[(&str, &[&str])] = &[
        ("contoso.com", &[]),
        ("mail.contoso.com", &[]),
        ("mail.contoso.com", &["autodiscover.contoso.com"]),
        ("*.contoso.com", &[]),
        ("host.sub.contoso.com", &[]),
        ("host.sub.contoso.com", &["autodiscover.contoso.com"]),
        ("*.sub.contoso.com", &["sub.contoso.com"]),
        ("mail.fabrikam.net", &["mail.contoso.com"]),
    ];
    let states = [Verified, Pending, Absent];
    let tscns = [
        T::Absent,
        T::Host,
        T::Parent,
        T::Grandparent,
        T::Wrong,
        T::Invalid,
    ];
    let connectors = [
        C::Absent,
        C::IpOnly,
        C::Disabled,
        C::Partner,
        C::AsHcwMakesIt,
    ];
    let mut out = Vec::new();
    for (cn, sans) in certificates {
        let names: Vec<&str> = std::iter::once(*cn).chain(sans.iter().copied()).collect();
        let cert = cert(cn, &names);
        let base = cn.trim_start_matches("*.");
        let parent = base.split_once('.').map(|(_, p)| p).unwrap_or(base);
        let grandparent = parent.split_once('.').map(|(_, p)| p).unwrap_or(parent);
        for root in states {
            for sub in states {
                for tscn in tscns {
                    for connector in connectors {
                        let mut b = Build::new().domain("contoso.onmicrosoft.com");
                        b = with_state(b, "contoso.com", root);
                        b = with_state(b, "sub.contoso.com", sub);
                        b = b.cert(cert.clone()).fqdn("mail.contoso.com");
                        let value = match tscn {
                            T::Absent => None,
                            T::Host => Some(cn.to_string()),
                            T::Parent => Some(format!("*.{parent}")),
                            T::Grandparent => Some(format!("*.{grandparent}")),
                            T::Wrong => Some("*.fabrikam.com".to_string()),
                            T::Invalid => Some("mail.*.com".to_string()),
                        };
                        let mut c = InboundConnector::new("Inbound from 5b1f8c2e-contoso");
                        c.tls_sender_certificate_name = value;
                        match connector {
                            C::Absent => {}
                            C::IpOnly => {
                                c.tls_sender_certificate_name = None;
                                c.sender_ip_addresses = vec!["203.0.113.10".parse().unwrap()];
                                b = b.connector(c);
                            }
                            C::Disabled => b = b.connector(disabled(c)),
                            C::Partner => b = b.connector(partner(c)),
                            C::AsHcwMakesIt => b = b.connector(c),
                        }
                        out.push((
                            format!("{cn} {sans:?} contoso.com={root:?} sub={sub:?} tscn={tscn:?} connector={connector:?}"),
                            b.ip("203.0.113.10").build(),
                        ));
                    }
                }
            }
        }
    }
    out
}

#[test]
fn rule_plan_holds_on_the_generated_space() {
    let space = space();
    assert!(space.len() >= 500, "{} scenarios", space.len());
    let mut failures = Vec::new();
    for (name, s) in &space {
        let problems = rule_plan_problems(s);
        if !problems.is_empty() {
            failures.push(format!("{name}:\n    {}", problems.join("\n    ")));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} scenarios break rule PLAN:\n{}",
        failures.len(),
        space.len(),
        failures
            .iter()
            .take(15)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn rule_plan_holds_for_scenarios_that_need_a_new_certificate() {
    // Self-signed, expired, weak: the plan says so by hand and still converges.
    for (name, c) in [
        ("self-signed", self_signed("mail.contoso.com")),
        (
            "expired",
            cert_valid("mail.contoso.com", now() - days(400), now() - days(2)),
        ),
        (
            "weak key",
            rsa_cert("mail.contoso.com", relaycheck::lab::LabKey::Rsa1024),
        ),
    ] {
        let s = Build::new()
            .default_domain("contoso.com")
            .cert(c)
            .connector(ip_connector("Inbound from on-premises", &["203.0.113.10"]))
            .ip("203.0.113.10")
            .build();
        let problems = rule_plan_problems(&s);
        assert!(problems.is_empty(), "{name}: {problems:#?}");
        let plan = validate(&s).plan;
        assert!(plan.by_hand().next().is_some(), "{name}: no step by hand");
        // Without a certificate that authenticates, the IP fallback stays.
        let target = plan.apply(&s).unwrap();
        assert!(
            !target.inbound_connectors[0].sender_ip_addresses.is_empty(),
            "{name}: the plan removed the IP fallback that still relays"
        );
    }
}

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/examples")
}

#[test]
fn rule_plan_holds_for_every_example() {
    let mut n = 0;
    for e in std::fs::read_dir(examples()).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_none_or(|x| x != "yaml") {
            continue;
        }
        let s = relaycheck::scenario::load(&p, None, now()).unwrap().1;
        let problems = rule_plan_problems(&s);
        assert!(problems.is_empty(), "{}: {problems:#?}", p.display());
        n += 1;
    }
    assert!(n >= 6);
}

#[test]
fn rule_plan_holds_for_every_lesson_at_its_start_and_after_its_solution() {
    let lessons = relaycheck::training::all_builtin(now()).unwrap();
    assert!(lessons.len() >= 9);
    for l in &lessons {
        let problems = rule_plan_problems(&l.scenario);
        assert!(problems.is_empty(), "{} start: {problems:#?}", l.id);
        let mut solved = l.scenario.clone();
        relaycheck::model::edit::apply_all(&mut solved, &l.lesson.solution).unwrap();
        let problems = rule_plan_problems(&solved);
        assert!(problems.is_empty(), "{} solved: {problems:#?}", l.id);
        // The plan's target meets the lesson's objective: the plan is an answer.
        let target = validate(&l.scenario).plan.apply(&l.scenario).unwrap();
        assert!(
            l.lesson.objective.is_met(&validate(&target)),
            "{}: the plan's target does not meet the objective",
            l.id
        );
    }
}

#[test]
fn the_demo_fixed_step_by_step_ends_where_the_plan_leads() {
    let now = now();
    let (_, demo) = relaycheck::tui::demo::load(now).unwrap();
    let report = relaycheck::validate(&demo, now);
    let target = report.plan.apply(&demo).unwrap();
    let after = relaycheck::validate(&target, now);
    assert_eq!(
        after.verdict,
        relaycheck::report::Verdict::Pass,
        "{:#?}",
        after.findings
    );
    assert_eq!(
        after.hcw().map(|h| h.tls_sender_certificate_name.as_str()),
        Some("*.subdomain.contoso.com")
    );
    // The one-key fixes, taken finding by finding, reach the same configuration.
    let mut s = demo.clone();
    for _ in 0..10 {
        let r = relaycheck::validate(&s, now);
        let Some(f) = r
            .findings
            .iter()
            .find(|f| f.severity != Severity::Info && !r.one_key_fix(f).edits.is_empty())
        else {
            break;
        };
        relaycheck::model::edit::apply_all(&mut s, &r.one_key_fix(f).edits).unwrap();
    }
    assert_eq!(
        relaycheck::validate(&s, now).verdict,
        relaycheck::report::Verdict::Pass
    );
    assert_eq!(s.tenant, target.tenant);
    assert_eq!(s.inbound_connectors, target.inbound_connectors);
}

#[test]
fn a_one_key_fix_takes_the_domain_it_needs_along() {
    // Step 3's fix on the demo adds subdomain.contoso.com first, then sets what HCW writes:
    // never *.contoso.com, which the next HCW run would undo.
    let (_, demo) = relaycheck::tui::demo::load(now()).unwrap();
    let r = validate(&demo);
    let f = one(&r, "connector-domain-not-accepted");
    let fix = r.one_key_fix(f);
    assert_eq!(
        fix.edits,
        vec![
            relaycheck::model::Edit::AddDomain(dns("subdomain.contoso.com")),
            relaycheck::model::Edit::SetTlsSenderCertificateName {
                connector: Some("Inbound from 5b1f8c2e-contoso".into()),
                value: Some("*.subdomain.contoso.com".into()),
            },
        ]
    );
    assert!(f.fix.contains("works until HCW runs again"), "{}", f.fix);
    let _ = AcceptedDomain::new(dns("contoso.com"));
}
