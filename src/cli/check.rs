//! `relaycheck check`: validate and print the report for scripts and CI.

use std::io::IsTerminal;
use std::process::ExitCode;

use super::args::{CheckArgs, ColorChoice, Format};
use super::load::{load_inputs, resolve_now};
use super::print_out;
use relaycheck_core::model::Scenario;
use relaycheck_core::report::Report;
use relaycheck_core::report::{json, markdown, text};
use relaycheck_io::error::InputError;

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
    if args.out.is_some() && args.format != Format::Powershell {
        return Err(InputError::without_file(
            "--out DIR writes the PowerShell parts: use it with --format powershell",
        ));
    }
    let loaded = load_inputs(&args.input, now)?;
    let scenario = &loaded.scenario;
    let report = relaycheck_core::validate(scenario, now);
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
        Format::Powershell => {
            let options = relaycheck_core::report::powershell::Options {
                whatif: !args.no_whatif,
                inputs: loaded.inputs.clone(),
                notes: loaded.notes.iter().map(ToString::to_string).collect(),
            };
            match &args.out {
                Some(dir) => write_parts(dir, &report, scenario, now, &options, &loaded.files)?,
                None => {
                    relaycheck_core::report::powershell::render(&report, scenario, now, &options)
                }
            }
        }
    };
    print_out(&out);
    Ok(ExitCode::from(report.verdict.exit_code() as u8))
}

/// `--format powershell --out DIR`: one file per part and the README; returns the README,
/// which is printed. Nothing that exists is replaced.
fn write_parts(
    dir: &std::path::Path,
    report: &Report,
    scenario: &Scenario,
    now: time::OffsetDateTime,
    options: &relaycheck_core::report::powershell::Options,
    inputs: &[std::path::PathBuf],
) -> Result<String, InputError> {
    let files = relaycheck_core::report::powershell::files(report, scenario, now, options);
    std::fs::create_dir_all(dir)
        .map_err(|e| InputError::new(dir, relaycheck_io::error::io_problem(&e)))?;
    if let Some((name, _)) = files.iter().find(|(n, _)| dir.join(n).exists()) {
        return Err(InputError::new(
            dir.join(name),
            "the file already exists; relaycheck never overwrites (choose another --out)",
        ));
    }
    let mut readme = String::new();
    for (name, text) in &files {
        relaycheck_io::save::write_atomic(&dir.join(name), text.as_bytes(), false, inputs)
            .map_err(|e| InputError::without_file(e.to_string()))?;
        if name == "README.txt" {
            readme = text.clone();
        }
    }
    Ok(format!(
        "Wrote {} file(s) to {}.\n{readme}",
        files.len(),
        relaycheck_core::text::clean_line(&dir.display().to_string())
    ))
}
