//! Step 5, Summary: every finding, what HCW would write, and the remediation as PowerShell,
//! to copy (OSC 52) or save with the edited scenario and the Markdown report.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::widgets::{pane, severity, wrap};
use crate::tui::app::App;

/// The PowerShell remediation for the current report: the same script as
/// `relaycheck check --format powershell` (with -WhatIf).
pub fn remediation_script(app: &App) -> String {
    let mut inputs = app.origin.input_lines.clone();
    if inputs.is_empty() {
        inputs.push(format!("wizard: {}", app.origin.label));
    }
    if app.dirty() {
        inputs.push("edited in the relaycheck wizard".to_string());
    }
    crate::report::powershell::render_plan(
        &app.remediation,
        &app.report,
        &app.scenario,
        app.now,
        &crate::report::powershell::Options {
            whatif: true,
            inputs,
            notes: app.origin.notes.iter().map(ToString::to_string).collect(),
        },
    )
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
    if !app.origin.notes.is_empty() {
        lines.push(Line::styled("How the input was read", t.title));
        for n in &app.origin.notes {
            lines.extend(indented(&n.to_string(), t.dim));
        }
        lines.push(Line::raw(""));
    }
    lines.push(Line::styled("What HCW would do", t.title));
    match app.report.hcw() {
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
