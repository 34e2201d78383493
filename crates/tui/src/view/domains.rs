//! Step 2, Domains: the tenant's accepted domains, its RejectDirectSend (toggled with `r`,
//! through the history), and which domains the certificate and the connector need, with
//! whether each is there and verified.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row, Table};

use super::findings;
use super::widgets::{Claim, fit, marks, pane, scroll_pane, share, window, wrap_line};
use crate::app::{App, Focus};
use relaycheck_core::model::DomainStatus;

pub fn panes(app: &App, area: Rect) -> Vec<(Focus, Rect)> {
    let needed = needed_lines(app, usize::from(area.width.saturating_sub(2)));
    layout(
        app,
        area,
        needed.len(),
        &findings::Pane::new(app, area.width),
    )
}

/// The panes, given how many "needed" lines there are and the findings pane.
fn layout(app: &App, area: Rect, needed: usize, found: &findings::Pane) -> Vec<(Focus, Rect)> {
    let n = u16::try_from(app.scenario.tenant.len()).unwrap_or(u16::MAX);
    let list = Claim {
        want: n.max(1).saturating_add(3),
        min: (n.max(1) + 3).min(6),
        grow: true,
    };
    let needed = u16::try_from(needed).unwrap_or(u16::MAX);
    let needed = Claim {
        want: needed.saturating_add(2),
        min: 3,
        grow: false,
    };
    let r = share(area, &[list, needed, found.claim()]);
    vec![
        (Focus::Main, r[0]),
        (Focus::Details, r[1]),
        (Focus::Findings, r[2]),
    ]
}

/// The tenant's RejectDirectSend, what it does to the test mail, and its key.
fn direct_send_line(app: &App, width: usize) -> Vec<Line<'static>> {
    let t = &app.theme;
    let flow = &app.report.mail_flow;
    let refused = flow.iter().filter(|m| m.is_direct_send_refused()).count();
    let anonymous = flow
        .iter()
        .filter(|m| m.decided_by == relaycheck_core::relay::DecidedBy::Anonymous)
        .count();
    let messages = |n: usize| match n {
        0 => String::new(),
        1 => " (1 test message)".to_string(),
        n => format!(" ({n} test messages)"),
    };
    let (value, effect) = if app.scenario.tenant.reject_direct_send {
        (
            "$true",
            format!(
                "anonymous mail from your own domains to your mailboxes is refused with 550 5.7.68{}",
                messages(refused)
            ),
        )
    } else {
        (
            "$false",
            format!(
                "anonymous mail to your mailboxes is delivered as Direct Send{}",
                messages(anonymous)
            ),
        )
    };
    wrap_line(
        &Line::from(vec![
            Span::styled("RejectDirectSend ", t.dim),
            Span::styled(value, t.code),
            Span::styled(format!(" (r toggles): {effect}"), t.dim),
        ]),
        width,
        2,
    )
}

pub fn needed_lines(app: &App, width: usize) -> Vec<Line<'static>> {
    let mut lines = domain_needs(app, width);
    lines.extend(direct_send_line(app, width));
    lines
}

fn domain_needs(app: &App, width: usize) -> Vec<Line<'static>> {
    let needs = &app.report.facts.needed_domains;
    if needs.is_empty() {
        return wrap_line(
            &Line::styled(
                "Nothing needs a domain yet (no certificate name, no connector domain).",
                app.theme.dim,
            ),
            width,
            0,
        );
    }
    needs
        .iter()
        .flat_map(|n| {
            let (mark, word, style) = match n.status {
                DomainStatus::Verified => ("✓", "verified", app.theme.ok),
                DomainStatus::Unverified => ("✗", "pending verification", app.theme.error),
                DomainStatus::Absent => ("✗", "missing", app.theme.error),
            };
            let line = Line::from(vec![
                Span::styled(format!("{mark} {} ", n.domain), style),
                Span::styled(
                    format!("{word} — needed by {}", n.by.words()),
                    app.theme.text,
                ),
            ]);
            wrap_line(&line, width, 2)
        })
        .collect()
}

pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    // Each pane's lines are made once a frame: the layout needs their number, then they draw.
    let needed = needed_lines(app, usize::from(area.width.saturating_sub(2)));
    let found = findings::Pane::new(app, area.width);
    let panes = layout(app, area, needed.len(), &found);
    let (list_area, need_area, findings_area) = (panes[0].1, panes[1].1, panes[2].1);
    let domains = app.scenario.tenant.accepted_domains();
    let title = format!("Accepted domains ({})", domains.len());
    let block = pane(app, &title, app.focus == Focus::Main);
    let inner = block.inner(list_area);
    let visible = usize::from(inner.height.saturating_sub(1));
    let first = window(app.domain_row, domains.len(), visible);
    let constraints = [
        Constraint::Fill(1),
        Constraint::Length(13),
        Constraint::Length(10),
        Constraint::Length(7),
    ];
    let domain_width = usize::from(
        Layout::horizontal(constraints)
            .spacing(1)
            .split(Rect::new(0, 0, inner.width, 1))[0]
            .width,
    );
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
                Cell::from(fit(d.domain.as_str(), domain_width)),
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
    let below = domains.len().saturating_sub(first + visible);
    let table = Table::new(rows, constraints)
        .header(Row::new(vec!["Domain", "Type", "Verified", "Default"]).style(app.theme.dim))
        .block(marks(app, block, first, below));
    frame.render_widget(table, list_area);

    scroll_pane(
        app,
        frame,
        need_area,
        pane(
            app,
            "Needed by the certificate and the connector; Direct Send",
            app.focus == Focus::Details,
        ),
        needed,
        usize::from(app.details_scroll),
    );
    found.draw(app, frame, findings_area);
}
