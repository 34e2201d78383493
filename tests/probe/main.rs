//! The live probes against real peers: Postfix and dnsmasq started by the tests on
//! loopback, and hostile fake servers (docs/probe.md). One test binary, one module a probe.

mod kit;

mod dns;
mod docs;
mod hostile;
mod relay;
mod smtp;

/// The lab every Postfix test uses: a root and an intermediate, the server's certificate
/// (mail.contoso.test, also covering localhost), an expired one, and three client
/// certificates: one listed in relay_clientcerts, one with the same name but not listed,
/// and one of a domain the tenant does not own.
pub struct Lab {
    pub pki: kit::Pki,
    pub server: kit::Made,
    pub expired: kit::Made,
    pub listed: kit::Made,
    pub unlisted: kit::Made,
    pub foreign: kit::Made,
    pub dir: tempfile::TempDir,
}

impl Lab {
    pub fn generate() -> Lab {
        let pki = kit::Pki::generate();
        let now = time::OffsetDateTime::now_utc();
        let server = pki.leaf_with(
            "mail.contoso.test",
            &["mail.contoso.test", "localhost"],
            now - time::Duration::days(30),
            now + time::Duration::days(365),
        );
        let expired = pki.leaf(
            "old.contoso.test",
            now - time::Duration::days(400),
            now - time::Duration::days(5),
        );
        let listed = pki.valid_leaf("relay.contoso.test");
        let unlisted = pki.valid_leaf("other.contoso.test");
        let foreign = pki.valid_leaf("mail.fabrikam.test");
        let dir = tempfile::tempdir().unwrap();
        kit::write(dir.path(), "root.pem", pki.root.cert_pem.as_bytes());
        kit::write(dir.path(), "server.pem", server.cert_pem.as_bytes());
        Lab {
            pki,
            server,
            expired,
            listed,
            unlisted,
            foreign,
            dir,
        }
    }

    pub fn path(&self, name: &str) -> String {
        self.dir.path().join(name).display().to_string()
    }

    /// Postfix with this lab's certificates, `listed` allowed to relay.
    pub fn postfix(&self) -> Option<kit::Postfix> {
        kit::Postfix::start(&kit::PostfixCerts {
            pki: &self.pki,
            server: &self.server,
            expired: &self.expired,
            relay_clients: &[&self.listed],
        })
    }

    /// A scenario: contoso.test verified, pending.test pending, a certificate connector
    /// for *.contoso.test, `certificate` as the presented certificate, the lab root
    /// trusted, and one NDR as the test message.
    pub fn scenario(&self, certificate: &kit::Made) -> String {
        kit::write(
            self.dir.path(),
            "selected.pem",
            certificate.cert_pem.as_bytes(),
        );
        let yaml = "version: 1
tenant:
  accepted_domains:
    - domain: contoso.test
      default: true
    - domain: pending.test
      verified: false
certificates:
  - file: selected.pem
trusted_roots: [root.pem]
inbound_connectors:
  - name: Inbound from contoso
    tls_sender_certificate_name: \"*.contoso.test\"
on_premises:
  organization_fqdn: relay.contoso.test
messages:
  - name: NDR to an external sender
    mail_from: \"<>\"
    rcpt_to: john@fabrikam.test
";
        kit::write(self.dir.path(), "scenario.yaml", yaml.as_bytes())
            .display()
            .to_string()
    }
}
