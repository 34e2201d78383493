//! relaycheck: will Exchange Online relay mail from this on-premises Exchange server, and if
//! not, what exactly must change? An offline validator of the three things that decide it:
//! the certificate, the tenant's accepted domains and the inbound connector.
//!
//! The core is pure: [`validate`] turns a [`model::Scenario`] and a moment into a
//! [`report::Report`]. Files, terminals and clocks stay at the edges ([`scenario`],
//! [`import`], [`cli`], [`tui`]). The layers, bottom up (no module imports one above it):
//! `text`, `when`, `names` → `cert` → `model` → `action` → `hcw` → `facts` → `relay` →
//! `checks` → `plan` → `report`; then the edges. `tests/core/layers.rs` holds the crate to
//! this order.

pub mod action;
pub mod cert;
pub mod checks;
pub mod cli;
pub mod error;
pub mod facts;
pub mod hcw;
pub mod import;
pub mod input;
pub mod lab;
pub mod lesson;
pub mod model;
pub mod names;
pub mod plan;
pub mod relay;
pub mod report;
pub mod save;
pub mod scenario;
pub mod text;
pub mod training;
pub mod tui;
pub mod when;

pub use report::validate;
