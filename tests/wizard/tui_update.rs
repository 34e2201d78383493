//! `update` for every kind of message: navigation, selection, toggles, adding, removing,
//! typing, fixes, undo, saves and quitting, each asserting the re-validated report.

use crate::support;

use std::path::{Path, PathBuf};

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use relaycheck::checks::CheckId;
use relaycheck::model::IpProblem;
use relaycheck::relay::Outcome;
use relaycheck::report::Verdict;
use relaycheck::tui::app::{App, Focus, FormPurpose, Modal, Origin, Question, Tab};
use relaycheck::tui::theme::{Theme, ThemeName};
use relaycheck::tui::update::{Effect, Message};
use relaycheck::tui::{dispatch, perform};

fn app_from(path: &str) -> App {
    let path = PathBuf::from(path);
    let (doc, scenario) =
        relaycheck::scenario::load(&path, None, crate::support::now()).expect("scenario loads");
    let origin = Origin {
        path: Some(path.clone()),
        label: path.display().to_string(),
        inputs: vec![path],
        lesson: doc.lesson,
        input_lines: Vec::new(),
        notes: Vec::new(),
    };
    App::new(
        scenario,
        origin,
        support::now(),
        Theme::new(ThemeName::Dark),
    )
}

fn two_levels() -> App {
    app_from("assets/examples/seed000-host-two-levels-down.yaml")
}

fn has(app: &App, id: CheckId) -> bool {
    app.report.findings.iter().any(|f| f.id == id)
}

fn press(app: &mut App, code: KeyCode) -> Vec<Effect> {
    // Shift-Tab as a terminal sends it (BackTab with SHIFT).
    let mods = if code == KeyCode::BackTab {
        KeyModifiers::SHIFT
    } else {
        KeyModifiers::NONE
    };
    relaycheck::tui::press(app, KeyEvent::new(code, mods))
}

fn ch(app: &mut App, c: char) -> Vec<Effect> {
    press(app, KeyCode::Char(c))
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        ch(app, c);
    }
}

fn clear_field(app: &mut App) {
    for _ in 0..80 {
        press(app, KeyCode::Backspace);
    }
}

#[test]
fn number_keys_pages_and_wraparound() {
    let mut a = two_levels();
    assert_eq!(a.tab, Tab::Certificate);
    ch(&mut a, '4');
    assert_eq!(a.tab, Tab::MailFlow);
    press(&mut a, KeyCode::PageDown);
    assert_eq!(a.tab, Tab::Summary);
    press(&mut a, KeyCode::PageDown);
    assert_eq!(a.tab, Tab::Certificate);
    press(&mut a, KeyCode::PageUp);
    assert_eq!(a.tab, Tab::Summary);
}

#[test]
fn up_down_are_clamped_and_tab_moves_to_the_findings() {
    let mut a = two_levels();
    ch(&mut a, '2');
    ch(&mut a, 'j');
    ch(&mut a, 'j');
    ch(&mut a, 'j');
    assert_eq!(a.domain_row, 1, "two domains: the cursor stops on the last");
    press(&mut a, KeyCode::Up);
    press(&mut a, KeyCode::Up);
    assert_eq!(a.domain_row, 0);
    press(&mut a, KeyCode::Tab);
    assert_eq!(a.focus, Focus::Details, "the domains the certificate needs");
    press(&mut a, KeyCode::Tab);
    assert_eq!(a.focus, Focus::Findings);
    press(&mut a, KeyCode::BackTab);
    press(&mut a, KeyCode::BackTab);
    assert_eq!(a.focus, Focus::Main);
}

#[test]
fn domain_fix_key_adds_the_subdomain_the_seed_article_names() {
    let mut a = two_levels();
    assert!(has(&a, CheckId::CertNameNotAccepted));
    ch(&mut a, '2');
    ch(&mut a, 'f');
    assert!(
        a.scenario
            .tenant
            .accepted_domains()
            .iter()
            .any(|d| d.domain.as_str() == "subdomain.contoso.com" && d.verified)
    );
    assert!(!has(&a, CheckId::CertNameNotAccepted));
    let c = a.changes.clone().expect("a change is shown");
    assert!(c.resolved.contains(&CheckId::CertNameNotAccepted), "{c:?}");
    assert_eq!(
        a.report.hcw().unwrap().tls_sender_certificate_name,
        "*.subdomain.contoso.com"
    );
    assert!(a.dirty());
}

#[test]
fn adding_a_domain_through_the_form_and_refusing_a_bad_one() {
    let mut a = two_levels();
    ch(&mut a, '2');
    ch(&mut a, 'a');
    assert!(matches!(a.modal, Some(Modal::Form(_))));
    typed(&mut a, "bad domain");
    press(&mut a, KeyCode::Enter);
    match &a.modal {
        Some(Modal::Form(f)) => assert!(
            f.note
                .as_ref()
                .is_some_and(|(ok, n)| !ok && n.contains("not a valid domain name")),
            "{f:?}"
        ),
        other => panic!("the form stays open on a bad name, got {other:?}"),
    }
    clear_field(&mut a);
    typed(&mut a, "subdomain.contoso.com");
    press(&mut a, KeyCode::Tab);
    clear_field(&mut a);
    typed(&mut a, "no");
    press(&mut a, KeyCode::Enter);
    assert!(a.modal.is_none());
    let added = a.scenario.tenant.accepted_domains().last().unwrap();
    assert_eq!(added.domain.as_str(), "subdomain.contoso.com");
    assert!(!added.verified);
    // Pending verification does not count, and now says so.
    assert!(has(&a, CheckId::DomainUnverified));
    assert_eq!(a.domain_row, 2);
    ch(&mut a, 'v');
    assert!(a.scenario.tenant.accepted_domains()[2].verified);
    assert!(!has(&a, CheckId::DomainUnverified));
    assert!(!has(&a, CheckId::CertNameNotAccepted));
}

#[test]
fn toggle_type_default_and_remove_domain() {
    let mut a = two_levels();
    ch(&mut a, '2');
    ch(&mut a, 't');
    assert_eq!(
        a.scenario.tenant.accepted_domains()[0].domain_type.as_str(),
        "InternalRelay"
    );
    ch(&mut a, 'j');
    ch(&mut a, 'd');
    assert!(a.scenario.tenant.accepted_domains()[1].default);
    assert!(!a.scenario.tenant.accepted_domains()[0].default);
    ch(&mut a, 'k');
    ch(&mut a, 'x');
    assert_eq!(a.scenario.tenant.accepted_domains().len(), 1);
    // contoso.com is gone: kate@contoso.com no longer relays by sender domain.
    assert_eq!(a.report.mail_flow[0].outcome, Outcome::Rejected);
}

#[test]
fn toggling_enabled_makes_the_connector_missing_and_undo_restores_it() {
    let mut a = two_levels();
    ch(&mut a, '3');
    ch(&mut a, 'j'); // Enabled
    press(&mut a, KeyCode::Enter);
    assert!(!a.scenario.inbound_connectors[0].enabled);
    assert!(has(&a, CheckId::ConnectorMissing));
    assert!(
        a.report
            .mail_flow
            .iter()
            .all(|m| m.reply.contains("TenantAttribution"))
    );
    ch(&mut a, 'u');
    assert!(a.scenario.inbound_connectors[0].enabled);
    assert!(!has(&a, CheckId::ConnectorMissing));
    ch(&mut a, 'u');
    assert_eq!(a.status.as_deref(), Some("Nothing to undo."));
}

#[test]
fn typing_tls_sender_certificate_name_revalidates_on_every_key_and_esc_restores() {
    let mut a = two_levels();
    ch(&mut a, '3');
    for _ in 0..3 {
        ch(&mut a, 'j');
    }
    press(&mut a, KeyCode::Enter); // TlsSenderCertificateName
    assert!(
        matches!(&a.modal, Some(Modal::Form(f)) if f.purpose == FormPurpose::EditField(relaycheck::tui::app::Field::Tscn))
    );
    clear_field(&mut a);
    assert!(
        has(&a, CheckId::ConnectorIpOnly),
        "an empty value is applied live"
    );
    typed(&mut a, "*.contoso.co");
    assert!(
        has(&a, CheckId::ConnectorTscnNotOnCert),
        "*.contoso.co matches nothing"
    );
    ch(&mut a, 'm');
    assert!(
        !has(&a, CheckId::ConnectorTscnNotOnCert),
        "*.contoso.com covers the certificate"
    );
    assert_eq!(
        a.report.verdict,
        Verdict::Warn,
        "relays now; HCW drift remains"
    );
    press(&mut a, KeyCode::Esc);
    assert_eq!(
        a.scenario.inbound_connectors[0]
            .tls_sender_certificate_name
            .as_deref(),
        Some("hostname.subdomain.contoso.com")
    );
    assert_eq!(a.report.verdict, Verdict::Fail);
    assert!(
        !a.history.can_undo(),
        "a cancelled edit leaves nothing to undo"
    );
}

/// While a value is typed the checks follow every key but the plan (nearly all of a
/// validation's cost) stays as it was before typing; committing makes it again.
#[test]
fn typing_keeps_the_plan_until_the_value_is_committed() {
    let mut a = two_levels();
    let before = a.report.plan.clone();
    ch(&mut a, '3');
    for _ in 0..3 {
        ch(&mut a, 'j');
    }
    press(&mut a, KeyCode::Enter);
    clear_field(&mut a);
    typed(&mut a, "*.contoso.com");
    assert!(
        !has(&a, CheckId::ConnectorTscnNotOnCert),
        "the checks follow"
    );
    assert_eq!(a.report.plan, before, "the plan waits for Enter");
    // The inventory follows the typing (the connector's row) while the files read are kept.
    let now = relaycheck::validate(&a.scenario, a.now);
    assert_eq!(a.report.inventory, now.inventory);
    assert_eq!(
        a.report.inventory.inbound_connectors[a.connector]
            .tls_sender_certificate_name
            .as_deref(),
        Some("*.contoso.com")
    );
    press(&mut a, KeyCode::Enter);
    let fresh = relaycheck::validate(&a.scenario, a.now).plan;
    assert_eq!(a.report.plan, fresh, "committed: the plan is made again");
    assert_ne!(fresh, before);
}

#[test]
fn committing_a_typed_value_is_one_undoable_edit() {
    let mut a = two_levels();
    ch(&mut a, '3');
    for _ in 0..3 {
        ch(&mut a, 'j');
    }
    press(&mut a, KeyCode::Enter);
    clear_field(&mut a);
    typed(&mut a, "mail.*.com");
    let note = match &a.modal {
        Some(Modal::Form(f)) => f.note.clone().unwrap(),
        _ => panic!("form open"),
    };
    assert!(!note.0 && note.1.starts_with("Not valid"), "{note:?}");
    assert!(has(&a, CheckId::ConnectorTscnInvalid));
    press(&mut a, KeyCode::Enter);
    assert!(a.modal.is_none());
    assert_eq!(a.history.entries().count(), 1);
    ch(&mut a, 'u');
    assert!(!has(&a, CheckId::ConnectorTscnInvalid));
}

#[test]
fn choices_and_wildcard_toggle() {
    let mut a = two_levels();
    ch(&mut a, '3');
    ch(&mut a, 'c');
    let items = match &a.modal {
        Some(Modal::Choices(c)) => c.items.clone(),
        other => panic!("choices open, got {other:?}"),
    };
    let values: Vec<&str> = items.iter().map(|(v, _)| v.as_str()).collect();
    assert!(
        values.contains(&"hostname.subdomain.contoso.com"),
        "{values:?}"
    );
    assert!(values.contains(&"*.subdomain.contoso.com"), "{values:?}");
    assert!(values.contains(&"*.contoso.com"), "{values:?}");
    let hcw = items
        .iter()
        .find(|(v, _)| v == "hostname.subdomain.contoso.com")
        .unwrap();
    assert!(hcw.1.contains("HCW writes this"), "{hcw:?}");
    let pick = values.iter().position(|v| *v == "*.contoso.com").unwrap();
    for _ in 0..pick {
        ch(&mut a, 'j');
    }
    press(&mut a, KeyCode::Enter);
    assert_eq!(
        a.scenario.inbound_connectors[0]
            .tls_sender_certificate_name
            .as_deref(),
        Some("*.contoso.com")
    );
    assert!(!has(&a, CheckId::ConnectorDomainNotAccepted));
    assert!(
        a.report
            .mail_flow
            .iter()
            .all(|m| m.outcome != Outcome::Rejected)
    );
    ch(&mut a, 'w');
    assert_eq!(
        a.scenario.inbound_connectors[0]
            .tls_sender_certificate_name
            .as_deref(),
        Some("contoso.com"),
        "no certificate host directly under contoso.com"
    );
    ch(&mut a, 'w');
    assert_eq!(
        a.scenario.inbound_connectors[0]
            .tls_sender_certificate_name
            .as_deref(),
        Some("*.contoso.com"),
        "an apex goes back to its own wildcard"
    );
}

#[test]
fn new_next_and_deleted_connectors() {
    let mut a = two_levels();
    ch(&mut a, '3');
    ch(&mut a, 'n');
    assert_eq!(a.scenario.inbound_connectors.len(), 2);
    assert_eq!(a.connector, 1);
    assert_eq!(
        a.scenario.inbound_connectors[1].tls_sender_certificate_name,
        a.report
            .recommended_tscn
            .clone()
            .or(Some("*.contoso.com".into()))
    );
    ch(&mut a, ']');
    assert_eq!(a.connector, 0);
    ch(&mut a, 'x');
    assert_eq!(a.scenario.inbound_connectors.len(), 1);
    assert_eq!(
        a.scenario.inbound_connectors[0].name,
        "Inbound from on-premises 2"
    );
    // The new connector carries the plan's value, *.subdomain.contoso.com: it relays once
    // subdomain.contoso.com is added (step 2, f), and HCW would write the same value.
    assert_eq!(
        a.scenario.inbound_connectors[0]
            .tls_sender_certificate_name
            .as_deref(),
        Some("*.subdomain.contoso.com")
    );
    assert!(a.report.rejected().next().is_some());
    ch(&mut a, '2');
    ch(&mut a, 'f');
    assert!(
        a.report
            .mail_flow
            .iter()
            .all(|m| m.outcome != Outcome::Rejected),
        "{:#?}",
        a.report.mail_flow
    );
    assert_eq!(
        a.report
            .hcw()
            .map(|h| h.tls_sender_certificate_name.as_str()),
        Some("*.subdomain.contoso.com")
    );
}

#[test]
fn an_ip_exchange_online_refuses_is_kept_as_typed_and_a_valid_fqdn_is_applied() {
    let mut a = two_levels();
    ch(&mut a, '3');
    for _ in 0..6 {
        ch(&mut a, 'j');
    }
    press(&mut a, KeyCode::Enter); // SenderIPAddresses
    clear_field(&mut a);
    typed(&mut a, "203.0.113.300");
    press(&mut a, KeyCode::Enter);
    assert!(a.modal.is_none(), "applied as typed");
    let ips = &a.scenario.inbound_connectors[a.connector].sender_ip_addresses;
    assert_eq!(ips.len(), 1);
    assert_eq!(ips[0].to_string(), "203.0.113.300");
    assert_eq!(ips[0].problem(), Some(IpProblem::Syntax));
    ch(&mut a, 'j'); // Organization FQDN
    press(&mut a, KeyCode::Enter);
    clear_field(&mut a);
    typed(&mut a, "mail.contoso.com");
    press(&mut a, KeyCode::Enter);
    assert_eq!(
        a.scenario
            .on_premises
            .organization_fqdn
            .as_ref()
            .map(|f| f.as_str()),
        Some("mail.contoso.com")
    );
    assert!(has(&a, CheckId::OrgFqdnNotOnCert));
}

#[test]
fn messages_add_edit_delete_and_reset() {
    let mut a = two_levels();
    ch(&mut a, '4');
    assert_eq!(
        a.scenario.messages.len(),
        4,
        "the defaults are an editable list"
    );
    ch(&mut a, 'a');
    typed(&mut a, "Scanner to a customer");
    press(&mut a, KeyCode::Tab);
    clear_field(&mut a);
    typed(&mut a, "scanner@contoso.com");
    press(&mut a, KeyCode::Enter);
    assert_eq!(a.scenario.messages.len(), 5);
    assert_eq!(a.report.mail_flow[4].outcome, Outcome::Relayed);
    assert_eq!(a.message_row, 4);
    press(&mut a, KeyCode::Enter);
    press(&mut a, KeyCode::Tab);
    clear_field(&mut a);
    press(&mut a, KeyCode::Enter); // empty MAIL FROM: an NDR
    assert_eq!(a.report.mail_flow[4].mail_from, "");
    assert_eq!(a.report.mail_flow[4].outcome, Outcome::Rejected);
    ch(&mut a, 'x');
    assert_eq!(a.scenario.messages.len(), 4);
    ch(&mut a, 'x');
    ch(&mut a, 'x');
    assert_eq!(a.scenario.messages.len(), 2);
    ch(&mut a, 'r');
    assert_eq!(a.report.mail_flow.len(), 4);
    assert_eq!(a.report.mail_flow[1].name, "NDR to an external sender");
}

#[test]
fn bad_email_in_a_message_is_refused() {
    let mut a = two_levels();
    ch(&mut a, '4');
    ch(&mut a, 'a');
    press(&mut a, KeyCode::Tab);
    press(&mut a, KeyCode::Tab);
    clear_field(&mut a);
    typed(&mut a, "nobody");
    press(&mut a, KeyCode::Enter);
    match &a.modal {
        Some(Modal::Form(f)) => assert!(f.note.as_ref().unwrap().1.contains("RCPT TO"), "{f:?}"),
        other => panic!("still open, got {other:?}"),
    }
}

fn with_two_certificates() -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/examples/certs");
    let yaml = format!(
        "tenant:\n  accepted_domains:\n    - domain: contoso.com\ntrusted_roots: [{}]\ncertificates:\n  - file: {}\n  - file: {}\ninbound_connectors:\n  - name: Inbound\n    tls_sender_certificate_name: \"*.contoso.com\"\n",
        root.join("lab-ca.pem").display(),
        root.join("mail-contoso.pem").display(),
        root.join("smtp-fabrikam.pem").display()
    );
    let path = dir.path().join("two.yaml");
    std::fs::write(&path, yaml).unwrap();
    let a = app_from(path.to_str().unwrap());
    (dir, a)
}

#[test]
fn selecting_another_certificate_breaks_attribution() {
    let (_dir, mut a) = with_two_certificates();
    assert_eq!(a.scenario.selected_certificate, Some(0));
    assert_eq!(a.report.verdict, Verdict::Pass);
    ch(&mut a, 'j');
    press(&mut a, KeyCode::Enter);
    assert_eq!(a.scenario.selected_certificate, Some(1));
    assert!(has(&a, CheckId::ConnectorTscnNotOnCert));
    assert!(
        a.report
            .mail_flow
            .iter()
            .any(|m| m.reply.contains("TenantAttribution"))
    );
    ch(&mut a, 'x');
    assert_eq!(a.scenario.certificates.len(), 1);
    assert_eq!(a.scenario.selected_certificate, Some(0));
    assert_eq!(a.report.verdict, Verdict::Pass);
}

#[test]
fn adding_a_folder_and_generating_a_lab_certificate() {
    let (dir, mut a) = with_two_certificates();
    let certs = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/examples/certs");
    let effects = {
        ch(&mut a, 'a');
        typed(&mut a, certs.to_str().unwrap());
        press(&mut a, KeyCode::Enter)
    };
    assert_eq!(effects, vec![Effect::LoadCertificates(certs.clone())]);
    let reply = perform(&a, effects[0].clone()).unwrap();
    dispatch(&mut a, reply);
    let pem_files = std::fs::read_dir(&certs).unwrap().count();
    assert_eq!(a.scenario.certificates.len(), 2 + pem_files);

    ch(&mut a, 'g');
    let effects = press(&mut a, KeyCode::Enter);
    let Effect::Generate(spec) = &effects[0] else {
        panic!("{effects:?}")
    };
    assert_eq!(spec.cn.as_deref(), Some("mail.contoso.com"));
    let reply = perform(&a, effects[0].clone()).unwrap();
    dispatch(&mut a, reply);
    let last = a.scenario.certificates.last().unwrap();
    assert_eq!(last.facts.common_name.as_deref(), Some("mail.contoso.com"));
    assert!(last.facts.issuer.contains("relaycheck Lab Root CA"));
    drop(dir);
}

#[test]
fn tab_completes_a_path_in_the_add_form() {
    let (dir, mut a) = with_two_certificates();
    std::fs::write(dir.path().join("unique-name.pem"), "x").unwrap();
    ch(&mut a, 'a');
    typed(&mut a, &format!("{}/uniq", dir.path().display()));
    let effects = press(&mut a, KeyCode::Tab);
    assert!(matches!(&effects[..], [Effect::Complete(_)]));
    let reply = perform(&a, effects[0].clone()).unwrap();
    dispatch(&mut a, reply);
    match &a.modal {
        Some(Modal::Form(f)) => assert_eq!(
            f.value(relaycheck::tui::app::FieldId::Path),
            format!("{}/unique-name.pem", dir.path().display())
        ),
        other => panic!("{other:?}"),
    }
}

#[test]
fn saving_asks_before_overwriting_and_never_touches_the_input() {
    let (dir, mut a) = with_two_certificates();
    ch(&mut a, '2');
    ch(&mut a, 'v'); // an edit, so there is something to save
    ch(&mut a, '5');
    let input = dir.path().join("two.yaml");
    let before = std::fs::read(&input).unwrap();

    // Saving over the input is refused.
    ch(&mut a, 's');
    clear_field(&mut a);
    typed(&mut a, input.to_str().unwrap());
    let eff = press(&mut a, KeyCode::Enter);
    let reply = perform(&a, eff[0].clone()).unwrap();
    dispatch(&mut a, reply);
    assert!(
        a.status
            .as_deref()
            .unwrap()
            .contains("never modifies its inputs"),
        "{:?}",
        a.status
    );
    assert_eq!(std::fs::read(&input).unwrap(), before);

    // A new name is written, and re-reads as the same scenario.
    let out = dir.path().join("edited.yaml");
    ch(&mut a, 's');
    clear_field(&mut a);
    typed(&mut a, out.to_str().unwrap());
    let eff = press(&mut a, KeyCode::Enter);
    let reply = perform(&a, eff[0].clone()).unwrap();
    dispatch(&mut a, reply);
    assert!(!a.dirty());
    let (_, reread) = relaycheck::scenario::load(&out, None, crate::support::now()).unwrap();
    assert_eq!(reread.tenant, a.scenario.tenant);
    assert_eq!(reread.certificates.len(), 2);

    // Saving there again asks first; "n" leaves the file alone, "y" overwrites.
    ch(&mut a, 'm');
    clear_field(&mut a);
    typed(&mut a, out.to_str().unwrap());
    let eff = press(&mut a, KeyCode::Enter);
    let reply = perform(&a, eff[0].clone()).unwrap();
    dispatch(&mut a, reply);
    assert!(matches!(
        a.modal,
        Some(Modal::Confirm(Question::Overwrite { .. }))
    ));
    ch(&mut a, 'n');
    assert!(std::fs::read_to_string(&out).unwrap().contains("tenant:"));
    ch(&mut a, 'm');
    clear_field(&mut a);
    typed(&mut a, out.to_str().unwrap());
    let eff = press(&mut a, KeyCode::Enter);
    let reply = perform(&a, eff[0].clone()).unwrap();
    dispatch(&mut a, reply);
    let eff = ch(&mut a, 'y');
    assert!(matches!(
        &eff[..],
        [Effect::Save {
            overwrite: true,
            ..
        }]
    ));
    let reply = perform(&a, eff[0].clone()).unwrap();
    dispatch(&mut a, reply);
    assert!(
        std::fs::read_to_string(&out)
            .unwrap()
            .starts_with("# relaycheck report")
    );
}

#[test]
fn copy_gives_the_powershell_of_the_fixes() {
    let mut a = two_levels();
    ch(&mut a, '5');
    let eff = ch(&mut a, 'c');
    let Some(Effect::Copy(script)) = eff.first() else {
        panic!("{eff:?}")
    };
    assert!(script.contains("Set-InboundConnector -Identity \"Inbound from 5b1f8c2e-contoso\" -TlsSenderCertificateName \"*.subdomain.contoso.com\""), "{script}");
    assert!(
        script.contains("New-MgDomain -Id \"subdomain.contoso.com\""),
        "{script}"
    );
}

#[test]
fn quitting_asks_only_with_unsaved_edits() {
    let mut a = two_levels();
    ch(&mut a, 'q');
    assert!(a.should_quit);
    let mut b = two_levels();
    ch(&mut b, '2');
    ch(&mut b, 'f');
    ch(&mut b, 'q');
    assert!(!b.should_quit);
    assert!(matches!(
        b.modal,
        Some(Modal::Confirm(Question::QuitUnsaved))
    ));
    ch(&mut b, 'n');
    assert!(!b.should_quit && b.modal.is_none());
    ch(&mut b, 'q');
    ch(&mut b, 'y');
    assert!(b.should_quit);
    let mut c = two_levels();
    relaycheck::tui::press(
        &mut c,
        KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL),
    );
    assert!(c.should_quit);
}

#[test]
fn help_opens_and_closes() {
    let mut a = two_levels();
    ch(&mut a, '?');
    assert!(matches!(a.modal, Some(Modal::Help { .. })));
    ch(&mut a, 'j');
    assert!(matches!(a.modal, Some(Modal::Help { scroll: 1 })));
    press(&mut a, KeyCode::Esc);
    assert!(a.modal.is_none());
}

#[test]
fn a_fix_done_outside_relaycheck_says_so() {
    let mut a = app_from("assets/examples/recommended-wildcard.yaml");
    // cert-no-private-key is the only finding on step 1, and it is fixed on the server.
    ch(&mut a, 'f');
    assert!(
        a.status
            .as_deref()
            .unwrap()
            .contains("fixed outside relaycheck"),
        "{:?}",
        a.status
    );
    assert!(!a.dirty());
}

#[test]
fn edits_as_messages_and_mouse_clicks() {
    let mut a = two_levels();
    let d = relaycheck::names::DnsName::parse("subdomain.contoso.com").unwrap();
    dispatch(&mut a, Message::Edit(relaycheck::model::Edit::AddDomain(d)));
    assert!(!has(&a, CheckId::CertNameNotAccepted));
    a.size = (100, 30);
    // The step list starts below the title, headline and change lines; each step is two rows.
    let areas = relaycheck::tui::view::areas(&a, ratatui::layout::Rect::new(0, 0, 100, 30));
    let row_of_connector = areas.sidebar.y + 1 + 2 * 2;
    dispatch(
        &mut a,
        Message::Click {
            column: 3,
            row: row_of_connector,
        },
    );
    assert_eq!(a.tab, Tab::Connector);
}
