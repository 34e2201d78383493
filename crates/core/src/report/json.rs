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
    headline: crate::text::Line,
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
    to_json(&doc) + "\n"
}

/// Pretty-printed JSON in which no string can act on a terminal: besides what JSON itself
/// escapes (C0 controls, `"` and `\\`), DEL, the C1 controls, the line and paragraph separators
/// and the bidi overrides are written as `\\uXXXX` escapes. The data is unchanged (a parser
/// reads back the exact text); only its spelling is safe to `cat`. Every JSON document
/// relaycheck writes goes through here.
pub fn to_json<T: Serialize + ?Sized>(value: &T) -> String {
    let mut out = Vec::with_capacity(4096);
    let mut ser = serde_json::Serializer::with_formatter(&mut out, SafeFormatter::default());
    // Serialising plain strings, numbers and enums into memory cannot fail.
    if let Err(e) = value.serialize(&mut ser) {
        return format!(
            "{{\"error\": \"{}\"}}",
            crate::text::clean_line(&e.to_string())
        );
    }
    // The formatter writes only UTF-8 from `&str` fragments and ASCII escapes.
    String::from_utf8(out).unwrap_or_default()
}

/// serde_json's pretty formatter, with the hazards of [`crate::text`] escaped in strings.
#[derive(Default)]
struct SafeFormatter<'a> {
    pretty: serde_json::ser::PrettyFormatter<'a>,
}

impl serde_json::ser::Formatter for SafeFormatter<'_> {
    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if crate::text::has_hazard(c.encode_utf8(&mut [0; 4])) {
                w.write_all(&fragment.as_bytes()[start..i])?;
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    write!(w, "\\u{u:04x}")?;
                }
                start = i + c.len_utf8();
            }
        }
        w.write_all(&fragment.as_bytes()[start..])
    }

    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.pretty.begin_array(w)
    }

    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.pretty.end_array(w)
    }

    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.pretty.begin_array_value(w, first)
    }

    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.pretty.end_array_value(w)
    }

    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.pretty.begin_object(w)
    }

    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.pretty.end_object(w)
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.pretty.begin_object_key(w, first)
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.pretty.begin_object_value(w)
    }

    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.pretty.end_object_value(w)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn strings_keep_their_data_and_lose_their_power() {
        let raw = "a\u{1b}]0;x\u{7}\u{85}\u{9b}\u{202e}\u{2028}\u{7f}é\"\\";
        let json = super::to_json(&serde_json::json!({ "name": raw }));
        assert!(!crate::text::has_hazard(&json.replace('\n', "")), "{json}");
        assert!(
            json.contains("\\u0085") && json.contains("\\u202e"),
            "{json}"
        );
        let back: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(back["name"], raw);
    }
}
