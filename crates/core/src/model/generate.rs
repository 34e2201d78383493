//! A lab certificate as a scenario or lesson describes it (`generate:`): the names, dates,
//! issuer and key to make. Only the description lives here; `relaycheck_lab` makes it.

use serde::{Deserialize, Serialize};

/// The key of a lab certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum LabKey {
    #[default]
    #[serde(rename = "ecdsa-p256")]
    EcdsaP256,
    #[serde(rename = "rsa2048")]
    Rsa2048,
    /// Deliberately weak, to show `cert-weak-key`.
    #[serde(rename = "rsa1024")]
    Rsa1024,
}

/// Who signs a lab certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum LabIssuer {
    /// The lab CA: it stands for a public CA (its root is trusted for the lab).
    #[default]
    #[serde(rename = "lab-ca")]
    LabCa,
    #[serde(rename = "self")]
    SelfSigned,
    /// A company's own CA ("Contoso Internal Root CA"): not a public root, so
    /// `cert-untrusted-root` fires unless the scenario trusts it.
    #[serde(rename = "internal-ca")]
    InternalCa,
}

/// The `generate:` block of a scenario or lesson.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenerateSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cn: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sans: Vec<String>,
    #[serde(default)]
    pub issuer: LabIssuer,
    /// `-30d`, `+365d`, `0d`, or an RFC 3339 date-time / a date. Default: 30 days ago.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<String>,
    /// Same forms. Default: one year from now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<String>,
    #[serde(default)]
    pub key: LabKey,
    /// Put the issuing CA's certificate in the file too (default); `false` gives a leaf alone,
    /// as an export without its chain (`cert-chain-incomplete`).
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub chain: bool,
    /// List Client Authentication among the EKUs (default); `false` gives a server-only
    /// certificate as public CAs issue them from 2026 (`cert-no-client-auth-eku`).
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub client_auth: bool,
}

fn yes() -> bool {
    true
}

fn is_true(b: &bool) -> bool {
    *b
}
