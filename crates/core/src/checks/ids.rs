//! The check identifiers (docs/checks.md, "All checks at a glance"), with the wizard step each belongs
//! to and why it matters. The ids are the stable interface of `check --format json`.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// The wizard steps findings belong to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Step {
    #[serde(rename = "certificate")]
    Certificate,
    #[serde(rename = "domains")]
    Domains,
    #[serde(rename = "connector")]
    Connector,
    #[serde(rename = "mail-flow")]
    MailFlow,
}

impl Step {
    pub const ALL: [Step; 4] = [
        Step::Certificate,
        Step::Domains,
        Step::Connector,
        Step::MailFlow,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Step::Certificate => "certificate",
            Step::Domains => "domains",
            Step::Connector => "connector",
            Step::MailFlow => "mail-flow",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Step::Certificate => "Certificate",
            Step::Domains => "Domains",
            Step::Connector => "Connector",
            Step::MailFlow => "Mail flow",
        }
    }
}

macro_rules! check_ids {
    ($( $variant:ident => $id:literal, $step:ident, $why:literal; )*) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum CheckId { $( $variant, )* }

        impl CheckId {
            pub const ALL: &'static [CheckId] = &[ $( CheckId::$variant, )* ];

            pub fn as_str(self) -> &'static str {
                match self { $( CheckId::$variant => $id, )* }
            }

            pub fn step(self) -> Step {
                match self { $( CheckId::$variant => Step::$step, )* }
            }

            /// Why the check matters, with its public source.
            pub fn why(self) -> &'static str {
                match self { $( CheckId::$variant => $why, )* }
            }

            pub fn parse(text: &str) -> Option<CheckId> {
                match text { $( $id => Some(CheckId::$variant), )* _ => None }
            }
        }
    };
}

check_ids! {
    CertExpired => "cert-expired", Certificate,
        "An expired certificate cannot authenticate the on-premises server, and HCW lists only valid certificates.";
    CertNotYetValid => "cert-not-yet-valid", Certificate,
        "A certificate before its NotBefore date cannot authenticate the server, and HCW lists only valid certificates.";
    CertExpiring => "cert-expiring", Certificate,
        "When it expires, certificate-based relay (NDRs, forwarding, other sender domains) stops at once; HealthChecker warns 60 days ahead.";
    CertSelfSigned => "cert-self-signed", Certificate,
        "Exchange Online does not trust self-signed certificates for connector authentication; HCW requires a certificate from a third-party CA.";
    CertWeakKey => "cert-weak-key", Certificate,
        "RSA keys under 2048 bits are refused by current TLS stacks; HealthChecker flags them.";
    CertWeakSignature => "cert-weak-signature", Certificate,
        "SHA-1 and MD5 signatures are deprecated for TLS certificates; HealthChecker flags them.";
    CertNoDnsNames => "cert-no-dns-names", Certificate,
        "Without a DNS name in the CN or a SAN, no TlsSenderCertificateName can match the certificate.";
    CertKeyMismatch => "cert-key-mismatch", Certificate,
        "The Exchange server can only present a certificate whose private key it holds; a key from another certificate breaks TLS.";
    CertNoPrivateKey => "cert-no-private-key", Certificate,
        "The file carries no private key; the Exchange server that presents the certificate needs one (HCW prerequisites).";
    CertChainIncomplete => "cert-chain-incomplete", Certificate,
        "Exchange Online doesn't fetch intermediate certificates on demand: the on-premises server must send its intermediates, and a missing intermediate gives 550 5.7.64 TenantAttribution (NDR 450 4.4.317 article, KB 3212877).";
    CertUntrustedRoot => "cert-untrusted-root", Certificate,
        "Exchange Online trusts certificates from public CAs only; HCW lists only certificates whose root is a third-party CA (RootCAType ThirdParty). relaycheck knows Mozilla's public roots (webpki-roots), which are close to, but not the same as, Microsoft's Trusted Root Program.";
    CertNoClientAuthEku => "cert-no-client-auth-eku", Certificate,
        "The on-premises server presents the certificate as a TLS client certificate. Public CAs stopped including Client Authentication in 2026 (DigiCert from 2026-05-01, Let's Encrypt from 2026-05-13); Microsoft has not said whether Exchange Online requires it.";
    CertNameNotAccepted => "cert-name-not-accepted", Domains,
        "HCW takes the TlsSenderCertificateName from the certificate's subject; when that name is not under a verified accepted domain it warns (HCW8103) and carries on, and relay of NDRs, forwarded mail and foreign senders fails with ATTR36 (KB 4019940).";
    CertNameParentAccepted => "cert-name-parent-accepted", Domains,
        "HCW accepts a host name directly under a verified accepted domain and writes *.<parent>; Microsoft's 2023 relay guidance also suggests adding the certificate's exact domain.";
    DomainUnverified => "domain-unverified", Domains,
        "A domain whose verification is pending does not count: Exchange Online attributes mail only to verified accepted domains.";
    TenantDomainLimit => "tenant-domain-limit", Domains,
        "Exchange Online allows at most 5,000 accepted domains per tenant.";
    CertNameForeignDomain => "cert-name-foreign-domain", Domains,
        "Microsoft names an OnPremises connector doing certificate-based authentication with a certificate whose subject or SAN is for a domain that is not an accepted domain of the tenant a problematic configuration that may unexpectedly stop working (MC1226222, 2026-02-04).";
    SenderDomainUnregistered => "sender-domain-unregistered", MailFlow,
        "Exchange Online limits mail from domains the tenant has not registered, even when a certificate connector relays it: 550 5.7.750 Service unavailable. Client blocked from sending from unregistered domains (NDR 5.7.750 article).";
    ConnectorMissing => "connector-missing", Connector,
        "Without an enabled inbound connector of type OnPremises, Exchange Online cannot attribute on-premises mail to the tenant (550 5.7.64 TenantAttribution).";
    ConnectorIpOnly => "connector-ip-only", Connector,
        "An IP-based connector relays only mail whose envelope sender domain is accepted: NDRs, forwarded mail and foreign senders get 550 5.7.64 ATTR36 (Microsoft: configure a certificate-based connector).";
    ConnectorTscnInvalid => "connector-tscn-invalid", Connector,
        "TlsSenderCertificateName must be an SMTP domain, optionally with one leading *. (New-InboundConnector reference).";
    ConnectorIpInvalid => "connector-ip-invalid", Connector,
        "Exchange Online accepts only IPv4 addresses, /24 to /32 CIDR ranges and a.b.c.d-a.b.c.e ranges in SenderIPAddresses (\"Valid subnet mask values are /24 through /32\", \"IPv6 addresses are not supported\", New-InboundConnector reference): any other entry never matches.";
    ConnectorTscnNotOnCert => "connector-tscn-not-on-cert", Connector,
        "The connector identifies the server by its certificate: when no CN or SAN of the presented certificate matches TlsSenderCertificateName, the certificate path is never taken.";
    ConnectorDomainNotAccepted => "connector-domain-not-accepted", Connector,
        "Certificate-based relay works only when the connector's domain is a verified accepted domain; use *.contoso.com, not mail.contoso.com (Microsoft: configure a certificate-based connector).";
    ConnectorHcwDrift => "connector-hcw-drift", Connector,
        "The next HCW run rewrites the connector to what it computes; differences are lost or reveal a manual change.";
    OrgFqdnNotOnCert => "org-fqdn-not-on-cert", Connector,
        "Exchange Online connects to the organisation FQDN with TLS and checks the certificate name; when it is not covered, mail to on-premises fails.";
    SendConnectorMissing => "send-connector-missing", Certificate,
        "Exchange Online relays only what the on-premises send connector hands it: without an enabled send connector to Exchange Online (CloudServicesMailEnabled, a smart host under mail.protection.outlook.com) for the relayed domains, the mail leaves another way or not at all (Microsoft: set up your email server to relay mail to the internet via Microsoft 365; HealthChecker Exchange Online Connector Check).";
    SendConnectorSmartHost => "send-connector-smart-host", Certificate,
        "Exchange Online takes relayed mail at the tenant's own endpoint (<domain>.mail.protection.outlook.com, or under mx.microsoft for domains added from July 2026, MC1048624); routing by MX bypasses it, and legacy hosts get 451 4.4.62 Mail sent to the wrong Office 365 region. ATTR35.";
    SendConnectorCertificate => "send-connector-certificate", Certificate,
        "The send connector's TlsCertificateName (<I>issuer<S>subject) decides which certificate the server presents to Exchange Online: left empty, Exchange picks one itself; one that is not the connector's certificate, or not installed on its source servers, breaks certificate-based attribution (HealthChecker Cloud Connector Check; Set-SendConnector reference).";
    SendConnectorTls => "send-connector-tls", Certificate,
        "HCW writes RequireTLS, TlsAuthLevel DomainValidation with TlsDomain mail.protection.outlook.com and CloudServicesMailEnabled: without them Exchange Online's certificate is not validated or the mail loses its hybrid attribution (HealthChecker Exchange Online Connector Check; CertificateValidation is accepted). Exchange Online's certificate chains to DigiCert Global Root G2 (MC1224565), which the servers must trust.";
    CertNotOnEveryServer => "cert-not-on-every-server", Certificate,
        "Every source transport server presents its own copy of the certificate: where it is missing, expired or not enabled for SMTP, mail leaving through that server presents another certificate or none (HCW lists only certificates present on every server).";
}

impl std::fmt::Display for CheckId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for CheckId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for id in CheckId::ALL {
            assert!(seen.insert(id.as_str()), "duplicate {id}");
            assert_eq!(CheckId::parse(id.as_str()), Some(*id));
        }
        assert_eq!(CheckId::parse("no-such-check"), None);
    }
}
