//! Errors about input the user gave us: always one paragraph naming the file and the
//! problem. The command line turns them into exit code 2. Files are read by the guarded
//! reader in `crate::input`, which builds on this.

use std::fmt;
use std::path::{Path, PathBuf};

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
        match &self.path {
            Some(p) => write!(f, "{}: {}", p.display(), self.message),
            None => f.write_str(&self.message),
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
