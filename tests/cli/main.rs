//! relaycheck as a process: check, the import flags, certificates, lab new.
//! One test binary (trippy's tests/sim shape): each file below is a module, so the crate is
//! linked once for all of them.

#[path = "../support/mod.rs"]
mod support;

mod certificates;
mod cli_check;
mod cli_import;
mod lab_cli;
