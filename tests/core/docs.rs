//! The documentation says what the code does: every key of the keymap is in docs/wizard.md,
//! every check id in docs/checks.md, and the documented lesson edits parse.

use std::path::Path;

fn read(doc: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(doc))
        .unwrap_or_else(|e| panic!("{doc}: {e}"))
}

#[test]
fn every_key_is_documented_in_wizard_md() {
    let doc = read("docs/wizard.md");
    for b in relaycheck::tui::keymap::KEYMAP {
        let row = format!("| `{}` | {} |", b.label, b.help);
        assert!(doc.contains(&row), "docs/wizard.md lacks the row {row}");
    }
}

#[test]
fn every_check_id_is_documented_in_checks_md() {
    let doc = read("docs/checks.md");
    for id in relaycheck::checks::CheckId::ALL {
        assert!(
            doc.contains(&format!("`{id}`")),
            "docs/checks.md does not explain {id}"
        );
    }
}

#[test]
fn the_documented_lesson_edits_parse() {
    let doc = read("docs/training.md");
    let start = doc.find("```yaml\nsolution:\n").expect("the edits block");
    let block = &doc[start + "```yaml\nsolution:\n".len()..];
    let block = &block[..block.find("```").unwrap()];
    let edits = relaycheck::model::edit::parse_edits(block).expect("every documented edit parses");
    assert_eq!(
        edits.len(),
        block
            .lines()
            .filter(|l| l.trim_start().starts_with("- "))
            .count()
    );
}

#[test]
fn the_readme_gives_the_two_commands() {
    let readme = read("README.md");
    assert!(readme.contains("```sh\ncargo run --release\n```"));
    assert!(readme.contains("```sh\ncargo test\n```"));
    let ci = read(".ci/run");
    assert!(
        ci.lines().any(|l| l.trim() == "cargo test"),
        ".ci/run runs the README's test command"
    );
}
