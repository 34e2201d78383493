//! Scenario files (YAML, format v1; see docs/scenario-format.md): read them into a
//! [`Scenario`], loading each certificate relative to the file, and write them back.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

mod nesting;

pub use nesting::MAX_DEPTH;

use crate::error::InputError;
use crate::import::{TenantData, write_certificates};
use crate::input::{InputKind, read_input_kind};
use relaycheck_core::cert;
use relaycheck_core::lesson::Lesson;
use relaycheck_core::model::{
    CertificateEntry, CertificateSource, GenerateSpec, InboundConnector, Message, OnPremises,
    Scenario, Tenant,
};

/// A certificate in a scenario file: a file (with an optional key file) or a lab
/// certificate to generate at load time.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CertificateSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// For a PKCS#12 file (`.pfx`): the environment variable that holds its password.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_env: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generate: Option<GenerateSpec>,
    /// Marks the certificate the on-premises server presents (default: the first).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub selected: bool,
}

/// The YAML document, exactly as written.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<u32>,
    #[serde(default)]
    pub tenant: Tenant,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate: Option<CertificateSpec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub certificates: Vec<CertificateSpec>,
    #[serde(default)]
    pub inbound_connectors: Vec<InboundConnector>,
    #[serde(default)]
    pub on_premises: OnPremises,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub messages: Vec<Message>,
    /// Root certificates to treat as trusted (a lab or company CA), relative to the file.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub trusted_roots: Vec<String>,
    /// Training lessons only (docs/training.md).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lesson: Option<Lesson>,
}

/// Makes certificates for `generate:` blocks (`relaycheck_lab::generate_facts` with a moment).
pub type Generator<'a> = &'a dyn Fn(&GenerateSpec) -> Result<cert::CertFacts, String>;

/// Parses YAML text (already decoded) into the document, with the file named in errors.
/// Text longer than a scenario file may be, or nested deeper than [`MAX_DEPTH`], is refused
/// before the YAML parser sees it.
pub fn parse(path: &Path, text: &str) -> Result<ScenarioFile, InputError> {
    let limit = InputKind::Scenario.limit();
    if text.len() as u64 > limit {
        return Err(InputError::new(
            path,
            format!(
                "the scenario is too large: {} bytes of text, and relaycheck reads at most {} MiB for a scenario file",
                text.len(),
                limit / (1024 * 1024)
            ),
        ));
    }
    nesting::check(text).map_err(|e| InputError::new(path, e.sentence()))?;
    let only_comments = text
        .lines()
        .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#') || l.trim() == "---");
    if only_comments {
        return Err(InputError::new(
            path,
            "the scenario file is empty (it holds no YAML, only blank lines or comments)",
        ));
    }
    let doc: ScenarioFile = serde_yaml::from_str(text).map_err(|e| {
        InputError::new(
            path,
            format!("not a valid scenario: {}", cut_quoted(&e.to_string())),
        )
    })?;
    if let Some(v) = doc.version
        && v != 1
    {
        return Err(InputError::new(
            path,
            format!(
                "scenario format version {v} is not supported (this relaycheck reads version 1)"
            ),
        ));
    }
    if doc.certificate.is_some() && !doc.certificates.is_empty() {
        return Err(InputError::new(
            path,
            "use either `certificate:` (one) or `certificates:` (a list), not both",
        ));
    }
    Ok(doc)
}

/// The longest message from the YAML parser shown, once its quoted values are cut.
const YAML_MESSAGE_MAX: usize = 600;

/// serde_yaml's message with every value it quotes (in `"` or backticks) cut as by
/// [`relaycheck_core::text::quoted`] and cleaned: the message quotes what it refused, which may be a
/// megabyte long or hold control characters. The whole stays within [`YAML_MESSAGE_MAX`].
fn cut_quoted(message: &str) -> String {
    let mut out = String::new();
    let mut rest = message;
    while let Some(start) = rest.find(['"', '`']) {
        let quote = if rest[start..].starts_with('"') {
            '"'
        } else {
            '`'
        };
        let after = &rest[start + 1..];
        let Some(end) = after.find(quote) else { break };
        out.push_str(&relaycheck_core::text::clean_line(&rest[..start]));
        out.push_str(&relaycheck_core::text::quoted_with(quote, &after[..end]));
        rest = &after[end + 1..];
    }
    out.push_str(&relaycheck_core::text::clean_line(rest));
    relaycheck_core::text::excerpt(&out, YAML_MESSAGE_MAX).into_owned()
}

/// Reads a scenario file and everything it refers to. `now` decides which certificate of a
/// PKCS#12 or Export-Clixml file counts as the presented one.
pub fn load(
    path: &Path,
    generator: Option<Generator<'_>>,
    now: OffsetDateTime,
) -> Result<(ScenarioFile, Scenario), InputError> {
    let bytes = read_input_kind(path, InputKind::Scenario)?;
    let text = decode(path, &bytes)?;
    let doc = parse(path, &text)?;
    let base = path.parent().unwrap_or(Path::new("."));
    let mut scenario = resolve(path, base, &doc, generator, now)?;
    scenario
        .inputs
        .insert(0, relaycheck_core::model::InputFile::new("scenario", path));
    Ok((doc, scenario))
}

/// Text as Windows or anything else wrote it: UTF-8 or UTF-16, with a BOM or without.
pub fn decode(path: &Path, bytes: &[u8]) -> Result<String, InputError> {
    relaycheck_core::text::decode(bytes)
        .ok_or_else(|| InputError::new(path, "the file is not text (expected UTF-8 or UTF-16)"))
}

/// Turns a parsed document into a scenario, loading certificates relative to `base`.
pub fn resolve(
    path: &Path,
    base: &Path,
    doc: &ScenarioFile,
    generator: Option<Generator<'_>>,
    now: OffsetDateTime,
) -> Result<Scenario, InputError> {
    let specs: Vec<&CertificateSpec> = doc
        .certificate
        .iter()
        .chain(doc.certificates.iter())
        .collect();
    let mut certificates = Vec::with_capacity(specs.len());
    for (i, spec) in specs.iter().enumerate() {
        let at = if doc.certificate.is_some() {
            "certificate".to_string()
        } else {
            format!("certificates[{i}]")
        };
        certificates.push(load_spec(path, base, spec, &at, generator, now)?);
    }
    let selected: Vec<usize> = specs
        .iter()
        .enumerate()
        .filter(|(_, s)| s.selected)
        .map(|(i, _)| i)
        .collect();
    if selected.len() > 1 {
        return Err(InputError::new(
            path,
            "more than one certificate is marked `selected: true`; mark only the one the server presents",
        ));
    }
    let selected_certificate = selected.first().copied().or(if certificates.is_empty() {
        None
    } else {
        Some(0)
    });
    let trusted_roots = trusted_roots(path, base, &doc.trusted_roots)?;
    let on_premises = resolve_servers(path, base, &doc.on_premises)?;
    // The files it names besides the certificates (those carry their own source).
    let mut inputs = Vec::new();
    let mut named = |what: &str, file: &String| {
        inputs.push(relaycheck_core::model::InputFile::new(
            what,
            &base.join(file),
        ));
    };
    for key in specs.iter().filter_map(|s| s.key.as_ref()) {
        named("private key", key);
    }
    for root in &doc.trusted_roots {
        named("trusted root", root);
    }
    for file in on_premises.servers.iter().flat_map(|s| &s.files) {
        named("server certificates", file);
    }
    Ok(Scenario {
        tenant: doc.tenant.clone(),
        certificates,
        selected_certificate,
        inbound_connectors: doc.inbound_connectors.clone(),
        on_premises,
        messages: doc.messages.clone(),
        trusted_roots,
        inputs,
    })
}

/// `trusted_roots:`: each file read as a certificate (PEM, DER, .cer), relative to `base`.
fn trusted_roots(
    path: &Path,
    base: &Path,
    files: &[String],
) -> Result<Vec<relaycheck_core::model::TrustedRoot>, InputError> {
    let mut out = Vec::with_capacity(files.len());
    for (i, file) in files.iter().enumerate() {
        let root_path = base.join(file);
        let facts = crate::import::certs::load_certificate_file(&root_path, None)
            .map_err(|e| InputError::new(path, format!("trusted_roots[{i}]: {e}")))?;
        let key = relaycheck_core::cert::chain::root_key(&facts.der).ok_or_else(|| {
            InputError::new(path, format!("trusted_roots[{i}]: not a certificate"))
        })?;
        out.push(relaycheck_core::model::TrustedRoot {
            path: file.clone(),
            subject: facts.subject.clone(),
            key,
        });
    }
    Ok(out)
}

/// `on_premises.servers[].certificates`: every file read relative to `base` (any
/// certificate file relaycheck reads, or a Get-ExchangeCertificate export), keeping from an
/// export that names servers in its `Identity` only that server's certificates.
fn resolve_servers(
    path: &Path,
    base: &Path,
    on_premises: &OnPremises,
) -> Result<OnPremises, InputError> {
    use crate::import::ImportError;
    let mut resolved = on_premises.clone();
    for (i, server) in resolved.servers.iter_mut().enumerate() {
        let mut certificates = Vec::new();
        for (j, file) in server.files.iter().enumerate() {
            let at = format!("on_premises.servers[{i}].certificates[{j}]");
            let cert_path = base.join(file);
            let items = crate::import::certs::load_file(&cert_path, None).map_err(|e| match e {
                ImportError::PasswordNeeded { .. } => InputError::new(
                    path,
                    format!(
                        "{at}: {} is a password-protected PKCS#12 file; a server's certificates are read without a password: give its .cer, or its Get-ExchangeCertificate export",
                        cert_path.display()
                    ),
                ),
                other => other.into(),
            })?;
            let mine =
                crate::import::onprem::for_server(&items, &server.name).map_err(|others| {
                    InputError::new(
                        path,
                        format!(
                            "{at}: {} holds certificates of {} only, none of server {}",
                            cert_path.display(),
                            relaycheck_core::text::list(&others, 20),
                            relaycheck_core::text::quoted(&server.name)
                        ),
                    )
                })?;
            certificates.extend(mine);
        }
        server.certificates = certificates;
    }
    Ok(resolved)
}

fn load_spec(
    path: &Path,
    base: &Path,
    spec: &CertificateSpec,
    at: &str,
    generator: Option<Generator<'_>>,
    now: OffsetDateTime,
) -> Result<CertificateEntry, InputError> {
    match (&spec.file, &spec.generate) {
        (Some(file), None) => {
            let cert_path = base.join(file);
            let key_path = spec.key.as_ref().map(|k| base.join(k));
            // Read once: what is sniffed is what is loaded.
            let bytes = read_input_kind(&cert_path, InputKind::Certificate)?;
            let facts = if is_container_bytes(&bytes) {
                load_container(&cert_path, &bytes, spec.password_env.as_deref(), at, now)?
            } else {
                crate::import::certs::load_certificate_bytes(
                    &cert_path,
                    &bytes,
                    key_path.as_deref(),
                )?
            };
            Ok(CertificateEntry {
                source: CertificateSource::File {
                    path: file.clone(),
                    key: spec.key.clone(),
                    password_env: spec.password_env.clone(),
                },
                facts: Arc::new(facts),
            })
        }
        (None, Some(gen_spec)) => {
            let Some(generator) = generator else {
                return Err(InputError::new(
                    path,
                    format!("{at}.generate: lab certificates cannot be made here"),
                ));
            };
            let facts = generator(gen_spec)
                .map_err(|e| InputError::new(path, format!("{at}.generate: {e}")))?;
            Ok(CertificateEntry {
                source: CertificateSource::Generated(gen_spec.clone()),
                facts: Arc::new(facts),
            })
        }
        (Some(_), Some(_)) => Err(InputError::new(
            path,
            format!("{at}: give either `file:` or `generate:`, not both"),
        )),
        (None, None) => Err(InputError::new(
            path,
            format!("{at}: say where the certificate comes from with `file:` (or `generate:`)"),
        )),
    }
}

/// A PKCS#12 file or a `Get-ExchangeCertificate | Export-Clixml` file (not plain X.509).
/// Read through the guarded reader: a file it refuses is no container (loading it as a
/// certificate then says why).
pub fn is_container(path: &Path) -> bool {
    read_input_kind(path, InputKind::Certificate).is_ok_and(|b| is_container_bytes(&b))
}

fn is_container_bytes(bytes: &[u8]) -> bool {
    crate::import::pkcs12::is_pkcs12(bytes)
        || relaycheck_core::text::decode(bytes)
            .is_some_and(|t| crate::import::clixml::is_clixml(&t))
}

/// The certificate the server most likely presents out of a PKCS#12 or Export-Clixml file,
/// opened with the password in the environment variable `password_env`.
fn load_container(
    path: &Path,
    bytes: &[u8],
    password_env: Option<&str>,
    at: &str,
    now: OffsetDateTime,
) -> Result<cert::CertFacts, InputError> {
    use crate::import::{ImportError, certs};
    let password = password_env
        .map(crate::import::password_from_env)
        .transpose()?;
    let items = certs::load_bytes(path, bytes, password.as_ref()).map_err(|e| match e {
        ImportError::PasswordNeeded { path } => InputError::new(
            path,
            format!("the PKCS#12 file is protected by a password: name the environment variable that holds it with `{at}.password_env` (never the password itself)"),
        ),
        other => other.into(),
    })?;
    let (i, _) = certs::choose(&items, now);
    items
        .into_iter()
        .nth(i)
        .map(|c| c.facts)
        .ok_or_else(|| InputError::new(path, "the file holds no certificate"))
}

/// The scenario as a YAML document, certificates pointing at their original sources.
/// `rebase` is (the folder the scenario was read from, the folder it is written to): when
/// they differ, relative certificate paths become absolute so that they still resolve.
pub fn to_file(
    scenario: &Scenario,
    lesson: Option<Lesson>,
    rebase: Option<(&Path, &Path)>,
) -> ScenarioFile {
    let rebased = |p: &String| -> String {
        match rebase {
            Some((from, to)) if Path::new(p).is_relative() && !same_dir(from, to) => {
                let joined = from.join(p);
                joined
                    .canonicalize()
                    .unwrap_or(joined)
                    .to_string_lossy()
                    .into_owned()
            }
            _ => p.clone(),
        }
    };
    let specs: Vec<CertificateSpec> = scenario
        .certificates
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let mut spec = match &e.source {
                CertificateSource::File {
                    path,
                    key,
                    password_env,
                } => CertificateSpec {
                    file: Some(rebased(path)),
                    key: key.as_ref().map(rebased),
                    password_env: password_env.clone(),
                    ..CertificateSpec::default()
                },
                CertificateSource::Generated(v) => CertificateSpec {
                    generate: Some(v.clone()),
                    ..CertificateSpec::default()
                },
            };
            spec.selected =
                scenario.certificates.len() > 1 && scenario.selected_certificate == Some(i);
            spec
        })
        .collect();
    let (certificate, certificates) = if specs.len() == 1 {
        (specs.into_iter().next(), Vec::new())
    } else {
        (None, specs)
    };
    ScenarioFile {
        version: Some(1),
        tenant: scenario.tenant.clone(),
        certificate,
        certificates,
        inbound_connectors: scenario.inbound_connectors.clone(),
        on_premises: OnPremises {
            servers: (scenario.on_premises.servers.iter())
                .map(|s| relaycheck_core::model::TransportServer {
                    files: s.files.iter().map(rebased).collect(),
                    ..s.clone()
                })
                .collect(),
            ..scenario.on_premises.clone()
        },
        messages: scenario.messages.clone(),
        trusted_roots: scenario
            .trusted_roots
            .iter()
            .map(|r| rebased(&r.path))
            .collect(),
        lesson,
    }
}

fn same_dir(a: &Path, b: &Path) -> bool {
    let norm = |p: &Path| {
        let p = if p.as_os_str().is_empty() {
            Path::new(".")
        } else {
            p
        };
        p.canonicalize().unwrap_or_else(|_| p.to_path_buf())
    };
    norm(a) == norm(b)
}

/// Serialises a scenario document as YAML.
pub fn to_yaml(doc: &ScenarioFile) -> String {
    serde_yaml::to_string(doc).unwrap_or_default()
}

/// `relaycheck scenario export … -o FILE`: the combined scenario as YAML to write to
/// `out_file`. Certificates read from PKCS#12 or Export-Clixml are written beside it first
/// (see [`write_certificates`]) and referred to by name; certificates of the original
/// scenario are rebased from `scenario_dir` as `scenario::to_file` does. Returns the YAML
/// and the certificate files written.
pub fn export_scenario(
    scenario: &Scenario,
    data: &TenantData,
    scenario_dir: Option<&Path>,
    out_file: &Path,
    lesson: Option<Lesson>,
) -> Result<(String, Vec<PathBuf>), InputError> {
    let out_dir = match out_file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut s = scenario.clone();
    let written = write_certificates(&mut s, data, &out_dir)?;
    let mut doc = to_file(&s, lesson, scenario_dir.map(|d| (d, out_dir.as_path())));
    // Files written beside the export are named relative to it, whatever the rebase did.
    let canonical_out = out_dir.canonicalize().unwrap_or_else(|_| out_dir.clone());
    let specs = doc
        .certificate
        .iter_mut()
        .chain(doc.certificates.iter_mut());
    for (spec, entry) in specs.zip(&s.certificates) {
        let CertificateSource::File { path, .. } = &entry.source else {
            continue;
        };
        if written
            .iter()
            .any(|w| w.file_name().is_some_and(|n| n == path.as_str()))
        {
            spec.file = Some(path.clone());
        } else if let Some(file) = &spec.file
            && let Ok(rest) = Path::new(file).strip_prefix(&canonical_out)
        {
            spec.file = Some(rest.to_string_lossy().into_owned());
        }
    }
    Ok((to_yaml(&doc), written))
}
