//! Export-Clixml: the certificate and accepted-domain readers (with the NRBF blob inside
//! SerializationData), and the small text helpers they use.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use relaycheck::import::clixml;

fuzz_target!(|data: &[u8]| {
    let Some(text) = relaycheck::text::decode(data) else {
        return;
    };
    let path = Path::new("fuzz.xml");
    let _ = clixml::is_clixml(&text);
    let _ = clixml::certificates(path, &text);
    let _ = clixml::accepted_domains(path, &text);
    let _ = clixml::unescape(&text);
    let _ = clixml::parse_services(&text);
});
