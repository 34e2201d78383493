//! `probe dns`: for each domain, the `MS=ms…` TXT record that Microsoft 365 verifies, the MX
//! (to `*.mail.protection.outlook.com` or under `mx.microsoft`?) and the SPF record
//! (`include:spf.protection.outlook.com`?). hickory-resolver asks the system's resolvers or
//! the one server the user names, on a current-thread tokio runtime made for the probe;
//! each lookup is bounded by the reply timeout.

use std::net::SocketAddr;
use std::time::Duration;

use hickory_resolver::config::{ConnectionConfig, NameServerConfig, ResolverConfig};
use hickory_resolver::net::runtime::TokioRuntimeProvider;
use hickory_resolver::proto::rr::RData;
use hickory_resolver::{Resolver, TokioResolver};

use relaycheck_core::checks::Severity;
use relaycheck_core::facts::smart_host::{SmartHostKind, smart_host_kind};
use relaycheck_core::model::{DomainStatus, Scenario};
use relaycheck_core::text::clean_line;

use super::{DomainRecords, Kind, MxRecord, ProbeError, ProbeFinding, ProbeReport, Step};

/// Exchange Online's SPF include.
pub const SPF_INCLUDE: &str = "include:spf.protection.outlook.com";

/// What `probe dns` is asked.
pub struct DnsProbe<'a> {
    pub domains: Vec<String>,
    /// The one DNS server to ask; `None`: the system's (resolv.conf).
    pub server: Option<SocketAddr>,
    pub timeout: Duration,
    pub scenario: Option<&'a Scenario>,
}

/// Runs `probe dns`.
pub fn probe_dns(p: &DnsProbe<'_>) -> ProbeReport {
    let mut report = ProbeReport::new(Kind::Dns, p.domains.join(" "));
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            report.error = Some(ProbeError::new(
                Step::Dns,
                format!("cannot start the resolver: {e}"),
            ));
            return report;
        }
    };
    let resolver = match runtime.block_on(async { resolver(p) }) {
        Ok(r) => r,
        Err(e) => {
            report.error = Some(e);
            return report;
        }
    };
    for domain in &p.domains {
        let records = runtime.block_on(lookup(&resolver, domain, p.timeout));
        judge(&records, p.scenario, &mut report);
        report.domains.push(records);
    }
    if report.domains.iter().all(|d| !d.errors.is_empty()) {
        let first = report
            .domains
            .iter()
            .find_map(|d| d.errors.first().cloned())
            .unwrap_or_default();
        report.error = Some(ProbeError::new(
            Step::Dns,
            format!("no lookup got an answer: {first}"),
        ));
    }
    report
}

fn resolver(p: &DnsProbe<'_>) -> Result<TokioResolver, ProbeError> {
    let mut builder = match p.server {
        Some(addr) => {
            let mut udp = ConnectionConfig::udp();
            udp.port = addr.port();
            let mut tcp = ConnectionConfig::tcp();
            tcp.port = addr.port();
            let server = NameServerConfig::new(addr.ip(), true, vec![udp, tcp]);
            Resolver::builder_with_config(
                ResolverConfig::from_name_servers(vec![server]),
                TokioRuntimeProvider::default(),
            )
        }
        None => Resolver::builder_tokio().map_err(|e| {
            ProbeError::new(
                Step::Dns,
                format!("cannot read the system's DNS configuration ({e}); name a server with --dns-server IP[:PORT]"),
            )
        })?,
    };
    let opts = builder.options_mut();
    opts.timeout = p.timeout;
    opts.attempts = 1;
    builder
        .build()
        .map_err(|e| ProbeError::new(Step::Dns, format!("cannot start the resolver: {e}")))
}

/// The TXT strings of a record joined (RFC 7208 3.3: the pieces of one record are one text).
fn txt_text(pieces: &[Box<[u8]>]) -> String {
    let mut bytes = Vec::new();
    for p in pieces {
        bytes.extend_from_slice(p);
    }
    clean_line(&String::from_utf8_lossy(&bytes)).into_owned()
}

async fn lookup(resolver: &TokioResolver, domain: &str, timeout: Duration) -> DomainRecords {
    let fqdn = format!("{}.", domain.trim_end_matches('.'));
    let mut records = DomainRecords {
        domain: domain.to_string(),
        verification: Vec::new(),
        mx: Vec::new(),
        spf: Vec::new(),
        spf_includes_exchange_online: false,
        errors: Vec::new(),
    };
    // Twice the per-attempt timeout: UDP, then TCP after a truncated answer.
    let bound = timeout * 2;
    match tokio::time::timeout(bound, resolver.txt_lookup(fqdn.as_str())).await {
        Ok(Ok(lookup)) => {
            for r in lookup.answers() {
                if let RData::TXT(txt) = &r.data {
                    let text = txt_text(&txt.txt_data);
                    if text.starts_with("MS=") {
                        records.verification.push(text);
                    } else if text.to_ascii_lowercase().starts_with("v=spf1") {
                        records.spf.push(text);
                    }
                }
            }
        }
        Ok(Err(e)) if e.is_no_records_found() => {}
        Ok(Err(e)) => records
            .errors
            .push(format!("TXT: {}", clean_line(&e.to_string()))),
        Err(_) => records.errors.push(format!(
            "TXT: no answer within {}",
            super::dialogue::seconds(bound)
        )),
    }
    match tokio::time::timeout(bound, resolver.mx_lookup(fqdn.as_str())).await {
        Ok(Ok(lookup)) => {
            for r in lookup.answers() {
                if let RData::MX(mx) = &r.data {
                    let host = mx.exchange.to_string();
                    let host = host.strip_suffix('.').unwrap_or(&host).to_string();
                    records.mx.push(MxRecord {
                        preference: mx.preference,
                        exchange_online: smart_host_kind(&host) == SmartHostKind::ExchangeOnline,
                        host: clean_line(&host).into_owned(),
                    });
                }
            }
            records.mx.sort_by_key(|m| m.preference);
        }
        Ok(Err(e)) if e.is_no_records_found() => {}
        Ok(Err(e)) => records
            .errors
            .push(format!("MX: {}", clean_line(&e.to_string()))),
        Err(_) => records.errors.push(format!(
            "MX: no answer within {}",
            super::dialogue::seconds(bound)
        )),
    }
    records.spf_includes_exchange_online = records.spf.iter().any(|s| {
        s.split_whitespace()
            .any(|term| term.eq_ignore_ascii_case(SPF_INCLUDE))
    });
    records
}

/// The findings for one domain, and with a scenario, what its verification status means.
fn judge(d: &DomainRecords, scenario: Option<&Scenario>, report: &mut ProbeReport) {
    if !d.errors.is_empty() {
        return;
    }
    let name = clean_line(&d.domain).into_owned();
    let status = scenario.map(|s| s.tenant.status(&d.domain));
    match (d.verification.is_empty(), status) {
        (false, Some(DomainStatus::Unverified)) => report.notes.push(format!(
            "{name} is pending verification in the tenant and its MS= TXT record is published: verification can be completed now (Microsoft 365 admin center → Settings → Domains)."
        )),
        (true, Some(DomainStatus::Unverified)) => report.findings.push(ProbeFinding::new(
            "probe-dns-verification-missing",
            Severity::Warning,
            format!("{name} is pending verification in the tenant and has no MS=ms… TXT record: publish the record the Microsoft 365 admin center shows for it, then verify the domain."),
        )),
        (true, Some(DomainStatus::Verified)) => report.notes.push(format!(
            "{name} is verified in the tenant; its MS= TXT record has been removed (Microsoft allows that after verification)."
        )),
        (true, _) => report.findings.push(ProbeFinding::new(
            "probe-dns-verification-missing",
            Severity::Info,
            format!("{name} has no MS=ms… TXT record: a domain still to verify in Microsoft 365 needs it (a verified domain may have removed it)."),
        )),
        (false, _) => {}
    }
    if d.mx.is_empty() {
        report.findings.push(ProbeFinding::new(
            "probe-dns-mx-missing",
            Severity::Info,
            format!("{name} has no MX record: no mail is delivered to it by MX."),
        ));
    } else if !d.mx.iter().any(|m| m.exchange_online) {
        report.findings.push(ProbeFinding::new(
            "probe-dns-mx-not-exchange-online",
            Severity::Info,
            format!(
                "The MX of {name} ({}) is not under mail.protection.outlook.com or mx.microsoft: inbound mail reaches another server first (expected when on-premises receives the mail first).",
                d.mx.iter().map(|m| m.host.as_str()).collect::<Vec<_>>().join(", ")
            ),
        ));
    }
    match d.spf.len() {
        0 => report.findings.push(ProbeFinding::new(
            "probe-dns-spf-missing",
            Severity::Warning,
            format!("{name} has no SPF record: mail relayed through Exchange Online as {name} is not covered by SPF (add v=spf1 {SPF_INCLUDE} -all, with your other senders)."),
        )),
        1 if !d.spf_includes_exchange_online => report.findings.push(ProbeFinding::new(
            "probe-dns-spf-no-exchange-online",
            Severity::Warning,
            format!("The SPF record of {name} does not include spf.protection.outlook.com: mail relayed through Exchange Online as {name} fails SPF (add {SPF_INCLUDE})."),
        )),
        1 => {}
        n => report.findings.push(ProbeFinding::new(
            "probe-dns-spf-several",
            Severity::Warning,
            format!("{name} has {n} SPF records: receivers treat that as an SPF error (RFC 7208 4.5, permerror); merge them into one."),
        )),
    }
}
