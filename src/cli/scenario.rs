//! `relaycheck scenario …`: write the combined scenario as YAML (`export`), or the plan's
//! target (`fix`).

use std::path::Path;
use std::process::ExitCode;

use time::OffsetDateTime;

use super::args::{ExportArgs, FixArgs, InputArgs};
use super::load::{Loaded, load_inputs, resolve_now};
use relaycheck_core::model::Scenario;
use relaycheck_io::error::{Failure, InputError};

pub fn export(args: &ExportArgs) -> Result<ExitCode, Failure> {
    require_input(&args.input, "export")?;
    let now = OffsetDateTime::now_utc();
    let loaded = load_inputs(&args.input, now)?;
    let mut header = String::new();
    for note in &loaded.notes {
        // A note's text is a cleaned Line: one comment line in the YAML.
        header.push_str(&format!("# {note}\n"));
    }
    write(
        &args.input,
        &loaded,
        &loaded.scenario,
        &header,
        &args.output,
        args.force,
    )?;
    Ok(ExitCode::SUCCESS)
}

/// The plan's target as a scenario file. Its header names no input, so that `scenario fix`
/// on its own output writes the same bytes.
pub fn fix(args: &FixArgs) -> Result<ExitCode, Failure> {
    require_input(&args.input, "fix")?;
    let now = resolve_now(args.now.as_deref())?;
    let loaded = load_inputs(&args.input, now)?;
    let report = relaycheck_core::validate(&loaded.scenario, now);
    let target = report
        .plan
        .apply(&loaded.scenario)
        .map_err(|e| InputError::without_file(format!("the plan cannot be applied: {e}")))?;
    let mut header = String::from(
        "# The plan's target, written by relaycheck scenario fix: the configuration once every\n# change of the plan is made.\n",
    );
    for step in report.plan.by_hand() {
        header.push_str("# Still by hand: ");
        header.push_str(&step.summary);
        header.push('\n');
    }
    write(
        &args.input,
        &loaded,
        &target,
        &header,
        &args.output,
        args.force,
    )?;
    let changes = report.plan.changes().count();
    super::print_err(&format!(
        "{} change{} applied.",
        changes,
        if changes == 1 { "" } else { "s" }
    ));
    Ok(ExitCode::SUCCESS)
}

fn require_input(input: &InputArgs, what: &str) -> Result<(), InputError> {
    if input.is_empty() {
        return Err(InputError::without_file(format!(
            "nothing to {what}: give --scenario FILE and/or the import files (see docs/collect-data.md)"
        )));
    }
    Ok(())
}

fn write(
    input: &InputArgs,
    loaded: &Loaded,
    scenario: &Scenario,
    header: &str,
    output: &Path,
    force: bool,
) -> Result<(), Failure> {
    if !force && output.exists() {
        return Err(InputError::new(
            output,
            "the file already exists; relaycheck never overwrites (choose another -o, or give --force)",
        )
        .into());
    }
    // Before any certificate is written beside it: a link, a folder or one of the inputs.
    relaycheck_io::save::check_writable(output, force, &loaded.files)?;
    let scenario_dir = input.scenario.as_deref().and_then(|p| p.parent());
    let (yaml, written) = relaycheck_io::scenario::export_scenario(
        scenario,
        &loaded.data,
        scenario_dir,
        output,
        loaded.doc.lesson.clone(),
    )?;
    let text = format!("{header}{yaml}");
    relaycheck_io::save::write_atomic(output, text.as_bytes(), force, &loaded.files)?;
    let mut msg = format!("Wrote {}", output.display());
    if !written.is_empty() {
        let names: Vec<String> = written.iter().map(|p| p.display().to_string()).collect();
        msg.push_str(&format!(" and the certificates {}", names.join(", ")));
    }
    msg.push_str(".\n");
    for note in &loaded.notes {
        msg.push_str(&format!("  {note}\n"));
    }
    let _ = std::io::Write::write_all(
        &mut std::io::stderr().lock(),
        relaycheck_core::text::clean_block(&msg).as_bytes(),
    );
    Ok(())
}
