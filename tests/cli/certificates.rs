//! `relaycheck certificates` as a process: exit codes (0 listed, 2 an input unusable), the
//! `relaycheck.certificates.v1` JSON, a folder, a PEM bundle, connectors matched, and a
//! hostile subject cleaned before it reaches the terminal.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use relaycheck::lab::{LabCa, LabSpec, issue};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn example(name: &str) -> String {
    root()
        .join("assets/examples/certs")
        .join(name)
        .display()
        .to_string()
}

fn relaycheck(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_relaycheck"))
        .arg("certificates")
        .args(args)
        .env_remove("NO_COLOR")
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(o)))
}

fn lab_pem(cn: &str, sans: &[&str]) -> String {
    let made = issue(
        &LabSpec::new(cn, sans, crate::support::now()),
        LabCa::shared().unwrap(),
    )
    .unwrap();
    made.cert_pem
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.display().to_string()
}

#[test]
fn one_file_is_listed_with_exit_0_and_aligned_columns() {
    let out = relaycheck(&[
        "--certificate",
        &example("mail-contoso.pem"),
        "--now",
        "2026-11-22",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("SUBJECT"), "{text}");
    assert!(lines[1].contains("mail.contoso.com"), "{text}");
    // Aligned (in characters: cut values end in "…"): the file starts under FILE.
    let head: Vec<char> = lines[0].chars().collect();
    let row: Vec<char> = lines[1].chars().collect();
    let file_col = (0..head.len())
        .find(|i| head[*i..].starts_with(&['F', 'I', 'L', 'E']))
        .unwrap();
    let file: String = row[file_col..].iter().collect();
    assert_eq!(file, example("mail-contoso.pem"), "{text}");
    assert!(text.contains("1 certificate; HCW would list"), "{text}");
    assert!(
        !text.contains("CONNECTOR"),
        "no connectors given, no column"
    );
}

#[test]
fn json_has_the_schema_and_one_object_per_certificate_with_connectors_matched() {
    let out = relaycheck(&[
        "--certificate",
        &example("mail-contoso.pem"),
        "--certificate",
        &example("smtp-fabrikam.pem"),
        "--inbound-connectors",
        &root()
            .join("tests/fixtures/import/inbound-connectors.json")
            .display()
            .to_string(),
        "--format",
        "json",
        "--now",
        "2026-11-22",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc = json(&out);
    assert_eq!(doc["schema"], "relaycheck.certificates.v1");
    assert_eq!(doc["count"], 2);
    assert_eq!(doc["errors"].as_array().unwrap().len(), 0);
    let certs = doc["certificates"].as_array().unwrap();
    assert_eq!(certs.len(), 2);
    for key in [
        "file",
        "position",
        "format",
        "subject",
        "issuer",
        "dns_sans",
        "not_before",
        "not_after",
        "days_left",
        "thumbprint",
        "hcw_lists",
        "hcw_not_listed",
        "hcw_writes",
        "connectors",
        "chain",
        "trust",
        "private_key",
    ] {
        assert!(certs[0].get(key).is_some(), "missing {key}: {}", certs[0]);
    }
    assert_eq!(certs[0]["thumbprint"].as_str().unwrap().len(), 40);
    // The example's file carries the lab root, which is no public root: said so.
    assert_eq!(
        certs[0]["trust"],
        "ends at CN=relaycheck Lab Root CA, O=relaycheck training lab, not a public root"
    );
    let names: Vec<&str> = certs[0]["connectors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["tls_sender_certificate_name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"mail.contoso.com"),
        "mail.contoso.com's connector matches: {names:?}"
    );
    assert!(certs[1]["connectors"].as_array().unwrap().is_empty());
}

#[test]
fn a_folder_lists_each_certificate_and_names_the_files_it_skipped() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a.pem",
        &lab_pem("a.contoso.com", &["a.contoso.com"]),
    );
    write(
        dir.path(),
        "b.crt",
        &lab_pem("b.contoso.com", &["b.contoso.com"]),
    );
    write(dir.path(), "readme.txt", "not a certificate");
    let d = dir.path().display().to_string();
    let out = relaycheck(&["--certificate", &d, "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc = json(&out);
    let subjects: Vec<&str> = doc["certificates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["subject"].as_str().unwrap())
        .collect();
    assert_eq!(subjects.len(), 2, "{subjects:?}");
    assert!(subjects[0].contains("CN=a.contoso.com"), "{subjects:?}");
    assert!(subjects[1].contains("CN=b.contoso.com"), "{subjects:?}");
    let notes = doc["input_notes"].to_string();
    assert!(notes.contains("readme.txt"), "{notes}");
}

#[test]
fn a_pem_bundle_gives_each_leaf_with_its_position() {
    let dir = tempfile::tempdir().unwrap();
    let bundle: String = (0..3)
        .map(|i| {
            let n = format!("host{i}.contoso.com");
            lab_pem(&n, &[n.as_str()])
        })
        .collect();
    let f = write(dir.path(), "bundle.pem", &bundle);
    let out = relaycheck(&["--certificate", &f, "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc = json(&out);
    let certs = doc["certificates"].as_array().unwrap();
    assert_eq!(certs.len(), 3);
    for (i, c) in certs.iter().enumerate() {
        assert_eq!(c["position"], i);
        assert!(
            c["subject"]
                .as_str()
                .unwrap()
                .contains(&format!("host{i}.contoso.com"))
        );
    }
}

#[test]
fn a_certificate_with_its_chain_is_one_row_whose_chain_names_the_issuer() {
    let dir = tempfile::tempdir().unwrap();
    let made = issue(
        &LabSpec::new(
            "mail.contoso.com",
            &["mail.contoso.com"],
            crate::support::now(),
        ),
        LabCa::shared().unwrap(),
    )
    .unwrap();
    let text = format!("{}{}", made.cert_pem, made.ca_pem.unwrap());
    let f = write(dir.path(), "chain.pem", &text);
    let out = relaycheck(&["--certificate", &f, "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc = json(&out);
    let certs = doc["certificates"].as_array().unwrap();
    assert_eq!(certs.len(), 1, "{doc}");
    assert!(certs[0]["position"].is_null());
    assert_eq!(certs[0]["chain"].as_array().unwrap().len(), 1);
}

#[test]
fn bad_input_exits_2_and_still_lists_what_could_be_read() {
    let dir = tempfile::tempdir().unwrap();
    let bad = write(dir.path(), "broken.pem", "hello, world");
    let out = relaycheck(&["--certificate", &bad]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("broken.pem"), "{}", stderr(&out));
    assert!(stdout(&out).is_empty(), "nothing listed, no table");

    let missing = dir.path().join("missing.pem").display().to_string();
    let out = relaycheck(&[
        "--certificate",
        &example("mail-contoso.pem"),
        "--certificate",
        &missing,
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let doc = json(&out);
    assert_eq!(doc["count"], 1, "the good file is still listed");
    let errors = doc["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0].as_str().unwrap().contains("does not exist"),
        "{doc}"
    );

    let out = relaycheck(&[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("nothing to list"), "{}", stderr(&out));

    let empty = tempfile::tempdir().unwrap();
    let out = relaycheck(&["--certificate", &empty.path().display().to_string()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no certificate files"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_hostile_subject_is_cleaned_in_the_table() {
    let dir = tempfile::tempdir().unwrap();
    let hostile = "evil\u{1b}[2J\u{202e}moc.otnoc\u{7}";
    let f = write(
        dir.path(),
        "hostile.pem",
        &lab_pem(hostile, &["mail.contoso.com"]),
    );
    let out = relaycheck(&["--certificate", &f]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("CN=evil"), "{text}");
    for c in ['\u{1b}', '\u{202e}', '\u{7}'] {
        assert!(!text.contains(c), "{c:?} reached the terminal: {text:?}");
    }
    // JSON keeps the value as it is, escaped by JSON itself.
    let out = relaycheck(&["--certificate", &f, "--format", "json"]);
    let doc = json(&out);
    assert!(
        doc["certificates"][0]["subject"]
            .as_str()
            .unwrap()
            .contains('\u{202e}')
    );
}

#[test]
fn a_scenario_lists_its_certificates_against_its_own_connectors() {
    let scenario = root()
        .join("assets/examples/seed000-host-two-levels-down.yaml")
        .display()
        .to_string();
    let out = relaycheck(&[
        "--scenario",
        &scenario,
        "--format",
        "json",
        "--now",
        "2026-11-22",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc = json(&out);
    let certs = doc["certificates"].as_array().unwrap();
    assert!(!certs.is_empty(), "{doc}");
    assert!(
        certs[0]["format"].is_null(),
        "the scenario reader does not say"
    );
    assert!(
        certs[0]["connectors"].is_array(),
        "the scenario's connectors are matched: {doc}"
    );
}

#[test]
fn with_accepted_domains_it_says_what_hcw_writes_and_when_it_warns() {
    let domains = root()
        .join("tests/fixtures/import/accepted-domains.json")
        .display()
        .to_string();
    let out = relaycheck(&[
        "--certificate",
        &example("mail-contoso.pem"),
        "--certificate",
        &example("smtp-fabrikam.pem"),
        "--accepted-domains",
        &domains,
        "--format",
        "json",
        "--now",
        "2026-11-22",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc = json(&out);
    let c = doc["certificates"].as_array().unwrap();
    assert_eq!(
        c[0]["hcw_writes"]["tls_sender_certificate_name"],
        "*.contoso.com"
    );
    assert_eq!(c[0]["hcw_writes"]["hcw8103"], false);
    assert_eq!(
        c[1]["hcw_writes"]["hcw8103"], true,
        "fabrikam.net is not accepted"
    );
    let text = stdout(&relaycheck(&[
        "--certificate",
        &example("smtp-fabrikam.pem"),
        "--accepted-domains",
        &domains,
        "--now",
        "2026-11-22",
    ]));
    assert!(text.contains("HCW WRITES"), "{text}");
    assert!(text.contains("smtp.fabrikam.net (HCW8103)"), "{text}");
    // Without accepted domains there is nothing to say.
    let out = relaycheck(&[
        "--certificate",
        &example("mail-contoso.pem"),
        "--format",
        "json",
    ]);
    assert!(json(&out)["certificates"][0]["hcw_writes"].is_null());
}

/// The trust column is the Certificate step's chain judgement: a scenario's trusted roots
/// count, a leaf alone is incomplete.
#[test]
fn the_trust_column_judges_the_chain_with_the_scenarios_roots() {
    let dir = tempfile::tempdir().unwrap();
    let leaf = lab_pem("alone.contoso.com", &["alone.contoso.com"]);
    let alone = write(dir.path(), "alone.pem", &leaf);
    let scenario = write(
        dir.path(),
        "trusting.yaml",
        &format!("version: 1\ntrusted_roots: [{}]\n", example("lab-ca.pem")),
    );
    let out = relaycheck(&[
        "--certificate",
        &alone,
        "--certificate",
        &example("mail-contoso.pem"),
        "-s",
        &scenario,
        "--format",
        "json",
        "--now",
        "2026-11-22",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc = json(&out);
    let certs = doc["certificates"].as_array().unwrap();
    let trust = |i: usize| certs[i]["trust"].as_str().unwrap().to_string();
    // A leaf issued by the lab root, without it: the root the scenario trusts is its issuer.
    assert!(trust(0).contains("trusted by the scenario"), "{}", trust(0));
    assert!(trust(1).contains("trusted by the scenario"), "{}", trust(1));
    // Without the scenario, the leaf alone is incomplete.
    let out = relaycheck(&[
        "--certificate",
        &alone,
        "--format",
        "json",
        "--now",
        "2026-11-22",
    ]);
    let doc = json(&out);
    assert_eq!(
        doc["certificates"][0]["trust"],
        "incomplete: CN=relaycheck Lab Root CA, O=relaycheck training lab is not in the file"
    );
}

#[test]
fn wide_subjects_are_cut_with_the_mark_and_columns_align_by_display_width() {
    // A Japanese subject takes two columns a character: counting characters cut it past the
    // border without `…` and pushed every later column right.
    let dir = tempfile::tempdir().unwrap();
    let long = "東京メールサーバー証明書の非常に長い名前です東京メールサーバー証明書";
    let a = write(dir.path(), "ja.pem", &lab_pem(long, &["mail.contoso.com"]));
    let b = write(dir.path(), "en.pem", &lab_pem("mail.contoso.com", &[]));
    let out = relaycheck(&["--certificate", &a, "--certificate", &b]);
    let text = stdout(&out);
    let rows: Vec<&str> = text.lines().take(3).collect();
    let column = |line: &str, word: &str| {
        let at = line
            .find(word)
            .unwrap_or_else(|| panic!("{word:?} in {line:?}"));
        relaycheck::width::width(&line[..at])
    };
    // The SANS column (1 and 0) starts at the header's column on every row.
    let sans = column(rows[0], "SANS");
    assert_eq!(column(rows[1], "  1  ") + 2, sans, "{text}");
    assert_eq!(column(rows[2], "  0  ") + 2, sans, "{text}");
    assert!(
        rows[1].contains("…"),
        "the long subject is cut with the mark: {text}"
    );
    let subject_cell = &rows[1][..rows[1].find("  1  ").unwrap()];
    assert!(relaycheck::width::width(subject_cell) <= sans, "{text}");
}
