//! The plan: the changes that bring a scenario to a configuration that relays, passes every
//! check and survives the next HCW run (docs/checks.md, "The plan"), as typed steps that
//! every report, script and wizard page renders.

pub mod action;

pub use action::{ConnectorSetting, FixAction};
