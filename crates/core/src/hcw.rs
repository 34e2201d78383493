//! Rule HCW-TSCN (docs/checks.md, "What HCW writes"): the TlsSenderCertificateName the
//! Hybrid Configuration Wizard writes for a certificate, whether it warns (HCW8103), and
//! which domain to add so that it stops warning.

use serde::Serialize;

use crate::cert::CertFacts;
use crate::model::{DomainStatus, Tenant};
use crate::names;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum HcwCase {
    /// base(CN) is a verified accepted domain: TSCN = CN.
    NameAccepted,
    /// The CN is a host directly under a verified accepted domain: TSCN = `*.` + parent.
    ParentAccepted,
    /// Neither: HCW8103, TSCN = CN.
    NotAccepted,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HcwOutcome {
    /// The certificate name HCW read (the subject CN, or the first DNS SAN).
    pub certificate_name: String,
    pub tls_sender_certificate_name: String,
    pub case: HcwCase,
    /// The HCW8103 text, exactly, when HCW warns.
    pub warning: Option<String>,
}

/// The HCW8103 warning text for a certificate name.
pub fn hcw8103(cn: &str) -> String {
    format!(
        "HCW8103 The certificate provided ({cn}) does not match a verified domain inside the Office 365 tenant."
    )
}

/// Applies rule HCW-TSCN to a certificate; `None` when it has neither a CN nor a DNS SAN.
pub fn hcw_tscn(cert: &CertFacts, domains: &Tenant) -> Option<HcwOutcome> {
    let cn = cert.hcw_name()?;
    let normalized = names::normalize(&cn);
    let n = names::base(&normalized);
    let (case, tscn) = if domains.is_verified(n) {
        (HcwCase::NameAccepted, cn.clone())
    } else if let Some(parent) =
        names::parent(n).filter(|p| !normalized.contains('*') && domains.is_verified(p))
    {
        (HcwCase::ParentAccepted, format!("*.{parent}"))
    } else {
        (HcwCase::NotAccepted, cn.clone())
    };
    let warning = (case == HcwCase::NotAccepted).then(|| hcw8103(&cn));
    Some(HcwOutcome {
        certificate_name: cn,
        tls_sender_certificate_name: tscn,
        case,
        warning,
    })
}

/// Second-level public suffixes common enough that `parent(contoso.co.uk)` must not be
/// offered as a domain to add. Without a full public-suffix list this is a heuristic for
/// the suggestion only; no verdict depends on it.
const SECOND_LEVEL_SUFFIXES: &[&str] = &[
    "co.uk", "org.uk", "ac.uk", "gov.uk", "me.uk", "com.au", "net.au", "org.au", "co.nz", "co.jp",
    "co.za", "com.br", "com.cn", "com.mx", "co.in", "com.tr", "com.sg", "co.kr",
];

/// The domain to add so that HCW stops warning for certificate name `name` (seed 000):
/// the name itself when it is an apex domain or already added, otherwise its parent
/// (`hostname.subdomain.contoso.com` → `subdomain.contoso.com`).
pub fn domain_to_add(name: &str, domains: &Tenant) -> String {
    let n = names::base(&names::normalize(name)).to_string();
    if name.starts_with("*.") || domains.status(&n) != DomainStatus::Absent {
        return n;
    }
    match names::parent(&n) {
        Some(p) if domains.status(p) != DomainStatus::Absent => p.to_string(),
        Some(p) if p.contains('.') && !SECOND_LEVEL_SUFFIXES.contains(&p) => p.to_string(),
        _ => n,
    }
}

/// A name that can be added to a tenant: a DNS name with at least two labels that is not a
/// well-known public suffix (`com`, `co.uk` never are).
pub fn is_addable(domain: &str) -> bool {
    names::is_dns_name(domain) && domain.contains('.') && !SECOND_LEVEL_SUFFIXES.contains(&domain)
}
