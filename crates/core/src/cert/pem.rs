//! PEM and Base64 text, as Windows and OpenSSL write it: CRLF, headers inside blocks, and
//! unrelated blocks (or garbage) between them.

use data_encoding::BASE64;
use zeroize::Zeroizing;

/// One `-----BEGIN X-----` … `-----END X-----` block.
#[derive(Debug, Clone)]
pub struct Block {
    pub label: String,
    /// `Proc-Type: 4,ENCRYPTED` was among the block's headers.
    pub encrypted: bool,
    /// The decoded bytes, or why they could not be decoded.
    /// Zeroised when dropped: key blocks are secrets.
    pub data: Result<Zeroizing<Vec<u8>>, String>,
}

/// All PEM blocks of a text, in order. Lines outside blocks are ignored; a block without
/// an END line is reported as cut off.
pub fn blocks(text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let Some(label) = line
            .trim()
            .strip_prefix("-----BEGIN ")
            .and_then(|l| l.strip_suffix("-----"))
        else {
            continue;
        };
        let mut body = Zeroizing::new(String::new());
        let mut encrypted = false;
        let mut ended = false;
        for inner in lines.by_ref() {
            let inner = inner.trim();
            if inner.starts_with("-----END ") {
                ended = true;
                break;
            }
            if let Some((name, value)) = inner.split_once(':') {
                if name.eq_ignore_ascii_case("Proc-Type") && value.contains("ENCRYPTED") {
                    encrypted = true;
                }
                continue;
            }
            body.push_str(inner);
        }
        let data = if !ended {
            Err("the PEM block is cut off (no END line)".to_string())
        } else {
            BASE64
                .decode(body.as_bytes())
                .map(Zeroizing::new)
                .map_err(|_| "the PEM block is not valid Base64".to_string())
        };
        out.push(Block {
            label: label.to_string(),
            encrypted,
            data,
        });
    }
    out
}

/// A `.cer` saved as "Base-64 encoded X.509" without PEM lines: only Base64 characters.
pub fn decode_bare_base64(text: &str) -> Option<Vec<u8>> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.len() < 16 {
        return None;
    }
    BASE64
        .decode(compact.as_bytes())
        .ok()
        .filter(|d| d.first() == Some(&0x30))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_blocks_skips_headers_and_reports_cut_blocks() {
        let text = "junk\r\n-----BEGIN CERTIFICATE-----\r\nAAEC\r\n-----END CERTIFICATE-----\r\n\
                    -----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES\n\nAAEC\n-----END RSA PRIVATE KEY-----\n\
                    -----BEGIN CERTIFICATE-----\nAAEC\n";
        let b = blocks(text);
        assert_eq!(b.len(), 3);
        assert_eq!(b[0].label, "CERTIFICATE");
        assert_eq!(b[0].data.as_deref(), Ok(&vec![0, 1, 2]));
        assert!(b[1].encrypted);
        assert_eq!(b[1].data.as_deref(), Ok(&vec![0, 1, 2]));
        assert!(b[2].data.is_err());
    }

    #[test]
    fn bad_base64_is_an_error_not_a_panic() {
        let b = blocks("-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n");
        assert_eq!(
            b[0].data.as_deref(),
            Err(&"the PEM block is not valid Base64".to_string())
        );
    }
}
