//! relaycheck as a process: check, the import flags, certificates, lab new.
//! One test binary (trippy's tests/sim shape): each file below is a module, so the crate is
//! linked once for all of them.

#[path = "../support/mod.rs"]
mod support;

mod certificates;
mod cli_check;
mod cli_import;
mod collect_script;
mod direct_send_cli;
mod hostile_output;
mod inventory;
mod lab_cli;
mod onprem_cli;
mod output_errors;
mod plan_cli;
mod progress_files;
