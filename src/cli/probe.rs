//! `relaycheck probe smtp|relay|dns`: live probes of the servers and DNS the user names
//! (docs/probe.md). Exit 0: the probe ran and nothing is wrong; 1: a step failed or an
//! error finding stands; 2: unusable input.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};

use super::args::{InputArgs, ListFormat};
use super::load::{load_inputs, resolve_now};
use super::print_out;
use relaycheck_core::model::{Message, MessageKind, Scenario, TrustedRoot};
use relaycheck_io::error::{Failure, InputError};
use relaycheck_io::probe::{self, ProbeReport, Target, Timeouts};

#[derive(Debug, Subcommand)]
pub enum ProbeCommand {
    /// Connect to HOST[:PORT] (default 25): banner, EHLO, STARTTLS, the TLS version, cipher
    /// and chain it presents, judged as `check` judges a certificate.
    Smtp(SmtpArgs),
    /// Act as the on-premises server towards the tenant's MX: EHLO, STARTTLS with the client
    /// certificate, MAIL FROM and RCPT TO per test message, RSET, QUIT. Never DATA.
    Relay(RelayArgs),
    /// For each domain: the MS= verification TXT record, the MX and the SPF record.
    Dns(DnsArgs),
}

/// The scenario to compare with: a scenario file or the collector's folder, and the files
/// that name the tenant's domains and connectors.
#[derive(Debug, Default, Clone, Args)]
pub struct ProbeScenarioArgs {
    /// The scenario file (YAML, see docs/scenario-format.md).
    #[arg(long, short = 's', value_name = "FILE")]
    pub scenario: Option<PathBuf>,
    /// The folder Collect-RelayCheckData.ps1 wrote.
    #[arg(long, value_name = "DIR")]
    pub from: Option<PathBuf>,
    /// Get-AcceptedDomain | ConvertTo-Json (or Export-Clixml).
    #[arg(long, value_name = "FILE")]
    pub accepted_domains: Option<PathBuf>,
    /// Get-MgDomain | ConvertTo-Json: which accepted domains are verified.
    #[arg(long, value_name = "FILE")]
    pub domain_status: Option<PathBuf>,
    /// Get-InboundConnector | ConvertTo-Json.
    #[arg(long, value_name = "FILE")]
    pub inbound_connectors: Option<PathBuf>,
    /// The organisation FQDN (the relay probe's EHLO name).
    #[arg(long, value_name = "NAME")]
    pub organization_fqdn: Option<String>,
    /// A root certificate to trust besides the public ones (a lab or company CA); repeat it.
    #[arg(long = "trusted-root", value_name = "FILE")]
    pub trusted_roots: Vec<PathBuf>,
    /// Evaluate dates at this moment instead of now (RFC 3339 or a date).
    #[arg(long, value_name = "RFC3339")]
    pub now: Option<String>,
}

impl ProbeScenarioArgs {
    fn input(&self, password_env: Option<&str>) -> InputArgs {
        InputArgs {
            scenario: self.scenario.clone(),
            accepted_domains: self.accepted_domains.clone(),
            domain_status: self.domain_status.clone(),
            inbound_connectors: self.inbound_connectors.clone(),
            organization_fqdn: self.organization_fqdn.clone(),
            password_env: password_env.map(str::to_string),
            from: self.from.clone(),
            ..InputArgs::default()
        }
    }
}

#[derive(Debug, Clone, Args)]
pub struct TimeoutArgs {
    /// How long to wait for the TCP connection (seconds, or e.g. 500ms).
    #[arg(long, value_name = "SECS", default_value = "10", value_parser = probe::parse_duration)]
    pub connect_timeout: std::time::Duration,
    /// How long to wait for each reply and for the TLS handshake.
    #[arg(long, value_name = "SECS", default_value = "30", value_parser = probe::parse_duration)]
    pub reply_timeout: std::time::Duration,
}

impl TimeoutArgs {
    fn timeouts(&self) -> Timeouts {
        Timeouts {
            connect: self.connect_timeout,
            reply: self.reply_timeout,
        }
    }
}

#[derive(Debug, Args)]
pub struct SmtpArgs {
    /// The server: HOST or HOST:PORT (port 25 when not given).
    #[arg(value_name = "HOST[:PORT]")]
    pub host: String,
    /// The name to EHLO with.
    #[arg(long, value_name = "NAME", default_value = "relaycheck-probe.invalid")]
    pub ehlo: String,
    #[command(flatten)]
    pub scenario: ProbeScenarioArgs,
    #[command(flatten)]
    pub timeouts: TimeoutArgs,
    /// text for people, json for scripts (relaycheck.probe.v1).
    #[arg(long, short = 'f', value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
}

#[derive(Debug, Args)]
pub struct RelayArgs {
    /// The tenant's MX, e.g. contoso-com.mail.protection.outlook.com (port 25 when not given).
    #[arg(long, value_name = "HOST[:PORT]")]
    pub mx: String,
    /// The certificate to present as the TLS client: a .pfx/.p12 with its key, or PEM.
    #[arg(long, value_name = "FILE")]
    pub certificate: PathBuf,
    /// The private key of a PEM certificate (default: in the same file, or FILE.key beside it).
    #[arg(long, value_name = "FILE")]
    pub key: Option<PathBuf>,
    /// The environment variable holding the .pfx password (never typed on the command line).
    #[arg(long, value_name = "VAR")]
    pub password_env: Option<String>,
    /// The name to EHLO with (default: the organisation FQDN, else the certificate's name).
    #[arg(long, value_name = "NAME")]
    pub ehlo: Option<String>,
    /// A test message, SENDER,RECIPIENT (`<>` for the null sender of an NDR); repeat it.
    /// Without it, the scenario's messages (or its four defaults).
    #[arg(long = "message", value_name = "SENDER,RECIPIENT")]
    pub messages: Vec<String>,
    /// Print the dialogue it would have, and contact nobody.
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub scenario: ProbeScenarioArgs,
    #[command(flatten)]
    pub timeouts: TimeoutArgs,
    /// text for people, json for scripts (relaycheck.probe.v1).
    #[arg(long, short = 'f', value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
}

#[derive(Debug, Args)]
pub struct DnsArgs {
    /// The domains to look up.
    #[arg(value_name = "DOMAIN", required = true)]
    pub domains: Vec<String>,
    /// The DNS server to ask, IP[:PORT] (default: the system's resolvers).
    #[arg(long, value_name = "IP[:PORT]")]
    pub dns_server: Option<String>,
    /// How long to wait for each answer.
    #[arg(long, value_name = "SECS", default_value = "5", value_parser = probe::parse_duration)]
    pub timeout: std::time::Duration,
    #[command(flatten)]
    pub scenario: ProbeScenarioArgs,
    /// text for people, json for scripts (relaycheck.probe.v1).
    #[arg(long, short = 'f', value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
}

pub fn run(command: &ProbeCommand) -> Result<ExitCode, Failure> {
    let (report, format) = match command {
        ProbeCommand::Smtp(a) => (smtp(a)?, a.format),
        ProbeCommand::Relay(a) => (relay(a)?, a.format),
        ProbeCommand::Dns(a) => (dns(a)?, a.format),
    };
    print_out(&match format {
        ListFormat::Text => probe::render::text(&report),
        ListFormat::Json => probe::render::json(&report),
    });
    Ok(if report.failed() {
        ExitCode::from(relaycheck_io::error::exit::FAIL)
    } else {
        ExitCode::SUCCESS
    })
}

/// The scenario, when any input names one, with the `--trusted-root` roots.
fn scenario(
    a: &ProbeScenarioArgs,
    password_env: Option<&str>,
    now: time::OffsetDateTime,
) -> Result<(Option<Scenario>, Vec<TrustedRoot>), InputError> {
    let input = a.input(password_env);
    let scenario = if input.is_empty() {
        None
    } else {
        Some(load_inputs(&input, now)?.scenario)
    };
    let mut roots = Vec::new();
    for path in &a.trusted_roots {
        let facts = relaycheck_io::import::certs::load_certificate_file(path, None)?;
        let key = relaycheck_core::cert::chain::root_key(&facts.der)
            .ok_or_else(|| InputError::new(path, "not a certificate"))?;
        roots.push(TrustedRoot {
            path: path.display().to_string(),
            subject: facts.subject.clone(),
            key,
        });
    }
    Ok((scenario, roots))
}

fn target(text: &str, flag: &str) -> Result<Target, InputError> {
    Target::parse(text, 25).map_err(|e| InputError::without_file(format!("{flag}: {e}")))
}

fn ehlo_name(name: &str) -> Result<String, InputError> {
    let n = relaycheck_core::names::normalize(name);
    if relaycheck_core::names::is_dns_name(&n) {
        Ok(name.trim().to_string())
    } else {
        Err(InputError::without_file(format!(
            "--ehlo {}: not a host name",
            relaycheck_core::text::quoted(name)
        )))
    }
}

fn smtp(a: &SmtpArgs) -> Result<ProbeReport, InputError> {
    let now = resolve_now(a.scenario.now.as_deref())?;
    let target = target(&a.host, "HOST")?;
    let ehlo = ehlo_name(&a.ehlo)?;
    let (scenario, trusted_roots) = scenario(&a.scenario, None, now)?;
    Ok(probe::smtp::probe_smtp(&probe::smtp::SmtpProbe {
        target,
        ehlo,
        timeouts: a.timeouts.timeouts(),
        scenario: scenario.as_ref(),
        trusted_roots,
        now,
    }))
}

fn relay(a: &RelayArgs) -> Result<ProbeReport, InputError> {
    let now = resolve_now(a.scenario.now.as_deref())?;
    let target = target(&a.mx, "--mx")?;
    let password = a
        .password_env
        .as_deref()
        .map(relaycheck_io::import::password_from_env)
        .transpose()?;
    let (identity, certificate) =
        probe::relay::load_client_certificate(&a.certificate, a.key.as_deref(), password.as_ref())?;
    let (scenario, trusted_roots) = scenario(&a.scenario, a.password_env.as_deref(), now)?;
    let ehlo = match &a.ehlo {
        Some(n) => ehlo_name(n)?,
        None => scenario
            .as_ref()
            .and_then(|s| s.on_premises.organization_fqdn.as_ref())
            .map(|d| d.as_str().to_string())
            .or_else(|| certificate.hcw_name().filter(|n| !n.contains('*')))
            .map(|n| ehlo_name(&n))
            .transpose()?
            .ok_or_else(|| {
                InputError::without_file(
                    "--ehlo NAME: the organisation FQDN is not known (no --organization-fqdn or scenario) and the certificate names no host",
                )
            })?,
    };
    let messages = if a.messages.is_empty() {
        match &scenario {
            Some(s) => s.effective_messages(),
            None => {
                return Err(InputError::without_file(
                    "no test messages: give --message SENDER,RECIPIENT (repeat it), or a scenario (--scenario FILE or --from DIR) whose messages to send",
                ));
            }
        }
    } else {
        parse_messages(&a.messages)?
    };
    if messages.len() > probe::MAX_MESSAGES {
        return Err(InputError::without_file(format!(
            "{} test messages: the relay probe sends at most {}",
            messages.len(),
            probe::MAX_MESSAGES
        )));
    }
    Ok(probe::relay::probe_relay(&probe::relay::RelayProbe {
        target,
        ehlo,
        timeouts: a.timeouts.timeouts(),
        identity: &identity,
        certificate: &certificate,
        scenario: scenario.as_ref(),
        messages,
        trusted_roots,
        now,
        dry_run: a.dry_run,
    }))
}

fn parse_messages(texts: &[String]) -> Result<Vec<Message>, InputError> {
    texts
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let bad = |why: String| {
                InputError::without_file(format!(
                    "--message {}: {why}",
                    relaycheck_core::text::quoted(t)
                ))
            };
            let (from, to) = t
                .split_once(',')
                .ok_or_else(|| bad("expected SENDER,RECIPIENT (<> for the null sender)".into()))?;
            let mail_from = relaycheck_core::model::MailFrom::parse(from)
                .map_err(|e| bad(format!("the sender: {}", e.0)))?;
            let kind = MessageKind::guess(None, &mail_from);
            Message::new(&format!("Message {}", i + 1), kind, from, to.trim()).map_err(|e| bad(e.0))
        })
        .collect()
}

fn dns(a: &DnsArgs) -> Result<ProbeReport, InputError> {
    let now = resolve_now(a.scenario.now.as_deref())?;
    let server = match &a.dns_server {
        None => None,
        Some(t) => Some(dns_server(t)?),
    };
    let mut domains = Vec::new();
    for d in &a.domains {
        let n = relaycheck_core::names::normalize(d);
        if !relaycheck_core::names::is_dns_name(&n) {
            return Err(InputError::without_file(format!(
                "{}: not a domain name",
                relaycheck_core::text::quoted(d)
            )));
        }
        domains.push(n);
    }
    let (scenario, _) = scenario(&a.scenario, None, now)?;
    Ok(probe::dns::probe_dns(&probe::dns::DnsProbe {
        domains,
        server,
        timeout: a.timeout,
        scenario: scenario.as_ref(),
    }))
}

fn dns_server(text: &str) -> Result<std::net::SocketAddr, InputError> {
    let t = text.trim();
    if let Ok(ip) = t.parse::<std::net::IpAddr>() {
        return Ok(std::net::SocketAddr::new(ip, 53));
    }
    t.parse::<std::net::SocketAddr>().map_err(|_| {
        InputError::without_file(format!(
            "--dns-server {}: expected an IP address, with :PORT if not 53 ([::1]:5353 for IPv6)",
            relaycheck_core::text::quoted(t)
        ))
    })
}
