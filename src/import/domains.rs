//! Accepted domains as `Get-AcceptedDomain` prints them (JSON or CLIXML), turned into the
//! model's [`AcceptedDomain`]s, and the verification status `Get-MgDomain` adds.

use std::path::Path;

use super::{Note, NoteKind};
use crate::error::InputError;
use crate::model::{AcceptedDomain, DomainType};
use crate::names::DnsName;

/// `DomainType` as written: a name (`Authoritative`) or the enum number (`0`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeText {
    Name(String),
    Number(i64),
}

/// One accepted domain as read, before checking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawDomain {
    /// Where it is in the file (`[2]`, or empty for a single object), for messages.
    pub at: String,
    /// `DomainName.Domain` (the name without a wildcard) when the object form gives it.
    pub domain: Option<String>,
    /// `DomainName` as a string, or `DomainName.Address` (may start with `*.`).
    pub address: Option<String>,
    pub domain_type: Option<TypeText>,
    pub default: bool,
}

/// Exchange's `AcceptedDomainType`: Authoritative = 0, ExternalRelay = 1, InternalRelay = 2.
pub fn domain_type(t: &TypeText) -> Result<DomainType, String> {
    let expected = "expected Authoritative, ExternalRelay, InternalRelay or the numbers 0, 1, 2";
    match t {
        TypeText::Number(0) => Ok(DomainType::Authoritative),
        TypeText::Number(1) => Ok(DomainType::ExternalRelay),
        TypeText::Number(2) => Ok(DomainType::InternalRelay),
        TypeText::Number(n) => Err(format!("{n} is not an accepted domain type ({expected})")),
        TypeText::Name(name) => match name.trim().to_ascii_lowercase().as_str() {
            "authoritative" | "0" => Ok(DomainType::Authoritative),
            "externalrelay" | "1" => Ok(DomainType::ExternalRelay),
            "internalrelay" | "2" => Ok(DomainType::InternalRelay),
            _ => Err(format!(
                "\"{name}\" is not an accepted domain type ({expected})"
            )),
        },
    }
}

fn field(at: &str, name: &str) -> String {
    if at.is_empty() {
        name.to_string()
    } else {
        format!("{at}.{name}")
    }
}

/// Checks the rows and makes accepted domains of them. Every domain counts as verified
/// here; the caller merges `Get-MgDomain` or records the assumption.
pub fn to_accepted(
    path: &Path,
    rows: Vec<RawDomain>,
    notes: &mut Vec<Note>,
) -> Result<Vec<AcceptedDomain>, InputError> {
    let mut out: Vec<AcceptedDomain> = Vec::with_capacity(rows.len());
    for row in rows {
        let name_field = field(&row.at, "DomainName");
        let written = row
            .address
            .clone()
            .or_else(|| row.domain.clone())
            .map(|s| s.trim().to_string())
            .unwrap_or_default();
        if written.is_empty() {
            return Err(InputError::new(
                path,
                format!("{name_field}: missing or empty; every accepted domain has a name"),
            ));
        }
        let domain_type = match &row.domain_type {
            Some(t) => domain_type(t).map_err(|e| {
                InputError::new(path, format!("{}: {e}", field(&row.at, "DomainType")))
            })?,
            None => DomainType::Authoritative,
        };
        if written == "*" {
            notes.push(Note::new(
                NoteKind::Skipped,
                format!(
                    "Accepted domain \"*\" ({domain_type}) in {} matches every domain; relaycheck counts named domains only, so it was left out.",
                    path.display()
                ),
            ));
            continue;
        }
        let name_text = match written.strip_prefix("*.") {
            Some(base) => {
                let base = row.domain.clone().unwrap_or_else(|| base.to_string());
                notes.push(Note::new(
                    NoteKind::Assumption,
                    format!(
                        "Accepted domain {written} in {} counts as {base} only: for relay attribution a subdomain is not accepted by itself.",
                        path.display()
                    ),
                ));
                base
            }
            None => written.clone(),
        };
        let domain = DnsName::parse(&name_text)
            .map_err(|e| InputError::new(path, format!("{name_field}: {e}")))?;
        if let Some(existing) = out.iter_mut().find(|d| d.domain == domain) {
            existing.default |= row.default;
            continue;
        }
        out.push(AcceptedDomain {
            domain,
            domain_type,
            verified: true,
            default: row.default,
        });
    }
    Ok(out)
}

/// One row of `Get-MgDomain`: is the domain's ownership verified?
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DomainVerification {
    pub domain: DnsName,
    pub verified: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(address: &str, t: Option<TypeText>) -> RawDomain {
        RawDomain {
            at: "[0]".into(),
            domain: None,
            address: Some(address.into()),
            domain_type: t,
            default: false,
        }
    }

    #[test]
    fn domain_type_names_and_numbers() {
        for (t, want) in [
            (TypeText::Number(0), DomainType::Authoritative),
            (TypeText::Number(1), DomainType::ExternalRelay),
            (TypeText::Number(2), DomainType::InternalRelay),
            (
                TypeText::Name("internalrelay".into()),
                DomainType::InternalRelay,
            ),
            (TypeText::Name("2".into()), DomainType::InternalRelay),
        ] {
            assert_eq!(domain_type(&t), Ok(want), "{t:?}");
        }
        assert!(domain_type(&TypeText::Number(3)).is_err());
        assert!(
            domain_type(&TypeText::Name("Federated".into()))
                .unwrap_err()
                .contains("\"Federated\" is not an accepted domain type")
        );
    }

    #[test]
    fn star_is_skipped_and_wildcards_count_as_their_base() {
        let mut notes = Vec::new();
        let rows = vec![
            row("*", Some(TypeText::Number(1))),
            row("*.contoso.local", None),
            row("Contoso.COM.", None),
            row("contoso.com", None),
        ];
        let d = to_accepted(Path::new("a.json"), rows, &mut notes).unwrap();
        let names: Vec<&str> = d.iter().map(|d| d.domain.as_str()).collect();
        assert_eq!(names, ["contoso.local", "contoso.com"]);
        assert_eq!(notes.len(), 2);
        assert_eq!(notes[0].kind, NoteKind::Skipped);
    }

    #[test]
    fn bad_names_name_the_field() {
        let mut notes = Vec::new();
        let e =
            to_accepted(Path::new("a.json"), vec![row("con toso", None)], &mut notes).unwrap_err();
        assert!(e.message.starts_with("[0].DomainName: "), "{e}");
    }
}
