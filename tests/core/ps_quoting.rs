//! Quoting as PowerShell reads it (issue 17): every value relaycheck writes into PowerShell
//! stays one literal string token by PowerShell's own tokenizer rules (five single quotes,
//! four double quotes, backtick escapes, `$(`, `;`, `#`, the four dashes), checked with the
//! tokenizer in tests/support/ps.rs; and a hostile connector name stays one token in the
//! script, the text report's Fix lines, the Markdown report and the presenter's steps.

use crate::rulekit::*;
use crate::support::ps::{
    self, Kind, assert_one_comment, assert_one_token, assert_script_keeps, tokenize, written,
};
use relaycheck::action::{ConnectorSetting, FixAction, Part, ps_quote};
use relaycheck::model::{Edit, SendConnector, ServerCertificate, Services, TransportServer};
use relaycheck::report::{markdown, powershell, text};

/// The issue's connector name: U+201A ends a single-quoted string for PowerShell, so
/// without it in the quote set `Remove-Item` runs and `#` comments out `-WhatIf`.
pub const HOSTILE: &str = "x$\u{201A}; Remove-Item C:\\Temp\\* -Recurse; #";

/// PowerShell's sets (CharTraits.cs, `SpecialChars`, `IsSingleQuote`, `IsDoubleQuote`,
/// `IsDash`), written out here so that the test does not trust the code it tests.
const SINGLE: [char; 5] = ['\'', '\u{2018}', '\u{2019}', '\u{201A}', '\u{201B}'];
const DOUBLE: [char; 4] = ['"', '\u{201C}', '\u{201D}', '\u{201E}'];
const DASHES: [char; 4] = ['-', '\u{2013}', '\u{2014}', '\u{2015}'];
/// What ends a line for PowerShell (CR, LF), and what other readers take for one (NEL,
/// U+2028, U+2029, VT, FF) or cut a string at (NUL).
const LINE_ENDS: [char; 8] = [
    '\r', '\n', '\u{85}', '\u{2028}', '\u{2029}', '\u{b}', '\u{c}', '\0',
];
/// The rest of what the tokenizer treats specially in or around strings.
const SPECIAL: [char; 13] = [
    '`', '$', ';', '#', '|', '&', '@', '(', ')', '{', '}', '<', '\u{1b}',
];

fn every_special_char() -> Vec<char> {
    let mut all = Vec::new();
    all.extend(SINGLE);
    all.extend(DOUBLE);
    all.extend(DASHES);
    all.extend(LINE_ENDS);
    all.extend(SPECIAL);
    all
}

/// The values a character is tried in: alone, doubled, at the start and the end, and next
/// to `$`, a backtick, `;`, `#` and a command.
fn values_with(c: char) -> Vec<String> {
    vec![
        c.to_string(),
        format!("{c}{c}"),
        format!("{c}{c}{c}"),
        format!("{c}x"),
        format!("x{c}"),
        format!("{c}$x"),
        format!("$x{c}"),
        format!("$({c})"),
        format!("x{c}`"),
        format!("`{c}"),
        format!("{c}'"),
        format!("'{c}"),
        format!("{c}\""),
        format!("\"{c}"),
        format!("x{c}; Remove-Item C:\\Temp\\* -Recurse; #"),
        format!("{c}WhatIf"),
        format!("x {c}WhatIf:$false"),
        format!("a{c}{c}b{c}"),
    ]
}

#[test]
fn the_oracle_knows_powershells_quotes_dashes_and_line_ends() {
    for c in SINGLE {
        assert!(ps::tokens::is_single_quote(c), "{c:?}");
    }
    for c in DOUBLE {
        assert!(ps::tokens::is_double_quote(c), "{c:?}");
    }
    for c in DASHES {
        assert!(ps::tokens::is_dash(c), "{c:?}");
    }
    // Look-alikes PowerShell does not take: U+201F (double high-reversed-9), the primes,
    // the minus sign, the backtick.
    for c in [
        '\u{201F}', '\u{2032}', '\u{2033}', '\u{2212}', '`', '\u{ff07}',
    ] {
        assert!(
            !ps::tokens::is_single_quote(c)
                && !ps::tokens::is_double_quote(c)
                && !ps::tokens::is_dash(c),
            "{c:?}"
        );
    }
    assert!(ps::tokens::is_newline('\r') && ps::tokens::is_newline('\n'));
    assert!(!ps::tokens::is_newline('\u{2028}') && !ps::tokens::is_newline('\u{85}'));
}

#[test]
fn relaycheck_quotes_with_powershells_sets() {
    assert_eq!(relaycheck::action::SINGLE_QUOTES, SINGLE);
    assert_eq!(relaycheck::action::DOUBLE_QUOTES, DOUBLE);
    assert_eq!(relaycheck::action::DASHES, DASHES);
    assert_eq!(relaycheck::action::LINE_ENDS, ['\r', '\n']);
}

#[test]
fn the_oracle_sees_a_value_that_breaks_out() {
    // The line relaycheck wrote before the fix, by hand: U+201A closes the string.
    let line =
        "Set-InboundConnector -Identity 'x$\u{201A}; Remove-Item C:\\Temp\\* -Recurse; #' -WhatIf";
    assert!(
        ps::tokens::value_problem(line, "x$\u{201A}; Remove-Item C:\\Temp\\* -Recurse; #")
            .is_some()
    );
    // A doubled quote of any two kinds is one quote, the second.
    let t = tokenize("'a\u{2019}'b'''").unwrap();
    assert_eq!(t.len(), 1, "{t:?}");
    assert_eq!(t[0].value, "a'b'");
    // `$(` and `$name` in double quotes are evaluated; a backtick escapes.
    for (src, expands) in [
        ("\"a$(b)\"", true),
        ("\"a$b\"", true),
        ("\"a`$b\"", false),
        ("\"a$ b\"", false),
    ] {
        let t = tokenize(src).unwrap();
        assert_eq!((t.len(), t[0].expands), (1, expands), "{src}: {t:?}");
    }
    // The four dashes start a parameter; `#` starts a comment only at a token's start.
    for d in DASHES {
        let t = tokenize(&format!("Set-X {d}WhatIf a#b # c")).unwrap();
        let kinds: Vec<&Kind> = t.iter().map(|t| &t.kind).collect();
        assert_eq!(
            kinds,
            [
                &Kind::Generic,
                &Kind::Parameter,
                &Kind::Generic,
                &Kind::Comment
            ],
            "{d:?}: {t:?}"
        );
    }
    assert!(tokenize("'open").is_err() && tokenize("\"open").is_err());
    assert!(ps::tokens::value_problem("Set-X -Identity \"a\" ; Remove-Item", "a").is_some());
    assert!(ps::tokens::value_problem("Set-X -Identity \"a\" -WhatIf", "a").is_none());
}

#[test]
fn every_quote_dash_and_line_end_stays_inside_one_literal() {
    let mut failures = Vec::new();
    for c in every_special_char() {
        for v in values_with(c) {
            let q = ps_quote(&v);
            match tokenize(&q) {
                Ok(t) if t.len() == 1 && t[0].is_literal_string() && t[0].value == written(&v) => {}
                other => failures.push(format!("{v:?} → {q} → {other:?}")),
            }
            let line = format!("Set-InboundConnector -Identity {q} -Enabled $true -WhatIf");
            if let Some(p) = ps::tokens::value_problem(&line, &written(&v)) {
                failures.push(format!("{v:?}: {p}"));
            }
            let kinds: Vec<Kind> = tokenize(&line)
                .map(|t| t.into_iter().map(|t| t.kind).collect())
                .unwrap_or_default();
            if kinds.len() != 6 || kinds[5] != Kind::Parameter {
                failures.push(format!("{v:?}: -WhatIf is not the last token: {line}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_real_set_inbound_connector_line_keeps_each_value_one_token() {
    for c in every_special_char() {
        for v in values_with(c) {
            let action = FixAction::SetInboundConnector {
                connector: v.clone(),
                settings: vec![
                    ConnectorSetting::Name(v.clone()),
                    ConnectorSetting::TlsSenderCertificateName(Some(v.clone())),
                ],
            };
            for line in action.commands(Part::ExchangeOnline, false) {
                assert_one_token("Set-InboundConnector", &line, &v);
                let strings = tokenize(&line)
                    .unwrap()
                    .into_iter()
                    .filter(|t| t.is_literal_string() && t.value == written(&v))
                    .count();
                assert_eq!(strings, 3, "-Identity, -Name and the name: {line}");
            }
        }
    }
}

/// The recommended setup with the connector named `name` and a wrong
/// TlsSenderCertificateName, so that the plan sets it (Set-InboundConnector).
fn hostile_connector(name: &str) -> relaycheck::model::Scenario {
    Build::new()
        .default_domain("contoso.com")
        .cert(cert("mail.contoso.com", &["mail.contoso.com"]))
        .connector(tscn_connector(name, "*.fabrikam.com"))
        .fqdn("mail.contoso.com")
        .build()
}

#[test]
fn a_hostile_connector_name_stays_one_token_in_the_script() {
    let s = hostile_connector(HOSTILE);
    let report = validate(&s);
    let script = powershell::render(&report, &s, now(), &powershell::Options::default());
    assert_script_keeps("script", &script, "Set-InboundConnector", HOSTILE);
    assert!(
        script
            .lines()
            .any(|l| l.starts_with("Set-InboundConnector") && l.ends_with(" -WhatIf")),
        "{script}"
    );
    for (name, file) in powershell::files(&report, &s, now(), &powershell::Options::default()) {
        if name.ends_with(".ps1") {
            assert_script_keeps(&name, &file, "Set-InboundConnector", HOSTILE);
        }
    }
}

#[test]
fn a_hostile_send_connector_and_server_stay_one_token_in_the_on_premises_part() {
    let mut s = recommended().build();
    let cert = s.certificates[0].facts.clone();
    let server = format!("EX02{}", &HOSTILE[1..]);
    s.on_premises.servers = vec![
        TransportServer {
            certificates: vec![ServerCertificate::from_facts(
                cert,
                Some(Services(16)),
                Some(true),
            )],
            ..TransportServer::new("EX01")
        },
        TransportServer::new(&server),
    ];
    s.on_premises.send_connectors = Some(vec![SendConnector {
        address_spaces: vec!["*".into()],
        smart_hosts: vec!["smtp.office365.com".into()],
        dns_routing_enabled: false,
        source_transport_servers: vec!["EX01".into(), server.clone()],
        ..SendConnector::new(HOSTILE)
    }]);
    let report = validate(&s);
    let script = powershell::render(&report, &s, now(), &powershell::Options::default());
    assert_script_keeps("send connector", &script, "Set-SendConnector", HOSTILE);
    assert_script_keeps("server", &script, "Enable-ExchangeCertificate", &server);
    assert_script_keeps("server", &script, "Import-ExchangeCertificate", &server);
    // The text and Markdown reports, whose findings' fixes carry the same commands inside
    // sentences.
    let outputs = [
        text::render(&report, &s, &[], text::Style { color: false }),
        markdown_shown(&markdown::render(&report, &s, now(), &[])),
    ];
    for out in &outputs {
        let names = [HOSTILE, server.as_str(), "EX01", "Inbound from on-premises"];
        ps::assert_arguments(
            "report",
            out,
            "Set-SendConnector -Identity",
            &names,
            &[HOSTILE],
        );
        ps::assert_arguments("report", out, "-Server", &names, &[&server]);
    }
}

/// The commands in a report's text: every line (or Markdown `<br>` segment) that starts
/// with `cmdlet`, as the admin copies it.
fn commands_in(report_text: &str, cmdlet: &str) -> Vec<String> {
    report_text
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with(cmdlet))
        .map(str::to_string)
        .collect()
}

/// [`commands_in`] for a Markdown report: each table cell's lines read as Markdown shows them.
fn markdown_commands_in(report: &str, cmdlet: &str) -> Vec<String> {
    commands_in(&markdown_shown(report), cmdlet)
}

/// A Markdown report as it reads once rendered: each table cell on its own line(s) with its
/// escapes read; fenced blocks as they are.
fn markdown_shown(report: &str) -> String {
    let mut out = Vec::new();
    let mut fenced = false;
    for line in report.lines() {
        if line.starts_with("```") {
            fenced = !fenced;
            out.push(line.to_string());
        } else if fenced || !line.starts_with('|') {
            out.push(line.to_string());
        } else {
            for cell in line.split(" | ") {
                for part in cell.split("<br>") {
                    out.push(unmarkdown(part.trim().trim_matches('|').trim()));
                }
            }
        }
    }
    out.join("\n")
}

/// A table cell's text as Markdown shows it: a code span's content (its `|` unescaped, as
/// GitHub's tables read it), or prose with its backslash escapes read.
fn unmarkdown(cell: &str) -> String {
    let ticks = cell.chars().take_while(|c| *c == '`').count();
    if ticks > 0 && cell.len() > 2 * ticks && cell.ends_with(&"`".repeat(ticks)) {
        let body = &cell[ticks..cell.len() - ticks];
        let body = if body.starts_with(" `") || body.ends_with("` ") {
            &body[1..body.len() - 1]
        } else {
            body
        };
        return body.replace("\\|", "|");
    }
    let mut out = String::new();
    let mut chars = cell.chars();
    while let Some(c) = chars.next() {
        match (c, chars.clone().next()) {
            ('\\', Some(n)) if n.is_ascii_punctuation() => {
                out.push(n);
                chars.next();
            }
            _ => out.push(c),
        }
    }
    out
}

#[test]
fn a_hostile_connector_name_stays_one_token_in_the_text_reports_fix_lines() {
    let s = hostile_connector(HOSTILE);
    let out = text::render(&validate(&s), &s, &[], text::Style { color: false });
    let lines = commands_in(&out, "Set-InboundConnector");
    assert!(!lines.is_empty(), "{out}");
    for l in &lines {
        assert_one_token("text report", l, HOSTILE);
    }
}

#[test]
fn a_hostile_connector_name_stays_one_token_in_the_markdown_report() {
    let s = hostile_connector(HOSTILE);
    let out = markdown::render(&validate(&s), &s, now(), &[]);
    // The Fix column of the findings and the plan.
    let lines = markdown_commands_in(&out, "Set-InboundConnector");
    assert!(lines.len() >= 2, "{out}");
    for l in &lines {
        assert_one_token("markdown", l, HOSTILE);
    }
    // The remediation script in its ```powershell block.
    let block = out
        .split("```powershell\n")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .unwrap_or_else(|| panic!("{out}"));
    assert_script_keeps("markdown script", block, "Set-InboundConnector", HOSTILE);
}

#[test]
fn a_hostile_name_given_in_a_change_stays_one_token_in_the_presenters_steps() {
    // What the presenter line shows for the last change: plan::change_steps.
    let before = recommended().build();
    let mut after = before.clone();
    relaycheck::model::edit::apply_all(
        &mut after,
        &[Edit::RenameConnector {
            connector: Default::default(),
            value: HOSTILE.into(),
        }],
    )
    .expect("the rename applies");
    let steps = relaycheck::plan::change_steps(&before, &after);
    let lines: Vec<&str> = steps
        .iter()
        .flat_map(|s| s.command.iter().map(|l| l.as_str()))
        .collect();
    assert!(!lines.is_empty(), "{steps:?}");
    for l in lines {
        assert_one_token("presenter step", l, HOSTILE);
    }
}

#[test]
fn comment_lines_stay_comments_whatever_the_name_holds() {
    // Every line ending PowerShell knows (CR, LF) and those it does not (NEL, U+2028) in a
    // name that lands in the script's comments: each comment line stays one comment.
    for end in LINE_ENDS {
        let name = format!("a{end}Remove-Item C:\\ -Recurse{end}#{end}b");
        let s = hostile_connector(&name);
        let script = powershell::render(&validate(&s), &s, now(), &powershell::Options::default());
        for line in script.lines().filter(|l| l.starts_with('#')) {
            assert_one_comment(&format!("{end:?}"), line);
        }
        assert_script_keeps(&format!("{end:?}"), &script, "Set-InboundConnector", &name);
    }
}
