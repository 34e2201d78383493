//! Step 2, Domains: the tenant's accepted domains, and which domains the certificate and
//! the connector need, with whether each is there and verified.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, Wrap};

use super::findings;
use super::widgets::{page_split, pane};
use crate::model::DomainStatus;
use crate::tui::app::{App, Focus};

pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    let (top, bottom) = page_split(area, app.page_findings().len());
    let needs = &app.report.facts.needed_domains;
    let need_height = (needs.len() as u16 + 2).clamp(3, 6);
    let [list_area, need_area] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(need_height)]).areas(top);
    let domains = app.scenario.tenant.accepted_domains();
    let title = format!("Accepted domains ({})", domains.len());
    let block = pane(app, &title, app.focus == Focus::Main);
    let visible = usize::from(list_area.height.saturating_sub(3)).max(1);
    let first = app.domain_row.saturating_sub(visible - 1);
    let rows: Vec<Row> = domains
        .iter()
        .enumerate()
        .skip(first)
        .take(visible)
        .map(|(i, d)| {
            let style = if i == app.domain_row && app.focus == Focus::Main {
                app.theme.selected
            } else {
                app.theme.text
            };
            Row::new(vec![
                Cell::from(d.domain.to_string()),
                Cell::from(d.domain_type.as_str()),
                Cell::from(if d.verified {
                    Span::styled("✓ verified", app.theme.ok)
                } else {
                    Span::styled("… pending", app.theme.warn)
                }),
                Cell::from(if d.default { "default" } else { "" }),
            ])
            .style(style)
        })
        .collect();
    let table = Table::new(
        rows,
        [
            Constraint::Fill(1),
            Constraint::Length(13),
            Constraint::Length(10),
            Constraint::Length(7),
        ],
    )
    .header(Row::new(vec!["Domain", "Type", "Verified", "Default"]).style(app.theme.dim))
    .block(block);
    frame.render_widget(table, list_area);

    let lines: Vec<Line> = if needs.is_empty() {
        vec![Line::styled(
            "Nothing needs a domain yet (no certificate name, no connector domain).",
            app.theme.dim,
        )]
    } else {
        needs
            .iter()
            .map(|n| {
                let (mark, word, style) = match n.status {
                    DomainStatus::Verified => ("✓", "verified", app.theme.ok),
                    DomainStatus::Unverified => ("✗", "pending verification", app.theme.error),
                    DomainStatus::Absent => ("✗", "missing", app.theme.error),
                };
                Line::from(vec![
                    Span::styled(format!("{mark} {} ", n.domain), style),
                    Span::styled(
                        format!("{word} — needed by {}", n.by.words()),
                        app.theme.text,
                    ),
                ])
            })
            .collect()
    };
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: true }).block(pane(
            app,
            "Needed by the certificate and the connector",
            false,
        )),
        need_area,
    );
    findings::draw(app, frame, bottom);
}
