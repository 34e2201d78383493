//! PowerShell literals that stay literals whatever the value holds.

pub fn ps_bool(b: bool) -> &'static str {
    if b { "$true" } else { "$false" }
}

// PowerShell's own character sets, from its source (PowerShell/PowerShell,
// src/System.Management.Automation/engine/parser/CharTraits.cs: `SpecialChars` and
// `IsSingleQuote`, `IsDoubleQuote`, `IsDash`; tokenizer.cs: `NextToken`, `ScanStringLiteral`,
// `ScanStringExpandable`, `ScanLineComment`). In a single-quoted string only a single quote
// is special (two in a row, of any kinds, are one); in a double-quoted string a double
// quote, `$` (`$name`, `$(…)`) and the backtick are. A `#` comment ends at CR or LF and at
// nothing else. tests/support/ps.rs tokenizes what relaycheck writes by the same rules.

/// `IsSingleQuote`: each of these opens and closes a single-quoted string.
pub const SINGLE_QUOTES: [char; 5] = ['\'', '\u{2018}', '\u{2019}', '\u{201A}', '\u{201B}'];
/// `IsDoubleQuote`: each of these opens and closes a double-quoted string (U+201F, the
/// double high-reversed-9, is not one).
pub const DOUBLE_QUOTES: [char; 4] = ['"', '\u{201C}', '\u{201D}', '\u{201E}'];
/// `IsDash`: each of these starts a parameter (`–WhatIf` is `-WhatIf`). They matter only
/// outside quotes, and every value relaycheck writes is quoted.
pub const DASHES: [char; 4] = ['-', '\u{2013}', '\u{2014}', '\u{2015}'];
/// What ends a line, and so a `#` comment: CR and LF only (U+0085, U+2028 and U+2029 are
/// whitespace to PowerShell). [`crate::text::clean_line`] replaces both, and every other
/// control character, before a value reaches a script.
pub const LINE_ENDS: [char; 2] = ['\r', '\n'];

/// A PowerShell string literal that stays one literal whatever the value holds: a
/// double-quoted string (the form admins expect) unless the value has `$`, a backtick or a
/// double quote of any kind, then a single-quoted one with every single quote of any kind
/// doubled. The value is cleaned first ([`crate::text::clean_line`]): control characters,
/// line breaks and bidi overrides never reach the script, they are shown as visible
/// stand-ins.
pub fn ps_quote(value: &str) -> String {
    let value = crate::text::clean_line(value);
    let needs_single = value.contains(['$', '`']) || value.contains(DOUBLE_QUOTES);
    if needs_single {
        let mut out = String::with_capacity(value.len() + 2);
        out.push('\'');
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
