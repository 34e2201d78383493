//! The command line: `relaycheck check` for scripts and CI. Exit codes: 0 pass or warn,
//! 1 fail, 2 unusable input (docs/checks.md, "Exit codes").

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::error::InputError;
use crate::report::{json, markdown, text};

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
    /// Validate a scenario and print the report (exit 0 pass/warn, 1 fail, 2 bad input).
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
}

#[derive(Debug, Subcommand)]
pub enum ScenarioCommand {
    /// Write the combined scenario (a scenario and/or the import files) as YAML, to edit and share.
    Export(ExportArgs),
}

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// The YAML file to write (never overwritten; certificates from .pfx or CliXml files are
    /// written beside it as <thumbprint>.cer, without their keys).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: PathBuf,
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
}

impl InputArgs {
    pub fn overrides(&self) -> crate::import::Overrides {
        crate::import::Overrides {
            certificate: self.certificate.clone(),
            accepted_domains: self.accepted_domains.clone(),
            domain_status: self.domain_status.clone(),
            inbound_connectors: self.inbound_connectors.clone(),
            outbound_connectors: self.outbound_connectors.clone(),
            organization_fqdn: self.organization_fqdn.clone(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.scenario.is_none() && self.overrides().is_empty()
    }
}

/// A scenario put together from the inputs, with how it was read.
pub struct Loaded {
    pub doc: crate::scenario::ScenarioFile,
    pub scenario: crate::model::Scenario,
    pub data: crate::import::TenantData,
    pub notes: Vec<crate::import::Note>,
    /// One line per input (`scenario: contoso.yaml`, `accepted domains: ad.json`).
    pub inputs: Vec<String>,
    /// Every file read (never to be overwritten).
    pub files: Vec<PathBuf>,
}

/// Reads the scenario file (if any) and lays the import files over it.
pub fn load_inputs(args: &InputArgs, now: OffsetDateTime) -> Result<Loaded, InputError> {
    use crate::import::{self, ImportError};
    let generate = |v: &serde_yaml::Value| crate::lab::generate_facts(v, now);
    let (doc, mut scenario) = match &args.scenario {
        Some(path) => crate::scenario::load(path, Some(&generate))?,
        None => Default::default(),
    };
    let mut files = Vec::new();
    let mut inputs = Vec::new();
    if let Some(path) = &args.scenario {
        inputs.push(format!("scenario: {}", path.display()));
        files.push(path.clone());
        let base = path.parent().unwrap_or(std::path::Path::new("."));
        for e in &scenario.certificates {
            if let crate::model::CertificateSource::File { path, key, .. } = &e.source {
                files.push(base.join(path));
                files.extend(key.iter().map(|k| base.join(k)));
            }
        }
    }
    let password = args
        .password_env
        .as_deref()
        .map(import::password_from_env)
        .transpose()?;
    let data = import::load(&args.overrides(), password.as_ref(), now).map_err(|e| match e {
        ImportError::PasswordNeeded { path } => InputError::new(
            path,
            "the PKCS#12 file is protected by a password: put it in an environment variable and name it with --password-env VAR",
        ),
        other => other.into(),
    })?;
    let notes = import::apply(&mut scenario, &data);
    inputs.extend(data.input_lines());
    files.extend(data.inputs.iter().map(|(_, p)| p.clone()));
    Ok(Loaded {
        doc,
        scenario,
        data,
        notes,
        inputs,
        files,
    })
}

#[derive(Debug, clap::Args)]
pub struct TrainArgs {
    /// A built-in lesson (its id or number, see --list) or a lesson file.
    pub lesson: Option<String>,
    /// Print the lessons and exit.
    #[arg(long)]
    pub list: bool,
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
    /// Days of validity from now.
    #[arg(long, default_value_t = 365)]
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
}

/// Parses `--now`: RFC 3339, or a plain date (midnight UTC).
pub fn parse_now(text: &str) -> Result<OffsetDateTime, InputError> {
    if let Ok(t) = OffsetDateTime::parse(text, &Rfc3339) {
        return Ok(t);
    }
    let date_format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(text, &date_format)
        .map(|d| d.midnight().assume_utc())
        .map_err(|_| {
            InputError::without_file(format!(
                "--now \"{text}\" is not a date and time: use RFC 3339 (2026-11-22T12:00:00Z) or a date (2026-11-22)"
            ))
        })
}

pub fn resolve_now(now: Option<&str>) -> Result<OffsetDateTime, InputError> {
    match now {
        Some(t) => parse_now(t),
        None => Ok(OffsetDateTime::now_utc()),
    }
}

fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    }
}

fn run_check(args: &CheckArgs) -> Result<ExitCode, InputError> {
    let now = resolve_now(args.now.as_deref())?;
    if args.input.is_empty() {
        return Err(InputError::without_file(
            "nothing to check: give --scenario FILE, or the files your cmdlets wrote (--accepted-domains, --inbound-connectors, --certificate, …; see docs/collect-data.md)",
        ));
    }
    let loaded = load_inputs(&args.input, now)?;
    let scenario = &loaded.scenario;
    let report = crate::validate(scenario, now);
    let out = match args.format {
        Format::Text => text::render(
            &report,
            scenario,
            &loaded.notes,
            text::Style {
                color: use_color(args.color),
            },
        ),
        Format::Json => json::render(&report, now, &loaded.notes),
        Format::Markdown => markdown::render(&report, scenario, now, &loaded.notes),
        Format::Powershell => crate::report::powershell::render(
            &report,
            scenario,
            now,
            &crate::report::powershell::Options {
                whatif: !args.no_whatif,
                inputs: loaded.inputs.clone(),
                notes: loaded.notes.iter().map(ToString::to_string).collect(),
            },
        ),
    };
    print_out(&out);
    Ok(ExitCode::from(report.verdict.exit_code() as u8))
}

fn run_export(args: &ExportArgs) -> Result<ExitCode, InputError> {
    if args.input.is_empty() {
        return Err(InputError::without_file(
            "nothing to export: give --scenario FILE and/or the import files (see docs/collect-data.md)",
        ));
    }
    let now = OffsetDateTime::now_utc();
    let loaded = load_inputs(&args.input, now)?;
    if args.output.exists() {
        return Err(InputError::new(
            &args.output,
            "the file already exists; relaycheck never overwrites (choose another -o)",
        ));
    }
    let scenario_dir = args.input.scenario.as_deref().and_then(|p| p.parent());
    let (yaml, written) = crate::import::export_scenario(
        &loaded.scenario,
        &loaded.data,
        scenario_dir,
        &args.output,
        loaded.doc.lesson.clone(),
    )?;
    let mut text = String::new();
    for note in &loaded.notes {
        text.push_str(&format!("# {note}\n"));
    }
    text.push_str(&yaml);
    crate::save::write_atomic(&args.output, text.as_bytes(), false, &loaded.files)
        .map_err(|e| InputError::without_file(e.to_string()))?;
    let mut msg = format!("Wrote {}", args.output.display());
    if !written.is_empty() {
        let names: Vec<String> = written.iter().map(|p| p.display().to_string()).collect();
        msg.push_str(&format!(" and the certificates {}", names.join(", ")));
    }
    msg.push_str(".\n");
    for note in &loaded.notes {
        msg.push_str(&format!("  {note}\n"));
    }
    eprint!("{msg}");
    Ok(ExitCode::SUCCESS)
}

/// Writes to stdout; a closed pipe (`| head`) is not an error worth a panic.
fn print_out(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}

/// Prints an input error as one paragraph and returns exit code 2.
pub fn input_failure(e: &InputError) -> ExitCode {
    eprintln!("relaycheck: error: {e}");
    ExitCode::from(2)
}

fn theme_for(choice: Option<ThemeChoice>) -> crate::tui::theme::Theme {
    use crate::tui::theme::{Theme, ThemeName};
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    Theme::new(match (choice, no_color) {
        (None, true) => ThemeName::Mono,
        (None, false) | (Some(ThemeChoice::Dark), _) => ThemeName::Dark,
        (Some(ThemeChoice::Light), _) => ThemeName::Light,
        (Some(ThemeChoice::HighContrast), _) => ThemeName::HighContrast,
    })
}

/// Builds the wizard's state for a scenario file, or the demo.
pub fn wizard_app(args: &WizardArgs) -> Result<crate::tui::app::App, InputError> {
    use crate::tui::app::{App, Origin};
    let now = resolve_now(args.ui.now.as_deref())?;
    let theme = theme_for(args.ui.theme);
    let (doc, scenario, origin) = if args.input.is_empty() {
        let (doc, scenario) = crate::tui::demo::load(now)?;
        let origin = Origin {
            path: None,
            label: crate::tui::demo::LABEL.to_string(),
            inputs: Vec::new(),
            lesson: None,
            input_lines: Vec::new(),
            notes: Vec::new(),
        };
        (doc, scenario, origin)
    } else {
        let loaded = load_inputs(&args.input, now)?;
        let label = if loaded.inputs.len() == 1 {
            loaded.inputs[0]
                .split_once(": ")
                .map_or(loaded.inputs[0].clone(), |(_, f)| f.to_string())
        } else {
            format!("{} inputs", loaded.inputs.len())
        };
        let origin = Origin {
            path: args.input.scenario.clone(),
            label,
            inputs: loaded.files.clone(),
            lesson: None,
            input_lines: loaded.inputs.clone(),
            notes: loaded.notes.clone(),
        };
        (loaded.doc, loaded.scenario, origin)
    };
    let origin = Origin {
        lesson: doc.lesson.clone(),
        ..origin
    };
    Ok(App::new(scenario, origin, now, theme))
}

/// The lesson list as text (`train --list`).
pub fn lesson_list() -> String {
    let mut out = String::from(" #  level   lesson id                          title\n");
    for (i, l) in crate::training::catalog().iter().enumerate() {
        out.push_str(&format!(
            "{:>2}  {:<7} {:<34} {}\n",
            i + 1,
            l.level.as_str(),
            l.id,
            l.title
        ));
    }
    out.push_str("\nOpen one: relaycheck train <id or number>. Any lesson file works too: relaycheck train my-lesson.yaml\n");
    out
}

/// The wizard's state for a lesson: the lesson given, or the first one with the list open.
pub fn train_app(args: &TrainArgs) -> Result<crate::tui::app::App, InputError> {
    use crate::tui::app::{App, Modal, Origin};
    use crate::tui::lesson::Panel;
    let now = resolve_now(args.ui.now.as_deref())?;
    let which = args
        .lesson
        .clone()
        .unwrap_or_else(|| crate::training::BUILTIN[0].0.to_string());
    let loaded = crate::training::load(&which, now)?;
    let origin = Origin {
        path: None,
        label: String::new(),
        inputs: Vec::new(),
        lesson: None,
        input_lines: Vec::new(),
        notes: Vec::new(),
    };
    let mut app = App::new(
        crate::model::Scenario::default(),
        origin,
        now,
        theme_for(args.ui.theme),
    );
    crate::tui::lesson::open(&mut app, loaded, crate::training::catalog());
    if args.lesson.is_none() {
        app.modal = Some(Modal::Lesson(Panel::Picker { selected: 0 }));
    }
    Ok(app)
}

fn run_train(args: &TrainArgs) -> Result<ExitCode, InputError> {
    if args.list {
        print_out(&lesson_list());
        return Ok(ExitCode::SUCCESS);
    }
    let app = train_app(args)?;
    run_app(app, args.ui.mouse)
}

fn run_lab_new(args: &LabNewArgs) -> Result<ExitCode, InputError> {
    use crate::lab::{LabCa, LabIssuer, LabKey, LabSpec};
    let cn = crate::names::DnsName::parse(&args.cn)
        .map_err(|e| InputError::without_file(format!("--cn: {e}")))?;
    let mut sans = vec![cn.to_string()];
    for s in &args.sans {
        let n = crate::names::normalize(s);
        if crate::names::classify_presented(&n).is_none() {
            return Err(InputError::without_file(format!(
                "--san \"{s}\" is not a DNS name (a host, or *.domain)"
            )));
        }
        if !sans.contains(&n) {
            sans.push(n);
        }
    }
    let now = OffsetDateTime::now_utc();
    let spec = LabSpec {
        cn: Some(cn.to_string()),
        sans,
        issuer: if args.self_signed {
            LabIssuer::SelfSigned
        } else {
            LabIssuer::LabCa
        },
        not_before: now - time::Duration::days(1),
        not_after: now + time::Duration::days(i64::from(args.days.max(1))),
        key: match args.key {
            LabKeyChoice::EcdsaP256 => LabKey::EcdsaP256,
            LabKeyChoice::Rsa2048 => LabKey::Rsa2048,
            LabKeyChoice::Rsa1024 => LabKey::Rsa1024,
        },
    };
    let out = &args.out;
    let leaf_pem = out.join(format!("{cn}.pem"));
    let leaf_key = out.join(format!("{cn}.key"));
    let ca_pem = out.join("lab-ca.pem");
    let ca_key = out.join("lab-ca.key");
    let mut targets = vec![leaf_pem.clone(), leaf_key.clone()];
    if !args.self_signed {
        targets.extend([ca_pem.clone(), ca_key.clone()]);
    }
    if let Some(existing) = targets.iter().find(|p| p.exists()) {
        return Err(InputError::new(
            existing,
            "the file already exists; relaycheck lab new never overwrites (choose another --out)",
        ));
    }
    std::fs::create_dir_all(out).map_err(|e| InputError::new(out, crate::error::io_problem(&e)))?;
    let ca = LabCa::new(
        now - time::Duration::days(1),
        now + time::Duration::days(i64::from(args.days.max(1)) + 365),
    )
    .map_err(InputError::without_file)?;
    let made = crate::lab::issue(&spec, &ca).map_err(InputError::without_file)?;
    let write = |path: &std::path::Path, bytes: &[u8], private: bool| {
        let r = if private {
            crate::save::write_private(path, bytes)
        } else {
            crate::save::write_atomic(path, bytes, false, &[])
        };
        r.map_err(|e| InputError::without_file(e.to_string()))
    };
    let mut chain = made.cert_pem.clone();
    if let Some(ca) = &made.ca_pem {
        chain.push_str(ca);
    }
    write(&leaf_pem, chain.as_bytes(), false)?;
    write(&leaf_key, made.key_pem.as_bytes(), true)?;
    if !args.self_signed {
        write(&ca_pem, ca.cert_pem.as_bytes(), false)?;
        write(&ca_key, ca.key_pem.as_bytes(), true)?;
    }
    let mut report = format!(
        "Wrote a lab certificate for {} ({}):\n  {}  certificate{}\n  {}  private key (owner only)\n",
        spec.sans.join(", "),
        if args.self_signed {
            "self-signed"
        } else {
            "issued by the lab CA"
        },
        leaf_pem.display(),
        if args.self_signed {
            ""
        } else {
            " + lab CA chain"
        },
        leaf_key.display()
    );
    if !args.self_signed {
        report.push_str(&format!(
            "  {}  lab CA certificate (trust it on the test servers)\n  {}  lab CA private key (owner only)\n",
            ca_pem.display(),
            ca_key.display()
        ));
    }
    report.push_str("These are for labs only: Exchange Online does not trust the lab CA.\n");
    print_out(&report);
    Ok(ExitCode::SUCCESS)
}

fn run_wizard(args: &WizardArgs) -> Result<ExitCode, InputError> {
    let app = wizard_app(args)?;
    run_app(app, args.ui.mouse)
}

fn run_app(app: crate::tui::app::App, mouse: bool) -> Result<ExitCode, InputError> {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return Err(InputError::without_file(
            "the wizard needs an interactive terminal; for scripts and CI use `relaycheck check --scenario FILE`",
        ));
    }
    crate::tui::run(app, crate::tui::Options { mouse })
        .map_err(|e| InputError::without_file(format!("the terminal failed: {e}")))?;
    Ok(ExitCode::SUCCESS)
}

pub fn main() -> ExitCode {
    // Unexpected failures get color-eyre's report; backtraces only with RUST_BACKTRACE.
    let _ = color_eyre::install();
    let cli = Cli::parse();
    let result = match &cli.command {
        Some(Command::Check(args)) => run_check(args),
        Some(Command::Wizard(args)) => run_wizard(args),
        Some(Command::Train(args)) => run_train(args),
        Some(Command::Lab(LabCommand::New(args))) => run_lab_new(args),
        Some(Command::Scenario(ScenarioCommand::Export(args))) => run_export(args),
        None => run_wizard(&cli.wizard),
    };
    match result {
        Ok(code) => code,
        Err(e) => input_failure(&e),
    }
}
