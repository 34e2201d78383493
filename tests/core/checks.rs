//! Every check of domain-rules.md sections 4–6, one table per check id: named cases that must
//! fire (id, severity, step, the key words of the message, the fix) and cases that must not.

use crate::rulekit::*;
use relaycheck::checks::{CheckId, Severity, Step};
use relaycheck::lab::{LabIssuer, LabKey};
use relaycheck::model::{AcceptedDomain, InboundConnector, Scenario};
use relaycheck::plan::FixAction;
use relaycheck::report::Verdict;
use time::Duration;

const CERTIFICATE: Step = Step::Certificate;
const DOMAINS: Step = Step::Domains;
const CONNECTOR: Step = Step::Connector;

/// The Set-SendConnector line of section 8 for a lab certificate of `cn`: the value is
/// `<I>issuer DN<S>subject DN`, most specific attribute first, as Exchange shows them.
fn send_connector_line(cn: &str) -> String {
    format!(
        "Set-SendConnector -Identity \"Outbound to Office 365\" -TlsCertificateName \"<I>CN=relaycheck Lab Root CA, O=relaycheck training lab<S>CN={cn}, O=relaycheck training lab\""
    )
}

/// The recommended setup with another certificate presented (the only candidate).
fn presenting(c: std::sync::Arc<relaycheck::cert::CertFacts>) -> Scenario {
    let mut s = recommended().cert(c).build();
    s.certificates.remove(0);
    s.selected_certificate = Some(0);
    s
}

/// The recommended setup (its good certificate among the candidates) presenting `c`.
fn presenting_beside_a_good_one(c: std::sync::Arc<relaycheck::cert::CertFacts>) -> Scenario {
    recommended().cert(c).build()
}

/// The recommended tenant and certificate with these connectors instead of its own.
fn with_connectors(connectors: Vec<InboundConnector>) -> Scenario {
    let mut s = recommended().build();
    s.inbound_connectors = connectors;
    s
}

fn with_connector(c: InboundConnector) -> Scenario {
    with_connectors(vec![c])
}

const CN: &str = "mail.contoso.com";

// ---------------------------------------------------------------------------------------
// Section 4: certificate checks
// ---------------------------------------------------------------------------------------

#[test]
fn cert_expired() {
    let n = now();
    run(
        "cert-expired",
        CERTIFICATE,
        vec![
            fires(
                "expired yesterday",
                presenting(cert_valid(CN, n - days(400), n - days(1))),
                Severity::Error,
                &[CN, "expired on 2026-11-21", "(1 days ago)"],
            )
            .fix(&["Renew the certificate"]),
            fires(
                "expired, with a valid candidate beside it: the plan presents that one",
                presenting_beside_a_good_one(cert_valid(
                    "old.contoso.com",
                    n - days(400),
                    n - days(1),
                )),
                Severity::Error,
                &["old.contoso.com", "expired on 2026-11-21"],
            )
            .fix(&[&send_connector_line(CN), "Or renew the certificate"]),
            fires(
                "NotAfter is now (now ≥ NotAfter)",
                presenting(cert_valid(CN, n - days(400), n)),
                Severity::Error,
                &["expired on 2026-11-22"],
            ),
            silent(
                "one second before NotAfter",
                presenting(cert_valid(CN, n - days(400), n + Duration::seconds(1))),
            ),
            silent("valid for years", recommended().build()),
        ],
    );
}

#[test]
fn cert_not_yet_valid() {
    let n = now();
    run(
        "cert-not-yet-valid",
        CERTIFICATE,
        vec![
            fires(
                "NotBefore tomorrow",
                presenting(cert_valid(CN, n + days(1), n + days(400))),
                Severity::Error,
                &[CN, "not valid before 2026-11-23"],
            ),
            fires(
                "NotBefore one second ahead",
                presenting(cert_valid(CN, n + Duration::seconds(1), n + days(400))),
                Severity::Error,
                &["not valid before 2026-11-22"],
            ),
            silent(
                "NotBefore is now",
                presenting(cert_valid(CN, n, n + days(400))),
            ),
            silent("valid since last year", recommended().build()),
        ],
    );
}

#[test]
fn cert_expiring() {
    let n = now();
    let expiring = |d: Duration| presenting(cert_valid(CN, n - days(300), n + d));
    run(
        "cert-expiring",
        CERTIFICATE,
        vec![
            fires(
                "1 day left is an error",
                expiring(days(1)),
                Severity::Error,
                &["expires on 2026-11-23", "(1 days left)"],
            ),
            fires(
                "29 days left is an error",
                expiring(days(29)),
                Severity::Error,
                &[CN, "expires on 2026-12-21", "(29 days left)"],
            )
            .fix(&["Renew the certificate with the same names"]),
            fires(
                "29 days 23 hours left is still under 30 days: an error",
                expiring(days(29) + Duration::hours(23)),
                Severity::Error,
                &["(29 days left)"],
            ),
            fires(
                "30 days left is a warning",
                expiring(days(30)),
                Severity::Warning,
                &["expires on 2026-12-22", "(30 days left)"],
            ),
            fires(
                "59 days left is a warning",
                expiring(days(59)),
                Severity::Warning,
                &["(59 days left)"],
            ),
            fires(
                "59 days 23 hours left is a warning",
                expiring(days(59) + Duration::hours(23)),
                Severity::Warning,
                &["(59 days left)"],
            ),
            silent("60 days left: nothing", expiring(days(60))),
            silent("ten years left: nothing", recommended().build()),
        ],
    );
}

#[test]
fn cert_self_signed() {
    let mut rsa1024 = spec(Some(CN), &[CN]);
    rsa1024.issuer = LabIssuer::SelfSigned;
    rsa1024.key = LabKey::Rsa1024;
    run(
        "cert-self-signed",
        CERTIFICATE,
        vec![
            fires(
                "signed by its own ECDSA key",
                presenting(self_signed(CN)),
                Severity::Error,
                &[CN, "self-signed"],
            )
            .fix(&["public (third-party) CA", CN]),
            fires(
                "signed by its own RSA 1024 key (a signature ring does not verify)",
                presenting(lab_cert(&rsa1024, KeyWith::Nothing)),
                Severity::Error,
                &["self-signed"],
            ),
            silent("issued by the lab CA", recommended().build()),
            silent(
                "issuer DN equals subject DN but another key signed it",
                presenting(issuer_named_like_subject(CN)),
            ),
        ],
    );
}

#[test]
fn cert_weak_key() {
    run(
        "cert-weak-key",
        CERTIFICATE,
        vec![
            fires(
                "RSA 1024",
                presenting(rsa_cert(CN, LabKey::Rsa1024)),
                Severity::Error,
                &[CN, "RSA key of 1024 bits", "2048"],
            )
            .fix(&["2048 bits or more"]),
            silent("RSA 2048", presenting(rsa_cert(CN, LabKey::Rsa2048))),
            silent("ECDSA P-256", recommended().build()),
        ],
    );
}

#[test]
fn cert_weak_signature() {
    run(
        "cert-weak-signature",
        CERTIFICATE,
        vec![
            fires(
                "sha1WithRSAEncryption",
                presenting(rsa_signed(CN, SigHash::Sha1)),
                Severity::Warning,
                &[CN, "sha1RSA", "deprecated"],
            )
            .fix(&["SHA-256"]),
            fires(
                "md5WithRSAEncryption",
                presenting(rsa_signed(CN, SigHash::Md5)),
                Severity::Warning,
                &["md5RSA"],
            ),
            silent(
                "sha256WithRSAEncryption",
                presenting(rsa_signed(CN, SigHash::Sha256)),
            ),
            silent("ecdsa-with-SHA256", recommended().build()),
        ],
    );
}

/// The SHA-1 fixture is what it claims: sha1WithRSA in both places, and the CA's RSA key
/// verifies the re-made signature (so the certificate is an honest SHA-1 certificate).
#[test]
fn sha1_fixture_is_a_valid_sha1_signed_certificate() {
    use x509_parser::prelude::*;
    let der = rsa_signed_der("sha1.contoso.com", SigHash::Sha1);
    let (_, leaf) = parse_x509_certificate(&der).unwrap();
    let sha1_rsa = "1.2.840.113549.1.1.5";
    assert_eq!(leaf.signature_algorithm.algorithm.to_id_string(), sha1_rsa);
    assert_eq!(
        leaf.tbs_certificate.signature.algorithm.to_id_string(),
        sha1_rsa
    );
    let (_, ca_pem) = parse_x509_pem(rsa_ca_pem().as_bytes()).unwrap();
    let (_, ca) = parse_x509_certificate(&ca_pem.contents).unwrap();
    assert_eq!(leaf.verify_signature(Some(ca.public_key())), Ok(()));
    let facts = relaycheck::cert::load("sha1.der", &der, None).unwrap();
    assert_eq!(facts.signature.name, "sha1RSA");
    assert!(!facts.self_signed);
}

#[test]
fn cert_no_dns_names() {
    let no_names = spec(None, &[]);
    run(
        "cert-no-dns-names",
        CERTIFICATE,
        vec![
            fires(
                "CN is a display name, the only SAN an IP address",
                presenting(lab_cert(
                    &spec(Some("Contoso Exchange Server"), &["203.0.113.10"]),
                    KeyWith::Nothing,
                )),
                Severity::Error,
                &["CN=Contoso Exchange Server", "no DNS name"],
            ),
            fires(
                "neither CN nor SAN",
                presenting(lab_cert(&no_names, KeyWith::Nothing)),
                Severity::Error,
                &["no DNS name"],
            ),
            silent("a DNS name in the CN only", presenting(cert(CN, &[]))),
            silent(
                "a DNS name in a SAN only",
                presenting(cert_without_cn(&[CN])),
            ),
        ],
    );
}

#[test]
fn cert_key_mismatch() {
    let with = |k| presenting(lab_cert(&spec(Some(CN), &[CN]), k));
    run(
        "cert-key-mismatch",
        CERTIFICATE,
        vec![
            fires(
                "the key of another certificate",
                with(KeyWith::Other),
                Severity::Error,
                &[CN, "belongs to another certificate"],
            ),
            fires(
                "an unreadable PRIVATE KEY block",
                with(KeyWith::Garbage),
                Severity::Error,
                &[CN, "cannot be used", "malformed"],
            ),
            silent("its own key", with(KeyWith::Own)),
            silent("no key at all", with(KeyWith::Nothing)),
        ],
    );
}

#[test]
fn cert_no_private_key() {
    let bare = lab_cert(&spec(Some(CN), &[CN]), KeyWith::Nothing);
    let thumbprint_line = format!(
        "Get-ExchangeCertificate -Thumbprint {} | Format-List HasPrivateKey",
        bare.thumbprint
    );
    run(
        "cert-no-private-key",
        CERTIFICATE,
        vec![
            fires(
                "certificate without key (a .cer)",
                presenting(bare.clone()),
                Severity::Info,
                &["lab.pem", "carries no private key", CN],
            )
            .fix(&[&thumbprint_line]),
            silent(
                "its own key beside it",
                presenting(lab_cert(&spec(Some(CN), &[CN]), KeyWith::Own)),
            ),
            silent(
                "a key that does not match is a mismatch, not a missing key",
                presenting(lab_cert(&spec(Some(CN), &[CN]), KeyWith::Other)),
            ),
        ],
    );
    assert_eq!(bare.thumbprint.len(), 40, "SHA-1 thumbprint in hex");
    assert!(
        bare.thumbprint
            .chars()
            .all(|c| c.is_ascii_digit() || ('A'..='F').contains(&c))
    );
}

// ---------------------------------------------------------------------------------------
// Section 5: domain checks
// ---------------------------------------------------------------------------------------

fn hcw8103(cn: &str) -> String {
    format!(
        "HCW8103 The certificate provided ({cn}) does not match a verified domain inside the Office 365 tenant."
    )
}

/// A tenant, a certificate and an IP-only connector (so only the certificate's name matters).
fn tenant_with_cert(b: Build, cn: &str) -> Scenario {
    b.cert(cert(cn, &[cn]))
        .connector(ip_connector("Inbound from on-premises", &["203.0.113.10"]))
        .build()
}

#[test]
fn cert_name_not_accepted() {
    run(
        "cert-name-not-accepted",
        DOMAINS,
        vec![
            fires(
                "CN=contoso.com, contoso.com added but not verified",
                tenant_with_cert(
                    Build::new()
                        .default_domain("contoso.onmicrosoft.com")
                        .pending("contoso.com"),
                    "contoso.com",
                ),
                Severity::Warning,
                &[],
            )
            .exact(&hcw8103("contoso.com"))
            .fix(&["Confirm-MgDomain -DomainId \"contoso.com\""]),
            fires(
                "CN=hostname.contoso.com, contoso.com not accepted",
                tenant_with_cert(
                    Build::new()
                        .default_domain("contoso.onmicrosoft.com")
                        .domain("adatum.com"),
                    "hostname.contoso.com",
                ),
                Severity::Warning,
                &[],
            )
            .exact(&hcw8103("hostname.contoso.com"))
            .fix(&["contoso.com"]),
            fires(
                "CN=hostname.subdomain.contoso.com, only contoso.com accepted",
                tenant_with_cert(
                    Build::new().default_domain("contoso.com"),
                    "hostname.subdomain.contoso.com",
                ),
                Severity::Warning,
                &[],
            )
            .exact(&hcw8103("hostname.subdomain.contoso.com"))
            .fix(&[
                "Microsoft 365 admin center → Settings → Domains",
                "New-MgDomain -Id \"subdomain.contoso.com\"",
                // A subdomain of a verified domain is verified on creation: no Confirm-MgDomain.
                "Microsoft 365 verifies it at once, because contoso.com above it is verified",
                "rerun the Hybrid Configuration Wizard",
            ]),
            silent(
                "CN=contoso.com verified (case 1)",
                tenant_with_cert(Build::new().domain("contoso.com"), "contoso.com"),
            ),
            silent(
                "CN=mail.contoso.com under verified contoso.com (case 2)",
                tenant_with_cert(Build::new().domain("contoso.com"), CN),
            ),
        ],
    );
}

#[test]
fn domain_unverified() {
    let fabrikam_cert = || cert("mail.fabrikam.com", &["mail.fabrikam.com"]);
    run(
        "domain-unverified",
        DOMAINS,
        vec![
            fires(
                "needed as base(TSCN) of the enabled OnPremises connector",
                Build::new()
                    .domain("fabrikam.com")
                    .pending("contoso.com")
                    .cert(fabrikam_cert())
                    .connector(tscn_connector("Inbound from on-premises", "*.contoso.com"))
                    .build(),
                Severity::Error,
                &["contoso.com", "verification is pending"],
            )
            // The plan points the connector at the certificate's own verified domain, so
            // contoso.com is no longer needed.
            .fix(&["-TlsSenderCertificateName \"*.fabrikam.com\""]),
            fires(
                "needed, and the certificate's own domain: verify it",
                Build::new()
                    .domain("fabrikam.com")
                    .pending("contoso.com")
                    .cert(cert("mail.contoso.com", &["mail.contoso.com"]))
                    .connector(tscn_connector("Inbound from on-premises", "*.contoso.com"))
                    .build(),
                Severity::Error,
                &["contoso.com", "verification is pending"],
            )
            .fix(&["Confirm-MgDomain -DomainId \"contoso.com\""]),
            fires(
                "needed as base(TSCN) of a host TSCN",
                Build::new()
                    .domain("fabrikam.com")
                    .pending("relay.contoso.com")
                    .cert(fabrikam_cert())
                    .connector(tscn_connector(
                        "Inbound from on-premises",
                        "relay.contoso.com",
                    ))
                    .build(),
                Severity::Error,
                &["relay.contoso.com", "verification is pending"],
            ),
            fires(
                "needed as base(CN) after HCW case 3 (CN=contoso.com)",
                tenant_with_cert(
                    Build::new().domain("fabrikam.com").pending("contoso.com"),
                    "contoso.com",
                ),
                Severity::Error,
                &["contoso.com is an accepted domain", "pending"],
            ),
            fires(
                "needed as base(CN) of a wildcard CN after case 3 (CN=*.contoso.com)",
                tenant_with_cert(
                    Build::new().domain("fabrikam.com").pending("contoso.com"),
                    "*.contoso.com",
                ),
                Severity::Error,
                &["contoso.com is an accepted domain"],
            ),
            fires(
                "needed as parent(base(CN)) after case 3 (CN=hostname.contoso.com)",
                tenant_with_cert(
                    Build::new().domain("fabrikam.com").pending("contoso.com"),
                    "hostname.contoso.com",
                ),
                Severity::Error,
                &["contoso.com is an accepted domain", "pending"],
            ),
            fires(
                "needed twice (CN and connector), reported once",
                Build::new()
                    .domain("fabrikam.com")
                    .pending("contoso.com")
                    .cert(cert("contoso.com", &["contoso.com"]))
                    .connector(tscn_connector("Inbound from on-premises", "contoso.com"))
                    .build(),
                Severity::Error,
                &["contoso.com"],
            ),
            silent(
                "the grandparent of the CN is not needed",
                tenant_with_cert(
                    Build::new().domain("fabrikam.com").pending("contoso.com"),
                    "hostname.sub.contoso.com",
                ),
            ),
            silent(
                "a pending domain nothing needs",
                recommended().pending("unused.example.org").build(),
            ),
            silent(
                "the TSCN of a disabled connector is not needed",
                Build::new()
                    .domain("fabrikam.com")
                    .pending("contoso.com")
                    .cert(fabrikam_cert())
                    .connector(ip_connector("Inbound from on-premises", &["203.0.113.10"]))
                    .connector(disabled(tscn_connector("Old connector", "*.contoso.com")))
                    .build(),
            ),
            silent(
                "the TSCN of a Partner connector is not needed",
                Build::new()
                    .domain("fabrikam.com")
                    .pending("contoso.com")
                    .cert(fabrikam_cert())
                    .connector(ip_connector("Inbound from on-premises", &["203.0.113.10"]))
                    .connector(partner(tscn_connector("Partner", "*.contoso.com")))
                    .build(),
            ),
            silent(
                "the parent after case 2 is verified",
                tenant_with_cert(
                    Build::new()
                        .domain("contoso.com")
                        .pending("mail.contoso.com"),
                    CN,
                ),
            ),
        ],
    );
}

fn tenant_of(n: usize) -> Scenario {
    let mut s = recommended().build();
    let have = s.tenant.accepted_domains().len();
    for i in have..n {
        s.tenant
            .push(AcceptedDomain::new(dns(&format!("d{i}.example.com"))));
    }
    assert_eq!(s.tenant.accepted_domains().len(), n);
    s
}

#[test]
fn tenant_domain_limit() {
    run(
        "tenant-domain-limit",
        DOMAINS,
        vec![
            fires(
                "5,001 accepted domains",
                tenant_of(5001),
                Severity::Warning,
                &["5001", "5000"],
            ),
            silent("5,000 accepted domains (the limit itself)", tenant_of(5000)),
            silent("2 accepted domains", recommended().build()),
        ],
    );
}

// ---------------------------------------------------------------------------------------
// Section 6: connector checks
// ---------------------------------------------------------------------------------------

const NEW_CONNECTOR: &str = "New-InboundConnector -Name \"Inbound from on-premises\" -ConnectorType OnPremises -SenderDomains * -RequireTls $true -TlsSenderCertificateName \"*.contoso.com\" -CloudServicesMailEnabled $true";

#[test]
fn connector_missing() {
    let hcw_like = || tscn_connector("Inbound from 5b1f8c2e-contoso", "*.contoso.com");
    run(
        "connector-missing",
        CONNECTOR,
        vec![
            fires(
                "no inbound connector",
                with_connectors(vec![]),
                Severity::Error,
                &["There is no inbound connector"],
            )
            .fix(&[NEW_CONNECTOR, "rerun the Hybrid Configuration Wizard"]),
            fires(
                "only a disabled OnPremises connector: the plan enables it",
                with_connector(disabled(hcw_like())),
                Severity::Error,
                &["enabled", "OnPremises"],
            )
            .fix(&[
                "Set-InboundConnector -Identity \"Inbound from 5b1f8c2e-contoso\" -Enabled $true",
                "Contact Support to enable it",
                "aren't designed to relay bulk emails",
            ]),
            fires(
                "only a Partner connector",
                with_connector(partner(hcw_like())),
                Severity::Error,
                &["enabled", "OnPremises"],
            ),
            fires(
                "a disabled OnPremises and an enabled Partner connector",
                with_connectors(vec![
                    disabled(hcw_like()),
                    partner(tscn_connector("Partner", "*.contoso.com")),
                ]),
                Severity::Error,
                &["OnPremises"],
            ),
            silent("an enabled certificate connector", recommended().build()),
            silent(
                "an enabled IP-only OnPremises connector",
                with_connector(ip_connector("Inbound from on-premises", &["203.0.113.10"])),
            ),
        ],
    );
}

#[test]
fn connector_ip_only() {
    run(
        "connector-ip-only",
        CONNECTOR,
        vec![
            fires(
                "OnPremises connector with SenderIPAddresses and no TSCN",
                with_connector(ip_connector("Inbound from on-premises", &["203.0.113.0/28"])),
                Severity::Warning,
                &["\"Inbound from on-premises\"", "IP address only", "NDRs", "ATTR36"],
            )
            .fix(&[
                "Set-InboundConnector -Identity \"Inbound from on-premises\" -TlsSenderCertificateName \"*.contoso.com\"",
            ]),
            silent("connector with TSCN *.contoso.com", recommended().build()),
            silent("no connector at all (that is connector-missing)", with_connectors(vec![])),
        ],
    );
}

#[test]
fn connector_tscn_invalid() {
    let with_tscn = |t: &str| with_connector(tscn_connector("Inbound from on-premises", t));
    let invalid = |name, t: &'static str| {
        fires(name, with_tscn(t), Severity::Error, &["\"Inbound from on-premises\"", t, "not valid"])
            .fix(&["Set-InboundConnector -Identity \"Inbound from on-premises\" -TlsSenderCertificateName \"*.contoso.com\""])
    };
    run(
        "connector-tscn-invalid",
        CONNECTOR,
        vec![
            invalid("wildcard inside: mail.*.com", "mail.*.com"),
            invalid("embedded wildcard: *contoso.com", "*contoso.com"),
            invalid("a bare *", "*"),
            invalid("two wildcards: *.*.contoso.com", "*.*.contoso.com"),
            invalid("a space inside", "mail contoso.com"),
            invalid("empty label in the middle", "contoso..com"),
            invalid("empty first label", ".contoso.com"),
            invalid("wildcard over an empty label", "*..contoso.com"),
            silent("*.contoso.com", with_tscn("*.contoso.com")),
            silent("a host name", with_tscn("mail.contoso.com")),
            silent("an apex domain", with_tscn("contoso.com")),
            silent(
                "upper case and one trailing dot",
                with_tscn("*.Contoso.COM."),
            ),
        ],
    );
}

#[test]
fn connector_tscn_not_on_cert() {
    let on = |cn: &str, sans: &[&str], t: &str| {
        recommended()
            .cert(cert(cn, sans))
            .build()
            .pipe_connector(tscn_connector("Inbound from on-premises", t))
    };
    let mail = |t: &str| on(CN, &[CN, "autodiscover.contoso.com"], t);
    let wild = |t: &str| on("*.contoso.com", &["*.contoso.com"], t);
    run(
        "connector-tscn-not-on-cert",
        CONNECTOR,
        vec![
            fires(
                "*.fabrikam.com against mail.contoso.com",
                mail("*.fabrikam.com"),
                Severity::Error,
                &[
                    "\"Inbound from on-premises\"",
                    "*.fabrikam.com",
                    CN,
                    "autodiscover.contoso.com",
                ],
            )
            .fix(&["-TlsSenderCertificateName \"*.contoso.com\""]),
            fires(
                "another host: smtp.contoso.com",
                mail("smtp.contoso.com"),
                Severity::Error,
                &["smtp.contoso.com"],
            ),
            fires(
                "host TSCN contoso.com against hosts under it",
                mail("contoso.com"),
                Severity::Error,
                &["contoso.com"],
            ),
            fires(
                "certificate wildcard covers one label only: a.b.contoso.com",
                wild("a.b.contoso.com"),
                Severity::Error,
                &["a.b.contoso.com", "*.contoso.com"],
            ),
            fires(
                "certificate wildcard does not cover the apex: contoso.com",
                wild("contoso.com"),
                Severity::Error,
                &["contoso.com"],
            ),
            fires(
                "a look-alike domain: *.contoso.com against mail.notcontoso.com",
                on(
                    "mail.notcontoso.com",
                    &["mail.notcontoso.com"],
                    "*.contoso.com",
                ),
                Severity::Error,
                &["mail.notcontoso.com"],
            ),
            silent(
                "*.contoso.com matches mail.contoso.com",
                mail("*.contoso.com"),
            ),
            silent("the CN itself", mail(CN)),
            silent("a SAN that is not the CN", mail("autodiscover.contoso.com")),
            silent("upper case and a trailing dot", mail("MAIL.Contoso.com.")),
            silent("host TSCN covered by the certificate wildcard", wild(CN)),
            silent(
                "*.contoso.com against the certificate name *.contoso.com",
                wild("*.contoso.com"),
            ),
            silent(
                "*.contoso.com reaches any depth: a.b.contoso.com",
                on("a.b.contoso.com", &["a.b.contoso.com"], "*.contoso.com"),
            ),
            silent(
                "*.contoso.com matches the apex contoso.com",
                on("contoso.com", &["contoso.com"], "*.contoso.com"),
            ),
            silent(
                "policy: the CN counts even when the certificate has SANs",
                on("legacy.contoso.com", &[CN], "legacy.contoso.com"),
            ),
        ],
    );
}

/// Replaces the scenario's connectors (a helper for table rows).
trait PipeConnector {
    fn pipe_connector(self, c: InboundConnector) -> Scenario;
}

impl PipeConnector for Scenario {
    fn pipe_connector(mut self, c: InboundConnector) -> Scenario {
        self.inbound_connectors = vec![c];
        self
    }
}

#[test]
fn connector_domain_not_accepted() {
    let hcw_name = "Inbound from 5b1f8c2e-contoso";
    let with_tscn = |t: &str| with_connector(tscn_connector(hcw_name, t));
    run(
        "connector-domain-not-accepted",
        CONNECTOR,
        vec![
            fires(
                "host TSCN mail.contoso.com whose parent is accepted: fix *.contoso.com",
                with_tscn(CN),
                Severity::Error,
                &["\"Inbound from 5b1f8c2e-contoso\"", CN, "not a verified accepted domain"],
            )
            .fix(&[
                "Set-InboundConnector -Identity \"Inbound from 5b1f8c2e-contoso\" -TlsSenderCertificateName \"*.contoso.com\"",
                "rerun the Hybrid Configuration Wizard",
            ]),
            fires(
                "*.fabrikam.com, fabrikam.com not in the tenant",
                with_tscn("*.fabrikam.com"),
                Severity::Error,
                &["*.fabrikam.com", "fabrikam.com is not a verified accepted domain"],
            ),
            fires(
                "*.contoso.com while contoso.com is pending",
                Build::new()
                    .default_domain("contoso.onmicrosoft.com")
                    .pending("contoso.com")
                    .cert(cert(CN, &[CN]))
                    .connector(tscn_connector(hcw_name, "*.contoso.com"))
                    .build(),
                Severity::Error,
                &["contoso.com is not a verified accepted domain", "pending"],
            )
            .fix(&["Confirm-MgDomain -DomainId \"contoso.com\""]),
            fires(
                "a subdomain of an accepted domain is not accepted: *.sub.contoso.com",
                with_tscn("*.sub.contoso.com"),
                Severity::Error,
                &["sub.contoso.com is not a verified accepted domain"],
            ),
            silent("*.contoso.com with contoso.com verified", with_tscn("*.contoso.com")),
            silent("contoso.com with contoso.com verified", with_tscn("contoso.com")),
            silent(
                "an accepted InternalRelay domain counts",
                Build::new()
                    .accepted(AcceptedDomain {
                        domain_type: relaycheck::model::DomainType::InternalRelay,
                        ..AcceptedDomain::new(dns("contoso.com"))
                    })
                    .cert(cert(CN, &[CN]))
                    .connector(tscn_connector(hcw_name, "*.contoso.com"))
                    .build(),
            ),
        ],
    );
}

/// Seed 002: for a host TSCN under an accepted domain the fix is `*.<parent>`, never adding
/// the host as a domain.
#[test]
fn connector_domain_not_accepted_host_fix_is_only_the_parent_wildcard() {
    let r = validate(&with_connector(tscn_connector(
        "Inbound from 5b1f8c2e-contoso",
        CN,
    )));
    let f = one(&r, "connector-domain-not-accepted");
    assert_eq!(
        f.actions,
        vec![FixAction::SetInboundConnector {
            connector: "Inbound from 5b1f8c2e-contoso".into(),
            settings: vec![
                relaycheck::plan::ConnectorSetting::TlsSenderCertificateName(Some(
                    "*.contoso.com".into()
                ))
            ],
        }]
    );
    assert!(!f.fix.contains("New-MgDomain"), "{}", f.fix);
}

#[test]
fn connector_hcw_drift() {
    let name = "Inbound from on-premises";
    let hcw_like = || tscn_connector(name, "*.contoso.com");
    let changed = |f: fn(&mut InboundConnector)| {
        let mut c = hcw_like();
        f(&mut c);
        with_connector(c)
    };
    run(
        "connector-hcw-drift",
        CONNECTOR,
        vec![
            fires(
                "disabled",
                changed(|c| c.enabled = false),
                Severity::Warning,
                &["\"Inbound from on-premises\"", "it is disabled"],
            )
            .fix(&["Set-InboundConnector -Identity \"Inbound from on-premises\" -Enabled $true"]),
            fires(
                "not OnPremises",
                changed(|c| c.connector_type = relaycheck::model::ConnectorType::Partner),
                Severity::Warning,
                &["its type is Partner, not OnPremises"],
            )
            .fix(&["-ConnectorType OnPremises"]),
            fires(
                "RequireTls false",
                changed(|c| c.require_tls = false),
                Severity::Warning,
                &["RequireTls is $false"],
            )
            .fix(&["Set-InboundConnector -Identity \"Inbound from on-premises\" -RequireTls $true"]),
            fires(
                "CloudServicesMailEnabled false",
                changed(|c| c.cloud_services_mail_enabled = false),
                Severity::Warning,
                &["CloudServicesMailEnabled is $false"],
            )
            .fix(&["-CloudServicesMailEnabled $true"]),
            fires(
                "TSCN differs from what HCW writes",
                changed(|c| c.tls_sender_certificate_name = Some(CN.into())),
                Severity::Warning,
                &["TlsSenderCertificateName is mail.contoso.com", "HCW writes *.contoso.com"],
            )
            .fix(&[
                "Set-InboundConnector -Identity \"Inbound from on-premises\" -TlsSenderCertificateName \"*.contoso.com\"",
            ]),
            fires(
                "no TSCN while HCW writes one",
                with_connector(ip_connector(name, &["203.0.113.10"])),
                Severity::Warning,
                &["no TlsSenderCertificateName", "HCW writes *.contoso.com"],
            ),
            silent("exactly what HCW writes", recommended().build()),
            silent(
                "the same TSCN in other letter case",
                changed(|c| c.tls_sender_certificate_name = Some("*.Contoso.COM".into())),
            ),
            silent(
                "case 1: CN=contoso.com verified, TSCN contoso.com",
                Build::new()
                    .domain("contoso.com")
                    .cert(cert("contoso.com", &["contoso.com"]))
                    .connector(tscn_connector(name, "contoso.com"))
                    .build(),
            ),
            silent(
                "case 3: HCW writes the CN even when it warns",
                Build::new()
                    .domain("contoso.com")
                    .cert(cert("hostname.subdomain.contoso.com", &["hostname.subdomain.contoso.com"]))
                    .connector(tscn_connector(name, "hostname.subdomain.contoso.com"))
                    .build(),
            ),
        ],
    );
}

/// Several differences make one finding that lists them all, with one Set-InboundConnector.
#[test]
fn connector_hcw_drift_lists_every_difference_in_one_line() {
    let mut c = tscn_connector("Inbound from on-premises", CN);
    c.require_tls = false;
    c.cloud_services_mail_enabled = false;
    let r = validate(&with_connector(c));
    let f = one(&r, "connector-hcw-drift");
    assert!(f.message.contains("RequireTls is $false"), "{}", f.message);
    assert!(
        f.message.contains("CloudServicesMailEnabled is $false"),
        "{}",
        f.message
    );
    assert!(
        f.message
            .contains("TlsSenderCertificateName is mail.contoso.com"),
        "{}",
        f.message
    );
    assert!(
        f.fix.contains(
            "Set-InboundConnector -Identity \"Inbound from on-premises\" -RequireTls $true -CloudServicesMailEnabled $true -TlsSenderCertificateName \"*.contoso.com\""
        ),
        "{}",
        f.fix
    );
}

#[test]
fn org_fqdn_not_on_cert() {
    let wildcard = || cert("*.contoso.com", &["*.contoso.com"]);
    let at = |c, fqdn: &str| recommended().cert(c).fqdn(fqdn).build();
    run(
        "org-fqdn-not-on-cert",
        CONNECTOR,
        vec![
            fires(
                "*.contoso.com does not cover the apex contoso.com",
                at(wildcard(), "contoso.com"),
                Severity::Error,
                &["contoso.com is not on the certificate", "*.contoso.com"],
            ),
            fires(
                "*.contoso.com does not cover two labels: a.b.contoso.com",
                at(wildcard(), "a.b.contoso.com"),
                Severity::Error,
                &["a.b.contoso.com"],
            ),
            fires(
                "SAN over CN: the CN is ignored when there are DNS SANs",
                at(cert(CN, &["autodiscover.contoso.com"]), CN),
                Severity::Error,
                &[CN, "autodiscover.contoso.com"],
            ),
            fires(
                "another domain",
                at(cert(CN, &[CN]), "mail.fabrikam.com"),
                Severity::Error,
                &["mail.fabrikam.com"],
            ),
            fires(
                "no partial wildcard: m*.contoso.com does not cover mail.contoso.com",
                at(cert("m*.contoso.com", &["m*.contoso.com"]), CN),
                Severity::Error,
                &[CN],
            ),
            fires(
                "no wildcard over a bare TLD: *.com does not cover contoso.com",
                at(cert("*.com", &["*.com"]), "contoso.com"),
                Severity::Error,
                &["contoso.com"],
            ),
            fires(
                "no wildcard outside the left-most label: mail.*.com",
                at(cert("mail.*.com", &["mail.*.com"]), CN),
                Severity::Error,
                &[CN],
            ),
            silent("*.contoso.com covers mail.contoso.com", at(wildcard(), CN)),
            silent(
                "names compare in lower case",
                at(cert("Mail.Contoso.com", &["MAIL.CONTOSO.COM"]), CN),
            ),
            silent(
                "a SAN that is not the CN",
                at(cert(CN, &[CN, "smtp.contoso.com"]), "smtp.contoso.com"),
            ),
            silent(
                "the CN when there is no SAN extension",
                at(cert(CN, &[]), CN),
            ),
            silent("no organisation FQDN given", {
                let mut s = recommended().build();
                s.on_premises.organization_fqdn = None;
                s
            }),
        ],
    );
}

/// domain-rules.md §2: "When a certificate has DNS SANs, the host name is matched against the
/// SANs; the CN is used only when there are no DNS SANs." A certificate whose SAN extension
/// holds only an IP address has no DNS SANs, so its CN must be used.
#[test]
fn org_fqdn_uses_the_cn_when_the_san_has_no_dns_name() {
    let c = cert(CN, &["203.0.113.10"]);
    assert!(c.has_san_extension && c.dns_sans.is_empty());
    let r = validate(&recommended().cert(c).fqdn(CN).build());
    assert!(
        with_id(&r, "org-fqdn-not-on-cert").is_empty(),
        "{:#?}",
        summary(&r)
    );
}

// ---------------------------------------------------------------------------------------
// The whole table
// ---------------------------------------------------------------------------------------

/// Every check id of sections 4–6 has a table above; a new id needs one too.
#[test]
fn every_spec_check_id_is_tested_here() {
    let tested = [
        "cert-expired",
        "cert-not-yet-valid",
        "cert-expiring",
        "cert-self-signed",
        "cert-weak-key",
        "cert-weak-signature",
        "cert-no-dns-names",
        "cert-key-mismatch",
        "cert-no-private-key",
        "cert-name-not-accepted",
        "domain-unverified",
        "tenant-domain-limit",
        "connector-missing",
        "connector-ip-only",
        "connector-tscn-invalid",
        "connector-tscn-not-on-cert",
        "connector-domain-not-accepted",
        "connector-hcw-drift",
        "org-fqdn-not-on-cert",
    ];
    // The one id outside sections 4–6: the section 7 policy note, tested in tests/hcw.rs.
    let elsewhere = ["cert-name-parent-accepted"];
    let mut all: Vec<&str> = CheckId::ALL.iter().map(|id| id.as_str()).collect();
    all.sort_unstable();
    let mut expected: Vec<&str> = (tested.iter().chain(elsewhere.iter()))
        .chain(crate::onprem_checks::SECTION_11.iter())
        .copied()
        .collect();
    expected.sort_unstable();
    assert_eq!(all, expected);
}

/// The recommended setup (seed 002) is clean: only the note that a .cer carries no key.
#[test]
fn recommended_setup_passes_with_only_a_note() {
    let r = validate(&recommended().build());
    assert_eq!(r.verdict, Verdict::Pass, "{:#?}", summary(&r));
    let ids: Vec<&str> = r.findings.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(ids, ["cert-no-private-key", "cert-name-parent-accepted"]);
    assert!(r.findings.iter().all(|f| f.severity == Severity::Info));
}

/// Findings come out by step, then severity (the order the wizard and reports show).
#[test]
fn findings_are_ordered_by_step_then_severity() {
    let r = validate(
        &Build::new()
            .default_domain("contoso.com")
            .cert(self_signed("hostname.subdomain.contoso.com"))
            .connector(ip_connector("Inbound from on-premises", &["203.0.113.10"]))
            .fqdn("mail.fabrikam.com")
            .build(),
    );
    let keys: Vec<(Step, Severity)> = r.findings.iter().map(|f| (f.step, f.severity)).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    let steps: Vec<Step> = r.findings.iter().map(|f| f.step).collect();
    assert!(
        steps.contains(&Step::Certificate)
            && steps.contains(&Step::Domains)
            && steps.contains(&Step::Connector)
    );
}

/// The message must not contradict itself: when the FQDN is refused because the CN does not
/// count beside DNS SANs, "it covers …" must not list the FQDN (it lists CN + SANs, the
/// connector's notion of the certificate's names, not the names a TLS client matches).
#[test]
fn org_fqdn_message_lists_only_the_names_matched() {
    let r = validate(
        &recommended()
            .cert(cert(CN, &["autodiscover.contoso.com"]))
            .fqdn(CN)
            .build(),
    );
    let f = one(&r, "org-fqdn-not-on-cert");
    let covers = f.message.split("(it covers ").nth(1).unwrap_or_default();
    assert!(!covers.contains(CN), "{}", f.message);
}
