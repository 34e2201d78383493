//! A lab certificate as a scenario or lesson describes it (`generate:`): the names, dates,
//! issuer and key to make. Only the description lives here; `crate::lab` makes it.

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
    #[default]
    #[serde(rename = "lab-ca")]
    LabCa,
    #[serde(rename = "self")]
    SelfSigned,
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
}
