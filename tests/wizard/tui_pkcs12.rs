//! PKCS#12 in the wizard and in scenario files: the password is asked for (masked), a wrong
//! one is asked for again, the certificate arrives with its key, and saving the scenario
//! writes the certificate (never the key) beside it; a scenario names a .pfx with
//! `password_env`.

use crate::support;

use std::path::{Path, PathBuf};

use p12_keystore::{
    Certificate, EncryptionAlgorithm, KeyStore, KeyStoreEntry, MacAlgorithm, PrivateKey,
    PrivateKeyChain,
};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use relaycheck::cert::PrivateKeyStatus;
use relaycheck::lab::{LabCa, LabSpec, issue};
use relaycheck::tui::app::{App, FormPurpose, Modal, Origin};
use relaycheck::tui::theme::{Theme, ThemeName};
use relaycheck::tui::update::Effect;
use relaycheck::tui::{dispatch, perform};

pub const PASSWORD: &str = "S3cret-pfx!";

fn der(pem: &str) -> Vec<u8> {
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    data_encoding::BASE64.decode(body.as_bytes()).unwrap()
}

/// A PFX as Windows exports it (3DES, SHA-1 MAC) for mail.contoso.com with its key.
pub fn write_pfx(dir: &Path) -> PathBuf {
    let made = issue(
        &LabSpec::new("mail.contoso.com", &["mail.contoso.com"], support::now()),
        LabCa::shared().unwrap(),
    )
    .unwrap();
    let key = PrivateKey::from_der(&der(&made.key_pem)).unwrap();
    let certs = vec![Certificate::from_der(&made.cert_der).unwrap()];
    let mut store = KeyStore::new();
    store.add_entry(
        "mail",
        KeyStoreEntry::PrivateKeyChain(PrivateKeyChain::new(b"\x01".as_slice(), key, certs)),
    );
    let bytes = store
        .writer(PASSWORD)
        .encryption_algorithm(EncryptionAlgorithm::PbeWithShaAnd3KeyTripleDesCbc)
        .mac_algorithm(MacAlgorithm::HmacSha1)
        .write()
        .unwrap();
    let p = dir.join("mail.pfx");
    std::fs::write(&p, bytes).unwrap();
    p
}

fn scenario_in(dir: &Path, extra: &str) -> PathBuf {
    let p = dir.join("s.yaml");
    std::fs::write(&p, format!("tenant:\n  accepted_domains:\n    - domain: contoso.com\ninbound_connectors:\n  - name: Inbound\n    tls_sender_certificate_name: \"*.contoso.com\"\n{extra}")).unwrap();
    p
}

fn app_for(path: &Path) -> App {
    let (_, s) = relaycheck::scenario::load(path, None, crate::support::now()).unwrap();
    let origin = Origin {
        path: Some(path.to_path_buf()),
        label: "t".into(),
        inputs: vec![path.to_path_buf()],
        lesson: None,
        input_lines: Vec::new(),
        notes: Vec::new(),
    };
    App::new(s, origin, support::now(), Theme::new(ThemeName::Mono))
}

fn key(app: &mut App, code: KeyCode) -> Vec<Effect> {
    relaycheck::tui::press(app, KeyEvent::new(code, KeyModifiers::NONE))
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        key(app, KeyCode::Char(c));
    }
}

fn run(app: &mut App, effects: Vec<Effect>) {
    for e in effects {
        if let Some(reply) = perform(app, e) {
            dispatch(app, reply);
        }
    }
}

#[test]
fn adding_a_pfx_asks_for_the_password_until_it_is_right() {
    let dir = tempfile::tempdir().unwrap();
    let pfx = write_pfx(dir.path());
    let mut app = app_for(&scenario_in(dir.path(), ""));
    key(&mut app, KeyCode::Char('a'));
    typed(&mut app, pfx.to_str().unwrap());
    let eff = key(&mut app, KeyCode::Enter);
    run(&mut app, eff);
    match &app.modal {
        Some(Modal::Form(f)) => {
            assert!(matches!(f.purpose, FormPurpose::Password(_)));
            assert!(f.fields[0].secret, "the password is masked");
        }
        other => panic!("a password prompt, got {other:?}"),
    }
    typed(&mut app, "wrong");
    let eff = key(&mut app, KeyCode::Enter);
    assert!(
        !format!("{eff:?}").contains("wrong"),
        "the password never shows in Debug output: {eff:?}"
    );
    run(&mut app, eff);
    match &app.modal {
        Some(Modal::Form(f)) => assert!(
            f.note.as_ref().unwrap().1.contains("does not open"),
            "{f:?}"
        ),
        other => panic!("asked again, got {other:?}"),
    }
    typed(&mut app, PASSWORD);
    let eff = key(&mut app, KeyCode::Enter);
    run(&mut app, eff);
    assert!(app.modal.is_none(), "{:?}", app.modal);
    let added = app.scenario.certificates[0].facts.clone();
    assert_eq!(added.common_name.as_deref(), Some("mail.contoso.com"));
    assert_eq!(added.private_key, PrivateKeyStatus::Matches);
    assert!(
        app.report
            .mail_flow
            .iter()
            .all(|m| m.outcome == relaycheck::relay::Outcome::Relayed)
    );

    // Saving writes the certificate beside the scenario, never the key or the password.
    let out = dir.path().join("saved.yaml");
    key(&mut app, KeyCode::Char('5'));
    key(&mut app, KeyCode::Char('s'));
    for _ in 0..200 {
        key(&mut app, KeyCode::Backspace);
    }
    typed(&mut app, out.to_str().unwrap());
    let eff = key(&mut app, KeyCode::Enter);
    run(&mut app, eff);
    let yaml = std::fs::read_to_string(&out).unwrap();
    let cer = format!("{}.cer", added.thumbprint);
    assert!(yaml.contains(&cer), "{yaml}");
    let written = std::fs::read_to_string(dir.path().join(&cer)).unwrap();
    assert!(written.contains("BEGIN CERTIFICATE") && !written.contains("PRIVATE KEY"));
    assert!(!yaml.contains(PASSWORD));
    let (_, reread) = relaycheck::scenario::load(&out, None, crate::support::now()).unwrap();
    assert_eq!(reread.certificates[0].facts.thumbprint, added.thumbprint);
}

#[test]
fn a_scenario_names_a_pfx_with_password_env() {
    let dir = tempfile::tempdir().unwrap();
    write_pfx(dir.path());
    // .cargo/config.toml sets this one to PASSWORD for the test binaries; the other is
    // never set.
    let var = "RELAYCHECK_TEST_PFX_PASSWORD_1";
    let unset = "RELAYCHECK_TEST_PFX_PASSWORD_NEVER_SET";
    assert_eq!(
        std::env::var(var).as_deref(),
        Ok(PASSWORD),
        "see .cargo/config.toml"
    );
    let q = scenario_in(
        dir.path(),
        &format!("certificate:\n  file: mail.pfx\n  password_env: {unset}\n"),
    );
    let e = relaycheck::scenario::load(&q, None, crate::support::now())
        .unwrap_err()
        .to_string();
    assert!(e.contains(unset) && e.contains("not set"), "{e}");
    let p = scenario_in(
        dir.path(),
        &format!("certificate:\n  file: mail.pfx\n  password_env: {var}\n"),
    );
    let (_, s) = relaycheck::scenario::load(&p, None, crate::support::now()).unwrap();
    assert_eq!(
        s.certificates[0].facts.private_key,
        PrivateKeyStatus::Matches
    );
    let p2 = scenario_in(dir.path(), "certificate:\n  file: mail.pfx\n");
    let e = relaycheck::scenario::load(&p2, None, crate::support::now())
        .unwrap_err()
        .to_string();
    assert!(e.contains("password_env"), "{e}");
    assert!(!e.contains(PASSWORD));
}
