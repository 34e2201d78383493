//! Text in and out. In: files as Windows PowerShell and everything else write them (UTF-8
//! with or without a byte-order mark, UTF-16 LE as `>` writes in Windows PowerShell 5.1, or
//! BE; UTF-16 without a byte-order mark too, as some editors and redirections write it).
//! Out: every string that came from input passes [`clean_line`] or [`clean_block`]
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
    match bomless_utf16(bytes) {
        Some(Order::Little) => return utf16(bytes, u16::from_le_bytes),
        Some(Order::Big) => return utf16(bytes, u16::from_be_bytes),
        None => {}
    }
    let bytes = bytes.strip_prefix(&[0xef, 0xbb, 0xbf]).unwrap_or(bytes);
    std::str::from_utf8(bytes).ok().map(str::to_string)
}

/// The byte order of UTF-16.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Order {
    Little,
    Big,
}

/// How many bytes [`bomless_utf16`] looks at: enough to judge, little enough to be cheap.
const SNIFF: usize = 4096;

/// UTF-16 without a byte-order mark, told by the NUL bytes of ASCII text: little-endian
/// puts a NUL after every ASCII character, big-endian before it. Text in UTF-8 holds no NUL,
/// so the pattern cannot be UTF-8 text; at least half of the sampled characters must show
/// it, in one byte order only, and no character may be NUL itself.
fn bomless_utf16(bytes: &[u8]) -> Option<Order> {
    if bytes.len() < 2 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    let sample = &bytes[..bytes.len().min(SNIFF)];
    let (mut le, mut be, mut pairs) = (0usize, 0usize, 0usize);
    for c in sample.chunks_exact(2) {
        pairs += 1;
        match (c[0], c[1]) {
            (0, 0) => return None,
            (_, 0) => le += 1,
            (0, _) => be += 1,
            _ => {}
        }
    }
    if le * 2 >= pairs && be * 8 <= le {
        Some(Order::Little)
    } else if be * 2 >= pairs && le * 8 <= be {
        Some(Order::Big)
    } else {
        None
    }
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

/// How many characters of a value from input an error message or a note shows.
pub const ECHO_MAX: usize = 120;

/// A value from input as an error message quotes it: cleaned as by [`clean_line`], in
/// double quotes, cut to [`ECHO_MAX`] characters with the count of what was left out after
/// the closing quote (`"aaaa…" (999,880 more characters)`).
pub fn quoted(text: &str) -> String {
    quoted_with('"', text)
}

/// [`quoted`] with another quotation mark (serde's messages put names in backticks).
pub fn quoted_with(quote: char, text: &str) -> String {
    let count = text.chars().count();
    if count <= ECHO_MAX {
        return format!("{quote}{}{quote}", clean_line(text));
    }
    let head: String = text.chars().take(ECHO_MAX).collect();
    let left = count - ECHO_MAX;
    format!(
        "{quote}{}…{quote} ({} more character{})",
        clean_line(&head),
        group(left as u64),
        if left == 1 { "" } else { "s" }
    )
}

/// At most `max` items of a list for a note, joined with ", ", then how many were left
/// out; each item cut as by [`excerpt`] to [`ECHO_MAX`] characters.
pub fn list<S: AsRef<str>>(items: &[S], max: usize) -> String {
    let mut shown: Vec<String> = items
        .iter()
        .take(max)
        .map(|i| excerpt(i.as_ref(), ECHO_MAX).into_owned())
        .collect();
    if items.len() > max {
        shown.push(format!("and {} more", group((items.len() - max) as u64)));
    }
    shown.join(", ")
}

/// 3221225472 → "3,221,225,472".
pub fn group(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
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

    fn utf16_bytes(text: &str, order: fn(u16) -> [u8; 2]) -> Vec<u8> {
        text.encode_utf16().flat_map(order).collect()
    }

    #[test]
    fn decodes_utf16_without_bom_both_orders() {
        let text = "[{\"DomainName\": \"contoso.com\", \"Name\": \"Contoso é\"}]\r\n";
        assert_eq!(
            decode(&utf16_bytes(text, u16::to_le_bytes)).as_deref(),
            Some(text)
        );
        assert_eq!(
            decode(&utf16_bytes(text, u16::to_be_bytes)).as_deref(),
            Some(text)
        );
        // One character is enough to tell.
        assert_eq!(decode(b"a\0").as_deref(), Some("a"));
        assert_eq!(decode(b"\0a").as_deref(), Some("a"));
    }

    #[test]
    fn utf8_and_binary_are_not_taken_for_bomless_utf16() {
        // No NUL: UTF-8, whatever the length.
        assert_eq!(decode(b"ab").as_deref(), Some("ab"));
        assert_eq!(decode("héllo!".as_bytes()).as_deref(), Some("héllo!"));
        // NUL characters are not text in either order; left to UTF-8 (which keeps them for
        // the caller to refuse).
        assert_eq!(decode(b"\0\0\0\0").as_deref(), Some("\0\0\0\0"));
        // DER (mostly non-NUL, NULs in both positions) is neither.
        let der = [0x30, 0x82, 0x01, 0x0a, 0x02, 0x82, 0x01, 0x01, 0x00, 0xc3];
        assert_eq!(bomless_utf16(&der), None);
        // An odd length cannot be UTF-16.
        assert_eq!(bomless_utf16(b"a\0b"), None);
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
    fn quoted_cuts_cleans_and_counts_outside_the_quotes() {
        assert_eq!(quoted("con toso"), "\"con toso\"");
        assert_eq!(quoted("a\u{1b}[2Jb"), "\"a␛[2Jb\"");
        let long = "x".repeat(1_000_000);
        let q = quoted(&long);
        assert_eq!(
            q,
            format!("\"{}…\" (999,880 more characters)", "x".repeat(ECHO_MAX))
        );
    }

    #[test]
    fn lists_stop_after_max_items() {
        let items: Vec<String> = (0..5).map(|i| format!("d{i}.com")).collect();
        assert_eq!(list(&items, 10), "d0.com, d1.com, d2.com, d3.com, d4.com");
        assert_eq!(list(&items, 2), "d0.com, d1.com, and 3 more");
    }

    #[test]
    fn excerpt_cuts_and_counts() {
        assert_eq!(excerpt("short", 10), "short");
        let long = "a".repeat(1000);
        assert_eq!(excerpt(&long, 5), "aaaaa… (995 more characters)");
        assert_eq!(excerpt("\u{1b}\u{1b}\u{1b}", 2), "␛␛… (1 more character)");
    }
}
