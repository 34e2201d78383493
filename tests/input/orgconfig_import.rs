//! `--organization-config`: Get-OrganizationConfig from Exchange Online, in the shapes
//! PowerShell writes (one object or a list of one, UTF-8 or UTF-16, Export-Clixml), read
//! for RejectDirectSend only; and what it changes in the simulation (rule RELAY step 3).

use crate::support;

use std::path::{Path, PathBuf};

use relaycheck::error::InputError;
use relaycheck::import::{self, NoteKind, Overrides, TenantData};

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn read(path: &Path) -> Result<TenantData, InputError> {
    import::load(
        &Overrides {
            organization_config: Some(path.to_path_buf()),
            ..Overrides::default()
        },
        None,
        support::now(),
    )
    .map_err(InputError::from)
}

fn utf16le(text: &str, bom: bool) -> Vec<u8> {
    let mut out = if bom { vec![0xFF, 0xFE] } else { Vec::new() };
    for u in text.encode_utf16() {
        out.extend_from_slice(&u.to_le_bytes());
    }
    out
}

const CLIXML: &str = r#"<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">
  <Obj RefId="0">
    <TN RefId="0">
      <T>Deserialized.Microsoft.Exchange.Data.Directory.Management.OrganizationConfig</T>
      <T>Deserialized.System.Object</T>
    </TN>
    <Props>
      <S N="Name">contoso.onmicrosoft.com</S>
      <B N="RejectDirectSend">true</B>
    </Props>
  </Obj>
</Objs>"#;

#[test]
fn every_shape_gives_reject_direct_send() {
    let dir = tempfile::tempdir().unwrap();
    let object =
        r#"{"Name": "contoso.onmicrosoft.com", "RejectDirectSend": true, "IsDehydrated": false}"#;
    let list = r#"[{"Name": "contoso.onmicrosoft.com", "RejectDirectSend": false}]"#;
    for (name, bytes, want) in [
        ("object.json", object.as_bytes().to_vec(), true),
        ("list.json", list.as_bytes().to_vec(), false),
        ("utf16-bom.json", utf16le(object, true), true),
        ("utf16-no-bom.json", utf16le(object, false), true),
        ("export.xml", CLIXML.as_bytes().to_vec(), true),
    ] {
        let p = write(dir.path(), name, &bytes);
        let data = read(&p).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(data.reject_direct_send, Some(want), "{name}");
        assert_eq!(data.inputs.len(), 1, "{name}");
    }
}

#[test]
fn an_export_without_the_property_keeps_the_scenario_value_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "old.json",
        br#"{"Name": "contoso.onmicrosoft.com", "OAuth2ClientProfileEnabled": true}"#,
    );
    let data = read(&p).unwrap();
    assert_eq!(data.reject_direct_send, None);
    assert!(
        data.notes.iter().any(|n| n.kind == NoteKind::Assumption
            && n.text
                .contains("has no RejectDirectSend: the scenario's value stays")),
        "{:?}",
        data.notes
    );
}

#[test]
fn other_output_and_bad_values_are_refused_with_the_file_named() {
    let dir = tempfile::tempdir().unwrap();
    for (name, text, want) in [
        (
            "inbound.json",
            r#"[{"Name": "Inbound", "TlsSenderCertificateName": "*.contoso.com", "SenderIPAddresses": []}]"#,
            "looks like Get-InboundConnector (Exchange Online) output, not Get-OrganizationConfig",
        ),
        (
            "domains.json",
            r#"[{"DomainName": "contoso.com", "DomainType": 0}]"#,
            "is not Get-OrganizationConfig output",
        ),
        (
            "two.json",
            r#"[{"RejectDirectSend": true}, {"RejectDirectSend": false}]"#,
            "2 objects: Get-OrganizationConfig prints one",
        ),
        (
            "text.json",
            r#"{"RejectDirectSend": "sometimes"}"#,
            "RejectDirectSend",
        ),
        ("empty.json", "", "Get-OrganizationConfig returned nothing"),
    ] {
        let p = write(dir.path(), name, text.as_bytes());
        let e = read(&p).expect_err(name).to_string();
        assert!(e.contains(want), "{name}: {e}");
        assert!(e.contains(name), "{name}: the message names the file: {e}");
    }
}
