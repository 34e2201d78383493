//! Distinguished names written the way Exchange and .NET show them
//! (`X500DistinguishedName.Name`): most specific attribute first, `, ` between attributes,
//! `S=` for the state, and the `<I>issuer<S>subject` form of `TlsCertificateName`.

use x509_parser::x509::{AttributeTypeAndValue, X509Name};

/// .NET's short names for the attribute types it knows.
fn short_name(oid: &str) -> Option<&'static str> {
    Some(match oid {
        "2.5.4.3" => "CN",
        "2.5.4.4" => "SN",
        "2.5.4.5" => "SERIALNUMBER",
        "2.5.4.6" => "C",
        "2.5.4.7" => "L",
        "2.5.4.8" => "S",
        "2.5.4.9" => "STREET",
        "2.5.4.10" => "O",
        "2.5.4.11" => "OU",
        "2.5.4.12" => "T",
        "2.5.4.17" => "PostalCode",
        "2.5.4.42" => "G",
        "2.5.4.43" => "I",
        "1.2.840.113549.1.9.1" => "E",
        "0.9.2342.19200300.100.1.25" => "DC",
        "0.9.2342.19200300.100.1.1" => "UID",
        _ => return None,
    })
}

fn attribute(attr: &AttributeTypeAndValue<'_>) -> String {
    let oid = attr.attr_type().to_id_string();
    let key = short_name(&oid).map_or_else(|| format!("OID.{oid}"), str::to_string);
    let value = match attr
        .as_str()
        .map(str::to_string)
        .or_else(|_| decode_other(attr))
    {
        Ok(s) => quote(&s),
        Err(()) => {
            let hex: String = attr.as_slice().iter().map(|b| format!("{b:02X}")).collect();
            format!("#{hex}")
        }
    };
    format!("{key}={value}")
}

/// The text of an attribute, whatever string type it was written in.
pub fn text(attr: &AttributeTypeAndValue<'_>) -> Option<String> {
    attr.as_str()
        .map(str::to_string)
        .or_else(|_| decode_other(attr))
        .ok()
}

/// String types x509-parser leaves undecoded: BMPString (UTF-16BE), UniversalString
/// (UTF-32BE) and TeletexString (read as Latin-1, as most software does).
fn decode_other(attr: &AttributeTypeAndValue<'_>) -> Result<String, ()> {
    let any = attr.attr_value();
    let data = any.data;
    match any.tag().0 {
        30 if data.len().is_multiple_of(2) => {
            let units = data
                .chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]));
            char::decode_utf16(units)
                .collect::<Result<String, _>>()
                .map_err(|_| ())
        }
        28 if data.len().is_multiple_of(4) => data
            .chunks_exact(4)
            .map(|c| char::from_u32(u32::from_be_bytes([c[0], c[1], c[2], c[3]])).ok_or(()))
            .collect(),
        20 => Ok(data.iter().map(|b| char::from(*b)).collect()),
        _ => Err(()),
    }
}

/// Quotes a value the way .NET does when it holds a separator or an edge blank.
fn quote(value: &str) -> String {
    let needs = value.is_empty()
        || value.starts_with(' ')
        || value.ends_with(' ')
        || value.chars().any(|c| {
            matches!(
                c,
                ',' | '+' | '=' | '"' | '\n' | '\r' | '<' | '>' | '#' | ';'
            )
        });
    if needs {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_string()
    }
}

/// The name as Exchange's `Subject` / `Issuer` shows it.
pub fn exchange_dn(name: &X509Name<'_>) -> String {
    let rdns: Vec<String> = name
        .iter_rdn()
        .map(|rdn| rdn.iter().map(attribute).collect::<Vec<_>>().join(" + "))
        .collect();
    rdns.into_iter().rev().collect::<Vec<_>>().join(", ")
}

/// Exchange Server's `TlsCertificateName` value for a certificate.
pub fn tls_certificate_name(issuer: &str, subject: &str) -> String {
    format!("<I>{issuer}<S>{subject}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_follows_dotnet() {
        assert_eq!(quote("Contoso"), "Contoso");
        assert_eq!(quote("Contoso, Ltd"), "\"Contoso, Ltd\"");
        assert_eq!(quote("say \"hi\", ok"), "\"say \"\"hi\"\", ok\"");
    }

    #[test]
    fn tls_certificate_name_shape() {
        assert_eq!(
            tls_certificate_name("CN=localhost", "CN=localhost"),
            "<I>CN=localhost<S>CN=localhost"
        );
    }
}
