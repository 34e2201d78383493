//! One hostile fixture through every format and every command that prints input: every C0
//! and C1 control, DEL, terminal escape sequences, the bidi overrides, U+2028 and U+2029,
//! HTML, Markdown syntax, and every PowerShell quote and dash. It sits in the certificate's
//! CN, the connectors' names and TlsSenderCertificateName, the send connector, the server,
//! a test message and a file name, where findings, the mail flow, the plan, the inventory
//! and error messages quote it. Whatever comes out holds no control character (colour's own
//! SGR sequences aside), no live HTML, link or extra table cell, and no PowerShell token
//! made from it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::support::ps;

const NOW: &str = "2026-11-22T12:00:00Z";

/// The hostile text: each class of the issue, once.
fn hostile() -> String {
    let mut s = String::from("x");
    // Every C0 control but NUL (YAML has no way to write NUL in a string), DEL, every C1.
    s.extend((1u32..0x20).filter_map(char::from_u32));
    s.push('\u{7f}');
    s.extend((0x80u32..0xa0).filter_map(char::from_u32));
    s.push_str("\u{1b}]0;PWNED\u{7}\u{1b}[2J\u{1b}[31m\r");
    s.extend(
        [
            '\u{202a}', '\u{202b}', '\u{202c}', '\u{202d}', '\u{202e}', '\u{2066}', '\u{2067}',
            '\u{2068}', '\u{2069}', '\u{200e}', '\u{200f}', '\u{061c}', '\u{2028}', '\u{2029}',
        ]
        .iter(),
    );
    s.push_str("<script>alert(1)</script><img src=x onerror=y> [link](http://e.example) ");
    s.push_str("![i](http://e.example/i.png) www.evil.example a@b.example | `tick` ``` # *b* _u_ ");
    s.push_str("' \u{2018} \u{2019} \u{201a} \u{201b} \" \u{201c} \u{201d} \u{201e} ");
    s.push_str("\u{2013}WhatIf \u{2014}x \u{2015}y $(calc) ; Remove-Item C:\\Temp\\* # end");
    s
}

/// YAML's double-quoted form: printable ASCII as it is, everything else escaped.
fn yaml(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            ' '..='~' => out.push(c),
            _ => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push('"');
    out
}

fn scenario(dir: &Path) -> PathBuf {
    let h = hostile();
    let text = format!(
        r#"version: 1
tenant:
  accepted_domains:
    - domain: contoso.com
      default: true
certificates:
  - generate:
      cn: {cn}
      sans: [mail.contoso.com]
inbound_connectors:
  - name: {first}
    tls_sender_certificate_name: {tscn}
  - name: {second}
    tls_sender_certificate_name: mail.contoso.com
on_premises:
  organization_fqdn: mail.contoso.com
  send_connectors:
    - name: {send}
      smart_hosts: [contoso-com.mail.protection.outlook.com]
      tls_certificate_name: {tls}
      source_transport_servers: [{server}]
  servers:
    - name: {server}
messages:
  - name: {message}
    mail_from: scanner@contoso.com
    rcpt_to: someone@tailspintoys.com
"#,
        cn = yaml(&h),
        first = yaml(&format!("Inbound {h}")),
        tscn = yaml(&format!("*.contoso.com{h}")),
        second = yaml(&format!("Second {h}")),
        send = yaml(&format!("Send {h}")),
        tls = yaml(&format!("<I>CN=x{h}")),
        server = yaml(&format!("EX{h}")),
        message = yaml(&format!("Msg {h}")),
    );
    let p = dir.join("hostile.yaml");
    std::fs::write(&p, text).unwrap();
    p
}

fn relaycheck(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_relaycheck"))
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .output()
        .unwrap()
}

/// A character that must never be printed as it is (the cleaning's own set, spelled out
/// here so that the test does not trust the code under test).
fn hazard(c: char) -> bool {
    c.is_control() && c != '\n'
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{200e}' | '\u{200f}' | '\u{061c}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
        )
}

/// No hazard in `text`; with `colour`, an ESC is allowed only as an SGR sequence
/// (`ESC [ digits ; m`) that relaycheck writes itself.
fn assert_clean(what: &str, text: &str, colour: bool) {
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if colour && c == '\u{1b}' {
            let body = &rest[1..];
            let params = body.strip_prefix('[').map(|b| {
                b.bytes()
                    .take_while(|x| x.is_ascii_digit() || *x == b';')
                    .count()
            });
            match params {
                Some(n) if body.as_bytes().get(n + 1) == Some(&b'm') => {
                    rest = &body[n + 2..];
                    continue;
                }
                _ => panic!(
                    "{what}: an ESC that is not colour at …{}",
                    &rest[..rest.len().min(40)]
                ),
            }
        }
        assert!(
            !hazard(c),
            "{what}: U+{:04X} came out raw near {:?}",
            c as u32,
            &rest[..rest.len().min(60)]
        );
        rest = &rest[c.len_utf8()..];
    }
}

/// `text` without its code: fenced blocks and code spans (CommonMark's rule: a run of n
/// backticks closes at the next run of exactly n).
fn outside_code(text: &str) -> String {
    let mut out = String::new();
    let mut fence: Option<String> = None;
    for line in text.lines() {
        let ticks: String = line.chars().take_while(|c| *c == '`').collect();
        match &fence {
            Some(f) if ticks.len() >= f.len() && line.trim_matches('`').is_empty() => fence = None,
            Some(_) => {}
            None if ticks.len() >= 3 => fence = Some(ticks),
            None => {
                out.push_str(&strip_spans(line));
                out.push('\n');
            }
        }
    }
    out
}

fn strip_spans(line: &str) -> String {
    let b = line.as_bytes();
    let (mut out, mut i) = (String::new(), 0);
    while i < b.len() {
        if b[i] == b'\\' && i + 1 < b.len() {
            out.push_str(&line[i..i + 2]);
            i += 2;
            continue;
        }
        if b[i] == b'`' {
            let n = b[i..].iter().take_while(|x| **x == b'`').count();
            let run = "`".repeat(n);
            let mut j = i + n;
            let close = loop {
                match line[j..].find(&run) {
                    Some(k) => {
                        let at = j + k;
                        let m = b[at..].iter().take_while(|x| **x == b'`').count();
                        if m == n {
                            break Some(at);
                        }
                        j = at + m;
                    }
                    None => break None,
                }
            };
            if let Some(at) = close {
                out.push_str("CODE");
                i = at + n;
                continue;
            }
        }
        let c = line[i..].chars().next().unwrap();
        out.push(c);
        i += c.len_utf8();
    }
    out
}

/// Characters of `text` at byte `i` not escaped by a backslash.
fn unescaped(text: &str, i: usize) -> bool {
    let before = text[..i].bytes().rev().take_while(|b| *b == b'\\').count();
    before % 2 == 0
}

fn assert_markdown_inert(md: &str) {
    let prose = outside_code(md);
    for (i, c) in prose.char_indices() {
        let rest = &prose[i..];
        if !unescaped(&prose, i) {
            continue;
        }
        match c {
            '<' => assert!(
                rest.starts_with("<br>"),
                "live HTML in Markdown: {:?}",
                &rest[..rest.len().min(40)]
            ),
            '[' | ']' => panic!(
                "a live link bracket in Markdown: {:?}",
                &rest[..rest.len().min(40)]
            ),
            '@' => panic!(
                "a bare address GitHub links: {:?}",
                &rest[..rest.len().min(40)]
            ),
            _ => {}
        }
    }
    assert!(!prose.contains("http://"), "a bare URL GitHub links");
    assert!(
        !prose.to_lowercase().contains("www.evil"),
        "a bare www. link"
    );
    // Every table row has as many cells as its header: no cell was split by input.
    let mut header_cells: Option<usize> = None;
    for line in prose.lines() {
        if !line.starts_with('|') {
            header_cells = None;
            continue;
        }
        let cells = line
            .char_indices()
            .filter(|(i, c)| *c == '|' && unescaped(line, *i))
            .count();
        match header_cells {
            None => header_cells = Some(cells),
            Some(h) => assert_eq!(cells, h, "a table row split by input: {line}"),
        }
    }
    // No line of prose starts a heading, a list or a quote from input: each '#' at a line's
    // start is relaycheck's own heading.
    for line in prose.lines() {
        if line.starts_with('#') {
            assert!(
                ["# relaycheck report", "## "]
                    .iter()
                    .any(|p| line.starts_with(p)),
                "a heading from input: {line}"
            );
        }
    }
}

#[test]
fn every_format_of_check_prints_the_hostile_fixture_inert() {
    let tmp = tempfile::tempdir().unwrap();
    let s = scenario(tmp.path());
    let s = s.to_str().unwrap();
    let h = hostile();
    for (format, colour) in [
        ("text", false),
        ("text", true),
        ("markdown", false),
        ("json", false),
        ("powershell", false),
    ] {
        let color = if colour { "always" } else { "never" };
        let out = relaycheck(
            &[
                "check", "--now", NOW, "-s", s, "-f", format, "--color", color,
            ],
            tmp.path(),
        );
        let stdout = String::from_utf8(out.stdout).unwrap();
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(1), "{format}: {stderr}");
        let what = format!("check --format {format} (colour {colour})");
        assert_clean(&what, &stdout, colour);
        assert_clean(&what, &stderr, false);
        // The fixture is there (cleaned), not dropped: the finding quotes the connector.
        assert!(
            stdout.contains("Remove-Item"),
            "{what}: the fixture is missing:\n{stdout}"
        );
        match format {
            "markdown" => assert_markdown_inert(&stdout),
            "json" => {
                // JSON keeps the data exactly: a parser reads the raw name back.
                let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
                let names: Vec<&str> = v["inventory"]["inbound_connectors"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter_map(|c| c["name"].as_str())
                    .collect();
                // JSON is data: the names as they came in (escaped on the way, above).
                assert_eq!(names, [format!("Inbound {h}"), format!("Second {h}")]);
                let message = v["mail_flow"][0]["name"].as_str().unwrap();
                assert_eq!(message, format!("Msg {h}"));
            }
            "powershell" => {
                // Each connector's line holds its name as one literal token, and nothing in
                // the line runs (tokenized as PowerShell reads it).
                let mut lines = 0;
                for line in stdout.lines() {
                    let trimmed = line.trim_start();
                    if trimmed.starts_with('#') {
                        ps::assert_one_comment("a comment", line);
                    } else if trimmed.starts_with("Set-InboundConnector") {
                        lines += 1;
                        let name = if line.contains("'Inbound x") {
                            "Inbound"
                        } else {
                            "Second"
                        };
                        ps::assert_one_token("powershell", line, &format!("{name} {h}"));
                    }
                }
                assert!(lines > 0, "no Set-InboundConnector line:\n{stdout}");
            }
            _ => {}
        }
    }
}

#[test]
fn the_certificates_listing_prints_the_hostile_fixture_inert() {
    let tmp = tempfile::tempdir().unwrap();
    let s = scenario(tmp.path());
    let s = s.to_str().unwrap();
    for format in ["text", "json"] {
        let out = relaycheck(
            &["certificates", "--now", NOW, "-s", s, "-f", format],
            tmp.path(),
        );
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_clean(&format!("certificates --format {format}"), &stdout, false);
        assert!(stdout.contains("PWNED"), "{stdout}");
        if format == "json" {
            let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
            let subject = v["certificates"][0]["subject"].as_str().unwrap_or_default();
            assert!(subject.contains("PWNED"), "{v}");
        }
    }
}

#[test]
fn scenario_export_and_fix_write_yaml_that_prints_inert() {
    let tmp = tempfile::tempdir().unwrap();
    let s = scenario(tmp.path());
    let s = s.to_str().unwrap();
    for command in ["export", "fix"] {
        let out = relaycheck(&["scenario", command, "--now", NOW, "-s", s], tmp.path());
        let stdout = String::from_utf8(out.stdout).unwrap();
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_clean(&format!("scenario {command}"), &stdout, false);
        assert_clean(&format!("scenario {command} (stderr)"), &stderr, false);
    }
}

#[test]
fn error_messages_show_hostile_file_names_and_values_cleaned() {
    let tmp = tempfile::tempdir().unwrap();
    let name = "acc\u{1b}]0;PWNED\u{7}\u{202e}.json";
    std::fs::write(tmp.path().join(name), "not json \u{1b}[2J").unwrap();
    let out = relaycheck(&["check", "--accepted-domains", name], tmp.path());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("acc␛]0;PWNED␇"),
        "the file is named, cleaned: {stderr}"
    );
    assert_clean("an error naming a hostile file", &stderr, false);

    // A hostile value in a scenario: the YAML error quotes it.
    let bad = tmp.path().join("bad.yaml");
    std::fs::write(
        &bad,
        format!(
            "version: 1\ntenant:\n  accepted_domains:\n    - domain: {}\n",
            yaml(&hostile())
        ),
    )
    .unwrap();
    let out = relaycheck(&["check", "-s", "bad.yaml"], tmp.path());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("bad.yaml"), "{stderr}");
    assert_clean("an error quoting a hostile value", &stderr, false);
}

#[test]
fn a_folder_of_certificates_with_a_hostile_file_name_lists_it_cleaned() {
    let tmp = tempfile::tempdir().unwrap();
    let certs = tmp.path().join("certs");
    std::fs::create_dir(&certs).unwrap();
    let pem = std::fs::read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/examples/certs/mail-contoso.pem"),
    )
    .unwrap();
    std::fs::write(certs.join("mail\u{1b}[2J\u{202e}<b>.pem"), pem).unwrap();
    for args in [
        vec!["certificates", "--now", NOW, "--certificate", "certs"],
        vec![
            "check",
            "--now",
            NOW,
            "--certificate",
            "certs",
            "-f",
            "markdown",
        ],
        vec!["check", "--now", NOW, "--certificate", "certs"],
    ] {
        let out = relaycheck(&args, tmp.path());
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert_clean(&args.join(" "), &stdout, false);
        let named = if args.contains(&"markdown") {
            "mail␛\\[2J"
        } else {
            "mail␛[2J"
        };
        assert!(
            stdout.contains(named),
            "{}: the file is named:\n{stdout}",
            args.join(" ")
        );
        if args.contains(&"markdown") {
            assert_markdown_inert(&stdout);
        }
    }
}

#[test]
fn the_markdown_checker_catches_what_it_must() {
    // The test's own helpers: they fail on live syntax, so a pass above means something.
    assert!(
        std::panic::catch_unwind(|| assert_markdown_inert("| a | b |\n| x | y | z |\n")).is_err()
    );
    assert!(std::panic::catch_unwind(|| assert_markdown_inert("text <script>\n")).is_err());
    assert!(std::panic::catch_unwind(|| assert_markdown_inert("[x](y)\n")).is_err());
    assert_markdown_inert("ok \\<b\\> `<b>` ``a`b`` <br>\n| a \\| b | c |\n| --- | --- |\n");
    assert!(std::panic::catch_unwind(|| assert_clean("t", "a\u{1b}]0;x", true)).is_err());
    assert_clean("t", "\u{1b}[1;31mFAIL\u{1b}[0m\n", true);
}
