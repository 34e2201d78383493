//! `check --format powershell`: the findings' fixes as a script the admin reviews and runs
//! (domain-rules.md section 8). Built only from the [`FixAction`] data of the findings,
//! merged and deduplicated: one line per domain, one `Set-InboundConnector` per connector.
//! Every change ends in `-WhatIf` unless asked otherwise. relaycheck itself never connects
//! to a tenant and runs nothing.
//!
//! Every line is a comment, a blank, or one cmdlet call, so that the script reads (and
//! parses) plainly.

use std::fmt::Write;

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::Report;
use crate::checks::{Finding, Severity};
use crate::model::Scenario;
use crate::plan::{ConnectorSetting, FixAction};

/// How to write the script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// End every change with `-WhatIf` (the default; `--no-whatif` turns it off).
    pub whatif: bool,
    /// What the report was made from, one line each (`scenario: contoso.yaml`,
    /// `accepted domains: ad.json`), for the header.
    pub inputs: Vec<String>,
    /// How the input was read (the import notes), for the header.
    pub notes: Vec<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            whatif: true,
            inputs: Vec::new(),
            notes: Vec::new(),
        }
    }
}

/// The Graph module that holds New-MgDomain and Confirm-MgDomain.
pub const GRAPH_MODULE: &str = "Microsoft.Graph.Identity.DirectoryManagement";
/// Exchange Online PowerShell (V3).
pub const EXO_MODULE: &str = "ExchangeOnlineManagement";

/// Where a change is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Part {
    Domains,
    Connector,
    OnPremises,
}

/// One change to make, with the findings it resolves.
#[derive(Debug, Clone)]
struct Change {
    action: FixAction,
    /// `check-id (subject)` of each finding it resolves.
    fixes: Vec<String>,
    /// Only info findings ask for it: shown commented out, as a suggestion.
    optional: bool,
    /// Conflicting values other findings asked for (the first one is kept).
    conflicts: Vec<String>,
}

/// A step no cmdlet here can take (a certificate request, a renewal), or an alternative
/// to the script's changes.
#[derive(Debug, Clone)]
struct Manual {
    text: String,
    label: String,
    optional: bool,
}

impl Manual {
    fn is_alternative(&self) -> bool {
        self.text.starts_with("Or ")
    }
}

fn part(action: &FixAction) -> Option<Part> {
    match action {
        FixAction::AddDomain { .. } | FixAction::VerifyDomain { .. } => Some(Part::Domains),
        FixAction::SetInboundConnector { .. } | FixAction::NewInboundConnector { .. } => {
            Some(Part::Connector)
        }
        FixAction::SetSendConnector { .. } => Some(Part::OnPremises),
        FixAction::Manual { .. } => None,
    }
}

fn finding_label(f: &Finding) -> String {
    match &f.subject {
        Some(s) => format!("{} ({s})", f.id),
        None => f.id.to_string(),
    }
}

/// The domain an action adds or verifies.
fn domain_of(action: &FixAction) -> Option<&str> {
    match action {
        FixAction::AddDomain { domain } | FixAction::VerifyDomain { domain } => {
            Some(domain.as_str())
        }
        _ => None,
    }
}

fn same_parameter(a: &ConnectorSetting, b: &ConnectorSetting) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b)
}

fn setting_text(s: &ConnectorSetting) -> String {
    let line = FixAction::SetInboundConnector {
        connector: String::new(),
        settings: vec![s.clone()],
    }
    .powershell()
    .concat();
    line.split_once("\"\" ")
        .map_or(line.clone(), |(_, p)| p.to_string())
}

/// Merges the findings' actions into changes: a domain once (adding covers verifying),
/// one set of settings per connector, one new connector, one send connector line.
fn changes(report: &Report) -> (Vec<Change>, Vec<Manual>) {
    let mut out: Vec<Change> = Vec::new();
    let mut manual: Vec<Manual> = Vec::new();
    for f in &report.findings {
        let label = finding_label(f);
        let optional = f.severity == Severity::Info;
        for action in &f.actions {
            if let FixAction::Manual { text } = action {
                match manual.iter_mut().find(|m| m.text == *text) {
                    Some(m) => m.optional &= optional,
                    None => manual.push(Manual {
                        text: text.clone(),
                        label: label.clone(),
                        optional,
                    }),
                }
                continue;
            }
            let existing = out.iter_mut().find(|c| match (&c.action, action) {
                (a, b) if domain_of(a).is_some() => domain_of(a) == domain_of(b),
                (
                    FixAction::SetInboundConnector { connector: a, .. },
                    FixAction::SetInboundConnector { connector: b, .. },
                ) => a == b,
                (FixAction::NewInboundConnector { .. }, FixAction::NewInboundConnector { .. })
                | (FixAction::SetSendConnector { .. }, FixAction::SetSendConnector { .. }) => true,
                _ => false,
            });
            let Some(change) = existing else {
                out.push(Change {
                    action: action.clone(),
                    fixes: vec![label.clone()],
                    optional,
                    conflicts: Vec::new(),
                });
                continue;
            };
            if !change.fixes.contains(&label) {
                change.fixes.push(label.clone());
            }
            change.optional &= optional;
            match (&mut change.action, action) {
                (FixAction::VerifyDomain { domain }, FixAction::AddDomain { .. }) => {
                    change.action = FixAction::AddDomain {
                        domain: domain.clone(),
                    };
                }
                (
                    FixAction::SetInboundConnector { settings, .. },
                    FixAction::SetInboundConnector { settings: more, .. },
                ) => {
                    for s in more {
                        match settings.iter().find(|have| same_parameter(have, s)) {
                            None => settings.push(s.clone()),
                            Some(have) if have != s => {
                                change
                                    .conflicts
                                    .push(format!("{label} asked for {} instead", setting_text(s)));
                            }
                            Some(_) => {}
                        }
                    }
                }
                (a, b) if *a != *b && domain_of(a).is_none() => {
                    let text = b.powershell().concat();
                    change.conflicts.push(format!("{label} asked for: {text}"));
                }
                _ => {}
            }
        }
    }
    out.sort_by_key(|c| part(&c.action));
    (out, manual)
}

/// Cmdlets that change something and take `-WhatIf`.
fn is_change(line: &str) -> bool {
    ["New-", "Set-", "Confirm-"]
        .iter()
        .any(|verb| line.starts_with(verb))
}

fn comment_block(out: &mut String, prefix: &str, text: &str) {
    hanging_block(out, prefix, prefix, text);
}

/// Long sentences wrapped at words (at 100 columns), so the header stays readable in an
/// editor; `first` starts the first line, `rest` the others.
fn hanging_block(out: &mut String, first: &str, rest: &str, text: &str) {
    let mut prefix = first;
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && prefix.len() + line.len() + word.len() + 1 > 100 {
            let _ = writeln!(out, "{prefix}{line}");
            prefix = rest;
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        let _ = writeln!(out, "{prefix}{line}");
    }
}

/// Renders the remediation script for the report's findings.
pub fn render(
    report: &Report,
    scenario: &Scenario,
    now: OffsetDateTime,
    options: &Options,
) -> String {
    let (changes, manual) = changes(report);
    let required: Vec<&Change> = changes.iter().filter(|c| !c.optional).collect();
    let mut out = String::new();
    let _ = writeln!(out, "# relaycheck remediation script");
    let _ = writeln!(out, "#");
    let _ = writeln!(
        out,
        "# Generated by relaycheck {} at {}{}",
        env!("CARGO_PKG_VERSION"),
        now.format(&Rfc3339).unwrap_or_default(),
        if options.inputs.is_empty() {
            "."
        } else {
            " from:"
        }
    );
    for input in &options.inputs {
        let _ = writeln!(out, "#   {input}");
    }
    comment_block(
        &mut out,
        "# ",
        &format!("Checked: {}.", super::text::scenario_line(scenario)),
    );
    comment_block(
        &mut out,
        "# ",
        &format!(
            "Verdict: {}. {}",
            report.verdict.as_str().to_uppercase(),
            report.headline()
        ),
    );
    let _ = writeln!(out, "#");
    let fixed: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| f.actions.iter().any(|a| part(a).is_some()))
        .collect();
    if fixed.is_empty() {
        let _ = writeln!(out, "# Nothing here needs a PowerShell change.");
    } else {
        let _ = writeln!(out, "# What it fixes, and why:");
        for f in fixed {
            hanging_block(
                &mut out,
                "#   ",
                "#     ",
                &format!(
                    "{} {}: {}",
                    f.severity.as_str().to_uppercase(),
                    finding_label(f),
                    f.message
                ),
            );
            hanging_block(&mut out, "#     Why: ", "#          ", f.why);
        }
    }
    let by_hand: Vec<&Manual> = manual.iter().filter(|m| !m.is_alternative()).collect();
    if !by_hand.is_empty() {
        let _ = writeln!(out, "#");
        let _ = writeln!(out, "# To do by hand (no cmdlet here can do it):");
        for m in by_hand {
            let tag = if m.optional { "info: " } else { "" };
            hanging_block(
                &mut out,
                "#   - ",
                "#     ",
                &format!("{} [{tag}{}]", m.text, m.label),
            );
        }
    }
    let alternatives: Vec<&Manual> = manual.iter().filter(|m| m.is_alternative()).collect();
    if !alternatives.is_empty() {
        let _ = writeln!(out, "#");
        let _ = writeln!(out, "# Instead of the changes below, you may also:");
        for m in alternatives {
            let text = m.text.strip_prefix("Or ").unwrap_or(&m.text);
            let mut chars = text.chars();
            let text = chars
                .next()
                .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
                .unwrap_or_default();
            hanging_block(
                &mut out,
                "#   - ",
                "#     ",
                &format!("{text} [{}]", m.label),
            );
        }
    }
    if !options.notes.is_empty() {
        let _ = writeln!(out, "#");
        let _ = writeln!(out, "# How the input was read:");
        for note in &options.notes {
            hanging_block(&mut out, "#   - ", "#     ", note);
        }
    }
    let _ = writeln!(out, "#");
    comment_block(
        &mut out,
        "# ",
        "relaycheck connected to nothing and ran nothing: read every line before you run it.",
    );
    if options.whatif {
        comment_block(
            &mut out,
            "# ",
            "Each change ends in -WhatIf, which only shows what it would do. Run the script once as it is, then remove -WhatIf (or rerun relaycheck with --no-whatif) to make the changes.",
        );
    }

    if changes.is_empty() {
        return out;
    }
    let needs = |p: Part| required.iter().any(|c| part(&c.action) == Some(p));
    let _ = writeln!(out);
    let _ = writeln!(out, "#Requires -Version 5.1");
    if needs(Part::Domains) {
        let _ = writeln!(out, "#Requires -Modules {GRAPH_MODULE}");
    }
    if needs(Part::Connector) {
        let _ = writeln!(out, "#Requires -Modules {EXO_MODULE}");
    }

    let mut current: Option<Part> = None;
    let mut section = 0;
    for change in &changes {
        let this = part(&change.action);
        if this != current {
            current = this;
            section += 1;
            let _ = writeln!(out);
            let active = changes
                .iter()
                .any(|c| part(&c.action) == this && !c.optional);
            match this {
                Some(Part::Domains) => {
                    let _ = writeln!(
                        out,
                        "# {section}. Tenant domains (Microsoft Graph PowerShell, {GRAPH_MODULE})"
                    );
                    comment_block(
                        &mut out,
                        "#    ",
                        "A domain counts once it is verified; Exchange Online then lists it as an accepted domain.",
                    );
                    if active {
                        let _ = writeln!(out, "Connect-MgGraph -Scopes \"Domain.ReadWrite.All\"");
                    }
                }
                Some(Part::Connector) => {
                    let _ = writeln!(
                        out,
                        "# {section}. Inbound connector (Exchange Online PowerShell, {EXO_MODULE} V3)"
                    );
                    if active {
                        let _ = writeln!(out, "Connect-ExchangeOnline");
                    }
                }
                Some(Part::OnPremises) => {
                    let _ = writeln!(
                        out,
                        "# {section}. On-premises send connector: run this part in the Exchange Management Shell"
                    );
                    let _ = writeln!(
                        out,
                        "#    on an Exchange server, not in the Exchange Online session, once the certificate"
                    );
                    let _ = writeln!(
                        out,
                        "#    it names is installed there and enabled for SMTP."
                    );
                }
                None => {}
            }
        }
        let _ = writeln!(out);
        let why = if change.optional {
            format!(
                "Optional (info, not needed for relay): {}",
                change.fixes.join(", ")
            )
        } else {
            format!("Fixes {}", change.fixes.join(", "))
        };
        comment_block(&mut out, "# ", &why);
        for c in &change.conflicts {
            comment_block(
                &mut out,
                "# Note: ",
                &format!("{c}; the line below keeps the first request."),
            );
        }
        for line in change.action.powershell() {
            let line = if options.whatif && is_change(&line) {
                format!("{line} -WhatIf")
            } else {
                line
            };
            if change.optional && !line.starts_with('#') {
                let _ = writeln!(out, "# {line}");
            } else {
                let _ = writeln!(out, "{line}");
            }
        }
    }
    if !required.is_empty() {
        let _ = writeln!(out);
        comment_block(
            &mut out,
            "# ",
            "Finally: rerun the Hybrid Configuration Wizard so that its connectors agree with these changes, then run relaycheck again.",
        );
    }
    out
}
