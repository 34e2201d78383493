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

/// Exit code and stderr of a command that must refuse its input (never a panic, 101).
fn refused(args: &[&str]) -> String {
    let o = relaycheck(args);
    let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(2), "{args:?}: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

#[test]
fn lab_new_days_outside_1_to_36500_is_refused_with_the_range() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("lab");
    for days in ["3000000", "36501", "0"] {
        let e = refused(&[
            "lab",
            "new",
            "--cn",
            "mail.contoso.com",
            "--days",
            days,
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(e.contains("--days"), "{e}");
        assert!(e.contains("1..=36500"), "{e}");
    }
    assert!(!out.exists(), "nothing is written for a refused command");
    let o = relaycheck(&[
        "lab",
        "new",
        "--cn",
        "mail.contoso.com",
        "--days",
        "36500",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

fn generated(dir: &std::path::Path, block: &str) -> std::path::PathBuf {
    let path = dir.join("lab.yaml");
    std::fs::write(
        &path,
        format!(
            "tenant:\n  accepted_domains: [{{domain: contoso.com, verified: true}}]\ncertificates:\n  - generate: {block}\n"
        ),
    )
    .unwrap();
    path
}

#[test]
fn a_lab_spec_with_days_past_the_range_is_refused_naming_the_file_and_field() {
    let dir = tempfile::tempdir().unwrap();
    for days in ["-9223372036854775808d", "+9223372036854775807d", "73001d"] {
        let file = generated(
            dir.path(),
            &format!("{{cn: mail.contoso.com, valid_until: \"{days}\"}}"),
        );
        let e = refused(&["check", "--scenario", file.to_str().unwrap()]);
        assert!(e.contains("lab.yaml"), "{e}");
        assert!(e.contains("valid_until"), "{e}");
        assert!(e.contains("73000 days"), "{e}");
    }
    let file = generated(
        dir.path(),
        "{cn: mail.contoso.com, valid_from: -10000d, valid_until: 73000d}",
    );
    let o = relaycheck(&[
        "check",
        "--scenario",
        file.to_str().unwrap(),
        "--now",
        "2026-11-22",
    ]);
    assert!(
        matches!(o.status.code(), Some(0 | 1)),
        "the edges are allowed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn now_at_or_past_the_date_range_with_generated_certificates_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = generated(dir.path(), "{cn: mail.contoso.com}");
    let file = file.to_str().unwrap();
    // In range, but a year of validity from it is not.
    let e = refused(&["check", "--scenario", file, "--now", "9999-12-31"]);
    assert!(e.contains("valid_until"), "{e}");
    assert!(e.contains("1950-01-01 to 9999-12-31"), "{e}");
    // Out of range itself: --now is named.
    for now in ["0000-01-01", "1949-12-31", "-0001-01-01"] {
        let e = refused(&["check", "--scenario", file, &format!("--now={now}")]);
        assert!(e.contains("--now"), "{e}");
    }
    let e = refused(&["check", "--scenario", file, "--now", "0000-01-01"]);
    assert!(e.contains("1950-01-01 to 9999-12-31"), "{e}");
    // The wizard and training refuse the same way, before the terminal is touched.
    let e = refused(&["wizard", "--now", "9999-12-31"]);
    assert!(e.contains("1950-01-01 to 9999-12-31"), "{e}");
    let e = refused(&["train", "1", "--now", "0000-01-01"]);
    assert!(e.contains("--now"), "{e}");
}
