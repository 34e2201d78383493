//! The core: every rule and check, HCW-TSCN, RELAY, the examples, the reports and the docs.
//! One test binary (trippy's tests/sim shape): each file below is a module, so the crate is
//! linked once for all of them.

#[path = "../rulekit/mod.rs"]
mod rulekit;
#[path = "../support/mod.rs"]
mod support;

mod changes;
mod checks;
mod docs;
mod examples;
mod exo2026;
mod hcw;
mod layers;
mod onprem_checks;
mod page_facts;
mod plan;
mod powershell_script;
mod ps_quoting;
mod regressions;
mod relay;
mod wizard_layers;
