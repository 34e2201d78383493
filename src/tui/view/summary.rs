//! Step 5, Summary: every finding, what HCW would write, and the remediation as PowerShell,
//! to copy (OSC 52) or save with the edited scenario and the Markdown report.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::widgets::{pane, severity, wrap};
use crate::checks::FixAction;
use crate::tui::app::App;

/// The PowerShell remediation for the current report: each change once, then the HCW rerun.
pub fn remediation_script(app: &App) -> String {
    let mut lines: Vec<String> = Vec::new();
    // Notes (info) are optional; the script carries what fixes warnings and errors.
    for f in app
        .report
        .findings
        .iter()
        .filter(|f| f.severity != crate::checks::Severity::Info)
    {
        for a in &f.actions {
            if let FixAction::Manual { .. } = a {
                continue;
            }
            for l in a.powershell() {
                if !lines.contains(&l) {
                    lines.push(l);
                }
            }
        }
    }
    if lines.is_empty() {
        return "# relaycheck: nothing to change.\n".to_string();
    }
    let mut out =
        String::from("# relaycheck remediation (Exchange Online PowerShell unless noted)\n");
    for l in lines {
        out.push_str(&l);
        out.push('\n');
    }
    out.push_str("# After the changes, rerun the Hybrid Configuration Wizard so that its connectors agree.\n");
    out
}

pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let width = usize::from(area.width.saturating_sub(2));
    let indented = |text: &str, style| -> Vec<Line<'static>> {
        wrap(text, width.saturating_sub(4))
            .into_iter()
            .map(|l| Line::styled(format!("    {l}"), style))
            .collect()
    };
    let mut lines: Vec<Line> = Vec::new();
    lines.push(Line::styled("What HCW would do", t.title));
    match &app.report.hcw {
        Some(h) => {
            lines.push(Line::from(vec![
                Span::raw("  TlsSenderCertificateName "),
                Span::styled(h.tls_sender_certificate_name.clone(), t.code),
            ]));
            match &h.warning {
                Some(w) => {
                    lines.push(Line::styled("  ! warns:", t.warn));
                    lines.extend(indented(w, t.warn));
                }
                None => lines.push(Line::styled("  ✓ no warning", t.ok)),
            }
        }
        None => lines.push(Line::raw("  nothing: no certificate name")),
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        format!("Findings ({})", app.report.findings.len()),
        t.title,
    ));
    if app.report.findings.is_empty() {
        lines.push(Line::styled("  ✓ none", t.ok));
    }
    for f in &app.report.findings {
        let (symbol, word, style) = severity(app, f.severity);
        lines.push(Line::from(vec![
            Span::styled(format!("  {symbol} {word:<7} "), style),
            Span::styled(f.id.as_str(), t.text),
        ]));
        lines.extend(indented(&f.message, t.dim));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled("Remediation (c copies it)", t.title));
    for l in remediation_script(app).lines() {
        lines.push(Line::styled(format!("  {l}"), t.code));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled("s saves the edited scenario (YAML), m the report (Markdown); the input file is never changed.", t.dim));
    let block = pane(app, "Summary (↑↓ scroll)", true);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((app.summary_scroll, 0))
            .block(block),
        area,
    );
}
