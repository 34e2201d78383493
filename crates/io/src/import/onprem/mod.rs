//! The on-premises side in: `Get-SendConnector` and `Get-ReceiveConnector` output
//! (`ConvertTo-Json` in every shape the other readers accept, or `Export-Clixml`), the
//! per-server inventory of a `Get-ExchangeCertificate -Server …` export (its `Identity` is
//! `SERVER\THUMBPRINT`), and the collector's folder (`--from DIR`, see [`LAYOUT`]).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::certs::ImportedCertificate;
use super::{ImportError, Note, NoteKind, Overrides, TenantData};
use crate::error::InputError;
use relaycheck_core::model::onprem::{identity_server, same_server};
use relaycheck_core::model::{
    ReceiveConnector, Scenario, SendConnector, ServerCertificate, TransportServer,
};

mod read;

pub use read::{hybrid_configuration, receive_connectors, send_connectors};
pub(in crate::import) use read::{objects, wrong_cmdlet};

/// What the on-premises files gave; `None`: not given, the scenario's value stays.
#[derive(Debug, Clone, Default)]
pub struct OnPremData {
    pub send_connectors: Option<Vec<SendConnector>>,
    pub receive_connectors: Option<Vec<ReceiveConnector>>,
    /// From a certificate export whose `Identity` names servers.
    pub servers: Option<Vec<TransportServer>>,
    /// `Get-HybridConfiguration`.
    pub hybrid: Option<HybridConfiguration>,
}

/// What `Get-HybridConfiguration` (on premises) says about mail: the organisation FQDN HCW
/// configured, the certificate it chose and the servers it set up.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HybridConfiguration {
    pub on_premises_smart_host: Option<String>,
    pub tls_certificate_name: Option<String>,
    pub sending_transport_servers: Vec<String>,
    pub receiving_transport_servers: Vec<String>,
}

/// One input of the collector's folder: the files that may hold it (the first found is
/// read) and the command-line flag it stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LayoutEntry {
    pub flag: &'static str,
    pub files: &'static [&'static str],
}

/// The folder `Collect-RelayCheckData.ps1` writes and `--from DIR` reads.
pub const LAYOUT: &[LayoutEntry] = &[
    LayoutEntry {
        flag: "--accepted-domains",
        files: &["accepted-domains.json", "accepted-domains.xml"],
    },
    LayoutEntry {
        flag: "--domain-status",
        files: &["domain-status.json"],
    },
    LayoutEntry {
        flag: "--inbound-connectors",
        files: &["inbound-connectors.json"],
    },
    LayoutEntry {
        flag: "--outbound-connectors",
        files: &["outbound-connectors.json"],
    },
    LayoutEntry {
        flag: "--send-connectors",
        files: &["send-connectors.json", "send-connectors.xml"],
    },
    LayoutEntry {
        flag: "--receive-connectors",
        files: &["receive-connectors.json", "receive-connectors.xml"],
    },
    LayoutEntry {
        flag: "--certificate",
        files: &["exchange-certificates.xml"],
    },
    LayoutEntry {
        flag: "--organization-config",
        files: &["organization-config.json", "organization-config.xml"],
    },
    LayoutEntry {
        flag: "--hybrid-configuration",
        files: &["hybrid-configuration.json", "hybrid-configuration.xml"],
    },
];

/// Files the collector also writes that this version of relaycheck does not read.
pub const NOT_READ: &[&str] = &["collect-log.txt"];

fn slot<'a>(o: &'a mut Overrides, flag: &str) -> Option<&'a mut Option<PathBuf>> {
    Some(match flag {
        "--accepted-domains" => &mut o.accepted_domains,
        "--domain-status" => &mut o.domain_status,
        "--inbound-connectors" => &mut o.inbound_connectors,
        "--outbound-connectors" => &mut o.outbound_connectors,
        "--send-connectors" => &mut o.send_connectors,
        "--receive-connectors" => &mut o.receive_connectors,
        "--certificate" => &mut o.certificate,
        "--hybrid-configuration" => &mut o.hybrid_configuration,
        "--organization-config" => &mut o.organization_config,
        _ => return None,
    })
}

/// `--from DIR`: the overrides with every input the folder holds filled in where no flag
/// gave it, and a note saying what was found and used.
pub fn from_folder(dir: &Path, given: &Overrides) -> Result<(Overrides, Note), InputError> {
    if !dir.is_dir() {
        let why = if dir.exists() {
            "not a folder: --from names the folder Collect-RelayCheckData.ps1 wrote"
        } else {
            "the folder does not exist"
        };
        return Err(InputError::new(dir, why));
    }
    let mut o = given.clone();
    let mut used: Vec<String> = Vec::new();
    let mut flag_won: Vec<String> = Vec::new();
    let mut absent: Vec<String> = Vec::new();
    for entry in LAYOUT {
        // Anything of that name counts: the guarded reader then refuses what is no regular
        // file (a pipe, a device) by its type, never blocking on it.
        let found = entry
            .files
            .iter()
            .map(|f| dir.join(f))
            .find(|p| p.symlink_metadata().is_ok());
        let Some(target) = slot(&mut o, entry.flag) else {
            continue;
        };
        match (found, target.is_some()) {
            (Some(p), true) => flag_won.push(format!("{} ({} given)", file_name(&p), entry.flag)),
            (Some(p), false) => {
                used.push(file_name(&p));
                *target = Some(p);
            }
            (None, _) => absent.push(entry.files[0].to_string()),
        }
    }
    if used.is_empty() && flag_won.is_empty() {
        return Err(InputError::new(
            dir,
            format!(
                "the folder holds none of the files relaycheck reads ({}); it is the folder Collect-RelayCheckData.ps1 writes (relaycheck collect-script, docs/collect-data.md)",
                LAYOUT
                    .iter()
                    .map(|e| e.files[0])
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    }
    let mut text = format!(
        "From the folder {}: read {}.",
        dir.display(),
        relaycheck_core::text::join_words(&used)
    );
    if used.is_empty() {
        text = format!("From the folder {}: nothing read from it.", dir.display());
    }
    if !flag_won.is_empty() {
        text.push_str(&format!(
            " Not read, because a flag gave the file instead: {}.",
            flag_won.join(", ")
        ));
    }
    if !absent.is_empty() {
        text.push_str(&format!(" Not in the folder: {}.", absent.join(", ")));
    }
    let unread: Vec<&str> = NOT_READ
        .iter()
        .copied()
        .filter(|f| f.ends_with(".json") && dir.join(f).is_file())
        .collect();
    if !unread.is_empty() {
        text.push_str(&format!(
            " Found but not read by this version of relaycheck: {}.",
            unread.join(", ")
        ));
    }
    Ok((o, Note::new(NoteKind::Choice, text)))
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| p.display().to_string())
}

/// Reads the on-premises files the overrides name into `data.onprem`.
pub fn load(overrides: &Overrides, data: &mut TenantData) -> Result<(), ImportError> {
    if let Some(path) = &overrides.send_connectors {
        let text = super::read_text(path)?;
        data.onprem.send_connectors = Some(send_connectors(path, &text, &mut data.notes)?);
        data.inputs.push(("send connectors", path.clone()));
    }
    if let Some(path) = &overrides.receive_connectors {
        let text = super::read_text(path)?;
        data.onprem.receive_connectors = Some(receive_connectors(path, &text)?);
        data.inputs.push(("receive connectors", path.clone()));
    }
    if let Some(path) = &overrides.hybrid_configuration {
        let text = super::read_text(path)?;
        let hybrid = hybrid_configuration(path, &text)?;
        data.inputs.push(("hybrid configuration", path.clone()));
        if data.organization_fqdn.is_none()
            && let Some(host) = &hybrid.on_premises_smart_host
        {
            match super::domains::domain_name(host) {
                Ok(name) => {
                    data.notes.push(Note::new(
                        NoteKind::Choice,
                        format!(
                            "Organisation FQDN {name} taken from the hybrid configuration (OnPremisesSmartHost)."
                        ),
                    ));
                    data.organization_fqdn = Some(name);
                }
                Err(e) => {
                    return Err(InputError::new(path, format!("OnPremisesSmartHost: {e}")).into());
                }
            }
        }
        data.onprem.hybrid = Some(hybrid);
    }
    Ok(())
}

/// Lays the on-premises data over the scenario: each part given replaces the scenario's.
/// What the hybrid configuration says about the scenario goes into `notes`.
pub fn apply(scenario: &mut Scenario, data: &OnPremData, notes: &mut Vec<Note>) {
    let op = &mut scenario.on_premises;
    if let Some(c) = &data.send_connectors {
        op.send_connectors = Some(c.clone());
    }
    if let Some(c) = &data.receive_connectors {
        op.receive_connectors = Some(c.clone());
    }
    if let Some(s) = &data.servers {
        op.servers = s.clone();
    }
    if let Some(h) = &data.hybrid {
        notes.extend(hybrid_notes(scenario, h));
    }
}

/// Whether HCW's certificate is the presented one, and which of the servers HCW set up
/// have no known certificates.
fn hybrid_notes(scenario: &Scenario, h: &HybridConfiguration) -> Vec<Note> {
    use relaycheck_core::model::TlsCertificateName;
    let mut out = Vec::new();
    if let (Some(text), Some(cert)) = (&h.tls_certificate_name, scenario.certificate()) {
        let same =
            TlsCertificateName::parse(text).is_some_and(|n| n.names(&cert.issuer, &cert.subject));
        let text = relaycheck_core::text::quoted(text);
        out.push(Note::new(
            NoteKind::Assumption,
            if same {
                format!("The hybrid configuration's TlsCertificateName {text} is the presented certificate's: HCW chose it.")
            } else {
                format!(
                    "The hybrid configuration's TlsCertificateName {text} is not the presented certificate {} ({}): HCW chose another certificate; rerun HCW after changing it.",
                    relaycheck_core::text::excerpt(&cert.display_name(), relaycheck_core::text::ECHO_MAX),
                    relaycheck_core::text::excerpt(&cert.tls_certificate_name(), relaycheck_core::text::ECHO_MAX)
                )
            },
        ));
    }
    let servers = &scenario.on_premises.servers;
    let unknown: Vec<String> = h
        .sending_transport_servers
        .iter()
        .chain(&h.receiving_transport_servers)
        .filter(|s| !servers.iter().any(|k| same_server(&k.name, s)))
        .fold(Vec::new(), |mut v, s| {
            if !v.iter().any(|x: &String| same_server(x, s)) {
                v.push(s.clone());
            }
            v
        });
    if !unknown.is_empty() && !servers.is_empty() {
        out.push(Note::new(
            NoteKind::Assumption,
            format!(
                "HCW set up {}, whose certificates are not in the input: whether the certificate is on them is not checked.",
                relaycheck_core::text::list(&unknown, 20)
            ),
        ));
    }
    out
}

/// The certificates of a `Get-ExchangeCertificate` export grouped by the server their
/// `Identity` names, when it names any; the same certificate on several servers is then
/// kept once among the candidates (with a note).
pub fn inventory(items: &mut Vec<ImportedCertificate>, data: &mut TenantData) {
    let mut servers: Vec<TransportServer> = Vec::new();
    for c in items.iter() {
        let Some(name) = c.exchange.identity.as_deref().and_then(identity_server) else {
            continue;
        };
        let i = match servers.iter().position(|s| same_server(&s.name, name)) {
            Some(i) => i,
            None => {
                servers.push(TransportServer::new(name));
                servers.len() - 1
            }
        };
        let file = super::absolute(&c.path);
        let s = &mut servers[i];
        if !s.files.contains(&file) {
            s.files.push(file);
        }
        s.certificates.push(server_certificate(c));
    }
    if servers.is_empty() {
        return;
    }
    let before = items.len();
    let mut seen = std::collections::HashSet::new();
    items.retain(|c| seen.insert(c.facts.thumbprint.clone()));
    if items.len() < before {
        data.notes.push(Note::new(
            NoteKind::Skipped,
            format!(
                "The certificate export lists {before} certificates on {} server{}; a certificate installed on several servers is listed once among the candidates ({} cop{} left out).",
                servers.len(),
                if servers.len() == 1 { "" } else { "s" },
                before - items.len(),
                if before - items.len() == 1 { "y" } else { "ies" }
            ),
        ));
    }
    data.onprem.servers = Some(servers);
}

/// One imported certificate as a server's certificate.
pub fn server_certificate(c: &ImportedCertificate) -> ServerCertificate {
    ServerCertificate::from_facts(
        Arc::new(c.facts.clone()),
        c.services,
        c.exchange.has_private_key,
    )
}

/// The certificates of one file that belong to server `name`: those whose Identity names
/// it, and those whose Identity names no server. `Err` with the servers the file is about
/// when it holds certificates of other servers only.
pub fn for_server(
    items: &[ImportedCertificate],
    name: &str,
) -> Result<Vec<ServerCertificate>, Vec<String>> {
    let mut others: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for c in items {
        match c.exchange.identity.as_deref().and_then(identity_server) {
            Some(s) if !same_server(s, name) => {
                if !others.iter().any(|o| same_server(o, s)) {
                    others.push(s.to_string());
                }
            }
            _ => out.push(server_certificate(c)),
        }
    }
    if out.is_empty() && !others.is_empty() {
        Err(others)
    } else {
        Ok(out)
    }
}
