//! Certificates from what admins export: PEM, DER or Base64 `.cer` (with a `.key` beside
//! it), PKCS#12 `.pfx`/`.p12`, `Get-ExchangeCertificate | Export-Clixml`, or a folder of
//! any of these. The format is found from the bytes, never from the extension. When there
//! are several, the one the on-premises server most likely presents is chosen, and why.

use std::path::{Path, PathBuf};

use time::OffsetDateTime;
use zeroize::Zeroizing;

use super::clixml::{self, Services};
use super::pkcs12;
use super::{ImportError, Note, NoteKind};
use crate::error::InputError;
use crate::input::{InputKind, read_input_kind};
use relaycheck_core::cert::{self, CertFacts};

pub use relaycheck_core::cert::CertFormat;

/// One certificate read from the input.
#[derive(Debug, Clone)]
pub struct ImportedCertificate {
    pub path: PathBuf,
    pub format: CertFormat,
    /// Its position in a file that holds several (CLIXML objects, PKCS#12 key entries).
    pub position: Option<usize>,
    /// The certificate alone (DER), kept for PKCS#12 and CLIXML so that it can be written
    /// out where a scenario file can point at it. Never the key.
    pub der: Option<Vec<u8>>,
    pub facts: CertFacts,
    /// Exchange's `Services` (CLIXML only).
    pub services: Option<Services>,
    /// The rest of what an Exchange export says beside it (CLIXML only).
    pub exchange: ExchangeDetails,
}

/// What `Get-ExchangeCertificate` says beside the certificate itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExchangeDetails {
    /// `SERVER\THUMBPRINT`: which server the certificate is installed on.
    pub identity: Option<String>,
    pub has_private_key: Option<bool>,
}

impl ImportedCertificate {
    /// The certificate and its chain as PEM, when its DER was kept (never the key).
    pub fn pem(&self) -> Option<String> {
        self.der.as_ref().map(|_| self.facts.pem_bundle())
    }

    /// How to name it in messages: the file, with its position when the file holds several.
    pub fn label(&self) -> String {
        match self.position {
            Some(i) => format!("{} [{i}]", self.path.display()),
            None => self.path.display().to_string(),
        }
    }
}

/// A certificate as a PEM block.
pub fn pem(der: &[u8]) -> String {
    relaycheck_core::cert::pem_block(der)
}

/// File extensions a folder is searched for.
const CERT_EXTENSIONS: &[&str] = &["cer", "crt", "pem", "der", "pfx", "p12", "xml"];

/// Certificate files read from one folder (each at most [`InputKind::Certificate`]'s limit).
pub const MAX_FOLDER_FILES: usize = 1000;

/// Reads a certificate file or a folder of them.
pub fn load(
    path: &Path,
    password: Option<&Zeroizing<String>>,
    notes: &mut Vec<Note>,
) -> Result<Vec<ImportedCertificate>, ImportError> {
    if path.is_dir() {
        return load_folder(path, password, notes);
    }
    load_file(path, password)
}

fn load_folder(
    dir: &Path,
    password: Option<&Zeroizing<String>>,
    notes: &mut Vec<Note>,
) -> Result<Vec<ImportedCertificate>, ImportError> {
    let (files, ignored) = folder_files(dir)?;
    if files.len() > MAX_FOLDER_FILES {
        return Err(InputError::new(
            dir,
            format!(
                "the folder holds {} certificate files; relaycheck reads at most {} from one folder (give the file, or a folder with the server's certificates only)",
                relaycheck_core::text::group(files.len() as u64),
                relaycheck_core::text::group(MAX_FOLDER_FILES as u64)
            ),
        )
        .into());
    }
    if let Some(note) = skipped_note(dir, ignored) {
        notes.push(note);
    }
    let mut out = Vec::new();
    for f in files {
        out.extend(load_file(&f, password)?);
    }
    Ok(out)
}

/// The certificate files of a folder (not of its subfolders) by their extensions, sorted,
/// and the names of the other files (`.key` files are read with their certificate and are
/// in neither). A folder without certificate files is an error.
pub fn folder_files(dir: &Path) -> Result<(Vec<PathBuf>, Vec<String>), InputError> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| InputError::new(dir, crate::error::io_problem(&e)))?;
    let mut files: Vec<PathBuf> = Vec::new();
    let mut ignored: Vec<String> = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| InputError::new(dir, crate::error::io_problem(&e)))?;
        let p = entry.path();
        if !p.is_file() {
            continue;
        }
        let ext = p
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some(e) if CERT_EXTENSIONS.contains(&e) => files.push(p),
            // Keys are read with the certificate of the same name.
            Some("key") => {}
            _ => ignored.push(entry.file_name().to_string_lossy().into_owned()),
        }
    }
    if files.is_empty() {
        return Err(InputError::new(
            dir,
            format!(
                "the folder holds no certificate files (looked for .{})",
                CERT_EXTENSIONS.join(", .")
            ),
        ));
    }
    files.sort();
    ignored.sort();
    Ok((files, ignored))
}

/// The note that says which files of a folder were not read (none when all were).
pub fn skipped_note(dir: &Path, ignored: Vec<String>) -> Option<Note> {
    if ignored.is_empty() {
        return None;
    }
    Some(Note::new(
        NoteKind::Skipped,
        format!(
            "In {}, these files are not certificates by their names and were not read: {}.",
            dir.display(),
            relaycheck_core::text::list(&ignored, 20)
        ),
    ))
}

/// Every certificate of one file, for listing a store, handed to `each` one at a time: as
/// [`load_file`] reads it, except that a PEM bundle of several leaves gives each leaf (see
/// [`cert::load_each`]). A file that cannot be read at all gives one `Err`; a bundle can
/// give certificates and errors.
pub fn list_file(
    path: &Path,
    password: Option<&Zeroizing<String>>,
    mut each: impl FnMut(Result<ImportedCertificate, ImportError>),
) {
    let bytes = match read_input_kind(path, InputKind::Certificate) {
        Ok(b) => b,
        Err(e) => return each(Err(e.into())),
    };
    if pkcs12::is_pkcs12(&bytes)
        || relaycheck_core::text::decode(&bytes).is_some_and(|t| clixml::is_clixml(&t))
    {
        match load_bytes(path, &bytes, password) {
            Ok(items) => items.into_iter().for_each(|c| each(Ok(c))),
            Err(e) => each(Err(e)),
        }
        return;
    }
    let key = match sibling_key(path, None) {
        Ok(k) => k,
        Err(e) => return each(Err(e.into())),
    };
    let label = path.display().to_string();
    cert::load_each(&label, &bytes, key.as_deref(), |position, facts| {
        each(match facts {
            Ok(facts) => Ok(ImportedCertificate {
                path: path.to_path_buf(),
                format: CertFormat::X509,
                position,
                der: None,
                facts,
                services: None,
                exchange: ExchangeDetails::default(),
            }),
            Err(e) => {
                let at = position.map(|i| format!("[{i}]: ")).unwrap_or_default();
                Err(InputError::new(path, format!("{at}{}", e.0)).into())
            }
        })
    });
}

/// Reads one file of any supported certificate format.
pub fn load_file(
    path: &Path,
    password: Option<&Zeroizing<String>>,
) -> Result<Vec<ImportedCertificate>, ImportError> {
    let bytes = read_input_kind(path, InputKind::Certificate)?;
    load_bytes(path, &bytes, password)
}

/// [`load_file`] for the bytes already read from `path`.
pub fn load_bytes(
    path: &Path,
    bytes: &[u8],
    password: Option<&Zeroizing<String>>,
) -> Result<Vec<ImportedCertificate>, ImportError> {
    if pkcs12::is_pkcs12(bytes) {
        return load_pkcs12(path, bytes, password);
    }
    if let Some(text) = relaycheck_core::text::decode(bytes).filter(|t| clixml::is_clixml(t)) {
        return load_clixml(path, &text).map_err(ImportError::from);
    }
    let facts = load_certificate_bytes(path, bytes, None)?;
    Ok(vec![ImportedCertificate {
        path: path.to_path_buf(),
        format: CertFormat::X509,
        position: None,
        der: None,
        facts,
        services: None,
        exchange: ExchangeDetails::default(),
    }])
}

fn load_pkcs12(
    path: &Path,
    bytes: &[u8],
    password: Option<&Zeroizing<String>>,
) -> Result<Vec<ImportedCertificate>, ImportError> {
    let entries = pkcs12::read(bytes, password.map(|p| p.as_str())).map_err(|p| match p {
        pkcs12::Problem::PasswordNeeded => ImportError::PasswordNeeded {
            path: path.to_path_buf(),
        },
        pkcs12::Problem::WrongPassword | pkcs12::Problem::WrongPasswordOrDamaged => {
            ImportError::WrongPassword(InputError::new(path, p.sentence()))
        }
        other => ImportError::Input(InputError::new(path, other.sentence())),
    })?;
    if entries.is_empty() {
        return Err(InputError::new(path, "the PKCS#12 file holds no certificate").into());
    }
    let several = entries.len() > 1;
    let mut out = Vec::with_capacity(entries.len());
    for (i, entry) in entries.into_iter().enumerate() {
        let mut bundle = pem(&entry.leaf);
        for c in &entry.chain {
            bundle.push_str(&pem(c));
        }
        let label = path.display().to_string();
        let key: Option<&[u8]> = entry.key.as_ref().map(|k| k.as_slice());
        let facts = cert::load(&label, bundle.as_bytes(), key).map_err(|e| {
            InputError::new(
                path,
                format!("the certificate inside the PKCS#12 file: {e}"),
            )
        })?;
        out.push(ImportedCertificate {
            path: path.to_path_buf(),
            format: CertFormat::Pkcs12,
            position: several.then_some(i),
            der: Some(entry.leaf),
            facts,
            services: None,
            exchange: ExchangeDetails::default(),
        });
    }
    Ok(out)
}

fn load_clixml(path: &Path, text: &str) -> Result<Vec<ImportedCertificate>, InputError> {
    let certs = clixml::certificates(path, text)?;
    let mut out = Vec::with_capacity(certs.len());
    for c in certs {
        let label = format!("{} [{}]", path.display(), c.index);
        let facts = cert::load(&label, &c.der, None)
            .map_err(|e| InputError::new(path, format!("[{}].RawData: {e}", c.index)))?;
        out.push(ImportedCertificate {
            path: path.to_path_buf(),
            format: CertFormat::Clixml,
            position: Some(c.index),
            der: Some(c.der),
            facts,
            services: c.services,
            exchange: ExchangeDetails {
                identity: c.identity,
                has_private_key: c.has_private_key,
            },
        });
    }
    Ok(out)
}

/// The certificate the on-premises server most likely presents: issued by a CA (HCW lists
/// only those, so the self-signed auth certificate never wins), assigned to SMTP (when the
/// export says), valid now, with a DNS name, holding its private key, expiring last. Ties keep file order. Returns the index and,
/// when there was a choice, a note that says why.
pub fn choose(certs: &[ImportedCertificate], now: OffsetDateTime) -> (usize, Option<Note>) {
    if certs.len() <= 1 {
        return (0, None);
    }
    let score = |c: &ImportedCertificate| {
        (
            !c.facts.self_signed,
            c.services.is_some_and(Services::smtp),
            c.facts.is_within_validity(now),
            !c.facts.dns_names().is_empty(),
            c.facts.private_key == cert::PrivateKeyStatus::Matches,
            c.facts.not_after,
        )
    };
    let mut best = 0;
    for (i, c) in certs.iter().enumerate().skip(1) {
        if score(c) > score(&certs[best]) {
            best = i;
        }
    }
    let c = &certs[best];
    let mut reasons: Vec<&str> = Vec::new();
    if !c.facts.self_signed {
        reasons.push("a CA issued it");
    }
    if c.services.is_some_and(Services::smtp) {
        reasons.push("it is assigned to SMTP");
    }
    if c.facts.is_within_validity(now) {
        reasons.push("it is valid now");
    }
    let why = if reasons.is_empty() {
        "none of them is assigned to SMTP, CA-issued and valid".to_string()
    } else {
        relaycheck_core::text::join_words(
            &reasons.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
        )
    };
    let note = Note::new(
        NoteKind::Choice,
        format!(
            "Of {} certificates, {} (thumbprint {}, from {}) was taken as the one the on-premises server presents: {why}. Choose another in the wizard's Certificate step.",
            certs.len(),
            c.facts.display_name(),
            c.facts.thumbprint,
            c.label()
        ),
    );
    (best, Some(note))
}
/// Loads one certificate file, with its key from `key_path`, or from a `.key` file of the
/// same name beside it when there is one.
pub fn load_certificate_file(
    cert_path: &Path,
    key_path: Option<&Path>,
) -> Result<cert::CertFacts, InputError> {
    let bytes = read_input_kind(cert_path, InputKind::Certificate)?;
    load_certificate_bytes(cert_path, &bytes, key_path)
}

/// [`load_certificate_file`] for a certificate already read from `cert_path`.
pub fn load_certificate_bytes(
    cert_path: &Path,
    bytes: &[u8],
    key_path: Option<&Path>,
) -> Result<cert::CertFacts, InputError> {
    let key_bytes = sibling_key(cert_path, key_path)?;
    let label = cert_path.display().to_string();
    cert::load(&label, bytes, key_bytes.as_deref()).map_err(|e| InputError::new(cert_path, e.0))
}

/// The key for a certificate file: `key_path`, else a `.key` file of the same name beside it.
fn sibling_key(cert_path: &Path, key_path: Option<&Path>) -> Result<Option<Vec<u8>>, InputError> {
    let sibling: Option<PathBuf> = match key_path {
        Some(_) => None,
        None => Some(cert_path.with_extension("key")).filter(|p| p.is_file() && p != cert_path),
    };
    match key_path.or(sibling.as_deref()) {
        Some(k) => read_input_kind(k, InputKind::Key).map(Some),
        None => Ok(None),
    }
}
