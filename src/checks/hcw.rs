//! Rule HCW-TSCN (domain-rules.md section 3): the TlsSenderCertificateName the Hybrid
//! Configuration Wizard writes for a certificate, and whether it warns (HCW8103).

use serde::Serialize;

use crate::cert::CertFacts;
use crate::model::DomainIndex;
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
pub fn hcw_tscn(cert: &CertFacts, domains: &DomainIndex<'_>) -> Option<HcwOutcome> {
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
