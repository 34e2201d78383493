//! Direct Send through the binary (rule RELAY step 3): a server whose address no connector
//! lists is anonymous. Mail to the tenant's own users is delivered as Direct Send until
//! RejectDirectSend is on, read from the scenario or from `--organization-config`; then it
//! bounces with 5.7.68, and the exit code says FAIL.

use std::path::Path;
use std::process::{Command, Output};

const NOW: &str = "2026-11-22T12:00:00Z";
const REPLY_5_7_68: &str = "550 5.7.68 TenantInboundAttribution; Direct Send not allowed for this organization from unauthorized sources";

fn relaycheck(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_relaycheck"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("relaycheck runs")
}

/// The server moved to 198.51.100.7; the connector still lists the old range.
fn scenario(dir: &Path, reject_direct_send: bool) -> String {
    let p = dir.join(format!("moved-{reject_direct_send}.yaml"));
    std::fs::write(
        &p,
        format!(
            "version: 1
tenant:
  reject_direct_send: {reject_direct_send}
  accepted_domains:
    - domain: contoso.com
      default: true
    - domain: contoso.onmicrosoft.com
inbound_connectors:
  - name: Inbound from on-premises
    sender_ip_addresses: [203.0.113.0/28]
on_premises:
  ip: 198.51.100.7
messages:
  - name: Mail to a colleague in Exchange Online
    mail_from: kate@contoso.com
    rcpt_to: ben@contoso.com
  - name: User mail to the Internet
    mail_from: kate@contoso.com
    rcpt_to: someone@tailspintoys.com
"
        ),
    )
    .unwrap();
    p.to_string_lossy().into_owned()
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

#[test]
fn without_reject_direct_send_mail_to_colleagues_arrives_as_direct_send() {
    let dir = tempfile::tempdir().unwrap();
    let out = relaycheck(&[
        "check",
        "-s",
        &scenario(dir.path(), false),
        "--now",
        NOW,
        "-f",
        "json",
    ]);
    let doc = json(&out);
    let flow = doc["mail_flow"].as_array().unwrap();
    assert_eq!(flow[0]["outcome"], "delivered");
    assert_eq!(flow[0]["decided_by"], "anonymous");
    assert_eq!(flow[0]["matched_by"], "none");
    assert_eq!(flow[1]["outcome"], "rejected");
    assert_eq!(
        flow[1]["reply"],
        "550 5.7.64 TenantAttribution; Relay Access Denied"
    );
    assert_eq!(out.status.code(), Some(1), "relay to the Internet fails");
}

#[test]
fn reject_direct_send_in_the_scenario_bounces_them_with_5_7_68() {
    let dir = tempfile::tempdir().unwrap();
    let out = relaycheck(&["check", "-s", &scenario(dir.path(), true), "--now", NOW]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains(REPLY_5_7_68), "{text}");
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn organization_config_turns_it_on_over_the_scenario() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("organization-config.json");
    std::fs::write(
        &config,
        r#"{"Name": "contoso.onmicrosoft.com", "RejectDirectSend": true}"#,
    )
    .unwrap();
    let out = relaycheck(&[
        "check",
        "-s",
        &scenario(dir.path(), false),
        "--organization-config",
        config.to_str().unwrap(),
        "--now",
        NOW,
        "-f",
        "json",
    ]);
    let doc = json(&out);
    let flow = doc["mail_flow"].as_array().unwrap();
    assert_eq!(flow[0]["outcome"], "rejected");
    assert_eq!(flow[0]["reply"], REPLY_5_7_68);
    // The plan gives the server's address to the connector, never turns RejectDirectSend off.
    let plan = doc["plan"].as_array().unwrap();
    assert!(
        !plan.iter().any(|s| s["step"] == "set-reject-direct-send"),
        "{plan:#?}"
    );
}
