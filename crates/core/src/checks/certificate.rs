//! Step 1, Certificate: what HCW lists and what HealthChecker flags (docs/checks.md,
//! "Certificate").

use super::{CheckId, Context, Finding, Severity};
use crate::action::FixAction;
use crate::cert::{CertFacts, KeyKind, PrivateKeyStatus};
use crate::when::date;

pub(super) fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let Some(cert) = ctx.cert else {
        return;
    };
    let name = cert.display_name();
    let now = ctx.now;
    let renew = || renew_actions(cert);

    if now >= cert.not_after {
        out.push(Finding::new(
            CheckId::CertExpired,
            Severity::Error,
            format!(
                "The certificate {name} expired on {} ({} days ago).",
                date(cert.not_after),
                -cert.days_left(now)
            ),
            renew(),
        ));
    } else if now < cert.not_before {
        out.push(Finding::new(
            CheckId::CertNotYetValid,
            Severity::Error,
            format!(
                "The certificate {name} is not valid before {}.",
                date(cert.not_before)
            ),
            vec![FixAction::Manual {
                text: "Wait until the certificate's NotBefore date, or check the server clock and the certificate's issue date.".into(),
            }],
        ));
    } else {
        let days = cert.days_left(now);
        let severity = if days < crate::facts::EXPIRY_ERROR_DAYS {
            Some(Severity::Error)
        } else if days < crate::facts::EXPIRY_WARNING_DAYS {
            Some(Severity::Warning)
        } else {
            None
        };
        if let Some(severity) = severity {
            out.push(Finding::new(
                CheckId::CertExpiring,
                severity,
                format!(
                    "The certificate {name} expires on {} ({days} days left).",
                    date(cert.not_after)
                ),
                renew(),
            ));
        }
    }

    if cert.self_signed {
        out.push(Finding::new(
            CheckId::CertSelfSigned,
            Severity::Error,
            format!("The certificate {name} is self-signed; Exchange Online does not accept it for the connector."),
            vec![FixAction::Manual {
                text: format!(
                    "Request a certificate from a public (third-party) CA for {}, install it on the Exchange server and enable it for SMTP.",
                    suggested_names(cert)
                ),
            }],
        ));
    }

    if let KeyKind::Rsa { bits } = cert.key
        && bits < 2048
    {
        out.push(Finding::new(
            CheckId::CertWeakKey,
            Severity::Error,
            format!("The certificate {name} has an RSA key of {bits} bits; at least 2048 are needed."),
            vec![FixAction::Manual {
                text: "Request a new certificate with an RSA key of 2048 bits or more (New-ExchangeCertificate -KeySize 2048).".into(),
            }],
        ));
    }

    if cert.signature.digest.is_weak() {
        out.push(Finding::new(
            CheckId::CertWeakSignature,
            Severity::Warning,
            format!(
                "The certificate {name} is signed with {}, a deprecated hash.",
                cert.signature.name
            ),
            vec![FixAction::Manual {
                text: "Have the certificate reissued with a SHA-256 signature.".into(),
            }],
        ));
    }

    if cert.dns_names().is_empty() {
        out.push(Finding::new(
            CheckId::CertNoDnsNames,
            Severity::Error,
            format!(
                "The certificate {} carries no DNS name in its CN or subject alternative names.",
                if cert.subject.is_empty() { "(no subject)" } else { cert.subject.as_str() }
            ),
            vec![FixAction::Manual {
                text: format!(
                    "Request a certificate whose CN and SAN hold a host name under a verified accepted domain, such as {}.",
                    suggested_names(cert)
                ),
            }],
        ));
    }

    match &cert.private_key {
        PrivateKeyStatus::DoesNotMatch => out.push(Finding::new(
            CheckId::CertKeyMismatch,
            Severity::Error,
            format!("The private key supplied with {name} belongs to another certificate."),
            vec![FixAction::Manual {
                text: "Supply the key generated with this certificate's request, or export the certificate with its own key (Export-ExchangeCertificate -Thumbprint … -BinaryEncoded -Password …).".into(),
            }],
        )),
        PrivateKeyStatus::Unreadable(why) => out.push(Finding::new(
            CheckId::CertKeyMismatch,
            Severity::Error,
            format!("The private key supplied with {name} cannot be used: {why}."),
            vec![FixAction::Manual {
                text: "Export the certificate again together with its private key.".into(),
            }],
        )),
        PrivateKeyStatus::NotSupplied => out.push(Finding::new(
            CheckId::CertNoPrivateKey,
            Severity::Info,
            format!("{} carries no private key; the Exchange server that presents {name} must hold it.", cert.source),
            vec![FixAction::Manual {
                text: "On the Exchange server, check HasPrivateKey: Get-ExchangeCertificate -Thumbprint ".to_string()
                    + &cert.thumbprint
                    + " | Format-List HasPrivateKey.",
            }],
        )),
        PrivateKeyStatus::Matches | PrivateKeyStatus::Unverifiable(_) => {}
    }

    chain(ctx, cert, &name, out);
    if !cert.allows_client_auth() {
        out.push(
            Finding::new(
                CheckId::CertNoClientAuthEku,
                Severity::Info,
                format!(
                    "The certificate {name} lists the Extended Key Usages {} but not Client Authentication (1.3.6.1.5.5.7.3.2), and the on-premises server presents it to Exchange Online as a TLS client certificate. Public CAs stopped including Client Authentication in 2026 (DigiCert from 2026-05-01, Let's Encrypt from 2026-05-13); Microsoft has not said whether Exchange Online requires it.",
                    crate::text::list(&cert.extended_key_usages, 6)
                ),
                vec![FixAction::Manual {
                    text: "Nothing to change today. If mail from on-premises starts failing TLS after a renewal, ask the CA for a certificate with Client Authentication, and watch Microsoft's guidance.".into(),
                }],
            ),
        );
    }
}

/// `cert-chain-incomplete` and `cert-untrusted-root`, from the chain the file carries.
fn chain(ctx: &Context<'_>, cert: &CertFacts, name: &str, out: &mut Vec<Finding>) {
    use crate::facts::ChainState;
    match &ctx.facts.chain {
        Some(ChainState::Incomplete { issuer }) => out.push(Finding::new(
            CheckId::CertChainIncomplete,
            Severity::Warning,
            format!(
                "{} carries no certificate of the issuer of {name} ({issuer}): the on-premises server must send the intermediate certificate(s) with it, because Exchange Online does not fetch them.",
                cert.source
            ),
            vec![FixAction::Manual {
                text: format!(
                    "Install the intermediate certificate(s) of {issuer} on every Exchange server that sends to Exchange Online (from the CA's chain file), and give relaycheck the certificate with its chain (a PEM with the chain, or a .pfx exported with Export-ExchangeCertificate)."
                ),
            }],
        )),
        Some(ChainState::UntrustedRoot { root }) => out.push(Finding::new(
            CheckId::CertUntrustedRoot,
            Severity::Warning,
            format!(
                "The chain of {name} ends at {root}, which is not a public root (relaycheck knows Mozilla's root store; Microsoft's Trusted Root Program is similar, not identical): Exchange Online trusts certificates from public CAs only."
            ),
            vec![FixAction::Manual {
                text: format!(
                    "Request a certificate from a public (third-party) CA for {}, install it on the Exchange server and enable it for SMTP. In a lab, name the root in the scenario's trusted_roots.",
                    suggested_names(cert)
                ),
            }],
        )),
        _ => {}
    }
}

/// Renewal: same names, installed and enabled for SMTP (the send connector keeps naming it
/// when the CA and subject stay the same).
fn renew_actions(cert: &CertFacts) -> Vec<FixAction> {
    vec![FixAction::Manual {
        text: format!(
            "Renew the certificate with the same names ({}), install it on the Exchange server and enable it for SMTP (Enable-ExchangeCertificate -Services SMTP).",
            suggested_names(cert)
        ),
    }]
}

fn suggested_names(cert: &CertFacts) -> String {
    let names = cert.dns_names();
    if names.is_empty() {
        "mail.<your verified domain>".to_string()
    } else {
        // A certificate may carry thousands: the first ones say enough.
        crate::text::list(names, 20)
    }
}
