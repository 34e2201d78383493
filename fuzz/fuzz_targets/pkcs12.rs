//! The PKCS#12 reader with the empty password (and without one): every file is refused or
//! read within the work caps, never a panic, a hang or unbounded memory.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = relaycheck::import::pkcs12::is_pkcs12(data);
    let _ = relaycheck::import::pkcs12::read(data, Some(""));
    let _ = relaycheck::import::pkcs12::read(data, None);
});
