//! docs/probe.md names every finding id the probes can give.

#[test]
fn every_probe_finding_id_is_documented() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(root.join("docs/probe.md")).unwrap();
    let mut ids = Vec::new();
    for entry in std::fs::read_dir(root.join("crates/io/src/probe")).unwrap() {
        let code = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for piece in code.split("\"probe-").skip(1) {
            let id: String = piece
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || *c == '-')
                .collect();
            ids.push(format!("probe-{id}"));
        }
    }
    assert!(ids.len() >= 8, "{ids:?}");
    for id in ids {
        assert!(
            doc.contains(&format!("`{id}`")),
            "docs/probe.md does not name {id}"
        );
    }
}
