//! `relaycheck collect-script`: prints the read-only collector, `Collect-RelayCheckData.ps1`,
//! whose folder `--from DIR` reads (the layout is `relaycheck_io::import::onprem::LAYOUT`).

use std::process::ExitCode;

use relaycheck_io::error::InputError;

/// The collector, embedded in the binary.
pub const SCRIPT: &str = include_str!("../../assets/collect/Collect-RelayCheckData.ps1");

pub fn run() -> Result<ExitCode, InputError> {
    super::print_out(SCRIPT);
    Ok(ExitCode::SUCCESS)
}
