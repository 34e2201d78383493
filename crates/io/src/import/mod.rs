//! Real tenant data in: what the admin's own cmdlets print (`ConvertTo-Json` of
//! Get-AcceptedDomain, Get-MgDomain, Get-InboundConnector, Get-OutboundConnector;
//! `Export-Clixml` of Get-ExchangeCertificate and Get-AcceptedDomain) and exported
//! certificates (PEM, DER, `.pfx`, a folder of them), laid over a scenario.
//!
//! Two steps keep files and the model apart: [`load`] reads the files named by the command
//! line's [`Overrides`] into [`TenantData`]; [`apply`] lays that data over a [`Scenario`]
//! (flags win over the scenario's values). What had to be assumed or chosen on the way is
//! kept as [`Note`]s for the report. Nothing here connects anywhere or runs anything.

pub mod certs;
pub mod clixml;
pub mod domains;
pub mod json;
mod nrbf;
pub mod onprem;
pub mod orgconfig;
pub mod pkcs12;

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use time::OffsetDateTime;
use zeroize::Zeroizing;

pub use certs::{CertFormat, ImportedCertificate};
pub use clixml::Services;
pub use domains::DomainVerification;
pub use relaycheck_core::model::{Note, NoteKind};

use crate::error::InputError;
use crate::input::{InputKind, read_input_kind};
use relaycheck_core::model::{
    AcceptedDomain, CertificateEntry, CertificateSource, InboundConnector, Scenario,
};
use relaycheck_core::names::DnsName;

/// For the fuzz targets (`fuzz/`) only: the private NRBF reader on any bytes; `true` when
/// it read a stream. Not part of the API.
#[doc(hidden)]
pub fn fuzz_nrbf(bytes: &[u8]) -> bool {
    nrbf::parse(bytes).is_ok()
}

/// The files (and the one name) given on the command line; each replaces that part of the
/// scenario.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overrides {
    /// `--certificate`: a certificate file (PEM, DER, `.cer`, `.pfx`/`.p12`, Export-Clixml)
    /// or a folder of them.
    pub certificate: Option<PathBuf>,
    /// `--accepted-domains`: `Get-AcceptedDomain | ConvertTo-Json` (or `Export-Clixml`).
    pub accepted_domains: Option<PathBuf>,
    /// `--domain-status`: `Get-MgDomain | ConvertTo-Json`.
    pub domain_status: Option<PathBuf>,
    /// `--inbound-connectors`: `Get-InboundConnector | ConvertTo-Json`.
    pub inbound_connectors: Option<PathBuf>,
    /// `--outbound-connectors`: `Get-OutboundConnector | ConvertTo-Json`.
    pub outbound_connectors: Option<PathBuf>,
    /// `--organization-fqdn`: wins over the outbound connectors.
    pub organization_fqdn: Option<String>,
    /// `--send-connectors`: `Get-SendConnector | ConvertTo-Json` (or `Export-Clixml`).
    pub send_connectors: Option<PathBuf>,
    /// `--receive-connectors`: `Get-ReceiveConnector | ConvertTo-Json` (or `Export-Clixml`).
    pub receive_connectors: Option<PathBuf>,
    /// `--hybrid-configuration`: `Get-HybridConfiguration | ConvertTo-Json` (or `Export-Clixml`).
    pub hybrid_configuration: Option<PathBuf>,
    /// `--organization-config`: `Get-OrganizationConfig | ConvertTo-Json` (Exchange Online;
    /// RejectDirectSend).
    pub organization_config: Option<PathBuf>,
    /// `--from`: the collector's folder; each file in it fills what no flag gave.
    pub from: Option<PathBuf>,
}

impl Overrides {
    pub fn is_empty(&self) -> bool {
        *self == Overrides::default()
    }
}

/// Why loading stopped. The two password cases let the wizard ask (again) and retry; the
/// command line turns every case into an [`InputError`] (exit code 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportError {
    /// A PKCS#12 file is password-protected and no password was given.
    PasswordNeeded {
        path: PathBuf,
    },
    /// The password given does not open the PKCS#12 file.
    WrongPassword(InputError),
    Input(InputError),
}

impl From<InputError> for ImportError {
    fn from(e: InputError) -> Self {
        ImportError::Input(e)
    }
}

impl From<ImportError> for InputError {
    fn from(e: ImportError) -> Self {
        match e {
            ImportError::PasswordNeeded { path } => {
                InputError::new(&path, pkcs12::Problem::PasswordNeeded.sentence())
            }
            ImportError::WrongPassword(e) | ImportError::Input(e) => e,
        }
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        InputError::from(self.clone()).fmt(f)
    }
}

impl std::error::Error for ImportError {}

/// Reads `--password-env VAR`: the password in the environment variable VAR. The value is
/// never part of an error.
pub fn password_from_env(var: &str) -> Result<Zeroizing<String>, InputError> {
    match std::env::var(var) {
        Ok(p) => Ok(Zeroizing::new(p)),
        Err(std::env::VarError::NotPresent) => Err(InputError::without_file(format!(
            "--password-env {var}: the environment variable {var} is not set"
        ))),
        Err(std::env::VarError::NotUnicode(_)) => Err(InputError::without_file(format!(
            "--password-env {var}: the environment variable {var} is not valid text"
        ))),
    }
}

/// The chosen certificates of the input, and which one the server presents.
#[derive(Debug, Clone)]
pub struct Certificates {
    pub items: Vec<ImportedCertificate>,
    pub selected: usize,
}

/// Everything read from the files. `None` means "not given": the scenario's value stays.
#[derive(Debug, Clone, Default)]
pub struct TenantData {
    pub certificates: Option<Certificates>,
    pub accepted_domains: Option<Vec<AcceptedDomain>>,
    pub domain_status: Option<Vec<DomainVerification>>,
    pub inbound_connectors: Option<Vec<InboundConnector>>,
    /// From `--organization-fqdn`, else from the outbound connectors.
    pub organization_fqdn: Option<DnsName>,
    /// How the input was read: assumptions, choices, what was left out.
    pub notes: Vec<Note>,
    /// Each file read and what it was read as, for report headers.
    pub inputs: Vec<(&'static str, PathBuf)>,
    /// Send and receive connectors, and each server's certificates.
    pub onprem: onprem::OnPremData,
    /// `Get-OrganizationConfig`'s RejectDirectSend; `None`: not given.
    pub reject_direct_send: Option<bool>,
}

impl TenantData {
    /// One line per input, for the header of a report or script (`accepted domains: ad.json`).
    pub fn input_lines(&self) -> Vec<String> {
        self.inputs
            .iter()
            .map(|(what, path)| format!("{what}: {}", path.display()))
            .collect()
    }
}

fn read_text(path: &Path) -> Result<String, InputError> {
    let bytes = read_input_kind(path, InputKind::CmdletOutput)?;
    relaycheck_core::text::decode(&bytes).ok_or_else(|| {
        InputError::new(
            path,
            "the file is not text (expected UTF-8 or UTF-16, as PowerShell's > and Out-File write)",
        )
    })
}

/// Reads every file the overrides name. `password` opens PKCS#12 files (all of them, in a
/// folder); `now` decides which certificate counts as valid when several are offered.
pub fn load(
    overrides: &Overrides,
    password: Option<&Zeroizing<String>>,
    now: OffsetDateTime,
) -> Result<TenantData, ImportError> {
    let mut data = TenantData::default();
    let from_folder;
    let overrides = match &overrides.from {
        Some(dir) => {
            let (filled, note) = onprem::from_folder(dir, overrides)?;
            data.notes.push(note);
            from_folder = filled;
            &from_folder
        }
        None => overrides,
    };
    if let Some(path) = &overrides.certificate {
        let mut items = certs::load(path, password, &mut data.notes)?;
        onprem::inventory(&mut items, &mut data);
        let (selected, note) = certs::choose(&items, now);
        data.notes.extend(note);
        data.certificates = Some(Certificates { items, selected });
        data.inputs.push(("certificate", path.clone()));
    }
    if let Some(path) = &overrides.accepted_domains {
        let text = read_text(path)?;
        let rows = if clixml::is_clixml(&text) {
            clixml::accepted_domains(path, &text)?
        } else {
            json::accepted_domains(path, &text)?
        };
        data.accepted_domains = Some(domains::to_accepted(path, rows, &mut data.notes)?);
        data.inputs.push(("accepted domains", path.clone()));
    }
    if let Some(path) = &overrides.domain_status {
        let text = read_text(path)?;
        data.domain_status = Some(json::domain_status(path, &text)?);
        data.inputs.push(("domain status", path.clone()));
    }
    if let Some(path) = &overrides.inbound_connectors {
        let text = read_text(path)?;
        data.inbound_connectors = Some(json::inbound_connectors(path, &text, &mut data.notes)?);
        data.inputs.push(("inbound connectors", path.clone()));
    }
    if let Some(name) = &overrides.organization_fqdn {
        let fqdn = domains::domain_name(name)
            .map_err(|e| InputError::without_file(format!("--organization-fqdn: {e}")))?;
        data.organization_fqdn = Some(fqdn);
    }
    if let Some(path) = &overrides.outbound_connectors {
        let text = read_text(path)?;
        let connectors = json::outbound_connectors(path, &text)?;
        data.inputs.push(("outbound connectors", path.clone()));
        if data.organization_fqdn.is_none() {
            data.organization_fqdn = json::organization_fqdn(path, &connectors, &mut data.notes);
        }
    }
    if let Some(path) = &overrides.organization_config {
        let text = read_text(path)?;
        let config = orgconfig::organization_config(path, &text)?;
        data.inputs.push(("organization config", path.clone()));
        match config.reject_direct_send {
            Some(v) => data.reject_direct_send = Some(v),
            None => data.notes.push(Note::new(
                NoteKind::Assumption,
                format!(
                    "{} has no RejectDirectSend: the scenario's value stays (false unless it says otherwise).",
                    path.display()
                ),
            )),
        }
    }
    onprem::load(overrides, &mut data)?;
    Ok(data)
}

/// Lays the data over the scenario: every part that was given replaces the scenario's,
/// and `Get-MgDomain` sets `verified` on the accepted domains by name. Returns all notes:
/// the loader's and the merge's (an assumed verification status, names that did not match).
pub fn apply(scenario: &mut Scenario, data: &TenantData) -> Vec<Note> {
    let mut notes = data.notes.clone();
    // Every report says what it was made from: the cmdlet outputs and certificates read.
    for (what, path) in &data.inputs {
        let file = relaycheck_core::model::InputFile::new(what, path);
        if !scenario.inputs.contains(&file) {
            scenario.inputs.push(file);
        }
    }
    if let Some(certs) = &data.certificates {
        scenario.certificates = certs
            .items
            .iter()
            .map(|c| CertificateEntry {
                source: CertificateSource::File {
                    path: absolute(&c.path),
                    key: None,
                    password_env: None,
                },
                facts: Arc::new(c.facts.clone()),
            })
            .collect();
        scenario.selected_certificate = if certs.items.is_empty() {
            None
        } else {
            Some(certs.selected.min(certs.items.len() - 1))
        };
    }
    if let Some(domains) = &data.accepted_domains {
        scenario.tenant.set_domains(domains.clone());
    }
    match &data.domain_status {
        Some(status) => merge_status(scenario, status, &mut notes),
        None if data.accepted_domains.is_some() => {
            let n = scenario.tenant.len();
            notes.push(Note::new(
                NoteKind::Assumption,
                format!(
                    "Verification status was not given (--domain-status, from Get-MgDomain): all {n} accepted domain{} were assumed verified.",
                    if n == 1 { "" } else { "s" }
                ),
            ));
        }
        None => {}
    }
    if let Some(connectors) = &data.inbound_connectors {
        scenario.inbound_connectors = connectors.clone();
    }
    if let Some(fqdn) = &data.organization_fqdn {
        scenario.on_premises.organization_fqdn = Some(fqdn.clone());
    }
    if let Some(v) = data.reject_direct_send {
        scenario.tenant.reject_direct_send = v;
    }
    onprem::apply(scenario, &data.onprem, &mut notes);
    notes
}

/// How many domains a note lists before it says how many more there are.
const LISTED: usize = 20;

fn merge_status(scenario: &mut Scenario, status: &[DomainVerification], notes: &mut Vec<Note>) {
    // The first row of a domain counts, as Get-MgDomain lists each domain once.
    let mut by_name: HashMap<&str, bool> = HashMap::with_capacity(status.len());
    for s in status {
        by_name.entry(s.domain.as_str()).or_insert(s.verified);
    }
    let mut not_listed: Vec<String> = Vec::new();
    scenario
        .tenant
        .update_all(|d| match by_name.get(d.domain.as_str()) {
            Some(&v) => d.verified = v,
            None => not_listed.push(d.domain.to_string()),
        });
    let names: Vec<String> = scenario
        .tenant
        .accepted_domains()
        .iter()
        .map(|d| d.domain.to_string())
        .collect();
    if !not_listed.is_empty() {
        notes.push(Note::new(
            NoteKind::Assumption,
            format!(
                "Not in the domain status file, so their verification status was not changed (verified, unless the scenario said otherwise): {}.",
                relaycheck_core::text::list(&not_listed, LISTED)
            ),
        ));
    }
    let accepted: HashSet<&str> = names.iter().map(String::as_str).collect();
    let unknown: Vec<String> = status
        .iter()
        .filter(|s| !accepted.contains(s.domain.as_str()))
        .map(|s| s.domain.to_string())
        .collect();
    if !unknown.is_empty() {
        notes.push(Note::new(
            NoteKind::Skipped,
            format!(
                "In the domain status file but not an accepted domain, so not counted: {}.",
                relaycheck_core::text::list(&unknown, LISTED)
            ),
        ));
    }
}

fn absolute(path: &Path) -> String {
    path.canonicalize()
        .unwrap_or_else(|_| path.to_path_buf())
        .to_string_lossy()
        .into_owned()
}

/// Makes the scenario savable: every certificate read from a PKCS#12 or Export-Clixml file
/// (which a scenario file cannot point at) is written to `dir` as `<thumbprint>.cer` (PEM,
/// the certificate only: never a private key) and the scenario points at that file instead,
/// by a path relative to `dir`. Files are written atomically and never replaced: a file of
/// that name with exactly these bytes (an earlier export) is kept, a different one, or a
/// symbolic link, is an error naming it. Returns the files written or kept. Call it before
/// saving or exporting a scenario built with [`apply`].
pub fn write_certificates(
    scenario: &mut Scenario,
    data: &TenantData,
    dir: &Path,
) -> Result<Vec<PathBuf>, InputError> {
    let Some(certs) = &data.certificates else {
        return Ok(Vec::new());
    };
    let mut written = Vec::new();
    for entry in &mut scenario.certificates {
        let Some(imported) = certs
            .items
            .iter()
            .find(|c| c.facts.thumbprint == entry.facts.thumbprint && c.der.is_some())
        else {
            continue;
        };
        let Some(pem) = imported.pem() else { continue };
        let name = format!("{}.cer", entry.facts.thumbprint);
        let target = dir.join(&name);
        write_certificate(&target, pem.as_bytes())?;
        entry.source = CertificateSource::File {
            path: name,
            key: None,
            password_env: None,
        };
        if !written.contains(&target) {
            written.push(target);
        }
    }
    Ok(written)
}

/// Writes one certificate for [`write_certificates`], keeping an identical file.
fn write_certificate(target: &Path, pem: &[u8]) -> Result<(), InputError> {
    match crate::save::write_atomic(target, pem, false, &[]) {
        Ok(()) => Ok(()),
        Err(crate::save::SaveError::Exists(_)) => {
            let existing = read_input_kind(target, InputKind::Certificate)?;
            if existing == pem {
                Ok(())
            } else {
                Err(InputError::new(
                    target,
                    "a different file already has this name; relaycheck never overwrites: move it away or export to another folder",
                ))
            }
        }
        Err(e) => Err(InputError::without_file(e.to_string())),
    }
}
