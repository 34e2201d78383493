//! Text files as Windows PowerShell and everything else write them: UTF-8 with or without
//! a byte-order mark, and UTF-16 (LE, as `>` writes in Windows PowerShell 5.1, or BE) with one.

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
}
