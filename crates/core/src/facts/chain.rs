//! The presented certificate's chain, judged with the scenario's trusted roots
//! (docs/checks.md, `cert-chain-incomplete` and `cert-untrusted-root`).

use serde::Serialize;

use crate::cert::CertFacts;

/// Who trusts the root a chain ends at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TrustedBy {
    /// Mozilla's root store (webpki-roots), the public roots relaycheck knows.
    PublicStore,
    /// The scenario's `trusted_roots`.
    Scenario,
    /// relaycheck's lab root, which stands for a public CA in lessons and examples.
    Lab,
}

/// The presented certificate's chain, judged (docs/checks.md, `cert-chain-incomplete` and
/// `cert-untrusted-root`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainState {
    /// The leaf is its own issuer (`cert-self-signed`).
    SelfSigned,
    /// The certificate's source carries no certificate of its issuer.
    Incomplete { issuer: String },
    /// It ends at (or is issued by) a root someone trusts.
    Trusted { root: String, by: TrustedBy },
    /// Complete up to a self-signed root nobody here trusts.
    UntrustedRoot { root: String },
    /// Part of the chain is there; whether its top issuer is trusted cannot be told.
    Unknown { issuer: String },
}

impl ChainState {
    /// In the admin's words, for pages and lists.
    pub fn words(&self) -> String {
        match self {
            ChainState::SelfSigned => "self-signed".to_string(),
            ChainState::Incomplete { issuer } => format!("incomplete: {issuer} is not in the file"),
            ChainState::Trusted { root, by } => format!(
                "complete to {root} ({})",
                match by {
                    TrustedBy::PublicStore => "a public root",
                    TrustedBy::Scenario => "trusted by the scenario",
                    TrustedBy::Lab => "the lab root",
                }
            ),
            ChainState::UntrustedRoot { root } => format!("ends at {root}, not a public root"),
            ChainState::Unknown { issuer } => format!("up to {issuer} (not in the file)"),
        }
    }
}

/// Judges a certificate's chain with the scenario's trusted roots.
pub fn chain_state(cert: &CertFacts, trusted: &[crate::model::TrustedRoot]) -> ChainState {
    use crate::cert::chain::ChainEnd;
    if cert.self_signed {
        return ChainState::SelfSigned;
    }
    let chain = &cert.chain_facts;
    match &chain.end {
        ChainEnd::SelfSignedLeaf => ChainState::SelfSigned,
        ChainEnd::Root {
            subject,
            key,
            public,
        } => {
            if *public {
                ChainState::Trusted {
                    root: subject.clone(),
                    by: TrustedBy::PublicStore,
                }
            } else if trusted.iter().any(|t| t.key == *key) {
                ChainState::Trusted {
                    root: subject.clone(),
                    by: TrustedBy::Scenario,
                }
            } else if cert.lab {
                ChainState::Trusted {
                    root: subject.clone(),
                    by: TrustedBy::Lab,
                }
            } else {
                ChainState::UntrustedRoot {
                    root: subject.clone(),
                }
            }
        }
        ChainEnd::Missing {
            issuer,
            issuer_der,
            public,
        } => {
            if *public {
                ChainState::Trusted {
                    root: issuer.clone(),
                    by: TrustedBy::PublicStore,
                }
            } else if let Some(t) = trusted.iter().find(|t| t.key.subject_der == *issuer_der) {
                ChainState::Trusted {
                    root: t.subject.clone(),
                    by: TrustedBy::Scenario,
                }
            } else if chain.path.is_empty() {
                ChainState::Incomplete {
                    issuer: issuer.clone(),
                }
            } else {
                ChainState::Unknown {
                    issuer: issuer.clone(),
                }
            }
        }
    }
}
