//! Accepted domains as `Get-AcceptedDomain` prints them (JSON or CLIXML), turned into the
//! model's [`AcceptedDomain`]s, and the verification status `Get-MgDomain` adds.

use std::collections::HashMap;
use std::path::Path;

use super::{Note, NoteKind};
use crate::error::InputError;
use relaycheck_core::model::{AcceptedDomain, DomainType};
use relaycheck_core::names::DnsName;
use relaycheck_core::text::{ECHO_MAX, excerpt, quoted};

/// `DomainType` as written: a name (`Authoritative`) or the enum number (`0`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeText {
    Name(String),
    Number(i64),
    /// A number that is no 64-bit integer (`18446744073709551616`, `1.5`), as written.
    Written(String),
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
        TypeText::Written(n) => Err(format!(
            "{} is not an accepted domain type ({expected})",
            excerpt(n, ECHO_MAX)
        )),
        TypeText::Name(name) => match name.trim().to_ascii_lowercase().as_str() {
            "authoritative" | "0" => Ok(DomainType::Authoritative),
            "externalrelay" | "1" => Ok(DomainType::ExternalRelay),
            "internalrelay" | "2" => Ok(DomainType::InternalRelay),
            _ => Err(format!(
                "{} is not an accepted domain type ({expected})",
                quoted(name)
            )),
        },
    }
}

/// The longest text that can still be a domain name: 253 characters and a trailing dot.
const LONGEST_NAME: usize = 254;

/// A domain name from a cmdlet's output or the command line. The problem, when it is not
/// one, quotes the text cut to [`ECHO_MAX`] characters and cleaned.
pub(crate) fn domain_name(text: &str) -> Result<DnsName, String> {
    let length = text.trim().chars().count();
    if length > LONGEST_NAME {
        return Err(format!(
            "{} is not a valid domain name (it is {} characters long; a domain name has at most 253)",
            quoted(text.trim()),
            relaycheck_core::text::group(length as u64)
        ));
    }
    DnsName::parse(text).map_err(|e| relaycheck_core::text::clean_line(&e.0).into_owned())
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
    // Where each domain already is in `out`: duplicates are merged in one pass.
    let mut seen: HashMap<DnsName, usize> = HashMap::with_capacity(rows.len());
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
                        "Accepted domain {} in {} counts as {} only: for relay attribution a subdomain is not accepted by itself.",
                        excerpt(&written, ECHO_MAX),
                        path.display(),
                        excerpt(&base, ECHO_MAX)
                    ),
                ));
                base
            }
            None => written.clone(),
        };
        let domain = domain_name(&name_text)
            .map_err(|e| InputError::new(path, format!("{name_field}: {e}")))?;
        if let Some(&i) = seen.get(&domain) {
            out[i].default |= row.default;
            continue;
        }
        seen.insert(domain.clone(), out.len());
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
    fn out_of_range_numbers_are_told_as_written() {
        assert_eq!(
            domain_type(&TypeText::Written("18446744073709551616".into())).unwrap_err(),
            "18446744073709551616 is not an accepted domain type (expected Authoritative, ExternalRelay, InternalRelay or the numbers 0, 1, 2)"
        );
        assert!(
            domain_type(&TypeText::Number(-1))
                .unwrap_err()
                .starts_with("-1 is not")
        );
    }

    #[test]
    fn duplicates_merge_in_one_pass_keeping_the_first_place() {
        let mut rows: Vec<RawDomain> = (0..20_000)
            .map(|i| row(&format!("d{}.contoso.com", i % 10_000), None))
            .collect();
        rows[15_000].default = true;
        let d = to_accepted(Path::new("a.json"), rows, &mut Vec::new()).unwrap();
        assert_eq!(d.len(), 10_000);
        assert_eq!(d[0].domain.as_str(), "d0.contoso.com");
        assert!(d[5_000].default, "the duplicate's Default is kept");
        assert_eq!(d.iter().filter(|x| x.default).count(), 1);
    }

    #[test]
    fn a_huge_name_is_cut_in_the_message() {
        let huge = format!("{}.com", "a".repeat(1_000_000));
        let e =
            to_accepted(Path::new("a.json"), vec![row(&huge, None)], &mut Vec::new()).unwrap_err();
        assert!(e.message.len() < 400, "{} bytes", e.message.len());
        assert!(
            e.message.starts_with(&format!("[0].DomainName: \"{}…\" (999,884 more characters) is not a valid domain name (it is 1,000,004 characters long; a domain name has at most 253)", "a".repeat(120))),
            "{}",
            &e.message[..200]
        );
    }

    #[test]
    fn bad_names_name_the_field() {
        let mut notes = Vec::new();
        let e =
            to_accepted(Path::new("a.json"), vec![row("con toso", None)], &mut notes).unwrap_err();
        assert!(e.message.starts_with("[0].DomainName: "), "{e}");
    }
}
