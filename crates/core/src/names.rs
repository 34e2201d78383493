//! Host and domain names, and the two wildcard semantics that decide relaying:
//! the RFC 6125 certificate wildcard and the inbound connector's `TlsSenderCertificateName`.
//!
//! Every comparison works on names that are lower-case with one trailing dot removed
//! (docs/checks.md, "Name matching").

use std::fmt;
use std::sync::Arc;

/// Lower-cases ASCII and removes one trailing dot: the comparison form of a name.
pub fn normalize(name: &str) -> String {
    let trimmed = name.strip_suffix('.').unwrap_or(name);
    trimmed.to_ascii_lowercase()
}

/// A DNS host or domain name, already normalised and checked: LDH labels of 1 to 63
/// characters that neither start nor end with a hyphen, at most 253 characters, and a last
/// label that is not all digits (so `1.2.3.4` is an address, not a name).
///
/// Cloning shares the text (the plan's "what if" scenarios and the wizard's snapshots clone
/// thousands of names per validation); hashing and ordering are the text's.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DnsName(Arc<str>);

/// Why a text is not a usable DNS name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameError(pub String);

impl fmt::Display for NameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for NameError {}

impl DnsName {
    pub fn parse(text: &str) -> Result<Self, NameError> {
        let name = normalize(text.trim());
        match syntax_problem(&name) {
            None => Ok(DnsName(name.into())),
            Some(problem) => Err(NameError(format!(
                "\"{text}\" is not a valid domain name ({problem})"
            ))),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The name without its first label; `None` for a single-label name.
    pub fn parent(&self) -> Option<&str> {
        parent(&self.0)
    }

    pub fn label_count(&self) -> usize {
        self.0.split('.').count()
    }
}

impl fmt::Display for DnsName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for DnsName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DnsName({})", self.0)
    }
}

impl TryFrom<String> for DnsName {
    type Error = NameError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        DnsName::parse(&value)
    }
}

/// Lets hash maps keyed by names be asked with a `&str` (the derived `Hash` is the inner
/// string's, so both agree).
impl std::borrow::Borrow<str> for DnsName {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl From<DnsName> for String {
    fn from(value: DnsName) -> Self {
        value.0.to_string()
    }
}

impl serde::Serialize for DnsName {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for DnsName {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        DnsName::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// `parent(x)`: x without its first label.
pub fn parent(name: &str) -> Option<&str> {
    name.split_once('.').map(|(_, rest)| rest)
}

/// `base(x)`: x without a leading `*.`.
pub fn base(name: &str) -> &str {
    name.strip_prefix("*.").unwrap_or(name)
}

/// Returns why an already-normalised name is not a valid DNS name, or `None` when it is.
fn syntax_problem(name: &str) -> Option<&'static str> {
    if name.is_empty() {
        return Some("it is empty");
    }
    if name.len() > 253 {
        return Some("longer than 253 characters");
    }
    let mut last = "";
    for label in name.split('.') {
        if label.is_empty() {
            return Some("it has an empty label");
        }
        if label.len() > 63 {
            return Some("a label is longer than 63 characters");
        }
        if !label
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            return Some("only letters, digits, hyphens and dots are allowed");
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Some("a label starts or ends with a hyphen");
        }
        last = label;
    }
    if last.bytes().all(|b| b.is_ascii_digit()) {
        return Some("the last label is all digits");
    }
    None
}

/// True when an already-normalised text is a valid DNS name.
pub fn is_dns_name(name: &str) -> bool {
    syntax_problem(name).is_none()
}

/// A name as a certificate presents it (CN or DNS SAN), in comparison form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presented<'a> {
    Host(&'a str),
    /// `*.base`: the wildcard covers exactly one label in front of `base`.
    Wildcard(&'a str),
}

/// Classifies an already-normalised presented name. `None` for anything a certificate
/// may not carry as a DNS identifier: partial wildcards (`w*.x.y`), wildcards outside the
/// left-most label, a wildcard over a bare top-level domain (`*.com`), bad syntax.
pub fn classify_presented(name: &str) -> Option<Presented<'_>> {
    if let Some(rest) = name.strip_prefix("*.") {
        // At least two labels after the wildcard: `*.com` is refused, `*.co.uk` is
        // accepted (no public-suffix list: see docs/checks.md).
        (is_dns_name(rest) && rest.contains('.')).then_some(Presented::Wildcard(rest))
    } else {
        is_dns_name(name).then_some(Presented::Host(name))
    }
}

/// RFC 6125 matching of one presented certificate name against a host name, as a TLS client
/// (here: Exchange Online connecting to the organisation FQDN) does.
pub fn cert_name_matches_host(presented: &str, host: &str) -> bool {
    let presented = normalize(presented);
    let host = normalize(host);
    if !is_dns_name(&host) {
        return false;
    }
    match classify_presented(&presented) {
        Some(Presented::Host(p)) => p == host,
        Some(Presented::Wildcard(b)) => parent(&host) == Some(b),
        None => false,
    }
}

/// Host-name matching against a whole certificate: the DNS SANs when it has any, the
/// subject CN only when it has none (docs/checks.md, "Certificate wildcard"). An unreadable SAN
/// extension may hold DNS names we cannot see, so it leaves no CN fallback.
pub fn certificate_matches_host(
    common_name: Option<&str>,
    dns_sans: &[String],
    san_unreadable: bool,
    host: &str,
) -> bool {
    if !dns_sans.is_empty() || san_unreadable {
        dns_sans.iter().any(|san| cert_name_matches_host(san, host))
    } else {
        common_name.is_some_and(|cn| cert_name_matches_host(cn, host))
    }
}

/// A syntactically valid `TlsSenderCertificateName`: a domain name, optionally with one
/// leading `*.` meaning "this domain and all its subdomains".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tscn {
    Host(DnsName),
    Wildcard(DnsName),
}

impl Tscn {
    pub fn parse(text: &str) -> Result<Tscn, NameError> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(NameError("it is empty".into()));
        }
        if trimmed.chars().any(char::is_whitespace) {
            return Err(NameError("it contains spaces".into()));
        }
        let (wildcard, rest) = match trimmed.strip_prefix("*.") {
            Some(rest) => (true, rest),
            None => (false, trimmed),
        };
        if rest.contains('*') {
            return Err(NameError(
                "a wildcard is only allowed as a leading \"*.\" (for example *.contoso.com)".into(),
            ));
        }
        let name = DnsName::parse(rest).map_err(|_| {
            NameError(format!(
                "\"{rest}\" is not a domain name; use a domain such as contoso.com or *.contoso.com"
            ))
        })?;
        Ok(if wildcard {
            Tscn::Wildcard(name)
        } else {
            Tscn::Host(name)
        })
    }

    /// `base(TSCN)`: the domain that must be a verified accepted domain.
    pub fn base(&self) -> &DnsName {
        match self {
            Tscn::Host(n) | Tscn::Wildcard(n) => n,
        }
    }

    pub fn is_wildcard(&self) -> bool {
        matches!(self, Tscn::Wildcard(_))
    }

    /// Connector matching of one certificate name (CN or DNS SAN), docs/checks.md, "Connector wildcard".
    pub fn matches_cert_name(&self, cert_name: &str) -> bool {
        let name = normalize(cert_name);
        match self {
            Tscn::Wildcard(domain) => {
                let domain = domain.as_str();
                let valid = classify_presented(&name).is_some();
                valid
                    && (name == domain
                        || (name.len() > domain.len()
                            && name.ends_with(domain)
                            && name.as_bytes()[name.len() - domain.len() - 1] == b'.'))
            }
            Tscn::Host(host) => cert_name_matches_host(&name, host.as_str()),
        }
    }
}

impl fmt::Display for Tscn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Tscn::Host(n) => write!(f, "{n}"),
            Tscn::Wildcard(n) => write!(f, "*.{n}"),
        }
    }
}

/// An e-mail address as used in SMTP `MAIL FROM` / `RCPT TO`. Cloning shares the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailAddress {
    text: Arc<str>,
    domain: DnsName,
}

impl EmailAddress {
    pub fn parse(text: &str) -> Result<Self, NameError> {
        let trimmed = text.trim();
        let inner = trimmed
            .strip_prefix('<')
            .and_then(|t| t.strip_suffix('>'))
            .unwrap_or(trimmed);
        let Some((local, domain)) = inner.rsplit_once('@') else {
            return Err(NameError(format!(
                "\"{text}\" is not an e-mail address (no @)"
            )));
        };
        if local.is_empty() || local.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(NameError(format!(
                "\"{text}\" is not an e-mail address (bad local part)"
            )));
        }
        let domain = DnsName::parse(domain)
            .map_err(|e| NameError(format!("\"{text}\" is not an e-mail address: {}", e.0)))?;
        Ok(EmailAddress {
            text: format!("{local}@{domain}").into(),
            domain,
        })
    }

    pub fn domain(&self) -> &DnsName {
        &self.domain
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dns_name_is_normalised() {
        let n = DnsName::parse("Mail.Contoso.COM.").unwrap();
        assert_eq!(n.as_str(), "mail.contoso.com");
        assert_eq!(n.parent(), Some("contoso.com"));
    }

    #[test]
    fn dns_name_rejects_bad_syntax() {
        for bad in [
            "",
            "con toso.com",
            "a..b",
            "-a.com",
            "a-.com",
            "foo_bar.example.com",
            "1.2.3.4",
            "*.contoso.com",
            "café.com",
        ] {
            assert!(DnsName::parse(bad).is_err(), "{bad:?} should be rejected");
        }
        let long_label = format!("{}.com", "a".repeat(64));
        assert!(DnsName::parse(&long_label).is_err());
    }

    #[test]
    fn certificate_wildcard_covers_exactly_one_label() {
        assert!(cert_name_matches_host("*.contoso.com", "mail.contoso.com"));
        assert!(!cert_name_matches_host("*.contoso.com", "contoso.com"));
        assert!(!cert_name_matches_host("*.contoso.com", "a.b.contoso.com"));
    }

    #[test]
    fn certificate_wildcard_refuses_partial_inner_and_bare_tld() {
        assert!(!cert_name_matches_host(
            "m*.contoso.com",
            "mail.contoso.com"
        ));
        assert!(!cert_name_matches_host("mail.*.com", "mail.contoso.com"));
        assert!(!cert_name_matches_host("*.com", "contoso.com"));
        assert!(!cert_name_matches_host("*", "contoso"));
    }

    #[test]
    fn certificate_match_is_case_insensitive_and_ignores_one_trailing_dot() {
        assert!(cert_name_matches_host(
            "MAIL.Contoso.com",
            "mail.contoso.com."
        ));
        assert!(!cert_name_matches_host("mail.contoso.com", "*.contoso.com"));
    }

    #[test]
    fn san_wins_over_cn() {
        let sans = vec!["abc.example.com".to_string()];
        assert!(!certificate_matches_host(
            Some("example.com"),
            &sans,
            true,
            "example.com"
        ));
        assert!(certificate_matches_host(
            Some("example.com"),
            &[],
            false,
            "example.com"
        ));
        // Without DNS SANs the CN counts; an unreadable SAN extension leaves no fallback.
        assert!(certificate_matches_host(
            Some("example.com"),
            &[],
            false,
            "example.com"
        ));
        assert!(!certificate_matches_host(
            Some("example.com"),
            &[],
            true,
            "example.com"
        ));
    }

    #[test]
    fn tscn_syntax() {
        assert_eq!(
            Tscn::parse("*.Contoso.com").unwrap(),
            Tscn::Wildcard(DnsName::parse("contoso.com").unwrap())
        );
        assert_eq!(
            Tscn::parse("mail.contoso.com").unwrap(),
            Tscn::Host(DnsName::parse("mail.contoso.com").unwrap())
        );
        for bad in [
            "mail.*.com",
            "*contoso.com",
            "*",
            "*.*.contoso.com",
            "mail contoso.com",
            "contoso..com",
            "",
            "  ",
        ] {
            assert!(Tscn::parse(bad).is_err(), "{bad:?} should be invalid");
        }
    }

    #[test]
    fn tscn_wildcard_matches_domain_and_all_subdomains() {
        let t = Tscn::parse("*.contoso.com").unwrap();
        assert!(t.matches_cert_name("contoso.com"));
        assert!(t.matches_cert_name("mail.contoso.com"));
        assert!(t.matches_cert_name("a.b.contoso.com"));
        assert!(t.matches_cert_name("*.contoso.com"));
        assert!(t.matches_cert_name("Mail.Contoso.com."));
        assert!(!t.matches_cert_name("notcontoso.com"));
        assert!(!t.matches_cert_name("contoso.com.evil.net"));
        assert!(!t.matches_cert_name("fabrikam.com"));
    }

    #[test]
    fn tscn_host_matches_equal_name_or_covering_certificate_wildcard() {
        let t = Tscn::parse("mail.contoso.com").unwrap();
        assert!(t.matches_cert_name("mail.contoso.com"));
        assert!(t.matches_cert_name("*.contoso.com"));
        assert!(!t.matches_cert_name("contoso.com"));
        assert!(!t.matches_cert_name("smtp.contoso.com"));
        assert!(!t.matches_cert_name("*.com"));
        let deep = Tscn::parse("a.mail.contoso.com").unwrap();
        assert!(!deep.matches_cert_name("*.contoso.com"));
    }

    #[test]
    fn email_addresses() {
        let a = EmailAddress::parse("<John@Fabrikam.COM>").unwrap();
        assert_eq!(a.domain().as_str(), "fabrikam.com");
        assert_eq!(a.as_str(), "John@fabrikam.com");
        assert!(EmailAddress::parse("john").is_err());
        assert!(EmailAddress::parse("@fabrikam.com").is_err());
        assert!(EmailAddress::parse("john@fab rikam.com").is_err());
    }
}
