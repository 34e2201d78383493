//! `Export-Clixml` files (PowerShell CLIXML): `Get-ExchangeCertificate` output, whose
//! certificates are the DER in `RawData` and whose `Services` hide in the .NET
//! `SerializationData` blob, and `Get-AcceptedDomain` output.

use std::collections::HashMap;
use std::path::Path;

use roxmltree::{Document, Node};

use super::domains::RawDomain;
use super::nrbf;
use crate::error::InputError;

pub use relaycheck_core::model::Services;

/// One certificate of a `Get-ExchangeCertificate` export.
#[derive(Debug, Clone)]
pub struct ExchangeCertificate {
    /// Its position among the file's objects.
    pub index: usize,
    pub der: Vec<u8>,
    /// `None` when the `SerializationData` is missing or unreadable.
    pub services: Option<Services>,
    /// `SERVER\THUMBPRINT` (from `SerializationData`, or a plain `Identity` property).
    pub identity: Option<String>,
    /// `HasPrivateKey`, when the export carries it as a property.
    pub has_private_key: Option<bool>,
}

/// Whether decoded text looks like CLIXML.
pub fn is_clixml(text: &str) -> bool {
    let t = text.trim_start_matches('\u{feff}').trim_start();
    t.starts_with("<Objs") || (t.starts_with("<?xml") && t.contains("<Objs"))
}

/// Decodes PowerShell's `_xHHHH_` escapes (`_x000D__x000A_` is CRLF).
pub fn unescape(text: &str) -> String {
    if !text.contains("_x") {
        return text.to_string();
    }
    let mut units: Vec<u16> = Vec::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        if let Some(hex) = rest
            .strip_prefix("_x")
            .and_then(|r| r.get(..5))
            .filter(|h| h.ends_with('_'))
            .and_then(|h| u16::from_str_radix(&h[..4], 16).ok())
        {
            units.push(hex);
            rest = &rest[7..];
            continue;
        }
        let Some(c) = rest.chars().next() else { break };
        let mut buf = [0u16; 2];
        units.extend_from_slice(c.encode_utf16(&mut buf));
        rest = &rest[c.len_utf8()..];
    }
    String::from_utf16_lossy(&units)
}

/// A parsed CLIXML document with its type names resolved.
struct Clixml<'a, 'input> {
    doc: &'a Document<'input>,
    type_names: HashMap<&'a str, Vec<&'a str>>,
}

impl<'a, 'input> Clixml<'a, 'input> {
    fn new(doc: &'a Document<'input>) -> Self {
        let mut type_names = HashMap::new();
        for tn in doc.descendants().filter(|n| n.tag_name().name() == "TN") {
            if let Some(id) = tn.attribute("RefId") {
                let names = tn
                    .children()
                    .filter(|c| c.tag_name().name() == "T")
                    .filter_map(|c| c.text())
                    .collect();
                type_names.insert(id, names);
            }
        }
        Clixml { doc, type_names }
    }

    /// The top-level objects.
    fn objects(&self) -> Vec<Node<'a, 'input>> {
        self.doc
            .root_element()
            .children()
            .filter(|n| n.tag_name().name() == "Obj")
            .collect()
    }

    /// The type names of an `Obj` (its own `TN`, or the one a `TNRef` points at).
    fn types(&self, obj: Node<'a, 'input>) -> Vec<&'a str> {
        for child in obj.children() {
            match child.tag_name().name() {
                "TN" => {
                    return child
                        .children()
                        .filter(|c| c.tag_name().name() == "T")
                        .filter_map(|c| c.text())
                        .collect();
                }
                "TNRef" => {
                    return child
                        .attribute("RefId")
                        .and_then(|id| self.type_names.get(id))
                        .cloned()
                        .unwrap_or_default();
                }
                _ => {}
            }
        }
        Vec::new()
    }
}

/// A property of an object (in `Props` or `MS`) by its `N` attribute.
fn property<'a, 'input>(obj: Node<'a, 'input>, name: &str) -> Option<Node<'a, 'input>> {
    obj.children()
        .filter(|c| matches!(c.tag_name().name(), "Props" | "MS"))
        .flat_map(|set| set.children())
        .find(|p| p.is_element() && p.attribute("N") == Some(name))
}

fn text_of(node: Node<'_, '_>) -> String {
    unescape(node.text().unwrap_or(""))
}

/// A string property: `<S N=…>`, or an object's `ToString`.
fn string_property(obj: Node<'_, '_>, name: &str) -> Option<String> {
    let p = property(obj, name)?;
    match p.tag_name().name() {
        "Nil" => None,
        "Obj" => p
            .children()
            .find(|c| c.tag_name().name() == "ToString")
            .map(text_of),
        _ => Some(text_of(p)),
    }
}

fn parse_document<'input>(path: &Path, text: &'input str) -> Result<Document<'input>, InputError> {
    let text = text.trim_start_matches('\u{feff}');
    let doc = Document::parse(text).map_err(|e| {
        InputError::new(
            path,
            // roxmltree's message quotes tag names from the file: cut and cleaned.
            format!(
                "not a readable Export-Clixml file: the XML is malformed ({})",
                relaycheck_core::text::excerpt(&e.to_string(), 2 * relaycheck_core::text::ECHO_MAX)
            ),
        )
    })?;
    if doc.root_element().tag_name().name() != "Objs" {
        return Err(InputError::new(
            path,
            "not an Export-Clixml file: the XML does not start with <Objs>",
        ));
    }
    Ok(doc)
}

/// What a file's objects are, for messages: the first type name, shortened, cut and
/// cleaned (it comes from the file).
fn describe_types(types: &[&str]) -> String {
    types
        .first()
        .map(|t| {
            let short = t.rsplit('.').next().unwrap_or(t);
            relaycheck_core::text::excerpt(short, relaycheck_core::text::ECHO_MAX).into_owned()
        })
        .unwrap_or_else(|| "untyped objects".to_string())
}

fn is_certificate(types: &[&str]) -> bool {
    types.iter().any(|t| {
        let t = t.strip_prefix("Deserialized.").unwrap_or(t);
        t.ends_with(".ExchangeCertificate") || t.ends_with("X509Certificates.X509Certificate2")
    })
}

/// The certificates of a `Get-ExchangeCertificate | Export-Clixml` file.
pub fn certificates(path: &Path, text: &str) -> Result<Vec<ExchangeCertificate>, InputError> {
    let doc = parse_document(path, text)?;
    let clixml = Clixml::new(&doc);
    let objects = clixml.objects();
    if objects.is_empty() {
        return Err(InputError::new(
            path,
            "the Export-Clixml file holds no objects (did Get-ExchangeCertificate return nothing?)",
        ));
    }
    let mut out = Vec::with_capacity(objects.len());
    for (i, obj) in objects.iter().enumerate() {
        let types = clixml.types(*obj);
        if !is_certificate(&types) {
            return Err(InputError::new(
                path,
                format!(
                    "[{i}]: this is {} output, not Get-ExchangeCertificate (expected certificates)",
                    describe_types(&types)
                ),
            ));
        }
        let raw = property(*obj, "RawData").ok_or_else(|| {
            InputError::new(
                path,
                format!("[{i}].RawData: missing; the certificate bytes are not in the file"),
            )
        })?;
        let b64: String = raw
            .text()
            .unwrap_or("")
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let der = data_encoding::BASE64
            .decode(b64.as_bytes())
            .map_err(|_| InputError::new(path, format!("[{i}].RawData: not valid Base64")))?;
        if der.is_empty() {
            return Err(InputError::new(path, format!("[{i}].RawData: empty")));
        }
        let blob = property(*obj, "SerializationData")
            .and_then(|n| n.text())
            .map(|t| t.chars().filter(|c| !c.is_whitespace()).collect::<String>())
            .and_then(|b| data_encoding::BASE64.decode(b.as_bytes()).ok());
        let from_blob = match blob.as_deref().map(exchange_fields) {
            Some(Err(why)) => {
                return Err(InputError::new(
                    path,
                    format!(
                        "[{i}].SerializationData: the .NET serialisation data is beyond what relaycheck reads: {why}"
                    ),
                ));
            }
            Some(Ok(fields)) => fields,
            None => (None, None),
        };
        let services = from_blob.0.or_else(|| {
            // Some exports carry Services as a plain property.
            string_property(*obj, "Services").and_then(|s| parse_services(&s))
        });
        let identity = from_blob.1.or_else(|| string_property(*obj, "Identity"));
        let has_private_key = property(*obj, "HasPrivateKey")
            .and_then(|n| n.text())
            .and_then(|t| match t.trim() {
                t if t.eq_ignore_ascii_case("true") => Some(true),
                t if t.eq_ignore_ascii_case("false") => Some(false),
                _ => None,
            });
        out.push(ExchangeCertificate {
            index: i,
            der,
            services,
            identity,
            has_private_key,
        });
    }
    Ok(out)
}

/// `Services` and `Identity` from the `SerializationData` blob: `None` for what it does
/// not say or when it is unreadable, `Err` with the limit when reading it would take more
/// than relaycheck allows.
type ExchangeFields = (Option<Services>, Option<String>);

fn exchange_fields(blob: &[u8]) -> Result<ExchangeFields, String> {
    let stream = match nrbf::parse(blob) {
        Ok(stream) => stream,
        Err(nrbf::Refusal::Damaged) => return Ok((None, None)),
        Err(nrbf::Refusal::Limit(why)) => return Err(why),
    };
    let services = (|| {
        let value = stream.root()?.member("Services")?;
        let n = stream.enum_value(value)?;
        u32::try_from(n).ok().map(Services)
    })();
    let identity = stream
        .root()
        .and_then(|r| r.member("Identity"))
        .and_then(|v| match v {
            nrbf::Value::Text(t) => Some(t.clone()),
            _ => None,
        });
    Ok((services, identity))
}

/// `IIS, SMTP` (as printed) or a number.
pub fn parse_services(text: &str) -> Option<Services> {
    let t = text.trim();
    if let Ok(n) = t.parse::<u32>() {
        return Some(Services(n));
    }
    let mut bits = 0;
    for word in t.split([',', ' ']).filter(|w| !w.is_empty()) {
        if word.eq_ignore_ascii_case("None") {
            continue;
        }
        let (bit, _) = Services::NAMES
            .iter()
            .find(|(_, n)| n.eq_ignore_ascii_case(word))?;
        bits |= bit;
    }
    Some(Services(bits))
}

/// The accepted domains of a `Get-AcceptedDomain | Export-Clixml` file.
pub fn accepted_domains(path: &Path, text: &str) -> Result<Vec<RawDomain>, InputError> {
    let doc = parse_document(path, text)?;
    let clixml = Clixml::new(&doc);
    let objects = clixml.objects();
    if objects.is_empty() {
        return Err(InputError::new(
            path,
            "the Export-Clixml file holds no accepted domains",
        ));
    }
    let mut out = Vec::with_capacity(objects.len());
    for (i, obj) in objects.iter().enumerate() {
        let types = clixml.types(*obj);
        if !types.iter().any(|t| t.ends_with(".AcceptedDomain")) {
            return Err(InputError::new(
                path,
                format!(
                    "[{i}]: this is {} output, not Get-AcceptedDomain",
                    describe_types(&types)
                ),
            ));
        }
        let at = |field: &str| format!("[{i}].{field}");
        let name = property(*obj, "DomainName")
            .ok_or_else(|| InputError::new(path, format!("{}: missing", at("DomainName"))))?;
        let (domain, address) = if name.tag_name().name() == "Obj" {
            let domain = string_property(name, "Domain");
            let address = string_property(name, "Address").or_else(|| {
                name.children()
                    .find(|c| c.tag_name().name() == "ToString")
                    .map(text_of)
            });
            (domain, address)
        } else {
            (None, Some(text_of(name)))
        };
        let domain_type = match property(*obj, "DomainType") {
            None => None,
            Some(node) if node.tag_name().name() == "Obj" => {
                let number = node
                    .children()
                    .find(|c| c.tag_name().name() == "I32")
                    .and_then(|c| c.text())
                    .map(str::trim);
                match number {
                    Some(t) => Some(match t.parse::<i64>() {
                        Ok(n) => super::domains::TypeText::Number(n),
                        Err(_) => super::domains::TypeText::Written(t.to_string()),
                    }),
                    None => node
                        .children()
                        .find(|c| c.tag_name().name() == "ToString")
                        .map(|c| super::domains::TypeText::Name(text_of(c))),
                }
            }
            Some(node) => Some(super::domains::TypeText::Name(text_of(node))),
        };
        let flag = |field: &str| {
            property(*obj, field)
                .and_then(|n| n.text())
                .is_some_and(|t| t.trim().eq_ignore_ascii_case("true"))
        };
        out.push(RawDomain {
            at: format!("[{i}]"),
            domain,
            address,
            domain_type,
            default: flag("Default"),
        });
    }
    Ok(out)
}

/// How deep [`objects_as_values`] follows nested objects; what is deeper reads as null (a
/// connector's fields are at most four levels down).
const VALUE_DEPTH: usize = 16;

/// The top-level objects of any Export-Clixml file as JSON-like values, each with the
/// short name of its first type (`SmtpSendConnectorConfig`), so that the readers of
/// `ConvertTo-Json` output read Export-Clixml too: properties (`Props` and `MS`) become
/// keys, lists become arrays, enums `{"value": n, "ToString": name}`, an object without
/// properties its `ToString` text, a `<Ref>` the `ToString` of the object it points at;
/// bytes (`RawData`, `SerializationData`) are left out. Work is linear in the file.
pub fn objects_as_values(
    path: &Path,
    text: &str,
) -> Result<Vec<(Vec<String>, serde_json::Value)>, InputError> {
    let doc = parse_document(path, text)?;
    let clixml = Clixml::new(&doc);
    let mut names: HashMap<&str, String> = HashMap::new();
    for obj in doc.descendants().filter(|n| n.tag_name().name() == "Obj") {
        if let (Some(id), Some(t)) = (
            obj.attribute("RefId"),
            obj.children().find(|c| c.tag_name().name() == "ToString"),
        ) {
            names.insert(id, text_of(t));
        }
    }
    Ok(clixml
        .objects()
        .into_iter()
        .map(|obj| {
            let types = clixml
                .types(obj)
                .iter()
                .map(|t| t.strip_prefix("Deserialized.").unwrap_or(t).to_string())
                .collect();
            (types, value_of(&clixml, obj, &names, 0))
        })
        .collect())
}

fn value_of(
    clixml: &Clixml<'_, '_>,
    node: Node<'_, '_>,
    names: &HashMap<&str, String>,
    depth: usize,
) -> serde_json::Value {
    use serde_json::Value;
    if depth > VALUE_DEPTH {
        return Value::Null;
    }
    let text = || text_of(node);
    match node.tag_name().name() {
        "S" | "G" | "DT" | "TS" | "URI" | "Version" | "XD" | "SBK" | "C" => Value::String(text()),
        "B" => Value::Bool(text().trim().eq_ignore_ascii_case("true")),
        "I16" | "I32" | "I64" | "U16" | "U32" | "U64" | "By" | "SB" => {
            let t = text();
            match t.trim().parse::<i64>() {
                Ok(n) => Value::from(n),
                Err(_) => Value::String(t),
            }
        }
        "Ref" => node
            .attribute("RefId")
            .and_then(|id| names.get(id))
            .map_or(Value::Null, |t| Value::String(t.clone())),
        "Obj" => {
            let child = |name: &str| node.children().find(|c| c.tag_name().name() == name);
            if let Some(list) = ["LST", "IE", "ST", "QUE", "STK"]
                .iter()
                .find_map(|n| child(n))
            {
                return Value::Array(
                    list.children()
                        .filter(|c| c.is_element())
                        .map(|c| value_of(clixml, c, names, depth + 1))
                        .collect(),
                );
            }
            let to_string = child("ToString").map(text_of);
            let mut map = serde_json::Map::new();
            if let Some(dict) = child("DCT") {
                for en in dict.children().filter(|c| c.tag_name().name() == "En") {
                    let part = |n: &str| {
                        en.children()
                            .find(|c| c.is_element() && c.attribute("N") == Some(n))
                    };
                    if let (Some(k), Some(v)) = (part("Key"), part("Value")) {
                        map.insert(text_of(k), value_of(clixml, v, names, depth + 1));
                    }
                }
                return Value::Object(map);
            }
            let is_enum = clixml.types(node).contains(&"System.Enum");
            if is_enum && let Some(n) = child("I32").or_else(|| child("I64")) {
                map.insert("value".into(), value_of(clixml, n, names, depth + 1));
                if let Some(t) = to_string {
                    map.insert("ToString".into(), Value::String(t));
                }
                return Value::Object(map);
            }
            for p in node
                .children()
                .filter(|c| matches!(c.tag_name().name(), "Props" | "MS"))
                .flat_map(|set| set.children())
                .filter(|p| p.is_element() && p.tag_name().name() != "BA")
            {
                if let Some(n) = p.attribute("N") {
                    map.insert(unescape(n), value_of(clixml, p, names, depth + 1));
                }
            }
            match (map.is_empty(), to_string) {
                (true, Some(t)) => Value::String(t),
                (true, None) => Value::Null,
                (false, t) => {
                    if let Some(t) = t {
                        map.entry("ToString").or_insert(Value::String(t));
                    }
                    Value::Object(map)
                }
            }
        }
        _ => Value::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unescapes_powershell_escapes() {
        assert_eq!(unescape("a_x000D__x000A_b"), "a\r\nb");
        assert_eq!(unescape("no escapes"), "no escapes");
        assert_eq!(unescape("_x00"), "_x00");
        assert_eq!(unescape("_xZZZZ_"), "_xZZZZ_");
        assert_eq!(unescape("é_x0041_"), "éA");
    }

    #[test]
    fn services_parsing() {
        assert_eq!(parse_services("IIS, SMTP"), Some(Services(24)));
        assert_eq!(parse_services("None"), Some(Services(0)));
        assert_eq!(parse_services("16"), Some(Services(16)));
        assert_eq!(parse_services("Fax"), None);
    }

    #[test]
    fn other_cmdlets_output_is_refused_by_name() {
        let xml = r#"<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04"><Obj RefId="0"><TN RefId="0"><T>Microsoft.Exchange.Data.Directory.SystemConfiguration.ReceiveConnector</T></TN></Obj></Objs>"#;
        let e = certificates(Path::new("x.xml"), xml).unwrap_err();
        assert!(e.message.contains("ReceiveConnector output"), "{e}");
        let e = certificates(Path::new("x.xml"), "<Objs").unwrap_err();
        assert!(e.message.contains("malformed"), "{e}");
        let long = format!("<Objs><{}></b></Objs>", "x".repeat(100_000));
        let e = certificates(Path::new("x.xml"), &long).unwrap_err();
        assert!(e.message.len() < 400, "{} bytes", e.message.len());
        assert!(e.message.contains("more characters"), "{e}");
    }
}
