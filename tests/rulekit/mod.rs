//! Fixtures for the rule tests (checks, HCW-TSCN, RELAY): lab certificates made once per test
//! binary, scenarios built in memory, and a runner for tables of named check cases.
#![allow(dead_code)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, IsCa, Issuer, KeyPair,
    PublicKeyData, SigningKey,
};
use relaycheck::cert::{self, CertFacts};
use relaycheck::checks::{Finding, Severity, Step};
use relaycheck::lab::{self, LabCa, LabIssuer, LabKey, LabSpec};
use relaycheck::model::{
    AcceptedDomain, CertificateEntry, CertificateSource, ConnectorType, InboundConnector, Message,
    MessageKind, Scenario,
};
use relaycheck::names::DnsName;
use relaycheck::relay::MessageOutcome;
use relaycheck::report::Report;
use rsa::pkcs1::EncodeRsaPublicKey;
use time::{Duration, OffsetDateTime};

/// The fixed evaluation moment of every rule test (tests/support).
pub fn now() -> OffsetDateTime {
    crate::support::now()
}

pub fn days(n: i64) -> Duration {
    Duration::days(n)
}

// ---------------------------------------------------------------------------------------
// Certificates
// ---------------------------------------------------------------------------------------

/// What comes with the certificate in its source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyWith {
    /// The certificate alone (a `.cer`): `cert-no-private-key`.
    Nothing,
    /// Its own private key.
    Own,
    /// The private key of another certificate.
    Other,
    /// A PRIVATE KEY block that is not a key.
    Garbage,
}

/// The cache of made certificates: every distinct certificate is made once per test binary.
fn cache() -> &'static Mutex<HashMap<String, Arc<CertFacts>>> {
    static CACHE: OnceLock<Mutex<HashMap<String, Arc<CertFacts>>>> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}

fn cached(key: String, make: impl FnOnce() -> CertFacts) -> Arc<CertFacts> {
    // Holding the lock while making serialises generation; ECDSA takes a millisecond and the
    // few RSA keys are made once.
    let mut map = cache().lock().unwrap_or_else(|e| e.into_inner());
    map.entry(key).or_insert_with(|| Arc::new(make())).clone()
}

/// A CA-issued ECDSA certificate valid from a year ago for ten years.
pub fn spec(cn: Option<&str>, sans: &[&str]) -> LabSpec {
    let mut s = LabSpec::new(cn.unwrap_or(""), sans, now());
    s.cn = cn.map(str::to_string);
    s
}

/// Makes (once) the certificate `spec` describes, with `key` beside it in the same PEM.
pub fn lab_cert(spec: &LabSpec, key: KeyWith) -> Arc<CertFacts> {
    cached(format!("lab {spec:?} {key:?}"), || {
        let ca = LabCa::shared().expect("lab CA");
        let made = lab::issue(spec, ca).expect("lab certificate");
        let mut pem = made.cert_pem.clone();
        match key {
            KeyWith::Nothing => {}
            KeyWith::Own => pem.push_str(&made.key_pem),
            KeyWith::Other => {
                let other = lab::issue(&self::spec(Some("other.fabrikam.com"), &[]), ca)
                    .expect("other lab certificate");
                pem.push_str(&other.key_pem);
            }
            KeyWith::Garbage => {
                // Base64 of 30 82 01 00 00 00: a SEQUENCE header and nothing a key needs.
                pem.push_str("-----BEGIN PRIVATE KEY-----\nMIIBAAAA\n-----END PRIVATE KEY-----\n");
            }
        }
        // The lab CA's certificate travels with it, as generate: blocks have it, and its
        // root counts as the lab's public CA.
        if let Some(ca_pem) = &made.ca_pem {
            pem.push_str(ca_pem);
        }
        let mut facts = cert::load("lab.pem", pem.as_bytes(), None).expect("lab certificate loads");
        facts.lab = spec.issuer == LabIssuer::LabCa;
        facts
    })
}

/// The usual certificate: CA-issued, valid, ECDSA, no private key supplied.
pub fn cert(cn: &str, sans: &[&str]) -> Arc<CertFacts> {
    lab_cert(&spec(Some(cn), sans), KeyWith::Nothing)
}

/// A lab certificate as a scenario's `generate:` block describes it (chain, issuer, EKUs).
pub fn generated(yaml: &str) -> Arc<CertFacts> {
    cached(format!("generated {yaml}"), || {
        let spec: relaycheck::model::GenerateSpec =
            serde_yaml::from_str(yaml).unwrap_or_else(|e| panic!("{yaml}: {e}"));
        lab::generate_facts(&spec, now()).expect("lab certificate")
    })
}

/// The root certificate of the internal lab CA, as a scenario's `trusted_roots` names it.
pub fn internal_root() -> relaycheck::model::TrustedRoot {
    let ca = LabCa::internal().expect("internal lab CA");
    let facts = cert::load("internal-ca.pem", ca.cert_pem.as_bytes(), None).unwrap();
    relaycheck::model::TrustedRoot {
        path: "internal-ca.pem".into(),
        subject: facts.subject.clone(),
        key: relaycheck::cert::chain::root_key(&facts.der).unwrap(),
    }
}

/// A certificate without a subject CN.
pub fn cert_without_cn(sans: &[&str]) -> Arc<CertFacts> {
    lab_cert(&spec(None, sans), KeyWith::Nothing)
}

/// A valid CA-issued certificate with its validity window changed.
pub fn cert_valid(
    cn: &str,
    not_before: OffsetDateTime,
    not_after: OffsetDateTime,
) -> Arc<CertFacts> {
    let mut s = spec(Some(cn), &[cn]);
    s.not_before = not_before;
    s.not_after = not_after;
    lab_cert(&s, KeyWith::Nothing)
}

/// A certificate signed by its own key.
pub fn self_signed(cn: &str) -> Arc<CertFacts> {
    let mut s = spec(Some(cn), &[cn]);
    s.issuer = LabIssuer::SelfSigned;
    lab_cert(&s, KeyWith::Nothing)
}

/// A CA-issued RSA certificate.
pub fn rsa_cert(cn: &str, key: LabKey) -> Arc<CertFacts> {
    let mut s = spec(Some(cn), &[cn]);
    s.key = key;
    lab_cert(&s, KeyWith::Nothing)
}

/// A CA-issued certificate whose issuer DN is the same text as its subject DN, but which a
/// different key signed: not self-signed (domain-rules.md §4 asks for both conditions).
pub fn issuer_named_like_subject(cn: &str) -> Arc<CertFacts> {
    cached(format!("same-dn {cn}"), || {
        let dn = || {
            let mut d = DistinguishedName::new();
            d.push(DnType::OrganizationName, "relaycheck training lab");
            d.push(DnType::CommonName, cn);
            d
        };
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params.distinguished_name = dn();
        ca_params.not_before = now() - days(365);
        ca_params.not_after = now() + days(3650);
        let ca_key = KeyPair::generate().unwrap();
        let issuer = Issuer::new(ca_params, ca_key);
        let mut leaf = CertificateParams::new(vec![cn.to_string()]).unwrap();
        leaf.distinguished_name = dn();
        leaf.not_before = now() - days(30);
        leaf.not_after = now() + days(365);
        let leaf_key = KeyPair::generate().unwrap();
        let made = leaf.signed_by(&leaf_key, &issuer).unwrap();
        cert::load("same-dn.pem", made.pem().as_bytes(), None).unwrap()
    })
}

/// The signature hash to put on an RSA-signed certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SigHash {
    Sha256,
    Sha1,
    Md5,
}

/// An RSA-2048 key rcgen can sign with (PKCS#1 v1.5, SHA-256).
struct RsaSigner {
    private: rsa::PrivateKey,
    public_der: Vec<u8>,
}

impl PublicKeyData for RsaSigner {
    fn der_bytes(&self) -> &[u8] {
        &self.public_der
    }
    fn algorithm(&self) -> &'static rcgen::SignatureAlgorithm {
        &rcgen::PKCS_RSA_SHA256
    }
}

impl SigningKey for RsaSigner {
    fn sign(&self, msg: &[u8]) -> Result<Vec<u8>, rcgen::Error> {
        use rsa::sha2::{Digest, Sha256};
        self.private
            .sign(rsa::Pkcs1v15Sign::new::<Sha256>(), &Sha256::digest(msg))
            .map_err(|_| rcgen::Error::RingUnspecified)
    }
}

/// The RSA CA that signs the weak-signature certificates (one 2048-bit key per binary).
fn rsa_ca() -> &'static (Issuer<'static, RsaSigner>, String) {
    static CA: OnceLock<(Issuer<'static, RsaSigner>, String)> = OnceLock::new();
    CA.get_or_init(|| {
        let private = rsa::PrivateKey::new(&mut getrandom::SysRng, 2048).unwrap();
        let public_der = private
            .to_public_key()
            .to_pkcs1_der()
            .unwrap()
            .as_bytes()
            .to_vec();
        let signer = RsaSigner {
            private,
            public_der,
        };
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.distinguished_name = DistinguishedName::new();
        params
            .distinguished_name
            .push(DnType::CommonName, "relaycheck RSA Test CA");
        params.not_before = now() - days(3650);
        params.not_after = now() + days(3650);
        let ca_pem = params.self_signed(&signer).unwrap().pem();
        (Issuer::new(params, signer), ca_pem)
    })
}

/// sha256WithRSAEncryption, as it appears in DER (tag, length, OID 1.2.840.113549.1.1.11).
const SHA256_RSA: [u8; 11] = [
    0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b,
];

/// The DER of a certificate for `cn` signed by the RSA test CA with `hash`, and the CA's
/// public key (SubjectPublicKeyInfo DER) to verify it with.
///
/// rcgen signs only with SHA-2, so the SHA-1 certificate is made the way the brief
/// describes: the sha256WithRSA OID is replaced by sha1WithRSA in both places (the TBS
/// `signature` field and the outer `signatureAlgorithm`, same length), and the TBS is
/// signed again with a SHA-1 DigestInfo. ring has no MD5, so the MD5 certificate keeps
/// the SHA-256 signature bytes under the md5WithRSA OID: relaycheck reads the algorithm
/// of a CA-issued certificate and never verifies the CA's signature, so this is enough
/// to show the check.
pub fn rsa_signed_der(cn: &str, hash: SigHash) -> Vec<u8> {
    let (issuer, _) = rsa_ca();
    let mut params = CertificateParams::new(vec![cn.to_string()]).unwrap();
    params.distinguished_name = DistinguishedName::new();
    params.distinguished_name.push(DnType::CommonName, cn);
    params.not_before = now() - days(30);
    params.not_after = now() + days(365);
    let leaf_key = KeyPair::generate().unwrap();
    let mut der = params.signed_by(&leaf_key, issuer).unwrap().der().to_vec();
    let last = match hash {
        SigHash::Sha256 => return der,
        SigHash::Sha1 => 0x05,
        SigHash::Md5 => 0x04,
    };
    let at: Vec<usize> = der
        .windows(SHA256_RSA.len())
        .enumerate()
        .filter(|(_, w)| *w == SHA256_RSA)
        .map(|(i, _)| i)
        .collect();
    assert_eq!(
        at.len(),
        2,
        "sha256WithRSA appears in the TBS and outside it"
    );
    for i in at {
        der[i + SHA256_RSA.len() - 1] = last;
    }
    if hash == SigHash::Sha1 {
        let tbs = tbs_of(&der).to_vec();
        let digest = ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, &tbs);
        // DigestInfo prefix for SHA-1 (RFC 8017, section 9.2, note 1).
        let scheme = rsa::Pkcs1v15Sign {
            hash_len: Some(20),
            prefix: Box::new([
                0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00, 0x04,
                0x14,
            ]),
        };
        let signature = issuer_key(issuer)
            .sign(scheme, digest.as_ref())
            .expect("SHA-1 signature");
        // Same key, same modulus: the new signature is as long as the old one and is the
        // tail of the BIT STRING, which ends the certificate.
        let n = der.len();
        assert_eq!(signature.len(), 256);
        der[n - 256..].copy_from_slice(&signature);
    }
    der
}

fn issuer_key<'a>(issuer: &'a Issuer<'static, RsaSigner>) -> &'a rsa::PrivateKey {
    &issuer.key().private
}

/// The first element of the outer SEQUENCE: the TBSCertificate, header included.
fn tbs_of(der: &[u8]) -> &[u8] {
    let (outer_header, _) = der_header(der);
    let rest = &der[outer_header..];
    let (h, len) = der_header(rest);
    &rest[..h + len]
}

/// (header length, content length) of the DER element at the start of `b`.
fn der_header(b: &[u8]) -> (usize, usize) {
    let first = b[1];
    if first < 0x80 {
        (2, first as usize)
    } else {
        let n = (first & 0x7f) as usize;
        let len = b[2..2 + n]
            .iter()
            .fold(0usize, |acc, x| acc << 8 | *x as usize);
        (2 + n, len)
    }
}

/// The RSA test CA's certificate (PEM), to verify the re-signed certificate.
pub fn rsa_ca_pem() -> &'static str {
    &rsa_ca().1
}

/// Facts of a certificate signed by the RSA test CA with `hash`.
pub fn rsa_signed(cn: &str, hash: SigHash) -> Arc<CertFacts> {
    cached(format!("rsa-signed {cn} {hash:?}"), || {
        cert::load("rsa-signed.der", &rsa_signed_der(cn, hash), None).unwrap()
    })
}

// ---------------------------------------------------------------------------------------
// Scenarios
// ---------------------------------------------------------------------------------------

pub fn dns(name: &str) -> DnsName {
    DnsName::parse(name).unwrap_or_else(|e| panic!("{e}"))
}

/// An enabled OnPremises connector as HCW makes it, with a TlsSenderCertificateName.
pub fn tscn_connector(name: &str, tscn: &str) -> InboundConnector {
    InboundConnector {
        tls_sender_certificate_name: Some(tscn.to_string()),
        ..InboundConnector::new(name)
    }
}

/// An enabled OnPremises connector that knows the server by IP address only.
pub fn ip_connector(name: &str, ips: &[&str]) -> InboundConnector {
    InboundConnector {
        sender_ip_addresses: ips.iter().map(|ip| ip.parse().unwrap()).collect(),
        ..InboundConnector::new(name)
    }
}

pub fn partner(mut c: InboundConnector) -> InboundConnector {
    c.connector_type = ConnectorType::Partner;
    c
}

pub fn disabled(mut c: InboundConnector) -> InboundConnector {
    c.enabled = false;
    c
}

/// A scenario, built step by step.
#[derive(Default, Clone)]
pub struct Build(Scenario);

impl Build {
    pub fn new() -> Self {
        Build::default()
    }

    /// A verified accepted domain.
    pub fn domain(mut self, d: &str) -> Self {
        self.0.tenant.push(AcceptedDomain::new(dns(d)));
        self
    }

    /// The verified accepted domain marked as the default.
    pub fn default_domain(mut self, d: &str) -> Self {
        self.0.tenant.push(AcceptedDomain {
            default: true,
            ..AcceptedDomain::new(dns(d))
        });
        self
    }

    /// An accepted domain whose verification is pending.
    pub fn pending(mut self, d: &str) -> Self {
        self.0.tenant.push(AcceptedDomain {
            verified: false,
            ..AcceptedDomain::new(dns(d))
        });
        self
    }

    pub fn accepted(mut self, d: AcceptedDomain) -> Self {
        self.0.tenant.push(d);
        self
    }

    /// Adds a certificate and selects it (the one the on-premises server presents).
    pub fn cert(mut self, c: Arc<CertFacts>) -> Self {
        self.0.certificates.push(CertificateEntry {
            source: CertificateSource::File {
                path: "lab.pem".into(),
                key: None,
                password_env: None,
            },
            facts: c,
        });
        self.0.selected_certificate = Some(self.0.certificates.len() - 1);
        self
    }

    pub fn connector(mut self, c: InboundConnector) -> Self {
        self.0.inbound_connectors.push(c);
        self
    }

    pub fn fqdn(mut self, f: &str) -> Self {
        self.0.on_premises.organization_fqdn = Some(dns(f));
        self
    }

    pub fn ip(mut self, ip: &str) -> Self {
        self.0.on_premises.ip = Some(ip.parse().unwrap());
        self
    }

    /// `tenant.reject_direct_send: true`.
    pub fn reject_direct_send(mut self) -> Self {
        self.0.tenant.reject_direct_send = true;
        self
    }

    /// A root the scenario trusts (`trusted_roots`).
    pub fn trust(mut self, root: relaycheck::model::TrustedRoot) -> Self {
        self.0.trusted_roots.push(root);
        self
    }

    pub fn message(mut self, name: &str, mail_from: &str, rcpt_to: &str) -> Self {
        self.0.messages.push(
            Message::new(
                name,
                MessageKind::guess(
                    Some(name),
                    &relaycheck::model::MailFrom::parse(mail_from).unwrap(),
                ),
                mail_from,
                rcpt_to,
            )
            .unwrap(),
        );
        self
    }

    pub fn build(self) -> Scenario {
        self.0
    }
}

/// The scenario of the spec's recommended setup: contoso.com verified, a CA-issued
/// certificate for mail.contoso.com, connector `*.contoso.com`, organisation FQDN on it.
pub fn recommended() -> Build {
    Build::new()
        .default_domain("contoso.com")
        .domain("contoso.onmicrosoft.com")
        .cert(cert(
            "mail.contoso.com",
            &["mail.contoso.com", "autodiscover.contoso.com"],
        ))
        .connector(tscn_connector("Inbound from on-premises", "*.contoso.com"))
        .fqdn("mail.contoso.com")
}

pub fn validate(s: &Scenario) -> Report {
    relaycheck::validate(s, now())
}

// ---------------------------------------------------------------------------------------
// Reading reports
// ---------------------------------------------------------------------------------------

pub fn with_id<'a>(r: &'a Report, id: &str) -> Vec<&'a Finding> {
    r.findings.iter().filter(|f| f.id.as_str() == id).collect()
}

/// The only finding with this id; fails when there is none or more than one.
pub fn one<'a>(r: &'a Report, id: &str) -> &'a Finding {
    let found = with_id(r, id);
    assert_eq!(
        found.len(),
        1,
        "expected exactly one {id}, found: {:#?}",
        summary(r)
    );
    found[0]
}

pub fn summary(r: &Report) -> Vec<String> {
    r.findings
        .iter()
        .map(|f| {
            format!(
                "{} {} [{}] {}",
                f.severity.as_str(),
                f.id,
                f.step.as_str(),
                f.message
            )
        })
        .collect()
}

/// The simulated message with this name.
pub fn flow<'a>(r: &'a Report, name: &str) -> &'a MessageOutcome {
    r.mail_flow
        .iter()
        .find(|m| m.name == name)
        .unwrap_or_else(|| panic!("no message {name:?} in {:#?}", r.mail_flow))
}

// ---------------------------------------------------------------------------------------
// Tables of check cases
// ---------------------------------------------------------------------------------------

/// What a case that fires must show.
pub struct Want {
    pub severity: Severity,
    pub message_words: Vec<String>,
    pub exact_message: Option<String>,
    pub fix_words: Vec<String>,
}

/// One named rule case: a scenario and whether (and how) the check must fire.
pub struct Case {
    pub name: &'static str,
    pub scenario: Scenario,
    pub want: Option<Want>,
}

/// A case on which the check must fire once, with this severity and these words.
pub fn fires(name: &'static str, scenario: Scenario, severity: Severity, words: &[&str]) -> Case {
    Case {
        name,
        scenario,
        want: Some(Want {
            severity,
            message_words: words.iter().map(|w| w.to_string()).collect(),
            exact_message: None,
            fix_words: Vec::new(),
        }),
    }
}

/// A case on which the check must not fire.
pub fn silent(name: &'static str, scenario: Scenario) -> Case {
    Case {
        name,
        scenario,
        want: None,
    }
}

impl Case {
    /// The fix must contain each of these (PowerShell lines, domains).
    pub fn fix(mut self, words: &[&str]) -> Self {
        if let Some(w) = &mut self.want {
            w.fix_words.extend(words.iter().map(|s| s.to_string()));
        }
        self
    }

    /// The message must be exactly this.
    pub fn exact(mut self, message: &str) -> Self {
        if let Some(w) = &mut self.want {
            w.exact_message = Some(message.to_string());
        }
        self
    }
}

/// Runs every case of a table for one check id, then reports every case that failed, by
/// name. Every check lives in exactly one wizard step.
pub fn run(id: &str, step: Step, cases: Vec<Case>) {
    assert!(
        cases.iter().any(|c| c.want.is_some()) && cases.iter().any(|c| c.want.is_none()),
        "{id}: a table needs a case that fires and a case that must not"
    );
    let mut failures = Vec::new();
    for case in &cases {
        let report = validate(&case.scenario);
        let found = with_id(&report, id);
        let mut problems = Vec::new();
        match &case.want {
            None => {
                if !found.is_empty() {
                    problems.push("fired but must not".to_string());
                }
            }
            Some(want) => {
                if found.len() != 1 {
                    problems.push(format!("expected exactly one finding, got {}", found.len()));
                }
                if let Some(f) = found.first() {
                    if f.severity != want.severity {
                        problems.push(format!(
                            "severity {} instead of {}",
                            f.severity.as_str(),
                            want.severity.as_str()
                        ));
                    }
                    if f.step != step {
                        problems.push(format!(
                            "step {} instead of {}",
                            f.step.as_str(),
                            step.as_str()
                        ));
                    }
                    for w in &want.message_words {
                        if !f.message.contains(w.as_str()) {
                            problems.push(format!("message lacks {w:?}"));
                        }
                    }
                    if let Some(exact) = &want.exact_message
                        && &f.message != exact
                    {
                        problems.push(format!("message is not exactly {exact:?}"));
                    }
                    for w in &want.fix_words {
                        if !f.fix.contains(w.as_str()) {
                            problems.push(format!("fix lacks {w:?}; fix is {:?}", f.fix));
                        }
                    }
                }
            }
        }
        if !problems.is_empty() {
            failures.push(format!(
                "case {:?}: {}\n    findings: {:#?}",
                case.name,
                problems.join("; "),
                summary(&report)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{id}: {} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
