//! Errors about input the user gave us: always one paragraph naming the file and the
//! problem. The command line turns them into exit code 2, and errors writing its output
//! ([`OutputError`]) into exit code 3 ([`exit`]). Files are read by the guarded
//! reader in `crate::input`, which builds on this.

use std::fmt;
use std::path::{Path, PathBuf};

use relaycheck_core::text::{Block, Line};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    pub path: Option<PathBuf>,
    pub message: String,
}

impl InputError {
    pub fn new(path: impl AsRef<Path>, message: impl Into<String>) -> Self {
        InputError {
            path: Some(path.as_ref().to_path_buf()),
            message: message.into(),
        }
    }

    pub fn without_file(message: impl Into<String>) -> Self {
        InputError {
            path: None,
            message: message.into(),
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A path and a message quote input (a file name, a value): shown cleaned, whatever
        // built them.
        let message = Block::new(self.message.as_str());
        match &self.path {
            Some(p) => write!(f, "{}: {message}", Line::new(p.display().to_string())),
            None => write!(f, "{message}"),
        }
    }
}

impl std::error::Error for InputError {}

pub fn io_problem(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "the file does not exist".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => format!("cannot read it ({e})"),
    }
}

/// The exit codes of every command (README.md and docs/checks.md, "Exit codes").
pub mod exit {
    /// The report was printed; the verdict is PASS or WARN (or the command did its job).
    pub const OK: u8 = 0;
    /// The report was printed; the verdict is FAIL.
    pub const FAIL: u8 = 1;
    /// Unusable input or a wrong command line: nothing was printed or written.
    pub const INPUT: u8 = 2;
    /// The output could not be written (standard output or an output file: a full disk,
    /// `/dev/full`, a lost terminal). A closed pipe (`| head`) is not this: it ends quietly
    /// with the command's own code.
    pub const OUTPUT: u8 = 3;
}

/// Writing what the command made failed: where, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputError {
    /// "standard output", or the file.
    pub target: String,
    pub problem: String,
}

impl OutputError {
    pub fn new(target: impl Into<String>, problem: impl Into<String>) -> Self {
        OutputError {
            target: target.into(),
            problem: problem.into(),
        }
    }
}

impl fmt::Display for OutputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: cannot write it ({}); the output is incomplete",
            Line::new(self.target.as_str()),
            Line::new(self.problem.as_str())
        )
    }
}

impl std::error::Error for OutputError {}

/// Why a command stopped: its input (exit code 2) or its output (exit code 3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    Input(InputError),
    Output(OutputError),
}

impl Failure {
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::Input(_) => exit::INPUT,
            Failure::Output(_) => exit::OUTPUT,
        }
    }
}

impl From<InputError> for Failure {
    fn from(e: InputError) -> Self {
        Failure::Input(e)
    }
}

impl From<OutputError> for Failure {
    fn from(e: OutputError) -> Self {
        Failure::Output(e)
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Input(e) => e.fmt(f),
            Failure::Output(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for Failure {}
