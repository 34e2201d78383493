//! `relaycheck lab new`: a lab CA and a leaf with its key, as PEM, that x509-parser and
//! `openssl x509` both read with the names asked for; keys are owner-only; nothing is
//! ever overwritten.

use std::process::Command;

fn relaycheck(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_relaycheck"))
        .args(args)
        .output()
        .expect("runs")
}

#[test]
fn lab_new_writes_a_ca_and_a_leaf_with_the_names_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("lab");
    let o = relaycheck(&[
        "lab",
        "new",
        "--cn",
        "mail.contoso.com",
        "--san",
        "autodiscover.contoso.com",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(!stdout.contains("PRIVATE KEY"), "keys are never printed");

    let leaf = std::fs::read(out.join("mail.contoso.com.pem")).unwrap();
    let key = std::fs::read(out.join("mail.contoso.com.key")).unwrap();
    let facts = relaycheck::cert::load("leaf", &leaf, Some(&key)).unwrap();
    assert_eq!(facts.common_name.as_deref(), Some("mail.contoso.com"));
    assert_eq!(
        facts.dns_sans,
        vec!["mail.contoso.com", "autodiscover.contoso.com"]
    );
    assert_eq!(
        facts.private_key,
        relaycheck::cert::PrivateKeyStatus::Matches
    );
    assert!(!facts.self_signed);
    assert_eq!(
        facts.chain,
        vec!["CN=relaycheck Lab Root CA, O=relaycheck training lab".to_string()]
    );
    let ca = relaycheck::cert::load("ca", &std::fs::read(out.join("lab-ca.pem")).unwrap(), None)
        .unwrap();
    assert!(ca.self_signed);
    assert_eq!(facts.issuer, ca.subject);

    #[cfg(unix)]
    for k in ["mail.contoso.com.key", "lab-ca.key"] {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(out.join(k)).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{k} is readable by its owner only");
    }

    match Command::new("openssl")
        .args([
            "x509",
            "-noout",
            "-subject",
            "-ext",
            "subjectAltName",
            "-in",
        ])
        .arg(out.join("mail.contoso.com.pem"))
        .output()
    {
        Ok(o) => {
            assert!(
                o.status.success(),
                "openssl refused it: {}",
                String::from_utf8_lossy(&o.stderr)
            );
            let text = String::from_utf8_lossy(&o.stdout);
            assert!(
                text.contains("CN = mail.contoso.com") || text.contains("CN=mail.contoso.com"),
                "{text}"
            );
            assert!(
                text.contains("DNS:mail.contoso.com, DNS:autodiscover.contoso.com"),
                "{text}"
            );
        }
        Err(_) => {
            eprintln!("SKIPPED: openssl is not installed; the x509-parser checks above still ran");
        }
    }
}

#[test]
fn lab_new_refuses_to_overwrite_and_rejects_bad_names() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    assert_eq!(
        relaycheck(&["lab", "new", "--cn", "mail.contoso.com", "--out", out])
            .status
            .code(),
        Some(0)
    );
    let before = std::fs::read(dir.path().join("mail.contoso.com.key")).unwrap();
    let again = relaycheck(&["lab", "new", "--cn", "mail.contoso.com", "--out", out]);
    assert_eq!(again.status.code(), Some(2));
    let err = String::from_utf8_lossy(&again.stderr);
    assert!(
        err.contains("already exists") && err.contains("never overwrites"),
        "{err}"
    );
    assert_eq!(
        std::fs::read(dir.path().join("mail.contoso.com.key")).unwrap(),
        before
    );
    let bad = relaycheck(&["lab", "new", "--cn", "mail contoso", "--out", out]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--cn"));
}

#[test]
fn lab_new_self_signed_rsa_has_no_ca_files() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let o = relaycheck(&[
        "lab",
        "new",
        "--cn",
        "legacy.contoso.com",
        "--key",
        "rsa1024",
        "--self-signed",
        "--out",
        out,
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(!dir.path().join("lab-ca.pem").exists());
    let facts = relaycheck::cert::load(
        "x",
        &std::fs::read(dir.path().join("legacy.contoso.com.pem")).unwrap(),
        None,
    )
    .unwrap();
    assert!(facts.self_signed);
    assert_eq!(facts.key, relaycheck::cert::KeyKind::Rsa { bits: 1024 });
}
