//! Rule RELAY (domain-rules.md section 7): every outcome, with the exact SMTP replies, and the
//! four default messages.

use crate::rulekit::*;
use relaycheck::relay::{
    DecidedBy, MatchedBy, Outcome, REPLY_ATTR36, REPLY_QUEUED, REPLY_TENANT_ATTRIBUTION,
};
use relaycheck::report::Verdict;

const ATTR36_TEXT: &str = "550 5.7.64 Relay Access Denied ATTR36. For more details please refer to: https://support.microsoft.com/kb/3169958";
const TENANT_ATTRIBUTION_TEXT: &str = "550 5.7.64 TenantAttribution; Relay Access Denied";

const CN: &str = "mail.contoso.com";
const IP: &str = "203.0.113.10";
const OTHER_IP: &str = "198.51.100.7";

/// The replies are the spec's texts, to the letter.
#[test]
fn replies_are_the_spec_texts() {
    assert_eq!(REPLY_ATTR36, ATTR36_TEXT);
    assert_eq!(REPLY_TENANT_ATTRIBUTION, TENANT_ATTRIBUTION_TEXT);
}

fn tenant() -> Build {
    Build::new()
        .default_domain("contoso.com")
        .domain("contoso.onmicrosoft.com")
}

/// contoso.com verified, a valid CA-issued certificate for mail.contoso.com.
fn with_cert() -> Build {
    tenant().cert(cert(CN, &[CN, "autodiscover.contoso.com"]))
}

fn cert_connector() -> relaycheck::model::InboundConnector {
    tscn_connector("Inbound from on-premises", "*.contoso.com")
}

fn ip_only() -> relaycheck::model::InboundConnector {
    ip_connector("Inbound from on-premises", &[IP])
}

/// The certificate path (cert connector, no IP list) plus the scenario's IP.
fn by_certificate() -> Build {
    with_cert().connector(cert_connector()).ip(IP)
}

/// The IP path only.
fn by_ip() -> Build {
    with_cert().connector(ip_only()).ip(IP)
}

struct Want {
    outcome: Outcome,
    matched_by: MatchedBy,
    decided_by: DecidedBy,
    /// The reply, when it does not follow from the outcome (see `run_rows`).
    reply: Option<&'static str>,
}

const REJECTED_NO_CONNECTOR: Want = Want {
    outcome: Outcome::Rejected,
    matched_by: MatchedBy::None,
    decided_by: DecidedBy::None,
    reply: None,
};

fn want(outcome: Outcome, matched_by: MatchedBy, decided_by: DecidedBy) -> Want {
    Want {
        outcome,
        matched_by,
        decided_by,
        reply: None,
    }
}

struct Row {
    name: &'static str,
    scenario: Build,
    mail_from: &'static str,
    rcpt_to: &'static str,
    want: Want,
}

fn row(
    name: &'static str,
    scenario: Build,
    mail_from: &'static str,
    rcpt_to: &'static str,
    want: Want,
) -> Row {
    Row {
        name,
        scenario,
        mail_from,
        rcpt_to,
        want,
    }
}

/// Runs each row as a one-message scenario; the reply follows from the outcome and, for a
/// rejection, from whether a connector was found.
fn run_rows(rows: Vec<Row>) {
    let mut failures = Vec::new();
    for r in rows {
        let s = r.scenario.message("m", r.mail_from, r.rcpt_to).build();
        let report = validate(&s);
        assert_eq!(
            report.mail_flow.len(),
            1,
            "{}: only the given message",
            r.name
        );
        let m = &report.mail_flow[0];
        let reply = match (r.want.reply, r.want.outcome, r.want.matched_by) {
            (Some(reply), _, _) => reply,
            (None, Outcome::Rejected, MatchedBy::None) => TENANT_ATTRIBUTION_TEXT,
            (None, Outcome::Rejected, _) => ATTR36_TEXT,
            (None, _, _) => REPLY_QUEUED,
        };
        let mut problems = Vec::new();
        if m.outcome != r.want.outcome {
            problems.push(format!("outcome {:?}, not {:?}", m.outcome, r.want.outcome));
        }
        if m.reply != reply {
            problems.push(format!("reply {:?}, not {reply:?}", m.reply));
        }
        if m.matched_by != r.want.matched_by {
            problems.push(format!(
                "matched by {:?}, not {:?}",
                m.matched_by, r.want.matched_by
            ));
        }
        if m.decided_by != r.want.decided_by {
            problems.push(format!(
                "decided by {:?}, not {:?}",
                m.decided_by, r.want.decided_by
            ));
        }
        if (m.matched_by == MatchedBy::None) != m.connector.is_none() {
            problems.push(format!(
                "connector {:?} with {:?}",
                m.connector, m.matched_by
            ));
        }
        if report.verdict != Verdict::Fail && m.outcome == Outcome::Rejected {
            problems.push("a rejected message must make the verdict fail".into());
        }
        if !problems.is_empty() {
            failures.push(format!(
                "{}: {}\n    {}",
                r.name,
                problems.join("; "),
                m.explanation
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn tenant_attribution() {
    let n = now();
    let matching_tscn_wrong_ip = |c| {
        tenant()
            .cert(c)
            .connector(ip_connector("Inbound from on-premises", &[IP]).with_tscn("*.contoso.com"))
            .ip(OTHER_IP)
    };
    run_rows(vec![
        row(
            "no inbound connector",
            tenant().cert(cert(CN, &[CN])).ip(IP),
            "user@contoso.com",
            "someone@tailspintoys.com",
            REJECTED_NO_CONNECTOR,
        ),
        row(
            "no inbound connector, to a recipient in the tenant: anonymous Direct Send (2025 rule)",
            tenant().cert(cert(CN, &[CN])).ip(IP),
            "john@fabrikam.com",
            "ben@contoso.com",
            want(Outcome::Delivered, MatchedBy::None, DecidedBy::Anonymous),
        ),
        row(
            "IP connector, the server's IP is not in SenderIPAddresses",
            with_cert().connector(ip_only()).ip(OTHER_IP),
            "user@contoso.com",
            "someone@tailspintoys.com",
            REJECTED_NO_CONNECTOR,
        ),
        row(
            "expired certificate, TSCN would match, IP not listed",
            matching_tscn_wrong_ip(cert_valid(CN, n - days(400), n - days(1))),
            "user@contoso.com",
            "someone@tailspintoys.com",
            REJECTED_NO_CONNECTOR,
        ),
        row(
            "certificate not yet valid, TSCN would match, IP not listed",
            matching_tscn_wrong_ip(cert_valid(CN, n + days(1), n + days(400))),
            "user@contoso.com",
            "someone@tailspintoys.com",
            REJECTED_NO_CONNECTOR,
        ),
        row(
            "self-signed certificate, TSCN would match, IP not listed",
            matching_tscn_wrong_ip(self_signed(CN)),
            "user@contoso.com",
            "someone@tailspintoys.com",
            REJECTED_NO_CONNECTOR,
        ),
        row(
            "control: the same with a valid CA-issued certificate relays",
            matching_tscn_wrong_ip(cert(CN, &[CN])),
            "user@fabrikam.com",
            "someone@tailspintoys.com",
            want(
                Outcome::Relayed,
                MatchedBy::Certificate,
                DecidedBy::Certificate,
            ),
        ),
        row(
            "a disabled connector does not attribute",
            with_cert().connector(disabled(cert_connector())).ip(IP),
            "user@contoso.com",
            "someone@tailspintoys.com",
            REJECTED_NO_CONNECTOR,
        ),
        row(
            "a Partner connector identifies the server but never relays (2026 rule)",
            with_cert()
                .connector(partner(ip_only().with_tscn("*.contoso.com")))
                .ip(IP),
            "user@contoso.com",
            "someone@tailspintoys.com",
            Want {
                outcome: Outcome::Rejected,
                matched_by: MatchedBy::Certificate,
                decided_by: DecidedBy::None,
                reply: Some(TENANT_ATTRIBUTION_TEXT),
            },
        ),
        row(
            "TSCN matches none of the certificate's names, connector has no IPs",
            with_cert()
                .connector(tscn_connector("Inbound from on-premises", "*.fabrikam.com"))
                .ip(IP),
            "user@contoso.com",
            "someone@tailspintoys.com",
            REJECTED_NO_CONNECTOR,
        ),
        row(
            "no certificate, certificate connector only",
            tenant().connector(cert_connector()).ip(IP),
            "user@contoso.com",
            "someone@tailspintoys.com",
            REJECTED_NO_CONNECTOR,
        ),
    ]);
}

#[test]
fn delivered_when_the_recipient_is_in_the_tenant() {
    run_rows(vec![
        row(
            "user to a colleague over IP",
            by_ip(),
            "kate@contoso.com",
            "ben@contoso.com",
            want(
                Outcome::Delivered,
                MatchedBy::Ip,
                DecidedBy::RecipientDomain,
            ),
        ),
        row(
            "NDR (null sender) to a user in the tenant over IP-only",
            by_ip(),
            "",
            "ben@contoso.com",
            want(
                Outcome::Delivered,
                MatchedBy::Ip,
                DecidedBy::RecipientDomain,
            ),
        ),
        row(
            "foreign sender to a user in the tenant over IP-only",
            by_ip(),
            "john@fabrikam.com",
            "ben@contoso.onmicrosoft.com",
            want(
                Outcome::Delivered,
                MatchedBy::Ip,
                DecidedBy::RecipientDomain,
            ),
        ),
        row(
            "NDR to a user in the tenant over the certificate connector",
            by_certificate(),
            "<>",
            "ben@contoso.com",
            want(
                Outcome::Delivered,
                MatchedBy::Certificate,
                DecidedBy::RecipientDomain,
            ),
        ),
        row(
            "a recipient in a pending domain is not in the tenant: relay rules apply",
            by_ip().pending("pending.example.org"),
            "john@fabrikam.com",
            "ben@pending.example.org",
            want(Outcome::Rejected, MatchedBy::Ip, DecidedBy::None),
        ),
        row(
            "a recipient in a subdomain of an accepted domain is not in the tenant",
            by_ip(),
            "john@fabrikam.com",
            "ben@sales.contoso.com",
            want(Outcome::Rejected, MatchedBy::Ip, DecidedBy::None),
        ),
    ]);
}

#[test]
fn relayed_by_certificate() {
    let cert_relay = || {
        want(
            Outcome::Relayed,
            MatchedBy::Certificate,
            DecidedBy::Certificate,
        )
    };
    run_rows(vec![
        row(
            "NDR (null sender)",
            by_certificate(),
            "",
            "john@fabrikam.com",
            cert_relay(),
        ),
        row(
            "mail sent as a domain the tenant does not own",
            by_certificate(),
            "user@fabrikam.com",
            "someone@tailspintoys.com",
            cert_relay(),
        ),
        row(
            "forwarded external mail",
            by_certificate(),
            "john@fabrikam.com",
            "kate@tailspintoys.com",
            cert_relay(),
        ),
        row(
            "the user's own mail goes the certificate way too",
            by_certificate(),
            "kate@contoso.com",
            "someone@tailspintoys.com",
            cert_relay(),
        ),
        row(
            "the certificate path needs no IP match",
            with_cert().connector(cert_connector()).ip(OTHER_IP),
            "",
            "john@fabrikam.com",
            cert_relay(),
        ),
        row(
            "the certificate is tried before the IP list",
            with_cert()
                .connector(ip_connector("By IP", &[IP]))
                .connector(cert_connector())
                .ip(IP),
            "",
            "john@fabrikam.com",
            cert_relay(),
        ),
        row(
            "host TSCN equal to a verified accepted domain: contoso.com",
            tenant()
                .cert(cert("contoso.com", &["contoso.com"]))
                .connector(tscn_connector("Inbound from on-premises", "contoso.com")),
            "",
            "john@fabrikam.com",
            cert_relay(),
        ),
        row(
            "a SAN that is not the CN matches (CN or SAN)",
            with_cert().connector(tscn_connector(
                "Inbound from on-premises",
                "autodiscover.contoso.com",
            )),
            "john@fabrikam.com",
            "kate@tailspintoys.com",
            // autodiscover.contoso.com is not itself an accepted domain: matched, not open.
            want(Outcome::Rejected, MatchedBy::Certificate, DecidedBy::None),
        ),
    ]);
}

#[test]
fn relayed_by_sender_domain_over_ip() {
    run_rows(vec![
        row(
            "user mail from the default domain",
            by_ip(),
            "kate@contoso.com",
            "someone@tailspintoys.com",
            want(Outcome::Relayed, MatchedBy::Ip, DecidedBy::SenderDomain),
        ),
        row(
            "user mail from another verified domain, in other letter case",
            by_ip(),
            "Kate@Contoso.OnMicrosoft.com",
            "someone@tailspintoys.com",
            want(Outcome::Relayed, MatchedBy::Ip, DecidedBy::SenderDomain),
        ),
    ]);
}

#[test]
fn attr36_over_an_ip_only_connector() {
    let attr36 = || want(Outcome::Rejected, MatchedBy::Ip, DecidedBy::None);
    run_rows(vec![
        row(
            "NDR (null sender)",
            by_ip(),
            "",
            "john@fabrikam.com",
            attr36(),
        ),
        row(
            "NDR written <>",
            by_ip(),
            "<>",
            "john@fabrikam.com",
            attr36(),
        ),
        row(
            "foreign sender",
            by_ip(),
            "user@fabrikam.com",
            "someone@tailspintoys.com",
            attr36(),
        ),
        row(
            "forwarded external mail",
            by_ip(),
            "john@fabrikam.com",
            "kate@tailspintoys.com",
            attr36(),
        ),
        row(
            "a subdomain of an accepted domain is not accepted as sender",
            by_ip(),
            "app@sales.contoso.com",
            "someone@tailspintoys.com",
            attr36(),
        ),
        row(
            "a pending accepted domain is not accepted as sender",
            by_ip().pending("fabrikam.com"),
            "user@fabrikam.com",
            "someone@tailspintoys.com",
            attr36(),
        ),
        row(
            "a domain that only ends like an accepted one",
            by_ip(),
            "user@notcontoso.com",
            "someone@tailspintoys.com",
            attr36(),
        ),
    ]);
}

/// The connector matched by certificate, but base(TSCN) is not a verified accepted domain:
/// the certificate path is closed, only an accepted envelope sender relays.
#[test]
fn certificate_match_without_accepted_base() {
    let host_tscn = || {
        with_cert()
            .connector(tscn_connector("Inbound from 5b1f8c2e-contoso", CN))
            .ip(IP)
    };
    let pending_base = || {
        Build::new()
            .default_domain("contoso.onmicrosoft.com")
            .pending("contoso.com")
            .cert(cert(CN, &[CN]))
            .connector(cert_connector())
    };
    run_rows(vec![
        row(
            "host TSCN mail.contoso.com: accepted sender relays",
            host_tscn(),
            "kate@contoso.com",
            "someone@tailspintoys.com",
            want(
                Outcome::Relayed,
                MatchedBy::Certificate,
                DecidedBy::SenderDomain,
            ),
        ),
        row(
            "host TSCN mail.contoso.com: NDR gets ATTR36",
            host_tscn(),
            "",
            "john@fabrikam.com",
            want(Outcome::Rejected, MatchedBy::Certificate, DecidedBy::None),
        ),
        row(
            "host TSCN mail.contoso.com: foreign sender gets ATTR36",
            host_tscn(),
            "user@fabrikam.com",
            "someone@tailspintoys.com",
            want(Outcome::Rejected, MatchedBy::Certificate, DecidedBy::None),
        ),
        row(
            "*.contoso.com while contoso.com is pending: NDR gets ATTR36",
            pending_base(),
            "",
            "john@fabrikam.com",
            want(Outcome::Rejected, MatchedBy::Certificate, DecidedBy::None),
        ),
        row(
            "*.contoso.com while contoso.com is pending: the onmicrosoft sender relays",
            pending_base(),
            "kate@contoso.onmicrosoft.com",
            "someone@tailspintoys.com",
            want(
                Outcome::Relayed,
                MatchedBy::Certificate,
                DecidedBy::SenderDomain,
            ),
        ),
        row(
            "*.contoso.com while contoso.com is pending: a contoso.com sender does not",
            pending_base(),
            "kate@contoso.com",
            "someone@tailspintoys.com",
            want(Outcome::Rejected, MatchedBy::Certificate, DecidedBy::None),
        ),
    ]);
}

#[test]
fn sender_ip_addresses_ranges() {
    let range = |ranges: &[&str], ip: &str| {
        with_cert()
            .connector(ip_connector("Inbound from on-premises", ranges))
            .ip(ip)
    };
    let in_range = || want(Outcome::Relayed, MatchedBy::Ip, DecidedBy::SenderDomain);
    let user = "kate@contoso.com";
    let out = "someone@tailspintoys.com";
    run_rows(vec![
        row(
            "IPv4 /28, first address",
            range(&["203.0.113.0/28"], "203.0.113.0"),
            user,
            out,
            in_range(),
        ),
        row(
            "IPv4 /28, last address",
            range(&["203.0.113.0/28"], "203.0.113.15"),
            user,
            out,
            in_range(),
        ),
        row(
            "IPv4 /28, just outside",
            range(&["203.0.113.0/28"], "203.0.113.16"),
            user,
            out,
            REJECTED_NO_CONNECTOR,
        ),
        row(
            "second entry of the list",
            range(&["192.0.2.1", "203.0.113.0/24"], "203.0.113.200"),
            user,
            out,
            in_range(),
        ),
        row(
            "a single address",
            range(&["203.0.113.10"], "203.0.113.10"),
            user,
            out,
            in_range(),
        ),
        row(
            "a single address, its neighbour",
            range(&["203.0.113.10"], "203.0.113.11"),
            user,
            out,
            REJECTED_NO_CONNECTOR,
        ),
        row(
            "IPv6 /32: Exchange Online does not accept IPv6 entries, so it never matches",
            range(&["2001:db8::/32"], "2001:db8:1::25"),
            user,
            out,
            REJECTED_NO_CONNECTOR,
        ),
        row(
            "IPv6 /32, outside",
            range(&["2001:db8::/32"], "2001:db9::25"),
            user,
            out,
            REJECTED_NO_CONNECTOR,
        ),
        row(
            "an IPv4 server against an IPv6 range",
            range(&["2001:db8::/32"], "203.0.113.10"),
            user,
            out,
            REJECTED_NO_CONNECTOR,
        ),
    ]);
}

/// When the scenario gives no IP, the server is assumed to be in the connector's list.
#[test]
fn no_scenario_ip_is_assumed_in_the_list() {
    run_rows(vec![
        row(
            "IP connector, no scenario IP: attributed by IP",
            with_cert().connector(ip_only()),
            "kate@contoso.com",
            "someone@tailspintoys.com",
            want(Outcome::Relayed, MatchedBy::Ip, DecidedBy::SenderDomain),
        ),
        row(
            "IP connector, no scenario IP: the NDR still gets ATTR36",
            with_cert().connector(ip_only()),
            "",
            "john@fabrikam.com",
            want(Outcome::Rejected, MatchedBy::Ip, DecidedBy::None),
        ),
        row(
            "a connector without SenderIPAddresses has no list to be in",
            tenant().cert(self_signed(CN)).connector(cert_connector()),
            "kate@contoso.com",
            "someone@tailspintoys.com",
            REJECTED_NO_CONNECTOR,
        ),
    ]);
}

/// An expired certificate falls back to the IP path: user mail still relays, NDRs do not.
#[test]
fn expired_certificate_falls_back_to_ip() {
    let n = now();
    let s = || {
        tenant()
            .cert(cert_valid(CN, n - days(400), n - days(1)))
            .connector(ip_only().with_tscn("*.contoso.com"))
            .ip(IP)
    };
    run_rows(vec![
        row(
            "user mail",
            s(),
            "kate@contoso.com",
            "someone@tailspintoys.com",
            want(Outcome::Relayed, MatchedBy::Ip, DecidedBy::SenderDomain),
        ),
        row(
            "NDR",
            s(),
            "",
            "john@fabrikam.com",
            want(Outcome::Rejected, MatchedBy::Ip, DecidedBy::None),
        ),
    ]);
}

/// Only P1 MAIL FROM counts; the From header (P2) is ignored since 2023-11-01. A message in
/// a scenario has no P2 at all: a `from:` key is refused rather than silently ignored, and a
/// foreign envelope sender is refused even when the user's own domain would be in P2.
#[test]
fn only_the_envelope_sender_counts() {
    let yaml = "tenant:\n  accepted_domains:\n    - domain: contoso.com\nmessages:\n  - mail_from: bounce@fabrikam.com\n    from: kate@contoso.com\n    rcpt_to: someone@tailspintoys.com\n";
    let e = relaycheck::scenario::parse(std::path::Path::new("p2.yaml"), yaml).unwrap_err();
    assert!(e.message.contains("unknown field `from`"), "{e}");

    let r = validate(
        &by_ip()
            .message(
                "Newsletter by kate@contoso.com (P2) via a fabrikam.com envelope",
                "bounce@fabrikam.com",
                "someone@tailspintoys.com",
            )
            .message(
                "Kate's mail (P1 contoso.com)",
                "kate@contoso.com",
                "someone@tailspintoys.com",
            )
            .build(),
    );
    assert_eq!(r.mail_flow[0].outcome, Outcome::Rejected);
    assert_eq!(r.mail_flow[0].reply, ATTR36_TEXT);
    assert_eq!(r.mail_flow[1].outcome, Outcome::Relayed);
    assert_eq!(r.mail_flow[1].decided_by, DecidedBy::SenderDomain);
}

// ---------------------------------------------------------------------------------------
// The four default messages
// ---------------------------------------------------------------------------------------

const DEFAULT_NAMES: [&str; 4] = [
    "User mail to the Internet",
    "NDR to an external sender",
    "Mail sent as a domain the tenant does not own",
    "Forwarded external mail",
];

fn defaults_for(b: Build) -> Vec<(String, String, String)> {
    let r = validate(&b.connector(ip_only()).build());
    r.mail_flow
        .iter()
        .map(|m| (m.name.to_string(), m.mail_from.clone(), m.rcpt_to.clone()))
        .collect()
}

fn expected_defaults(d: &str) -> Vec<(String, String, String)> {
    let rows = [
        (
            DEFAULT_NAMES[0],
            format!("user@{d}"),
            "someone@tailspintoys.com",
        ),
        (DEFAULT_NAMES[1], String::new(), "john@fabrikam.com"),
        (
            DEFAULT_NAMES[2],
            "user@fabrikam.com".into(),
            "someone@tailspintoys.com",
        ),
        (
            DEFAULT_NAMES[3],
            "john@fabrikam.com".into(),
            "kate@tailspintoys.com",
        ),
    ];
    rows.into_iter()
        .map(|(n, f, t)| (n.to_string(), f, t.to_string()))
        .collect()
}

#[test]
fn four_default_messages_from_the_default_verified_domain() {
    let cases = [
        (
            "the verified domain marked default",
            Build::new()
                .domain("contoso.onmicrosoft.com")
                .default_domain("contoso.com"),
            "contoso.com",
        ),
        (
            "never the initial onmicrosoft.com domain while another is verified (§7, 2026)",
            Build::new()
                .default_domain("contoso.onmicrosoft.com")
                .domain("contoso.com"),
            "contoso.com",
        ),
        (
            "the onmicrosoft.com domain when it is the only verified one",
            Build::new()
                .default_domain("contoso.onmicrosoft.com")
                .pending("contoso.com"),
            "contoso.onmicrosoft.com",
        ),
        (
            "a pending default does not count: the first verified domain",
            Build::new()
                .pending("pending.example.org")
                .domain("fabrikam.com")
                .domain("contoso.com")
                .accepted(relaycheck::model::AcceptedDomain {
                    default: true,
                    verified: false,
                    ..relaycheck::model::AcceptedDomain::new(dns("adatum.com"))
                }),
            "fabrikam.com",
        ),
        (
            "no default marked: the first verified domain",
            Build::new()
                .pending("pending.example.org")
                .domain("contoso.com")
                .domain("fabrikam.com"),
            "contoso.com",
        ),
    ];
    for (name, tenant, d) in cases {
        assert_eq!(defaults_for(tenant), expected_defaults(d), "{name}");
    }
}

/// Seed 002's scenarios over an IP-only connector: only the user's own mail relays.
#[test]
fn default_messages_over_ip_only_follow_seed_002() {
    let r = validate(&by_ip().build());
    let outcomes: Vec<(&str, Outcome, &str)> = r
        .mail_flow
        .iter()
        .map(|m| (m.name.as_str(), m.outcome, m.reply.as_str()))
        .collect();
    assert_eq!(
        outcomes,
        vec![
            (DEFAULT_NAMES[0], Outcome::Relayed, REPLY_QUEUED),
            (DEFAULT_NAMES[1], Outcome::Rejected, ATTR36_TEXT),
            (DEFAULT_NAMES[2], Outcome::Rejected, ATTR36_TEXT),
            (DEFAULT_NAMES[3], Outcome::Rejected, ATTR36_TEXT),
        ]
    );
    assert_eq!(r.verdict, Verdict::Fail);
    // Over the certificate connector, all four relay.
    let r = validate(&by_certificate().build());
    assert!(
        r.mail_flow.iter().all(|m| m.outcome == Outcome::Relayed),
        "{:#?}",
        r.mail_flow
    );
}

/// Messages given in the scenario replace the defaults; they are not added to them.
#[test]
fn given_messages_replace_the_defaults() {
    let r = validate(
        &by_ip()
            .message("Only this", "kate@contoso.com", "ben@contoso.com")
            .build(),
    );
    assert_eq!(r.mail_flow.len(), 1);
    assert_eq!(r.mail_flow[0].name, "Only this");
    assert_eq!(r.mail_flow[0].outcome, Outcome::Delivered);
}

/// A message without a name is shown as `sender → recipient`, `<>` for the null sender.
#[test]
fn unnamed_message_title() {
    let mut s = by_ip().build();
    s.messages.push(relaycheck::model::Message {
        name: None,
        kind: relaycheck::model::MessageKind::Ndr,
        mail_from: relaycheck::model::MailFrom::parse("").unwrap(),
        rcpt_to: relaycheck::names::EmailAddress::parse("john@fabrikam.com").unwrap(),
    });
    let r = validate(&s);
    assert_eq!(r.mail_flow[0].name, "<> → john@fabrikam.com");
    assert_eq!(r.mail_flow[0].mail_from, "");
}

/// Adds a TlsSenderCertificateName to a connector (table helper).
trait WithTscn {
    fn with_tscn(self, tscn: &str) -> Self;
}

impl WithTscn for relaycheck::model::InboundConnector {
    fn with_tscn(mut self, tscn: &str) -> Self {
        self.tls_sender_certificate_name = Some(tscn.to_string());
        self
    }
}
