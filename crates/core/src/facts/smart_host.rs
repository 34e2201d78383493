//! Where a send connector's smart host is: a tenant's Exchange Online endpoint, a legacy
//! Microsoft host that answers ATTR35, or anything else (domain-rules.md §11).

use serde::Serialize;

/// Where a smart host is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SmartHostKind {
    /// A tenant's endpoint: `<x>.mail.protection.outlook.com`, or under `mx.microsoft`
    /// (MX hosts of accepted domains added from July 2026, MC1048624).
    ExchangeOnline,
    /// A Microsoft host that is not a tenant's endpoint (`smtp.office365.com`, the bare
    /// `mail.protection.outlook.com`, the legacy `mail.messaging.microsoft.com`,
    /// `mail.global.frontbridge.com`, `mail.eo.outlook.com`): Exchange Online
    /// answers `451 4.4.62 Mail sent to the wrong Office 365 region. ATTR35`.
    MicrosoftLegacy,
    /// Anything else, an IP address included.
    Other,
}

/// One smart host of a send connector, judged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmartHost {
    /// As written.
    pub host: String,
    pub kind: SmartHostKind,
}

/// Classifies a smart host (a name or an IP address, perhaps in brackets).
pub fn smart_host_kind(host: &str) -> SmartHostKind {
    let h = host.trim().trim_start_matches('[').trim_end_matches(']');
    if h.parse::<std::net::IpAddr>().is_ok() {
        return SmartHostKind::Other;
    }
    let h = crate::names::normalize(h);
    let under = |suffix: &str| {
        h.strip_suffix(suffix)
            .is_some_and(|rest| rest.len() > 1 && rest.ends_with('.'))
    };
    if under("mail.protection.outlook.com") || under("mx.microsoft") {
        return SmartHostKind::ExchangeOnline;
    }
    let microsoft = [
        "mail.protection.outlook.com",
        "mx.microsoft",
        "outlook.com",
        "office365.com",
        "messaging.microsoft.com",
        "frontbridge.com",
    ];
    if microsoft.iter().any(|m| h == *m || under(m)) {
        SmartHostKind::MicrosoftLegacy
    } else {
        SmartHostKind::Other
    }
}
