//! Saving files the safe way: a temporary file beside the target (tempfile's
//! `NamedTempFile`, created exclusively with its final permissions), written and flushed to
//! disk, then moved into place in one step.
//!
//! - Without permission to overwrite, the move is `persist_noclobber`: it fails when the name
//!   is taken, even when it was taken a moment before, so an existing file is never replaced.
//! - A symbolic link at the target is never followed, and never replaced either, with or
//!   without permission to overwrite: writing through it would change a file the user did not
//!   name, and silently removing a link they made is no better. It is refused
//!   ([`SaveError::Symlink`]); the user removes the link or picks another name.
//! - With permission to overwrite, only a regular file is replaced, by a rename: the name is
//!   replaced, nothing is ever written through it (a link that appears between the check and
//!   the rename is itself replaced, its target untouched).
//! - A file relaycheck was started with is never a target ([`SaveError::IsInput`]).

use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, PartialEq, Eq)]
pub enum SaveError {
    /// The target exists and overwriting was not confirmed.
    Exists(PathBuf),
    /// The target is the file relaycheck was started with; inputs are never modified.
    IsInput(PathBuf),
    /// The target is a symbolic link: relaycheck neither writes through nor replaces it.
    Symlink(PathBuf),
    /// The target exists and is not a regular file (a folder, a pipe, a device).
    NotAFile(PathBuf),
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
            SaveError::Symlink(p) => write!(
                f,
                "{}: this is a symbolic link; relaycheck never writes through a link or replaces it, choose another name",
                p.display()
            ),
            SaveError::NotAFile(p) => write!(
                f,
                "{}: this is not a regular file (a folder, pipe or device); choose another name",
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
/// With `overwrite`, an existing regular file is replaced; a symbolic link never is.
pub fn write_atomic(
    path: &Path,
    bytes: &[u8],
    overwrite: bool,
    inputs: &[PathBuf],
) -> Result<(), SaveError> {
    write_with_mode(path, bytes, overwrite, inputs, 0o666)
}

/// Like [`write_atomic`], for secrets: the file is readable by its owner only (0600) from
/// the moment it exists, and an existing file is never replaced.
pub fn write_private(path: &Path, bytes: &[u8]) -> Result<(), SaveError> {
    write_with_mode(path, bytes, false, &[], 0o600)
}

/// What is at the target now, as far as saving is concerned.
fn check_target(path: &Path, overwrite: bool) -> Result<(), SaveError> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => Err(SaveError::Symlink(path.to_path_buf())),
        Ok(m) if !m.is_file() => Err(SaveError::NotAFile(path.to_path_buf())),
        Ok(_) if !overwrite => Err(SaveError::Exists(path.to_path_buf())),
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(SaveError::Io(path.to_path_buf(), e.to_string())),
    }
}

/// `mode` is the Unix permission the file is created with (before the umask).
fn write_with_mode(
    path: &Path,
    bytes: &[u8],
    overwrite: bool,
    inputs: &[PathBuf],
    mode: u32,
) -> Result<(), SaveError> {
    // A link first: `same_file` would follow it.
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(SaveError::Symlink(path.to_path_buf()));
    }
    if inputs.iter().any(|i| same_file(i, path)) {
        return Err(SaveError::IsInput(path.to_path_buf()));
    }
    check_target(path, overwrite)?;
    let io = |e: std::io::Error| SaveError::Io(path.to_path_buf(), e.to_string());
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".relaycheck-").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(mode));
    }
    #[cfg(not(unix))]
    let _ = mode;
    // Removed again when dropped, on every error path.
    let mut tmp = builder.tempfile_in(&dir).map_err(io)?;
    tmp.write_all(bytes).map_err(io)?;
    tmp.as_file().sync_all().map_err(io)?;
    let persisted = if overwrite {
        tmp.persist(path)
    } else {
        tmp.persist_noclobber(path)
    };
    match persisted {
        Ok(_) => Ok(()),
        // Taken since the check: say by what.
        Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => {
            Err(check_target(path, false)
                .err()
                .unwrap_or(SaveError::Exists(path.to_path_buf())))
        }
        Err(e) => Err(io(e.error)),
    }
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
    fn a_symlink_is_never_followed_nor_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("precious.txt");
        std::fs::write(&target, b"keep me").unwrap();
        let link = dir.path().join("out.yaml");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        for overwrite in [false, true] {
            assert_eq!(
                write_atomic(&link, b"new", overwrite, &[]),
                Err(SaveError::Symlink(link.clone()))
            );
        }
        assert_eq!(
            write_private(&link, b"new"),
            Err(SaveError::Symlink(link.clone()))
        );
        assert_eq!(std::fs::read(&target).unwrap(), b"keep me");
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        // A dangling link too: creating its target would be writing through it.
        let dangling = dir.path().join("dangling.yaml");
        std::os::unix::fs::symlink(dir.path().join("nowhere"), &dangling).unwrap();
        assert_eq!(
            write_atomic(&dangling, b"new", false, &[]),
            Err(SaveError::Symlink(dangling.clone()))
        );
        assert!(!dir.path().join("nowhere").exists());
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            3,
            "no temporary file left"
        );
    }

    #[test]
    fn a_folder_is_not_a_target() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("sub");
        std::fs::create_dir(&sub).unwrap();
        assert_eq!(
            write_atomic(&sub, b"x", true, &[]),
            Err(SaveError::NotAFile(sub.clone()))
        );
    }

    #[cfg(unix)]
    #[test]
    fn ordinary_files_get_the_usual_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.yaml");
        write_atomic(&p, b"x", false, &[]).unwrap();
        let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        // 0666 less the umask: never narrower than the owner's read and write.
        assert_eq!(mode & 0o600, 0o600, "{mode:o}");
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
