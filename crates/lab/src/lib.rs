//! Lab certificates for training, examples and tests, made with rcgen: a lab CA and leaf
//! certificates with the names, dates and keys a lesson asks for. RSA keys come from the
//! `rsa` crate (ring cannot generate them) and sign through rcgen's `SigningKey`.
//!
//! Why `rsa` and not aws-lc-rs (rcgen's `aws_lc_rs` backend): aws-lc-rs generates 2048-bit
//! keys, but it refuses every RSA private key under 2048 bits, for generation and for
//! signing alike, so it cannot make the deliberately weak 1024-bit key of the
//! `cert-weak-key` lessons, nor sign a self-signed certificate with one (even a published
//! fixed key), short of unsafe calls into aws-lc-sys. `rsa` 0.10 does both and no longer has
//! the Marvin timing side channel of 0.9 (RUSTSEC-2023-0071): it computes with the
//! constant-time `crypto-bigint`.

#![forbid(unsafe_code)]

use std::sync::OnceLock;

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose, PublicKeyData, SignatureAlgorithm, SigningKey,
};
use rsa::pkcs1::EncodeRsaPublicKey;
use rsa::pkcs8::EncodePrivateKey;
use time::{Duration, OffsetDateTime};
use zeroize::Zeroizing;

use relaycheck_core::cert::{self, CertFacts};
use relaycheck_core::when;

pub use relaycheck_core::model::generate::{GenerateSpec, LabIssuer, LabKey};

/// What to make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabSpec {
    pub cn: Option<String>,
    pub sans: Vec<String>,
    pub issuer: LabIssuer,
    pub not_before: OffsetDateTime,
    pub not_after: OffsetDateTime,
    pub key: LabKey,
    /// List Client Authentication among the extended key usages.
    pub client_auth: bool,
}

impl LabSpec {
    /// A CA-issued ECDSA certificate valid from a year ago for ten years around `now`
    /// (saturating at the time crate's edges: [`issue`] refuses dates out of range).
    pub fn new(cn: &str, sans: &[&str], now: OffsetDateTime) -> Self {
        LabSpec {
            cn: Some(cn.to_string()),
            sans: sans.iter().map(|s| s.to_string()).collect(),
            issuer: LabIssuer::LabCa,
            not_before: now.saturating_sub(Duration::days(365)),
            not_after: now.saturating_add(Duration::days(3650)),
            key: LabKey::EcdsaP256,
            client_auth: true,
        }
    }
}

/// A made certificate. The key is zeroised when dropped and never printed.
pub struct LabCertificate {
    pub cert_pem: String,
    pub cert_der: Vec<u8>,
    pub key_pem: Zeroizing<String>,
    /// The lab CA's certificate when the lab CA signed it.
    pub ca_pem: Option<String>,
}

impl std::fmt::Debug for LabCertificate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LabCertificate")
            .field("cert_pem", &self.cert_pem)
            .field("key_pem", &"(hidden)")
            .finish()
    }
}

/// A lab certificate authority.
pub struct LabCa {
    pub cert_pem: String,
    pub key_pem: Zeroizing<String>,
    issuer: Issuer<'static, KeyPair>,
}

impl LabCa {
    /// A new lab CA named "relaycheck Lab Root CA", valid for the given window.
    pub fn new(not_before: OffsetDateTime, not_after: OffsetDateTime) -> Result<Self, String> {
        LabCa::named(
            not_before,
            not_after,
            "relaycheck training lab",
            "relaycheck Lab Root CA",
        )
    }

    /// A lab CA with another organisation and name.
    pub fn named(
        not_before: OffsetDateTime,
        not_after: OffsetDateTime,
        organization: &str,
        common_name: &str,
    ) -> Result<Self, String> {
        check_window(not_before, not_after)?;
        let mut params = CertificateParams::new(Vec::<String>::new()).map_err(err)?;
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        // Written most general first, so Exchange shows "CN=…, O=…" as for real CAs
        // (rcgen starts with a placeholder CN, which would otherwise come first).
        params.distinguished_name = DistinguishedName::new();
        params
            .distinguished_name
            .push(DnType::OrganizationName, organization);
        params
            .distinguished_name
            .push(DnType::CommonName, common_name);
        params.key_usages = vec![
            KeyUsagePurpose::DigitalSignature,
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
        ];
        params.not_before = not_before;
        params.not_after = not_after;
        let key = KeyPair::generate().map_err(err)?;
        let cert = params.self_signed(&key).map_err(err)?;
        let key_pem = Zeroizing::new(key.serialize_pem());
        Ok(LabCa {
            cert_pem: cert.pem(),
            key_pem,
            issuer: Issuer::new(params, key),
        })
    }

    /// The process-wide lab CA used for `generate:` certificates (made once, valid
    /// 2000–2199 so that no lesson date falls outside it).
    pub fn shared() -> Result<&'static LabCa, String> {
        static CA: OnceLock<Result<LabCa, String>> = OnceLock::new();
        CA.get_or_init(|| {
            LabCa::new(
                rcgen::date_time_ymd(2000, 1, 1),
                rcgen::date_time_ymd(2199, 12, 31),
            )
        })
        .as_ref()
        .map_err(Clone::clone)
    }

    /// The process-wide internal CA of `issuer: internal-ca` ("Contoso Internal Root CA"),
    /// a company's own root that no public root store holds.
    pub fn internal() -> Result<&'static LabCa, String> {
        static CA: OnceLock<Result<LabCa, String>> = OnceLock::new();
        CA.get_or_init(|| {
            LabCa::named(
                rcgen::date_time_ymd(2000, 1, 1),
                rcgen::date_time_ymd(2199, 12, 31),
                "Contoso (lab)",
                "Contoso Internal Root CA",
            )
        })
        .as_ref()
        .map_err(Clone::clone)
    }
}

/// A certificate's dates must lie in the range X.509 can write and relaycheck accepts
/// ([`when::EARLIEST`]..=[`when::LATEST`]), the end after the start.
fn check_window(not_before: OffsetDateTime, not_after: OffsetDateTime) -> Result<(), String> {
    when::in_range(not_before).map_err(|e| format!("valid_from: {e}"))?;
    when::in_range(not_after).map_err(|e| format!("valid_until: {e}"))?;
    if not_after <= not_before {
        return Err("valid_until must be after valid_from".to_string());
    }
    Ok(())
}

fn err(e: impl std::fmt::Display) -> String {
    format!("cannot make the lab certificate: {e}")
}

/// An RSA key that rcgen can sign with (PKCS#1 v1.5 with SHA-256).
struct RsaLabKey {
    private: rsa::PrivateKey,
    public_der: Vec<u8>,
}

impl RsaLabKey {
    fn generate(bits: usize) -> Result<Self, String> {
        let private = rsa::PrivateKey::new(&mut getrandom::SysRng, bits).map_err(err)?;
        let public_der = private
            .to_public_key()
            .to_pkcs1_der()
            .map_err(err)?
            .as_bytes()
            .to_vec();
        Ok(RsaLabKey {
            private,
            public_der,
        })
    }
}

impl PublicKeyData for RsaLabKey {
    fn der_bytes(&self) -> &[u8] {
        &self.public_der
    }
    fn algorithm(&self) -> &'static SignatureAlgorithm {
        &rcgen::PKCS_RSA_SHA256
    }
}

impl SigningKey for RsaLabKey {
    fn sign(&self, msg: &[u8]) -> Result<Vec<u8>, rcgen::Error> {
        self.private
            .pkcs1v15_sign::<rsa::sha2::Sha256>(msg)
            .map_err(|_| rcgen::Error::RingUnspecified)
    }
}

enum AnyKey {
    Ec(KeyPair),
    Rsa(RsaLabKey),
}

impl AnyKey {
    fn generate(kind: LabKey) -> Result<Self, String> {
        Ok(match kind {
            LabKey::EcdsaP256 => AnyKey::Ec(KeyPair::generate().map_err(err)?),
            LabKey::Rsa2048 => AnyKey::Rsa(RsaLabKey::generate(2048)?),
            LabKey::Rsa1024 => AnyKey::Rsa(RsaLabKey::generate(1024)?),
        })
    }

    fn private_pem(&self) -> Result<Zeroizing<String>, String> {
        match self {
            AnyKey::Ec(k) => Ok(Zeroizing::new(k.serialize_pem())),
            AnyKey::Rsa(k) => k
                .private
                .to_pkcs8_pem(rsa::pkcs8::LineEnding::LF)
                .map_err(err),
        }
    }
}

impl PublicKeyData for AnyKey {
    fn der_bytes(&self) -> &[u8] {
        match self {
            AnyKey::Ec(k) => k.der_bytes(),
            AnyKey::Rsa(k) => k.der_bytes(),
        }
    }
    fn algorithm(&self) -> &'static SignatureAlgorithm {
        match self {
            AnyKey::Ec(k) => PublicKeyData::algorithm(k),
            AnyKey::Rsa(k) => k.algorithm(),
        }
    }
}

impl SigningKey for AnyKey {
    fn sign(&self, msg: &[u8]) -> Result<Vec<u8>, rcgen::Error> {
        match self {
            AnyKey::Ec(k) => k.sign(msg),
            AnyKey::Rsa(k) => k.sign(msg),
        }
    }
}

/// Makes a certificate as asked. `ca` signs it when the spec says `lab-ca`.
pub fn issue(spec: &LabSpec, ca: &LabCa) -> Result<LabCertificate, String> {
    check_window(spec.not_before, spec.not_after)?;
    let mut params = CertificateParams::new(spec.sans.clone()).map_err(err)?;
    params.distinguished_name = DistinguishedName::new();
    params
        .distinguished_name
        .push(DnType::OrganizationName, "relaycheck training lab");
    if let Some(cn) = &spec.cn {
        params
            .distinguished_name
            .push(DnType::CommonName, cn.as_str());
    }
    params.not_before = spec.not_before;
    params.not_after = spec.not_after;
    params.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
    ];
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    if spec.client_auth {
        params
            .extended_key_usages
            .push(ExtendedKeyUsagePurpose::ClientAuth);
    }
    params.use_authority_key_identifier_extension = spec.issuer != LabIssuer::SelfSigned;
    let key = AnyKey::generate(spec.key)?;
    let ca = match spec.issuer {
        LabIssuer::SelfSigned => None,
        LabIssuer::LabCa => Some(ca),
        LabIssuer::InternalCa => Some(LabCa::internal()?),
    };
    let (cert, ca_pem) = match ca {
        None => (params.self_signed(&key).map_err(err)?, None),
        Some(ca) => (
            params.signed_by(&key, &ca.issuer).map_err(err)?,
            Some(ca.cert_pem.clone()),
        ),
    };
    Ok(LabCertificate {
        cert_pem: cert.pem(),
        cert_der: cert.der().to_vec(),
        key_pem: key.private_pem()?,
        ca_pem,
    })
}

/// Parses `-30d`/`+365d` (days relative to `now`, at most [`when::MAX_OFFSET_DAYS`]) or an
/// absolute RFC 3339 time or date; the result lies in [`when::EARLIEST`]..=[`when::LATEST`].
pub fn parse_when(text: &str, now: OffsetDateTime) -> Result<OffsetDateTime, String> {
    let t = text.trim();
    if let Some(days) = t.strip_suffix('d') {
        let digits = days.strip_prefix(['+', '-']).unwrap_or(days);
        if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            // Past i64 is past the range too: the same error, never an overflow.
            let n = days
                .parse::<i64>()
                .map_err(|_| when::OutOfRange::Offset(excerpt(days)).to_string())?;
            return when::add_days(now, n).map_err(|e| e.to_string());
        }
    }
    when::parse(t).map_err(|e| match e {
        when::NotAMoment::OutOfRange(_) => e.to_string(),
        when::NotAMoment::Syntax(_) => format!(
            "\"{}\" is not a date: use days relative to now (-30d, +365d) or a date (2030-01-31)",
            excerpt(t)
        ),
    })
}

fn excerpt(t: &str) -> String {
    relaycheck_core::text::excerpt(t, 60).into_owned()
}

impl LabSpec {
    /// What a `generate:` block asks for, with its relative dates taken from `now`.
    pub fn from_generate(g: &GenerateSpec, now: OffsetDateTime) -> Result<LabSpec, String> {
        if g.cn.is_none() && g.sans.is_empty() {
            return Err("give at least a cn or one san".to_string());
        }
        let not_before = match &g.valid_from {
            Some(t) => parse_when(t, now),
            None => when::add_days(now, -30).map_err(|e| e.to_string()),
        }
        .map_err(|e| format!("valid_from: {e}"))?;
        let not_after = match &g.valid_until {
            Some(t) => parse_when(t, now),
            None => when::add_days(now, 365).map_err(|e| e.to_string()),
        }
        .map_err(|e| format!("valid_until: {e}"))?;
        Ok(LabSpec {
            cn: g.cn.clone(),
            sans: g.sans.clone(),
            issuer: g.issuer,
            not_before,
            not_after,
            key: g.key,
            client_auth: g.client_auth,
        })
    }
}

/// Makes the certificate a `generate:` block describes and returns its facts, with the key
/// known to match (it was made with it).
pub fn generate_facts(spec: &GenerateSpec, now: OffsetDateTime) -> Result<CertFacts, String> {
    let lab = LabSpec::from_generate(spec, now)?;
    let made = issue(&lab, LabCa::shared()?)?;
    let mut bundle = made.cert_pem.clone();
    if let Some(ca) = made.ca_pem.as_ref().filter(|_| spec.chain) {
        bundle.push_str(ca);
    }
    bundle.push_str(&made.key_pem);
    let label = format!("lab certificate {}", lab.cn.as_deref().unwrap_or("(no CN)"));
    let mut facts = cert::load(&label, bundle.as_bytes(), None).map_err(|e| e.0)?;
    facts.lab = spec.issuer == LabIssuer::LabCa;
    Ok(facts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use relaycheck_core::cert::{KeyKind, PrivateKeyStatus};

    fn now() -> OffsetDateTime {
        rcgen::date_time_ymd(2026, 11, 22)
    }

    #[test]
    fn lab_ca_issues_a_certificate_with_the_names_asked_for() {
        let ca = LabCa::shared().unwrap();
        let made = issue(
            &LabSpec::new(
                "mail.contoso.com",
                &["mail.contoso.com", "autodiscover.contoso.com"],
                now(),
            ),
            ca,
        )
        .unwrap();
        let facts = cert::load(
            "t",
            (made.cert_pem.clone() + &made.key_pem).as_bytes(),
            None,
        )
        .unwrap();
        assert_eq!(facts.common_name.as_deref(), Some("mail.contoso.com"));
        assert_eq!(
            facts.dns_sans,
            vec!["mail.contoso.com", "autodiscover.contoso.com"]
        );
        assert!(!facts.self_signed);
        assert_eq!(
            facts.issuer,
            "CN=relaycheck Lab Root CA, O=relaycheck training lab"
        );
        assert_eq!(
            facts.subject,
            "CN=mail.contoso.com, O=relaycheck training lab"
        );
        assert_eq!(facts.private_key, PrivateKeyStatus::Matches);
        assert!(facts.is_within_validity(now()));
    }

    #[test]
    fn self_signed_rsa1024_is_recognised_as_both() {
        let mut spec = LabSpec::new("mail.contoso.com", &[], now());
        spec.issuer = LabIssuer::SelfSigned;
        spec.key = LabKey::Rsa1024;
        let made = issue(&spec, LabCa::shared().unwrap()).unwrap();
        let facts = cert::load("t", made.cert_pem.as_bytes(), None).unwrap();
        assert!(facts.self_signed);
        assert_eq!(facts.key, KeyKind::Rsa { bits: 1024 });
        assert_eq!(facts.private_key, PrivateKeyStatus::NotSupplied);
    }

    #[test]
    fn relative_and_absolute_dates() {
        assert_eq!(
            parse_when("-30d", now()).unwrap(),
            now() - Duration::days(30)
        );
        assert_eq!(
            parse_when("+365d", now()).unwrap(),
            now() + Duration::days(365)
        );
        assert_eq!(
            parse_when("2030-01-31", now()).unwrap(),
            rcgen::date_time_ymd(2030, 1, 31)
        );
        assert!(parse_when("soon", now()).is_err());
    }

    #[test]
    fn relative_dates_past_the_range_are_errors_not_overflows() {
        for t in [
            "-9223372036854775808d",
            "+9223372036854775807d",
            "99999999999999999999d",
            "73001d",
            "-73001d",
        ] {
            let e = parse_when(t, now()).unwrap_err();
            assert!(e.contains("at most 73000 days"), "{t}: {e}");
        }
        let last = rcgen::date_time_ymd(9999, 12, 31);
        let e = parse_when("+1d", last).unwrap_err();
        assert!(e.contains("1950-01-01 to 9999-12-31"), "{e}");
        let e = parse_when("0001-01-01", now()).unwrap_err();
        assert!(e.contains("outside the dates"), "{e}");
        assert_eq!(parse_when("-0d", now()).unwrap(), now());
    }

    #[test]
    fn certificates_outside_the_range_are_refused_by_issue_and_the_ca() {
        let ca = LabCa::shared().unwrap();
        let spec = LabSpec::new("a.contoso.com", &[], rcgen::date_time_ymd(1950, 6, 1));
        assert!(issue(&spec, ca).unwrap_err().starts_with("valid_from: "));
        let mut spec = LabSpec::new("a.contoso.com", &[], now());
        spec.not_after = rcgen::date_time_ymd(-1, 1, 1);
        assert!(issue(&spec, ca).unwrap_err().starts_with("valid_until: "));
        let early = rcgen::date_time_ymd(1949, 12, 31);
        let e = LabCa::new(early, now()).err().unwrap();
        assert!(e.starts_with("valid_from: "), "{e}");
        let g: GenerateSpec = serde_yaml::from_str("{cn: a.contoso.com}").unwrap();
        let e = LabSpec::from_generate(&g, rcgen::date_time_ymd(1950, 1, 1)).unwrap_err();
        assert!(e.starts_with("valid_from: "), "the default -30d: {e}");
    }

    #[test]
    fn generate_block_is_checked() {
        let v: GenerateSpec =
            serde_yaml::from_str("{cn: mail.contoso.com, valid_until: -1d}").unwrap();
        let facts = generate_facts(&v, now()).unwrap();
        assert!(!facts.is_within_validity(now()));
        let bad = serde_yaml::from_str::<GenerateSpec>("{cn: a.b, colour: red}");
        assert!(
            bad.unwrap_err()
                .to_string()
                .contains("unknown field `colour`")
        );
        let empty: GenerateSpec = serde_yaml::from_str("{issuer: self}").unwrap();
        assert!(generate_facts(&empty, now()).is_err());
    }
}
