//! The real peers of the probe tests: a Postfix started with its own configuration in a
//! temporary folder on 127.0.0.1 (four smtpd services: a complete chain with client
//! certificates asked for and one fingerprint allowed to relay, an incomplete chain, an
//! expired certificate, no STARTTLS), dnsmasq serving a test zone, hostile fake servers,
//! and a lab PKI made with rcgen (root → intermediate → leaves).
//!
//! Where Postfix or dnsmasq cannot start, the test says why loudly and fails under
//! `CI=true`; elsewhere it is skipped.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose,
};
use time::OffsetDateTime;

/// Under CI a missing peer is a failure; elsewhere the test is skipped, loudly.
pub fn unavailable(what: &str, why: &str) {
    let ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
    let line = format!("{what} cannot run here: {why}");
    assert!(
        !ci,
        "{line} (CI=true: the probe tests must run; .ci/run installs it)"
    );
    eprintln!("\n!!!!!!!!!! SKIPPED: {line} !!!!!!!!!!\n");
}

/// A free port on 127.0.0.1 (bound, then released for the server to take).
pub fn free_port() -> u16 {
    free_ports::<1>()[0]
}

/// `N` different free ports (all bound at once, then released).
pub fn free_ports<const N: usize>() -> [u16; N] {
    let listeners: Vec<TcpListener> = (0..N)
        .map(|_| TcpListener::bind("127.0.0.1:0").expect("a free port on loopback"))
        .collect();
    let mut ports = [0u16; N];
    for (p, l) in ports.iter_mut().zip(&listeners) {
        *p = l.local_addr().expect("a bound port").port();
    }
    ports
}

/// relaycheck itself, with a bound on its run time (the probes bound themselves; this only
/// keeps a broken build from hanging the suite).
pub fn relaycheck(args: &[&str], env: &[(&str, &str)]) -> (Output, Duration) {
    let start = Instant::now();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_relaycheck"));
    cmd.args(args)
        .env_remove("RUST_BACKTRACE")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let child = cmd.spawn().expect("relaycheck runs");
    let out = child.wait_with_output().expect("relaycheck ends");
    (out, start.elapsed())
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", stdout(o), stderr(o)))
}

/// One certificate made for the tests, with its key (PEM) and files.
pub struct Made {
    pub cert_pem: String,
    pub der: Vec<u8>,
    pub key_pem: String,
}

impl Made {
    /// SHA-1 of the DER, upper-case hex: Get-ExchangeCertificate's Thumbprint.
    pub fn thumbprint(&self) -> String {
        hex(
            ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, &self.der).as_ref(),
            "",
        )
    }

    /// Postfix's fingerprint (smtpd_tls_fingerprint_digest = sha256): XX:YY:… upper-case.
    pub fn postfix_fingerprint(&self) -> String {
        hex(
            ring::digest::digest(&ring::digest::SHA256, &self.der).as_ref(),
            ":",
        )
    }

    /// A PKCS#12 file with the key and this certificate (and `chain`), protected by
    /// `password`.
    pub fn pfx(&self, chain: &[&Made], password: &str) -> Vec<u8> {
        use p12_keystore::{Certificate, KeyStore, KeyStoreEntry, PrivateKey, PrivateKeyChain};
        let body: String = self
            .key_pem
            .lines()
            .filter(|l| !l.starts_with("-----"))
            .collect();
        let key =
            PrivateKey::from_der(&data_encoding::BASE64.decode(body.as_bytes()).unwrap()).unwrap();
        let mut certs = vec![Certificate::from_der(&self.der).unwrap()];
        certs.extend(chain.iter().map(|c| Certificate::from_der(&c.der).unwrap()));
        let mut store = KeyStore::new();
        store.add_entry(
            "k",
            KeyStoreEntry::PrivateKeyChain(PrivateKeyChain::new(b"id".as_slice(), key, certs)),
        );
        store
            .writer(password)
            .encryption_algorithm(p12_keystore::EncryptionAlgorithm::PbeWithHmacSha256AndAes256)
            .encryption_iterations(2000)
            .mac_iterations(2000)
            .write()
            .unwrap()
    }
}

fn hex(bytes: &[u8], sep: &str) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(sep)
}

/// A lab PKI: a root, an intermediate under it, and leaves issued by the intermediate.
pub struct Pki {
    pub root: Made,
    pub intermediate: Made,
    issuer: Issuer<'static, KeyPair>,
}

fn ca_params(cn: &str) -> CertificateParams {
    let mut p = CertificateParams::new(Vec::<String>::new()).unwrap();
    p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    p.distinguished_name = DistinguishedName::new();
    p.distinguished_name
        .push(DnType::OrganizationName, "relaycheck probe tests");
    p.distinguished_name.push(DnType::CommonName, cn);
    p.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    p.not_before = rcgen::date_time_ymd(2020, 1, 1);
    p.not_after = rcgen::date_time_ymd(2099, 1, 1);
    p
}

impl Pki {
    pub fn generate() -> Pki {
        let root_key = KeyPair::generate().unwrap();
        let root_params = ca_params("Probe Test Root CA");
        let root_cert = root_params.self_signed(&root_key).unwrap();
        let root = Made {
            cert_pem: root_cert.pem(),
            der: root_cert.der().to_vec(),
            key_pem: root_key.serialize_pem(),
        };
        let root_issuer = Issuer::new(root_params, root_key);
        let int_key = KeyPair::generate().unwrap();
        let int_params = ca_params("Probe Test Issuing CA");
        let int_cert = int_params.signed_by(&int_key, &root_issuer).unwrap();
        let intermediate = Made {
            cert_pem: int_cert.pem(),
            der: int_cert.der().to_vec(),
            key_pem: int_key.serialize_pem(),
        };
        Pki {
            root,
            intermediate,
            issuer: Issuer::new(int_params, int_key),
        }
    }

    /// A leaf for `name` (CN and DNS SAN), server and client authentication, valid in the
    /// given window.
    pub fn leaf(&self, name: &str, not_before: OffsetDateTime, not_after: OffsetDateTime) -> Made {
        self.leaf_with(name, &[name], not_before, not_after)
    }

    /// A leaf with CN `name` and the DNS SANs `sans`.
    pub fn leaf_with(
        &self,
        name: &str,
        sans: &[&str],
        not_before: OffsetDateTime,
        not_after: OffsetDateTime,
    ) -> Made {
        let mut p =
            CertificateParams::new(sans.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap();
        p.distinguished_name = DistinguishedName::new();
        p.distinguished_name
            .push(DnType::OrganizationName, "relaycheck probe tests");
        p.distinguished_name.push(DnType::CommonName, name);
        p.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        p.extended_key_usages = vec![
            ExtendedKeyUsagePurpose::ServerAuth,
            ExtendedKeyUsagePurpose::ClientAuth,
        ];
        p.not_before = not_before;
        p.not_after = not_after;
        let key = KeyPair::generate().unwrap();
        let cert = p.signed_by(&key, &self.issuer).unwrap();
        Made {
            cert_pem: cert.pem(),
            der: cert.der().to_vec(),
            key_pem: key.serialize_pem(),
        }
    }

    /// A leaf valid from a year ago for ten years.
    pub fn valid_leaf(&self, name: &str) -> Made {
        let now = OffsetDateTime::now_utc();
        self.leaf(
            name,
            now - time::Duration::days(365),
            now + time::Duration::days(3650),
        )
    }
}

/// Writes a file and returns its path.
pub fn write(dir: &Path, name: &str, contents: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, contents).unwrap();
    p
}

/// Postfix on 127.0.0.1, stopped on drop.
pub struct Postfix {
    pub dir: tempfile::TempDir,
    /// leaf (mail.contoso.test) + intermediate, client certificates asked for.
    pub good: u16,
    /// the same leaf without its intermediate.
    pub incomplete: u16,
    /// an expired leaf + intermediate.
    pub expired: u16,
    /// no STARTTLS.
    pub plain: u16,
    child: Option<Child>,
}

pub struct PostfixCerts<'a> {
    pub pki: &'a Pki,
    pub server: &'a Made,
    pub expired: &'a Made,
    /// The client certificates allowed to relay (their fingerprints in relay_clientcerts).
    pub relay_clients: &'a [&'a Made],
}

fn program(name: &str) -> Option<PathBuf> {
    ["/usr/sbin", "/usr/bin", "/sbin", "/bin"]
        .iter()
        .map(|d| Path::new(d).join(name))
        .find(|p| p.is_file())
}

impl Postfix {
    /// Starts Postfix, or says why it cannot (and returns `None` outside CI).
    pub fn start(c: &PostfixCerts<'_>) -> Option<Postfix> {
        let Some(postfix) = program("postfix") else {
            unavailable(
                "Postfix",
                "the postfix command is not installed (apt-get install postfix)",
            );
            return None;
        };
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        // smtpd runs as the postfix user and must reach its queue below this folder.
        set_mode(d, 0o755);
        std::fs::create_dir_all(d.join("queue")).unwrap();
        std::fs::create_dir_all(d.join("data")).unwrap();
        let _ = Command::new("chown")
            .args(["postfix", &d.join("data").display().to_string()])
            .status();
        let server = write(
            d,
            "server.pem",
            format!("{}{}", c.server.cert_pem, c.pki.intermediate.cert_pem).as_bytes(),
        );
        let server_leaf = write(d, "server-leaf.pem", c.server.cert_pem.as_bytes());
        let server_key = write(d, "server.key", c.server.key_pem.as_bytes());
        let expired = write(
            d,
            "expired.pem",
            format!("{}{}", c.expired.cert_pem, c.pki.intermediate.cert_pem).as_bytes(),
        );
        let expired_key = write(d, "expired.key", c.expired.key_pem.as_bytes());
        set_mode(&server_key, 0o600);
        set_mode(&expired_key, 0o600);
        let fingerprints: String = c
            .relay_clients
            .iter()
            .map(|m| format!("{} ok\n", m.postfix_fingerprint()))
            .collect();
        write(d, "relay_clientcerts", fingerprints.as_bytes());
        let [good, incomplete, expired_port, plain] = free_ports::<4>();
        let dd = d.display();
        let main_cf = format!(
            "compatibility_level = 3.6
config_directory = {dd}
queue_directory = {dd}/queue
data_directory = {dd}/data
mail_owner = postfix
setgid_group = postdrop
myhostname = probe-test.localdomain
mydomain = localdomain
myorigin = $myhostname
mydestination =
relay_domains =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
maillog_file = /dev/stdout
smtpd_banner = $myhostname ESMTP relaycheck probe test
smtpd_tls_security_level = may
smtpd_tls_cert_file = {server}
smtpd_tls_key_file = {server_key}
smtpd_tls_ask_ccert = yes
smtpd_tls_fingerprint_digest = sha256
relay_clientcerts = texthash:{dd}/relay_clientcerts
smtpd_relay_restrictions = permit_tls_clientcerts, reject_unauth_destination
smtpd_recipient_restrictions =
smtp_dns_support_level = disabled
disable_dns_lookups = yes
smtpd_peername_lookup = no
",
            server = server.display(),
            server_key = server_key.display(),
        );
        write(d, "main.cf", main_cf.as_bytes());
        let master_cf = format!(
            "127.0.0.1:{good} inet n - n - - smtpd
127.0.0.1:{incomplete} inet n - n - - smtpd -o smtpd_tls_cert_file={leaf}
127.0.0.1:{expired_port} inet n - n - - smtpd -o smtpd_tls_cert_file={exp} -o smtpd_tls_key_file={exp_key}
127.0.0.1:{plain} inet n - n - - smtpd -o smtpd_tls_security_level=none
cleanup unix n - n - 0 cleanup
rewrite unix - - n - - trivial-rewrite
qmgr unix n - n 300 1 qmgr
tlsmgr unix - - n 1000? 1 tlsmgr
anvil unix - - n - 1 anvil
proxymap unix - - n - - proxymap
bounce unix - - n - 0 bounce
defer unix - - n - 0 bounce
trace unix - - n - 0 bounce
verify unix - - n - 1 verify
scache unix - - n - 1 scache
postlog unix-dgram n - n - 1 postlogd
",
            leaf = server_leaf.display(),
            exp = expired.display(),
            exp_key = expired_key.display(),
        );
        write(d, "master.cf", master_cf.as_bytes());
        let log = std::fs::File::create(d.join("postfix.log")).unwrap();
        let child = Command::new(&postfix)
            .args(["-c", &dd.to_string(), "start-fg"])
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn();
        let child = match child {
            Ok(c) => c,
            Err(e) => {
                unavailable("Postfix", &format!("postfix start-fg: {e}"));
                return None;
            }
        };
        let mut pf = Postfix {
            dir,
            good,
            incomplete,
            expired: expired_port,
            plain,
            child: Some(child),
        };
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let up = [good, incomplete, expired_port, plain]
                .iter()
                .all(|p| TcpStream::connect(("127.0.0.1", *p)).is_ok());
            if up {
                return Some(pf);
            }
            let exited = pf
                .child
                .as_mut()
                .and_then(|c| c.try_wait().ok().flatten())
                .is_some();
            if exited || Instant::now() > deadline {
                let why = format!(
                    "Postfix did not start (as uid {}); its log:\n{}",
                    uid(),
                    pf.log()
                );
                drop(pf);
                unavailable("Postfix", &why);
                return None;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("postfix.log")).unwrap_or_default()
    }

    /// Waits until the log has a line containing `text` (Postfix logs a session's end
    /// after the client has gone).
    pub fn wait_for_log(&self, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let log = self.log();
            if log.contains(text) || Instant::now() > deadline {
                return log;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Postfix {
    fn drop(&mut self) {
        if let Some(postfix) = program("postfix") {
            let _ = Command::new(postfix)
                .args(["-c", &self.dir.path().display().to_string(), "stop"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
        }
        if let Some(mut child) = self.child.take() {
            let deadline = Instant::now() + Duration::from_secs(5);
            while child.try_wait().ok().flatten().is_none() {
                if Instant::now() > deadline {
                    let _ = child.kill();
                    let _ = child.wait();
                    break;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        }
    }
}

fn uid() -> String {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_else(|_| "?".into())
}

fn set_mode(p: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// dnsmasq on 127.0.0.1 and a free port, serving only the records given; stopped on drop.
pub struct Dnsmasq {
    pub port: u16,
    child: Child,
}

impl Dnsmasq {
    /// `records`: dnsmasq options such as `--txt-record=contoso.test,"MS=ms1"`.
    pub fn start(records: &[String]) -> Option<Dnsmasq> {
        let Some(dnsmasq) = program("dnsmasq") else {
            unavailable(
                "dnsmasq",
                "the dnsmasq command is not installed (apt-get install dnsmasq)",
            );
            return None;
        };
        let port = free_port();
        let mut cmd = Command::new(dnsmasq);
        cmd.args([
            "--keep-in-foreground",
            "--no-resolv",
            "--no-hosts",
            "--no-poll",
            "--conf-file=/dev/null",
            "--pid-file=",
            "--bind-interfaces",
            "--listen-address=127.0.0.1",
            "--log-facility=-",
            &format!("--port={port}"),
        ])
        .args(records)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
        let mut child = match cmd.spawn() {
            Ok(c) => c,
            Err(e) => {
                unavailable("dnsmasq", &e.to_string());
                return None;
            }
        };
        // Ready when it answers on TCP (it serves TCP and UDP on the same port).
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Some(Dnsmasq { port, child });
            }
            if let Ok(Some(status)) = child.try_wait() {
                let mut err = String::new();
                if let Some(mut e) = child.stderr.take() {
                    let _ = e.read_to_string(&mut err);
                }
                unavailable("dnsmasq", &format!("it exited ({status}): {err}"));
                return None;
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                unavailable("dnsmasq", "it did not answer within 10 s");
                return None;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Dnsmasq {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A fake server on 127.0.0.1 that runs `behave` on the first connection (in a thread); the
/// test keeps the join handle to learn what the client sent.
pub struct Fake {
    pub port: u16,
    handle: Option<std::thread::JoinHandle<Vec<u8>>>,
}

impl Fake {
    pub fn start(behave: impl FnOnce(TcpStream) -> Vec<u8> + Send + 'static) -> Fake {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let handle = std::thread::spawn(move || match listener.accept() {
            Ok((s, _)) => {
                let _ = s.set_read_timeout(Some(Duration::from_secs(20)));
                let _ = s.set_write_timeout(Some(Duration::from_secs(20)));
                behave(s)
            }
            Err(_) => Vec::new(),
        });
        Fake {
            port,
            handle: Some(handle),
        }
    }

    /// What the client sent (as far as the fake read it).
    pub fn received(mut self) -> String {
        let bytes = self
            .handle
            .take()
            .and_then(|h| h.join().ok())
            .unwrap_or_default();
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

/// Reads one line the client sends (up to LF), appending it to `log`.
pub fn read_line(s: &mut TcpStream, log: &mut Vec<u8>) -> bool {
    let mut byte = [0u8; 1];
    loop {
        match s.read(&mut byte) {
            Ok(1) => {
                log.push(byte[0]);
                if byte[0] == b'\n' {
                    return true;
                }
            }
            _ => return false,
        }
    }
}

pub fn send(s: &mut TcpStream, text: &str) {
    let _ = s.write_all(text.as_bytes());
}
