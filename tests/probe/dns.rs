//! `probe dns` against dnsmasq serving a test zone on loopback.

use std::time::Duration;

use crate::kit::{Dnsmasq, free_port, json, relaycheck, stderr, stdout, write};

fn zone() -> Vec<String> {
    [
        // contoso.test: everything Exchange Online needs.
        "--txt-record=contoso.test,MS=ms12345678",
        "--txt-record=contoso.test,v=spf1 include:spf.protection.outlook.com -all",
        "--mx-host=contoso.test,contoso-test.mail.protection.outlook.com,0",
        // fabrikam.test: MX on premises, SPF without Exchange Online, no MS= record.
        "--txt-record=fabrikam.test,v=spf1 mx -all",
        "--mx-host=fabrikam.test,mail.fabrikam.test,10",
        // pending.test: verification record published, nothing else of interest.
        "--txt-record=pending.test,MS=ms87654321",
        "--txt-record=pending.test,v=spf1 include:spf.protection.outlook.com ~all",
        "--mx-host=pending.test,pending-test.mail.protection.outlook.com,0",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

fn findings_for(r: &serde_json::Value, domain: &str) -> Vec<String> {
    r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["message"].as_str().unwrap().contains(domain))
        .map(|f| f["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn verification_txt_mx_and_spf_are_read_and_judged_per_domain() {
    let Some(dns) = Dnsmasq::start(&zone()) else {
        return;
    };
    let server = format!("127.0.0.1:{}", dns.port);
    let (out, took) = relaycheck(
        &[
            "probe",
            "dns",
            "contoso.test",
            "fabrikam.test",
            "--dns-server",
            &server,
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
    assert_eq!(r["kind"], "dns");
    assert_eq!(r["sent_data"], false);
    let contoso = &r["domains"][0];
    assert_eq!(contoso["domain"], "contoso.test");
    assert_eq!(
        contoso["verification"],
        serde_json::json!(["MS=ms12345678"])
    );
    assert_eq!(
        contoso["mx"][0]["host"],
        "contoso-test.mail.protection.outlook.com"
    );
    assert_eq!(contoso["mx"][0]["exchange_online"], true);
    assert_eq!(contoso["spf_includes_exchange_online"], true);
    // Where nothing is wrong, nothing fires.
    assert!(findings_for(&r, "contoso.test").is_empty(), "{r}");

    let fabrikam = &r["domains"][1];
    assert!(fabrikam["verification"].as_array().unwrap().is_empty());
    assert_eq!(fabrikam["mx"][0]["exchange_online"], false);
    assert_eq!(fabrikam["spf_includes_exchange_online"], false);
    let ids = findings_for(&r, "fabrikam.test");
    for id in [
        "probe-dns-verification-missing",
        "probe-dns-mx-not-exchange-online",
        "probe-dns-spf-no-exchange-online",
    ] {
        assert!(ids.contains(&id.to_string()), "{id} missing: {ids:?}");
    }
    assert!(took < Duration::from_secs(10), "took {took:?}");

    let (out, _) = relaycheck(
        &["probe", "dns", "fabrikam.test", "--dns-server", &server],
        &[],
    );
    let text = stdout(&out);
    assert!(text.contains("MX 10 mail.fabrikam.test"), "{text}");
    assert!(text.contains("SPF: v=spf1 mx -all"), "{text}");
    assert!(text.contains("Verification TXT: none"), "{text}");
}

#[test]
fn a_pending_domain_says_whether_its_txt_record_is_published() {
    let Some(dns) = Dnsmasq::start(&zone()) else {
        return;
    };
    let server = format!("127.0.0.1:{}", dns.port);
    let dir = tempfile::tempdir().unwrap();
    let scenario = write(
        dir.path(),
        "s.yaml",
        b"version: 1
tenant:
  accepted_domains:
    - domain: contoso.test
      default: true
    - domain: pending.test
      verified: false
    - domain: fabrikam.test
      verified: false
",
    );
    let scenario = scenario.display().to_string();
    let (out, _) = relaycheck(
        &[
            "probe",
            "dns",
            "pending.test",
            "fabrikam.test",
            "--dns-server",
            &server,
            "--scenario",
            &scenario,
            "--format",
            "json",
        ],
        &[],
    );
    let r = json(&out);
    let notes = r["notes"].to_string();
    assert!(
        notes.contains(
            "pending.test is pending verification in the tenant and its MS= TXT record is published"
        ),
        "{notes}"
    );
    let f = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "probe-dns-verification-missing")
        .unwrap_or_else(|| panic!("{r}"));
    assert_eq!(f["severity"], "warning");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .starts_with("fabrikam.test is pending verification"),
        "{f}"
    );
}

#[test]
fn a_dns_server_that_does_not_answer_fails_within_the_timeout() {
    // A UDP port with nobody behind it (and no TCP listener either).
    let port = free_port();
    let server = format!("127.0.0.1:{port}");
    let (out, took) = relaycheck(
        &[
            "probe",
            "dns",
            "contoso.test",
            "--dns-server",
            &server,
            "--timeout",
            "0.5",
            "--format",
            "json",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let r = json(&out);
    assert_eq!(r["error"]["step"], "dns", "{r}");
    assert!(took < Duration::from_secs(6), "took {took:?}");
}

#[test]
fn bad_domains_and_servers_are_input_errors() {
    for args in [
        vec!["probe", "dns", "not a domain"],
        vec![
            "probe",
            "dns",
            "contoso.test",
            "--dns-server",
            "dns.example",
        ],
        vec!["probe", "dns"],
    ] {
        let (out, _) = relaycheck(&args, &[]);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(stdout(&out).is_empty());
    }
}
