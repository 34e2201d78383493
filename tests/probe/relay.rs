//! `probe relay` against a real Postfix that relays only for one client certificate
//! fingerprint (relay_clientcerts), the way Exchange Online attributes by certificate.

use crate::Lab;
use crate::kit::{self, json, relaycheck, stderr, stdout};

const PASSWORD: &str = "Pr0be-Secret-Passw0rd!";

/// Writes `made` (with its chain) as a PFX and returns its path.
fn pfx(lab: &Lab, name: &str, made: &kit::Made) -> String {
    let bytes = made.pfx(&[&lab.pki.intermediate], PASSWORD);
    kit::write(lab.dir.path(), name, &bytes)
        .display()
        .to_string()
}

fn relay(port: u16, pfx: &str, extra: &[&str]) -> std::process::Output {
    let target = format!("127.0.0.1:{port}");
    let mut args = vec![
        "probe",
        "relay",
        "--mx",
        &target,
        "--certificate",
        pfx,
        "--password-env",
        "PROBE_PFX_PASSWORD",
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    relaycheck(&args, &[("PROBE_PFX_PASSWORD", PASSWORD)]).0
}

fn no_secret(out: &std::process::Output, made: &kit::Made) {
    let all = format!("{}{}", stdout(out), stderr(out));
    assert!(!all.contains(PASSWORD), "the password was printed");
    assert!(!all.contains("PRIVATE KEY"), "a key was printed");
    // No line of the key's Base64 either.
    for line in made
        .key_pem
        .lines()
        .filter(|l| !l.starts_with("-----") && l.len() > 16)
    {
        assert!(!all.contains(line), "part of the key was printed");
    }
}

#[test]
fn the_listed_certificate_relays_with_250_and_agrees_with_the_simulation() {
    let lab = Lab::generate();
    let Some(pf) = lab.postfix() else { return };
    let file = pfx(&lab, "listed.pfx", &lab.listed);
    let scenario = lab.scenario(&lab.listed);
    let out = relay(pf.good, &file, &["--scenario", &scenario]);
    no_secret(&out, &lab.listed);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    let r = json(&out);
    assert_eq!(r["kind"], "relay");
    assert_eq!(r["sent_data"], false);
    assert_eq!(
        r["client_certificate"]["thumbprint"],
        lab.listed.thumbprint()
    );
    let replies = r["replies"].as_array().unwrap();
    assert_eq!(replies.len(), 1);
    let m = &replies[0];
    assert_eq!(m["mail_from"], "");
    assert_eq!(m["rcpt_to"], "john@fabrikam.test");
    assert!(m["reply"].as_str().unwrap().starts_with("250 2.1.5"), "{m}");
    assert_eq!(m["replied_at"], "rcpt-to");
    assert!(
        m["simulated"].as_str().unwrap().starts_with("relayed: 250"),
        "{m}"
    );
    assert_eq!(m["differs"], false);
    // EHLO as the organisation FQDN of the scenario.
    assert_eq!(r["dialogue"][1]["sent"], "EHLO relay.contoso.test");
    // Never DATA: the client sent exactly these commands, as Postfix counted them.
    // (The readiness check's connections log "commands=0/0"; the probe's session says EHLO.)
    let log = pf.wait_for_log("ehlo=2");
    let summary = log
        .lines()
        .find(|l| l.contains("disconnect from") && l.contains("ehlo="))
        .unwrap_or_else(|| panic!("no session summary in the log:\n{log}"));
    assert!(
        summary.contains("ehlo=2 starttls=1 mail=1 rcpt=1 rset=1 quit=1 commands=7"),
        "{summary}"
    );
    assert!(!summary.contains("data="), "{summary}");
    assert!(!log.contains("message-id"), "no message was queued:\n{log}");
}

#[test]
fn an_unlisted_certificate_gets_postfix_s_refusal_and_the_disagreement_is_a_finding() {
    let lab = Lab::generate();
    let Some(pf) = lab.postfix() else { return };
    // other.contoso.test matches *.contoso.test: the simulation relays, Postfix refuses.
    let file = pfx(&lab, "unlisted.pfx", &lab.unlisted);
    let scenario = lab.scenario(&lab.unlisted);
    let out = relay(pf.good, &file, &["--scenario", &scenario]);
    no_secret(&out, &lab.unlisted);
    let r = json(&out);
    let m = &r["replies"][0];
    let reply = m["reply"].as_str().unwrap();
    assert!(
        reply.starts_with("554 5.7.1") || reply.starts_with("454 4.7.1"),
        "{m}"
    );
    assert!(reply.contains("Relay access denied"), "{m}");
    assert_eq!(m["replied_at"], "rcpt-to");
    assert_eq!(m["differs"], true);
    let f = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "probe-reply-differs")
        .unwrap_or_else(|| panic!("no probe-reply-differs: {r}"));
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("relaycheck simulates relayed"),
        "{f}"
    );

    // A certificate of a domain the tenant does not own: refused, and refused in the
    // simulation too (no finding).
    let file = pfx(&lab, "foreign.pfx", &lab.foreign);
    let scenario = lab.scenario(&lab.foreign);
    let out = relay(pf.good, &file, &["--scenario", &scenario]);
    let r = json(&out);
    let m = &r["replies"][0];
    assert!(
        m["reply"].as_str().unwrap().contains("Relay access denied"),
        "{m}"
    );
    assert!(
        m["simulated"]
            .as_str()
            .unwrap()
            .starts_with("rejected: 550 5.7.64"),
        "{m}"
    );
    assert_eq!(m["differs"], false);
    assert!(
        !r["findings"].to_string().contains("probe-reply-differs"),
        "{r}"
    );
}

#[test]
fn messages_from_the_command_line_are_each_answered_and_reset() {
    let lab = Lab::generate();
    let Some(pf) = lab.postfix() else { return };
    let file = pfx(&lab, "listed.pfx", &lab.listed);
    let out = relay(
        pf.good,
        &file,
        &[
            "--ehlo",
            "relay.contoso.test",
            "--message",
            "<>,john@fabrikam.test",
            "--message",
            "user@fabrikam.test,someone@tailspintoys.test",
        ],
    );
    let r = json(&out);
    let replies = r["replies"].as_array().unwrap();
    assert_eq!(replies.len(), 2, "{r}");
    for m in replies {
        assert!(m["reply"].as_str().unwrap().starts_with("250"), "{m}");
        // Without a scenario there is nothing to compare with.
        assert!(m["simulated"].is_null());
    }
    let rsets = r["dialogue"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["sent"] == "RSET")
        .count();
    assert_eq!(rsets, 2);
    assert!(r["notes"].to_string().contains("No scenario given"));
}

#[test]
fn a_dry_run_prints_the_dialogue_and_contacts_nobody() {
    let lab = Lab::generate();
    let file = pfx(&lab, "listed.pfx", &lab.listed);
    let scenario = lab.scenario(&lab.listed);
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let target = format!("127.0.0.1:{}", listener.local_addr().unwrap().port());
    let (out, _) = relaycheck(
        &[
            "probe",
            "relay",
            "--mx",
            &target,
            "--certificate",
            &file,
            "--password-env",
            "PROBE_PFX_PASSWORD",
            "--scenario",
            &scenario,
            "--dry-run",
        ],
        &[("PROBE_PFX_PASSWORD", PASSWORD)],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(listener.accept().is_err(), "the dry run connected");
    let text = stdout(&out);
    for line in [
        "The dialogue relaycheck would have (nothing was sent):",
        "C: EHLO relay.contoso.test",
        "C: STARTTLS",
        "C: MAIL FROM:<>",
        "C: RCPT TO:<john@fabrikam.test>",
        "C: RSET",
        "C: QUIT",
        "simulated: relayed: 250",
    ] {
        assert!(text.contains(line), "{line} missing:\n{text}");
    }
    assert!(
        !text.contains("DATA\n") && !text.contains("C: DATA"),
        "{text}"
    );
    no_secret(&out, &lab.listed);
}

#[test]
fn a_wrong_or_missing_password_is_an_input_error_without_the_password() {
    let lab = Lab::generate();
    let file = pfx(&lab, "listed.pfx", &lab.listed);
    let (out, _) = relaycheck(
        &[
            "probe",
            "relay",
            "--mx",
            "127.0.0.1:1",
            "--certificate",
            &file,
            "--password-env",
            "PROBE_PFX_PASSWORD",
            "--message",
            "<>,a@b.test",
        ],
        &[("PROBE_PFX_PASSWORD", "not-the-password-xyz")],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("listed.pfx"), "{err}");
    assert!(!err.contains("not-the-password-xyz"), "{err}");
    let (out, _) = relaycheck(
        &[
            "probe",
            "relay",
            "--mx",
            "127.0.0.1:1",
            "--certificate",
            &file,
            "--message",
            "<>,a@b.test",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--password-env"), "{}", stderr(&out));
    // No messages and no scenario: said, not guessed.
    let (out, _) = relaycheck(
        &[
            "probe",
            "relay",
            "--mx",
            "127.0.0.1:1",
            "--certificate",
            &file,
            "--password-env",
            "P",
        ],
        &[("P", PASSWORD)],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no test messages"),
        "{}",
        stderr(&out)
    );
}
