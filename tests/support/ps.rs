//! Parsing the PowerShell relaycheck writes: with the tree-sitter PowerShell grammar always,
//! and with PowerShell's own parser when `pwsh` is installed. Under `CI=true` the test log
//! says which parser ran. The grammar knows one quote; PowerShell knows nine, so whether a
//! value stays one token is asked of [`tokens`], a tokenizer that follows PowerShell's own
//! (shared with the `ps_quote` fuzz target).

use std::collections::HashMap;
use std::sync::Once;

/// PowerShell's tokenizer: the same file the `ps_quote` fuzz target reads.
#[path = "../../fuzz/ps_tokens.rs"]
pub mod tokens;

pub use tokens::{Kind, tokenize};

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

/// The value relaycheck writes for `input`: its cleaned form (no control character, line
/// break or bidi override survives into a script).
pub fn written(input: &str) -> String {
    relaycheck::text::clean_line(input).into_owned()
}

/// `line`, a command relaycheck wrote, holds `input` (cleaned) as one quoted string that
/// PowerShell evaluates nothing in, and nothing in the line ends the command or starts code.
pub fn assert_one_token(what: &str, line: &str, input: &str) {
    if let Some(problem) = tokens::value_problem(line, &written(input)) {
        panic!("{what}: {problem}\n  input: {input:?}\n  line:  {line}");
    }
}

/// `line` is one comment to its end, as PowerShell reads it: nothing after it runs.
pub fn assert_one_comment(what: &str, line: &str) {
    let t = tokenize(line).unwrap_or_else(|e| panic!("{what}: {e}\n  line: {line}"));
    assert!(
        t.len() == 1 && t[0].kind == Kind::Comment,
        "{what}: the comment line is not one comment token: {t:?}\n  line: {line}"
    );
}

/// Every line of a script: a comment is one comment token, and every command line that
/// starts with `cmdlet` holds `input` as one token. At least one such line is there.
pub fn assert_script_keeps(what: &str, script: &str, cmdlet: &str, input: &str) {
    let mut seen = 0;
    for line in script.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with('#') {
            assert_one_comment(what, line);
        } else if trimmed.starts_with(cmdlet) {
            seen += 1;
            assert_one_token(what, line, input);
        }
    }
    assert!(seen > 0, "{what}: no {cmdlet} line in:\n{script}");
}

/// In `text` (a report whose sentences carry commands), the argument after every
/// `parameter` is one literal string token, one of `allowed` (cleaned); each of `must` is
/// among them at least once.
pub fn assert_arguments(what: &str, text: &str, parameter: &str, allowed: &[&str], must: &[&str]) {
    let allowed: Vec<String> = allowed.iter().map(|a| written(a)).collect();
    let mut seen = Vec::new();
    for (at, _) in text.match_indices(&format!("{parameter} ")) {
        let rest = &text[at + parameter.len() + 1..];
        let t = tokens::first_token(rest)
            .unwrap_or_else(|e| panic!("{what}: {e}\n  after {parameter}: {rest}"))
            .unwrap_or_else(|| panic!("{what}: nothing after {parameter}"));
        assert!(
            t.is_literal_string() && allowed.contains(&t.value),
            "{what}: {parameter} takes {t:?}\n  after {parameter}: {rest}"
        );
        seen.push(t.value);
    }
    for m in must {
        assert!(
            seen.contains(&written(m)),
            "{what}: {parameter} never takes {m:?}: {seen:?}\n{text}"
        );
    }
}
