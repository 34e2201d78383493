//! Exchange Online as it behaves in 2026 (docs/checks.md; domain-rules §7 and §10): the
//! revised rule RELAY (Direct Send, Partner connectors, only valid SenderIPAddresses match)
//! with its exact replies, and a table per new check id, each with cases that fire and
//! cases that must not.

use crate::rulekit::*;
use relaycheck::checks::{Severity, Step};
use relaycheck::relay::{DecidedBy, MatchedBy, Outcome, REPLY_DIRECT_SEND, REPLY_QUEUED};

const CN: &str = "mail.contoso.com";
const IP: &str = "203.0.113.10";
const TENANT_ATTRIBUTION: &str = "550 5.7.64 TenantAttribution; Relay Access Denied";
const ATTR36: &str = "550 5.7.64 Relay Access Denied ATTR36. For more details please refer to: https://support.microsoft.com/kb/3169958";
const DIRECT_SEND: &str = "550 5.7.68 TenantInboundAttribution; Direct Send not allowed for this organization from unauthorized sources";

fn tenant() -> Build {
    Build::new()
        .default_domain("contoso.com")
        .domain("contoso.onmicrosoft.com")
        .cert(cert(CN, &[CN]))
}

/// (name, scenario, MAIL FROM, RCPT TO, outcome, reply, matched by, decided by)
type Row = (
    &'static str,
    Build,
    &'static str,
    &'static str,
    Outcome,
    &'static str,
    MatchedBy,
    DecidedBy,
);

fn run_rows(rows: Vec<Row>) {
    let mut failures = Vec::new();
    for (name, b, from, to, outcome, reply, matched, decided) in rows {
        let r = validate(&b.message("m", from, to).build());
        let m = &r.mail_flow[0];
        let got = (m.outcome, m.reply.as_str(), m.matched_by, m.decided_by);
        if got != (outcome, reply, matched, decided) {
            failures.push(format!(
                "{name}: got {got:?}, want {:?}\n    {}",
                (outcome, reply, matched, decided),
                m.explanation
            ));
        }
        if m.explanation.is_empty() || m.explanation.matches(". ").count() > 3 {
            failures.push(format!(
                "{name}: the explanation is not one short paragraph"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn relay_without_a_connector_is_anonymous_mail() {
    use DecidedBy::*;
    use Outcome::*;
    let none = || tenant().ip(IP);
    run_rows(vec![
        (
            "to the tenant's own users: delivered as Direct Send",
            none(),
            "kate@contoso.com",
            "ben@contoso.com",
            Delivered,
            REPLY_QUEUED,
            MatchedBy::None,
            Anonymous,
        ),
        (
            "RejectDirectSend refuses anonymous mail from the tenant's own domain to its users",
            none().reject_direct_send(),
            "kate@contoso.com",
            "ben@contoso.com",
            Rejected,
            DIRECT_SEND,
            MatchedBy::None,
            None,
        ),
        (
            "RejectDirectSend covers the tenant's own domains only: a foreign sender is delivered",
            none().reject_direct_send(),
            "john@fabrikam.com",
            "ben@contoso.com",
            Delivered,
            REPLY_QUEUED,
            MatchedBy::None,
            Anonymous,
        ),
        (
            "an NDR to the tenant under RejectDirectSend: no own domain, delivered",
            none().reject_direct_send(),
            "",
            "ben@contoso.com",
            Delivered,
            REPLY_QUEUED,
            MatchedBy::None,
            Anonymous,
        ),
        (
            "to the Internet: TenantAttribution",
            none(),
            "kate@contoso.com",
            "someone@tailspintoys.com",
            Rejected,
            TENANT_ATTRIBUTION,
            MatchedBy::None,
            None,
        ),
        (
            "to the Internet under RejectDirectSend: still TenantAttribution",
            none().reject_direct_send(),
            "kate@contoso.com",
            "someone@tailspintoys.com",
            Rejected,
            TENANT_ATTRIBUTION,
            MatchedBy::None,
            None,
        ),
    ]);
    assert_eq!(REPLY_DIRECT_SEND, DIRECT_SEND);
}

#[test]
fn relay_through_a_partner_connector_never_relays() {
    use Outcome::*;
    let by_cert = || {
        tenant()
            .connector(partner(tscn_connector("Partner", "*.contoso.com")))
            .ip(IP)
    };
    let by_ip = || {
        tenant()
            .connector(partner(ip_connector("Partner", &[IP])))
            .ip(IP)
    };
    run_rows(vec![
        (
            "matched by certificate, to the tenant: delivered",
            by_cert(),
            "",
            "ben@contoso.com",
            Delivered,
            REPLY_QUEUED,
            MatchedBy::Certificate,
            DecidedBy::RecipientDomain,
        ),
        (
            "matched by certificate, to the Internet: TenantAttribution",
            by_cert(),
            "kate@contoso.com",
            "someone@tailspintoys.com",
            Rejected,
            TENANT_ATTRIBUTION,
            MatchedBy::Certificate,
            DecidedBy::None,
        ),
        (
            "matched by IP, to the Internet: TenantAttribution",
            by_ip(),
            "kate@contoso.com",
            "someone@tailspintoys.com",
            Rejected,
            TENANT_ATTRIBUTION,
            MatchedBy::Ip,
            DecidedBy::None,
        ),
        (
            "an OnPremises connector beside it wins",
            by_ip().connector(tscn_connector("Inbound from on-premises", "*.contoso.com")),
            "",
            "john@fabrikam.com",
            Relayed,
            REPLY_QUEUED,
            MatchedBy::Certificate,
            DecidedBy::Certificate,
        ),
    ]);
    // Without the server's address in the scenario a Partner connector is not assumed to
    // list it (only the server's own OnPremises connector is).
    let r = validate(
        &tenant()
            .connector(partner(ip_connector("Partner", &[IP])))
            .message("m", "kate@contoso.com", "someone@tailspintoys.com")
            .build(),
    );
    assert_eq!(r.mail_flow[0].matched_by, MatchedBy::None);
}

#[test]
fn relay_only_valid_sender_ip_entries_match() {
    use Outcome::*;
    let with = |ips: &[&str], ip: &str| tenant().connector(ip_connector("Inbound", ips)).ip(ip);
    let user = "kate@contoso.com";
    let out = "someone@tailspintoys.com";
    run_rows(vec![
        (
            "a /16 range holds the address but Exchange Online refuses it",
            with(&["203.0.0.0/16"], IP),
            user,
            out,
            Rejected,
            TENANT_ATTRIBUTION,
            MatchedBy::None,
            DecidedBy::None,
        ),
        (
            "an IPv6 range never matches",
            with(&["2001:db8::/32"], "2001:db8::10"),
            user,
            out,
            Rejected,
            TENANT_ATTRIBUTION,
            MatchedBy::None,
            DecidedBy::None,
        ),
        (
            "a /24 range matches",
            with(&["203.0.113.0/24"], IP),
            user,
            out,
            Relayed,
            REPLY_QUEUED,
            MatchedBy::Ip,
            DecidedBy::SenderDomain,
        ),
        (
            "a from-to range matches",
            with(&["203.0.113.1-203.0.113.20"], IP),
            user,
            out,
            Relayed,
            REPLY_QUEUED,
            MatchedBy::Ip,
            DecidedBy::SenderDomain,
        ),
        (
            "an NDR over IP: ATTR36 (unchanged)",
            with(&[IP], IP),
            "",
            out,
            Rejected,
            ATTR36,
            MatchedBy::Ip,
            DecidedBy::None,
        ),
    ]);
    // Without the server's address: only a valid entry lets it be assumed in the list.
    let r = validate(
        &tenant()
            .connector(ip_connector("Inbound", &["10.0.0.0/8"]))
            .message("m", user, out)
            .build(),
    );
    assert_eq!(r.mail_flow[0].matched_by, MatchedBy::None);
}

#[test]
fn connector_ip_invalid() {
    let with = |ips: &[&str]| tenant().connector(ip_connector("Inbound", ips)).build();
    crate::rulekit::run(
        "connector-ip-invalid",
        Step::Connector,
        vec![
            fires(
                "IPv6",
                with(&["2001:db8::/32"]),
                Severity::Error,
                &["\"2001:db8::/32\"", "IPv6 addresses are not supported"],
            ),
            fires(
                "wider than /24",
                with(&["10.0.0.0/16", "203.0.113.10"]),
                Severity::Error,
                &[
                    "\"10.0.0.0/16\"",
                    "Valid subnet mask values are /24 through /32",
                ],
            ),
            fires(
                "not an address",
                with(&["mail.contoso.com"]),
                Severity::Error,
                &["\"mail.contoso.com\""],
            ),
            silent(
                "a /24, a single address and a range",
                with(&["203.0.113.0/24", "198.51.100.7", "192.0.2.1-192.0.2.9"]),
            ),
            silent("no SenderIPAddresses", recommended().build()),
        ],
    );
    // The plan removes what Exchange Online refuses.
    let s = with(&["10.0.0.0/16", "203.0.113.10"]);
    let target = validate(&s).plan.apply(&s).unwrap();
    assert!(
        target.inbound_connectors[0]
            .sender_ip_addresses
            .iter()
            .all(|ip| ip.problem().is_none())
    );
}

#[test]
fn cert_name_foreign_domain() {
    let with_cert = |c| {
        Build::new()
            .default_domain("contoso.com")
            .cert(c)
            .connector(tscn_connector("Inbound from on-premises", "*.contoso.com"))
    };
    crate::rulekit::run(
        "cert-name-foreign-domain",
        Step::Domains,
        vec![
            fires(
                "a SAN under a domain the tenant does not have",
                with_cert(cert(CN, &[CN, "autodiscover.fabrikam.net"])).build(),
                Severity::Warning,
                &[
                    "autodiscover.fabrikam.net",
                    "MC1226222",
                    "\"Inbound from on-premises\"",
                ],
            )
            .fix(&["reissued without autodiscover.fabrikam.net", "fabrikam.net"]),
            fires(
                "a wildcard name counts by its base",
                with_cert(cert(CN, &[CN, "*.fabrikam.net"])).build(),
                Severity::Warning,
                &["*.fabrikam.net"],
            ),
            silent("every name under a verified domain", recommended().build()),
            silent(
                "no certificate-based connector recognises the certificate",
                Build::new()
                    .default_domain("contoso.com")
                    .cert(cert(CN, &[CN, "autodiscover.fabrikam.net"]))
                    .connector(ip_connector("Inbound", &[IP]))
                    .build(),
            ),
        ],
    );
}

#[test]
fn cert_chain_incomplete() {
    let with_cert = |c| {
        Build::new()
            .default_domain("contoso.com")
            .cert(c)
            .connector(tscn_connector("Inbound from on-premises", "*.contoso.com"))
            .build()
    };
    crate::rulekit::run(
        "cert-chain-incomplete",
        Step::Certificate,
        vec![
            fires(
                "the file carries the leaf alone",
                with_cert(generated("{cn: mail.contoso.com, sans: [mail.contoso.com], chain: false}")),
                Severity::Warning,
                &["CN=relaycheck Lab Root CA", "does not fetch them"],
            )
            .fix(&["Install the intermediate certificate(s)"]),
            silent("the chain is in the file", with_cert(cert(CN, &[CN]))),
            silent("self-signed: cert-self-signed says it", with_cert(self_signed(CN))),
            silent(
                "the leaf alone, its issuer a root the scenario trusts",
                Build::new()
                    .default_domain("contoso.com")
                    .cert(generated("{cn: mail.contoso.com, sans: [mail.contoso.com], issuer: internal-ca, chain: false}"))
                    .trust(internal_root())
                    .build(),
            ),
        ],
    );
}

#[test]
fn cert_untrusted_root() {
    let internal =
        || generated("{cn: mail.contoso.com, sans: [mail.contoso.com], issuer: internal-ca}");
    let with_cert = |c| Build::new().default_domain("contoso.com").cert(c);
    crate::rulekit::run(
        "cert-untrusted-root",
        Step::Certificate,
        vec![
            fires(
                "the chain ends at an internal CA",
                with_cert(internal()).build(),
                Severity::Warning,
                &[
                    "CN=Contoso Internal Root CA",
                    "not a public root",
                    "Microsoft's Trusted Root Program",
                ],
            )
            .fix(&["public (third-party) CA", "trusted_roots"]),
            silent(
                "the scenario trusts that root",
                with_cert(internal()).trust(internal_root()).build(),
            ),
            silent(
                "the lab root stands for a public CA",
                with_cert(cert(CN, &[CN])).build(),
            ),
            silent("self-signed leaf", with_cert(self_signed(CN)).build()),
        ],
    );
}

#[test]
fn cert_no_client_auth_eku() {
    let with_cert = |c| recommended().cert(c).build();
    crate::rulekit::run(
        "cert-no-client-auth-eku",
        Step::Certificate,
        vec![
            fires(
                "server authentication only",
                with_cert(generated(
                    "{cn: mail.contoso.com, sans: [mail.contoso.com], client_auth: false}",
                )),
                Severity::Info,
                &[
                    "Server Authentication",
                    "not Client Authentication",
                    "Microsoft has not said whether Exchange Online requires it",
                ],
            ),
            silent(
                "server and client authentication",
                with_cert(cert(CN, &[CN])),
            ),
        ],
    );
    // A note never changes the verdict.
    let r = validate(&with_cert(generated(
        "{cn: mail.contoso.com, sans: [mail.contoso.com, autodiscover.contoso.com], client_auth: false}",
    )));
    assert_eq!(
        r.verdict,
        relaycheck::report::Verdict::Pass,
        "{:#?}",
        summary(&r)
    );
}

#[test]
fn sender_domain_unregistered() {
    crate::rulekit::run(
        "sender-domain-unregistered",
        Step::MailFlow,
        vec![
            fires(
                "mail sent as another domain relays on the certificate path only",
                recommended()
                    .message(
                        "Sales as Fabrikam",
                        "sales@fabrikam.com",
                        "someone@tailspintoys.com",
                    )
                    .build(),
                Severity::Info,
                &["\"Sales as Fabrikam\"", "fabrikam.com", "550 5.7.750"],
            )
            .fix(&["Optional: Add fabrikam.com"]),
            silent(
                "an NDR has no domain",
                recommended()
                    .message("NDR", "", "john@fabrikam.com")
                    .build(),
            ),
            silent(
                "the sender's own verified domain",
                recommended()
                    .message("User", "kate@contoso.com", "someone@tailspintoys.com")
                    .build(),
            ),
            silent(
                "over an IP-only connector it bounces instead",
                tenant()
                    .connector(ip_connector("Inbound", &[IP]))
                    .ip(IP)
                    .message("Sales", "sales@fabrikam.com", "someone@tailspintoys.com")
                    .build(),
            ),
        ],
    );
}

#[test]
fn the_headline_names_mail_to_the_tenants_own_users() {
    let r = validate(
        &tenant()
            .ip(IP)
            .reject_direct_send()
            .message("Kate to Ben", "kate@contoso.com", "ben@contoso.com")
            .build(),
    );
    assert_eq!(
        r.headline(),
        format!(
            "All mail relayed from on-premises will bounce: {}",
            DIRECT_SEND
        )
    );
    let r = validate(
        &tenant()
            .ip(IP)
            .reject_direct_send()
            .message("Kate to Ben", "kate@contoso.com", "ben@contoso.com")
            .message("NDR", "", "john@fabrikam.com")
            .build(),
    );
    assert!(
        r.headline()
            .starts_with("NDRs and mail to the tenant's own users will bounce: 550 5.7.68"),
        "{}",
        r.headline()
    );
}

// ---------------------------------------------------------------------------------------
// The two 2026 lessons: the wrong ways do not complete them
// ---------------------------------------------------------------------------------------

fn lesson(id: &str) -> relaycheck::training::LoadedLesson {
    relaycheck::training::builtin(id, now())
        .expect("a built-in lesson")
        .expect("it loads")
}

fn met_after(l: &relaycheck::training::LoadedLesson, edits: &[relaycheck::model::Edit]) -> bool {
    let mut s = l.scenario.clone();
    relaycheck::model::edit::apply_all(&mut s, edits).expect("the edits apply");
    l.lesson.objective.is_met(&validate(&s))
}

#[test]
fn lesson_10_is_not_met_by_the_new_address_or_by_allowing_direct_send() {
    use relaycheck::model::Edit;
    let l = lesson("10");
    let start = validate(&l.scenario);
    let colleague = flow(&start, "Mail to a colleague in Exchange Online");
    assert_eq!(colleague.reply, DIRECT_SEND);
    assert!(!l.lesson.objective.is_met(&start));
    // The new address: the colleague's mail and the user's mail get through, the NDR not.
    let new_ip = vec![Edit::SetSenderIpAddresses {
        connector: None,
        value: vec!["198.51.100.7".parse().unwrap()],
    }];
    assert!(!met_after(&l, &new_ip));
    // Allowing Direct Send: mail to colleagues arrives, anonymous; the Internet still bounces.
    assert!(!met_after(&l, &[Edit::SetRejectDirectSend(false)]));
    // A certificate identity: the connector claims every message, wherever the server is.
    assert!(met_after(&l, &l.lesson.solution));
}

#[test]
fn lesson_11_starts_at_an_untrusted_root_and_ends_with_only_the_eku_note() {
    let l = lesson("11");
    let start = validate(&l.scenario);
    let untrusted = one(&start, "cert-untrusted-root");
    assert!(
        untrusted.message.contains("Contoso Internal Root CA"),
        "{}",
        untrusted.message
    );
    assert!(!l.lesson.objective.is_met(&start));
    // HCW would not list it: the plan presents the public certificate.
    assert_eq!(
        start.facts.certificates[0],
        Err(relaycheck::facts::NotListed::UntrustedRoot)
    );
    let mut s = l.scenario.clone();
    relaycheck::model::edit::apply_all(&mut s, &l.lesson.solution).unwrap();
    let end = validate(&s);
    assert!(l.lesson.objective.is_met(&end));
    assert_eq!(
        one(&end, "cert-no-client-auth-eku").severity,
        Severity::Info
    );
}
