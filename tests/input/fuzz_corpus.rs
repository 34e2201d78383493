//! The fuzzers' minimised corpus (`fuzz/corpus/<target>/`, docs/fuzzing.md) replayed through
//! the same calls as the fuzz targets, in the normal test build: every input the fuzzers
//! ever kept must still give an answer or an error, never a panic. Inputs that once crashed
//! a reader are kept here too, named after what they broke.

use std::path::{Path, PathBuf};

use relaycheck::import::{clixml, json, pkcs12};
use relaycheck::model::IpRange;
use relaycheck::names::{self, DnsName, EmailAddress, Tscn};

fn corpus(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "{} is empty", dir.display());
    files
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect()
}

#[test]
fn certificate_loading_answers_every_kept_input() {
    for (_, data) in corpus("cert_load") {
        let _ = relaycheck::cert::load("fuzz.pem", &data, None);
        if let Some((&split, rest)) = data.split_first() {
            let (cert, key) = rest.split_at((split as usize).min(rest.len()));
            let _ = relaycheck::cert::load("fuzz.pem", cert, Some(key));
        }
        relaycheck::cert::load_each("fuzz.pem", &data, None, |_, _| {});
    }
}

#[test]
fn pkcs12_answers_every_kept_input() {
    for (_, data) in corpus("pkcs12") {
        let _ = pkcs12::is_pkcs12(&data);
        let _ = pkcs12::read(&data, Some(""));
        let _ = pkcs12::read(&data, None);
    }
}

#[test]
fn scenario_parsing_answers_every_kept_input() {
    let path = Path::new("fuzz.yaml");
    for (_, data) in corpus("scenario") {
        if let Ok(text) = relaycheck::scenario::decode(path, &data) {
            let _ = relaycheck::scenario::parse(path, &text);
        }
    }
}

#[test]
fn convertto_json_importers_answer_every_kept_input() {
    let path = Path::new("fuzz.json");
    for (_, data) in corpus("json") {
        let Some(text) = relaycheck::text::decode(&data) else {
            continue;
        };
        let _ = json::accepted_domains(path, &text);
        let _ = json::domain_status(path, &text);
        let mut notes = Vec::new();
        let _ = json::inbound_connectors(path, &text, &mut notes);
        if let Ok(outbound) = json::outbound_connectors(path, &text) {
            let _ = json::organization_fqdn(path, &outbound, &mut notes);
        }
    }
}

#[test]
fn clixml_readers_answer_every_kept_input() {
    let path = Path::new("fuzz.xml");
    for (_, data) in corpus("clixml") {
        let Some(text) = relaycheck::text::decode(&data) else {
            continue;
        };
        let _ = clixml::is_clixml(&text);
        let _ = clixml::certificates(path, &text);
        let _ = clixml::accepted_domains(path, &text);
        let _ = clixml::unescape(&text);
        let _ = clixml::parse_services(&text);
    }
}

#[test]
fn nrbf_answers_every_kept_input() {
    for (_, data) in corpus("nrbf") {
        let _ = relaycheck::import::fuzz_nrbf(&data);
    }
}

#[test]
fn name_parsers_answer_every_kept_input() {
    for (_, data) in corpus("names") {
        let Ok(text) = std::str::from_utf8(&data) else {
            continue;
        };
        let (a, b) = text.split_once('\n').unwrap_or((text, text));
        if let Ok(d) = DnsName::parse(text) {
            let _ = (d.parent(), d.label_count());
        }
        if let Ok(t) = Tscn::parse(text) {
            let _ = (t.base(), t.matches_cert_name(b));
        }
        if let Ok(e) = EmailAddress::parse(text) {
            let _ = e.domain();
        }
        if let Ok(r) = text.parse::<IpRange>() {
            let _ = (r.problem(), r.contains("203.0.113.10".parse().unwrap()));
        }
        let _ = (names::normalize(text), names::base(text));
        let _ = names::classify_presented(a);
        let _ = names::cert_name_matches_host(a, b);
        let _ = names::certificate_matches_host(Some(a), &[b.to_string()], false, a);
    }
}

/// What a wizard fuzz input means: the same file the fuzz target reads.
#[path = "../../fuzz/wizard_input.rs"]
mod wizard_input;
use wizard_input::event;

/// Keys replayed from the wizard's corpus in one test run: a key costs a validation and a
/// draw in the debug build (about 3 ms), so the shortest sequences go first and the replay
/// stops after this many keys.
const WIZARD_KEYS: usize = 4000;

#[test]
fn the_wizard_survives_the_kept_key_sequences() {
    let now = crate::support::now();
    let (_, demo) = relaycheck::tui::demo::load(now).unwrap();
    let mut sequences = corpus("wizard");
    sequences.sort_by_key(|(p, d)| (d.len(), p.clone()));
    let mut budget = WIZARD_KEYS;
    for (path, data) in sequences {
        if budget == 0 {
            break;
        }
        let (mut app, mut terminal, keys) = wizard_input::start(demo.clone(), now, &data);
        for &b in keys.iter().take(200.min(budget)) {
            budget -= 1;
            let _ = relaycheck::tui::press(&mut app, event(b));
            terminal
                .draw(|f| relaycheck::tui::view::view(&app, f))
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            if app.should_quit {
                break;
            }
        }
    }
}

#[test]
fn powershell_quoting_keeps_every_kept_input_one_token() {
    use crate::support::ps::tokens::{literal_problem, value_problem};
    use relaycheck::action::{ConnectorSetting, FixAction, Part, ps_quote};
    for (path, data) in corpus("ps_quote") {
        let Ok(text) = std::str::from_utf8(&data) else {
            continue;
        };
        let clean = relaycheck::text::clean_line(text);
        if let Some(problem) = literal_problem(&ps_quote(text), &clean) {
            panic!("{}: {problem}", path.display());
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
            if let Some(problem) = value_problem(&line, &clean) {
                panic!("{}: {problem}\n{line}", path.display());
            }
        }
    }
}
