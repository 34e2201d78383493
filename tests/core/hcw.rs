//! Rule HCW-TSCN (domain-rules.md section 3): which certificate name HCW reads, the
//! TlsSenderCertificateName it writes, and when it warns HCW8103.

use std::sync::Arc;

use crate::rulekit::*;
use relaycheck::cert::CertFacts;
use relaycheck::checks::{Severity, Step};
use relaycheck::hcw::HcwCase;
use relaycheck::plan::FixAction;
use relaycheck::relay::{Outcome, REPLY_ATTR36};

fn hcw8103(cn: &str) -> String {
    format!(
        "HCW8103 The certificate provided ({cn}) does not match a verified domain inside the Office 365 tenant."
    )
}

struct Row {
    name: &'static str,
    tenant: Build,
    cert: Arc<CertFacts>,
    /// The name HCW reads.
    reads: &'static str,
    case: HcwCase,
    /// The TlsSenderCertificateName HCW writes.
    writes: &'static str,
}

fn row(
    name: &'static str,
    tenant: Build,
    cert: Arc<CertFacts>,
    reads: &'static str,
    case: HcwCase,
    writes: &'static str,
) -> Row {
    Row {
        name,
        tenant,
        cert,
        reads,
        case,
        writes,
    }
}

fn contoso() -> Build {
    Build::new()
        .default_domain("contoso.com")
        .domain("contoso.onmicrosoft.com")
}

fn onmicrosoft() -> Build {
    Build::new().default_domain("contoso.onmicrosoft.com")
}

fn host(cn: &str) -> Arc<CertFacts> {
    cert(cn, &[cn])
}

/// The table: every case of rule HCW-TSCN, the seed cases first.
fn rows() -> Vec<Row> {
    use HcwCase::*;
    vec![
        // Seed 000, first cause.
        row(
            "seed 000: CN=contoso.com, contoso.com added but not verified",
            onmicrosoft().pending("contoso.com"),
            host("contoso.com"),
            "contoso.com",
            NotAccepted,
            "contoso.com",
        ),
        row(
            "CN=contoso.com, contoso.com not in the tenant",
            onmicrosoft(),
            host("contoso.com"),
            "contoso.com",
            NotAccepted,
            "contoso.com",
        ),
        // Seed 000, second cause.
        row(
            "seed 000: CN=hostname.contoso.com, contoso.com not accepted",
            onmicrosoft().domain("adatum.com"),
            host("hostname.contoso.com"),
            "hostname.contoso.com",
            NotAccepted,
            "hostname.contoso.com",
        ),
        // Seed 000, the third example: grandparents never count.
        row(
            "seed 000: CN=hostname.subdomain.contoso.com with only contoso.com",
            contoso(),
            host("hostname.subdomain.contoso.com"),
            "hostname.subdomain.contoso.com",
            NotAccepted,
            "hostname.subdomain.contoso.com",
        ),
        row(
            "seed 000 after its fix: subdomain.contoso.com added and verified",
            contoso().domain("subdomain.contoso.com"),
            host("hostname.subdomain.contoso.com"),
            "hostname.subdomain.contoso.com",
            ParentAccepted,
            "*.subdomain.contoso.com",
        ),
        // The real HCW log.
        row(
            "HCW log: CN=mail.canadadrey.ca with canadadrey.ca accepted",
            Build::new().default_domain("canadadrey.ca"),
            host("mail.canadadrey.ca"),
            "mail.canadadrey.ca",
            ParentAccepted,
            "*.canadadrey.ca",
        ),
        row(
            "case 1: CN=contoso.com verified",
            contoso(),
            host("contoso.com"),
            "contoso.com",
            NameAccepted,
            "contoso.com",
        ),
        row(
            "case 1 before case 2: the host itself is a verified accepted domain",
            contoso().domain("mail.contoso.com"),
            host("mail.contoso.com"),
            "mail.contoso.com",
            NameAccepted,
            "mail.contoso.com",
        ),
        row(
            "case 1: wildcard CN *.contoso.com, base contoso.com verified",
            contoso(),
            host("*.contoso.com"),
            "*.contoso.com",
            NameAccepted,
            "*.contoso.com",
        ),
        row(
            "case 2 never applies to a wildcard CN: *.mail.contoso.com",
            contoso(),
            host("*.mail.contoso.com"),
            "*.mail.contoso.com",
            NotAccepted,
            "*.mail.contoso.com",
        ),
        row(
            "wildcard CN *.contoso.com with contoso.com pending",
            onmicrosoft().pending("contoso.com"),
            host("*.contoso.com"),
            "*.contoso.com",
            NotAccepted,
            "*.contoso.com",
        ),
        row(
            "no CN: HCW reads the first DNS SAN",
            contoso(),
            cert_without_cn(&["mail.contoso.com", "mail.fabrikam.com"]),
            "mail.contoso.com",
            ParentAccepted,
            "*.contoso.com",
        ),
        row(
            "no CN: only the first DNS SAN, even when a later one is accepted",
            contoso(),
            cert_without_cn(&["mail.fabrikam.com", "mail.contoso.com"]),
            "mail.fabrikam.com",
            NotAccepted,
            "mail.fabrikam.com",
        ),
        row(
            "a CN wins over the SANs",
            contoso(),
            cert("hostname.fabrikam.com", &["mail.contoso.com"]),
            "hostname.fabrikam.com",
            NotAccepted,
            "hostname.fabrikam.com",
        ),
        row(
            "an unverified parent does not count (case 2)",
            onmicrosoft().pending("contoso.com"),
            host("mail.contoso.com"),
            "mail.contoso.com",
            NotAccepted,
            "mail.contoso.com",
        ),
        row(
            "an unverified name does not count (case 1), its verified parent does (case 2)",
            contoso().pending("mail.contoso.com"),
            host("mail.contoso.com"),
            "mail.contoso.com",
            ParentAccepted,
            "*.contoso.com",
        ),
        row(
            "only the direct parent: sub.contoso.com pending, contoso.com verified",
            contoso().pending("sub.contoso.com"),
            host("hostname.sub.contoso.com"),
            "hostname.sub.contoso.com",
            NotAccepted,
            "hostname.sub.contoso.com",
        ),
        row(
            "names compare in lower case",
            contoso(),
            cert("Mail.Contoso.COM", &["mail.contoso.com"]),
            "Mail.Contoso.COM",
            ParentAccepted,
            "*.contoso.com",
        ),
        row(
            "one trailing dot is ignored",
            contoso(),
            cert("mail.contoso.com.", &["mail.contoso.com"]),
            "mail.contoso.com",
            ParentAccepted,
            "*.contoso.com",
        ),
    ]
}

/// Every row: the name read, the case, the value written, the warning (exact text) and the
/// findings that go with each case.
#[test]
fn hcw_tscn_table() {
    let mut failures = Vec::new();
    for row in rows() {
        let s = row
            .tenant
            .cert(row.cert.clone())
            .connector(ip_connector("Inbound from on-premises", &["203.0.113.10"]))
            .build();
        let r = validate(&s);
        let Some(h) = &r.hcw() else {
            failures.push(format!("{}: no HCW outcome", row.name));
            continue;
        };
        let mut problems = Vec::new();
        if h.certificate_name != row.reads {
            problems.push(format!(
                "reads {:?}, not {:?}",
                h.certificate_name, row.reads
            ));
        }
        if h.case != row.case {
            problems.push(format!("case {:?}, not {:?}", h.case, row.case));
        }
        if h.tls_sender_certificate_name != row.writes {
            problems.push(format!(
                "writes {:?}, not {:?}",
                h.tls_sender_certificate_name, row.writes
            ));
        }
        let warns = row.case == HcwCase::NotAccepted;
        let expected_warning = warns.then(|| hcw8103(row.reads));
        if h.warning != expected_warning {
            problems.push(format!("warning {:?}, not {expected_warning:?}", h.warning));
        }
        let not_accepted = with_id(&r, "cert-name-not-accepted");
        let parent_note = with_id(&r, "cert-name-parent-accepted");
        match row.case {
            HcwCase::NotAccepted => {
                let ok = not_accepted.len() == 1
                    && not_accepted[0].severity == Severity::Warning
                    && not_accepted[0].step == Step::Domains
                    && expected_warning.as_deref() == Some(not_accepted[0].message.as_str());
                if !ok {
                    problems.push(
                        "no single cert-name-not-accepted warning with the HCW8103 text".into(),
                    );
                }
                if !parent_note.is_empty() {
                    problems.push("case 3 with a case 2 note".into());
                }
            }
            HcwCase::ParentAccepted => {
                let ok = parent_note.len() == 1
                    && parent_note[0].severity == Severity::Info
                    && parent_note[0].step == Step::Domains
                    && parent_note[0].message.contains(row.writes);
                if !ok {
                    problems
                        .push("no single cert-name-parent-accepted note naming the TSCN".into());
                }
                if !not_accepted.is_empty() {
                    problems.push("case 2 warns".into());
                }
            }
            HcwCase::NameAccepted => {
                if !not_accepted.is_empty() || !parent_note.is_empty() {
                    problems.push("case 1 with a warning or note".into());
                }
            }
        }
        if !problems.is_empty() {
            failures.push(format!(
                "{}: {}\n    {:#?}",
                row.name,
                problems.join("; "),
                summary(&r)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Seed 000: "If the certificate subject name is hostname.subdomain.contoso.com, you have to
/// add only subdomain.contoso.com."
#[test]
fn two_levels_down_fix_adds_only_the_parent() {
    let r = validate(
        &contoso()
            .cert(host("hostname.subdomain.contoso.com"))
            .build(),
    );
    let f = one(&r, "cert-name-not-accepted");
    assert_eq!(
        f.actions[0],
        FixAction::AddDomain {
            domain: relaycheck::names::DnsName::parse("subdomain.contoso.com").unwrap()
        }
    );
    assert!(
        f.fix.contains("New-MgDomain -Id \"subdomain.contoso.com\""),
        "{}",
        f.fix
    );
    assert!(!f.fix.contains("-Id \"contoso.com\""), "{}", f.fix);
    // The other fix of seed 000: a certificate under an accepted domain.
    assert!(f.fix.contains("reissued"), "{}", f.fix);
    assert!(f.fix.contains("mail.contoso.com"), "{}", f.fix);
}

#[test]
fn apex_not_verified_fix_verifies_it() {
    let r = validate(
        &onmicrosoft()
            .pending("contoso.com")
            .cert(host("contoso.com"))
            .build(),
    );
    let f = one(&r, "cert-name-not-accepted");
    assert_eq!(
        f.actions[0],
        FixAction::VerifyDomain {
            domain: relaycheck::names::DnsName::parse("contoso.com").unwrap()
        }
    );
}

#[test]
fn host_under_unaccepted_domain_fix_adds_the_domain() {
    let r = validate(&onmicrosoft().cert(host("hostname.contoso.com")).build());
    let f = one(&r, "cert-name-not-accepted");
    assert_eq!(
        f.actions[0],
        FixAction::AddDomain {
            domain: relaycheck::names::DnsName::parse("contoso.com").unwrap()
        }
    );
}

/// Without a CN and without a DNS SAN, HCW has nothing to read.
#[test]
fn no_name_gives_no_hcw_outcome() {
    let r = validate(
        &contoso()
            .cert(lab_cert(&spec(None, &[]), KeyWith::Nothing))
            .build(),
    );
    assert_eq!(r.hcw(), None);
    assert!(with_id(&r, "cert-name-not-accepted").is_empty());
}

/// Section 3, case 3: HCW writes the CN anyway, "and relay of NDRs, forwarded mail and
/// foreign senders will fail with ATTR36"; in case 2 what HCW writes relays them.
#[test]
fn what_hcw_writes_decides_ndr_relay() {
    for (tenant, cn, ndr) in [
        (
            contoso(),
            "hostname.subdomain.contoso.com",
            Outcome::Rejected,
        ),
        (contoso(), "mail.contoso.com", Outcome::Relayed),
        (
            Build::new().default_domain("canadadrey.ca"),
            "mail.canadadrey.ca",
            Outcome::Relayed,
        ),
    ] {
        let c = host(cn);
        let first = validate(&tenant.clone().cert(c.clone()).build());
        let written = first.hcw().unwrap().tls_sender_certificate_name.clone();
        let after_hcw = validate(
            &tenant
                .cert(c)
                .connector(tscn_connector("Inbound from 5b1f8c2e-contoso", &written))
                .build(),
        );
        let m = flow(&after_hcw, "NDR to an external sender");
        assert_eq!(m.outcome, ndr, "{cn} → TSCN {written}: {m:#?}");
        if ndr == Outcome::Rejected {
            assert_eq!(m.reply, REPLY_ATTR36);
        }
        assert!(
            with_id(&after_hcw, "connector-hcw-drift").is_empty(),
            "the connector is what HCW writes"
        );
    }
}
