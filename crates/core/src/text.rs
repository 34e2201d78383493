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

/// Text that is safe to print on one line: its `Display`, `Deref` and `as_str` are the
/// cleaned form (as by [`clean_line`]), so a report value of this type cannot put a control
/// character, a line break or a bidi override on a screen or into a document, whatever input
/// it came from. The report's fields that carry input-derived text have this type (or
/// [`Block`]); the text and Markdown renderers write nothing else from input.
///
/// Serialised (JSON, YAML), it is the text as it came in, so that a script reads back the
/// connector's real name; the JSON writer ([`crate::report::json::to_json`]) escapes what
/// could act on a terminal, so the document itself is safe to print.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Line {
    shown: String,
    /// The text as it came in, when cleaning changed it.
    raw: Option<Box<str>>,
}

/// Several lines of text, safe to print: cleaned as by [`clean_block`] (line breaks kept,
/// everything else that could act shown as a stand-in); serialised as it came in, like
/// [`Line`].
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Block {
    shown: String,
    raw: Option<Box<str>>,
}

/// The cleaned text, and the text as it came in when cleaning changed it (the allocation is
/// kept when nothing changed).
fn cleaned(text: String, clean: fn(&str) -> Cow<'_, str>) -> (String, Option<Box<str>>) {
    match clean(&text) {
        Cow::Borrowed(_) => (text, None),
        Cow::Owned(c) => (c, Some(text.into_boxed_str())),
    }
}

macro_rules! safe_text {
    ($t:ident, $clean:path) => {
        impl $t {
            /// The text, cleaned.
            pub fn new(text: impl Into<String>) -> Self {
                let (shown, raw) = cleaned(text.into(), $clean);
                $t { shown, raw }
            }

            /// The cleaned text.
            pub fn as_str(&self) -> &str {
                &self.shown
            }

            /// The text as it came in (for data: JSON, YAML, matching). Never print it.
            pub fn raw(&self) -> &str {
                self.raw.as_deref().unwrap_or(&self.shown)
            }

            pub fn into_string(self) -> String {
                self.shown
            }
        }

        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.raw())
            }
        }

        impl From<String> for $t {
            fn from(text: String) -> Self {
                $t::new(text)
            }
        }

        impl From<&str> for $t {
            fn from(text: &str) -> Self {
                $t::new(text)
            }
        }

        impl From<&String> for $t {
            fn from(text: &String) -> Self {
                $t::new(text.as_str())
            }
        }

        impl From<Cow<'_, str>> for $t {
            fn from(text: Cow<'_, str>) -> Self {
                $t::new(text.into_owned())
            }
        }

        impl From<$t> for String {
            fn from(text: $t) -> Self {
                text.shown
            }
        }

        impl From<$t> for Cow<'static, str> {
            fn from(text: $t) -> Self {
                Cow::Owned(text.shown)
            }
        }

        impl<'a> From<&'a $t> for Cow<'a, str> {
            fn from(text: &'a $t) -> Self {
                Cow::Borrowed(&text.shown)
            }
        }

        impl std::ops::Deref for $t {
            type Target = str;
            fn deref(&self) -> &str {
                &self.shown
            }
        }

        impl AsRef<str> for $t {
            fn as_ref(&self) -> &str {
                &self.shown
            }
        }

        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.shown)
            }
        }

        impl PartialEq<str> for $t {
            fn eq(&self, other: &str) -> bool {
                self.shown == other
            }
        }

        impl PartialEq<&str> for $t {
            fn eq(&self, other: &&str) -> bool {
                self.shown == *other
            }
        }

        impl PartialEq<String> for $t {
            fn eq(&self, other: &String) -> bool {
                &self.shown == other
            }
        }

        impl PartialEq<$t> for &str {
            fn eq(&self, other: &$t) -> bool {
                *self == other.shown
            }
        }

        impl PartialEq<$t> for str {
            fn eq(&self, other: &$t) -> bool {
                self == other.shown
            }
        }

        impl PartialEq<$t> for String {
            fn eq(&self, other: &$t) -> bool {
                *self == other.shown
            }
        }
    };
}

safe_text!(Line, clean_line);
safe_text!(Block, clean_block);

impl From<Line> for Block {
    fn from(line: Line) -> Self {
        Block {
            shown: line.shown,
            raw: line.raw,
        }
    }
}

/// Cleaned lines joined with `sep`.
pub fn join_lines(items: &[Line], sep: &str) -> String {
    let words: Vec<&str> = items.iter().map(Line::as_str).collect();
    words.join(sep)
}

/// Whether `text` holds a character [`clean_line`] would replace (line breaks included).
pub fn has_hazard(text: &str) -> bool {
    text.chars().any(is_hazard)
}

/// What a renderer hands out, checked once more: everything it wrote from input is a
/// [`Line`] or a [`Block`] already, so this finds nothing; were a raw value ever added to a
/// renderer, a debug build (every test) stops here and a release build still prints it
/// cleaned. Line breaks and the renderer's own SGR colour sequences (`ESC [ digits ; m`)
/// are kept.
pub fn guard_output(text: String) -> String {
    let mut rest = text.as_str();
    let mut ok = true;
    while let Some(c) = rest.chars().next() {
        let len = if c == '\u{1b}' { sgr_len(rest) } else { None };
        match len {
            Some(n) => rest = &rest[n..],
            None => {
                if c != '\n' && is_hazard(c) {
                    ok = false;
                    break;
                }
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    if ok {
        return text;
    }
    debug_assert!(
        ok,
        "a renderer wrote uncleaned input: {:?}",
        clean_block(&text)
    );
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(c) = rest.chars().next() {
        if let Some(n) = (c == '\u{1b}').then(|| sgr_len(rest)).flatten() {
            out.push_str(&rest[..n]);
            rest = &rest[n..];
            continue;
        }
        out.push(if c != '\n' && is_hazard(c) {
            stand_in(c)
        } else {
            c
        });
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// The length of an SGR sequence (`ESC [` digits and `;`, then `m`) at the start of `text`.
fn sgr_len(text: &str) -> Option<usize> {
    let body = text.strip_prefix("\u{1b}[")?;
    let params = body
        .bytes()
        .take_while(|b| b.is_ascii_digit() || *b == b';')
        .count();
    (params <= 16 && body.as_bytes().get(params) == Some(&b'm')).then_some(2 + params + 1)
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
    fn safe_text_is_cleaned_by_construction() {
        let l = Line::from("a\u{1b}[2J\nb\u{202e}");
        assert_eq!(l, "a␛[2J␊b\u{fffd}");
        assert!(!has_hazard(&l));
        let b = Block::from("one\r\ntwo\u{7}");
        assert_eq!(b, "one\ntwo␇");
        assert_eq!(Line::from("mail.contoso.com").as_str(), "mail.contoso.com");
        // Data keeps the text as it came in.
        assert_eq!(l.raw(), "a\u{1b}[2J\nb\u{202e}");
        assert_eq!(
            serde_json::to_string(&l).unwrap(),
            "\"a\\u001b[2J\\nb\u{202e}\""
        );
    }

    #[test]
    fn the_output_guard_keeps_colour_and_line_breaks_only() {
        let painted = "\u{1b}[1;31mFAIL\u{1b}[0m x\n".to_string();
        assert_eq!(guard_output(painted.clone()), painted);
        assert!(!has_hazard("plain"));
        assert!(has_hazard("a\u{85}"));
    }

    #[test]
    #[cfg(not(debug_assertions))]
    fn the_output_guard_cleans_what_slipped_through() {
        assert_eq!(guard_output("a\u{1b}]0;x\u{7}".into()), "a␛]0;x␇");
    }

    #[test]
    #[cfg(debug_assertions)]
    #[should_panic(expected = "uncleaned input")]
    fn the_output_guard_stops_a_debug_build_on_raw_input() {
        let _ = guard_output("a\u{1b}]0;x\u{7}".into());
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
