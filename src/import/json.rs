//! `ConvertTo-Json` output of the Exchange Online and Graph cmdlets, in every shape
//! Windows PowerShell 5.1 and PowerShell 7 write it: one object or an array (or the
//! `{"value": [...], "Count": n}` wrapper 5.1 sometimes makes), enums as names or numbers,
//! nested objects expanded or flattened to strings. Keys are matched without regard to
//! case, so Graph's raw `{"value": [{"id", "isVerified"}]}` reads too.
//!
//! Errors name the field as `[2].DomainType` (or `DomainType` for a single object).

use std::path::Path;

use serde_json::{Map, Value};

use super::domains::{DomainVerification, RawDomain, TypeText};
use super::{Note, NoteKind};
use crate::error::InputError;
use crate::model::{ConnectorType, InboundConnector, IpRange};
use crate::names::DnsName;
use crate::text::{ECHO_MAX, excerpt, list, quoted};

/// How many names a note lists before it says how many more there are.
const LISTED: usize = 20;

pub(super) type Object = Map<String, Value>;

/// Parses JSON text; `Ok(None)` when the file holds nothing (the cmdlet returned nothing).
pub(super) fn parse(path: &Path, text: &str) -> Result<Option<Value>, InputError> {
    let t = text.trim_start_matches('\u{feff}').trim();
    if t.is_empty() {
        return Ok(None);
    }
    if !(t.starts_with('[') || t.starts_with('{')) {
        let hint = if t.starts_with('<') {
            "it looks like Export-Clixml XML"
        } else if t.lines().any(|l| l.contains(" : ")) || t.contains("----") {
            "it looks like list or table output; pipe the cmdlet to ConvertTo-Json instead"
        } else {
            "it does not start with [ or {"
        };
        return Err(InputError::new(path, format!("not JSON: {hint}")));
    }
    serde_json::from_str(t).map(Some).map_err(|e| {
        InputError::new(
            path,
            format!(
                "not valid JSON (line {}, column {}): {}",
                e.line(),
                e.column(),
                strip_position(&e.to_string())
            ),
        )
    })
}

fn strip_position(message: &str) -> &str {
    message
        .rfind(" at line ")
        .map_or(message, |i| &message[..i])
}

/// A key of an object, exactly or else ignoring case.
pub(super) fn get<'a>(obj: &'a Object, key: &str) -> Option<&'a Value> {
    obj.get(key).or_else(|| {
        obj.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    })
}

/// Present and not null.
pub(super) fn present<'a>(obj: &'a Object, key: &str) -> Option<&'a Value> {
    get(obj, key).filter(|v| !v.is_null())
}

pub(super) fn field(at: &str, name: &str) -> String {
    if at.is_empty() {
        name.to_string()
    } else {
        format!("{at}.{name}")
    }
}

/// `{"value": [...]}` (with `Count` or `@odata.*` beside it), as 5.1 and Graph wrap lists.
fn unwrap_list(value: &Value) -> Option<&Vec<Value>> {
    let obj = value.as_object()?;
    let list = get(obj, "value")?.as_array()?;
    let only_wrapper = obj.keys().all(|k| {
        k.eq_ignore_ascii_case("value") || k.eq_ignore_ascii_case("count") || k.starts_with('@')
    });
    only_wrapper.then_some(list)
}

/// The objects of a cmdlet's output with where each one is (`[i]`, or "" for one object).
pub(super) fn rows<'a>(
    path: &Path,
    top: &'a Value,
) -> Result<Vec<(String, &'a Object)>, InputError> {
    let (items, single): (Vec<&Value>, bool) = match top {
        Value::Array(a) => (a.iter().collect(), false),
        other => match unwrap_list(other) {
            Some(list) => (list.iter().collect(), false),
            None => (vec![other], true),
        },
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        let at = if single {
            String::new()
        } else {
            format!("[{i}]")
        };
        match item.as_object() {
            Some(obj) => out.push((at, obj)),
            None => {
                return Err(InputError::new(
                    path,
                    format!(
                        "{}: expected an object (as ConvertTo-Json writes each result), found {}",
                        if at.is_empty() { "the top level" } else { &at },
                        kind(item)
                    ),
                ));
            }
        }
    }
    Ok(out)
}

pub(super) fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// Which cmdlet an object probably came from, to explain a wrong file.
fn looks_like(obj: &Object) -> Option<&'static str> {
    let has = |k: &str| get(obj, k).is_some();
    if has("TlsSenderCertificateName") || has("SenderIPAddresses") {
        Some("Get-InboundConnector")
    } else if has("SmartHosts") || has("TlsDomain") || has("RecipientDomains") {
        Some("Get-OutboundConnector")
    } else if has("DomainType") || has("DomainName") {
        Some("Get-AcceptedDomain")
    } else if has("IsVerified") {
        Some("Get-MgDomain")
    } else if has("Thumbprint") || has("RawData") {
        Some("Get-ExchangeCertificate")
    } else {
        None
    }
}

pub(super) fn missing(
    path: &Path,
    at: &str,
    name: &str,
    obj: &Object,
    expected: &str,
) -> InputError {
    let hint = match looks_like(obj) {
        Some(cmdlet) if cmdlet != expected => {
            format!(" (this looks like {cmdlet} output, not {expected})")
        }
        _ => String::new(),
    };
    InputError::new(path, format!("{}: missing{hint}", field(at, name)))
}

pub(super) fn string_of(
    path: &Path,
    at: &str,
    name: &str,
    v: &Value,
) -> Result<String, InputError> {
    match v {
        Value::String(s) => Ok(s.clone()),
        other => Err(InputError::new(
            path,
            format!("{}: expected text, found {}", field(at, name), kind(other)),
        )),
    }
}

pub(super) fn bool_of(path: &Path, at: &str, name: &str, v: &Value) -> Result<bool, InputError> {
    match v {
        Value::Bool(b) => Ok(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Ok(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Ok(false),
        other => Err(InputError::new(
            path,
            format!(
                "{}: expected true or false, found {}",
                field(at, name),
                match other {
                    Value::String(s) => quoted(s),
                    o => kind(o).to_string(),
                }
            ),
        )),
    }
}

pub(super) fn opt_bool(
    path: &Path,
    at: &str,
    obj: &Object,
    name: &str,
    default: bool,
) -> Result<bool, InputError> {
    match present(obj, name) {
        Some(v) => bool_of(path, at, name, v),
        None => Ok(default),
    }
}

/// A multi-valued property: a list, one value, null, or the `{"value": [...]}` wrapper.
pub(super) fn list_of(v: Option<&Value>) -> Vec<&Value> {
    match v {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(a)) => a.iter().collect(),
        Some(other) => match unwrap_list(other) {
            Some(list) => list.iter().collect(),
            None => vec![other],
        },
    }
}

/// An enum written as a name or a number; `names` maps numbers to names.
pub(super) fn enum_name(
    path: &Path,
    at: &str,
    name: &str,
    v: &Value,
    names: &[(i64, &'static str)],
) -> Result<&'static str, InputError> {
    let expected = || {
        names
            .iter()
            .map(|(n, s)| format!("{s} ({n})"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let found = match v {
        Value::Number(n) => n.as_i64().and_then(|n| names.iter().find(|(k, _)| *k == n)),
        Value::String(s) => names
            .iter()
            .find(|(k, name)| name.eq_ignore_ascii_case(s.trim()) || s.trim() == k.to_string()),
        Value::Object(o) => {
            // A deserialized enum flattened one level: {"value": 1, ...} or {"Value": "OnPremises"}.
            return match get(o, "value").or_else(|| get(o, "ToString")) {
                Some(inner) if !inner.is_object() => enum_name(path, at, name, inner, names),
                _ => Err(InputError::new(
                    path,
                    format!("{}: expected one of {}", field(at, name), expected()),
                )),
            };
        }
        _ => None,
    };
    found.map(|(_, s)| *s).ok_or_else(|| {
        InputError::new(
            path,
            format!(
                "{}: {} is not one of {}",
                field(at, name),
                match v {
                    Value::String(s) => quoted(s),
                    Value::Number(n) => excerpt(&n.to_string(), ECHO_MAX).into_owned(),
                    other => kind(other).to_string(),
                },
                expected()
            ),
        )
    })
}

/// A domain written as text or as an object with `Domain` (or `Address`).
pub(super) fn domain_text(v: &Value) -> (Option<String>, Option<String>) {
    match v {
        Value::String(s) => (None, Some(s.clone())),
        Value::Object(o) => {
            let text = |k: &str| get(o, k).and_then(Value::as_str).map(str::to_string);
            let domain = text("Domain").or_else(|| text("SmtpDomain"));
            let mut address = text("Address");
            let star = get(o, "IsStar").and_then(Value::as_bool) == Some(true);
            let subdomains = get(o, "IncludeSubDomains").and_then(Value::as_bool) == Some(true);
            if star {
                address = Some("*".into());
            } else if address.is_none() && subdomains {
                address = domain.as_ref().map(|d| format!("*.{d}"));
            }
            (domain, address)
        }
        _ => (None, None),
    }
}

/// An enum number, or the number as written when it is no 64-bit integer (serde_json keeps
/// the digits: its `arbitrary_precision` feature).
fn type_number(n: &serde_json::Number) -> TypeText {
    n.as_i64()
        .map_or_else(|| TypeText::Written(n.to_string()), TypeText::Number)
}

/// `Get-AcceptedDomain | ConvertTo-Json`.
pub fn accepted_domains(path: &Path, text: &str) -> Result<Vec<RawDomain>, InputError> {
    let Some(top) = parse(path, text)? else {
        return Err(InputError::new(
            path,
            "the file is empty: Get-AcceptedDomain | ConvertTo-Json always lists at least the tenant's onmicrosoft.com domain",
        ));
    };
    let mut out = Vec::new();
    for (at, obj) in rows(path, &top)? {
        let name = present(obj, "DomainName")
            .ok_or_else(|| missing(path, &at, "DomainName", obj, "Get-AcceptedDomain"))?;
        let (domain, address) = domain_text(name);
        if domain.is_none() && address.is_none() {
            return Err(InputError::new(
                path,
                format!(
                    "{}: expected a domain name or an object with Domain, found {}",
                    field(&at, "DomainName"),
                    kind(name)
                ),
            ));
        }
        let domain_type = match present(obj, "DomainType") {
            None => None,
            Some(Value::Number(n)) => Some(type_number(n)),
            Some(Value::String(s)) => Some(TypeText::Name(s.clone())),
            Some(Value::Object(o)) => match get(o, "value") {
                Some(Value::Number(n)) => Some(type_number(n)),
                Some(Value::String(s)) => Some(TypeText::Name(s.clone())),
                _ => {
                    return Err(InputError::new(
                        path,
                        format!("{}: expected a name or a number", field(&at, "DomainType")),
                    ));
                }
            },
            Some(other) => {
                return Err(InputError::new(
                    path,
                    format!(
                        "{}: expected a name or a number, found {}",
                        field(&at, "DomainType"),
                        kind(other)
                    ),
                ));
            }
        };
        let default = opt_bool(path, &at, obj, "Default", false)?;
        out.push(RawDomain {
            at,
            domain,
            address,
            domain_type,
            default,
        });
    }
    if out.is_empty() {
        return Err(InputError::new(
            path,
            "the list is empty: Get-AcceptedDomain always lists at least the tenant's onmicrosoft.com domain",
        ));
    }
    Ok(out)
}

/// `Get-MgDomain | ConvertTo-Json` (`Id`, `IsVerified`).
pub fn domain_status(path: &Path, text: &str) -> Result<Vec<DomainVerification>, InputError> {
    let Some(top) = parse(path, text)? else {
        return Err(InputError::new(
            path,
            "the file is empty: Get-MgDomain | ConvertTo-Json lists every domain of the tenant",
        ));
    };
    let mut out = Vec::new();
    for (at, obj) in rows(path, &top)? {
        let id = present(obj, "Id").ok_or_else(|| missing(path, &at, "Id", obj, "Get-MgDomain"))?;
        let id = string_of(path, &at, "Id", id)?;
        let domain = super::domains::domain_name(&id)
            .map_err(|e| InputError::new(path, format!("{}: {e}", field(&at, "Id"))))?;
        let verified = present(obj, "IsVerified")
            .ok_or_else(|| missing(path, &at, "IsVerified", obj, "Get-MgDomain"))?;
        let verified = bool_of(path, &at, "IsVerified", verified)?;
        out.push(DomainVerification { domain, verified });
    }
    Ok(out)
}

const CONNECTOR_TYPES: &[(i64, &str)] = &[(1, "OnPremises"), (2, "Partner")];

fn connector_type(path: &Path, at: &str, obj: &Object) -> Result<ConnectorType, InputError> {
    let v = present(obj, "ConnectorType")
        .ok_or_else(|| missing(path, at, "ConnectorType", obj, "a connector cmdlet"))?;
    Ok(
        match enum_name(path, at, "ConnectorType", v, CONNECTOR_TYPES)? {
            "OnPremises" => ConnectorType::OnPremises,
            _ => ConnectorType::Partner,
        },
    )
}

pub(super) fn name_of(
    path: &Path,
    at: &str,
    obj: &Object,
    cmdlet: &str,
) -> Result<String, InputError> {
    let v = present(obj, "Name")
        .or_else(|| present(obj, "Identity"))
        .ok_or_else(|| missing(path, at, "Name", obj, cmdlet))?;
    let name = string_of(path, at, "Name", v)?;
    if name.trim().is_empty() {
        return Err(InputError::new(
            path,
            format!("{}: empty; every connector has a name", field(at, "Name")),
        ));
    }
    Ok(name)
}

/// One `SenderIPAddresses` entry: text, or an IPRange object flattened by ConvertTo-Json.
fn ip_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => {
            let text = |k: &str| get(o, k).and_then(Value::as_str).map(str::to_string);
            if let Some(e) = text("Expression") {
                return Some(e);
            }
            let lower = text("LowerBound")?;
            match get(o, "CIDRLength").and_then(Value::as_i64) {
                Some(len) if text("RangeFormat").as_deref() != Some("SingleAddress") => {
                    Some(format!("{lower}/{len}"))
                }
                _ => Some(lower),
            }
        }
        _ => None,
    }
}

/// `smtp:contoso.com;1` → `contoso.com`; `*` stays `*`.
fn sender_domain(text: &str) -> &str {
    let t = text.trim();
    let t = t
        .get(..5)
        .filter(|p| p.eq_ignore_ascii_case("smtp:"))
        .map_or(t, |_| &t[5..]);
    t.split(';').next().unwrap_or(t).trim()
}

/// `Get-InboundConnector | ConvertTo-Json`. An empty file means no connectors.
pub fn inbound_connectors(
    path: &Path,
    text: &str,
    notes: &mut Vec<Note>,
) -> Result<Vec<InboundConnector>, InputError> {
    let Some(top) = parse(path, text)? else {
        notes.push(Note::new(
            NoteKind::Assumption,
            format!(
                "{} is empty: read as a tenant without inbound connectors.",
                path.display()
            ),
        ));
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for (at, obj) in rows(path, &top)? {
        let name = name_of(path, &at, obj, "Get-InboundConnector")?;
        let mut c = InboundConnector::new(name.clone());
        c.enabled = opt_bool(path, &at, obj, "Enabled", true)?;
        c.connector_type = connector_type(path, &at, obj)?;
        // The cmdlet defaults: a connector made without these has them off.
        c.require_tls = opt_bool(path, &at, obj, "RequireTls", false)?;
        c.cloud_services_mail_enabled =
            opt_bool(path, &at, obj, "CloudServicesMailEnabled", false)?;
        c.tls_sender_certificate_name = match present(obj, "TlsSenderCertificateName") {
            None => None,
            Some(Value::String(s)) if s.trim().is_empty() => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(other) => {
                return Err(InputError::new(
                    path,
                    format!(
                        "{}: expected a name such as *.contoso.com, or null, found {}",
                        field(&at, "TlsSenderCertificateName"),
                        kind(other)
                    ),
                ));
            }
        };
        for (i, v) in list_of(get(obj, "SenderIPAddresses"))
            .into_iter()
            .enumerate()
        {
            let f = format!("{}[{i}]", field(&at, "SenderIPAddresses"));
            let text = ip_text(v).ok_or_else(|| {
                InputError::new(
                    path,
                    format!(
                        "{f}: expected an address such as 203.0.113.25 or 203.0.113.0/24, found {}",
                        kind(v)
                    ),
                )
            })?;
            // Every entry loads as written; one Exchange Online would refuse says so itself
            // (IpRange::problem). Only a blank entry does not parse, and it is no address.
            if let Ok(range) = text.parse::<IpRange>() {
                c.sender_ip_addresses.push(range);
            }
        }
        let sender_domains: Vec<String> = list_of(get(obj, "SenderDomains"))
            .into_iter()
            .filter_map(Value::as_str)
            .map(|s| sender_domain(s).to_string())
            .filter(|s| !s.is_empty())
            .collect();
        if c.is_active_on_premises()
            && !sender_domains.is_empty()
            && !sender_domains.iter().any(|d| d == "*")
        {
            notes.push(Note::new(
                NoteKind::Assumption,
                format!(
                    "Inbound connector {} accepts only sender domains {}; relaycheck does not model SenderDomains and treats it as * (as HCW sets it).",
                    quoted(&name),
                    list(&sender_domains, LISTED)
                ),
            ));
        }
        out.push(c);
    }
    Ok(out)
}

/// The facts of `Get-OutboundConnector` that locate the on-premises organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboundConnector {
    pub name: String,
    pub enabled: bool,
    pub connector_type: ConnectorType,
    pub smart_hosts: Vec<String>,
    pub tls_domain: Option<String>,
    /// `TlsSettings`: EncryptionOnly, CertificateValidation, DomainValidation (or none).
    pub tls_settings: Option<&'static str>,
    pub use_mx_record: bool,
    /// Made by the Hybrid Configuration Wizard (`ConnectorSource` HybridWizard).
    pub hybrid_wizard: bool,
}

const TLS_SETTINGS: &[(i64, &str)] = &[
    (1, "EncryptionOnly"),
    (2, "CertificateValidation"),
    (4, "DomainValidation"),
];

const CONNECTOR_SOURCES: &[(i64, &str)] = &[
    (0, "Default"),
    (1, "Migrated"),
    (2, "HybridWizard"),
    (3, "AdminUI"),
];

/// One `SmartHosts` entry as text.
fn smart_host_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => {
            if let Some(a) = get(o, "Address").and_then(Value::as_str) {
                return Some(a.to_string());
            }
            match get(o, "Domain")? {
                Value::String(s) => Some(s.clone()),
                inner @ Value::Object(_) => {
                    let (domain, address) = domain_text(inner);
                    domain.or(address)
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// `Get-OutboundConnector | ConvertTo-Json`. An empty file means no connectors.
pub fn outbound_connectors(path: &Path, text: &str) -> Result<Vec<OutboundConnector>, InputError> {
    let Some(top) = parse(path, text)? else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for (at, obj) in rows(path, &top)? {
        let name = name_of(path, &at, obj, "Get-OutboundConnector")?;
        let enabled = opt_bool(path, &at, obj, "Enabled", true)?;
        let connector_type = connector_type(path, &at, obj)?;
        let mut smart_hosts = Vec::new();
        for (i, v) in list_of(get(obj, "SmartHosts")).into_iter().enumerate() {
            let host = smart_host_text(v).ok_or_else(|| {
                InputError::new(
                    path,
                    format!(
                        "{}[{i}]: expected a host name such as mail.contoso.com, found {}",
                        field(&at, "SmartHosts"),
                        kind(v)
                    ),
                )
            })?;
            smart_hosts.push(host);
        }
        let tls_domain = match present(obj, "TlsDomain") {
            None => None,
            Some(v) => {
                let (domain, address) = domain_text(v);
                let t = address.or(domain).ok_or_else(|| {
                    InputError::new(
                        path,
                        format!(
                            "{}: expected a domain name, found {}",
                            field(&at, "TlsDomain"),
                            kind(v)
                        ),
                    )
                })?;
                Some(t).filter(|t| !t.trim().is_empty())
            }
        };
        let tls_settings = match present(obj, "TlsSettings") {
            None => None,
            Some(v) => Some(enum_name(path, &at, "TlsSettings", v, TLS_SETTINGS)?),
        };
        let hybrid_wizard = match present(obj, "ConnectorSource") {
            None => false,
            Some(v) => {
                enum_name(path, &at, "ConnectorSource", v, CONNECTOR_SOURCES)? == "HybridWizard"
            }
        };
        out.push(OutboundConnector {
            name,
            enabled,
            connector_type,
            smart_hosts,
            tls_domain,
            tls_settings,
            use_mx_record: opt_bool(path, &at, obj, "UseMXRecord", false)?,
            hybrid_wizard,
        });
    }
    Ok(out)
}

/// The organisation FQDN Exchange Online connects to: from the enabled OnPremises outbound
/// connectors (HCW's first), `TlsDomain` when it is a host name (what DomainValidation
/// checks), else the first smart host that is a name.
pub fn organization_fqdn(
    path: &Path,
    connectors: &[OutboundConnector],
    notes: &mut Vec<Note>,
) -> Option<DnsName> {
    let mut candidates: Vec<&OutboundConnector> = connectors
        .iter()
        .filter(|c| c.enabled && c.connector_type == ConnectorType::OnPremises && !c.use_mx_record)
        .collect();
    candidates.sort_by_key(|c| !c.hybrid_wizard);
    let mut found: Vec<(DnsName, &OutboundConnector, &'static str)> = Vec::new();
    for c in &candidates {
        let from_tls = c
            .tls_domain
            .as_deref()
            .filter(|t| !t.contains('*'))
            .and_then(|t| DnsName::parse(t).ok())
            .map(|n| (n, "TlsDomain"));
        let from_hosts = || {
            c.smart_hosts
                .iter()
                .map(|h| h.trim().trim_start_matches('[').trim_end_matches(']'))
                .filter(|h| h.parse::<std::net::IpAddr>().is_err())
                .find_map(|h| DnsName::parse(h).ok())
                .map(|n| (n, "SmartHosts"))
        };
        if let Some((name, how)) = from_tls.or_else(from_hosts) {
            found.push((name, c, how));
        }
    }
    let Some((name, connector, how)) = found.first().cloned() else {
        notes.push(Note::new(
            NoteKind::Assumption,
            format!(
                "{} has no enabled OnPremises outbound connector with a smart host name or TlsDomain: the organisation FQDN is unknown (give it with --organization-fqdn).",
                path.display()
            ),
        ));
        return None;
    };
    let others: Vec<String> = found
        .iter()
        .skip(1)
        .filter(|(n, _, _)| *n != name)
        .map(|(n, c, _)| format!("{n} ({})", quoted(&c.name)))
        .collect();
    let mut text = format!(
        "Organisation FQDN {name} taken from outbound connector {} ({how}).",
        quoted(&connector.name)
    );
    if !others.is_empty() {
        text.push_str(&format!(" Also found: {}.", list(&others, LISTED)));
    }
    notes.push(Note::new(NoteKind::Choice, text));
    Some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sender_domain_forms() {
        assert_eq!(sender_domain("smtp:*;1"), "*");
        assert_eq!(sender_domain("SMTP:contoso.com;1"), "contoso.com");
        assert_eq!(sender_domain("contoso.com"), "contoso.com");
    }

    #[test]
    fn wrapper_objects_unwrap() {
        let v: Value = serde_json::from_str(r#"{"value":[{"a":1}],"Count":1}"#).unwrap();
        assert_eq!(unwrap_list(&v).map(Vec::len), Some(1));
        let v: Value = serde_json::from_str(r#"{"@odata.context":"x","value":[]}"#).unwrap();
        assert_eq!(unwrap_list(&v).map(Vec::len), Some(0));
        let v: Value = serde_json::from_str(r#"{"value":[],"Name":"x"}"#).unwrap();
        assert!(unwrap_list(&v).is_none());
    }

    #[test]
    fn not_json_is_explained() {
        let p = Path::new("x.txt");
        let e = parse(
            p,
            "Name        : contoso.com\r\nDomainType  : Authoritative",
        )
        .unwrap_err();
        assert!(e.message.contains("list or table output"), "{e}");
        let e = parse(p, "[{\"a\": }]").unwrap_err();
        assert!(
            e.message.starts_with("not valid JSON (line 1, column"),
            "{e}"
        );
        assert_eq!(parse(p, "\u{feff}  \r\n").unwrap(), None);
    }
}
