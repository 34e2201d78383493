//! `relaycheck certificates`: the Certificate step as a command, for admins with stores of
//! many certificates. Files are read one at a time and only each row is kept, so a folder
//! of 10,000 certificates stays linear in time and small in memory.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::args::{CertificatesArgs, ListFormat};
use super::load::{load_inputs, resolve_now};
use super::print_out;
use relaycheck_core::report::certificates::{self, Against, Connectors, Row};
use relaycheck_io::error::InputError;
use relaycheck_io::import::certs;

/// At most this many certificate files are read from one folder.
pub const MAX_STORE_FILES: usize = 100_000;

pub fn run(args: &CertificatesArgs) -> Result<ExitCode, InputError> {
    let now = resolve_now(args.now.as_deref())?;
    let input = args.input();
    if args.certificates.is_empty() && input.scenario.is_none() {
        return Err(InputError::without_file(
            "nothing to list: give --certificate FILE or DIR (repeat it for several), or --scenario FILE",
        ));
    }
    let loaded = load_inputs(&input, now)?;
    let given_connectors =
        args.inbound_connectors.is_some() || !loaded.scenario.inbound_connectors.is_empty();
    let connectors = given_connectors.then(|| Connectors::new(&loaded.scenario.inbound_connectors));
    let given_domains = args.accepted_domains.is_some() || !loaded.scenario.tenant.is_empty();
    let tenant = given_domains.then_some(&loaded.scenario.tenant);
    let password = args
        .password_env
        .as_deref()
        .map(relaycheck_io::import::password_from_env)
        .transpose()?;

    let against = Against {
        now,
        connectors: connectors.as_ref(),
        tenant,
        trusted: &loaded.scenario.trusted_roots,
    };
    let mut rows: Vec<Row> = Vec::new();
    let mut errors: Vec<String> = Vec::new();
    let mut notes = loaded.notes.clone();
    for e in &loaded.scenario.certificates {
        rows.push(Row::new(
            e.facts.source.clone(),
            None,
            None,
            &e.facts,
            &against,
        ));
    }
    for path in &args.certificates {
        let files = match files_of(path) {
            Ok((files, note)) => {
                notes.extend(note);
                files
            }
            Err(e) => {
                errors.push(e.to_string());
                continue;
            }
        };
        for f in files {
            certs::list_file(&f, password.as_ref(), |item| match item {
                Ok(c) => rows.push(Row::new(
                    c.path.display().to_string(),
                    c.position,
                    Some(c.format),
                    &c.facts,
                    &against,
                )),
                Err(e) => errors.push(e.to_string()),
            });
        }
    }
    let out = match args.format {
        // Nothing listed: the errors below say it all.
        ListFormat::Text if rows.is_empty() => String::new(),
        ListFormat::Text => certificates::text(
            &rows,
            &errors,
            &notes,
            connectors.is_some(),
            tenant.is_some(),
        ),
        ListFormat::Json => certificates::json(&rows, &errors, &notes, now),
    };
    print_out(&out);
    if errors.is_empty() {
        Ok(ExitCode::SUCCESS)
    } else {
        for e in &errors {
            eprintln!(
                "relaycheck: error: {}",
                relaycheck_core::text::clean_line(e)
            );
        }
        Ok(ExitCode::from(2))
    }
}

/// The certificate files a `--certificate` value names: the file itself, or the
/// certificate files of the folder (at most [`MAX_STORE_FILES`]) and a note on the others.
fn files_of(
    path: &Path,
) -> Result<(Vec<PathBuf>, Option<relaycheck_core::model::Note>), InputError> {
    if !path.is_dir() {
        return Ok((vec![path.to_path_buf()], None));
    }
    let (files, ignored) = certs::folder_files(path)?;
    if files.len() > MAX_STORE_FILES {
        return Err(InputError::new(
            path,
            format!(
                "the folder holds {} certificate files; relaycheck lists at most {} from one folder",
                relaycheck_core::text::group(files.len() as u64),
                relaycheck_core::text::group(MAX_STORE_FILES as u64)
            ),
        ));
    }
    Ok((files, certs::skipped_note(path, ignored)))
}
