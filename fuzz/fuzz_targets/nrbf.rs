//! The .NET binary serialisation (MS-NRBF) reader behind Export-Clixml's SerializationData:
//! a stream, a refusal, or a limit, never a panic, a hang or unbounded memory.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = relaycheck::import::fuzz_nrbf(data);
});
