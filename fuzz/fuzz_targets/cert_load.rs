//! `cert::load` on any bytes (PEM, DER, Base64 `.cer`, with or without a key block): an
//! error or facts, never a panic or a hang. Half of the input is also tried as a key file.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = relaycheck::cert::load("fuzz.pem", data, None);
    if let Some((&split, rest)) = data.split_first() {
        let at = (split as usize).min(rest.len());
        let (cert, key) = rest.split_at(at);
        let _ = relaycheck::cert::load("fuzz.pem", cert, Some(key));
    }
});
