//! PowerShell literals that stay literals whatever the value holds.

pub fn ps_bool(b: bool) -> &'static str {
    if b { "$true" } else { "$false" }
}

/// PowerShell treats these as single quotes inside a single-quoted string.
const SINGLE_QUOTES: [char; 4] = ['\'', '\u{2018}', '\u{2019}', '\u{201B}'];
/// …and these as double quotes inside a double-quoted string.
const DOUBLE_QUOTES: [char; 4] = ['"', '\u{201C}', '\u{201D}', '\u{201E}'];

/// A PowerShell string literal that stays one literal whatever the value holds: a
/// double-quoted string (the form admins expect) unless the value has `$`, a backtick or a
/// double quote of any kind, then a single-quoted one with every kind of single quote doubled.
/// Control characters never reach the script: they are shown as visible stand-ins.
pub fn ps_quote(value: &str) -> String {
    let value = crate::text::clean_line(value);
    let needs_single = value.contains('$') || value.contains('`') || value.contains(DOUBLE_QUOTES);
    if needs_single {
        let mut out = String::from("'");
        for c in value.chars() {
            out.push(c);
            if SINGLE_QUOTES.contains(&c) {
                out.push(c);
            }
        }
        out.push('\'');
        out
    } else {
        format!("\"{value}\"")
    }
}

/// Cmdlets that change something and take `-WhatIf`.
pub fn supports_whatif(line: &str) -> bool {
    [
        "New-", "Set-", "Confirm-", "Remove-", "Update-", "Enable-", "Import-",
    ]
    .iter()
    .any(|verb| line.starts_with(verb))
}
