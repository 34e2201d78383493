//! Every screen at 80×24, 100×30, 120×40 and 200×50 shows its text whole: no word is cut
//! without a mark (`…` where a cell is cut, `↓ N more` where a pane has more), lists and
//! popups keep the selection in view, and panes get the rows their content needs.

use std::collections::HashSet;

use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyCode;
use ratatui::style::Modifier;
use relaycheck::model::Edit;
use relaycheck::tui::app::App;
use relaycheck::tui::update::Message;

use crate::kit::{self, key, keys};

const SIZES: [(u16, u16); 4] = [(80, 24), (100, 30), (120, 40), (200, 50)];

fn is_border(c: char) -> bool {
    "│┌┐└┘─├┤┬┴┼".contains(c)
}

/// The tokens of a row with their start column: runs of characters between spaces and
/// border characters.
fn tokens(row: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut start = 0;
    for (i, c) in row.chars().enumerate() {
        if c == ' ' || is_border(c) {
            if !cur.is_empty() {
                out.push((start, std::mem::take(&mut cur)));
            }
        } else {
            if cur.is_empty() {
                start = i;
            }
            cur.push(c);
        }
    }
    if !cur.is_empty() {
        out.push((start, cur));
    }
    out
}

/// Every word the state can show: from the same screen drawn very large, and from the
/// texts the report, the scenario, the lesson and the keymap hold.
fn vocabulary(app: &mut App, extra: &[String]) -> HashSet<String> {
    let (w, h) = app.size;
    let wide = kit::screen(app, 400, 200);
    app.size = (w, h);
    let mut words: HashSet<String> = wide
        .lines()
        .flat_map(|l| tokens(l).into_iter().map(|(_, t)| t))
        .collect();
    let mut texts: Vec<String> = extra.to_vec();
    let r = &app.report;
    texts.push(r.headline().into());
    for f in &r.findings {
        texts.extend([f.message.to_string(), f.fix.to_string(), f.id.to_string()]);
    }
    for m in &r.mail_flow {
        texts.extend([
            m.name.to_string(),
            m.reply.clone(),
            m.explanation.to_string(),
        ]);
    }
    texts.push(relaycheck::tui::view::summary::remediation_script(app));
    for c in &app.scenario.certificates {
        let f = &c.facts;
        texts.extend([
            f.subject.clone(),
            f.issuer.clone(),
            f.source.clone(),
            f.display_name(),
        ]);
        texts.push(f.tls_certificate_name());
        texts.extend(f.chain.clone());
        texts.extend(f.extended_key_usages.clone());
    }
    if let Some(l) = &app.lesson {
        texts.extend([
            l.lesson.story.clone(),
            l.lesson.explanation.clone(),
            l.lesson.title.clone(),
        ]);
        texts.extend(l.lesson.hints.clone());
    }
    for b in relaycheck::tui::keymap::KEYMAP {
        texts.push(b.help.to_string());
    }
    for t in texts {
        words.extend(t.split_whitespace().map(str::to_string));
    }
    // The overflow marks' own words.
    words.extend(["↑", "↓", "more"].map(str::to_string));
    words
}

/// Words cut with no sign of more: a token that is only the start of a known word, not
/// continued on the next row of the same pane, and not ending in `…`. With `only`, just
/// the tokens that touch those cells (a popup's, not the page left visible around it).
fn cut_words(
    screen: &str,
    vocab: &HashSet<String>,
    only: Option<&HashSet<(usize, usize)>>,
) -> Vec<String> {
    let rows: Vec<&str> = screen.lines().collect();
    let mut out = Vec::new();
    for (y, row) in rows.iter().enumerate() {
        let chars: Vec<char> = row.chars().collect();
        for (start, t) in tokens(row) {
            if vocab.contains(&t) || t.ends_with('…') {
                continue;
            }
            let n = t.chars().count();
            // One letter, or a number: too short to tell a cut from a word.
            if n < 2
                || t.chars()
                    .all(|c| c.is_ascii_digit() || c.is_ascii_punctuation())
            {
                continue;
            }
            if only.is_some_and(|cells| !(start..start + n).any(|x| cells.contains(&(x, y)))) {
                continue;
            }
            let Some(word) = vocab
                .iter()
                .find(|w| w.len() > t.len() && w.starts_with(&t))
            else {
                continue;
            };
            // A long word broken over rows continues at the start of the next row.
            let left = chars[..start]
                .iter()
                .rposition(|c| is_border(*c))
                .map_or(0, |i| i + 1);
            let continued = rows.get(y + 1).is_some_and(|next| {
                tokens(next)
                    .into_iter()
                    .find(|(s, _)| *s >= left)
                    .is_some_and(|(_, n)| {
                        word.starts_with(&format!("{t}{n}")) || vocab.contains(&format!("{t}{n}"))
                    })
            });
            if !continued {
                out.push(format!("row {y}: {t:?} (of {word:?})"));
            }
        }
    }
    out
}

fn check(app: &mut App, what: &str, extra: &[String]) {
    for (w, h) in SIZES {
        let screen = kit::screen(app, w, h);
        let vocab = vocabulary(app, extra);
        // With a popup open, the cells it changed (the page around it is checked alone).
        let popup = app.modal.is_some().then(|| {
            let modal = app.modal.take();
            let page = kit::screen(app, w, h);
            app.modal = modal;
            let cells: HashSet<(usize, usize)> = screen
                .lines()
                .zip(page.lines().chain(std::iter::repeat("")))
                .enumerate()
                .flat_map(|(y, (a, b))| {
                    let b: Vec<char> = b.chars().collect();
                    a.chars()
                        .enumerate()
                        .filter(move |(x, c)| b.get(*x) != Some(c))
                        .map(move |(x, _)| (x, y))
                        .collect::<Vec<_>>()
                })
                .collect();
            cells
        });
        let cut = cut_words(&screen, &vocab, popup.as_ref());
        assert!(
            cut.is_empty(),
            "{what} at {w}×{h}: cut words {cut:?}\n{screen}"
        );
    }
}

#[test]
fn no_step_cuts_a_word_without_a_mark_at_any_size() {
    for fixed in [false, true] {
        let mut a = kit::two_levels();
        if fixed {
            keys(&mut a, "2f3f");
        }
        for step in ["1", "2", "3", "4", "5"] {
            keys(&mut a, step);
            check(&mut a, &format!("step {step} (fixed: {fixed})"), &[]);
            // The findings and details panes scrolled, and the Summary's script.
            keys(
                &mut a,
                "\tjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjj",
            );
            check(
                &mut a,
                &format!("step {step} scrolled (fixed: {fixed})"),
                &[],
            );
            keys(&mut a, "\x1b");
        }
    }
    let mut demo = kit::demo();
    check(&mut demo, "the demo", &[]);
}

#[test]
fn the_on_premises_and_direct_send_screens_cut_no_word_without_a_mark() {
    use crate::displays::{DIRECT_SEND, ONPREM, app_in};
    let dir = tempfile::tempdir().unwrap();
    let mut onprem = app_in(dir.path(), ONPREM);
    for (step, more) in [("1", ""), ("1", "j"), ("3", ""), ("5", "")] {
        keys(&mut onprem, step);
        keys(&mut onprem, more);
        check(&mut onprem, &format!("on premises, step {step}{more}"), &[]);
        keys(&mut onprem, "\tjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjj");
        check(
            &mut onprem,
            &format!("on premises, step {step}{more} scrolled"),
            &[],
        );
        keys(&mut onprem, "\x1b");
    }
    // While a file loads (a long path included).
    relaycheck::tui::dispatch(
        &mut onprem,
        Message::LoadStarted {
            id: 7,
            what: "/srv/exports/certificates/2026-renewal/mail.contoso.com-with-chain.pfx".into(),
        },
    );
    check(&mut onprem, "loading a file", &[]);
    let other = tempfile::tempdir().unwrap();
    let mut direct = app_in(other.path(), DIRECT_SEND);
    for toggled in [false, true] {
        if toggled {
            keys(&mut direct, "2r");
        }
        for step in ["2", "4"] {
            keys(&mut direct, step);
            check(
                &mut direct,
                &format!("Direct Send (RejectDirectSend {toggled}), step {step}"),
                &[],
            );
        }
    }
}

#[test]
fn no_popup_cuts_a_word_without_a_mark_at_any_size() {
    let cases: &[(&str, &str)] = &[
        ("help", "?"),
        ("help, last page", "?\x1b[F"),
        ("choices", "3c"),
        ("add a domain", "2a"),
        ("TlsSenderCertificateName", "3jjj\n"),
        ("an error in a form", "2abad domain\n"),
        ("generate", "1g"),
        ("quit?", "2fq"),
    ];
    for (what, k) in cases {
        let mut a = kit::two_levels();
        if k.ends_with("[F") {
            keys(&mut a, "?");
            key(&mut a, KeyCode::End);
        } else {
            keys(&mut a, k);
        }
        check(&mut a, what, &[]);
    }
}

#[test]
fn no_lesson_screen_cuts_a_word_without_a_mark_at_any_size() {
    let mut list = kit::train(None);
    check(&mut list, "the lesson list", &[]);
    for id in ["1", "6", "9"] {
        let mut a = kit::train(Some(id));
        check(&mut a, &format!("lesson {id} introduction"), &[]);
        keys(&mut a, "\nhhh");
        check(&mut a, &format!("lesson {id} hints"), &[]);
        keys(&mut a, "\x1b");
        for step in ["1", "2", "3", "4", "5"] {
            keys(&mut a, step);
            check(&mut a, &format!("lesson {id} step {step}"), &[]);
        }
    }
    let mut done = kit::train(Some("6"));
    keys(&mut done, "\n2f3f");
    check(&mut done, "lesson complete", &[]);
    // The presenter line, before any change, with one change, and with a change whose
    // commands need more rows than the line has (lesson 3's new domain).
    let mut shown = kit::train(Some("3"));
    keys(&mut shown, "\np");
    check(&mut shown, "presenter, no change yet", &[]);
    keys(&mut shown, "2f");
    for step in ["1", "2", "3", "4", "5"] {
        keys(&mut shown, step);
        check(&mut shown, &format!("presenter on step {step}"), &[]);
    }
    let mut other = kit::train(Some("9"));
    keys(&mut other, "\n");
    let solution = other.lesson.as_ref().map(|l| l.lesson.solution.clone());
    for e in solution.unwrap_or_default() {
        relaycheck::tui::dispatch(&mut other, Message::Edit(e));
    }
    check(&mut other, "lesson complete next to the plan's answer", &[]);
}

/// The rows right of the step list that are drawn as selected.
fn selected_rows(b: &Buffer) -> usize {
    (4..b.area.height.saturating_sub(1))
        .filter(|y| {
            (20..b.area.width.saturating_sub(2))
                .any(|x| b[(x, *y)].modifier.contains(Modifier::REVERSED))
        })
        .count()
}

#[test]
fn the_certificate_and_message_lists_keep_the_highlighted_row_in_view() {
    let mut a = kit::two_levels();
    let entry = a.scenario.certificates[0].clone();
    relaycheck::tui::dispatch(
        &mut a,
        Message::Edit(Edit::AddCertificates(vec![entry; 29])),
    );
    keys(&mut a, "1");
    for _ in 0..25 {
        keys(&mut a, "j");
    }
    assert_eq!(a.cert_row, 25);
    let b = kit::buffer(&mut a, 80, 24);
    let s = kit::text(&b);
    assert_eq!(
        selected_rows(&b),
        1,
        "the highlighted certificate is drawn:\n{s}"
    );
    assert!(
        s.contains("↑ ") && s.contains("↓ "),
        "the list says there is more:\n{s}"
    );

    let m = a.scenario.messages[0].clone();
    for _ in 0..26 {
        relaycheck::tui::dispatch(&mut a, Message::Edit(Edit::AddMessage(m.clone())));
    }
    keys(&mut a, "4");
    for _ in 0..27 {
        keys(&mut a, "j");
    }
    let b = kit::buffer(&mut a, 80, 24);
    let s = kit::text(&b);
    assert_eq!(a.message_row, 27);
    assert_eq!(
        selected_rows(&b),
        1,
        "the highlighted message is drawn:\n{s}"
    );
}

#[test]
fn the_choices_popup_scrolls_with_the_selection() {
    let mut a = kit::two_levels();
    keys(&mut a, "1g\t");
    let sans: Vec<String> = (1..=14).map(|i| format!("h{i}.s{i}.contoso.com")).collect();
    key(&mut a, KeyCode::Char('u'));
    for _ in 0..200 {
        key(&mut a, KeyCode::Backspace);
    }
    keys(&mut a, &sans.join(", "));
    keys(&mut a, "\n");
    let last = a.scenario.certificates.len() - 1;
    for _ in 0..last {
        keys(&mut a, "j");
    }
    keys(&mut a, "\n3c");
    let n = match &a.modal {
        Some(relaycheck::tui::app::Modal::Choices(c)) => c.items.len(),
        other => panic!("{other:?}"),
    };
    assert!(n > 20, "{n} choices");
    for _ in 0..n {
        keys(&mut a, "j");
    }
    let b = kit::buffer(&mut a, 80, 24);
    let s = kit::text(&b);
    assert!(s.contains("↑ "), "the popup says there is more above:\n{s}");
    let last_value = match &a.modal {
        Some(relaycheck::tui::app::Modal::Choices(c)) => c.items[c.selected].0.clone(),
        _ => unreachable!(),
    };
    assert!(
        s.contains(&format!("▶ {last_value}")),
        "the selected choice is drawn:\n{s}"
    );
}

/// The time to draw step 1 with `n` certificates, the 5,000th (or last) highlighted.
fn frame_time(n: usize) -> std::time::Duration {
    let mut a = kit::two_levels();
    let entry = a.scenario.certificates[0].clone();
    relaycheck::tui::dispatch(
        &mut a,
        Message::Edit(Edit::AddCertificates(vec![entry; n - 1])),
    );
    keys(&mut a, "1");
    a.cert_row = (n - 1).min(5_000);
    kit::buffer(&mut a, 120, 40);
    let started = std::time::Instant::now();
    for _ in 0..5 {
        kit::buffer(&mut a, 120, 40);
    }
    started.elapsed() / 5
}

#[test]
fn ten_thousand_certificates_draw_as_fast_as_ten() {
    // Only the rows in view are built: the list's length costs (almost) nothing.
    let few = frame_time(10);
    let many = frame_time(10_000);
    assert!(
        many < few * 4 + std::time::Duration::from_millis(30),
        "10 certificates: {few:?} a frame, 10,000: {many:?}"
    );
}

#[test]
fn panes_give_their_rows_to_content() {
    // 120×40, step 1: the findings are shown whole, not five lines and blanks.
    let mut a = kit::two_levels();
    let s = kit::screen(&mut a, 120, 40);
    let fix = &a
        .report
        .findings_for(relaycheck::checks::Step::Certificate)
        .next()
        .unwrap()
        .fix
        .clone();
    for word in fix.split_whitespace() {
        assert!(s.contains(word), "the fix is shown whole ({word}):\n{s}");
    }
    let findings_top = s.lines().position(|l| l.contains("Findings (")).unwrap();
    let below: Vec<&str> = s.lines().skip(findings_top).collect();
    assert!(!below.iter().any(|l| l.contains("more ┘")), "{s}");
}

#[test]
fn step_3_shows_what_hcw_writes_and_the_recommendation_at_80x24() {
    let mut a = kit::two_levels();
    keys(&mut a, "3");
    let s = kit::screen(&mut a, 80, 24);
    assert!(
        s.contains("HCW would write hostname.subdomain.contoso.com"),
        "{s}"
    );
    assert!(s.contains("Recommended *.subdomain.contoso.com"), "{s}");
}

#[test]
fn the_summary_powershell_keeps_its_indentation_and_c_copies_it_whole() {
    let mut a = kit::two_levels();
    keys(&mut a, "5");
    for _ in 0..200 {
        keys(&mut a, "j");
    }
    let s = kit::screen(&mut a, 80, 24);
    let rows: Vec<&str> = s.lines().collect();
    let at = rows
        .iter()
        .position(|l| l.contains("Set-InboundConnector"))
        .unwrap_or_else(|| panic!("the script is in view:\n{s}"));
    let inside = |l: &str| l.split('│').nth(2).unwrap_or("").to_string();
    let first = inside(rows[at]);
    let next = inside(rows[at + 1]);
    let indent = |t: &str| t.chars().take_while(|c| *c == ' ').count();
    assert!(
        indent(&next) > indent(&first),
        "a wrapped line stays indented:\n{s}"
    );
    let effects = relaycheck::tui::press(
        &mut a,
        ratatui::crossterm::event::KeyEvent::new(
            KeyCode::Char('c'),
            ratatui::crossterm::event::KeyModifiers::NONE,
        ),
    );
    assert_eq!(
        effects,
        vec![relaycheck::tui::update::Effect::Copy(
            relaycheck::tui::view::summary::remediation_script(&a)
        )],
        "c copies the script itself, not the wrapped lines"
    );
}
