//! Step 5, Summary: every finding, what HCW would write, the remediation as PowerShell (to
//! copy with OSC 52, or save with the edited scenario and the Markdown report), and what was
//! checked (the report's inventory).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::widgets::{pane, para, scroll_pane, severity, wrap_line};
use crate::app::App;

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
    relaycheck_core::report::powershell::render_plan(
        &app.remediation,
        &app.report,
        &app.scenario,
        app.now,
        &relaycheck_core::report::powershell::Options {
            whatif: true,
            inputs,
            notes: app.origin.notes.iter().map(ToString::to_string).collect(),
        },
    )
}

/// The Summary's lines at this width. The PowerShell keeps its indentation when a line
/// wraps (continuations are indented further), so it reads as the script it is; `c`
/// copies the script whole, never the wrapped text.
pub fn lines(app: &App, width: usize) -> Vec<Line<'static>> {
    let t = &app.theme;
    let indented =
        |text: &str, style| -> Vec<Line<'static>> { para(&format!("    {text}"), style, width, 0) };
    let mut lines: Vec<Line<'static>> = Vec::new();
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
            lines.extend(wrap_line(
                &Line::from(vec![
                    Span::raw("  TlsSenderCertificateName "),
                    Span::styled(h.tls_sender_certificate_name.clone(), t.code),
                ]),
                width,
                4,
            ));
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
    // The same inventory the text and Markdown reports open with.
    lines.push(Line::styled("What was checked", t.title));
    for l in relaycheck_core::report::inventory::text_lines(&app.report.inventory, "  ") {
        lines.extend(para(&l, t.text, width, 4));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        "Remediation (PowerShell; c copies it whole)",
        t.title,
    ));
    for l in remediation_script(app).lines() {
        for row in script_rows(l, width) {
            lines.push(Line::styled(row, t.code));
        }
    }
    lines.push(Line::raw(""));
    lines.extend(wrap_line(
        &Line::styled(
            "s saves the edited scenario (YAML), m the report (Markdown); the input file is never changed.",
            t.dim,
        ),
        width,
        0,
    ));
    lines
}

pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    let width = usize::from(area.width.saturating_sub(2));
    let block = pane(app, "Summary (↑↓ scroll)", true);
    scroll_pane(
        app,
        frame,
        area,
        block,
        lines(app, width),
        usize::from(app.summary_scroll),
    );
}

/// One script line as screen rows, indented by two. A comment that wraps stays a comment:
/// its rows repeat the `#` and the comment's own indentation; code continues four columns
/// further in.
fn script_rows(line: &str, width: usize) -> Vec<String> {
    let lead = line.len() - line.trim_start().len();
    let body = line.trim_start();
    let (prefix, text) = match body.strip_prefix('#') {
        Some(rest) if !rest.starts_with("Requires") => {
            let gap = rest.len() - rest.trim_start().len();
            (
                format!("  {}#{}", &line[..lead], " ".repeat(gap.max(1))),
                rest.trim_start(),
            )
        }
        _ => (format!("  {}", &line[..lead]), body),
    };
    let code = !body.starts_with('#') || body.starts_with("#Requires");
    let room = width
        .saturating_sub(relaycheck_core::width::width(&prefix))
        .max(8);
    let mut rows = Vec::new();
    for (i, part) in super::widgets::wrap(text, room).into_iter().enumerate() {
        let part = part.trim_start();
        let row = if i > 0 && code {
            format!("{prefix}    {part}")
        } else {
            format!("{prefix}{part}")
        };
        rows.push(row.trim_end().to_string());
    }
    if rows.is_empty() {
        rows.push(prefix.trim_end().to_string());
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::script_rows;

    #[test]
    fn a_wrapped_comment_stays_a_comment_and_code_hangs() {
        let comment =
            "#   Why: Certificate-based relay works only when the connector's domain is verified";
        let rows = script_rows(comment, 40);
        assert!(rows.len() > 1, "{rows:?}");
        assert!(rows.iter().all(|r| r.starts_with("  #   ")), "{rows:?}");
        assert!(rows.iter().all(|r| r.chars().count() <= 40), "{rows:?}");
        let code = "Set-InboundConnector -Identity \"Inbound from on-premises\" -TlsSenderCertificateName \"*.contoso.com\"";
        let rows = script_rows(code, 40);
        assert!(rows[0].starts_with("  Set-InboundConnector"), "{rows:?}");
        assert!(
            rows[1..].iter().all(|r| r.starts_with("      ")),
            "{rows:?}"
        );
        assert_eq!(script_rows("", 40), vec![String::new()]);
        assert_eq!(script_rows("#", 40), vec!["  #".to_string()]);
    }
}
