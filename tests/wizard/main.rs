//! The wizard: screens, update, PKCS#12 prompts, training, and the real binary in a pseudo-terminal.
//! One test binary (trippy's tests/sim shape): each file below is a module, so the crate is
//! linked once for all of them.

#[path = "../support/mod.rs"]
mod support;

mod classroom;
mod displays;
mod docs_keys;
mod editing;
mod keymap_modes;
mod kit;
mod layout;
mod loading;
mod numbers;
mod presenter;
mod pty;
mod summary_plan;
mod terminal;
mod themes;
mod training;
mod tui_pkcs12;
mod tui_screens;
mod tui_update;
mod widths;
mod wizard_e2e;
