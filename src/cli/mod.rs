//! The command line: `relaycheck check` for scripts and CI, the wizard, training, lab
//! certificates and scenario files. Exit codes: 0 pass or warn, 1 fail, 2 unusable input,
//! 3 output that could not be written ([`relaycheck_io::error::exit`]; docs/checks.md, "Exit
//! codes"). One file per command; the clap words in [`args`].

pub mod args;
mod certificates;
mod check;
pub mod collect;
pub mod interactive;
mod lab;
pub mod load;
pub mod probe;
mod scenario;

use std::io::Write;
use std::process::ExitCode;
use std::sync::Mutex;

use clap::Parser;

pub use args::*;
pub use interactive::{lesson_list, train_app, wizard_app};
pub use load::{Loaded, load_inputs, resolve_now};

use relaycheck_io::error::{Failure, InputError, OutputError};

/// The first error writing to standard output, kept for [`main`] to report (exit code 3).
static OUTPUT_FAILED: Mutex<Option<OutputError>> = Mutex::new(None);

/// Writes to stdout. A closed pipe (`| head`) ends the output quietly, as ripgrep does: the
/// reader chose to stop, and the command keeps its own exit code. Any other failure (a full
/// disk, `/dev/full`) is kept and makes the command exit with code 3.
fn print_out(text: &str) {
    if let Err(e) = write_out(text) {
        let mut failed = OUTPUT_FAILED.lock().unwrap_or_else(|p| p.into_inner());
        failed.get_or_insert(e);
    }
}

/// [`print_out`] as a result: `Ok` after a closed pipe.
fn write_out(text: &str) -> Result<(), OutputError> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(OutputError::new("standard output", e.to_string())),
    }
}

/// One paragraph on stderr, cleaned (errors quote input); a stderr that cannot be written
/// is not worth a panic.
fn print_err(line: &str) {
    let line = relaycheck_core::text::Block::new(line);
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

/// Prints an input error as one paragraph and returns exit code 2.
pub fn input_failure(e: &InputError) -> ExitCode {
    failure(&Failure::Input(e.clone()))
}

/// Prints why the command stopped as one paragraph and returns its exit code.
pub fn failure(e: &Failure) -> ExitCode {
    print_err(&format!("relaycheck: error: {e}"));
    ExitCode::from(e.exit_code())
}

pub fn main() -> ExitCode {
    // Unexpected failures (panics) get color-eyre's report, installed before the wizard's
    // terminal hook (docs/decisions.md, "color-eyre"); backtraces only with RUST_BACKTRACE.
    let _ = color_eyre::install();
    let cli = Cli::parse();
    // One read budget for the whole command (src/input.rs).
    let budget = relaycheck_io::input::Budget::new(relaycheck_io::input::TOTAL_LIMIT);
    let result = budget.run(|| run(&cli));
    let failed = OUTPUT_FAILED
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .take();
    match (result, failed) {
        (Err(e), _) => failure(&e),
        (Ok(_), Some(e)) => failure(&Failure::Output(e)),
        (Ok(code), None) => code,
    }
}

fn run(cli: &Cli) -> Result<ExitCode, Failure> {
    let input = |r: Result<ExitCode, InputError>| r.map_err(Failure::from);
    match &cli.command {
        Some(Command::Check(args)) => check::run(args),
        Some(Command::Wizard(args)) => input(interactive::run_wizard(args)),
        Some(Command::Train(args)) => input(interactive::run_train(args)),
        Some(Command::Lab(LabCommand::New(args))) => input(lab::new(args)),
        Some(Command::Scenario(ScenarioCommand::Export(args))) => scenario::export(args),
        Some(Command::Scenario(ScenarioCommand::Fix(args))) => scenario::fix(args),
        Some(Command::CollectScript) => input(collect::run()),
        Some(Command::Certificates(args)) => input(certificates::run(args)),
        Some(Command::Probe(command)) => probe::run(command),
        None => input(interactive::run_wizard(&cli.wizard)),
    }
}
