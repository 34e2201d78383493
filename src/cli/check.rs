//! `relaycheck check`: validate and print the report for scripts and CI.

use std::io::IsTerminal;
use std::process::ExitCode;

use super::args::{CheckArgs, ColorChoice, Format};
use super::load::{load_inputs, resolve_now};
use super::print_out;
use crate::error::InputError;
use crate::report::{json, markdown, text};

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

pub fn run(args: &CheckArgs) -> Result<ExitCode, InputError> {
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
