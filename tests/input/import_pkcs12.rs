//! PKCS#12 files made here, with lab certificates and p12-keystore's writer: the legacy
//! encryption Windows uses (3DES, RC2-40, SHA-1 MAC) and AES-256; right, wrong, missing and
//! empty passwords; a key from another certificate; folders. When OpenSSL is installed its
//! `-legacy` export (exactly Windows' algorithms) is read too.

use crate::support;

use std::path::{Path, PathBuf};

use p12_keystore::{
    Certificate, EncryptionAlgorithm, KeyStore, KeyStoreEntry, MacAlgorithm, PrivateKey,
    PrivateKeyChain,
};
use relaycheck::cert::PrivateKeyStatus;
use relaycheck::error::InputError;
use relaycheck::import::{self, CertFormat, ImportError, NoteKind, Overrides};
use relaycheck::lab::{self, LabCa, LabCertificate, LabKey, LabSpec};
use zeroize::Zeroizing;

const PASSWORD: &str = "Pa$$w0rd-§€";

fn lab_cert(cn: &str, key: LabKey) -> LabCertificate {
    let mut spec = LabSpec::new(cn, &[cn], support::now());
    spec.key = key;
    lab::issue(&spec, LabCa::shared().unwrap()).unwrap()
}

fn pem_der(pem: &str) -> Vec<u8> {
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    data_encoding::BASE64.decode(body.as_bytes()).unwrap()
}

/// A PFX of `cert` (and the lab CA) with the private key `key_of`'s.
fn pfx(
    cert: &LabCertificate,
    key_of: &LabCertificate,
    password: &str,
    encryption: EncryptionAlgorithm,
    mac: MacAlgorithm,
) -> Vec<u8> {
    let key = PrivateKey::from_der(&pem_der(&key_of.key_pem)).unwrap();
    let mut certs = vec![Certificate::from_der(&cert.cert_der).unwrap()];
    if let Some(ca) = &cert.ca_pem {
        certs.push(Certificate::from_der(&pem_der(ca)).unwrap());
    }
    let mut store = KeyStore::new();
    store.add_entry(
        "le-relaycheck-test",
        KeyStoreEntry::PrivateKeyChain(PrivateKeyChain::new(
            b"\x01\x00\x00\x00".as_slice(),
            key,
            certs,
        )),
    );
    store
        .writer(password)
        .encryption_algorithm(encryption)
        .encryption_iterations(2000)
        .mac_algorithm(mac)
        .mac_iterations(2000)
        .write()
        .unwrap()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn secret(p: &str) -> Zeroizing<String> {
    Zeroizing::new(p.to_string())
}

fn load(
    path: &Path,
    password: Option<&str>,
) -> Result<Vec<import::ImportedCertificate>, ImportError> {
    let password = password.map(secret);
    import::certs::load(path, password.as_ref(), &mut Vec::new())
}

#[test]
fn every_encryption_opens_with_the_right_password_and_the_key_matches() {
    let cert = lab_cert("mail.contoso.com", LabKey::EcdsaP256);
    let tmp = tempfile::tempdir().unwrap();
    let cases = [
        (
            "windows-legacy-3des.pfx",
            EncryptionAlgorithm::PbeWithShaAnd3KeyTripleDesCbc,
            MacAlgorithm::HmacSha1,
        ),
        // p12-keystore names RC2-40 "Rc4" but writes pbeWithSHAAnd40BitRC2-CBC.
        (
            "legacy-rc2-40.p12",
            EncryptionAlgorithm::PbeWithShaAnd40BitRc4Cbc,
            MacAlgorithm::HmacSha1,
        ),
        (
            "modern-aes256.pfx",
            EncryptionAlgorithm::PbeWithHmacSha256AndAes256,
            MacAlgorithm::HmacSha256,
        ),
    ];
    for (name, enc, mac) in cases {
        let path = write(tmp.path(), name, &pfx(&cert, &cert, PASSWORD, enc, mac));
        let got = load(&path, Some(PASSWORD)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(got.len(), 1, "{name}");
        let c = &got[0];
        assert_eq!(c.format, CertFormat::Pkcs12);
        assert_eq!(c.facts.common_name.as_deref(), Some("mail.contoso.com"));
        assert_eq!(c.facts.private_key, PrivateKeyStatus::Matches, "{name}");
        assert_eq!(
            c.facts.chain,
            ["CN=relaycheck Lab Root CA, O=relaycheck training lab"]
        );
        assert_eq!(c.der.as_deref(), Some(cert.cert_der.as_slice()));
        assert!(!c.facts.self_signed);
    }
}

#[test]
fn rsa_keys_match_too() {
    let cert = lab_cert("mail.fabrikam.com", LabKey::Rsa2048);
    let tmp = tempfile::tempdir().unwrap();
    let path = write(
        tmp.path(),
        "rsa.pfx",
        &pfx(
            &cert,
            &cert,
            PASSWORD,
            EncryptionAlgorithm::PbeWithShaAnd3KeyTripleDesCbc,
            MacAlgorithm::HmacSha1,
        ),
    );
    let got = load(&path, Some(PASSWORD)).unwrap();
    assert_eq!(got[0].facts.private_key, PrivateKeyStatus::Matches);
}

#[test]
fn wrong_and_missing_passwords_are_told_apart_and_never_echoed() {
    let cert = lab_cert("mail.contoso.com", LabKey::EcdsaP256);
    let tmp = tempfile::tempdir().unwrap();
    for (enc, mac) in [
        (
            EncryptionAlgorithm::PbeWithShaAnd3KeyTripleDesCbc,
            MacAlgorithm::HmacSha1,
        ),
        (
            EncryptionAlgorithm::PbeWithHmacSha256AndAes256,
            MacAlgorithm::HmacSha256,
        ),
    ] {
        let path = write(
            tmp.path(),
            "server.pfx",
            &pfx(&cert, &cert, PASSWORD, enc, mac),
        );
        let wrong = "not-the-password";
        match load(&path, Some(wrong)) {
            Err(ImportError::WrongPassword(e)) => {
                assert_eq!(e.path.as_deref(), Some(path.as_path()));
                assert!(e.message.contains("password does not open"), "{e}");
                let shown = format!("{e} {e:?}");
                assert!(
                    !shown.contains(wrong) && !shown.contains(PASSWORD),
                    "{shown}"
                );
            }
            other => panic!("expected WrongPassword, got {other:?}"),
        }
        match load(&path, None) {
            Err(ImportError::PasswordNeeded { path: p }) => assert_eq!(p, path),
            other => panic!("expected PasswordNeeded, got {other:?}"),
        }
        // The command line's view: one paragraph naming the file.
        let e = InputError::from(load(&path, None).unwrap_err());
        assert!(
            e.to_string().starts_with(&format!(
                "{}: the PKCS#12 file is password-protected",
                path.display()
            )),
            "{e}"
        );
    }
}

#[test]
fn an_empty_password_opens_without_asking() {
    let cert = lab_cert("mail.contoso.com", LabKey::EcdsaP256);
    let tmp = tempfile::tempdir().unwrap();
    let path = write(
        tmp.path(),
        "nopass.pfx",
        &pfx(
            &cert,
            &cert,
            "",
            EncryptionAlgorithm::PbeWithShaAnd3KeyTripleDesCbc,
            MacAlgorithm::HmacSha1,
        ),
    );
    let got = load(&path, None).unwrap();
    assert_eq!(got[0].facts.private_key, PrivateKeyStatus::Matches);
}

#[test]
fn a_key_of_another_certificate_is_reported_as_a_mismatch() {
    let cert = lab_cert("mail.contoso.com", LabKey::EcdsaP256);
    let other = lab_cert("other.contoso.com", LabKey::EcdsaP256);
    let tmp = tempfile::tempdir().unwrap();
    let path = write(
        tmp.path(),
        "mixed.pfx",
        &pfx(
            &cert,
            &other,
            PASSWORD,
            EncryptionAlgorithm::PbeWithHmacSha256AndAes256,
            MacAlgorithm::HmacSha256,
        ),
    );
    let got = load(&path, Some(PASSWORD)).unwrap();
    assert_eq!(got[0].facts.private_key, PrivateKeyStatus::DoesNotMatch);
}

#[test]
fn damaged_files_are_refused_with_the_file_named() {
    let cert = lab_cert("mail.contoso.com", LabKey::EcdsaP256);
    let good = pfx(
        &cert,
        &cert,
        PASSWORD,
        EncryptionAlgorithm::PbeWithShaAnd3KeyTripleDesCbc,
        MacAlgorithm::HmacSha1,
    );
    let tmp = tempfile::tempdir().unwrap();
    // Truncated: no longer a PFX structure, so read as a certificate and refused as one.
    let path = write(tmp.path(), "truncated.pfx", &good[..good.len() / 2]);
    let e = InputError::from(load(&path, Some(PASSWORD)).unwrap_err());
    assert_eq!(e.path.as_deref(), Some(path.as_path()));
    assert!(e.message.contains("not a valid X.509 certificate"), "{e}");
    // A flipped byte inside: the integrity check fails, which is all a MAC can say.
    let mut flipped = good.clone();
    let at = flipped.len() - 100;
    flipped[at] ^= 0x55;
    let path = write(tmp.path(), "flipped.pfx", &flipped);
    let e = load(&path, Some(PASSWORD)).unwrap_err();
    assert!(
        matches!(e, ImportError::WrongPassword(_) | ImportError::Input(_)),
        "{e:?}"
    );
}

#[test]
fn a_folder_reads_every_certificate_with_one_password_and_says_what_it_skipped() {
    let tmp = tempfile::tempdir().unwrap();
    let server = lab_cert("mail.contoso.com", LabKey::EcdsaP256);
    let expired = {
        let mut spec = LabSpec::new("old.contoso.com", &["old.contoso.com"], support::now());
        spec.not_after = support::now() - time::Duration::days(3);
        lab::issue(&spec, LabCa::shared().unwrap()).unwrap()
    };
    let selfsigned = {
        let mut spec = LabSpec::new("self.contoso.com", &["self.contoso.com"], support::now());
        spec.issuer = lab::LabIssuer::SelfSigned;
        lab::issue(&spec, LabCa::shared().unwrap()).unwrap()
    };
    write(
        tmp.path(),
        "a-server.pfx",
        &pfx(
            &server,
            &server,
            PASSWORD,
            EncryptionAlgorithm::PbeWithShaAnd3KeyTripleDesCbc,
            MacAlgorithm::HmacSha1,
        ),
    );
    write(tmp.path(), "b-old.cer", expired.cert_pem.as_bytes());
    write(tmp.path(), "c-self.crt", selfsigned.cert_pem.as_bytes());
    write(tmp.path(), "c-self.key", selfsigned.key_pem.as_bytes());
    write(tmp.path(), "README.txt", b"exported from EX01");
    let overrides = Overrides {
        certificate: Some(tmp.path().to_path_buf()),
        ..Overrides::default()
    };
    let password = secret(PASSWORD);
    let data = import::load(&overrides, Some(&password), support::now()).unwrap();
    let certs = data.certificates.as_ref().unwrap();
    let names: Vec<String> = certs.items.iter().map(|c| c.facts.display_name()).collect();
    assert_eq!(
        names,
        ["mail.contoso.com", "old.contoso.com", "self.contoso.com"]
    );
    assert_eq!(certs.selected, 0, "{:?}", data.notes);
    // The .key beside the .crt was read with it.
    assert_eq!(certs.items[2].facts.private_key, PrivateKeyStatus::Matches);
    assert!(
        data.notes
            .iter()
            .any(|n| n.kind == NoteKind::Skipped && n.text.contains("README.txt"))
    );
    assert!(
        data.notes.iter().any(|n| n.kind == NoteKind::Choice
            && n.text.contains("Of 3 certificates, mail.contoso.com"))
    );

    // Without the password the folder cannot be read, and says which file needs it.
    match import::load(&overrides, None, support::now()) {
        Err(ImportError::PasswordNeeded { path }) => assert!(path.ends_with("a-server.pfx")),
        other => panic!("{other:?}"),
    }

    // Applied to a scenario, the certificates point at their files; writing them out makes
    // the PFX one a plain certificate file a scenario can refer to.
    let mut scenario = relaycheck::model::Scenario::default();
    import::apply(&mut scenario, &data);
    assert_eq!(scenario.certificates.len(), 3);
    assert_eq!(scenario.selected_certificate, Some(0));
    let out = tempfile::tempdir().unwrap();
    let written = import::write_certificates(&mut scenario, &data, out.path()).unwrap();
    assert_eq!(written.len(), 1);
    let text = std::fs::read_to_string(&written[0]).unwrap();
    assert!(text.starts_with("-----BEGIN CERTIFICATE-----") && !text.contains("PRIVATE KEY"));
    let reread = relaycheck::cert::load("x", text.as_bytes(), None).unwrap();
    assert_eq!(reread.thumbprint, certs.items[0].facts.thumbprint);
}

#[test]
fn an_empty_folder_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("notes.txt"), "x").unwrap();
    let e = InputError::from(load(tmp.path(), None).unwrap_err());
    assert_eq!(e.path.as_deref(), Some(tmp.path()));
    assert!(
        e.message
            .starts_with("the folder holds no certificate files"),
        "{e}"
    );
}

#[test]
fn openssl_legacy_export_reads_like_windows_does() {
    let Ok(out) = std::process::Command::new("openssl")
        .arg("version")
        .output()
    else {
        eprintln!("SKIPPED: openssl is not installed");
        return;
    };
    if !out.status.success() {
        eprintln!("SKIPPED: openssl does not run");
        return;
    }
    let cert = lab_cert("mail.contoso.com", LabKey::Rsa2048);
    let tmp = tempfile::tempdir().unwrap();
    let cert_path = write(tmp.path(), "c.pem", cert.cert_pem.as_bytes());
    let key_path = write(tmp.path(), "k.pem", cert.key_pem.as_bytes());
    for (name, extra) in [("legacy.pfx", vec!["-legacy"]), ("aes.pfx", vec![])] {
        let pfx_path = tmp.path().join(name);
        let status = std::process::Command::new("openssl")
            .args(["pkcs12", "-export", "-in"])
            .arg(&cert_path)
            .arg("-inkey")
            .arg(&key_path)
            .arg("-out")
            .arg(&pfx_path)
            .args(["-passout", "env:RELAYCHECK_TEST_PFX"])
            .args(&extra)
            .env("RELAYCHECK_TEST_PFX", PASSWORD)
            .status()
            .unwrap();
        if !status.success() {
            eprintln!("SKIPPED: openssl could not write {name} (no legacy provider?)");
            continue;
        }
        let got = load(&pfx_path, Some(PASSWORD)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            got[0].facts.private_key,
            PrivateKeyStatus::Matches,
            "{name}"
        );
        assert!(matches!(
            load(&pfx_path, Some("nope")),
            Err(ImportError::WrongPassword(_))
        ));
    }
}

#[test]
fn password_from_the_environment() {
    // .cargo/config.toml sets it for the test binaries (setting it here would be unsafe).
    let p = import::password_from_env("RELAYCHECK_TEST_PASSWORD_VAR").unwrap();
    assert_eq!(p.as_str(), PASSWORD);
    let e = import::password_from_env("RELAYCHECK_TEST_NO_SUCH_VAR").unwrap_err();
    assert_eq!(
        e.to_string(),
        "--password-env RELAYCHECK_TEST_NO_SUCH_VAR: the environment variable RELAYCHECK_TEST_NO_SUCH_VAR is not set"
    );
}

#[test]
fn scenario_export_writes_a_yaml_that_loads_again() {
    let examples = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/examples");
    let scenario_path = examples.join("seed002-ip-only-connector.yaml");
    let (_, mut scenario) =
        relaycheck::scenario::load(&scenario_path, None, crate::support::now()).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let cert = lab_cert("mail.contoso.com", LabKey::EcdsaP256);
    let pfx_path = write(
        tmp.path(),
        "mail.pfx",
        &pfx(
            &cert,
            &cert,
            PASSWORD,
            EncryptionAlgorithm::PbeWithShaAnd3KeyTripleDesCbc,
            MacAlgorithm::HmacSha1,
        ),
    );
    let overrides = Overrides {
        certificate: Some(pfx_path),
        accepted_domains: Some(
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/import/accepted-domains.json"),
        ),
        ..Overrides::default()
    };
    let password = secret(PASSWORD);
    let data = import::load(&overrides, Some(&password), support::now()).unwrap();
    import::apply(&mut scenario, &data);
    let out_dir = tmp.path().join("export");
    std::fs::create_dir(&out_dir).unwrap();
    let out_file = out_dir.join("combined.yaml");
    let (yaml, written) = relaycheck::scenario::export_scenario(
        &scenario,
        &data,
        scenario_path.parent(),
        &out_file,
        None,
    )
    .unwrap();
    std::fs::write(&out_file, &yaml).unwrap();
    assert_eq!(written.len(), 1);
    let name = written[0]
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    assert!(yaml.contains(&format!("file: {name}")), "{yaml}");
    assert!(!yaml.contains(PASSWORD) && !yaml.contains("PRIVATE KEY"));
    let (_, again) = relaycheck::scenario::load(&out_file, None, crate::support::now()).unwrap();
    assert_eq!(again.tenant.accepted_domains().len(), 4);
    assert_eq!(again.inbound_connectors, scenario.inbound_connectors);
    assert_eq!(
        again.certificate().unwrap().thumbprint,
        scenario.certificate().unwrap().thumbprint
    );
    // The exported certificate carries no key; everything else validates the same.
    let ids = |s: &relaycheck::model::Scenario| -> Vec<&'static str> {
        relaycheck::validate(s, support::now())
            .findings
            .iter()
            .map(|f| f.id.as_str())
            .filter(|id| *id != "cert-no-private-key")
            .collect()
    };
    assert_eq!(ids(&again), ids(&scenario));
}

#[test]
fn a_ca_issued_certificate_beats_a_self_signed_one_assigned_to_smtp() {
    let imported = |made: &LabCertificate, services: u32| import::ImportedCertificate {
        path: PathBuf::from("certs.xml"),
        format: CertFormat::Clixml,
        position: Some(0),
        der: Some(made.cert_der.clone()),
        facts: relaycheck::cert::load("x", made.cert_pem.as_bytes(), None).unwrap(),
        services: Some(import::Services(services)),
        exchange: Default::default(),
    };
    let mut auth = LabSpec::new("mail.contoso.com", &["mail.contoso.com"], support::now());
    auth.issuer = lab::LabIssuer::SelfSigned;
    let auth = lab::issue(&auth, LabCa::shared().unwrap()).unwrap();
    let ca_issued = lab_cert("mail.contoso.com", LabKey::EcdsaP256);
    let certs = [imported(&auth, 16), imported(&ca_issued, 8)];
    let (chosen, note) = import::certs::choose(&certs, support::now());
    assert_eq!(chosen, 1);
    assert!(
        note.unwrap()
            .text
            .contains("a CA issued it and it is valid now")
    );
}
