//! The one guarded way to read an input file: regular files only, never more than the cap
//! for that kind of input, so that no named pipe, device, socket, sparse or growing file can
//! block relaycheck, exhaust its memory or keep it reading for ever.
//!
//! | kind | limit | what |
//! | --- | --- | --- |
//! | [`InputKind::Scenario`] | 4 MiB | scenario and lesson files (YAML) |
//! | [`InputKind::Certificate`] | 16 MiB | certificates: PEM, DER, `.cer`, `.pfx`/`.p12`, `Get-ExchangeCertificate \| Export-Clixml` |
//! | [`InputKind::Key`] | 1 MiB | private key files (`.key`, PEM or DER) |
//! | [`InputKind::CmdletOutput`] | 64 MiB | `ConvertTo-Json` / `Export-Clixml` of the tenant cmdlets |
//! | [`InputKind::Other`] | 64 MiB | anything read through the compatibility wrapper [`read_input`] |
//!
//! `Get-AcceptedDomain | ConvertTo-Json` of a tenant at Exchange Online's maximum of 5,000
//! accepted domains is about 15 to 25 MB, well inside 64 MiB. The limits are also in
//! docs/scenario-format.md and docs/collect-data.md.
//!
//! The file type is judged from its metadata before it is opened, so a FIFO is refused
//! without blocking; on Unix the file is then opened with `O_NONBLOCK` and the opened file's
//! own metadata is checked again, which closes the race of a file swapped for a pipe in
//! between. The read itself stops one byte past the limit, whatever the metadata said.

use std::fs::{File, Metadata};
use std::io::Read;
use std::path::Path;

use crate::error::{InputError, io_problem};

const MIB: u64 = 1024 * 1024;

/// What an input file is, which decides how large it may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum InputKind {
    /// A scenario or lesson file (YAML).
    Scenario,
    /// A certificate file in any supported format, PKCS#12 and Export-Clixml included.
    Certificate,
    /// A private key file.
    Key,
    /// What a cmdlet printed: `ConvertTo-Json` or `Export-Clixml` of the tenant cmdlets.
    CmdletOutput,
    /// An input file of no particular kind (the largest limit).
    Other,
}

impl InputKind {
    /// The largest file of this kind relaycheck reads, in bytes.
    pub const fn limit(self) -> u64 {
        match self {
            InputKind::Scenario => 4 * MIB,
            InputKind::Certificate => 16 * MIB,
            InputKind::Key => MIB,
            InputKind::CmdletOutput | InputKind::Other => 64 * MIB,
        }
    }

    /// The kind in words, for messages ("a certificate file").
    pub const fn describe(self) -> &'static str {
        match self {
            InputKind::Scenario => "scenario file",
            InputKind::Certificate => "certificate file",
            InputKind::Key => "key file",
            InputKind::CmdletOutput => "cmdlet output file",
            InputKind::Other => "input file",
        }
    }
}

/// Reads a whole input file of the given kind, refusing anything that is not a regular file
/// and anything larger than the kind's [limit](InputKind::limit). Every refusal is one
/// sentence naming the file.
pub fn read_input_kind(path: &Path, kind: InputKind) -> Result<Vec<u8>, InputError> {
    let before = std::fs::metadata(path).map_err(|e| InputError::new(path, io_problem(&e)))?;
    check(path, kind, &before)?;
    let file = open(path)?;
    let opened = file
        .metadata()
        .map_err(|e| InputError::new(path, io_problem(&e)))?;
    check(path, kind, &opened)?;
    let limit = kind.limit();
    // The metadata is a hint for the buffer only: the read is capped whatever it said.
    let expected = usize::try_from(opened.len().min(limit)).unwrap_or(0);
    let mut bytes = Vec::with_capacity(expected);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| InputError::new(path, io_problem(&e)))?;
    if bytes.len() as u64 > limit {
        return Err(InputError::new(
            path,
            format!(
                "the {} grew past relaycheck's limit of {} while it was read (more than {} bytes); give a file that is not being written to",
                kind.describe(),
                mib(limit),
                relaycheck_core::text::group(limit)
            ),
        ));
    }
    Ok(bytes)
}

/// Reads a whole input file of no particular kind ([`InputKind::Other`]); kept for callers
/// that have not said what they read.
pub fn read_input(path: &Path) -> Result<Vec<u8>, InputError> {
    read_input_kind(path, InputKind::Other)
}

/// The refusal for a file that is not a regular file or is too large.
fn check(path: &Path, kind: InputKind, meta: &Metadata) -> Result<(), InputError> {
    if meta.is_dir() {
        return Err(InputError::new(path, "this is a folder, not a file"));
    }
    if !meta.is_file() {
        return Err(InputError::new(
            path,
            format!(
                "this is {}, not a regular file; relaycheck reads {}s only from regular files (a pipe or a device could block or never end: save the output to a file first)",
                special_kind(meta),
                kind.describe()
            ),
        ));
    }
    let limit = kind.limit();
    if meta.len() > limit {
        return Err(InputError::new(
            path,
            format!(
                "the {} is too large: {} bytes, and relaycheck reads at most {} ({} bytes) for a {}",
                kind.describe(),
                relaycheck_core::text::group(meta.len()),
                mib(limit),
                relaycheck_core::text::group(limit),
                kind.describe()
            ),
        ));
    }
    Ok(())
}

#[cfg(unix)]
fn special_kind(meta: &Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let t = meta.file_type();
    if t.is_fifo() {
        "a named pipe (FIFO)"
    } else if t.is_char_device() {
        "a character device"
    } else if t.is_block_device() {
        "a block device"
    } else if t.is_socket() {
        "a socket"
    } else {
        "not a regular file"
    }
}

#[cfg(not(unix))]
fn special_kind(_meta: &Metadata) -> &'static str {
    "a device or pipe"
}

/// Opens for reading without ever blocking: a FIFO that slipped past the metadata check
/// opens at once (and is refused by the second check) instead of waiting for a writer.
fn open(path: &Path) -> Result<File, InputError> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    options
        .open(path)
        .map_err(|e| InputError::new(path, io_problem(&e)))
}

/// 16777216 → "16 MiB" (limits are whole MiB).
fn mib(n: u64) -> String {
    format!("{} MiB", n / MIB)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_thousands() {
        assert_eq!(relaycheck_core::text::group(0), "0");
        assert_eq!(relaycheck_core::text::group(999), "999");
        assert_eq!(relaycheck_core::text::group(1000), "1,000");
        assert_eq!(relaycheck_core::text::group(3_221_225_472), "3,221,225,472");
    }

    #[test]
    fn reads_a_file_at_the_limit_and_refuses_one_byte_more() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("k.key");
        let limit = InputKind::Key.limit();
        std::fs::write(&p, vec![b'a'; limit as usize]).unwrap();
        assert_eq!(
            read_input_kind(&p, InputKind::Key).unwrap().len() as u64,
            limit
        );
        std::fs::write(&p, vec![b'a'; limit as usize + 1]).unwrap();
        let e = read_input_kind(&p, InputKind::Key).unwrap_err();
        assert_eq!(e.path.as_deref(), Some(p.as_path()));
        assert_eq!(
            e.message,
            "the key file is too large: 1,048,577 bytes, and relaycheck reads at most 1 MiB (1,048,576 bytes) for a key file"
        );
    }

    #[test]
    fn folders_and_missing_files_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let e = read_input_kind(dir.path(), InputKind::Scenario).unwrap_err();
        assert_eq!(e.message, "this is a folder, not a file");
        let e = read_input(&dir.path().join("nothere")).unwrap_err();
        assert_eq!(e.message, "the file does not exist");
    }

    #[cfg(unix)]
    #[test]
    fn devices_are_refused_by_type_before_reading() {
        for dev in ["/dev/zero", "/dev/null"] {
            let e = read_input_kind(Path::new(dev), InputKind::Certificate).unwrap_err();
            assert!(
                e.message
                    .starts_with("this is a character device, not a regular file"),
                "{dev}: {e}"
            );
        }
    }
}
