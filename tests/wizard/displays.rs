//! What the pages show of the core's newer facts, each value from the Report: the Summary's
//! inventory, the chain and EKU on step 1 and what the on-premises side holds, the tenant's
//! RejectDirectSend on step 2, refused SenderIPAddresses on step 3, Direct Send on step 4.

use crate::kit::{self, keys};

/// The Summary scrolled until `text` is in view (or the end), as the screen shows it.
fn summary_until(a: &mut relaycheck::tui::app::App, text: &str) -> String {
    keys(a, "5");
    let mut s = kit::screen(a, 120, 40);
    for _ in 0..200 {
        if s.contains(text) {
            break;
        }
        keys(a, "j");
        s = kit::screen(a, 120, 40);
    }
    s
}

#[test]
fn the_summary_shows_what_was_checked_and_follows_edits() {
    let mut a = kit::two_levels();
    let s = summary_until(&mut a, "What was checked");
    assert!(s.contains("What was checked"), "{s}");
    assert!(
        s.contains("scenario: assets/examples/seed000-host-two-levels-down.yaml"),
        "{s}"
    );
    assert!(
        s.contains("Accepted domains (2, 0 pending verification):"),
        "{s}"
    );
    keys(&mut a, "2avanity.example\n");
    assert!(a.scenario.tenant.get("vanity.example").is_some());
    keys(&mut a, "jjjv");
    let s = summary_until(&mut a, "vanity.example (");
    assert!(
        s.contains("vanity.example (pending verification, Authoritative)"),
        "{s}"
    );
}

/// A wizard on a scenario written to `dir` (certificates copied beside it).
pub fn app_in(dir: &std::path::Path, yaml: &str) -> relaycheck::tui::app::App {
    let certs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/examples/certs");
    for f in ["mail-contoso.pem", "smtp-fabrikam.pem", "lab-ca.pem"] {
        std::fs::copy(certs.join(f), dir.join(f)).unwrap();
    }
    let path = dir.join("s.yaml");
    std::fs::write(&path, yaml).unwrap();
    let now = crate::support::now();
    let generate = |g: &relaycheck::model::GenerateSpec| relaycheck::lab::generate_facts(g, now);
    let (_, scenario) =
        relaycheck::scenario::load(&path, Some(&generate), now).expect("the scenario loads");
    let origin = relaycheck::tui::app::Origin {
        path: Some(path.clone()),
        label: "s.yaml".into(),
        inputs: vec![path],
        lesson: None,
        input_lines: Vec::new(),
        notes: Vec::new(),
    };
    relaycheck::tui::app::App::new(
        scenario,
        origin,
        now,
        relaycheck::tui::theme::Theme::new(relaycheck::tui::theme::ThemeName::Mono),
    )
}

/// Rows joined without their borders' breaks: a value wrapped in a pane reads whole.
fn flat(screen: &str) -> String {
    screen
        .lines()
        .map(|l| l.split('│').nth(2).unwrap_or(l))
        .flat_map(str::split_whitespace)
        .collect::<Vec<_>>()
        .join(" ")
}

pub const ONPREM: &str = r#"version: 1
tenant:
  accepted_domains:
    - domain: contoso.com
      default: true
certificates:
  - file: mail-contoso.pem
  - generate:
      cn: relay.contoso.com
      issuer: self
      client_auth: false
trusted_roots: [lab-ca.pem]
inbound_connectors:
  - name: Inbound from on-premises
    tls_sender_certificate_name: "*.contoso.com"
    sender_ip_addresses: [203.0.113.10, 10.0.0.0/16]
on_premises:
  organization_fqdn: mail.contoso.com
  send_connectors:
    - name: Outbound to Office 365
      smart_hosts: [contoso-com.mail.protection.outlook.com]
      dns_routing_enabled: false
      tls_certificate_name: "<I>CN=relaycheck Lab Root CA, O=relaycheck training lab<S>CN=mail.contoso.com, O=relaycheck training lab"
      source_transport_servers: [EX01, EX02]
  servers:
    - name: EX01
      certificates: [mail-contoso.pem]
    - name: EX02
      certificates: [smtp-fabrikam.pem]
"#;

#[test]
fn step_1_shows_the_chain_the_eku_and_what_the_servers_hold() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = app_in(dir.path(), ONPREM);
    assert_eq!(
        a.report.facts.onprem.not_listed_because(0),
        vec!["not on EX02"]
    );
    let s = kit::screen(&mut a, 200, 50);
    assert!(
        s.contains("no: not on EX02"),
        "the list says why HCW would not list it:\n{s}"
    );
    let f = flat(&s);
    for want in [
        "Chain state complete to CN=relaycheck Lab Root CA, O=relaycheck training lab (trusted by the scenario)",
        "Client auth allowed (its EKU lists Client Authentication, or it has no EKU)",
        "On servers on EX01, not on EX02",
        "Sent by \"Outbound to Office 365\": presents the selected certificate; not installed on EX02; smart hosts contoso-com.mail.protection.outlook.com (Exchange Online)",
    ] {
        assert!(f.contains(want), "lacks {want:?}:\n{s}");
    }
    // The second candidate: self-signed, without Client Authentication.
    keys(&mut a, "j");
    let f = flat(&kit::screen(&mut a, 200, 50));
    assert!(f.contains("Chain state self-signed"), "{f}");
    assert!(f.contains("no: self-signed"), "{f}");
    assert!(
        f.contains("Client auth not in its EKU: the server presents it as a TLS client certificate; Microsoft has not said whether Exchange Online requires it"),
        "{f}"
    );
}

#[test]
fn step_3_marks_the_sender_ip_addresses_exchange_online_refuses() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = app_in(dir.path(), ONPREM);
    keys(&mut a, "3");
    let f = flat(&kit::screen(&mut a, 120, 40));
    assert!(
        f.contains("✗ 10.0.0.0/16 is refused: Valid subnet mask values are /24 through /32; it never matches"),
        "{f}"
    );
    assert!(!f.contains("203.0.113.10 is refused"), "{f}");
}

pub const DIRECT_SEND: &str = r#"version: 1
tenant:
  accepted_domains:
    - domain: contoso.com
      default: true
inbound_connectors:
  - name: Inbound from on-premises
    sender_ip_addresses: [198.51.100.7]
on_premises:
  ip: 203.0.113.10
messages:
  - name: Scanner to a user
    mail_from: scanner@contoso.com
    rcpt_to: kate@contoso.com
"#;

#[test]
fn reject_direct_send_toggles_on_step_2_through_the_history_and_step_4_shows_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = app_in(dir.path(), DIRECT_SEND);
    keys(&mut a, "4");
    let s = kit::screen(&mut a, 80, 24);
    assert!(s.contains("✓ delivered"), "{s}");
    assert!(s.contains("Direct Send"), "the list says it:\n{s}");
    assert!(
        s.contains("Decided   anonymous (Direct Send)"),
        "the details say it whole:\n{s}"
    );

    keys(&mut a, "2");
    let f = flat(&kit::screen(&mut a, 120, 40));
    assert!(
        f.contains("RejectDirectSend $false (r toggles): anonymous mail to your mailboxes is delivered as Direct Send (1 test message)"),
        "{f}"
    );
    keys(&mut a, "r");
    assert!(a.scenario.tenant.reject_direct_send);
    assert!(a.dirty());
    let f = flat(&kit::screen(&mut a, 120, 40));
    assert!(f.contains("RejectDirectSend $true (r toggles)"), "{f}");
    assert!(
        f.contains("refused with 550 5.7.68 (1 test message)"),
        "{f}"
    );
    assert!(
        f.contains("RejectDirectSend turned on"),
        "the change line says so:\n{f}"
    );

    keys(&mut a, "4");
    let s = kit::screen(&mut a, 120, 40);
    assert!(s.contains("✗ rejected"), "{s}");
    assert!(s.contains("RejectDirectSend"), "{s}");
    let f = flat(&s);
    assert!(
        f.contains("550 5.7.68 TenantInboundAttribution; Direct Send not allowed for this organization from unauthorized sources"),
        "{f}"
    );

    keys(&mut a, "u");
    assert!(!a.scenario.tenant.reject_direct_send, "undo puts it back");
    assert!(!a.dirty());
    keys(&mut a, "U");
    assert!(a.scenario.tenant.reject_direct_send, "redo does it again");
}
