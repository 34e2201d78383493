//! Themes: light and high-contrast paint their own background and foreground on every cell
//! (nothing left to the terminal's defaults) with a contrast of at least 7:1 (WCAG AAA)
//! between every text colour and every background it can be drawn on.

use ratatui::style::Color;
use relaycheck::tui::theme::{Theme, ThemeName, contrast};

use crate::kit::{self, keys};

const OWN_COLOURS: [ThemeName; 2] = [ThemeName::Light, ThemeName::HighContrast];

#[test]
fn every_text_colour_has_7_to_1_on_every_background_it_is_drawn_on() {
    for name in OWN_COLOURS {
        let t = Theme::new(name);
        let (Some(base_fg), Some(base_bg)) = (t.base.fg, t.base.bg) else {
            panic!("{name:?} paints its own background and foreground")
        };
        // Rows can be selected; any span may sit on the selection's background.
        let selected_bg = t.selected.bg.unwrap_or(base_bg);
        for (what, s) in t.styles() {
            let fg = s.fg.unwrap_or(base_fg);
            let pairs: Vec<(Color, &str)> = match s.bg {
                Some(own) => vec![(own, "its own")],
                None => vec![(base_bg, "the base"), (selected_bg, "the selected")],
            };
            for (bg, which) in pairs {
                let ratio = contrast(fg, bg).expect("RGB colours");
                assert!(
                    ratio >= 7.0,
                    "{name:?}: {what} {fg:?} on {which} background {bg:?} is {ratio:.2}:1"
                );
            }
        }
    }
}

#[test]
fn the_contrast_formula_is_wcags() {
    let white = Color::Rgb(255, 255, 255);
    let black = Color::Rgb(0, 0, 0);
    assert!((contrast(white, black).unwrap() - 21.0).abs() < 0.01);
    assert!((contrast(Color::Rgb(0x76, 0x76, 0x76), white).unwrap() - 4.54).abs() < 0.02);
    // Named colours count at xterm's values: bright white on white is 1:1.
    assert!(contrast(Color::White, white).unwrap() < 1.01);
}

fn painted_everywhere(app: &mut relaycheck::tui::app::App, what: &str) {
    let b = kit::buffer(app, 100, 30);
    for y in 0..b.area.height {
        for x in 0..b.area.width {
            let c = &b[(x, y)];
            assert!(
                matches!(c.fg, Color::Rgb(..)) && matches!(c.bg, Color::Rgb(..)),
                "{what}: cell {x},{y} {:?} has fg {:?} bg {:?}",
                c.symbol(),
                c.fg,
                c.bg
            );
        }
    }
}

#[test]
fn light_and_high_contrast_paint_every_cell() {
    for name in OWN_COLOURS {
        for (what, k) in [
            ("step 1", "1"),
            ("step 2", "2"),
            ("step 3", "3"),
            ("step 4", "4"),
            ("step 5", "5"),
            ("help", "?"),
            ("choices", "3c"),
            ("a form", "2a"),
            ("a question", "2fq"),
        ] {
            let mut a = kit::two_levels();
            a.theme = Theme::new(name);
            keys(&mut a, k);
            painted_everywhere(&mut a, &format!("{name:?} {what}"));
        }
        let mut l = kit::train(Some("6"));
        l.theme = Theme::new(name);
        painted_everywhere(&mut l, &format!("{name:?} lesson intro"));
        keys(&mut l, "\nh");
        painted_everywhere(&mut l, &format!("{name:?} hints"));
        let mut small = kit::two_levels();
        small.theme = Theme::new(name);
        let b = kit::buffer(&mut small, 60, 20);
        assert!(
            b.content.iter().all(|c| matches!(c.bg, Color::Rgb(..))),
            "too small"
        );
    }
}
