//! Live probes (docs/probe.md, rule PROBE): what a server really presents and what Exchange
//! Online really replies, beside what relaycheck simulates. `probe smtp` reads a server's
//! banner, EHLO and TLS chain; `probe relay` plays the on-premises server towards the
//! tenant's MX with a client certificate and records the replies to MAIL FROM and RCPT TO
//! (never DATA); `probe dns` reads the MS= TXT, MX and SPF records of domains.
//!
//! Only hosts the user names are contacted. Every wait is bounded ([`Timeouts`]), every line
//! from the server is at most [`MAX_LINE`] bytes, and every text from the server is cleaned
//! before it reaches a report.

pub mod dialogue;
pub mod dns;
pub mod judge;
pub mod relay;
pub mod render;
pub mod smtp;
pub mod tls;

use std::fmt;
use std::time::Duration;

use serde::Serialize;

/// The longest reply line the probe reads (RFC 5321 4.5.3.1.5 allows 512 octets; 4 KiB
/// leaves room for real servers' long EHLO lines).
pub const MAX_LINE: usize = 4096;
/// The most lines of one reply (a multi-line EHLO answer has a dozen or two).
pub const MAX_REPLY_LINES: usize = 64;
/// The most test messages one relay probe sends.
pub const MAX_MESSAGES: usize = 100;

/// The JSON schema of every probe's `--format json`.
pub const SCHEMA: &str = "relaycheck.probe.v1";

/// How long the probe waits: for the TCP connection, and for each reply (and each TLS
/// handshake).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    pub connect: Duration,
    pub reply: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            connect: Duration::from_secs(10),
            reply: Duration::from_secs(30),
        }
    }
}

/// Reads a duration flag: whole or decimal seconds (`30`, `0.5`, `2s`) or milliseconds
/// (`250ms`), more than zero and at most an hour.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    let (number, millis) = if let Some(n) = t.strip_suffix("ms") {
        (n, true)
    } else {
        (t.strip_suffix('s').unwrap_or(t), false)
    };
    let value: f64 = number
        .trim()
        .parse()
        .map_err(|_| format!("{t:?} is not a duration (seconds like 30 or 0.5, or 250ms)"))?;
    let secs = if millis { value / 1000.0 } else { value };
    if !secs.is_finite() || secs <= 0.0 || secs > 3600.0 {
        return Err(format!(
            "{t:?} is out of range: more than 0 and at most 3600 seconds"
        ));
    }
    Ok(Duration::from_secs_f64(secs))
}

/// A host and port the user named (`mail.contoso.com`, `mail.contoso.com:587`,
/// `192.0.2.1:25`, `[2001:db8::1]:25`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Target {
    pub host: String,
    pub port: u16,
}

impl Target {
    pub fn parse(text: &str, default_port: u16) -> Result<Target, String> {
        let t = text.trim();
        if t.is_empty() {
            return Err("the host is empty".into());
        }
        let (host, port) = if let Some(rest) = t.strip_prefix('[') {
            let (h, after) = rest
                .split_once(']')
                .ok_or_else(|| format!("{t:?}: an IPv6 address in [ ] lacks its ]"))?;
            let port = match after.strip_prefix(':') {
                Some(p) => Some(p),
                None if after.is_empty() => None,
                None => return Err(format!("{t:?}: expected :PORT after ]")),
            };
            (h.to_string(), port)
        } else if t.matches(':').count() == 1 {
            let (h, p) = t.split_once(':').unwrap_or((t, ""));
            (h.to_string(), Some(p))
        } else {
            (t.to_string(), None)
        };
        let port = match port {
            Some(p) => p
                .parse::<u16>()
                .ok()
                .filter(|p| *p != 0)
                .ok_or_else(|| format!("{t:?}: the port must be a number from 1 to 65535"))?,
            None => default_port,
        };
        let valid = host.parse::<std::net::IpAddr>().is_ok()
            || relaycheck_core::names::is_dns_name(&relaycheck_core::names::normalize(&host))
            || host.eq_ignore_ascii_case("localhost");
        if !valid {
            return Err(format!(
                "{}: not a host name or IP address",
                relaycheck_core::text::quoted(&host)
            ));
        }
        Ok(Target { host, port })
    }

    /// The host as it is compared with certificate names (no brackets, no trailing dot).
    pub fn name(&self) -> &str {
        self.host.strip_suffix('.').unwrap_or(&self.host)
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.host.contains(':') {
            write!(f, "[{}]:{}", self.host, self.port)
        } else {
            write!(f, "{}:{}", self.host, self.port)
        }
    }
}

/// A step of the dialogue, as errors and transcripts name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Step {
    Resolve,
    Connect,
    Banner,
    Ehlo,
    Starttls,
    TlsHandshake,
    EhloAfterTls,
    MailFrom,
    RcptTo,
    Rset,
    Quit,
    Dns,
}

impl Step {
    pub fn as_str(self) -> &'static str {
        match self {
            Step::Resolve => "resolve",
            Step::Connect => "connect",
            Step::Banner => "banner",
            Step::Ehlo => "EHLO",
            Step::Starttls => "STARTTLS",
            Step::TlsHandshake => "TLS handshake",
            Step::EhloAfterTls => "EHLO after STARTTLS",
            Step::MailFrom => "MAIL FROM",
            Step::RcptTo => "RCPT TO",
            Step::Rset => "RSET",
            Step::Quit => "QUIT",
            Step::Dns => "DNS",
        }
    }
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a probe stopped: the step, what went wrong, and the server's reply when it gave one
/// (already cleaned).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProbeError {
    pub step: Step,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reply: Option<String>,
}

impl ProbeError {
    pub fn new(step: Step, message: impl Into<String>) -> Self {
        ProbeError {
            step,
            message: message.into(),
            reply: None,
        }
    }

    pub fn with_reply(mut self, reply: &dialogue::Reply) -> Self {
        self.reply = Some(reply.text());
        self
    }
}

impl fmt::Display for ProbeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at {}: {}", self.step, self.message)?;
        if let Some(r) = &self.reply {
            write!(f, " (the server replied: {r})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ProbeError {}

/// One finding of a probe: a certificate finding of the same checks `check` runs, or one of
/// the probe's own comparisons (`probe-…`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProbeFinding {
    pub id: String,
    pub severity: relaycheck_core::checks::Severity,
    pub message: String,
}

impl ProbeFinding {
    pub fn new(
        id: &str,
        severity: relaycheck_core::checks::Severity,
        message: impl Into<String>,
    ) -> Self {
        ProbeFinding {
            id: id.to_string(),
            severity,
            message: message.into(),
        }
    }
}

/// The TLS session a server agreed to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TlsInfo {
    pub version: String,
    pub cipher: String,
}

/// One certificate the server presented, leaf first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChainEntry {
    pub subject: String,
    pub issuer: String,
    /// SHA-1 of the DER, upper-case hex, as Get-ExchangeCertificate shows it.
    pub thumbprint: String,
    pub not_after: String,
}

/// One line of the dialogue: what the probe sent (or `None` for the banner) and the reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Exchange {
    pub step: Step,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sent: Option<String>,
    pub reply: String,
}

/// One test message of `probe relay`: the real reply beside the simulated one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MessageReply {
    pub name: String,
    pub mail_from: String,
    pub rcpt_to: String,
    /// The server's last reply for the message (to RCPT TO, or to MAIL FROM when that was
    /// refused); `None` in a dry run or when the dialogue stopped before it.
    pub reply: Option<String>,
    /// At which step the server answered it.
    pub replied_at: Option<Step>,
    /// What relaycheck's simulation expects (`relayed: 250 …`), when a scenario was given.
    pub simulated: Option<String>,
    /// The real and simulated replies disagree on accepted/refused.
    pub differs: bool,
}

/// One domain of `probe dns`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DomainRecords {
    pub domain: String,
    /// The `MS=ms…` TXT records (Microsoft 365 domain verification).
    pub verification: Vec<String>,
    pub mx: Vec<MxRecord>,
    /// The SPF record(s): TXT records starting `v=spf1`.
    pub spf: Vec<String>,
    /// An SPF record includes `spf.protection.outlook.com`.
    pub spf_includes_exchange_online: bool,
    /// Why a lookup failed (other than "no such record").
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MxRecord {
    pub preference: u16,
    pub host: String,
    /// Under `mail.protection.outlook.com` or `mx.microsoft`: Exchange Online.
    pub exchange_online: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Smtp,
    Relay,
    Dns,
}

/// What a probe found: the `relaycheck.probe.v1` document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProbeReport {
    pub schema: &'static str,
    pub kind: Kind,
    /// `host:port`, or the domains for `probe dns`.
    pub target: String,
    pub dry_run: bool,
    pub banner: Option<String>,
    /// The EHLO keywords after TLS (or before, when there was no TLS).
    pub extensions: Vec<String>,
    pub starttls_offered: Option<bool>,
    pub tls: Option<TlsInfo>,
    pub chain: Vec<ChainEntry>,
    /// The client certificate `probe relay` presented.
    pub client_certificate: Option<ChainEntry>,
    pub replies: Vec<MessageReply>,
    pub domains: Vec<DomainRecords>,
    /// Always false: the probe never sends DATA.
    pub sent_data: bool,
    pub dialogue: Vec<Exchange>,
    pub findings: Vec<ProbeFinding>,
    /// Lines that explain, not judge.
    pub notes: Vec<String>,
    /// Where the dialogue stopped, when it did not finish.
    pub error: Option<ProbeError>,
}

impl ProbeReport {
    pub fn new(kind: Kind, target: String) -> Self {
        ProbeReport {
            schema: SCHEMA,
            kind,
            target,
            dry_run: false,
            banner: None,
            extensions: Vec::new(),
            starttls_offered: None,
            tls: None,
            chain: Vec::new(),
            client_certificate: None,
            replies: Vec::new(),
            domains: Vec::new(),
            sent_data: false,
            dialogue: Vec::new(),
            findings: Vec::new(),
            notes: Vec::new(),
            error: None,
        }
    }

    /// The probe failed: its dialogue stopped, or an error finding stands.
    pub fn failed(&self) -> bool {
        self.error.is_some()
            || self
                .findings
                .iter()
                .any(|f| f.severity == relaycheck_core::checks::Severity::Error)
    }
}

/// A chain entry from a certificate's facts (the texts cleaned: they came from a server).
pub fn chain_entry(c: &relaycheck_core::cert::CertFacts) -> ChainEntry {
    use relaycheck_core::text::clean_line;
    ChainEntry {
        subject: clean_line(&c.subject).into_owned(),
        issuer: clean_line(&c.issuer).into_owned(),
        thumbprint: c.thumbprint.clone(),
        not_after: relaycheck_core::when::date(c.not_after),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_take_a_port_or_the_default() {
        assert_eq!(
            Target::parse("mail.contoso.com", 25),
            Ok(Target {
                host: "mail.contoso.com".into(),
                port: 25
            })
        );
        assert_eq!(
            Target::parse("127.0.0.1:2525", 25).map(|t| t.port),
            Ok(2525)
        );
        assert_eq!(
            Target::parse("[::1]:26", 25).map(|t| t.to_string()),
            Ok("[::1]:26".to_string())
        );
        assert!(Target::parse("mail.contoso.com:0", 25).is_err());
        assert!(Target::parse("mail.contoso.com:x", 25).is_err());
        assert!(Target::parse("bad host", 25).is_err());
        assert!(Target::parse("", 25).is_err());
    }

    #[test]
    fn durations_are_seconds_or_milliseconds_within_bounds() {
        assert_eq!(parse_duration("30"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_duration("0.5"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration("2s"), Ok(Duration::from_secs(2)));
        assert!(parse_duration("0").is_err());
        assert!(parse_duration("-1").is_err());
        assert!(parse_duration("NaN").is_err());
        assert!(parse_duration("4000").is_err());
        assert!(parse_duration("soon").is_err());
    }
}
