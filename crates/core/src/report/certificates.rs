//! `relaycheck certificates`: one row per certificate of a store (the wizard's Certificate
//! step as a list), as aligned text or the `relaycheck.certificates.v1` JSON document.
//! A row keeps only what it prints, so a listing of many certificates stays small.

use serde::Serialize;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::cert::{CertFacts, CertFormat, PrivateKeyStatus};
use crate::facts::{self, NotListed};
use crate::model::{InboundConnector, Note, Tenant, TrustedRoot};
use crate::names::Tscn;
use crate::text::Line;

pub const SCHEMA: &str = "relaycheck.certificates.v1";

/// The inbound connectors to match against, each TlsSenderCertificateName parsed once.
#[derive(Debug, Clone)]
pub struct Connectors(Vec<(String, bool, Tscn)>);

impl Connectors {
    /// The connectors whose TlsSenderCertificateName is set and valid (the others cannot
    /// match a certificate).
    pub fn new(list: &[InboundConnector]) -> Self {
        Connectors(
            list.iter()
                .filter_map(|c| {
                    let tscn = Tscn::parse(c.tscn_text()?).ok()?;
                    Some((c.name.clone(), c.is_active_on_premises(), tscn))
                })
                .collect(),
        )
    }
}

/// One connector a certificate matches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConnectorMatch {
    pub name: Line,
    pub tls_sender_certificate_name: Line,
    /// Enabled and of type OnPremises: it attributes on-premises mail.
    pub active: bool,
}

/// Rule HCW-TSCN for one certificate against the tenant's accepted domains.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HcwWrites {
    pub tls_sender_certificate_name: Line,
    pub hcw8103: bool,
}

/// One certificate, as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    pub file: Line,
    /// Its position in a file that holds several.
    pub position: Option<usize>,
    /// What the file was read as; `None` for a certificate the scenario file names (the
    /// scenario reader does not keep it).
    pub format: Option<CertFormat>,
    pub subject: Line,
    pub issuer: Line,
    /// How many DNS names its subjectAltName carries.
    pub dns_sans: usize,
    pub not_before: String,
    pub not_after: String,
    pub days_left: i64,
    pub thumbprint: String,
    /// Whether HCW's Transport Certificate page offers it, and why not.
    pub hcw_lists: bool,
    pub hcw_not_listed: Option<NotListed>,
    /// What HCW would write as TlsSenderCertificateName for it, and whether it warns
    /// (HCW8103: the name's domain is not a verified accepted domain); `None` when no
    /// accepted domains were given.
    pub hcw_writes: Option<HcwWrites>,
    /// The inbound connectors whose TlsSenderCertificateName matches it; `None` when no
    /// connectors were given.
    pub connectors: Option<Vec<ConnectorMatch>>,
    /// Subjects of the other certificates in the same file (its chain), in file order.
    pub chain: Vec<Line>,
    /// Where the chain leads, as the wizard's Certificate step says it (`complete to … (a
    /// public root)`, `incomplete: … is not in the file`, `ends at …, not a public root`):
    /// the public roots, and the scenario's `trusted_roots` when a scenario is given.
    pub trust: Option<Line>,
    pub private_key: &'static str,
}

fn key_words(k: &PrivateKeyStatus) -> &'static str {
    match k {
        PrivateKeyStatus::NotSupplied => "not-supplied",
        PrivateKeyStatus::Matches => "matches",
        PrivateKeyStatus::DoesNotMatch => "does-not-match",
        PrivateKeyStatus::Unreadable(_) => "unreadable",
        PrivateKeyStatus::Unverifiable(_) => "unverifiable",
    }
}

/// What every row is judged against: the moment, and what is known of the tenant.
#[derive(Debug, Clone, Copy)]
pub struct Against<'a> {
    pub now: OffsetDateTime,
    /// The inbound connectors to match; `None`: none were given.
    pub connectors: Option<&'a Connectors>,
    /// The accepted domains for rule HCW-TSCN; `None`: none were given.
    pub tenant: Option<&'a Tenant>,
    /// Roots to trust besides the public ones (a scenario's `trusted_roots`).
    pub trusted: &'a [TrustedRoot],
}

impl Row {
    pub fn new(
        file: String,
        position: Option<usize>,
        format: Option<CertFormat>,
        c: &CertFacts,
        against: &Against<'_>,
    ) -> Row {
        let Against {
            now,
            connectors,
            tenant,
            trusted,
        } = *against;
        let listed = facts::hcw_lists(c, trusted, now);
        let hcw_writes = tenant.map(|t| match crate::hcw::hcw_tscn(c, t) {
            Some(h) => HcwWrites {
                hcw8103: h.warning.is_some(),
                tls_sender_certificate_name: h.tls_sender_certificate_name.into(),
            },
            None => HcwWrites {
                tls_sender_certificate_name: Line::default(),
                hcw8103: true,
            },
        });
        Row {
            file: file.into(),
            position,
            format,
            subject: c.subject.as_str().into(),
            issuer: c.issuer.as_str().into(),
            dns_sans: c.dns_sans.len(),
            not_before: c.not_before.format(&Rfc3339).unwrap_or_default(),
            not_after: c.not_after.format(&Rfc3339).unwrap_or_default(),
            days_left: c.days_left(now),
            thumbprint: c.thumbprint.clone(),
            hcw_lists: listed.is_ok(),
            hcw_not_listed: listed.err(),
            hcw_writes,
            connectors: connectors.map(|list| {
                list.0
                    .iter()
                    .filter(|(_, _, tscn)| c.matches_tscn(tscn))
                    .map(|(name, active, tscn)| ConnectorMatch {
                        name: name.into(),
                        tls_sender_certificate_name: tscn.to_string().into(),
                        active: *active,
                    })
                    .collect()
            }),
            chain: c.chain.iter().map(Line::from).collect(),
            trust: Some(facts::chain_state(c, trusted).words().into()),
            private_key: key_words(&c.private_key),
        }
    }

    fn label(&self) -> String {
        match self.position {
            Some(i) => format!("{} [{i}]", self.file),
            None => self.file.to_string(),
        }
    }
}

#[derive(Serialize)]
struct Document<'a> {
    schema: &'static str,
    evaluated_at: String,
    count: usize,
    hcw_lists: usize,
    certificates: &'a [Row],
    /// Files (or certificates inside one) that could not be read, one sentence each.
    errors: &'a [String],
    input_notes: &'a [Note],
}

/// The JSON document, pretty-printed.
pub fn json(rows: &[Row], errors: &[String], notes: &[Note], now: OffsetDateTime) -> String {
    let doc = Document {
        schema: SCHEMA,
        evaluated_at: now.format(&Rfc3339).unwrap_or_default(),
        count: rows.len(),
        hcw_lists: rows.iter().filter(|r| r.hcw_lists).count(),
        certificates: rows,
        errors,
        input_notes: notes,
    };
    // Plain strings, numbers and enums: serialising cannot fail.
    super::json::to_json(&doc) + "\n"
}

/// A value (already cleaned: the row's fields are [`Line`]s) cut to `max` display columns,
/// an ellipsis marking the cut.
fn cell(text: &str, max: usize) -> String {
    crate::width::fit(text, max).into_owned()
}

fn hcw_cell(r: &Row) -> String {
    match r.hcw_not_listed {
        None => "yes".to_string(),
        Some(why) => format!("no: {}", why.words()),
    }
}

fn connector_cell(r: &Row) -> String {
    match &r.connectors {
        None => String::new(),
        Some(m) if m.is_empty() => "none".to_string(),
        Some(m) => {
            let names: Vec<String> = m
                .iter()
                .map(|c| {
                    if c.active {
                        c.name.to_string()
                    } else {
                        format!("{} (inactive)", c.name)
                    }
                })
                .collect();
            cell(&names.join(", "), 40)
        }
    }
}

fn chain_cell(r: &Row) -> String {
    match r.chain.as_slice() {
        [] => "none in file".to_string(),
        [one] => cell(&format!("1: {one}"), 32),
        [first, ..] => cell(&format!("{}: {first}, …", r.chain.len()), 32),
    }
}

/// The table: one aligned row per certificate (the file last, never cut), then the
/// counts, how many inputs could not be read, and the notes.
pub fn text(
    rows: &[Row],
    errors: &[String],
    notes: &[Note],
    with_connectors: bool,
    with_domains: bool,
) -> String {
    let mut head: Vec<&str> = vec![
        "SUBJECT",
        "SANS",
        "ISSUER",
        "EXPIRES",
        "DAYS",
        "THUMBPRINT",
        "HCW LISTS",
    ];
    if with_domains {
        head.push("HCW WRITES");
    }
    if with_connectors {
        head.push("CONNECTOR");
    }
    head.extend(["CHAIN", "TRUST", "FILE"]);
    let mut table: Vec<Vec<String>> = Vec::with_capacity(rows.len() + 1);
    table.push(head.iter().map(|h| h.to_string()).collect());
    for r in rows {
        let mut line = vec![
            cell(&r.subject, 48),
            r.dns_sans.to_string(),
            cell(&r.issuer, 36),
            r.not_after.get(..10).unwrap_or(&r.not_after).to_string(),
            r.days_left.to_string(),
            r.thumbprint.clone(),
            hcw_cell(r),
        ];
        if with_domains {
            line.push(match &r.hcw_writes {
                Some(h) if h.tls_sender_certificate_name.is_empty() => "nothing (no name)".into(),
                Some(h) if h.hcw8103 => {
                    format!("{} (HCW8103)", cell(&h.tls_sender_certificate_name, 40))
                }
                Some(h) => cell(&h.tls_sender_certificate_name, 40),
                None => String::new(),
            });
        }
        if with_connectors {
            line.push(connector_cell(r));
        }
        line.push(chain_cell(r));
        line.push(
            r.trust
                .as_deref()
                .map_or("not evaluated".into(), |t| cell(t, 24)),
        );
        line.push(r.label());
        table.push(line);
    }
    let columns = head.len();
    let mut widths = vec![0usize; columns];
    for line in &table {
        for (w, v) in widths.iter_mut().zip(line) {
            *w = (*w).max(crate::width::width(v));
        }
    }
    let mut out = String::new();
    for line in &table {
        for (i, v) in line.iter().enumerate() {
            out.push_str(v);
            if i + 1 < columns {
                let pad = widths[i] - crate::width::width(v) + 2;
                out.extend(std::iter::repeat_n(' ', pad));
            }
        }
        out.push('\n');
    }
    let listed = rows.iter().filter(|r| r.hcw_lists).count();
    out.push_str(&format!(
        "\n{} certificate{}; HCW would list {}.\n",
        crate::text::group(rows.len() as u64),
        if rows.len() == 1 { "" } else { "s" },
        crate::text::group(listed as u64)
    ));
    if !errors.is_empty() {
        // The sentences themselves go to stderr, where the command prints them.
        out.push_str(&format!(
            "{} could not be read (why: on stderr).\n",
            if errors.len() == 1 {
                "One input".to_string()
            } else {
                format!("{} inputs", crate::text::group(errors.len() as u64))
            }
        ));
    }
    for n in notes {
        out.push_str(&format!("Note: {n}\n"));
    }
    crate::text::guard_output(out)
}
