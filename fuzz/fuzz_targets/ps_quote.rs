//! PowerShell quoting on any text: `ps_quote` must give one literal string token, on one
//! line, whose value is the cleaned text, by PowerShell's tokenizer rules (fuzz/ps_tokens.rs,
//! the file tests/support/ps.rs reads too); and the text as a connector's name, its new name
//! and its TlsSenderCertificateName in the Set-InboundConnector line the real action code
//! builds (with -WhatIf) must stay one token each, with nothing that ends the command.
#![no_main]

use libfuzzer_sys::fuzz_target;
use relaycheck::action::{ConnectorSetting, FixAction, Part, ps_quote};

#[path = "../ps_tokens.rs"]
mod ps_tokens;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let clean = relaycheck::text::clean_line(text);
    if let Some(problem) = ps_tokens::literal_problem(&ps_quote(text), &clean) {
        panic!("{text:?}: {problem}");
    }
    let action = FixAction::SetInboundConnector {
        connector: text.to_string(),
        settings: vec![
            ConnectorSetting::Name(text.to_string()),
            ConnectorSetting::TlsSenderCertificateName(Some(text.to_string())),
        ],
    };
    for line in action.commands(Part::ExchangeOnline, false) {
        let line = format!("{line} -WhatIf");
        if let Some(problem) = ps_tokens::value_problem(&line, &clean) {
            panic!("{text:?}: {problem}\n{line}");
        }
    }
});
