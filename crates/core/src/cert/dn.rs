//! Distinguished names written the way Exchange and .NET show them
//! (`X500DistinguishedName.Name`): most specific attribute first, `, ` between attributes,
//! `S=` for the state, and the `<I>issuer<S>subject` form of `TlsCertificateName`.

use x509_parser::x509::{AttributeTypeAndValue, X509Name};

/// .NET's short names for the attribute types it knows, by the OID's DER content bytes
/// (compared as bytes: turning every OID into dotted text was a tenth of listing a store).
fn short_name(oid: &[u8]) -> Option<&'static str> {
    const PKCS9_EMAIL: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01];
    const PILOT: &[u8] = &[0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01];
    Some(match oid {
        [0x55, 0x04, n] => match n {
            3 => "CN",
            4 => "SN",
            5 => "SERIALNUMBER",
            6 => "C",
            7 => "L",
            8 => "S",
            9 => "STREET",
            10 => "O",
            11 => "OU",
            12 => "T",
            17 => "PostalCode",
            42 => "G",
            43 => "I",
            _ => return None,
        },
        o if o == PKCS9_EMAIL => "E",
        [p @ .., 25] if p == PILOT => "DC",
        [p @ .., 1] if p == PILOT => "UID",
        _ => return None,
    })
}

fn push_attribute(out: &mut String, attr: &AttributeTypeAndValue<'_>) {
    match short_name(attr.attr_type().as_bytes()) {
        Some(key) => out.push_str(key),
        None => {
            out.push_str("OID.");
            out.push_str(&attr.attr_type().to_id_string());
        }
    }
    out.push('=');
    match attr.as_str() {
        Ok(s) => push_quoted(out, s),
        Err(_) => match decode_other(attr) {
            Ok(s) => push_quoted(out, &s),
            Err(()) => {
                out.push('#');
                super::push_hex_upper(out, attr.as_slice());
            }
        },
    }
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
fn push_quoted(out: &mut String, value: &str) {
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
        out.push('"');
        out.push_str(&value.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(value);
    }
}

#[cfg(test)]
fn quote(value: &str) -> String {
    let mut out = String::new();
    push_quoted(&mut out, value);
    out
}

/// The name as Exchange's `Subject` / `Issuer` shows it: the most specific RDN first,
/// `, ` between RDNs, ` + ` between the attributes of one RDN.
pub fn exchange_dn(name: &X509Name<'_>) -> String {
    let rdns: Vec<_> = name.iter_rdn().collect();
    let mut out = String::with_capacity(64);
    for (i, rdn) in rdns.iter().rev().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        for (j, attr) in rdn.iter().enumerate() {
            if j > 0 {
                out.push_str(" + ");
            }
            push_attribute(&mut out, attr);
        }
    }
    out
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
    fn short_names_are_found_by_the_oid_bytes() {
        use std::str::FromStr;
        let table = [
            ("2.5.4.3", "CN"),
            ("2.5.4.4", "SN"),
            ("2.5.4.5", "SERIALNUMBER"),
            ("2.5.4.6", "C"),
            ("2.5.4.7", "L"),
            ("2.5.4.8", "S"),
            ("2.5.4.9", "STREET"),
            ("2.5.4.10", "O"),
            ("2.5.4.11", "OU"),
            ("2.5.4.12", "T"),
            ("2.5.4.17", "PostalCode"),
            ("2.5.4.42", "G"),
            ("2.5.4.43", "I"),
            ("1.2.840.113549.1.9.1", "E"),
            ("0.9.2342.19200300.100.1.25", "DC"),
            ("0.9.2342.19200300.100.1.1", "UID"),
        ];
        for (dotted, name) in table {
            let oid = x509_parser::der_parser::oid::Oid::from_str(dotted).unwrap();
            assert_eq!(short_name(oid.as_bytes()), Some(name), "{dotted}");
        }
        for other in [
            "2.5.4.13",
            "1.2.840.113549.1.9.2",
            "0.9.2342.19200300.100.1.3",
        ] {
            let oid = x509_parser::der_parser::oid::Oid::from_str(other).unwrap();
            assert_eq!(short_name(oid.as_bytes()), None, "{other}");
        }
    }

    #[test]
    fn tls_certificate_name_shape() {
        assert_eq!(
            tls_certificate_name("CN=localhost", "CN=localhost"),
            "<I>CN=localhost<S>CN=localhost"
        );
    }
}
