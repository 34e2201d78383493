//! `check --format markdown`: the report as a document to paste into a ticket or a wiki.

use std::fmt::Write;

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::Report;
use crate::checks::Step;
use crate::model::Note;
use crate::model::Scenario;

/// Input text in running Markdown or a table cell, shown and never obeyed: every character
/// that Markdown, GitHub's tables or HTML could read as syntax is escaped with a backslash
/// (CommonMark lets any ASCII punctuation be), so no name from input can open a tag, a link,
/// an emphasis, a heading or a new table cell; `@`, the `:` of `://` and the dot of `www.`
/// too, so GitHub's bare-link extension sees no address or URL. The text is already cleaned (a
/// [`crate::text::Line`] or [`crate::text::Block`]); a [`Block`]'s line breaks become `<br>`,
/// relaycheck's own markup.
///
/// [`Block`]: crate::text::Block
pub fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for (i, c) in text.char_indices() {
        match c {
            '\n' => out.push_str("<br>"),
            '\r' => {}
            '\\' | '`' | '*' | '_' | '{' | '}' | '[' | ']' | '<' | '>' | '(' | ')' | '#' | '+'
            | '!' | '|' | '~' | '&' | '@' | '"' | '$' => {
                out.push('\\');
                out.push(c);
            }
            ':' if text[i + 1..].starts_with('/') => out.push_str("\\:"),
            '.' if text[..i].to_ascii_lowercase().ends_with("www")
                && !prev_is_word(&text[..i.saturating_sub(3)]) =>
            {
                out.push_str("\\.");
            }
            _ => out.push(c),
        }
    }
    crate::text::guard_output(out)
}

fn prev_is_word(before: &str) -> bool {
    before
        .chars()
        .next_back()
        .is_some_and(char::is_alphanumeric)
}

/// Input text as a code span: fenced by more backticks than any run inside it (CommonMark).
pub fn code(text: &str) -> String {
    let fence = "`".repeat(longest_run(text, '`') + 1);
    if text.starts_with('`') || text.ends_with('`') {
        format!("{fence} {text} {fence}")
    } else {
        format!("{fence}{text}{fence}")
    }
}

/// [`code`] in a table cell: `|` escaped too, which GitHub's tables read even there.
pub fn code_cell(text: &str) -> String {
    let fence = "`".repeat(longest_run(text, '`') + 1);
    let body = text.replace('|', "\\|");
    if body.starts_with('`') || body.ends_with('`') {
        format!("{fence} {body} {fence}")
    } else {
        format!("{fence}{body}{fence}")
    }
}

/// The longest run of `c` in `text`.
fn longest_run(text: &str, c: char) -> usize {
    let (mut best, mut run) = (0, 0);
    for x in text.chars() {
        run = if x == c { run + 1 } else { 0 };
        best = best.max(run);
    }
    best
}

fn cell(text: &str) -> String {
    md(text)
}

/// A finding's fix in a table cell: its sentences escaped, its commands (the lines the plan
/// indents) as code, so that they read and copy as written.
fn fix_cell(fix: &str) -> String {
    let parts: Vec<String> = fix
        .lines()
        .map(|l| match l.strip_prefix("    ") {
            Some(command) => code_cell(command),
            None => md(l),
        })
        .collect();
    parts.join("<br>")
}

fn yes(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

/// "What was checked": the inventory as lists and tables.
fn inventory(out: &mut String, inv: &super::inventory::Inventory) {
    use super::inventory::{LIST_MAX, days};
    let _ = writeln!(out, "\n## What was checked\n");
    if inv.inputs.is_empty() {
        let _ = writeln!(
            out,
            "- **Inputs:** none named (built in, or made in the wizard)"
        );
    } else {
        let _ = writeln!(out, "- **Inputs:**");
        for i in inv.inputs.iter() {
            let _ = writeln!(out, "  - {}: {}", cell(&i.what), cell(&i.path));
        }
    }
    match &inv.certificate {
        Some(c) => {
            let _ = writeln!(
                out,
                "- **Certificate presented** (of {}): {}; {} DNS SAN(s); issuer {}; thumbprint {}; expires {} ({}){}",
                inv.candidate_certificates,
                cell(&c.subject),
                c.san_count,
                cell(&c.issuer),
                cell(&c.thumbprint),
                md(&c.expires),
                days(c.days_left),
                c.chain
                    .as_ref()
                    .map(|ch| format!("; chain {}", cell(ch)))
                    .unwrap_or_default()
            );
        }
        None => {
            let _ = writeln!(
                out,
                "- **Certificate presented:** none ({} candidate(s))",
                inv.candidate_certificates
            );
        }
    }
    let n = inv.accepted_domains.len();
    let _ = writeln!(
        out,
        "\n**Accepted domains** ({n}, {} pending verification)\n",
        inv.pending_domains()
    );
    let _ = writeln!(out, "| Domain | Verification | Type | Default |");
    let _ = writeln!(out, "| --- | --- | --- | --- |");
    for d in inv.domains().take(LIST_MAX) {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            md(d.domain),
            d.verification,
            d.domain_type,
            yes(d.default)
        );
    }
    if n > LIST_MAX {
        let _ = writeln!(
            out,
            "\n… and {} more (`--format json` lists them all).",
            n - LIST_MAX
        );
    }
    let _ = writeln!(
        out,
        "\n**Inbound connectors** ({})\n",
        inv.inbound_connectors.len()
    );
    if !inv.inbound_connectors.is_empty() {
        let _ = writeln!(
            out,
            "| Name | Type | Enabled | TlsSenderCertificateName | SenderIPAddresses |"
        );
        let _ = writeln!(out, "| --- | --- | --- | --- | --- |");
        for c in &inv.inbound_connectors {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                cell(&c.name),
                c.connector_type,
                yes(c.enabled),
                c.tls_sender_certificate_name
                    .as_deref()
                    .map_or_else(|| "(none)".to_string(), cell),
                super::inventory::ip_list_with(c, cell)
            );
        }
    }
    if let Some(list) = &inv.send_connectors {
        let _ = writeln!(out, "\n**On-premises send connectors** ({})\n", list.len());
        if !list.is_empty() {
            let _ = writeln!(
                out,
                "| Name | Enabled | Relays to Exchange Online | Smart hosts | TlsCertificateName | Source servers |"
            );
            let _ = writeln!(out, "| --- | --- | --- | --- | --- | --- |");
            for c in list {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} | {} | {} |",
                    cell(&c.name),
                    yes(c.enabled),
                    yes(c.relays),
                    cell(&crate::text::join_lines(&c.smart_hosts, ", ")),
                    c.tls_certificate_name
                        .as_deref()
                        .map_or_else(|| "(none)".to_string(), cell),
                    cell(&crate::text::join_lines(&c.source_transport_servers, ", "))
                );
            }
        }
    }
}

pub fn render(report: &Report, scenario: &Scenario, now: OffsetDateTime, notes: &[Note]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# relaycheck report\n");
    let _ = writeln!(
        out,
        "- **Verdict:** {}\n- **Headline:** {}\n- **Checked:** {}\n- **Evaluated at:** {}",
        report.verdict.as_str().to_uppercase(),
        md(&report.headline()),
        md(&super::text::scenario_line(scenario)),
        now.format(&Rfc3339).unwrap_or_default()
    );
    match report.hcw_says() {
        Some(h) => {
            let _ = writeln!(
                out,
                "- **HCW would write:** TlsSenderCertificateName {}{}",
                code(&h.tls_sender_certificate_name),
                h.warning
                    .as_ref()
                    .map(|w| format!(" and warn: {}", code(w)))
                    .unwrap_or_else(|| " (no warning)".to_string())
            );
        }
        None => {
            let _ = writeln!(out, "- **HCW would write:** nothing (no certificate name)");
        }
    }
    for note in notes {
        let _ = writeln!(
            out,
            "- **Input {}:** {}",
            note.kind.as_str(),
            md(&note.text)
        );
    }
    inventory(&mut out, &report.inventory);
    for (i, step) in Step::ALL.iter().enumerate() {
        let status = report.step_status(*step);
        let _ = writeln!(out, "\n## {} {}: {}\n", i + 1, step.title(), status.word());
        let findings: Vec<_> = report.findings_for(*step).collect();
        if !findings.is_empty() {
            let _ = writeln!(out, "| Severity | Check | Finding | Fix |");
            let _ = writeln!(out, "| --- | --- | --- | --- |");
            for f in findings {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} |",
                    f.severity.as_str(),
                    code_cell(f.id.as_str()),
                    cell(&f.message),
                    fix_cell(&f.fix)
                );
            }
        } else if *step != Step::MailFlow {
            let _ = writeln!(out, "Nothing to report.");
        }
        if *step == Step::MailFlow {
            let _ = writeln!(
                out,
                "| Message | MAIL FROM | RCPT TO | Outcome | Reply | Decided by |"
            );
            let _ = writeln!(out, "| --- | --- | --- | --- | --- | --- |");
            for m in &report.mail_flow {
                let from = if m.mail_from.is_empty() {
                    "<>"
                } else {
                    m.mail_from.as_str()
                };
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} | {} | {} |",
                    cell(&m.name),
                    code_cell(from),
                    code_cell(&m.rcpt_to),
                    m.outcome.as_str(),
                    code_cell(&m.reply),
                    m.decided_by.as_str()
                );
            }
        }
    }
    if !report.plan.steps.is_empty() {
        let _ = writeln!(out, "\n## The plan\n");
        let _ = writeln!(out, "| # | Runs in | Step |");
        let _ = writeln!(out, "| --- | --- | --- |");
        for (i, s) in report.plan.steps.iter().enumerate() {
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                i + 1,
                s.runs_in.title(),
                cell(&s.summary)
            );
        }
    }
    if !report.plan.is_done() || report.plan.by_hand().next().is_some() {
        // The same script `check --format powershell` writes, with -WhatIf: never a bare change.
        let script = super::powershell::render(
            report,
            scenario,
            now,
            &super::powershell::Options {
                whatif: true,
                inputs: Vec::new(),
                notes: notes.iter().map(ToString::to_string).collect(),
            },
        );
        // A fence longer than any run of backticks in the script, which quotes input.
        let fence = "`".repeat(longest_run(&script, '`').max(2) + 1);
        let _ = writeln!(out, "\n## Remediation\n\n{fence}powershell");
        out.push_str(&script);
        let _ = writeln!(out, "{fence}");
    }
    crate::text::guard_output(out)
}
