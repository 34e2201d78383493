//! Notes on how the input was read (an assumption, a choice among candidates, input left
//! out): made by the importers, rendered by every report.

use std::fmt;

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NoteKind {
    /// Something the input did not say and relaycheck assumed.
    Assumption,
    /// A choice among several candidates.
    Choice,
    /// Input that was read but left out.
    Skipped,
}

impl NoteKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NoteKind::Assumption => "assumption",
            NoteKind::Choice => "choice",
            NoteKind::Skipped => "skipped",
        }
    }
}

/// One thing the report should say about how the input was read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    pub kind: NoteKind,
    pub text: crate::text::Line,
}

impl Note {
    pub fn new(kind: NoteKind, text: impl Into<crate::text::Line>) -> Self {
        Note {
            kind,
            text: text.into(),
        }
    }
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind.as_str(), self.text)
    }
}
