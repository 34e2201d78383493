//! What `update` asks of the runtime (read a file, generate, save, copy, open a lesson,
//! record progress) and how a load can end without a result. The wizard's state holds the
//! effects it has not handed over yet, so they sit below both `update` and the runtime
//! (`loader`), which carries them out.

use std::path::PathBuf;
use std::time::Duration;

use super::form::FormPurpose;
use relaycheck_core::model::GenerateSpec;

/// What the runtime must do for `update`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Read certificates from a path as typed (`~/` is the runtime's to expand).
    LoadCertificates(PathBuf),
    /// A PKCS#12 file and its password (never shown, never logged).
    LoadPkcs12 {
        path: PathBuf,
        password: Secret,
    },
    Generate(GenerateSpec),
    Complete(String),
    Save {
        purpose: FormPurpose,
        path: PathBuf,
        overwrite: bool,
    },
    Copy(String),
    /// Open a built-in lesson by id.
    OpenLesson(String),
    /// A lesson was completed with this many hints: stamp the time, keep it, store it.
    RecordProgress {
        lesson: String,
        hints: usize,
    },
    /// Forget every lesson's progress.
    ResetProgress,
}

/// A password on its way to the PKCS#12 reader: zeroised when dropped, never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(pub zeroize::Zeroizing<String>);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(hidden)")
    }
}

/// How long the wizard waits for a file before it gives up.
pub const DEADLINE: Duration = Duration::from_secs(10);

/// Why a load ended without a result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoadFailure {
    /// [`DEADLINE`] passed.
    TimedOut,
    /// The worker ended without an answer.
    Stopped,
}
