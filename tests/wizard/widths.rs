//! Display width on screen: a certificate whose subject is Japanese (two columns a
//! character) or holds emoji is cut with `…` inside its column of the certificate list, and
//! the columns after it start where the header says.

use std::sync::Arc;

use ratatui::buffer::Buffer;
use relaycheck::model::{CertificateEntry, CertificateSource, GenerateSpec};
use relaycheck::tui::app::App;
use relaycheck::tui::update::Message;

use crate::kit;

fn with_certificate(cn: &str) -> App {
    let mut a = kit::two_levels();
    let spec: GenerateSpec =
        serde_yaml::from_str(&format!("{{cn: \"{cn}\", sans: [mail.contoso.com]}}")).unwrap();
    let facts = relaycheck::lab::generate_facts(&spec, crate::support::now()).unwrap();
    relaycheck::tui::dispatch(
        &mut a,
        Message::CertificatesAdded(Ok(vec![CertificateEntry {
            source: CertificateSource::Generated(spec),
            facts: Arc::new(facts),
        }])),
    );
    a
}

/// The row that holds `text` (cells joined).
fn row_with(b: &Buffer, text: &str) -> u16 {
    (0..b.area.height)
        .find(|&y| {
            let line: String = (0..b.area.width).map(|x| b[(x, y)].symbol()).collect();
            line.contains(text)
        })
        .unwrap_or_else(|| panic!("no row with {text:?}:\n{}", kit::text(b)))
}

fn check_cut_within_column(cn: &str, first: &str) {
    let mut a = with_certificate(cn);
    let b = kit::buffer(&mut a, 100, 30);
    let header = (0..b.area.height)
        .find(|&y| {
            kit::text(&b)
                .lines()
                .nth(usize::from(y))
                .is_some_and(|l| l.contains("Expires"))
        })
        .unwrap();
    let expires_x = (0..b.area.width)
        .find(|&x| b[(x, header)].symbol() == "E" && b[(x + 1, header)].symbol() == "x")
        .unwrap();
    let y = row_with(&b, first);
    // The mark is in the certificate's own column, before the expiry's.
    let mark = (0..expires_x)
        .find(|&x| b[(x, y)].symbol() == "…")
        .unwrap_or_else(|| panic!("no … before column {expires_x}:\n{}", kit::text(&b)));
    // The expiry of the same row starts under the header.
    let days = (0..b.area.width)
        .find(|&x| b[(x, y)].symbol() == "d" && b[(x.saturating_sub(1), y)].symbol() == " ")
        .unwrap();
    assert!(days > mark, "{}", kit::text(&b));
    let expiry_text: String = (expires_x..days + 1).map(|x| b[(x, y)].symbol()).collect();
    assert!(
        expiry_text
            .trim_start()
            .chars()
            .next()
            .unwrap()
            .is_ascii_digit(),
        "the expiry starts under Expires: {expiry_text:?}\n{}",
        kit::text(&b)
    );
    assert_eq!(
        b[(expires_x, y)]
            .symbol()
            .chars()
            .next()
            .map(|c| c.is_ascii_digit()),
        Some(true),
        "the expiry column is aligned:\n{}",
        kit::text(&b)
    );
}

#[test]
fn a_japanese_subject_is_cut_with_the_mark_inside_its_column() {
    check_cut_within_column(
        "東京メールサーバー東京メールサーバー東京メールサーバー.contoso.co.jp",
        "東",
    );
}

#[test]
fn an_emoji_subject_is_cut_with_the_mark_inside_its_column() {
    check_cut_within_column(
        "📧📧📧📧📧📧📧📧📧📧📧📧📧📧📧📧📧📧📧📧📧📧📧📧.contoso.com",
        "📧",
    );
}
