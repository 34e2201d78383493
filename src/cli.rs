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
    let now = resolve_now(args.now.as_deref())?;
    let theme = theme_for(args.theme);
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

fn run_wizard(args: &WizardArgs) -> Result<ExitCode, InputError> {
    let app = wizard_app(args)?;
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return Err(InputError::without_file(
            "the wizard needs an interactive terminal; for scripts and CI use `relaycheck check --scenario FILE`",
        ));
    }
    crate::tui::run(app, crate::tui::Options { mouse: args.mouse })
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
        None => run_wizard(&cli.wizard),
    };
    match result {
        Ok(code) => code,
        Err(e) => input_failure(&e),
    }
}
