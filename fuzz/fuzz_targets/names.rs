//! The name parsers on any text: DNS names, TlsSenderCertificateName, e-mail addresses,
//! SenderIPAddresses entries, and the matchers on what they accept.
#![no_main]

use libfuzzer_sys::fuzz_target;
use relaycheck::model::IpRange;
use relaycheck::names::{self, DnsName, EmailAddress, Tscn};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // The text, and the text split in two at the first newline: a presented name and a host.
    let (a, b) = text.split_once('\n').unwrap_or((text, text));
    let dns = DnsName::parse(text);
    if let Ok(d) = &dns {
        let _ = d.parent();
        let _ = d.label_count();
    }
    if let Ok(t) = Tscn::parse(text) {
        let _ = t.base();
        let _ = t.matches_cert_name(b);
    }
    if let Ok(e) = EmailAddress::parse(text) {
        let _ = e.domain();
    }
    if let Ok(r) = text.parse::<IpRange>() {
        let _ = r.problem();
        let _ = r.contains("203.0.113.10".parse().expect("an address"));
    }
    let _ = names::normalize(text);
    let _ = names::base(text);
    let _ = names::classify_presented(a);
    let _ = names::cert_name_matches_host(a, b);
    let _ = names::certificate_matches_host(Some(a), &[b.to_string()], false, a);
});
