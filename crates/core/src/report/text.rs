//! `check --format text`: the report for people, grouped by wizard step. Severity is always
//! written as a word; colour only adds to it (and is off for `NO_COLOR` or a pipe).

use std::fmt::Write;

use super::{Report, Verdict};
use crate::checks::{Severity, Step};
use crate::model::Note;
use crate::model::Scenario;
use crate::relay::{DecidedBy, MatchedBy, Outcome};

/// ANSI styling, or none.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
}

impl Style {
    fn paint(self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    fn severity(self, s: Severity) -> String {
        let (code, word) = match s {
            Severity::Error => ("1;31", "ERROR  "),
            Severity::Warning => ("1;33", "WARNING"),
            Severity::Info => ("36", "INFO   "),
        };
        self.paint(code, word)
    }

    fn outcome(self, o: Outcome) -> String {
        let (code, word) = match o {
            Outcome::Relayed => ("32", "RELAYED  "),
            Outcome::Delivered => ("32", "DELIVERED"),
            Outcome::Rejected => ("1;31", "REJECTED "),
        };
        self.paint(code, word)
    }

    fn verdict(self, v: Verdict) -> String {
        let (code, word) = match v {
            Verdict::Pass => ("1;32", "PASS"),
            Verdict::Warn => ("1;33", "WARN"),
            Verdict::Fail => ("1;31", "FAIL"),
        };
        self.paint(code, word)
    }

    fn bold(self, text: &str) -> String {
        self.paint("1", text)
    }
}

fn indent(text: &str, prefix: &str) -> String {
    text.lines()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                l.to_string()
            } else {
                format!("{prefix}{l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A one-line description of what was checked.
pub fn scenario_line(s: &Scenario) -> crate::text::Line {
    let cert = s.certificate().map_or_else(
        || "no certificate".to_string(),
        |c| format!("certificate {}", c.display_name()),
    );
    let n = s.tenant.len();
    let c = s.inbound_connectors.len();
    let onprem = s
        .on_premises
        .summary()
        .map(|o| format!(", {o}"))
        .unwrap_or_default();
    format!(
        "{cert}, {n} accepted domain{}, {c} inbound connector{}{onprem}",
        if n == 1 { "" } else { "s" },
        if c == 1 { "" } else { "s" }
    )
    .into()
}

pub fn render(report: &Report, scenario: &Scenario, notes: &[Note], style: Style) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "relaycheck: {}", scenario_line(scenario));
    for note in notes {
        let _ = writeln!(out, "  input {note}");
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "{}", style.bold("What was checked"));
    for line in super::inventory::text_lines(&report.inventory, "  ") {
        let _ = writeln!(out, "{line}");
    }
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{}  {}",
        style.verdict(report.verdict),
        report.headline()
    );
    let pad = "           ";
    for (i, step) in Step::ALL.iter().enumerate() {
        let status = report.step_status(*step);
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "{}",
            style.bold(&format!(
                "{} {}: {} {}",
                i + 1,
                step.title(),
                status.symbol(),
                status.word()
            ))
        );
        if *step == Step::Connector {
            match report.hcw_says() {
                Some(h) => {
                    let _ = writeln!(
                        out,
                        "  HCW would write TlsSenderCertificateName {} ({})",
                        h.tls_sender_certificate_name,
                        if h.warning.is_some() {
                            "with warning HCW8103"
                        } else {
                            "no warning"
                        }
                    );
                }
                None => {
                    let _ = writeln!(out, "  HCW: no certificate name to write");
                }
            }
        }
        for f in report.findings_for(*step) {
            let _ = writeln!(out, "  {}  {}", style.severity(f.severity), f.id);
            let _ = writeln!(out, "{pad}{}", indent(&f.message, pad));
            let _ = writeln!(out, "{pad}Why: {}", indent(f.why, pad));
            if !f.fix.is_empty() {
                let _ = writeln!(out, "{pad}Fix: {}", indent(&f.fix, pad));
            }
        }
        if *step == Step::MailFlow {
            for m in &report.mail_flow {
                let from = if m.mail_from.is_empty() {
                    "<>"
                } else {
                    m.mail_from.as_str()
                };
                let _ = writeln!(out, "  {}  {}", style.outcome(m.outcome), m.name);
                let _ = writeln!(out, "{pad}MAIL FROM:{from}  RCPT TO:{}", m.rcpt_to);
                let _ = writeln!(out, "{pad}{}", m.reply);
                let via = match (m.matched_by, &m.connector) {
                    (MatchedBy::Certificate, Some(c)) => {
                        format!("connector \"{c}\" by certificate")
                    }
                    (MatchedBy::Ip, Some(c)) => format!("connector \"{c}\" by IP"),
                    _ => "no connector".to_string(),
                };
                let decision = match m.decided_by {
                    DecidedBy::None => "not allowed".to_string(),
                    d => format!("allowed by {}", d.as_str()),
                };
                let _ = writeln!(out, "{pad}Path: {via}; {decision}. {}", m.explanation);
            }
        } else if report.findings_for(*step).next().is_none() {
            let _ = writeln!(out, "  nothing to report");
        }
    }
    plan_section(&mut out, report, style);
    let _ = writeln!(out);
    let rejected = report.rejected().count();
    let _ = writeln!(
        out,
        "Verdict: {}: {} error(s), {} warning(s), {} note(s); {} of {} message(s) rejected.",
        style.verdict(report.verdict),
        report.count(Severity::Error),
        report.count(Severity::Warning),
        report.count(Severity::Info),
        rejected,
        report.mail_flow.len()
    );
    crate::text::guard_output(out)
}

/// The plan in order: each change with where it runs and its PowerShell, then what is done
/// by hand and the other ways.
fn plan_section(out: &mut String, report: &Report, style: Style) {
    let plan = &report.plan;
    let _ = writeln!(out);
    let _ = writeln!(out, "{}", style.bold("The plan"));
    if plan.steps.is_empty() {
        let _ = writeln!(out, "  nothing to change");
    }
    let pad = "     ";
    for (i, s) in plan.steps.iter().enumerate() {
        let _ = writeln!(
            out,
            "  {}. [{}] {}",
            i + 1,
            s.runs_in.as_str(),
            indent(&s.summary, pad)
        );
        for line in &s.command {
            let _ = writeln!(out, "{pad}{line}");
        }
    }
    for a in &plan.alternatives {
        let _ = writeln!(out, "  - {}", indent(&a.text, "    "));
    }
    if !plan.is_done() {
        let _ = writeln!(
            out,
            "  Then rerun the Hybrid Configuration Wizard: it keeps these values. `relaycheck check --format powershell` writes the script."
        );
    }
}
