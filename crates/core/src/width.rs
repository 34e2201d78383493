//! Display width, the columns a terminal gives a text: a CJK character or most emoji take
//! two, a combining mark none. Wrapping, truncation, footers and tables measure with this,
//! never with `chars().count()`, so a Japanese subject is cut with `…` inside its column
//! and table columns line up.

use std::borrow::Cow;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// The columns `text` takes.
pub fn width(text: &str) -> usize {
    UnicodeWidthStr::width(text)
}

/// The columns one character takes (a control character: none).
pub fn char_width(c: char) -> usize {
    UnicodeWidthChar::width(c).unwrap_or(0)
}

/// The longest start of `text` that fits in `columns`, and the byte where it ends.
/// Combining marks stay with their character.
pub fn prefix(text: &str, columns: usize) -> (&str, usize) {
    let mut used = 0;
    for (i, c) in text.char_indices() {
        let w = char_width(c);
        if used + w > columns {
            return (&text[..i], used);
        }
        used += w;
    }
    (text, used)
}

/// `text` cut to `columns` with `…` when something was cut (the mark included in the
/// width); a wide character that would straddle the edge is left out whole.
pub fn fit(text: &str, columns: usize) -> Cow<'_, str> {
    if width(text) <= columns {
        return Cow::Borrowed(text);
    }
    if columns == 0 {
        return Cow::Borrowed("");
    }
    let (kept, _) = prefix(text, columns - 1);
    Cow::Owned(format!("{kept}…"))
}

/// `text` followed by spaces up to `columns` (std's `{:<n}` pads by characters).
pub fn pad(text: &str, columns: usize) -> String {
    let mut out = text.to_string();
    out.extend(std::iter::repeat_n(
        ' ',
        columns.saturating_sub(width(text)),
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_characters_and_emoji_take_two_columns_marks_none() {
        assert_eq!(width("mail.contoso.com"), 16);
        assert_eq!(width("東京メール"), 10);
        assert_eq!(width("📧"), 2);
        assert_eq!(width("e\u{301}"), 1, "e and a combining acute accent");
    }

    #[test]
    fn a_cjk_subject_is_cut_with_the_mark_within_the_width() {
        let subject = "CN=東京メールサーバー.contoso.co.jp";
        for columns in 5..width(subject) {
            let cut = fit(subject, columns);
            assert!(cut.ends_with('…'), "{columns}: {cut}");
            assert!(
                width(&cut) <= columns,
                "{columns}: {cut} is {}",
                width(&cut)
            );
            assert!(
                width(&cut) >= columns - 1,
                "at most one column lost to a wide char"
            );
        }
        assert_eq!(fit("CN=東京", 6), "CN=東…");
        assert_eq!(fit("CN=東京", 5), "CN=…", "東 would straddle the edge");
        assert_eq!(fit(subject, 200), subject);
        assert_eq!(fit(subject, 0), "");
    }

    #[test]
    fn an_emoji_is_cut_whole_with_the_mark() {
        assert_eq!(fit("📧📧📧", 4), "📧…");
        assert_eq!(fit("📧📧📧", 3), "📧…");
        assert_eq!(fit("📧📧📧", 6), "📧📧📧");
        assert_eq!(
            fit("ab\u{301}cd", 3),
            "ab\u{301}…",
            "the mark stays on its letter"
        );
    }

    #[test]
    fn pad_fills_to_the_display_width() {
        assert_eq!(pad("東京", 6), "東京  ");
        assert_eq!(pad("abc", 6), "abc   ");
        assert_eq!(pad("toolong", 3), "toolong");
        assert_eq!(prefix("東京x", 3), ("東", 2));
    }
}
