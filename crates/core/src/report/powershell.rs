//! `check --format powershell`: the plan as a script the admin reviews and runs
//! (docs/checks.md, "Fixes"). One part per shell, each complete on its own (its `#Requires`,
//! `$ErrorActionPreference = 'Stop'`, its `Connect-` line): Graph adds the domains and shows
//! their TXT records, then stops; a second Graph part verifies them once the records are
//! published; Exchange Online; the Exchange Management Shell. Every change ends in
//! `-WhatIf` unless asked otherwise. relaycheck itself never connects to a tenant and runs
//! nothing.
//!
//! Every line is a comment, a blank, or one command, and every text from input that lands in
//! a comment is one cleaned line: a name or a path can never end a comment and run.

use std::fmt::Write;

use time::OffsetDateTime;

use super::Report;
use crate::action::supports_whatif;
use crate::checks::{Finding, FindingKey};
use crate::model::Scenario;
use crate::plan::{Part, Plan, PlanStep};
use crate::text::clean_line;

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

/// Long sentences wrapped at words (at 100 columns) as comment lines; `first` starts the
/// first line, `rest` the others. The text is cleaned first: it is always comment.
fn hanging_block(out: &mut String, first: &str, rest: &str, text: &str) {
    let text = clean_line(text);
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

fn comment(out: &mut String, text: &str) {
    hanging_block(out, "# ", "# ", text);
}

fn label(key: &FindingKey) -> String {
    match &key.1 {
        Some(s) => format!("{} ({s})", key.0),
        None => key.0.to_string(),
    }
}

fn finding_label(f: &Finding) -> String {
    label(&f.owned_key())
}

/// The parts that have something to run, each with its lines.
fn part_lines(plan: &Plan, options: &Options) -> Vec<(Part, Vec<String>)> {
    let mut out = Vec::new();
    for part in Part::ALL {
        let mut lines = Vec::new();
        for step in plan.changes() {
            let commands = step.action.commands(part, step.verified_parent);
            if commands.is_empty() {
                continue;
            }
            lines.push(String::new());
            lines.extend(step_comment(step, part));
            for c in commands {
                lines.push(if options.whatif && supports_whatif(&c) {
                    format!("{c} -WhatIf")
                } else {
                    c
                });
            }
        }
        if !lines.is_empty() {
            out.push((part, lines));
        }
    }
    out
}

/// The comment above a step's lines: what it fixes, and notes for the part it is in.
fn step_comment(step: &PlanStep, part: Part) -> Vec<String> {
    let mut text = String::new();
    if step.resolves.is_empty() {
        comment(&mut text, &step.summary);
    } else {
        let labels: Vec<String> = step.resolves.iter().map(label).collect();
        comment(&mut text, &format!("Fixes {}", labels.join(", ")));
    }
    if part == Part::GraphAdd && step.action.domain().is_some() {
        if step.verified_parent {
            comment(
                &mut text,
                "A domain above it is verified, so Microsoft 365 verifies this one on creation: no TXT record to publish.",
            );
        } else {
            comment(
                &mut text,
                "The second line shows the TXT record to publish (nothing under -WhatIf: the domain is not created then).",
            );
        }
    }
    text.lines().map(str::to_string).collect()
}

fn part_header(out: &mut String, part: Part, n: usize, of: usize) {
    let _ = writeln!(out, "# ===== Part {n} of {of}: {} =====", part.title());
    match part {
        Part::GraphAdd | Part::GraphVerify => {
            let _ = writeln!(out, "#Requires -Version 5.1");
            let _ = writeln!(out, "#Requires -Modules {GRAPH_MODULE}");
            let _ = writeln!(out, "$ErrorActionPreference = 'Stop'");
            let _ = writeln!(out, "Connect-MgGraph -Scopes \"Domain.ReadWrite.All\"");
        }
        Part::ExchangeOnline => {
            let _ = writeln!(out, "#Requires -Version 5.1");
            let _ = writeln!(out, "#Requires -Modules {EXO_MODULE}");
            let _ = writeln!(out, "$ErrorActionPreference = 'Stop'");
            let _ = writeln!(out, "Connect-ExchangeOnline");
        }
        Part::ExchangeServer => {
            let _ = writeln!(out, "#Requires -Version 5.1");
            comment(
                out,
                "Run this part in the Exchange Management Shell on an Exchange server (not in the Exchange Online session). Certificates are installed first: a send connector can only name a certificate its source servers hold.",
            );
            let _ = writeln!(out, "$ErrorActionPreference = 'Stop'");
        }
    }
}

fn part_footer(
    out: &mut String,
    plan: &Plan,
    part: Part,
    next: Option<(usize, Part)>,
    whatif: bool,
) {
    let _ = writeln!(out);
    match part {
        Part::GraphAdd => {
            let to_publish = plan.changes().any(|s| {
                !s.action
                    .commands(Part::GraphVerify, s.verified_parent)
                    .is_empty()
                    && matches!(s.action, crate::action::FixAction::AddDomain { .. })
            });
            if to_publish {
                let _ = writeln!(
                    out,
                    "Write-Host \"Publish the TXT record(s) above in DNS for each new domain, wait until they resolve, then run the verify part.\""
                );
            }
        }
        Part::GraphVerify => comment(
            out,
            "Exchange Online lists a domain as an accepted domain shortly after it is verified.",
        ),
        Part::ExchangeOnline | Part::ExchangeServer => {}
    }
    if next.is_none() {
        if whatif {
            let _ = writeln!(
                out,
                "# Once the -WhatIf output looks right, run the parts again without -WhatIf."
            );
        }
        let _ = writeln!(
            out,
            "# Finally: rerun the Hybrid Configuration Wizard, then run relaycheck again."
        );
    }
    let _ = writeln!(out, "return");
}

/// The header every form of the script starts with: what was checked, what the script
/// fixes and why, what is done by hand, how the input was read.
fn header(
    plan: &Plan,
    report: &Report,
    scenario: &Scenario,
    now: OffsetDateTime,
    options: &Options,
) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# relaycheck remediation script");
    let _ = writeln!(out, "#");
    let _ = writeln!(
        out,
        "# Generated by relaycheck {} at {}{}",
        env!("CARGO_PKG_VERSION"),
        crate::when::rfc3339(now),
        if options.inputs.is_empty() {
            "."
        } else {
            " from:"
        }
    );
    for input in &options.inputs {
        hanging_block(&mut out, "#   ", "#     ", input);
    }
    comment(
        &mut out,
        &format!("Checked: {}.", super::text::scenario_line(scenario)),
    );
    comment(
        &mut out,
        &format!(
            "Verdict: {}. {}",
            report.verdict.as_str().to_uppercase(),
            report.headline()
        ),
    );
    let _ = writeln!(out, "#");
    let fixed: Vec<&Finding> = plan.resolved.iter().collect();
    if plan.is_done() {
        let _ = writeln!(
            out,
            "# Nothing to change: no PowerShell change would make this configuration better."
        );
    } else if !fixed.is_empty() {
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
    let by_hand: Vec<&PlanStep> = plan.by_hand().collect();
    if !by_hand.is_empty() {
        let _ = writeln!(out, "#");
        let _ = writeln!(out, "# To do by hand (no cmdlet here can do it):");
        for s in by_hand {
            let labels: Vec<String> = s.resolves.iter().map(label).collect();
            hanging_block(
                &mut out,
                "#   - ",
                "#     ",
                &format!("{} [{}]", s.summary, labels.join(", ")),
            );
        }
    }
    if !plan.alternatives.is_empty() {
        let _ = writeln!(out, "#");
        let _ = writeln!(out, "# Instead of the changes below, you may also:");
        for a in &plan.alternatives {
            let text = a
                .text
                .strip_prefix("Or, ")
                .or_else(|| a.text.strip_prefix("Or "))
                .unwrap_or(&a.text);
            let mut chars = text.chars();
            let text = chars
                .next()
                .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
                .unwrap_or_default();
            let labels: Vec<String> = a.about.iter().map(label).collect();
            hanging_block(
                &mut out,
                "#   - ",
                "#     ",
                &format!("{text} [{}]", labels.join(", ")),
            );
        }
    }
    if !plan.suggestions.is_empty() {
        let _ = writeln!(out, "#");
        let _ = writeln!(
            out,
            "# Optional, for notes (not needed for relay; run them yourself if you want them):"
        );
        for s in &plan.suggestions {
            let labels: Vec<String> = s.resolves.iter().map(label).collect();
            hanging_block(
                &mut out,
                "#   - ",
                "#     ",
                &format!("{} [info: {}]", s.summary, labels.join(", ")),
            );
            for c in &s.command {
                hanging_block(&mut out, "#       ", "#         ", c);
            }
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
    comment(
        &mut out,
        "relaycheck connected to nothing and ran nothing: read every line before you run it.",
    );
    if options.whatif && !plan.is_done() {
        comment(
            &mut out,
            "Each change ends in -WhatIf, which only shows what it would do. Run each part once as it is, then remove -WhatIf (or rerun relaycheck with --no-whatif) to make the changes.",
        );
    }
    out
}

/// The whole script of the report's plan as one text: the header, then every part. The
/// parts run in different shells; each ends in `return`, so running the text as a whole
/// never mixes two sessions.
pub fn render(
    report: &Report,
    scenario: &Scenario,
    now: OffsetDateTime,
    options: &Options,
) -> String {
    render_plan(&report.plan, report, scenario, now, options)
}

/// The script of `plan` (the wizard's difference from where the admin started), with the
/// verdict of `report` in its header.
pub fn render_plan(
    plan: &Plan,
    report: &Report,
    scenario: &Scenario,
    now: OffsetDateTime,
    options: &Options,
) -> String {
    let mut out = header(plan, report, scenario, now, options);
    let parts = part_lines(plan, options);
    if parts.is_empty() {
        return out;
    }
    let _ = writeln!(out, "#");
    comment(
        &mut out,
        &format!(
            "The {} part(s) below run in different shells, in this order; each is complete on its own (copy it into its shell, or write one file per part with --format powershell --out DIR):",
            parts.len()
        ),
    );
    for (i, (part, _)) in parts.iter().enumerate() {
        hanging_block(
            &mut out,
            &format!("#   {}. ", i + 1),
            "#      ",
            part.title(),
        );
    }
    let of = parts.len();
    for (i, (part, lines)) in parts.iter().enumerate() {
        let _ = writeln!(out);
        part_header(&mut out, *part, i + 1, of);
        for l in lines {
            let _ = writeln!(out, "{l}");
        }
        let next = parts.get(i + 1).map(|(p, _)| (i + 2, *p));
        part_footer(&mut out, plan, *part, next, options.whatif);
    }
    out
}

/// One file per part for `--format powershell --out DIR`: (file name, text), then the
/// README that says in which order to run them.
pub fn files(
    report: &Report,
    scenario: &Scenario,
    now: OffsetDateTime,
    options: &Options,
) -> Vec<(String, String)> {
    let head = header(&report.plan, report, scenario, now, options);
    let parts = part_lines(&report.plan, options);
    let of = parts.len();
    let mut out = Vec::new();
    let mut readme = String::from(
        "relaycheck remediation: run these files in this order, each in its own shell.\n",
    );
    for (i, (part, lines)) in parts.iter().enumerate() {
        let mut text = head.clone();
        let _ = writeln!(text);
        part_header(&mut text, *part, i + 1, of);
        for l in lines {
            let _ = writeln!(text, "{l}");
        }
        let next = parts.get(i + 1).map(|(p, _)| (i + 2, *p));
        part_footer(&mut text, &report.plan, *part, next, options.whatif);
        let _ = writeln!(
            readme,
            "{}. {}  ({})",
            i + 1,
            part.file_name(),
            part.title()
        );
        out.push((part.file_name().to_string(), text));
    }
    if parts.is_empty() {
        let _ = writeln!(
            readme,
            "Nothing to run: relaycheck found no change to make."
        );
        out.push(("remediation.ps1".to_string(), head));
    }
    out.push(("README.txt".to_string(), readme));
    out
}
