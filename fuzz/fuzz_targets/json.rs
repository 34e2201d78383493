//! Every ConvertTo-Json importer on the same text: accepted domains, domain status, inbound
//! and outbound connectors (and the organisation FQDN read from the latter).
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use relaycheck::import::json;

fuzz_target!(|data: &[u8]| {
    let Some(text) = relaycheck::text::decode(data) else {
        return;
    };
    let path = Path::new("fuzz.json");
    let _ = json::accepted_domains(path, &text);
    let _ = json::domain_status(path, &text);
    let mut notes = Vec::new();
    let _ = json::inbound_connectors(path, &text, &mut notes);
    if let Ok(outbound) = json::outbound_connectors(path, &text) {
        let _ = json::organization_fqdn(path, &outbound, &mut notes);
    }
});
