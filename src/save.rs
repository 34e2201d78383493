//! Saving files the safe way: write a temporary file beside the target, flush it to disk,
//! then move it into place. Without permission to overwrite, an existing file is never
//! replaced (the final step is a hard link, which fails when the name is taken).

use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, PartialEq, Eq)]
pub enum SaveError {
    /// The target exists and overwriting was not confirmed.
    Exists(PathBuf),
    /// The target is the file relaycheck was started with; inputs are never modified.
    IsInput(PathBuf),
    Io(PathBuf, String),
}

impl std::fmt::Display for SaveError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SaveError::Exists(p) => write!(f, "{}: the file already exists", p.display()),
            SaveError::IsInput(p) => write!(
                f,
                "{}: this is an input file; relaycheck never modifies its inputs, choose another name",
                p.display()
            ),
            SaveError::Io(p, e) => write!(f, "{}: cannot write it ({e})", p.display()),
        }
    }
}

impl std::error::Error for SaveError {}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

/// Writes `bytes` to `path` atomically. `inputs` are files that must never be replaced.
pub fn write_atomic(
    path: &Path,
    bytes: &[u8],
    overwrite: bool,
    inputs: &[PathBuf],
) -> Result<(), SaveError> {
    write_with_mode(path, bytes, overwrite, inputs, None)
}

/// Like [`write_atomic`], for secrets: the file is readable by its owner only (0600) from
/// the moment it exists, and an existing file is never replaced.
pub fn write_private(path: &Path, bytes: &[u8]) -> Result<(), SaveError> {
    write_with_mode(path, bytes, false, &[], Some(0o600))
}

fn write_with_mode(
    path: &Path,
    bytes: &[u8],
    overwrite: bool,
    inputs: &[PathBuf],
    mode: Option<u32>,
) -> Result<(), SaveError> {
    if inputs.iter().any(|i| same_file(i, path)) {
        return Err(SaveError::IsInput(path.to_path_buf()));
    }
    if !overwrite && path.exists() {
        return Err(SaveError::Exists(path.to_path_buf()));
    }
    let io = |e: std::io::Error| SaveError::Io(path.to_path_buf(), e.to_string());
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.relaycheck-{}.tmp", std::process::id()));
    let result = (|| {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        if let Some(mode) = mode {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(mode);
        }
        #[cfg(not(unix))]
        let _ = mode;
        let mut f = options.open(&tmp).map_err(io)?;
        f.write_all(bytes).map_err(io)?;
        f.sync_all().map_err(io)?;
        if overwrite {
            std::fs::rename(&tmp, path).map_err(io)
        } else {
            match std::fs::hard_link(&tmp, path) {
                Ok(()) => Ok(()),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    Err(SaveError::Exists(path.to_path_buf()))
                }
                Err(e) => Err(io(e)),
            }
        }
    })();
    let _ = std::fs::remove_file(&tmp);
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_overwrites_without_permission_and_never_an_input() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.yaml");
        write_atomic(&p, b"one", false, &[]).unwrap();
        assert_eq!(
            write_atomic(&p, b"two", false, &[]),
            Err(SaveError::Exists(p.clone()))
        );
        assert_eq!(std::fs::read(&p).unwrap(), b"one");
        write_atomic(&p, b"two", true, &[]).unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        assert_eq!(
            write_atomic(&p, b"three", true, std::slice::from_ref(&p)),
            Err(SaveError::IsInput(p.clone()))
        );
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(leftovers, 1, "no temporary file is left behind");
    }

    #[cfg(unix)]
    #[test]
    fn private_files_are_owner_only_and_never_overwritten() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("k.key");
        write_private(&p, b"secret").unwrap();
        let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        assert_eq!(
            write_private(&p, b"other"),
            Err(SaveError::Exists(p.clone()))
        );
    }
}
