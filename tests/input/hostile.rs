//! Hostile input, one test per class: pipes and devices, oversize and sparse files, the
//! parser bombs (PKCS#12 key-derivation work, .NET binary arrays and class references, deep
//! YAML), huge names and numbers, UTF-16 without a byte-order mark, and writes that meet a
//! symbolic link or a different existing file. Nothing here measures time: each cap makes the
//! work bounded, and the tests assert the refusal and its message.

use crate::support;

use std::path::{Path, PathBuf};
use std::process::Command;

use relaycheck::error::{InputError, InputKind, read_input_kind};
use relaycheck::import::{self, Overrides};

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

    let e = relaycheck::scenario::load(&pipe, None).unwrap_err();
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
        let e = relaycheck::scenario::load(&scenario, None).unwrap_err();
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
    let e = relaycheck::scenario::load(Path::new("/dev/null"), None).unwrap_err();
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
    let e = relaycheck::scenario::load(&scenario, None).unwrap_err();
    assert_eq!(e.path.as_deref(), Some(key.as_path()));
    assert_eq!(
        e.message,
        "the key file is too large: 1,048,577 bytes, and relaycheck reads at most 1 MiB (1,048,576 bytes) for a key file"
    );

    let limit = InputKind::Scenario.limit() as usize;
    let mut yaml = b"version: 1\n".to_vec();
    yaml.resize(limit + 1, b'#');
    let big = write(tmp.path(), "big.yaml", &yaml);
    let e = relaycheck::scenario::load(&big, None).unwrap_err();
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
        let (_, s) = relaycheck::scenario::load(&p, None).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(s.tenant.accepted_domains[0].domain.as_str(), "contoso.com");
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
    let e = relaycheck::scenario::load(&p, None).unwrap_err();
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
    let e = relaycheck::scenario::load(&p, None).unwrap_err();
    assert!(e.message.contains("(by indentation, line 65)"), "{e}");

    // Brackets in quoted text are text.
    let quoted = format!(
        "version: 1\ninbound_connectors:\n  - name: \"{}\"\n",
        "[".repeat(1000)
    );
    let p = write(tmp.path(), "quoted.yaml", quoted.as_bytes());
    let (_, s) = relaycheck::scenario::load(&p, None).unwrap();
    assert_eq!(s.inbound_connectors[0].name.len(), 1000);
}
