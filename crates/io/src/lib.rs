//! relaycheck's input and output: the one guarded reader of every file, the importers of
//! Exchange cmdlet output and certificate stores, scenario files, atomic writes, and the
//! lesson catalogue with its progress store. It builds the core's model from files and
//! writes what the core computed; it decides nothing about relay.

#![forbid(unsafe_code)]

pub mod error;
pub mod import;
pub mod input;
pub mod probe;
pub mod save;
pub mod scenario;
pub mod training;
