//! The Exchange Online and Graph cmdlets read from their `ConvertTo-Json` output:
//! Get-AcceptedDomain, Get-MgDomain, Get-InboundConnector and Get-OutboundConnector.

use std::path::Path;

use serde_json::Value;

use super::super::domains::{DomainVerification, RawDomain, TypeText};
use super::super::{Note, NoteKind};
use super::*;
use crate::error::InputError;
use relaycheck_core::model::{ConnectorType, InboundConnector, IpRange};
use relaycheck_core::names::DnsName;
use relaycheck_core::text::{list, quoted};

/// How many names a note lists before it says how many more there are.
const LISTED: usize = 20;

/// An enum number, or the number as written when it is no 64-bit integer (serde_json keeps
/// the digits: its `arbitrary_precision` feature).
pub(super) fn type_number(n: &serde_json::Number) -> TypeText {
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
        let domain = super::super::domains::domain_name(&id)
            .map_err(|e| InputError::new(path, format!("{}: {e}", field(&at, "Id"))))?;
        let verified = present(obj, "IsVerified")
            .ok_or_else(|| missing(path, &at, "IsVerified", obj, "Get-MgDomain"))?;
        let verified = bool_of(path, &at, "IsVerified", verified)?;
        out.push(DomainVerification { domain, verified });
    }
    Ok(out)
}

pub(super) const CONNECTOR_TYPES: &[(i64, &str)] = &[(1, "OnPremises"), (2, "Partner")];

pub(super) fn connector_type(
    path: &Path,
    at: &str,
    obj: &Object,
) -> Result<ConnectorType, InputError> {
    let v = present(obj, "ConnectorType")
        .ok_or_else(|| missing(path, at, "ConnectorType", obj, "a connector cmdlet"))?;
    Ok(
        match enum_name(path, at, "ConnectorType", v, CONNECTOR_TYPES)? {
            "OnPremises" => ConnectorType::OnPremises,
            _ => ConnectorType::Partner,
        },
    )
}

pub(in crate::import) fn name_of(
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
pub(super) fn ip_text(v: &Value) -> Option<String> {
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
pub(super) fn sender_domain(text: &str) -> &str {
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

pub(super) const TLS_SETTINGS: &[(i64, &str)] = &[
    (1, "EncryptionOnly"),
    (2, "CertificateValidation"),
    (4, "DomainValidation"),
];

pub(super) const CONNECTOR_SOURCES: &[(i64, &str)] = &[
    (0, "Default"),
    (1, "Migrated"),
    (2, "HybridWizard"),
    (3, "AdminUI"),
];

/// One `SmartHosts` entry as text.
pub(super) fn smart_host_text(v: &Value) -> Option<String> {
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
