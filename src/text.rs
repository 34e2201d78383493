//! Text in and out. In: files as Windows PowerShell and everything else write them (UTF-8
//! with or without a byte-order mark, UTF-16 LE as `>` writes in Windows PowerShell 5.1, or
//! BE). Out: every string that came from input passes [`clean_line`] or [`clean_block`]
//! before it reaches a terminal, a report or a script, so that no control character,
//! line break or bidirectional override from a certificate or a cmdlet's output can act.

use std::borrow::Cow;

/// The bytes as text, or `None` when they are not text in one of those encodings.
pub fn decode(bytes: &[u8]) -> Option<String> {
    if let Some(rest) = bytes.strip_prefix(&[0xff, 0xfe]) {
        return utf16(rest, u16::from_le_bytes);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xfe, 0xff]) {
        return utf16(rest, u16::from_be_bytes);
    }
    let bytes = bytes.strip_prefix(&[0xef, 0xbb, 0xbf]).unwrap_or(bytes);
    std::str::from_utf8(bytes).ok().map(str::to_string)
}

fn utf16(bytes: &[u8], read: fn([u8; 2]) -> u16) -> Option<String> {
    if !bytes.len().is_multiple_of(2) {
        return None;
    }
    let units = bytes.chunks_exact(2).map(|c| read([c[0], c[1]]));
    char::decode_utf16(units).map(Result::ok).collect()
}

/// Characters that must never reach a terminal or a script as they are: C0 and C1
/// controls, DEL, line and paragraph separators, and the bidirectional formatting characters
/// that reorder what is shown (the "Trojan Source" ones).
fn is_hazard(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{200e}' | '\u{200f}' | '\u{061c}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
        )
}

/// The visible stand-in for a hazardous character: C0 controls and DEL as their Unicode
/// control pictures (ESC shows as ␛, NUL as ␀, LF as ␊), everything else as U+FFFD.
fn stand_in(c: char) -> char {
    match c {
        '\0'..='\u{1f}' => char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'),
        '\u{7f}' => '\u{2421}',
        _ => '\u{fffd}',
    }
}

/// One line of text from input, safe to print: every control character (tab and line
/// breaks included), separator and bidi override becomes a visible stand-in.
pub fn clean_line(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_hazard) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| if is_hazard(c) { stand_in(c) } else { c })
            .collect(),
    )
}

/// Several lines of text from input: line breaks (LF, CRLF) are kept, each line is cleaned
/// as by [`clean_line`].
pub fn clean_block(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| c != '\n' && is_hazard(c)) {
        return Cow::Borrowed(text);
    }
    let lines: Vec<Cow<'_, str>> = text
        .split('\n')
        .map(|l| clean_line(l.strip_suffix('\r').unwrap_or(l)))
        .collect();
    Cow::Owned(lines.join("\n"))
}

/// A value from input cut to `max` characters for an error message or a report, saying how
/// much was left out; always cleaned as by [`clean_line`].
pub fn excerpt(text: &str, max: usize) -> Cow<'_, str> {
    let count = text.chars().count();
    if count <= max {
        return clean_line(text);
    }
    let head: String = text.chars().take(max).collect();
    let left = count - max;
    Cow::Owned(format!(
        "{}… ({left} more character{})",
        clean_line(&head),
        if left == 1 { "" } else { "s" }
    ))
}

/// "a", "a and b", "a, b and c".
pub fn join_words(words: &[String]) -> String {
    match words {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_utf8_with_and_without_bom() {
        assert_eq!(decode(b"\xef\xbb\xbfabc").as_deref(), Some("abc"));
        assert_eq!(decode(b"abc\r\n").as_deref(), Some("abc\r\n"));
    }

    #[test]
    fn decodes_utf16_both_orders() {
        assert_eq!(
            decode(&[0xff, 0xfe, b'a', 0, b'b', 0]).as_deref(),
            Some("ab")
        );
        assert_eq!(
            decode(&[0xfe, 0xff, 0, b'a', 0, b'b']).as_deref(),
            Some("ab")
        );
    }

    #[test]
    fn refuses_binary_and_broken_utf16() {
        assert_eq!(decode(&[0xff, 0xfe, 0x00, 0xd8]), None);
        assert_eq!(decode(&[0xff, 0xfe, b'a']), None);
        assert_eq!(decode(&[0x30, 0x82, 0xff]), None);
    }

    #[test]
    fn clean_line_shows_controls_instead_of_obeying_them() {
        assert!(matches!(clean_line("mail.contoso.com"), Cow::Borrowed(_)));
        assert_eq!(clean_line("a\u{1b}]0;pwned\u{7}b"), "a␛]0;pwned␇b");
        assert_eq!(clean_line("x\r\ny\tz\0"), "x␍␊y␉z␀");
        assert_eq!(
            clean_line("a\u{2028}b\u{202e}c\u{85}d\u{7f}"),
            "a\u{fffd}b\u{fffd}c\u{fffd}d␡"
        );
    }

    #[test]
    fn clean_block_keeps_line_breaks_only() {
        assert_eq!(clean_block("one\r\ntwo\n\u{1b}[2J"), "one\ntwo\n␛[2J");
        assert!(matches!(clean_block("one\ntwo"), Cow::Borrowed(_)));
    }

    #[test]
    fn excerpt_cuts_and_counts() {
        assert_eq!(excerpt("short", 10), "short");
        let long = "a".repeat(1000);
        assert_eq!(excerpt(&long, 5), "aaaaa… (995 more characters)");
        assert_eq!(excerpt("\u{1b}\u{1b}\u{1b}", 2), "␛␛… (1 more character)");
    }
}
