//! relaycheck's core: will Exchange Online relay mail from this on-premises Exchange server,
//! and if not, what exactly must change? The rules of the three things that decide it (the
//! certificate, the tenant's accepted domains and the inbound connector) and of the
//! on-premises side.
//!
//! The crate is pure: [`validate`] turns a [`model::Scenario`] and a moment into a
//! [`report::Report`]. It lists no file, terminal or command-line crate in its Cargo.toml,
//! so the compiler keeps files, terminals and clocks out. The modules, bottom up (no module
//! imports one above it): `text`, `width`, `when`, `names` → `cert` → `model` → `action` → `hcw` →
//! `facts` → `relay` → `checks` → `plan` → `report` → `lesson`.

#![forbid(unsafe_code)]

pub mod action;
pub mod cert;
pub mod checks;
pub mod facts;
pub mod hcw;
pub mod lesson;
pub mod model;
pub mod names;
pub mod plan;
pub mod relay;
pub mod report;
pub mod text;
pub mod when;
pub mod width;

pub use report::validate;
