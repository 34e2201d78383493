//! The command line's words: every command, flag and value, as clap reads them.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "relaycheck",
    version,
    about = "Will Exchange Online relay your on-premises mail? Checks the certificate, accepted domains and inbound connector offline, simulates the mail flow and prints the fix."
)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Without a command: the wizard's options (`relaycheck --theme high-contrast`).
    #[command(flatten)]
    pub wizard: WizardArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate a scenario and print the report (exit 0 pass/warn, 1 fail, 2 bad input, 3 the output could not be written).
    Check(CheckArgs),
    /// Open the wizard (on the built-in demo without --scenario).
    Wizard(WizardArgs),
    /// Training: the lesson list, or one lesson (a built-in id or a lesson file).
    Train(TrainArgs),
    /// Lab certificates for hands-on labs with test servers.
    #[command(subcommand)]
    Lab(LabCommand),
    /// Scenario files: combine a scenario and your cmdlets' output into one YAML file.
    #[command(subcommand)]
    Scenario(ScenarioCommand),
    /// Print Collect-RelayCheckData.ps1, the read-only script that writes the folder --from reads.
    CollectScript,
    /// List certificates, one row each: would HCW list it, which inbound connector it
    /// matches, its chain (exit 0 all listed, 2 an input could not be read, 3 the output could not be written).
    Certificates(CertificatesArgs),
    /// Live probes: what a server presents, what Exchange Online replies, what DNS says.
    #[command(subcommand)]
    Probe(super::probe::ProbeCommand),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Text,
    Json,
}

/// `relaycheck certificates`: the certificate files and folders to list, and the files that
/// say which inbound connectors there are.
#[derive(Debug, clap::Args)]
pub struct CertificatesArgs {
    /// A certificate file (PEM, a PEM bundle, DER, .cer, .pfx/.p12, Export-Clixml) or a
    /// folder of them; repeat the option for several.
    #[arg(long = "certificate", value_name = "FILE|DIR")]
    pub certificates: Vec<PathBuf>,
    /// A scenario file: its certificates are listed too, its connectors matched.
    #[arg(long, short = 's', value_name = "FILE")]
    pub scenario: Option<PathBuf>,
    /// Get-InboundConnector | ConvertTo-Json: which connector each certificate matches.
    #[arg(long, value_name = "FILE")]
    pub inbound_connectors: Option<PathBuf>,
    /// Get-AcceptedDomain | ConvertTo-Json (or Export-Clixml): what HCW would write for
    /// each certificate, and whether it warns (HCW8103).
    #[arg(long, value_name = "FILE")]
    pub accepted_domains: Option<PathBuf>,
    /// Get-MgDomain | ConvertTo-Json: which accepted domains are verified.
    #[arg(long, value_name = "FILE")]
    pub domain_status: Option<PathBuf>,
    /// The environment variable holding the .pfx password (never typed on the command line).
    #[arg(long, value_name = "VAR")]
    pub password_env: Option<String>,
    /// Evaluate expiry and HCW's listing at this moment instead of now (RFC 3339 or a date).
    #[arg(long, value_name = "RFC3339")]
    pub now: Option<String>,
    /// text: an aligned table; json: the relaycheck.certificates.v1 document.
    #[arg(long, short = 'f', value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
}

impl CertificatesArgs {
    /// The inputs other than the certificates, as `check` reads them.
    pub fn input(&self) -> InputArgs {
        InputArgs {
            scenario: self.scenario.clone(),
            certificate: None,
            accepted_domains: self.accepted_domains.clone(),
            domain_status: self.domain_status.clone(),
            inbound_connectors: self.inbound_connectors.clone(),
            outbound_connectors: None,
            organization_fqdn: None,
            password_env: self.password_env.clone(),
            send_connectors: None,
            receive_connectors: None,
            hybrid_configuration: None,
            organization_config: None,
            from: None,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum ScenarioCommand {
    /// Write the combined scenario (a scenario and/or the import files) as YAML, to edit and share.
    Export(ExportArgs),
    /// Write the plan's target: the scenario as it is once every change of the plan is made.
    /// `check` on it shows the world after the plan; `scenario fix` on it writes it again.
    Fix(FixArgs),
}

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// The YAML file to write (certificates from .pfx or CliXml files are written beside it as
    /// <thumbprint>.cer, without their keys).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: PathBuf,
    /// Replace the file if it exists (never an input file, never through a symlink).
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, clap::Args)]
pub struct FixArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Evaluate at this moment instead of now (RFC 3339 or a date).
    #[arg(long, value_name = "RFC3339")]
    pub now: Option<String>,
    /// The YAML file to write (certificates are referred to, never copied with their keys).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: PathBuf,
    /// Replace the file if it exists (never an input file, never through a symlink).
    #[arg(long)]
    pub force: bool,
}

/// Where the scenario comes from: a scenario file, what the admin's cmdlets wrote, or both
/// (the files win over the scenario's values). See docs/collect-data.md.
#[derive(Debug, Default, Clone, clap::Args)]
pub struct InputArgs {
    /// The scenario file (YAML, see docs/scenario-format.md).
    #[arg(long, short = 's', value_name = "FILE")]
    pub scenario: Option<PathBuf>,
    /// A certificate (PEM, DER, .cer, .pfx/.p12, Get-ExchangeCertificate | Export-Clixml) or a folder of them.
    #[arg(long, value_name = "FILE|DIR")]
    pub certificate: Option<PathBuf>,
    /// Get-AcceptedDomain | ConvertTo-Json (or Export-Clixml).
    #[arg(long, value_name = "FILE")]
    pub accepted_domains: Option<PathBuf>,
    /// Get-MgDomain | ConvertTo-Json: which accepted domains are verified.
    #[arg(long, value_name = "FILE")]
    pub domain_status: Option<PathBuf>,
    /// Get-InboundConnector | ConvertTo-Json.
    #[arg(long, value_name = "FILE")]
    pub inbound_connectors: Option<PathBuf>,
    /// Get-OutboundConnector | ConvertTo-Json (SmartHosts/TlsDomain give the organisation FQDN).
    #[arg(long, value_name = "FILE")]
    pub outbound_connectors: Option<PathBuf>,
    /// The organisation FQDN Exchange Online connects to (wins over --outbound-connectors).
    #[arg(long, value_name = "NAME")]
    pub organization_fqdn: Option<String>,
    /// The environment variable holding the .pfx password (never typed on the command line).
    #[arg(long, value_name = "VAR")]
    pub password_env: Option<String>,
    /// Get-SendConnector | ConvertTo-Json (or Export-Clixml), on premises.
    #[arg(long, value_name = "FILE")]
    pub send_connectors: Option<PathBuf>,
    /// Get-ReceiveConnector | ConvertTo-Json (or Export-Clixml), on premises.
    #[arg(long, value_name = "FILE")]
    pub receive_connectors: Option<PathBuf>,
    /// Get-HybridConfiguration | ConvertTo-Json (or Export-Clixml): OnPremisesSmartHost is the organisation FQDN when nothing else gives it.
    #[arg(long, value_name = "FILE")]
    pub hybrid_configuration: Option<PathBuf>,
    /// Get-OrganizationConfig | ConvertTo-Json (or Export-Clixml), Exchange Online: RejectDirectSend.
    #[arg(long, value_name = "FILE")]
    pub organization_config: Option<PathBuf>,
    /// The folder Collect-RelayCheckData.ps1 wrote (relaycheck collect-script); a file flag wins over its file.
    #[arg(long, value_name = "DIR")]
    pub from: Option<PathBuf>,
}

impl InputArgs {
    pub fn overrides(&self) -> relaycheck_io::import::Overrides {
        relaycheck_io::import::Overrides {
            certificate: self.certificate.clone(),
            accepted_domains: self.accepted_domains.clone(),
            domain_status: self.domain_status.clone(),
            inbound_connectors: self.inbound_connectors.clone(),
            outbound_connectors: self.outbound_connectors.clone(),
            organization_fqdn: self.organization_fqdn.clone(),
            send_connectors: self.send_connectors.clone(),
            receive_connectors: self.receive_connectors.clone(),
            hybrid_configuration: self.hybrid_configuration.clone(),
            organization_config: self.organization_config.clone(),
            from: self.from.clone(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.scenario.is_none() && self.overrides().is_empty()
    }
}

#[derive(Debug, clap::Args)]
pub struct TrainArgs {
    /// A built-in lesson (its id or number, see --list) or a lesson file.
    pub lesson: Option<String>,
    /// Print the lessons and exit.
    #[arg(long)]
    pub list: bool,
    /// Print your progress (lessons done, when, with how many hints) and exit.
    #[arg(long, conflicts_with_all = ["list", "reset"])]
    pub progress: bool,
    /// Forget your progress (of LESSON only, when given) and exit.
    #[arg(long, conflicts_with = "list")]
    pub reset: bool,
    #[command(flatten)]
    pub ui: UiArgs,
}

#[derive(Debug, Subcommand)]
pub enum LabCommand {
    /// Write a lab CA and a leaf certificate with its key (PEM) into a folder.
    New(LabNewArgs),
}

#[derive(Debug, clap::Args)]
pub struct LabNewArgs {
    /// The subject CN (also the first SAN).
    #[arg(long)]
    pub cn: String,
    /// More DNS names for the subjectAltName (repeat the option).
    #[arg(long = "san", value_name = "NAME")]
    pub sans: Vec<String>,
    /// The folder to write into (created when missing). Existing files are never replaced.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Key type.
    #[arg(long, value_enum, default_value_t = LabKeyChoice::EcdsaP256)]
    pub key: LabKeyChoice,
    /// Days of validity from now (1 to 36500).
    #[arg(long, default_value_t = 365, value_parser = clap::value_parser!(u32).range(1..=36_500))]
    pub days: u32,
    /// Make the leaf self-signed instead of issued by the lab CA.
    #[arg(long)]
    pub self_signed: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LabKeyChoice {
    EcdsaP256,
    Rsa2048,
    Rsa1024,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ThemeChoice {
    Dark,
    Light,
    HighContrast,
}

#[derive(Debug, Default, clap::Args)]
pub struct WizardArgs {
    /// What to open; with none of these, the built-in demo.
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub ui: UiArgs,
}

/// What every interactive command accepts.
#[derive(Debug, Default, Clone, clap::Args)]
pub struct UiArgs {
    /// Evaluate at this moment instead of now (RFC 3339 or a date).
    #[arg(long, value_name = "RFC3339")]
    pub now: Option<String>,
    /// Colours: dark (default), light, or high-contrast for projectors. NO_COLOR turns colour off.
    #[arg(long, value_enum)]
    pub theme: Option<ThemeChoice>,
    /// Enable the mouse (click a step to open it). Off by default: it breaks text selection.
    #[arg(long)]
    pub mouse: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
    Markdown,
    Powershell,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Evaluate at this moment instead of now (RFC 3339, e.g. 2026-11-22T12:00:00Z, or a date).
    #[arg(long, value_name = "RFC3339")]
    pub now: Option<String>,
    /// Output format: text for people, json for scripts, markdown for tickets, powershell for
    /// a remediation script.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// In the PowerShell script, leave out -WhatIf (the changes then really happen when run).
    #[arg(long)]
    pub no_whatif: bool,
    /// Colour in text output (auto: only on a terminal and without NO_COLOR).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// With `--format powershell`: write one .ps1 per shell and a README.txt on the order into
    /// this folder (created when missing; existing files are never replaced).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}
