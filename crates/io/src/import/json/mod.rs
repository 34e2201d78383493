//! `ConvertTo-Json` output of the Exchange Online and Graph cmdlets, in every shape
//! Windows PowerShell 5.1 and PowerShell 7 write it: one object or an array (or the
//! `{"value": [...], "Count": n}` wrapper 5.1 sometimes makes), enums as names or numbers,
//! nested objects expanded or flattened to strings. Keys are matched without regard to
//! case, so Graph's raw `{"value": [{"id", "isVerified"}]}` reads too.
//!
//! Errors name the field as `[2].DomainType` (or `DomainType` for a single object).

use std::path::Path;

use serde_json::{Map, Value};

use crate::error::InputError;
use relaycheck_core::text::{ECHO_MAX, excerpt, quoted};

mod exo;

pub(in crate::import) use exo::name_of;
pub use exo::{
    OutboundConnector, accepted_domains, domain_status, inbound_connectors, organization_fqdn,
    outbound_connectors,
};

pub(in crate::import) type Object = Map<String, Value>;

/// Parses JSON text; `Ok(None)` when the file holds nothing (the cmdlet returned nothing).
pub(in crate::import) fn parse(path: &Path, text: &str) -> Result<Option<Value>, InputError> {
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
pub(in crate::import) fn get<'a>(obj: &'a Object, key: &str) -> Option<&'a Value> {
    obj.get(key).or_else(|| {
        obj.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    })
}

/// Present and not null.
pub(in crate::import) fn present<'a>(obj: &'a Object, key: &str) -> Option<&'a Value> {
    get(obj, key).filter(|v| !v.is_null())
}

pub(in crate::import) fn field(at: &str, name: &str) -> String {
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
pub(in crate::import) fn rows<'a>(
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

pub(in crate::import) fn kind(v: &Value) -> &'static str {
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

pub(in crate::import) fn missing(
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

pub(in crate::import) fn string_of(
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

pub(in crate::import) fn bool_of(
    path: &Path,
    at: &str,
    name: &str,
    v: &Value,
) -> Result<bool, InputError> {
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

pub(in crate::import) fn opt_bool(
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
pub(in crate::import) fn list_of(v: Option<&Value>) -> Vec<&Value> {
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
pub(in crate::import) fn enum_name(
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
pub(in crate::import) fn domain_text(v: &Value) -> (Option<String>, Option<String>) {
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

#[cfg(test)]
mod tests {
    use super::exo::*;
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
