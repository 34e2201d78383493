//! relaycheck: will Exchange Online relay mail from this on-premises Exchange server, and if
//! not, what exactly must change? This crate is the command line ([`cli`]); the work lives in
//! the workspace's layers, each a crate whose Cargo.toml lists only the layers below it:
//!
//! - `relaycheck-core`: the model, certificate facts, checks, relay simulation, plan and
//!   report data (no I/O, no clock, no terminal);
//! - `relaycheck-lab`: lab certificates for training, examples and tests;
//! - `relaycheck-io`: guarded reads, importers, scenario files, writes, lesson progress;
//! - `relaycheck-tui`: the wizard (ratatui);
//! - this crate: clap and the commands.
//!
//! The layers' modules are re-exported here under their old names, so that tests, benches
//! and fuzz targets name one crate (`relaycheck::model`, `relaycheck::tui`).

#![forbid(unsafe_code)]

pub mod cli;

pub use relaycheck_core::{
    action, cert, checks, facts, hcw, lesson, model, names, plan, relay, report, text, validate,
    when, width,
};
pub use relaycheck_io::{error, import, input, save, scenario, training};
pub use relaycheck_lab as lab;
pub use relaycheck_tui as tui;
