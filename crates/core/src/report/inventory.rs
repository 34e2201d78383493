//! What a report was made from and what was checked, for the head of every report an admin
//! pastes into a ticket: when, from which files, the accepted domains with their
//! verification state, each inbound connector, the presented certificate with its chain,
//! and the on-premises send connectors when they are known. Built once in
//! [`super::validate`]; text, Markdown, JSON and the wizard's Summary render it. Every text
//! that came from input is one cleaned line ([`crate::text::clean_line`]).

use std::sync::Arc;

use serde::{Serialize, Serializer};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::facts::Facts;
use crate::model::{CertificateSource, InputFile, Scenario, Tenant};
use crate::text::Line;

/// Text and Markdown list at most this many accepted domains (a tenant may have 5,000);
/// the JSON document lists them all.
pub const LIST_MAX: usize = 50;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Inventory {
    /// The evaluation moment (RFC 3339): when the report was made, or the `--now` it was
    /// made for (the core never reads a clock).
    pub evaluated_at: String,
    /// The files read, each once: those the scenario recorded (the scenario file and what
    /// it names, cmdlet outputs), then each certificate's file.
    /// Shared, not copied: the wizard keeps them while its admin types.
    #[serde(serialize_with = "input_rows")]
    pub inputs: Arc<[InputFile]>,
    /// Every accepted domain, in the tenant's order (shared with the scenario, never copied:
    /// the wizard validates on every key).
    #[serde(serialize_with = "domain_rows")]
    pub accepted_domains: Tenant,
    pub inbound_connectors: Vec<ConnectorRow>,
    /// The certificate the on-premises server presents.
    pub certificate: Option<CertificateRow>,
    /// How many candidate certificates there are (the presented one included).
    pub candidate_certificates: usize,
    /// `None` when the send connectors are not known.
    pub send_connectors: Option<Vec<SendConnectorRow>>,
}

/// One accepted domain as the inventory lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DomainRow<'a> {
    pub domain: &'a str,
    /// `verified` or `pending verification`.
    pub verification: &'static str,
    #[serde(rename = "type")]
    pub domain_type: &'static str,
    pub default: bool,
}

impl Inventory {
    /// The accepted domains as rows.
    pub fn domains(&self) -> impl Iterator<Item = DomainRow<'_>> {
        rows(&self.accepted_domains)
    }

    /// How many accepted domains are pending verification.
    pub fn pending_domains(&self) -> usize {
        self.accepted_domains
            .accepted_domains()
            .iter()
            .filter(|d| !d.verified)
            .count()
    }
}

fn rows(tenant: &Tenant) -> impl Iterator<Item = DomainRow<'_>> {
    tenant.accepted_domains().iter().map(|d| DomainRow {
        domain: d.domain.as_str(),
        verification: if d.verified {
            "verified"
        } else {
            "pending verification"
        },
        domain_type: d.domain_type.as_str(),
        default: d.default,
    })
}

fn input_rows<S: Serializer>(inputs: &Arc<[InputFile]>, s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(inputs.iter())
}

fn domain_rows<S: Serializer>(tenant: &Tenant, s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(rows(tenant))
}

/// One inbound connector.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConnectorRow {
    pub name: Line,
    pub enabled: bool,
    pub connector_type: &'static str,
    pub tls_sender_certificate_name: Option<Line>,
    pub sender_ip_addresses: Vec<IpEntry>,
}

/// One SenderIPAddresses entry, and why Exchange Online refuses it (it then never matches).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IpEntry {
    pub entry: Line,
    pub refused: Option<&'static str>,
}

/// The presented certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CertificateRow {
    pub subject: Line,
    /// DNS names in the subjectAltName extension.
    pub san_count: usize,
    pub issuer: Line,
    pub thumbprint: String,
    /// NotAfter (RFC 3339).
    pub expires: String,
    /// Whole days from the evaluation moment to NotAfter (negative once expired).
    pub days_left: i64,
    /// The chain as judged (`facts::ChainState::words`).
    pub chain: Option<Line>,
    /// Where it came from (a path, or the lab certificate it was made as).
    pub source: Line,
}

/// One on-premises send connector.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SendConnectorRow {
    pub name: Line,
    pub enabled: bool,
    /// Relayed mail leaves through it (enabled, to Exchange Online, covering the relayed
    /// domains).
    pub relays: bool,
    pub smart_hosts: Vec<Line>,
    pub tls_certificate_name: Option<Line>,
    pub source_transport_servers: Vec<Line>,
}

fn clean(text: &str) -> Line {
    Line::new(text)
}

/// The inventory of a scenario whose facts are `facts`, made at `now`.
pub fn build(s: &Scenario, facts: &Facts, now: OffsetDateTime) -> Inventory {
    build_with(s, facts, now, inputs(s).into())
}

/// The files a scenario was read from, each once: those it recorded, then each
/// certificate's file. They change only when a scenario is read, never while the wizard's
/// admin types, so the wizard keeps them then ([`super::validate_while_typing`]).
pub fn inputs(s: &Scenario) -> Vec<InputFile> {
    let mut inputs: Vec<InputFile> = Vec::new();
    // Each path once, in the order first read: a set, since a store has thousands of files.
    let mut seen: std::collections::HashSet<Line> = std::collections::HashSet::new();
    let mut push = |what: &str, path: &str| {
        let path = clean(path);
        if seen.insert(path.clone()) {
            inputs.push(InputFile {
                what: clean(what),
                path,
            });
        }
    };
    for i in &s.inputs {
        push(&i.what, &i.path);
    }
    for e in &s.certificates {
        if let CertificateSource::File { .. } = e.source {
            push("certificate", &e.facts.source);
        }
    }
    inputs
}

/// The inventory with `inputs` as the files read.
pub fn build_with(
    s: &Scenario,
    facts: &Facts,
    now: OffsetDateTime,
    inputs: Arc<[InputFile]>,
) -> Inventory {
    let inbound_connectors = s
        .inbound_connectors
        .iter()
        .map(|c| ConnectorRow {
            name: clean(&c.name),
            enabled: c.enabled,
            connector_type: c.connector_type.as_str(),
            tls_sender_certificate_name: c.tscn_text().map(clean),
            sender_ip_addresses: c
                .sender_ip_addresses
                .iter()
                .map(|r| IpEntry {
                    entry: clean(&r.to_string()),
                    refused: r.problem().map(|p| p.sentence()),
                })
                .collect(),
        })
        .collect();
    let certificate = s.certificate().map(|c| CertificateRow {
        subject: clean(&c.subject),
        san_count: c.dns_sans.len(),
        issuer: clean(&c.issuer),
        thumbprint: c.thumbprint.clone(),
        expires: c.not_after.format(&Rfc3339).unwrap_or_default(),
        days_left: c.days_left(now),
        chain: facts.chain.as_ref().map(|ch| clean(&ch.words())),
        source: clean(&c.source),
    });
    let relays = |i: usize| {
        facts
            .onprem
            .send_connectors
            .as_ref()
            .and_then(|f| f.get(i))
            .is_some_and(|f| f.relay)
    };
    let send_connectors = s.on_premises.send_connectors.as_ref().map(|list| {
        list.iter()
            .enumerate()
            .map(|(i, c)| SendConnectorRow {
                name: clean(&c.name),
                enabled: c.enabled,
                relays: relays(i),
                smart_hosts: c.smart_hosts.iter().map(|h| clean(h)).collect(),
                tls_certificate_name: c.tls_certificate_name.as_deref().map(clean),
                source_transport_servers: c
                    .source_transport_servers
                    .iter()
                    .map(|h| clean(h))
                    .collect(),
            })
            .collect()
    });
    Inventory {
        evaluated_at: now.format(&Rfc3339).unwrap_or_default(),
        inputs,
        accepted_domains: s.tenant.clone(),
        inbound_connectors,
        certificate,
        candidate_certificates: s.certificates.len(),
        send_connectors,
    }
}

/// The inventory as text lines (no colour), for `check`'s text report: `indent` starts each
/// line. At most [`LIST_MAX`] accepted domains are listed, then how many more.
pub fn text_lines(inv: &Inventory, indent: &str) -> Vec<String> {
    let mut out = Vec::new();
    out.push(format!("{indent}Evaluated at: {}", inv.evaluated_at));
    if inv.inputs.is_empty() {
        out.push(format!(
            "{indent}Inputs: none named (built in, or made in the wizard)"
        ));
    } else {
        out.push(format!("{indent}Inputs:"));
        for i in inv.inputs.iter() {
            out.push(format!("{indent}  {}: {}", i.what, i.path));
        }
    }
    let n = inv.accepted_domains.len();
    out.push(format!(
        "{indent}Accepted domains ({n}, {} pending verification):",
        inv.pending_domains()
    ));
    for d in inv.domains().take(LIST_MAX) {
        out.push(format!(
            "{indent}  {} ({}, {}{})",
            d.domain,
            d.verification,
            d.domain_type,
            if d.default { ", default" } else { "" }
        ));
    }
    if n > LIST_MAX {
        out.push(format!(
            "{indent}  … and {} more (--format json lists them all)",
            n - LIST_MAX
        ));
    }
    out.push(format!(
        "{indent}Inbound connectors ({}):",
        inv.inbound_connectors.len()
    ));
    for c in &inv.inbound_connectors {
        out.push(format!(
            "{indent}  \"{}\": {}, {}, TlsSenderCertificateName {}",
            c.name,
            c.connector_type,
            if c.enabled { "enabled" } else { "disabled" },
            c.tls_sender_certificate_name.as_deref().unwrap_or("(none)")
        ));
        out.push(format!("{indent}    SenderIPAddresses {}", ip_list(c)));
    }
    match &inv.certificate {
        Some(c) => {
            out.push(format!(
                "{indent}Certificate presented (of {}): {}",
                inv.candidate_certificates, c.subject
            ));
            out.push(format!(
                "{indent}  {} DNS SAN{}; issuer {}",
                c.san_count,
                if c.san_count == 1 { "" } else { "s" },
                c.issuer
            ));
            out.push(format!(
                "{indent}  thumbprint {}; expires {} ({})",
                c.thumbprint,
                c.expires,
                days(c.days_left)
            ));
            if let Some(chain) = &c.chain {
                out.push(format!("{indent}  chain {chain}"));
            }
        }
        None => out.push(format!(
            "{indent}Certificate presented: none ({} candidate{})",
            inv.candidate_certificates,
            if inv.candidate_certificates == 1 {
                ""
            } else {
                "s"
            }
        )),
    }
    if let Some(list) = &inv.send_connectors {
        out.push(format!(
            "{indent}On-premises send connectors ({}):",
            list.len()
        ));
        for c in list {
            out.push(format!(
                "{indent}  \"{}\": {}{}; smart hosts {}; TlsCertificateName {}; source servers {}",
                c.name,
                if c.enabled { "enabled" } else { "disabled" },
                if c.relays {
                    ", relays to Exchange Online"
                } else {
                    ""
                },
                or_none(&c.smart_hosts),
                c.tls_certificate_name.as_deref().unwrap_or("(none)"),
                or_none(&c.source_transport_servers)
            ));
        }
    }
    out
}

/// The SenderIPAddresses of a connector, each refused entry with why.
pub fn ip_list(c: &ConnectorRow) -> String {
    ip_list_with(c, |entry| entry.to_string())
}

/// [`ip_list`] with each entry (input) written by `entry` (Markdown escapes it).
pub fn ip_list_with(c: &ConnectorRow, entry: impl Fn(&str) -> String) -> String {
    if c.sender_ip_addresses.is_empty() {
        return "(none)".to_string();
    }
    c.sender_ip_addresses
        .iter()
        .map(|e| match e.refused {
            Some(why) => format!("{} (refused: {why})", entry(&e.entry)),
            None => entry(&e.entry),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn or_none(list: &[Line]) -> String {
    if list.is_empty() {
        "(none)".to_string()
    } else {
        crate::text::join_lines(list, ", ")
    }
}

/// "530 days left", "1 day left", "expired 3 days ago".
pub fn days(n: i64) -> String {
    let unit = |n: i64| if n == 1 { "day" } else { "days" };
    if n < 0 {
        format!("expired {} {} ago", -n, unit(-n))
    } else {
        format!("{n} {} left", unit(n))
    }
}
