//! `probe smtp` against a real Postfix: the chain, TLS, and the certificate judged by the
//! same checks as `check`.

use crate::Lab;
use crate::kit::{json, relaycheck, stderr, stdout};

fn ids(report: &serde_json::Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_complete_chain_is_recorded_with_thumbprints_tls_and_no_chain_finding() {
    let lab = Lab::generate();
    let Some(pf) = lab.postfix() else { return };
    let target = format!("127.0.0.1:{}", pf.good);
    let root = lab.path("root.pem");
    let (out, _) = relaycheck(
        &[
            "probe",
            "smtp",
            &target,
            "--trusted-root",
            &root,
            "--format",
            "json",
        ],
        &[],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    let r = json(&out);
    assert_eq!(r["schema"], "relaycheck.probe.v1");
    assert_eq!(r["kind"], "smtp");
    assert_eq!(r["target"], target);
    assert_eq!(r["sent_data"], false);
    assert!(r["error"].is_null(), "{r}");
    assert_eq!(r["starttls_offered"], true);
    let version = r["tls"]["version"].as_str().unwrap();
    assert!(version == "TLSv1.3" || version == "TLSv1.2", "{version}");
    assert!(
        r["tls"]["cipher"].as_str().unwrap().contains("AES")
            || r["tls"]["cipher"].as_str().unwrap().contains("CHACHA")
    );
    let chain = r["chain"].as_array().unwrap();
    assert_eq!(chain.len(), 2, "leaf and intermediate: {r}");
    assert_eq!(chain[0]["thumbprint"], lab.server.thumbprint());
    assert_eq!(chain[1]["thumbprint"], lab.pki.intermediate.thumbprint());
    let tp = chain[0]["thumbprint"].as_str().unwrap();
    assert_eq!(tp.len(), 40);
    assert!(
        tp.chars()
            .all(|c| c.is_ascii_digit() || ('A'..='F').contains(&c))
    );
    assert!(
        chain[0]["subject"]
            .as_str()
            .unwrap()
            .contains("CN=mail.contoso.test")
    );
    assert!(
        chain[0]["issuer"]
            .as_str()
            .unwrap()
            .contains("Probe Test Issuing CA")
    );
    let found = ids(&r);
    assert!(
        !found.iter().any(|i| i.starts_with("cert-chain")
            || i == "cert-untrusted-root"
            || i == "cert-expired"),
        "{found:?}"
    );
    // The banner and EHLO were read; STARTTLS was offered and used.
    assert!(
        r["banner"]
            .as_str()
            .unwrap()
            .starts_with("220 probe-test.localdomain")
    );
    let steps: Vec<&str> = r["dialogue"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["step"].as_str().unwrap())
        .collect();
    assert_eq!(
        steps,
        ["banner", "ehlo", "starttls", "ehlo-after-tls", "quit"]
    );
}

#[test]
fn text_output_names_the_chain_and_the_host_name_rule_fires_only_where_the_name_is_missing() {
    let lab = Lab::generate();
    let Some(pf) = lab.postfix() else { return };
    // localhost is on the server's certificate…
    let good = format!("localhost:{}", pf.good);
    let (out, _) = relaycheck(
        &[
            "probe",
            "smtp",
            &good,
            "--trusted-root",
            &lab.path("root.pem"),
        ],
        &[],
    );
    let text = stdout(&out);
    assert!(text.contains("Chain presented by the server:"), "{text}");
    assert!(text.contains(&lab.server.thumbprint()), "{text}");
    assert!(text.contains("DATA was never sent"), "{text}");
    assert!(!text.contains("probe-host-not-on-cert"), "{text}");
    // …and not on the expired one.
    let expired = format!("localhost:{}", pf.expired);
    let (out, _) = relaycheck(&["probe", "smtp", &expired, "--format", "json"], &[]);
    let r = json(&out);
    assert!(
        ids(&r).contains(&"probe-host-not-on-cert".to_string()),
        "{r}"
    );
}

#[test]
fn a_server_without_its_intermediate_gives_cert_chain_incomplete() {
    let lab = Lab::generate();
    let Some(pf) = lab.postfix() else { return };
    let target = format!("127.0.0.1:{}", pf.incomplete);
    let (out, _) = relaycheck(
        &[
            "probe",
            "smtp",
            &target,
            "--trusted-root",
            &lab.path("root.pem"),
            "--format",
            "json",
        ],
        &[],
    );
    let r = json(&out);
    assert_eq!(r["chain"].as_array().unwrap().len(), 1, "{r}");
    let f = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "cert-chain-incomplete")
        .unwrap_or_else(|| panic!("no cert-chain-incomplete: {r}"));
    assert_eq!(f["severity"], "warning");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("Probe Test Issuing CA"),
        "{f}"
    );
    // A warning: the probe itself succeeded.
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn an_expired_certificate_is_an_error_and_exit_1() {
    let lab = Lab::generate();
    let Some(pf) = lab.postfix() else { return };
    let target = format!("127.0.0.1:{}", pf.expired);
    let (out, _) = relaycheck(
        &[
            "probe",
            "smtp",
            &target,
            "--trusted-root",
            &lab.path("root.pem"),
            "--format",
            "json",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let r = json(&out);
    assert_eq!(r["chain"][0]["thumbprint"], lab.expired.thumbprint());
    let f = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "cert-expired")
        .unwrap_or_else(|| panic!("no cert-expired: {r}"));
    assert_eq!(f["severity"], "error");
    assert!(
        !ids(&r).contains(&"cert-chain-incomplete".to_string()),
        "{r}"
    );
}

#[test]
fn a_server_without_starttls_stops_at_the_starttls_step() {
    let lab = Lab::generate();
    let Some(pf) = lab.postfix() else { return };
    let target = format!("127.0.0.1:{}", pf.plain);
    let (out, _) = relaycheck(&["probe", "smtp", &target, "--format", "json"], &[]);
    assert_eq!(out.status.code(), Some(1));
    let r = json(&out);
    assert_eq!(r["starttls_offered"], false);
    assert_eq!(r["error"]["step"], "starttls", "{r}");
    assert!(r["tls"].is_null());
    assert!(r["chain"].as_array().unwrap().is_empty());
    let (out, _) = relaycheck(&["probe", "smtp", &target], &[]);
    let text = stdout(&out);
    assert!(
        text.contains("Stopped at STARTTLS: the server does not offer STARTTLS"),
        "{text}"
    );
}

#[test]
fn the_scenario_says_whether_the_server_presents_its_selected_certificate() {
    let lab = Lab::generate();
    let Some(pf) = lab.postfix() else { return };
    let target = format!("127.0.0.1:{}", pf.good);
    // The scenario selects the server's certificate: said as a note, no finding.
    let scenario = lab.scenario(&lab.server);
    let (out, _) = relaycheck(
        &[
            "probe",
            "smtp",
            &target,
            "--scenario",
            &scenario,
            "--format",
            "json",
        ],
        &[],
    );
    let r = json(&out);
    assert!(
        !ids(&r).contains(&"probe-certificate-differs".to_string()),
        "{r}"
    );
    let notes = r["notes"].to_string();
    assert!(
        notes.contains("presents the certificate the scenario selects"),
        "{notes}"
    );
    assert!(
        notes.contains("matches the inbound connector \\\"Inbound from contoso\\\""),
        "{notes}"
    );
    assert!(
        notes.contains("HCW would write TlsSenderCertificateName *.contoso.test"),
        "{notes}"
    );
    assert!(notes.contains("usually, not always"), "{notes}");
    // Trusted by the scenario's trusted_roots: no chain finding.
    assert!(!ids(&r).contains(&"cert-untrusted-root".to_string()), "{r}");
    // The scenario selects another certificate: a finding naming both thumbprints.
    let scenario = lab.scenario(&lab.listed);
    let (out, _) = relaycheck(
        &[
            "probe",
            "smtp",
            &target,
            "--scenario",
            &scenario,
            "--format",
            "json",
        ],
        &[],
    );
    let r = json(&out);
    let f = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "probe-certificate-differs")
        .unwrap_or_else(|| panic!("no probe-certificate-differs: {r}"));
    let m = f["message"].as_str().unwrap();
    assert!(
        m.contains(&lab.server.thumbprint()) && m.contains(&lab.listed.thumbprint()),
        "{m}"
    );
}

#[test]
fn bad_targets_and_flags_are_input_errors() {
    for args in [
        vec!["probe", "smtp", "bad host"],
        vec!["probe", "smtp", "mail.contoso.test:99999"],
        vec!["probe", "smtp", "mail.contoso.test", "--reply-timeout", "0"],
        vec!["probe", "smtp", "mail.contoso.test", "--ehlo", "a b"],
    ] {
        let (out, _) = relaycheck(&args, &[]);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains("error"), "{args:?}");
        assert!(stdout(&out).is_empty());
    }
}
