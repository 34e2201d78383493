//! Where a scenario came from: the files relaycheck read for it, recorded where they are
//! read (the scenario file and the files it names by `scenario::load`; cmdlet outputs by
//! whoever reads them), so that every report can say what it was made from.

use std::path::Path;

use serde::Serialize;

use crate::text::Line;

/// One file read, and what it was read as (`scenario`, `trusted root`, `accepted domains`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InputFile {
    pub what: Line,
    /// As it was opened (relative to the working folder, or absolute), cleaned for reports.
    pub path: Line,
}

impl InputFile {
    pub fn new(what: &str, path: &Path) -> Self {
        InputFile {
            what: what.into(),
            path: path.display().to_string().into(),
        }
    }
}
