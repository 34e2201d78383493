//! `check --format json`: the `relaycheck.report.v1` document scripts rely on.

use serde::Serialize;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::Report;
use crate::checks::{Finding, Severity};
use crate::model::Note;
use crate::relay::MessageOutcome;

pub const SCHEMA: &str = "relaycheck.report.v1";

#[derive(Serialize)]
struct Document<'a> {
    schema: &'static str,
    verdict: &'static str,
    headline: String,
    evaluated_at: String,
    hcw: Hcw<'a>,
    recommended_tls_sender_certificate_name: Option<&'a str>,
    summary: Summary,
    /// How the input was read: assumptions, choices, what was left out.
    input_notes: &'a [Note],
    findings: &'a [Finding],
    mail_flow: &'a [MessageOutcome],
    /// The one plan: its changes in the order they run, then the steps by hand.
    plan: &'a [crate::plan::PlanStep],
    /// When, from which files, and what was checked.
    inventory: &'a super::inventory::Inventory,
}

#[derive(Serialize)]
struct Hcw<'a> {
    certificate_name: Option<&'a str>,
    tls_sender_certificate_name: Option<&'a str>,
    warning: Option<&'a str>,
}

#[derive(Serialize)]
struct Summary {
    errors: usize,
    warnings: usize,
    info: usize,
    rejected_messages: usize,
}

/// Renders the report as pretty-printed JSON.
pub fn render(report: &Report, now: OffsetDateTime, notes: &[Note]) -> String {
    let hcw = report.hcw();
    let doc = Document {
        schema: SCHEMA,
        verdict: report.verdict.as_str(),
        headline: report.headline(),
        evaluated_at: now.format(&Rfc3339).unwrap_or_default(),
        hcw: Hcw {
            certificate_name: hcw.map(|h| h.certificate_name.as_str()),
            tls_sender_certificate_name: hcw.map(|h| h.tls_sender_certificate_name.as_str()),
            warning: hcw.and_then(|h| h.warning.as_deref()),
        },
        recommended_tls_sender_certificate_name: report.recommended_tscn.as_deref(),
        summary: Summary {
            errors: report.count(Severity::Error),
            warnings: report.count(Severity::Warning),
            info: report.count(Severity::Info),
            rejected_messages: report.rejected().count(),
        },
        input_notes: notes,
        findings: &report.findings,
        mail_flow: &report.mail_flow,
        plan: &report.plan.steps,
        inventory: &report.inventory,
    };
    // Serialising plain strings, numbers and enums cannot fail.
    serde_json::to_string_pretty(&doc).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}")) + "\n"
}
