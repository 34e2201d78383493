//! Putting a scenario together from what the command line names: a scenario file, the
//! files the admin's cmdlets wrote, or both (the files win), with how it was read.

use std::path::PathBuf;

use time::OffsetDateTime;

use super::args::InputArgs;
use relaycheck_io::error::InputError;

/// The evaluation moment: `--now`, or the clock.
pub fn resolve_now(now: Option<&str>) -> Result<OffsetDateTime, InputError> {
    match now {
        Some(t) => relaycheck_core::when::parse(t)
            .map_err(|e| InputError::without_file(format!("--now {e}"))),
        None => Ok(OffsetDateTime::now_utc()),
    }
}

/// A scenario put together from the inputs, with how it was read.
pub struct Loaded {
    pub doc: relaycheck_io::scenario::ScenarioFile,
    pub scenario: relaycheck_core::model::Scenario,
    pub data: relaycheck_io::import::TenantData,
    pub notes: Vec<relaycheck_io::import::Note>,
    /// One line per input (`scenario: contoso.yaml`, `accepted domains: ad.json`).
    pub inputs: Vec<String>,
    /// Every file read (never to be overwritten).
    pub files: Vec<PathBuf>,
}

/// Reads the scenario file (if any) and lays the import files over it.
pub fn load_inputs(args: &InputArgs, now: OffsetDateTime) -> Result<Loaded, InputError> {
    use relaycheck_io::import::{self, ImportError};
    let generate =
        |g: &relaycheck_core::model::GenerateSpec| relaycheck_lab::generate_facts(g, now);
    let (doc, mut scenario) = match &args.scenario {
        Some(path) => relaycheck_io::scenario::load(path, Some(&generate), now)?,
        None => Default::default(),
    };
    let mut files = Vec::new();
    let mut inputs = Vec::new();
    if let Some(path) = &args.scenario {
        inputs.push(format!("scenario: {}", path.display()));
        files.push(path.clone());
        let base = path.parent().unwrap_or(std::path::Path::new("."));
        for e in &scenario.certificates {
            if let relaycheck_core::model::CertificateSource::File { path, key, .. } = &e.source {
                files.push(base.join(path));
                files.extend(key.iter().map(|k| base.join(k)));
            }
        }
        for s in &scenario.on_premises.servers {
            files.extend(s.files.iter().map(|f| base.join(f)));
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
