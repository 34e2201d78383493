//! Scenario YAML: `scenario::parse` on any text (after the same decoding the reader does).
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = Path::new("fuzz.yaml");
    if let Ok(text) = relaycheck::scenario::decode(path, data) {
        let _ = relaycheck::scenario::parse(path, &text);
    }
});
