//! `relaycheck check` as a process: exit codes, errors on stderr, the JSON document, the text
//! and Markdown reports, colour, and input files left untouched.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;
use tempfile::TempDir;

const NOW: &str = "2026-11-22T12:00:00Z";
const ATTR36: &str = "550 5.7.64 Relay Access Denied ATTR36. For more details please refer to: https://support.microsoft.com/kb/3169958";

fn example(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("assets/examples")
        .join(name)
}

fn relaycheck() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_relaycheck"));
    c.env_remove("NO_COLOR").env_remove("CLICOLOR_FORCE");
    c
}

fn check(scenario: &Path, extra: &[&str]) -> Output {
    relaycheck()
        .args(["check", "--now", NOW, "--scenario"])
        .arg(scenario)
        .args(extra)
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn json(scenario: &Path) -> (Option<i32>, Value) {
    let o = check(scenario, &["--format", "json"]);
    let doc = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}{}", stdout(&o), stderr(&o)));
    (o.status.code(), doc)
}

/// A scenario that only warns: a certificate 45 days from expiry, everything else right.
const WARN_SCENARIO: &str = r#"version: 1
tenant:
  accepted_domains:
    - domain: contoso.com
      default: true
certificate:
  generate:
    cn: mail.contoso.com
    sans: [mail.contoso.com]
    valid_from: -300d
    valid_until: +45d
inbound_connectors:
  - name: Inbound from on-premises
    tls_sender_certificate_name: "*.contoso.com"
on_premises:
  organization_fqdn: mail.contoso.com
"#;

fn write(dir: &TempDir, name: &str, content: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.path().join(name);
    std::fs::write(&p, content).unwrap();
    p
}

// ---------------------------------------------------------------------------------------
// Exit codes
// ---------------------------------------------------------------------------------------

#[test]
fn exit_0_on_pass() {
    let (code, doc) = json(&example("recommended-wildcard.yaml"));
    assert_eq!(doc["verdict"], "pass");
    assert_eq!(code, Some(0));
}

#[test]
fn exit_0_on_warn() {
    let dir = TempDir::new().unwrap();
    let s = write(&dir, "warn.yaml", WARN_SCENARIO);
    let (code, doc) = json(&s);
    assert_eq!(doc["verdict"], "warn", "{doc:#}");
    assert_eq!(code, Some(0));
    let ids: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "warning")
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["cert-expiring"]);
}

#[test]
fn exit_1_on_fail() {
    for name in [
        "seed000-apex-not-verified.yaml",
        "seed002-ip-only-connector.yaml",
    ] {
        let o = check(&example(name), &[]);
        assert_eq!(o.status.code(), Some(1), "{name}");
        assert!(stdout(&o).contains("FAIL"), "{name}");
        assert!(stderr(&o).is_empty(), "{name}: {}", stderr(&o));
    }
}

// ---------------------------------------------------------------------------------------
// Unusable input: exit 2, one paragraph on stderr naming the file and the problem
// ---------------------------------------------------------------------------------------

/// Runs `check` on an unusable input and returns stderr after the common assertions.
fn refused(scenario: &Path, extra: &[&str]) -> String {
    let o = relaycheck()
        .env("RUST_BACKTRACE", "1")
        .args(["check", "--scenario"])
        .arg(scenario)
        .args(extra)
        .output()
        .unwrap();
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "stderr: {err}");
    assert!(o.stdout.is_empty(), "nothing on stdout: {}", stdout(&o));
    assert!(err.starts_with("relaycheck: error: "), "{err}");
    let body = err.trim_end();
    assert!(!body.is_empty());
    assert!(
        !body.contains("\n\n"),
        "one paragraph, no blank line: {err}"
    );
    for noise in [
        "panicked",
        "backtrace",
        "Backtrace",
        "RUST_BACKTRACE",
        "Location:",
    ] {
        assert!(!err.contains(noise), "{noise:?} in {err}");
    }
    err
}

/// A scenario that points at `cert` (a file name in the same folder).
fn scenario_with_cert(dir: &TempDir, cert: &str) -> PathBuf {
    write(
        dir,
        "scenario.yaml",
        format!(
            "version: 1\ntenant:\n  accepted_domains:\n    - domain: contoso.com\ncertificate:\n  file: {cert}\n"
        ),
    )
}

fn der_of_example_cert() -> Vec<u8> {
    let pem = std::fs::read_to_string(example("certs/mail-contoso.pem")).unwrap();
    let (_, block) = x509_parser::pem::parse_x509_pem(pem.as_bytes()).unwrap();
    block.contents
}

#[test]
fn missing_scenario_file() {
    let dir = TempDir::new().unwrap();
    let p = dir.path().join("nope.yaml");
    let err = refused(&p, &[]);
    assert!(err.contains(&p.display().to_string()), "{err}");
    assert!(err.contains("does not exist"), "{err}");
}

#[test]
fn missing_certificate_file() {
    let dir = TempDir::new().unwrap();
    let s = scenario_with_cert(&dir, "gone.pem");
    let err = refused(&s, &[]);
    assert!(err.contains("gone.pem"), "{err}");
    assert!(err.contains("does not exist"), "{err}");
}

#[test]
fn not_a_certificate() {
    let dir = TempDir::new().unwrap();
    write(&dir, "notes.pem", "hello, this is not a certificate\n");
    let err = refused(&scenario_with_cert(&dir, "notes.pem"), &[]);
    assert!(err.contains("notes.pem"), "{err}");
    assert!(err.contains("not a certificate"), "{err}");
}

#[test]
fn truncated_der() {
    let dir = TempDir::new().unwrap();
    let der = der_of_example_cert();
    write(&dir, "cut.cer", &der[..der.len() / 2]);
    let err = refused(&scenario_with_cert(&dir, "cut.cer"), &[]);
    assert!(err.contains("cut.cer"), "{err}");
    assert!(err.contains("not a valid X.509 certificate"), "{err}");
}

/// The reason for a truncated DER file should say so in words; src/cert/mod.rs `describe`
/// means to ("the data is truncated" / "malformed or truncated"), but x509-parser reports
/// this truncation as `X509Error::NomError(Eof)`, which falls through to its Display.
#[test]
fn truncated_der_says_truncated() {
    let dir = TempDir::new().unwrap();
    let der = der_of_example_cert();
    write(&dir, "cut.cer", &der[..der.len() / 2]);
    let err = refused(&scenario_with_cert(&dir, "cut.cer"), &[]);
    assert!(err.contains("truncated"), "{err}");
    assert!(!err.contains("nom error"), "{err}");
}

#[test]
fn empty_certificate_file() {
    let dir = TempDir::new().unwrap();
    write(&dir, "empty.cer", b"");
    let err = refused(&scenario_with_cert(&dir, "empty.cer"), &[]);
    assert!(err.contains("empty.cer: the file is empty"), "{err}");
}

#[test]
fn empty_scenario_file() {
    let dir = TempDir::new().unwrap();
    let s = write(&dir, "empty.yaml", "\n");
    let err = refused(&s, &[]);
    assert!(err.contains("empty.yaml"), "{err}");
    assert!(err.contains("empty"), "{err}");
}

#[test]
fn yaml_type_error() {
    let dir = TempDir::new().unwrap();
    let s = write(
        &dir,
        "types.yaml",
        "inbound_connectors:\n  - name: Inbound\n    enabled: maybe\n",
    );
    let err = refused(&s, &[]);
    assert!(err.contains("types.yaml"), "{err}");
    assert!(err.contains("inbound_connectors[0].enabled"), "{err}");
    assert!(err.contains("expected a boolean"), "{err}");
    assert!(err.contains("line 3"), "{err}");
}

#[test]
fn unknown_key_named_with_its_line() {
    let dir = TempDir::new().unwrap();
    let s = write(
        &dir,
        "unknown.yaml",
        "version: 1\ntenant:\n  accepted_domains:\n    - domain: contoso.com\n      colour: red\n",
    );
    let err = refused(&s, &[]);
    assert!(err.contains("unknown.yaml"), "{err}");
    assert!(err.contains("unknown field `colour`"), "{err}");
    assert!(err.contains("line 5"), "{err}");
}

#[test]
fn invalid_domain_name() {
    let dir = TempDir::new().unwrap();
    let s = write(
        &dir,
        "domain.yaml",
        "tenant:\n  accepted_domains:\n    - domain: con toso.com\n",
    );
    let err = refused(&s, &[]);
    assert!(err.contains("domain.yaml"), "{err}");
    assert!(
        err.contains("\"con toso.com\" is not a valid domain name"),
        "{err}"
    );
    assert!(err.contains("line 3"), "{err}");
}

#[test]
fn invalid_email_address() {
    let dir = TempDir::new().unwrap();
    let s = write(
        &dir,
        "mail.yaml",
        "tenant:\n  accepted_domains:\n    - domain: contoso.com\nmessages:\n  - mail_from: kate@contoso.com\n    rcpt_to: john\n",
    );
    let err = refused(&s, &[]);
    assert!(err.contains("mail.yaml"), "{err}");
    assert!(err.contains("\"john\" is not an e-mail address"), "{err}");
}

#[test]
fn bad_now() {
    let err = refused(
        &example("recommended-wildcard.yaml"),
        &["--now", "yesterday"],
    );
    assert!(err.contains("--now \"yesterday\""), "{err}");
    assert!(err.contains("RFC 3339"), "{err}");
}

#[test]
fn missing_scenario_argument_is_a_usage_error() {
    let o = relaycheck().arg("check").output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--scenario"));
}

// ---------------------------------------------------------------------------------------
// JSON
// ---------------------------------------------------------------------------------------

fn keys(v: &Value) -> BTreeSet<&str> {
    v.as_object()
        .unwrap_or_else(|| panic!("not an object: {v}"))
        .keys()
        .map(String::as_str)
        .collect()
}

fn string_or_null(v: &Value) -> bool {
    v.is_string() || v.is_null()
}

/// The shape scripts rely on (relaycheck.report.v1), with its types, on a failing example.
#[test]
fn json_document_shape() {
    let (code, doc) = json(&example("seed000-host-two-levels-down.yaml"));
    assert_eq!(code, Some(1));
    assert_eq!(
        keys(&doc),
        BTreeSet::from([
            "schema",
            "verdict",
            "headline",
            "input_notes",
            "evaluated_at",
            "hcw",
            "recommended_tls_sender_certificate_name",
            "summary",
            "findings",
            "mail_flow",
            "plan",
            "inventory",
        ])
    );
    assert_eq!(doc["schema"], "relaycheck.report.v1");
    assert_eq!(doc["verdict"], "fail");
    assert_eq!(doc["evaluated_at"], NOW);
    assert!(doc["headline"].is_string());

    let hcw = &doc["hcw"];
    assert_eq!(
        keys(hcw),
        BTreeSet::from(["certificate_name", "tls_sender_certificate_name", "warning"])
    );
    assert_eq!(hcw["certificate_name"], "hostname.subdomain.contoso.com");
    assert_eq!(
        hcw["tls_sender_certificate_name"],
        "hostname.subdomain.contoso.com"
    );
    assert_eq!(
        hcw["warning"],
        "HCW8103 The certificate provided (hostname.subdomain.contoso.com) does not match a verified domain inside the Office 365 tenant."
    );

    let summary = &doc["summary"];
    for k in ["errors", "warnings", "info", "rejected_messages"] {
        assert!(summary[k].is_u64(), "summary.{k}: {summary}");
    }
    assert_eq!(summary["rejected_messages"], 3);

    let findings = doc["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    for f in findings {
        for k in ["id", "severity", "step", "message", "why", "fix"] {
            assert!(f[k].is_string(), "finding.{k} must be a string: {f}");
        }
        assert!(
            ["error", "warning", "info"].contains(&f["severity"].as_str().unwrap()),
            "{f}"
        );
        assert!(
            ["certificate", "domains", "connector", "mail-flow"]
                .contains(&f["step"].as_str().unwrap()),
            "{f}"
        );
        let allowed = BTreeSet::from([
            "id", "severity", "step", "message", "why", "fix", "actions", "subject",
        ]);
        assert!(keys(f).is_subset(&allowed), "{f}");
    }
    let count = |sev: &str| findings.iter().filter(|f| f["severity"] == sev).count() as u64;
    assert_eq!(summary["errors"], count("error"));
    assert_eq!(summary["warnings"], count("warning"));
    assert_eq!(summary["info"], count("info"));
    let warning = findings
        .iter()
        .find(|f| f["id"] == "cert-name-not-accepted")
        .unwrap();
    assert_eq!(warning["severity"], "warning");
    assert_eq!(warning["step"], "domains");
    assert_eq!(warning["message"], hcw["warning"]);
    assert!(
        warning["fix"]
            .as_str()
            .unwrap()
            .contains("New-MgDomain -Id \"subdomain.contoso.com\"")
    );

    let flow = doc["mail_flow"].as_array().unwrap();
    assert_eq!(flow.len(), 4);
    for m in flow {
        for k in ["name", "mail_from", "rcpt_to", "outcome", "reply"] {
            assert!(m[k].is_string(), "mail_flow.{k} must be a string: {m}");
        }
        assert!(string_or_null(&m["connector"]), "{m}");
        assert!(
            ["relayed", "delivered", "rejected"].contains(&m["outcome"].as_str().unwrap()),
            "{m}"
        );
    }
    assert_eq!(flow[0]["name"], "User mail to the Internet");
    assert_eq!(flow[0]["mail_from"], "user@contoso.com");
    assert_eq!(flow[0]["rcpt_to"], "someone@tailspintoys.com");
    assert_eq!(flow[0]["outcome"], "relayed");
    assert_eq!(flow[1]["name"], "NDR to an external sender");
    assert_eq!(
        flow[1]["mail_from"], "",
        "the null sender is an empty string"
    );
    assert_eq!(flow[1]["outcome"], "rejected");
    assert_eq!(flow[1]["reply"], ATTR36);
}

#[test]
fn json_without_warning_has_null_hcw_warning() {
    let (_, doc) = json(&example("recommended-wildcard.yaml"));
    assert_eq!(doc["hcw"]["tls_sender_certificate_name"], "*.contoso.com");
    assert!(doc["hcw"]["warning"].is_null());
    assert_eq!(
        doc["recommended_tls_sender_certificate_name"],
        "*.contoso.com"
    );
    assert_eq!(doc["summary"]["rejected_messages"], 0);
}

#[test]
fn json_is_the_only_output_and_is_valid_even_on_fail() {
    let o = check(
        &example("seed002-ip-only-connector.yaml"),
        &["--format", "json"],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stderr.is_empty());
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["verdict"], "fail");
    assert!(!stdout(&o).contains('\x1b'));
}

// ---------------------------------------------------------------------------------------
// Text and Markdown
// ---------------------------------------------------------------------------------------

fn line_of(text: &str, prefix: &str) -> usize {
    text.lines()
        .position(|l| l.starts_with(prefix))
        .unwrap_or_else(|| panic!("no line starting {prefix:?} in\n{text}"))
}

#[test]
fn text_groups_findings_by_step_with_severity_words() {
    let o = check(&example("seed000-host-two-levels-down.yaml"), &[]);
    let t = stdout(&o);
    let steps = [
        line_of(&t, "1 Certificate:"),
        line_of(&t, "2 Domains:"),
        line_of(&t, "3 Connector:"),
        line_of(&t, "4 Mail flow:"),
    ];
    assert!(steps.windows(2).all(|w| w[0] < w[1]), "{t}");
    let at = |needle: &str| {
        t.lines()
            .position(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("{needle:?} missing in\n{t}"))
    };
    let info = at("INFO     cert-no-private-key");
    assert!(steps[0] < info && info < steps[1], "certificate step");
    let hcw = at("WARNING  cert-name-not-accepted");
    assert!(steps[1] < hcw && hcw < steps[2], "domains step");
    let conn = at("ERROR    connector-domain-not-accepted");
    assert!(steps[2] < conn && conn < steps[3], "connector step");
    assert!(at("REJECTED") > steps[3] && at("RELAYED") > steps[3]);
    assert!(t.contains(
        "HCW8103 The certificate provided (hostname.subdomain.contoso.com) does not match a verified domain inside the Office 365 tenant."
    ));
    assert!(t.lines().next().unwrap().starts_with("relaycheck: "));
    assert!(t.contains("FAIL"));
    assert!(t.contains("Verdict: FAIL"));
}

#[test]
fn no_colour_with_no_color_or_a_pipe_colour_with_always() {
    let s = example("seed000-host-two-levels-down.yaml");
    let piped = check(&s, &[]);
    assert!(!stdout(&piped).contains('\x1b'), "a pipe gets no ANSI");
    let no_color = relaycheck()
        .env("NO_COLOR", "1")
        .args(["check", "--now", NOW, "--color", "auto", "--scenario"])
        .arg(&s)
        .output()
        .unwrap();
    assert!(!stdout(&no_color).contains('\x1b'), "NO_COLOR gets no ANSI");
    let never = check(&s, &["--color", "never"]);
    assert!(!stdout(&never).contains('\x1b'));
    let always = check(&s, &["--color", "always"]);
    let t = stdout(&always);
    assert!(t.contains("\x1b["), "--color always gets ANSI");
    assert!(t.contains("\x1b[0m"));
    // Colour only adds to the words.
    let plain = stdout(&piped);
    let stripped = strip_ansi(&t);
    assert_eq!(stripped, plain);
}

fn strip_ansi(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\x1b' && chars.peek() == Some(&'[') {
            for d in chars.by_ref() {
                if d.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn markdown_has_its_sections() {
    let o = check(
        &example("seed000-host-two-levels-down.yaml"),
        &["--format", "markdown"],
    );
    assert_eq!(o.status.code(), Some(1));
    let md = stdout(&o);
    assert!(md.starts_with("# relaycheck report\n"), "{md}");
    assert!(md.contains("- **Verdict:** FAIL"));
    for heading in [
        "## 1 Certificate: ",
        "## 2 Domains: ",
        "## 3 Connector: ",
        "## 4 Mail flow: ",
        "## Remediation",
    ] {
        assert!(
            md.lines().any(|l| l.starts_with(heading)),
            "{heading:?} missing:\n{md}"
        );
    }
    let pos = |s: &str| md.find(s).unwrap();
    assert!(pos("## 1 Certificate") < pos("## 2 Domains"));
    assert!(pos("## 2 Domains") < pos("## 3 Connector"));
    assert!(pos("## 3 Connector") < pos("## 4 Mail flow"));
    assert!(pos("## 4 Mail flow") < pos("## Remediation"));
    assert!(md.contains("| Severity | Check | Finding | Fix |"));
    assert!(md.contains("| Message | MAIL FROM | RCPT TO | Outcome | Reply | Decided by |"));
    assert!(md.contains("| warning | `cert-name-not-accepted` |"));
    assert!(md.contains("| NDR to an external sender | `<>` | `john@fabrikam.com` | rejected |"));
    assert!(md.contains("```powershell\n"));
    assert!(md.contains("New-MgDomain -Id \"subdomain.contoso.com\""));
    assert!(!md.contains('\x1b'));
}

// ---------------------------------------------------------------------------------------
// Inputs are read, never written
// ---------------------------------------------------------------------------------------

fn snapshot(paths: &[PathBuf]) -> Vec<(Vec<u8>, std::time::SystemTime)> {
    paths
        .iter()
        .map(|p| {
            let m = std::fs::metadata(p).unwrap();
            (std::fs::read(p).unwrap(), m.modified().unwrap())
        })
        .collect()
}

#[test]
fn input_files_are_not_modified() {
    let dir = TempDir::new().unwrap();
    let cert = write(
        &dir,
        "mail-contoso.pem",
        std::fs::read(example("certs/mail-contoso.pem")).unwrap(),
    );
    let root = write(
        &dir,
        "lab-ca.pem",
        std::fs::read(example("certs/lab-ca.pem")).unwrap(),
    );
    let scenario = write(
        &dir,
        "scenario.yaml",
        std::fs::read_to_string(example("seed002-host-instead-of-wildcard.yaml"))
            .unwrap()
            .replace("certs/mail-contoso.pem", "mail-contoso.pem")
            .replace("certs/lab-ca.pem", "lab-ca.pem"),
    );
    let warn = write(&dir, "warn.yaml", WARN_SCENARIO);
    let inputs = vec![scenario.clone(), cert, root, warn.clone()];
    let before = snapshot(&inputs);
    let listing = |d: &Path| {
        let mut v: Vec<_> = std::fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        v.sort();
        v
    };
    let files_before = listing(dir.path());
    for s in [&scenario, &warn] {
        for format in ["text", "json", "markdown"] {
            let o = check(s, &["--format", format]);
            assert!(matches!(o.status.code(), Some(0 | 1)), "{}", stderr(&o));
        }
    }
    assert!(snapshot(&inputs) == before, "an input file changed");
    assert_eq!(listing(dir.path()), files_before, "no file was added");
}

/// Without a certificate HCW has nothing to read: the hcw fields are null, not missing.
#[test]
fn json_without_certificate_has_null_hcw_fields() {
    let dir = TempDir::new().unwrap();
    let s = write(
        &dir,
        "no-cert.yaml",
        "version: 1\ntenant:\n  accepted_domains:\n    - domain: contoso.com\ninbound_connectors:\n  - name: Inbound from on-premises\n    sender_ip_addresses: [203.0.113.10]\non_premises:\n  ip: 203.0.113.10\n",
    );
    let (code, doc) = json(&s);
    assert_eq!(code, Some(1), "NDRs bounce over IP only");
    let hcw = &doc["hcw"];
    assert_eq!(
        keys(hcw),
        BTreeSet::from(["certificate_name", "tls_sender_certificate_name", "warning"])
    );
    assert!(hcw["certificate_name"].is_null());
    assert!(hcw["tls_sender_certificate_name"].is_null());
    assert!(hcw["warning"].is_null());
    let outcomes: Vec<&str> = doc["mail_flow"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(outcomes, ["relayed", "rejected", "rejected", "rejected"]);
}
