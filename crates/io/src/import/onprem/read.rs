//! The on-premises cmdlets' output read into the model: `Get-SendConnector`,
//! `Get-ReceiveConnector` and `Get-HybridConfiguration`, as `ConvertTo-Json` (Windows
//! PowerShell 5.1 or 7) or `Export-Clixml` writes them.

use std::path::Path;

use serde_json::Value;

use super::super::json::{self, Object};
use super::super::{Note, NoteKind};
use super::HybridConfiguration;
use crate::error::InputError;
use relaycheck_core::model::{ReceiveConnector, SendConnector, TlsAuthLevel};

// ---------------------------------------------------------------------------------------
// Get-SendConnector, Get-ReceiveConnector
// ---------------------------------------------------------------------------------------

/// The objects of either format, with where each one is, or `None` for an empty file.
pub(in crate::import) fn objects(
    path: &Path,
    text: &str,
    cmdlet: &str,
    type_suffix: &str,
) -> Result<Option<Vec<(String, Object)>>, InputError> {
    if super::super::clixml::is_clixml(text) {
        let mut out = Vec::new();
        for (i, (types, value)) in super::super::clixml::objects_as_values(path, text)?
            .into_iter()
            .enumerate()
        {
            let ours = types.iter().any(|t| t.ends_with(type_suffix));
            let Value::Object(obj) = value else {
                return Err(InputError::new(
                    path,
                    format!("[{i}]: not a {cmdlet} object"),
                ));
            };
            if !ours {
                let short = types
                    .first()
                    .map(|t| t.rsplit('.').next().unwrap_or(t).to_string())
                    .unwrap_or_else(|| "untyped objects".into());
                return Err(InputError::new(
                    path,
                    format!(
                        "[{i}]: this is {} output, not {cmdlet}",
                        relaycheck_core::text::excerpt(&short, relaycheck_core::text::ECHO_MAX)
                    ),
                ));
            }
            out.push((format!("[{i}]"), obj));
        }
        return Ok(Some(out));
    }
    let Some(top) = json::parse(path, text)? else {
        return Ok(None);
    };
    Ok(Some(
        json::rows(path, &top)?
            .into_iter()
            .map(|(at, o)| (at, o.clone()))
            .collect(),
    ))
}

/// Refuses the output of another connector cmdlet by the fields it has.
pub(in crate::import) fn wrong_cmdlet(
    path: &Path,
    at: &str,
    obj: &Object,
    expected: &str,
) -> Result<(), InputError> {
    let has = |k: &str| json::get(obj, k).is_some();
    let other = if has("TlsSenderCertificateName") || has("SenderIPAddresses") {
        Some("Get-InboundConnector (Exchange Online)")
    } else if has("RecipientDomains") || has("TlsSettings") || has("UseMXRecord") {
        Some("Get-OutboundConnector (Exchange Online)")
    } else if expected == "Get-SendConnector" && (has("Bindings") || has("RemoteIPRanges")) {
        Some("Get-ReceiveConnector")
    } else if expected == "Get-ReceiveConnector"
        && (has("AddressSpaces") || has("SourceTransportServers"))
    {
        Some("Get-SendConnector")
    } else {
        None
    };
    match other {
        Some(o) => Err(InputError::new(
            path,
            format!(
                "{}: this looks like {o} output, not {expected}",
                if at.is_empty() { "the top level" } else { at }
            ),
        )),
        None => Ok(()),
    }
}

/// Text, or what an object says of itself: the first of `keys` that is text, else its
/// `ToString`.
fn text_or(v: &Value, keys: &[&str]) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => {
            keys.iter()
                .chain(["ToString"].iter())
                .find_map(|k| match json::get(o, k) {
                    Some(Value::String(s)) => Some(s.clone()),
                    Some(inner @ Value::Object(_)) => text_or(inner, keys),
                    _ => None,
                })
        }
        _ => None,
    }
}

fn text_list(
    path: &Path,
    at: &str,
    obj: &Object,
    name: &str,
    keys: &[&str],
    example: &str,
) -> Result<Vec<String>, InputError> {
    let mut out = read_list(path, at, obj, name, example, |v| text_or(v, keys))?;
    out.retain(|t| !t.trim().is_empty());
    Ok(out)
}

/// Each entry of the list `name` read by `read`; an entry it cannot read is an error that
/// names the entry and what was expected (`example`).
fn read_list(
    path: &Path,
    at: &str,
    obj: &Object,
    name: &str,
    example: &str,
    read: impl Fn(&Value) -> Option<String>,
) -> Result<Vec<String>, InputError> {
    json::list_of(json::get(obj, name))
        .into_iter()
        .enumerate()
        .map(|(i, v)| {
            read(v).ok_or_else(|| {
                InputError::new(
                    path,
                    format!(
                        "{}[{i}]: expected {example}, found {}",
                        json::field(at, name),
                        json::kind(v)
                    ),
                )
            })
        })
        .collect()
}

fn opt_text(
    path: &Path,
    at: &str,
    obj: &Object,
    name: &str,
    keys: &[&str],
) -> Result<Option<String>, InputError> {
    match json::present(obj, name) {
        None => Ok(None),
        Some(v) => text_or(v, keys)
            .map(|t| Some(t).filter(|t| !t.trim().is_empty()))
            .ok_or_else(|| {
                InputError::new(
                    path,
                    format!(
                        "{}: expected text, found {}",
                        json::field(at, name),
                        json::kind(v)
                    ),
                )
            }),
    }
}

/// An address space: `SMTP:*;1`, or an AddressSpace object (`Type`, `Address`, `Cost`).
fn address_space_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => {
            let text = |k: &str| json::get(o, k).and_then(Value::as_str).map(str::to_string);
            match (text("Type"), text("Address")) {
                (Some(t), Some(a)) => Some(match json::get(o, "Cost").and_then(Value::as_i64) {
                    Some(cost) => format!("{t}:{a};{cost}"),
                    None => format!("{t}:{a}"),
                }),
                _ => text("ToString")
                    .or_else(|| text("Domain"))
                    .or(text("Address")),
            }
        }
        _ => None,
    }
}

/// A smart host: text, or a SmartHost object (`Domain`, or `Address` for an IP address).
fn smart_host_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => {
            let ip = json::get(o, "IsIPAddress").and_then(Value::as_bool) == Some(true);
            let address =
                || json::get(o, "Address").and_then(|a| text_or(a, &["IPAddressToString"]));
            let domain = || {
                json::present(o, "Domain").and_then(|d| text_or(d, &["HostnameString", "Domain"]))
            };
            if ip {
                address().or_else(domain)
            } else {
                domain().or_else(|| text_or(v, &[])).or_else(address)
            }
        }
        _ => None,
    }
}

/// `TlsCertificateName`: the text, or the SmtpX509Identifier object's issuer and subject.
fn tls_certificate_name(path: &Path, at: &str, obj: &Object) -> Result<Option<String>, InputError> {
    let Some(v) = json::present(obj, "TlsCertificateName") else {
        return Ok(None);
    };
    let t = match v {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => {
            let text = |k: &str| json::get(o, k).and_then(Value::as_str).map(str::to_string);
            match (text("CertificateIssuer"), text("CertificateSubject")) {
                (Some(i), Some(s)) => Some(relaycheck_core::cert::dn::tls_certificate_name(&i, &s)),
                _ => text("ToString"),
            }
        }
        _ => None,
    };
    let t = t.ok_or_else(|| {
        InputError::new(
            path,
            format!(
                "{}: expected <I>issuer<S>subject, found {}",
                json::field(at, "TlsCertificateName"),
                json::kind(v)
            ),
        )
    })?;
    Ok(Some(t).filter(|t| !t.trim().is_empty()))
}

/// `Get-SendConnector | ConvertTo-Json` or `| Export-Clixml`. An empty file means none.
pub fn send_connectors(
    path: &Path,
    text: &str,
    notes: &mut Vec<Note>,
) -> Result<Vec<SendConnector>, InputError> {
    const CMDLET: &str = "Get-SendConnector";
    let Some(rows) = objects(path, text, CMDLET, "SendConnector")? else {
        notes.push(Note::new(
            NoteKind::Assumption,
            format!(
                "{} is empty: read as an organisation without send connectors.",
                path.display()
            ),
        ));
        return Ok(Vec::new());
    };
    let mut out = Vec::with_capacity(rows.len());
    for (at, obj) in &rows {
        let (at, obj) = (at.as_str(), obj);
        wrong_cmdlet(path, at, obj, CMDLET)?;
        let name = json::name_of(path, at, obj, CMDLET)?;
        let mut c = SendConnector::new(name);
        c.enabled = json::opt_bool(path, at, obj, "Enabled", true)?;
        let spaces = read_list(
            path,
            at,
            obj,
            "AddressSpaces",
            "an address space such as SMTP:*;1",
            address_space_text,
        )?;
        c.address_spaces = spaces;
        let mut hosts = read_list(
            path,
            at,
            obj,
            "SmartHosts",
            "a host name such as contoso-com.mail.protection.outlook.com",
            smart_host_text,
        )?;
        hosts.retain(|t| !t.trim().is_empty());
        if hosts.is_empty()
            && let Some(Value::String(s)) = json::present(obj, "SmartHostsString")
        {
            hosts = s
                .split([',', ';'])
                .map(str::trim)
                .filter(|h| !h.is_empty())
                .map(str::to_string)
                .collect();
        }
        c.smart_hosts = hosts;
        c.dns_routing_enabled =
            json::opt_bool(path, at, obj, "DNSRoutingEnabled", c.smart_hosts.is_empty())?;
        c.require_tls = json::opt_bool(path, at, obj, "RequireTLS", false)?;
        c.tls_auth_level = match json::present(obj, "TlsAuthLevel") {
            None => None,
            Some(v) => TlsAuthLevel::from_name(json::enum_name(
                path,
                at,
                "TlsAuthLevel",
                v,
                &TlsAuthLevel::NUMBERS,
            )?),
        };
        c.tls_domain = match json::present(obj, "TlsDomain") {
            None => None,
            Some(v) => {
                let (domain, address) = json::domain_text(v);
                let t = address.or(domain).ok_or_else(|| {
                    InputError::new(
                        path,
                        format!(
                            "{}: expected a domain such as mail.protection.outlook.com, found {}",
                            json::field(at, "TlsDomain"),
                            json::kind(v)
                        ),
                    )
                })?;
                Some(t).filter(|t| !t.trim().is_empty())
            }
        };
        c.tls_certificate_name = tls_certificate_name(path, at, obj)?;
        c.cloud_services_mail_enabled =
            json::opt_bool(path, at, obj, "CloudServicesMailEnabled", false)?;
        c.source_transport_servers = text_list(
            path,
            at,
            obj,
            "SourceTransportServers",
            &["Name"],
            "a server name such as EX01",
        )?;
        c.fqdn = opt_text(path, at, obj, "Fqdn", &["Domain"])?;
        out.push(c);
    }
    Ok(out)
}

/// `contoso.mail.onmicrosoft.com:AcceptCloudServicesMail`, or the object's `Domain` and
/// `Capabilities`.
fn capability_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => {
            let text = |k: &str| json::get(o, k).and_then(|x| text_or(x, &["Domain"]));
            match (text("Domain"), text("Capabilities")) {
                (Some(d), Some(c)) => Some(format!("{d}:{c}")),
                _ => text("ToString"),
            }
        }
        _ => None,
    }
}

/// `Get-HybridConfiguration | ConvertTo-Json` or `| Export-Clixml`: its first object.
pub fn hybrid_configuration(path: &Path, text: &str) -> Result<HybridConfiguration, InputError> {
    const CMDLET: &str = "Get-HybridConfiguration";
    let rows = objects(path, text, CMDLET, "HybridConfiguration")?.unwrap_or_default();
    let Some((at, obj)) = rows.first() else {
        return Err(InputError::new(
            path,
            "the file is empty: Get-HybridConfiguration returned nothing (HCW has not run)",
        ));
    };
    let servers =
        |name: &str| text_list(path, at, obj, name, &["Name"], "a server name such as EX01");
    Ok(HybridConfiguration {
        on_premises_smart_host: opt_text(path, at, obj, "OnPremisesSmartHost", &["Domain"])?,
        tls_certificate_name: tls_certificate_name(path, at, obj)?,
        sending_transport_servers: servers("SendingTransportServers")?,
        receiving_transport_servers: servers("ReceivingTransportServers")?,
    })
}

/// `TransportRole` in words: the name, or the number as Exchange's exports write it.
fn transport_role(v: &Value) -> Option<String> {
    let named = |n: i64| match n {
        16384 => "FrontendTransport".to_string(),
        32 => "HubTransport".to_string(),
        n => n.to_string(),
    };
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => n.as_i64().map(named),
        Value::Object(o) => match json::get(o, "ToString") {
            Some(Value::String(s)) => Some(s.clone()),
            _ => json::get(o, "value").and_then(Value::as_i64).map(named),
        },
        _ => None,
    }
}

/// `Get-ReceiveConnector | ConvertTo-Json` or `| Export-Clixml`. An empty file means none.
pub fn receive_connectors(path: &Path, text: &str) -> Result<Vec<ReceiveConnector>, InputError> {
    const CMDLET: &str = "Get-ReceiveConnector";
    let Some(rows) = objects(path, text, CMDLET, "ReceiveConnector")? else {
        return Ok(Vec::new());
    };
    let mut out = Vec::with_capacity(rows.len());
    for (at, obj) in &rows {
        let (at, obj) = (at.as_str(), obj);
        wrong_cmdlet(path, at, obj, CMDLET)?;
        let name = json::name_of(path, at, obj, CMDLET)?;
        let mut c = ReceiveConnector::new(name);
        c.server = opt_text(path, at, obj, "Server", &["Name"])?;
        c.transport_role = json::present(obj, "TransportRole").and_then(transport_role);
        c.enabled = json::opt_bool(path, at, obj, "Enabled", true)?;
        c.fqdn = opt_text(path, at, obj, "Fqdn", &["Domain"])?;
        c.tls_certificate_name = tls_certificate_name(path, at, obj)?;
        let capabilities = read_list(
            path,
            at,
            obj,
            "TlsDomainCapabilities",
            "a capability such as contoso.mail.onmicrosoft.com:AcceptCloudServicesMail",
            capability_text,
        )?;
        c.tls_domain_capabilities = capabilities;
        c.require_tls = json::opt_bool(path, at, obj, "RequireTLS", false)?;
        out.push(c);
    }
    Ok(out)
}
