//! `check --format markdown`: the report as a document to paste into a ticket or a wiki.

use std::fmt::Write;

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::Report;
use crate::checks::Step;
use crate::model::Note;
use crate::model::Scenario;

fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', "<br>")
}

fn yes(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

/// "What was checked": the inventory as lists and tables.
fn inventory(out: &mut String, inv: &super::inventory::Inventory) {
    use super::inventory::{LIST_MAX, days, ip_list};
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
                c.expires,
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
            d.domain,
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
                cell(c.tls_sender_certificate_name.as_deref().unwrap_or("(none)")),
                cell(&ip_list(c))
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
                    cell(&c.smart_hosts.join(", ")),
                    cell(c.tls_certificate_name.as_deref().unwrap_or("(none)")),
                    cell(&c.source_transport_servers.join(", "))
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
        report.headline(),
        super::text::scenario_line(scenario),
        now.format(&Rfc3339).unwrap_or_default()
    );
    match report.hcw() {
        Some(h) => {
            let _ = writeln!(
                out,
                "- **HCW would write:** TlsSenderCertificateName `{}`{}",
                h.tls_sender_certificate_name,
                h.warning
                    .as_ref()
                    .map(|w| format!(" and warn: `{w}`"))
                    .unwrap_or_else(|| " (no warning)".to_string())
            );
        }
        None => {
            let _ = writeln!(out, "- **HCW would write:** nothing (no certificate name)");
        }
    }
    for note in notes {
        let _ = writeln!(out, "- **Input {}:** {}", note.kind.as_str(), note.text);
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
                    "| {} | `{}` | {} | {} |",
                    f.severity.as_str(),
                    f.id,
                    cell(&f.message),
                    cell(&f.fix)
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
                    "| {} | `{}` | `{}` | {} | `{}` | {} |",
                    cell(&m.name),
                    from,
                    m.rcpt_to,
                    m.outcome.as_str(),
                    m.reply,
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
        let _ = writeln!(out, "\n## Remediation\n\n```powershell");
        out.push_str(&script);
        let _ = writeln!(out, "```");
    }
    out
}
