//! Hostile input, one test per class: pipes and devices, oversize and sparse files, the
//! parser bombs (PKCS#12 key-derivation work, .NET binary arrays and class references, deep
//! YAML), huge names and numbers, UTF-16 without a byte-order mark, and writes that meet a
//! symbolic link or a different existing file. Nothing here measures time: each cap makes the
//! work bounded, and the tests assert the refusal and its message.

use crate::support;

use std::path::{Path, PathBuf};
use std::process::Command;

use relaycheck::error::InputError;
use relaycheck::import::{self, Overrides};
use relaycheck::input::{InputKind, read_input_kind};

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

/// Loads the overrides; the refusal as the command line would print it.
fn import_error(o: &Overrides) -> InputError {
    match import::load(o, None, support::now()) {
        Ok(_) => panic!("expected a refusal"),
        Err(e) => InputError::from(e),
    }
}

fn accepted(path: &Path) -> Overrides {
    Overrides {
        accepted_domains: Some(path.to_path_buf()),
        ..Overrides::default()
    }
}

fn certificate(path: &Path) -> Overrides {
    Overrides {
        certificate: Some(path.to_path_buf()),
        ..Overrides::default()
    }
}

fn relaycheck(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_relaycheck"))
        .args(args)
        .output()
        .unwrap()
}

fn example_cert() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/examples/certs/mail-contoso.pem")
}

// ---- pipes, devices, sizes -------------------------------------------------------------

#[cfg(unix)]
fn fifo(dir: &Path, name: &str) -> PathBuf {
    let p = dir.join(name);
    let status = Command::new("mkfifo").arg(&p).status().unwrap();
    assert!(status.success(), "mkfifo failed");
    p
}

/// Nothing ever writes to these pipes: a reader that opened one blocking would hang here,
/// so returning at all shows the refusal came before the open.
#[cfg(unix)]
#[test]
fn a_fifo_is_refused_by_type_wherever_it_is_given() {
    let tmp = tempfile::tempdir().unwrap();
    let pipe = fifo(tmp.path(), "pipe.json");
    let fifo_says = "this is a named pipe (FIFO), not a regular file";

    let e = read_input_kind(&pipe, InputKind::CmdletOutput).unwrap_err();
    assert_eq!(e.path.as_deref(), Some(pipe.as_path()));
    assert!(e.message.starts_with(fifo_says), "{e}");
    assert!(e.message.contains("cmdlet output file"), "{e}");

    for o in [accepted(&pipe), certificate(&pipe)] {
        let e = import_error(&o);
        assert_eq!(e.path.as_deref(), Some(pipe.as_path()));
        assert!(e.message.starts_with(fifo_says), "{e}");
    }

    let e = relaycheck::scenario::load(&pipe, None, crate::support::now()).unwrap_err();
    assert!(e.message.starts_with(fifo_says), "{e}");
    assert!(e.message.contains("scenario file"), "{e}");

    // A scenario's `file:` and `key:`.
    let cert = example_cert();
    for (name, body) in [
        ("file.yaml", "certificate:\n  file: pipe.json\n".to_string()),
        (
            "key.yaml",
            format!(
                "certificate:\n  file: {}\n  key: pipe.json\n",
                cert.display()
            ),
        ),
    ] {
        let scenario = write(tmp.path(), name, body.as_bytes());
        let e = relaycheck::scenario::load(&scenario, None, crate::support::now()).unwrap_err();
        assert_eq!(e.path.as_deref(), Some(pipe.as_path()), "{name}: {e}");
        assert!(e.message.starts_with(fifo_says), "{name}: {e}");
    }
    assert!(!relaycheck::scenario::is_container(&pipe));

    // The command line: exit code 2, one paragraph naming the file.
    let out = relaycheck(&["check", "--accepted-domains", pipe.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("{}: {fifo_says}", pipe.display())),
        "{err}"
    );
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
}

#[cfg(unix)]
#[test]
fn devices_are_refused_by_type() {
    let e = import_error(&certificate(Path::new("/dev/zero")));
    assert_eq!(e.path.as_deref(), Some(Path::new("/dev/zero")));
    assert!(
        e.message
            .starts_with("this is a character device, not a regular file"),
        "{e}"
    );
    let e = relaycheck::scenario::load(Path::new("/dev/null"), None, crate::support::now())
        .unwrap_err();
    assert!(e.message.starts_with("this is a character device"), "{e}");
    let out = relaycheck(&["check", "--scenario", "/dev/zero"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/dev/zero: this is a character device"));
}

#[test]
fn an_oversize_key_and_scenario_are_refused_by_size() {
    let tmp = tempfile::tempdir().unwrap();
    let key_limit = InputKind::Key.limit() as usize;
    let key = write(tmp.path(), "big.key", &vec![b'A'; key_limit + 1]);
    let scenario = write(
        tmp.path(),
        "s.yaml",
        format!(
            "certificate:\n  file: {}\n  key: big.key\n",
            example_cert().display()
        )
        .as_bytes(),
    );
    let e = relaycheck::scenario::load(&scenario, None, crate::support::now()).unwrap_err();
    assert_eq!(e.path.as_deref(), Some(key.as_path()));
    assert_eq!(
        e.message,
        "the key file is too large: 1,048,577 bytes, and relaycheck reads at most 1 MiB (1,048,576 bytes) for a key file"
    );

    let limit = InputKind::Scenario.limit() as usize;
    let mut yaml = b"version: 1\n".to_vec();
    yaml.resize(limit + 1, b'#');
    let big = write(tmp.path(), "big.yaml", &yaml);
    let e = relaycheck::scenario::load(&big, None, crate::support::now()).unwrap_err();
    assert!(
        e.message
            .contains("4 MiB (4,194,304 bytes) for a scenario file"),
        "{e}"
    );
}

/// 3 GiB that take no disk space: refused from the metadata, nothing is read or allocated
/// (a 3 GiB buffer would abort the test binary).
#[test]
fn a_sparse_3_gib_certificate_is_refused_by_size() {
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("huge.pfx");
    let f = std::fs::File::create(&p).unwrap();
    f.set_len(3 << 30).unwrap();
    drop(f);
    let e = import_error(&certificate(&p));
    assert_eq!(e.path.as_deref(), Some(p.as_path()));
    assert_eq!(
        e.message,
        "the certificate file is too large: 3,221,225,472 bytes, and relaycheck reads at most 16 MiB (16,777,216 bytes) for a certificate file"
    );
    assert!(!relaycheck::scenario::is_container(&p));
}

// ---- encodings -------------------------------------------------------------------------

fn utf16(text: &str, order: fn(u16) -> [u8; 2]) -> Vec<u8> {
    text.encode_utf16().flat_map(order).collect()
}

/// Editors and some redirections write UTF-16 without a byte-order mark; it reads exactly
/// as the UTF-8 original, as cmdlet output and as a scenario.
#[test]
fn utf16_le_and_be_without_bom_read_like_utf8() {
    let tmp = tempfile::tempdir().unwrap();
    let fixture = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import/accepted-domains.json");
    let text = std::fs::read_to_string(&fixture).unwrap();
    let want = import::load(&accepted(&fixture), None, support::now())
        .unwrap()
        .accepted_domains
        .unwrap();
    assert!(!want.is_empty());
    let scenario_text = "version: 1\ntenant:\n  accepted_domains:\n    - domain: contoso.com\n";
    for (name, order) in [
        ("le", u16::to_le_bytes as fn(u16) -> [u8; 2]),
        ("be", u16::to_be_bytes),
    ] {
        let p = write(tmp.path(), &format!("{name}.json"), &utf16(&text, order));
        let got = import::load(&accepted(&p), None, support::now())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(got.accepted_domains.as_ref(), Some(&want), "{name}");

        let p = write(
            tmp.path(),
            &format!("{name}.yaml"),
            &utf16(scenario_text, order),
        );
        let (_, s) = relaycheck::scenario::load(&p, None, crate::support::now())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            s.tenant.accepted_domains()[0].domain.as_str(),
            "contoso.com"
        );
    }
}

// ---- writes ----------------------------------------------------------------------------

fn lab_der() -> Vec<u8> {
    let spec =
        relaycheck::lab::LabSpec::new("mail.contoso.com", &["mail.contoso.com"], support::now());
    relaycheck::lab::issue(&spec, relaycheck::lab::LabCa::shared().unwrap())
        .unwrap()
        .cert_der
}

/// A minimal `Get-ExchangeCertificate | Export-Clixml` file: one certificate, and the
/// .NET `SerializationData` blob when given.
fn clixml_certificate(der: &[u8], serialization: Option<&[u8]>) -> String {
    let b64 = |b: &[u8]| data_encoding::BASE64.encode(b);
    let blob = serialization
        .map(|s| format!("<BA N=\"SerializationData\">{}</BA>", b64(s)))
        .unwrap_or_default();
    format!(
        concat!(
            "<Objs Version=\"1.1.0.1\" xmlns=\"http://schemas.microsoft.com/powershell/2004/04\">",
            "<Obj RefId=\"0\"><TN RefId=\"0\">",
            "<T>Deserialized.Microsoft.Exchange.Management.SystemConfigurationTasks.ExchangeCertificate</T>",
            "</TN><Props><BA N=\"RawData\">{}</BA>{}</Props></Obj></Objs>"
        ),
        b64(der),
        blob
    )
}

#[cfg(unix)]
#[test]
fn write_atomic_refuses_a_symlink_at_the_export_target_and_leaves_its_target_alone() {
    use relaycheck::save::{SaveError, write_atomic};
    let tmp = tempfile::tempdir().unwrap();
    let precious = write(
        tmp.path(),
        "authorized_keys",
        b"ssh-ed25519 AAAA precious\n",
    );
    let link = tmp.path().join("export.yaml");
    std::os::unix::fs::symlink(&precious, &link).unwrap();
    for overwrite in [false, true] {
        let e = write_atomic(&link, b"version: 1\n", overwrite, &[]).unwrap_err();
        assert_eq!(e, SaveError::Symlink(link.clone()));
        assert!(e.to_string().contains("never writes through a link"), "{e}");
    }
    assert_eq!(
        std::fs::read(&precious).unwrap(),
        b"ssh-ed25519 AAAA precious\n"
    );
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

#[test]
fn write_certificates_keeps_an_identical_file_and_refuses_a_different_one() {
    let tmp = tempfile::tempdir().unwrap();
    let xml = write(
        tmp.path(),
        "certs.xml",
        clixml_certificate(&lab_der(), None).as_bytes(),
    );
    let data = import::load(&certificate(&xml), None, support::now()).unwrap();
    let out = tmp.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let mut first = relaycheck::model::Scenario::default();
    import::apply(&mut first, &data);
    let written = import::write_certificates(&mut first, &data, &out).unwrap();
    assert_eq!(written.len(), 1);
    let pem = std::fs::read(&written[0]).unwrap();

    // The same export again: the identical file is kept.
    let mut again = relaycheck::model::Scenario::default();
    import::apply(&mut again, &data);
    assert_eq!(
        import::write_certificates(&mut again, &data, &out).unwrap(),
        written
    );

    // Someone else's file of that name: never replaced, and named in the error.
    std::fs::write(&written[0], b"not this certificate\n").unwrap();
    let mut third = relaycheck::model::Scenario::default();
    import::apply(&mut third, &data);
    let e = import::write_certificates(&mut third, &data, &out).unwrap_err();
    assert_eq!(e.path.as_deref(), Some(written[0].as_path()));
    assert!(
        e.message
            .starts_with("a different file already has this name"),
        "{e}"
    );
    assert_eq!(
        std::fs::read(&written[0]).unwrap(),
        b"not this certificate\n"
    );
    assert_ne!(pem, b"not this certificate\n");

    // A link in its place is not followed.
    #[cfg(unix)]
    {
        let elsewhere = write(tmp.path(), "elsewhere.txt", b"untouched");
        std::fs::remove_file(&written[0]).unwrap();
        std::os::unix::fs::symlink(&elsewhere, &written[0]).unwrap();
        let mut fourth = relaycheck::model::Scenario::default();
        import::apply(&mut fourth, &data);
        let e = import::write_certificates(&mut fourth, &data, &out).unwrap_err();
        assert!(e.message.contains("symbolic link"), "{e}");
        assert_eq!(std::fs::read(&elsewhere).unwrap(), b"untouched");
    }
}

// ---- parser bombs: YAML ------------------------------------------------------------------

#[test]
fn a_scenario_of_200000_nested_brackets_is_refused_before_yaml_parsing() {
    let tmp = tempfile::tempdir().unwrap();
    let mut text = String::from("version: 1\ntenant: ");
    text.push_str(&"[".repeat(200_000));
    text.push_str(&"]".repeat(200_000));
    let p = write(tmp.path(), "deep.yaml", text.as_bytes());
    let e = relaycheck::scenario::load(&p, None, crate::support::now()).unwrap_err();
    assert_eq!(e.path.as_deref(), Some(p.as_path()));
    assert_eq!(
        e.message,
        "the scenario nests more than 64 levels deep (in [ ] and { }, line 2); relaycheck reads at most 64 levels (a scenario needs about 5)"
    );
    let out = relaycheck(&["check", "--scenario", p.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("levels deep"), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");

    // By indentation too.
    let mut nested = String::from("tenant:\n");
    for i in 1..=70 {
        nested.push_str(&format!("{}k:\n", "  ".repeat(i)));
    }
    let p = write(tmp.path(), "indented.yaml", nested.as_bytes());
    let e = relaycheck::scenario::load(&p, None, crate::support::now()).unwrap_err();
    assert!(e.message.contains("(by indentation, line 65)"), "{e}");

    // Brackets in quoted text are text.
    let quoted = format!(
        "version: 1\ninbound_connectors:\n  - name: \"{}\"\n",
        "[".repeat(1000)
    );
    let p = write(tmp.path(), "quoted.yaml", quoted.as_bytes());
    let (_, s) = relaycheck::scenario::load(&p, None, crate::support::now()).unwrap();
    assert_eq!(s.inbound_connectors[0].name.len(), 1000);
}

// ---- parser bombs: PKCS#12 ---------------------------------------------------------------

/// DER written by hand: enough to build PFX files with any key-derivation parameters.
mod der {
    pub fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
        let mut out = vec![tag];
        let n = content.len();
        if n < 0x80 {
            out.push(n as u8);
        } else {
            let bytes: Vec<u8> = n
                .to_be_bytes()
                .into_iter()
                .skip_while(|b| *b == 0)
                .collect();
            out.push(0x80 | bytes.len() as u8);
            out.extend(bytes);
        }
        out.extend_from_slice(content);
        out
    }

    pub fn seq(parts: &[Vec<u8>]) -> Vec<u8> {
        tlv(0x30, &parts.concat())
    }

    pub fn int(n: u64) -> Vec<u8> {
        let mut bytes: Vec<u8> = n
            .to_be_bytes()
            .into_iter()
            .skip_while(|b| *b == 0)
            .collect();
        if bytes.first().is_none_or(|b| b & 0x80 != 0) {
            bytes.insert(0, 0);
        }
        tlv(0x02, &bytes)
    }

    pub fn octets(b: &[u8]) -> Vec<u8> {
        tlv(0x04, b)
    }

    pub fn explicit0(inner: &[u8]) -> Vec<u8> {
        tlv(0xa0, inner)
    }

    pub fn oid(dotted: &str) -> Vec<u8> {
        let arcs: Vec<u64> = dotted.split('.').map(|a| a.parse().unwrap()).collect();
        let mut body = vec![(arcs[0] * 40 + arcs[1]) as u8];
        for &arc in &arcs[2..] {
            let mut groups = vec![(arc & 0x7f) as u8];
            let mut rest = arc >> 7;
            while rest > 0 {
                groups.push(0x80 | (rest & 0x7f) as u8);
                rest >>= 7;
            }
            body.extend(groups.into_iter().rev());
        }
        tlv(0x06, &body)
    }

    /// (tag, content, rest) of the first value.
    pub fn split(der: &[u8]) -> (u8, &[u8], &[u8]) {
        let tag = der[0];
        let (len, header) = if der[1] < 0x80 {
            (der[1] as usize, 2)
        } else {
            let k = (der[1] & 0x7f) as usize;
            let len = der[2..2 + k]
                .iter()
                .fold(0usize, |n, b| (n << 8) | *b as usize);
            (len, 2 + k)
        };
        (tag, &der[header..header + len], &der[header + len..])
    }

    pub const DATA: &str = "1.2.840.113549.1.7.1";
    const SHROUDED_KEY_BAG: &str = "1.2.840.113549.1.12.10.1.2";
    const PBES2: &str = "1.2.840.113549.1.5.13";
    const AES_256_CBC: &str = "2.16.840.1.101.3.4.1.42";

    pub fn pbkdf2(iterations: u64) -> Vec<u8> {
        seq(&[
            oid(PBES2),
            seq(&[
                seq(&[
                    oid("1.2.840.113549.1.5.12"),
                    seq(&[octets(&[7; 8]), int(iterations)]),
                ]),
                seq(&[oid(AES_256_CBC), octets(&[9; 16])]),
            ]),
        ])
    }

    pub fn scrypt(n: u64, r: u64, p: u64) -> Vec<u8> {
        seq(&[
            oid(PBES2),
            seq(&[
                seq(&[
                    oid("1.3.6.1.4.1.11591.4.11"),
                    seq(&[octets(&[7; 8]), int(n), int(r), int(p)]),
                ]),
                seq(&[oid(AES_256_CBC), octets(&[9; 16])]),
            ]),
        ])
    }

    /// A shrouded key bag whose key is encrypted with `algorithm` (and is garbage).
    pub fn key_bag(algorithm: &[u8]) -> Vec<u8> {
        seq(&[
            oid(SHROUDED_KEY_BAG),
            explicit0(&seq(&[algorithm.to_vec(), octets(&[0x42; 48])])),
        ])
    }

    /// A PFX whose one unencrypted SafeContents holds `bags`, without a MAC.
    pub fn pfx(bags: &[Vec<u8>]) -> Vec<u8> {
        let safe_contents = seq(bags);
        let auth_safe = seq(&[seq(&[oid(DATA), explicit0(&octets(&safe_contents))])]);
        seq(&[int(3), seq(&[oid(DATA), explicit0(&octets(&auth_safe))])])
    }

    /// The PFX without its MacData.
    pub fn strip_mac(pfx: &[u8]) -> Vec<u8> {
        let (_, body, _) = split(pfx);
        let (_, _, after_version) = split(body);
        let (_, _, mac) = split(after_version);
        tlv(0x30, &body[..body.len() - mac.len()])
    }

    /// The PFX with its MacData's iteration count replaced.
    pub fn with_mac_iterations(pfx: &[u8], iterations: u64) -> Vec<u8> {
        let (_, body, _) = split(pfx);
        let (_, _, after_version) = split(body);
        let (_, _, mac) = split(after_version);
        let (_, mac_body, _) = split(mac);
        let (_, _, after_digest) = split(mac_body);
        let (_, _, after_salt) = split(after_digest);
        let kept = &mac_body[..mac_body.len() - after_salt.len()];
        let new_mac = tlv(0x30, &[kept.to_vec(), int(iterations)].concat());
        tlv(
            0x30,
            &[body[..body.len() - mac.len()].to_vec(), new_mac].concat(),
        )
    }
}

fn pkcs12_refusal(dir: &Path, name: &str, bytes: &[u8]) -> InputError {
    let p = write(dir, name, bytes);
    let e = import_error(&certificate(&p));
    assert_eq!(e.path.as_deref(), Some(p.as_path()), "{e}");
    e
}

const TOO_MUCH: &str = "the PKCS#12 file asks for more key-derivation work than relaycheck allows, so it was not opened: ";

/// 1,000 keys of 1,000,000 PBKDF2 iterations each ran for minutes; each one is within
/// p12-keystore's own cap, the file is not. Refused before the first derivation.
#[test]
fn a_pkcs12_of_1000_bags_of_a_million_iterations_is_refused_before_decrypting() {
    let tmp = tempfile::tempdir().unwrap();
    let bags: Vec<Vec<u8>> = (0..1000)
        .map(|_| der::key_bag(&der::pbkdf2(1_000_000)))
        .collect();
    let e = pkcs12_refusal(tmp.path(), "bomb.pfx", &der::pfx(&bags));
    assert_eq!(
        e.message,
        format!(
            "{TOO_MUCH}its 1,000 key derivations add up to 1,000,000,000 iterations; the limit is 5,000,000 per file (an export from Windows or OpenSSL needs about 10,000)"
        )
    );
    // The command line: exit code 2, the same paragraph.
    let bomb = tmp.path().join("bomb.pfx");
    let out = relaycheck(&["check", "--certificate", bomb.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("{}: {TOO_MUCH}", bomb.display())),
        "{err}"
    );
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    // Many cheap derivations are capped by their number.
    let bags: Vec<Vec<u8>> = (0..100).map(|_| der::key_bag(&der::pbkdf2(1))).collect();
    let e = pkcs12_refusal(tmp.path(), "many.pfx", &der::pfx(&bags));
    assert_eq!(
        e.message,
        format!("{TOO_MUCH}it asks for 100 key derivations; the limit is 64 per file")
    );
}

/// Three scrypt keys of N = 2^20 took 87 s and 1 GB (p12-keystore allows 1 GiB each).
#[test]
fn a_pkcs12_of_scrypt_bags_is_refused_by_memory_and_by_total_cost() {
    let tmp = tempfile::tempdir().unwrap();
    let bags: Vec<Vec<u8>> = (0..3)
        .map(|_| der::key_bag(&der::scrypt(1 << 20, 8, 1)))
        .collect();
    let e = pkcs12_refusal(tmp.path(), "scrypt.pfx", &der::pfx(&bags));
    assert_eq!(
        e.message,
        format!(
            "{TOO_MUCH}one of its scrypt key derivations needs 1,024 MiB of memory (N = 1,048,576, r = 8); the limit is 64 MiB per derivation"
        )
    );
    // Each within the memory limit (16 MiB), 40 of them too much together.
    let bags: Vec<Vec<u8>> = (0..40)
        .map(|_| der::key_bag(&der::scrypt(1 << 14, 8, 1)))
        .collect();
    let e = pkcs12_refusal(tmp.path(), "scrypt-many.pfx", &der::pfx(&bags));
    assert_eq!(
        e.message,
        format!(
            "{TOO_MUCH}its scrypt key derivations add up to a cost N·r·p of 5,242,880; the limit is 4,194,304 per file"
        )
    );
}

fn lab_pfx(password: &str, encryption: p12_keystore::EncryptionAlgorithm) -> Vec<u8> {
    use p12_keystore::{Certificate, KeyStore, KeyStoreEntry, PrivateKey, PrivateKeyChain};
    let spec =
        relaycheck::lab::LabSpec::new("mail.contoso.com", &["mail.contoso.com"], support::now());
    let made = relaycheck::lab::issue(&spec, relaycheck::lab::LabCa::shared().unwrap()).unwrap();
    let body: String = made
        .key_pem
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect();
    let key =
        PrivateKey::from_der(&data_encoding::BASE64.decode(body.as_bytes()).unwrap()).unwrap();
    let mut store = KeyStore::new();
    store.add_entry(
        "k",
        KeyStoreEntry::PrivateKeyChain(PrivateKeyChain::new(
            b"id".as_slice(),
            key,
            vec![Certificate::from_der(&made.cert_der).unwrap()],
        )),
    );
    store
        .writer(password)
        .encryption_algorithm(encryption)
        .encryption_iterations(2000)
        .mac_iterations(2000)
        .write()
        .unwrap()
}

#[test]
fn a_mac_of_two_million_iterations_is_refused_with_the_limit_named() {
    let tmp = tempfile::tempdir().unwrap();
    let good = lab_pfx(
        "pw",
        p12_keystore::EncryptionAlgorithm::PbeWithHmacSha256AndAes256,
    );
    let e = pkcs12_refusal(
        tmp.path(),
        "mac.pfx",
        &der::with_mac_iterations(&good, 2_000_000),
    );
    assert_eq!(
        e.message,
        format!(
            "{TOO_MUCH}one of its key derivations asks for 2,000,000 iterations; the limit is 1,000,000 per derivation"
        )
    );
}

/// Without a MAC, a failed decryption cannot tell a wrong password from damage, and the
/// message says exactly that (it said "damaged" for AES files).
#[test]
fn a_mac_less_pfx_with_a_wrong_password_says_wrong_password_or_damaged() {
    use p12_keystore::EncryptionAlgorithm;
    let tmp = tempfile::tempdir().unwrap();
    let password = zeroize::Zeroizing::new("right".to_string());
    let wrong = zeroize::Zeroizing::new("wrong".to_string());
    for (name, encryption) in [
        ("aes.pfx", EncryptionAlgorithm::PbeWithHmacSha256AndAes256),
        (
            "3des.pfx",
            EncryptionAlgorithm::PbeWithShaAnd3KeyTripleDesCbc,
        ),
    ] {
        let p = write(
            tmp.path(),
            name,
            &der::strip_mac(&lab_pfx("right", encryption)),
        );
        let opened = import::load(&certificate(&p), Some(&password), support::now())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(opened.certificates.unwrap().items.len(), 1);
        match import::load(&certificate(&p), Some(&wrong), support::now()) {
            Err(import::ImportError::WrongPassword(e)) => {
                assert_eq!(e.path.as_deref(), Some(p.as_path()));
                assert_eq!(
                    e.message,
                    "the PKCS#12 file could not be decrypted with this password: either the password is wrong or the file is damaged (the file has no integrity check (MAC), so relaycheck cannot tell which)",
                    "{name}"
                );
            }
            other => panic!("{name}: expected WrongPassword, got {other:?}"),
        }
    }
}

// ---- parser bombs: the .NET blob in Export-Clixml ----------------------------------------

/// MS-NRBF written by hand: the stream header and the records the bombs need.
mod nrbf {
    pub fn header() -> Vec<u8> {
        let mut b = vec![0];
        for n in [1i32, -1, 1, 0] {
            b.extend(n.to_le_bytes());
        }
        b
    }

    fn lps(s: &str) -> Vec<u8> {
        let mut v = vec![s.len() as u8];
        v.extend_from_slice(s.as_bytes());
        v
    }

    /// SystemClassWithMembersAndTypes: `names` all of the primitive type `primitive`.
    pub fn class(id: i32, name: &str, names: &[String], primitive: u8) -> Vec<u8> {
        let mut b = vec![4];
        b.extend(id.to_le_bytes());
        b.extend(lps(name));
        b.extend((names.len() as i32).to_le_bytes());
        for n in names {
            b.extend(lps(n));
        }
        b.extend(std::iter::repeat_n(0, names.len()));
        b.extend(std::iter::repeat_n(primitive, names.len()));
        b
    }

    /// ClassWithId: another instance of the layout `layout`.
    pub fn instance(id: i32, layout: i32) -> Vec<u8> {
        let mut b = vec![1];
        b.extend(id.to_le_bytes());
        b.extend(layout.to_le_bytes());
        b
    }

    /// BinaryArray of `rank` dimensions of `length` items of the primitive type `primitive`.
    pub fn binary_array(rank: i32, length: i32, primitive: u8) -> Vec<u8> {
        let mut b = vec![7];
        b.extend(2i32.to_le_bytes());
        b.push(0);
        b.extend(rank.to_le_bytes());
        for _ in 0..rank {
            b.extend(length.to_le_bytes());
        }
        b.extend([0, primitive]);
        b
    }

    pub const END: u8 = 11;
    pub const BYTE: u8 = 2;
    pub const INT32: u8 = 8;
    pub const NULL: u8 = 17;
}

const EXCHANGE_CERTIFICATE: &str =
    "Microsoft.Exchange.Management.SystemConfigurationTasks.ExchangeCertificate";

fn clixml_refusal(dir: &Path, name: &str, blob: &[u8]) -> InputError {
    let p = write(
        dir,
        name,
        clixml_certificate(&lab_der(), Some(blob)).as_bytes(),
    );
    let e = import_error(&certificate(&p));
    assert_eq!(e.path.as_deref(), Some(p.as_path()), "{e}");
    e
}

/// The blob a well-formed export carries is read: Services comes out of it.
#[test]
fn a_clixml_blob_within_the_limits_is_read() {
    let tmp = tempfile::tempdir().unwrap();
    let mut blob = nrbf::header();
    blob.extend(nrbf::class(
        1,
        EXCHANGE_CERTIFICATE,
        &["Services".into()],
        nrbf::INT32,
    ));
    blob.extend(16i32.to_le_bytes());
    blob.push(nrbf::END);
    let p = write(
        tmp.path(),
        "ok.xml",
        clixml_certificate(&lab_der(), Some(&blob)).as_bytes(),
    );
    let data = import::load(&certificate(&p), None, support::now()).unwrap();
    let certs = data.certificates.unwrap();
    assert_eq!(certs.items[0].services.map(|s| s.0), Some(16));
}

/// 314 bytes that looped for ever: a BinaryArray of 200^7 Null primitives, which take no
/// bytes each, so nothing ever ran out.
#[test]
fn a_clixml_blob_with_an_array_of_nulls_is_refused_instead_of_looping() {
    let tmp = tempfile::tempdir().unwrap();
    let mut blob = nrbf::header();
    blob.extend(nrbf::binary_array(7, 200, nrbf::NULL));
    blob.extend(vec![0; 220]);
    assert!(blob.len() < 320);
    let e = clixml_refusal(tmp.path(), "nulls.xml", &blob);
    assert_eq!(
        e.message,
        "[0].SerializationData: the .NET serialisation data is beyond what relaycheck reads: it declares array items or class members of the primitive type Null, which take no bytes (.NET never writes them)"
    );
}

/// Each instance of a class once copied the class's whole member layout: a few KB of
/// ClassWithId records took hundreds of MB. Layouts are shared now, and the members and
/// items of one stream are capped.
#[test]
fn a_clixml_blob_with_many_instances_of_a_large_class_is_refused_by_the_element_limit() {
    let tmp = tempfile::tempdir().unwrap();
    let names: Vec<String> = (0..1000).map(|i| format!("member{i:04}")).collect();
    // Zero-width members: the original bomb.
    let mut blob = nrbf::header();
    blob.extend(nrbf::class(1, EXCHANGE_CERTIFICATE, &names, nrbf::NULL));
    for id in 2..5000 {
        blob.extend(nrbf::instance(id, 1));
    }
    blob.push(nrbf::END);
    let e = clixml_refusal(tmp.path(), "zero-width.xml", &blob);
    assert!(e.message.contains("primitive type Null"), "{e}");
    // One byte per member, 150 instances: 150,000 members.
    let mut blob = nrbf::header();
    blob.extend(nrbf::class(1, EXCHANGE_CERTIFICATE, &names, nrbf::BYTE));
    blob.extend(vec![0; 1000]);
    for id in 2..=150 {
        blob.extend(nrbf::instance(id, 1));
        blob.extend(vec![0; 1000]);
    }
    blob.push(nrbf::END);
    let e = clixml_refusal(tmp.path(), "many.xml", &blob);
    assert_eq!(
        e.message,
        "[0].SerializationData: the .NET serialisation data is beyond what relaycheck reads: it declares more than 100,000 class members and array items; the limit is 100,000 per stream"
    );
}

// ---- huge names and numbers ----------------------------------------------------------------

/// A 1 MB domain name was echoed whole; the message now shows 120 characters and says how
/// many more there were.
#[test]
fn a_1_mb_domain_name_is_cut_in_the_message() {
    let tmp = tempfile::tempdir().unwrap();
    let name = format!("{}.com", "a".repeat(1 << 20));
    let json = format!("[{{\"DomainName\": \"{name}\", \"DomainType\": 0}}]");
    let p = write(tmp.path(), "ad.json", json.as_bytes());
    let e = import_error(&accepted(&p));
    assert_eq!(
        e.message,
        format!(
            "[0].DomainName: \"{}…\" (1,048,460 more characters) is not a valid domain name (it is 1,048,580 characters long; a domain name has at most 253)",
            "a".repeat(120)
        )
    );
    // The same in Get-MgDomain output and on the command line.
    let status = format!("[{{\"Id\": \"{name}\", \"IsVerified\": true}}]");
    let p = write(tmp.path(), "status.json", status.as_bytes());
    let e = import_error(&Overrides {
        domain_status: Some(p),
        ..Overrides::default()
    });
    assert!(e.message.len() < 300, "{} bytes", e.message.len());
    let e = import_error(&Overrides {
        organization_fqdn: Some(name.clone()),
        ..Overrides::default()
    });
    assert!(
        e.message.starts_with("--organization-fqdn: \"aaaa"),
        "{}",
        &e.message[..50]
    );
    assert!(e.message.len() < 300, "{} bytes", e.message.len());
}

/// A long value in a scenario: serde_yaml's message quotes it, the quote is cut.
#[test]
fn a_1_mb_value_in_a_scenario_is_cut_in_the_message() {
    let tmp = tempfile::tempdir().unwrap();
    let yaml = format!(
        "tenant:\n  accepted_domains:\n    - domain: contoso.com\n      verified: \"\\e[2J{}\"\n",
        "y".repeat(1 << 20)
    );
    let p = write(tmp.path(), "long.yaml", yaml.as_bytes());
    let e = relaycheck::scenario::load(&p, None, crate::support::now()).unwrap_err();
    assert!(e.message.len() < 700, "{} bytes", e.message.len());
    assert!(
        e.message.starts_with(&format!(
            // serde_yaml writes the value as Rust does for debugging: ESC as \u{{1b}}.
            "not a valid scenario: tenant.accepted_domains[0].verified: invalid type: string \"\\u{{1b}}[2J{}…\" (1,048,465 more characters)",
            "y".repeat(111)
        )),
        "{}",
        e.message.chars().skip(150).collect::<String>()
    );
    assert!(!e.message.contains('\u{1b}'));
}

/// 2^64 was reported as -1.
#[test]
fn domain_type_2_to_the_64_is_reported_as_written() {
    let tmp = tempfile::tempdir().unwrap();
    let expected = "is not an accepted domain type (expected Authoritative, ExternalRelay, InternalRelay or the numbers 0, 1, 2)";
    for (name, value) in [
        ("plain.json", "18446744073709551616"),
        ("object.json", "{\"value\": 18446744073709551616}"),
        ("negative.json", "-18446744073709551617"),
    ] {
        let json = format!("[{{\"DomainName\": \"contoso.com\", \"DomainType\": {value}}}]");
        let p = write(tmp.path(), name, json.as_bytes());
        let e = import_error(&accepted(&p));
        let number = value
            .trim_start_matches("{\"value\": ")
            .trim_end_matches('}');
        assert_eq!(
            e.message,
            format!("[0].DomainType: {number} {expected}"),
            "{name}"
        );
    }
}

/// 5,000 accepted domains (Exchange Online's maximum) twice over, and their status: read and
/// merged with hash maps, and the notes list 20 names, then how many more.
#[test]
fn a_5000_domain_tenant_loads_and_its_notes_stay_short() {
    let tmp = tempfile::tempdir().unwrap();
    let domains: Vec<String> = (0..5000).map(|i| format!("d{i:04}.contoso.com")).collect();
    let rows: Vec<String> = domains
        .iter()
        .chain(domains.iter())
        .map(|d| format!("{{\"DomainName\": \"{d}\", \"DomainType\": 0}}"))
        .collect();
    let ad = write(
        tmp.path(),
        "ad.json",
        format!("[{}]", rows.join(",")).as_bytes(),
    );
    // Status for the first half only, and 3,000 names that are not accepted domains.
    let status: Vec<String> = domains[..2500]
        .iter()
        .map(|d| format!("{{\"Id\": \"{d}\", \"IsVerified\": false}}"))
        .chain(
            (0..3000).map(|i| format!("{{\"Id\": \"x{i}.fabrikam.com\", \"IsVerified\": true}}")),
        )
        .collect();
    let st = write(
        tmp.path(),
        "st.json",
        format!("[{}]", status.join(",")).as_bytes(),
    );
    let o = Overrides {
        accepted_domains: Some(ad),
        domain_status: Some(st),
        ..Overrides::default()
    };
    let data = import::load(&o, None, support::now()).unwrap();
    assert_eq!(data.accepted_domains.as_ref().map(Vec::len), Some(5000));
    let mut scenario = relaycheck::model::Scenario::default();
    let notes = import::apply(&mut scenario, &data);
    let d = &scenario.tenant.accepted_domains();
    assert!(!d[0].verified && !d[2499].verified && d[2500].verified);
    let not_listed = notes
        .iter()
        .find(|n| n.text.starts_with("Not in the domain status file"))
        .unwrap();
    assert!(
        not_listed.text.ends_with(", and 2,480 more."),
        "{}",
        not_listed.text
    );
    let unknown = notes
        .iter()
        .find(|n| n.text.starts_with("In the domain status file but not"))
        .unwrap();
    assert!(
        unknown.text.ends_with(", and 2,980 more."),
        "{}",
        unknown.text
    );
    assert!(unknown.text.len() < 1000);
}

#[test]
fn a_folder_of_more_than_1000_certificate_files_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    for i in 0..1001 {
        write(tmp.path(), &format!("c{i:04}.cer"), b"x");
    }
    let e = import_error(&certificate(tmp.path()));
    assert_eq!(e.path.as_deref(), Some(tmp.path()));
    assert_eq!(
        e.message,
        "the folder holds 1,001 certificate files; relaycheck reads at most 1,000 from one folder (give the file, or a folder with the server's certificates only)"
    );
}
