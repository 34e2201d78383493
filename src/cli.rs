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
    /// The scenario file to open (YAML); without it, the built-in demo.
    #[arg(long, short = 's', value_name = "FILE")]
    pub scenario: Option<PathBuf>,
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
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The scenario file (YAML, see docs/scenario-format.md).
    #[arg(long, short = 's', value_name = "FILE")]
    pub scenario: PathBuf,
    /// Evaluate at this moment instead of now (RFC 3339, e.g. 2026-11-22T12:00:00Z, or a date).
    #[arg(long, value_name = "RFC3339")]
    pub now: Option<String>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Text)]
    pub format: Format,
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
    let generate = |v: &serde_yaml::Value| crate::lab::generate_facts(v, now);
    let (_, scenario) = crate::scenario::load(&args.scenario, Some(&generate))?;
    let report = crate::validate(&scenario, now);
    let out = match args.format {
        Format::Text => text::render(
            &report,
            &scenario,
            text::Style {
                color: use_color(args.color),
            },
        ),
        Format::Json => json::render(&report, now),
        Format::Markdown => markdown::render(&report, &scenario, now),
    };
    print_out(&out);
    Ok(ExitCode::from(report.verdict.exit_code() as u8))
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
    let (doc, scenario, origin) = match &args.scenario {
        Some(path) => {
            let generate = |v: &serde_yaml::Value| crate::lab::generate_facts(v, now);
            let (doc, scenario) = crate::scenario::load(path, Some(&generate))?;
            let label = path.display().to_string();
            let mut inputs = vec![path.clone()];
            let base = path.parent().unwrap_or(std::path::Path::new("."));
            for e in &scenario.certificates {
                if let crate::model::CertificateSource::File { path, key } = &e.source {
                    inputs.push(base.join(path));
                    if let Some(k) = key {
                        inputs.push(base.join(k));
                    }
                }
            }
            let origin = Origin {
                path: Some(path.clone()),
                label,
                inputs,
                lesson: None,
            };
            (doc, scenario, origin)
        }
        None => {
            let (doc, scenario) = crate::tui::demo::load(now)?;
            let origin = Origin {
                path: None,
                label: crate::tui::demo::LABEL.to_string(),
                inputs: Vec::new(),
                lesson: None,
            };
            (doc, scenario, origin)
        }
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
        None => run_wizard(&cli.wizard),
    };
    match result {
        Ok(code) => code,
        Err(e) => input_failure(&e),
    }
}
