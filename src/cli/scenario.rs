//! `relaycheck scenario …`: write the combined scenario as YAML.

use std::process::ExitCode;

use time::OffsetDateTime;

use super::args::ExportArgs;
use super::load::load_inputs;
use crate::error::InputError;

pub fn export(args: &ExportArgs) -> Result<ExitCode, InputError> {
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
    let (yaml, written) = crate::scenario::export_scenario(
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
