//! The command line: `relaycheck check` for scripts and CI, the wizard, training, lab
//! certificates and scenario files. Exit codes: 0 pass or warn, 1 fail, 2 unusable input
//! (docs/checks.md, "Exit codes"). One file per command; the clap words in [`args`].

pub mod args;
mod certificates;
mod check;
pub mod collect;
pub mod interactive;
mod lab;
pub mod load;
mod scenario;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

pub use args::*;
pub use interactive::{lesson_list, train_app, wizard_app};
pub use load::{Loaded, load_inputs, resolve_now};

use relaycheck_io::error::InputError;

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

pub fn main() -> ExitCode {
    // Unexpected failures get color-eyre's report; backtraces only with RUST_BACKTRACE.
    let _ = color_eyre::install();
    let cli = Cli::parse();
    let result = match &cli.command {
        Some(Command::Check(args)) => check::run(args),
        Some(Command::Wizard(args)) => interactive::run_wizard(args),
        Some(Command::Train(args)) => interactive::run_train(args),
        Some(Command::Lab(LabCommand::New(args))) => lab::new(args),
        Some(Command::Scenario(ScenarioCommand::Export(args))) => scenario::export(args),
        Some(Command::Scenario(ScenarioCommand::Fix(args))) => scenario::fix(args),
        Some(Command::CollectScript) => collect::run(),
        Some(Command::Certificates(args)) => certificates::run(args),
        None => interactive::run_wizard(&cli.wizard),
    };
    match result {
        Ok(code) => code,
        Err(e) => input_failure(&e),
    }
}
