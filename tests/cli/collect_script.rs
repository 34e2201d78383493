//! `relaycheck collect-script`: the embedded read-only collector parses with the PowerShell
//! grammar, calls only cmdlets that read (and New-Item for its own folder), never exports a
//! private key, and writes exactly the files `--from DIR` reads.

use std::collections::BTreeSet;
use std::process::Command;

use crate::support::ps;
use relaycheck::import::onprem::{LAYOUT, NOT_READ};

fn script() -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_relaycheck"))
        .arg("collect-script")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    String::from_utf8(out.stdout).unwrap()
}

/// The functions the script defines for itself.
fn own_functions(script: &str) -> BTreeSet<String> {
    script
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("function "))
        .map(|l| l.split_whitespace().next().unwrap_or("").to_string())
        .collect()
}

#[test]
fn the_printed_script_is_the_embedded_one_and_plain_ascii() {
    let s = script();
    assert_eq!(s, relaycheck::cli::collect::SCRIPT);
    // Windows PowerShell 5.1 reads a file without a byte-order mark as ANSI: ASCII only.
    assert!(s.is_ascii(), "the collector must be ASCII");
}

#[test]
fn the_collector_only_reads() {
    let s = script();
    let commands = ps::parse(&s).unwrap_or_else(|e| panic!("does not parse:\n{}", e.join("\n")));
    let own = own_functions(&s);
    assert!(own.contains("Save-Json"), "{own:?}");
    let allowed = [
        "ConvertTo-Json",
        "Export-Clixml",
        "Out-File",
        "Select-Object",
        "Where-Object",
        "Write-Host",
        "Join-Path",
        "Test-Path",
        "New-Item",
    ];
    let forbidden = [
        "Set-",
        "Enable-",
        "Disable-",
        "Remove-",
        "Confirm-",
        "Update-",
        "New-",
        "Add-",
        "Start-",
        "Stop-",
        "Restart-",
        "Install-",
        "Connect-",
        "Disconnect-",
        "Invoke-",
    ];
    let mut names = BTreeSet::new();
    for c in &commands {
        let name = c.name.as_str();
        names.insert(name.to_string());
        assert!(
            !forbidden.iter().any(|f| name.starts_with(f)) || name == "New-Item",
            "line {}: {name} changes something",
            c.line
        );
        assert!(
            name.starts_with("Get-") || allowed.contains(&name) || own.contains(name),
            "line {}: {name} is not a reading cmdlet",
            c.line
        );
        assert!(
            !matches!(
                name,
                "Import-ExchangeCertificate"
                    | "Export-ExchangeCertificate"
                    | "Export-PfxCertificate"
            ),
            "line {}: {name}",
            c.line
        );
        if name == "New-Item" {
            assert_eq!(c.parameters, ["-ItemType", "-Path"], "line {}", c.line);
        }
        if name == "Export-Clixml" {
            assert!(
                s.lines()
                    .nth(c.line - 1)
                    .unwrap()
                    .contains("exchange-certificates.xml"),
                "Export-Clixml only for the certificates (RawData), line {}",
                c.line
            );
        }
    }
    for needed in [
        "Get-AcceptedDomain",
        "Get-InboundConnector",
        "Get-OutboundConnector",
        "Get-OrganizationConfig",
        "Get-MgDomain",
        "Get-SendConnector",
        "Get-ReceiveConnector",
        "Get-ExchangeCertificate",
    ] {
        assert!(
            names.contains(needed),
            "the collector does not call {needed}"
        );
    }
    // Nothing in its code touches a private key (the help text may say so).
    let help_end = s.find("#>").expect("comment-based help") + 2;
    let code: String = s[help_end..]
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n");
    for word in [
        "PrivateKey",
        "Export-PfxCertificate",
        "-Password",
        "FileData",
        "Cert:",
    ] {
        assert!(!code.contains(word), "the collector's code mentions {word}");
    }
}

#[test]
fn the_collector_writes_the_layout_from_reads() {
    let s = script();
    let written: BTreeSet<&str> = s
        .split('"')
        .filter(|w| {
            (w.ends_with(".json") || w.ends_with(".xml") || w.ends_with(".txt"))
                && !w.contains(' ')
                && !w.contains('\\')
        })
        .collect();
    let mut known: BTreeSet<&str> = LAYOUT
        .iter()
        .flat_map(|e| e.files.iter().copied())
        .collect();
    known.extend(NOT_READ.iter().copied());
    for w in &written {
        assert!(
            known.contains(w),
            "the collector writes {w}, which --from does not know"
        );
    }
    for e in LAYOUT {
        assert!(
            written.contains(e.files[0]),
            "the collector does not write {} ({})",
            e.files[0],
            e.flag
        );
    }
}
