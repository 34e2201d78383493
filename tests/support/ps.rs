//! Parsing the PowerShell relaycheck writes: with the tree-sitter PowerShell grammar always,
//! and with PowerShell's own parser when `pwsh` is installed. Under `CI=true` the test log
//! says which parser ran.

use std::collections::HashMap;
use std::sync::Once;

/// One command of a script: its name and its parameters, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    pub line: usize,
    pub name: String,
    pub parameters: Vec<String>,
}

fn announce(pwsh: bool) {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        eprintln!(
            "PowerShell parsers: tree-sitter-powershell{}",
            if pwsh {
                " and pwsh"
            } else {
                " (pwsh is not installed: its parser did not run)"
            }
        );
    });
}

/// Parses the script; returns its commands, or every ERROR / MISSING node with its line.
pub fn parse(script: &str) -> Result<Vec<Command>, Vec<String>> {
    // The grammar wants at least one statement; PowerShell runs a file of comments only
    // (it does nothing). Such a file is nothing but comments and blank lines by definition.
    if script
        .lines()
        .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
    {
        announce(false);
        return Ok(Vec::new());
    }
    let mut parser = tree_sitter::Parser::new();
    parser
        .set_language(&tree_sitter_powershell::LANGUAGE.into())
        .expect("the PowerShell grammar loads");
    let tree = parser.parse(script, None).expect("tree-sitter parses");
    let mut errors = Vec::new();
    let mut commands = Vec::new();
    let mut stack = vec![tree.root_node()];
    while let Some(n) = stack.pop() {
        let line = n.start_position().row + 1;
        if n.is_error() || n.is_missing() {
            errors.push(format!(
                "line {line}: {} {:?}",
                if n.is_missing() { "MISSING" } else { "ERROR" },
                &script[n.byte_range()]
            ));
        }
        if n.kind() == "command" {
            let mut name = String::new();
            let mut parameters = Vec::new();
            let mut inner = vec![n];
            while let Some(m) = inner.pop() {
                match m.kind() {
                    "command_name" if name.is_empty() => name = script[m.byte_range()].to_string(),
                    "command_parameter" => parameters.push(script[m.byte_range()].to_string()),
                    _ => {}
                }
                let mut c = m.walk();
                let children: Vec<_> = m.children(&mut c).collect();
                // Depth first, in source order; nested commands are handled on their own.
                for ch in children.into_iter().rev() {
                    if ch.kind() != "command" {
                        inner.push(ch);
                    }
                }
            }
            commands.push(Command {
                line,
                name,
                parameters,
            });
        }
        let mut c = n.walk();
        let children: Vec<_> = n.children(&mut c).collect();
        stack.extend(children.into_iter().rev());
    }
    let pwsh = pwsh_problems(script);
    announce(pwsh.is_some());
    if let Some(Err(e)) = pwsh {
        errors.push(format!("pwsh: {e}"));
    }
    if errors.is_empty() {
        commands.sort_by_key(|c| c.line);
        Ok(commands)
    } else {
        Err(errors)
    }
}

/// PowerShell's own parser, when `pwsh` runs here.
fn pwsh_problems(script: &str) -> Option<Result<(), String>> {
    let probe = std::process::Command::new("pwsh")
        .arg("-Version")
        .output()
        .ok()?;
    if !probe.status.success() {
        return None;
    }
    let tmp = tempfile::tempdir().ok()?;
    let path = tmp.path().join("fix.ps1");
    std::fs::write(&path, script).ok()?;
    let command = format!(
        "$e = $null; [void][System.Management.Automation.Language.Parser]::ParseFile('{}', [ref]$null, [ref]$e); if ($e.Count) {{ $e | ForEach-Object {{ $_.ToString() }}; exit 1 }}",
        path.display()
    );
    let out = std::process::Command::new("pwsh")
        .args(["-NoProfile", "-NonInteractive", "-Command", &command])
        .output()
        .ok()?;
    Some(if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stdout).into_owned())
    })
}

/// The cmdlets relaycheck's scripts may call, with the parameters each accepts (Microsoft
/// Learn references; `-WhatIf` where the cmdlet supports it).
pub fn known_cmdlets() -> HashMap<&'static str, Vec<&'static str>> {
    HashMap::from([
        ("Connect-MgGraph", vec!["Scopes", "TenantId", "NoWelcome"]),
        (
            "Connect-ExchangeOnline",
            vec!["UserPrincipalName", "Organization", "ShowBanner"],
        ),
        ("New-MgDomain", vec!["Id", "WhatIf", "Confirm"]),
        ("Confirm-MgDomain", vec!["DomainId", "WhatIf", "Confirm"]),
        ("Remove-MgDomain", vec!["DomainId", "WhatIf", "Confirm"]),
        (
            "Update-MgDomain",
            vec!["DomainId", "IsDefault", "WhatIf", "Confirm"],
        ),
        (
            "Get-MgDomainVerificationDnsRecord",
            vec!["DomainId", "ErrorAction"],
        ),
        ("Where-Object", vec!["eq"]),
        ("Select-Object", vec![]),
        ("Format-List", vec![]),
        ("Write-Host", vec![]),
        (
            "Set-AcceptedDomain",
            vec!["Identity", "DomainType", "WhatIf", "Confirm"],
        ),
        (
            "Set-OrganizationConfig",
            vec!["RejectDirectSend", "WhatIf", "Confirm"],
        ),
        (
            "Set-InboundConnector",
            vec![
                "Identity",
                "Name",
                "Enabled",
                "ConnectorType",
                "RequireTls",
                "CloudServicesMailEnabled",
                "TlsSenderCertificateName",
                "SenderIPAddresses",
                "WhatIf",
                "Confirm",
            ],
        ),
        (
            "New-InboundConnector",
            vec![
                "Name",
                "ConnectorType",
                "SenderDomains",
                "RequireTls",
                "TlsSenderCertificateName",
                "SenderIPAddresses",
                "CloudServicesMailEnabled",
                "Enabled",
                "WhatIf",
                "Confirm",
            ],
        ),
        (
            "Remove-InboundConnector",
            vec!["Identity", "WhatIf", "Confirm"],
        ),
        (
            "Set-SendConnector",
            vec![
                "Identity",
                "TlsCertificateName",
                "SmartHosts",
                "DNSRoutingEnabled",
                "RequireTLS",
                "TlsAuthLevel",
                "TlsDomain",
                "CloudServicesMailEnabled",
                "Enabled",
                "AddressSpaces",
                "SourceTransportServers",
                "WhatIf",
                "Confirm",
            ],
        ),
        (
            "New-SendConnector",
            vec![
                "Name",
                "AddressSpaces",
                "SmartHosts",
                "DNSRoutingEnabled",
                "RequireTLS",
                "TlsAuthLevel",
                "TlsDomain",
                "CloudServicesMailEnabled",
                "TlsCertificateName",
                "SourceTransportServers",
                "Enabled",
                "WhatIf",
                "Confirm",
            ],
        ),
        ("Read-Host", vec!["Prompt", "AsSecureString"]),
        (
            "Enable-ExchangeCertificate",
            vec!["Server", "Thumbprint", "Services", "WhatIf", "Confirm"],
        ),
        (
            "Import-ExchangeCertificate",
            vec!["Server", "FileData", "Password", "WhatIf", "Confirm"],
        ),
    ])
}

/// The script parses, and every command in it is a known cmdlet with known parameters.
pub fn problems(script: &str) -> Vec<String> {
    let commands = match parse(script) {
        Ok(c) => c,
        Err(e) => return e,
    };
    let known = known_cmdlets();
    let mut out = Vec::new();
    for c in commands {
        let Some(params) = known.get(c.name.as_str()) else {
            out.push(format!("line {}: unknown command {}", c.line, c.name));
            continue;
        };
        for p in &c.parameters {
            let name = p.trim_start_matches('-').trim_end_matches(':');
            if !params.contains(&name) {
                out.push(format!("line {}: {} has no parameter {p}", c.line, c.name));
            }
        }
    }
    out
}

pub fn assert_well_formed(name: &str, script: &str) {
    let problems = problems(script);
    assert!(
        problems.is_empty(),
        "{name}:\n{}\n---\n{script}",
        problems.join("\n")
    );
}
