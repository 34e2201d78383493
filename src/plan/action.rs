//! Remediation: the concrete changes a finding asks for (docs/checks.md, "Fixes"), as data
//! so that the text report, the PowerShell script and the wizard's one-key fixes agree.

use serde::Serialize;

use crate::model::{ConnectorType, Edit, InboundConnector};
use crate::names::DnsName;

/// The default name of the on-premises send connector HCW creates.
pub const SEND_CONNECTOR: &str = "Outbound to Office 365";
/// The name relaycheck suggests for a new inbound connector.
pub const NEW_CONNECTOR: &str = "Inbound from on-premises";

/// One inbound connector setting HCW manages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "parameter", content = "value")]
pub enum ConnectorSetting {
    Enabled(bool),
    ConnectorType(ConnectorType),
    RequireTls(bool),
    CloudServicesMailEnabled(bool),
    TlsSenderCertificateName(String),
}

impl ConnectorSetting {
    fn powershell(&self) -> String {
        match self {
            ConnectorSetting::Enabled(b) => format!("-Enabled {}", ps_bool(*b)),
            ConnectorSetting::ConnectorType(t) => format!("-ConnectorType {t}"),
            ConnectorSetting::RequireTls(b) => format!("-RequireTls {}", ps_bool(*b)),
            ConnectorSetting::CloudServicesMailEnabled(b) => {
                format!("-CloudServicesMailEnabled {}", ps_bool(*b))
            }
            ConnectorSetting::TlsSenderCertificateName(v) => {
                format!("-TlsSenderCertificateName {}", ps_quote(v))
            }
        }
    }
}

/// A change that resolves a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "action", rename_all = "kebab-case")]
pub enum FixAction {
    /// Add the domain to the tenant and verify it.
    AddDomain { domain: DnsName },
    /// Complete the verification of a domain that is already added.
    VerifyDomain { domain: DnsName },
    /// Change settings of an existing inbound connector.
    SetInboundConnector {
        connector: String,
        settings: Vec<ConnectorSetting>,
    },
    /// Create the certificate-based inbound connector.
    NewInboundConnector { tls_sender_certificate_name: String },
    /// Point the on-premises send connector at the certificate (Exchange Management Shell).
    SetSendConnector { tls_certificate_name: String },
    /// Something done outside PowerShell (a certificate request, a renewal).
    Manual { text: String },
}

pub fn ps_bool(b: bool) -> &'static str {
    if b { "$true" } else { "$false" }
}

/// PowerShell treats these as single quotes inside a single-quoted string.
const SINGLE_QUOTES: [char; 4] = ['\'', '\u{2018}', '\u{2019}', '\u{201B}'];
/// …and these as double quotes inside a double-quoted string.
const DOUBLE_QUOTES: [char; 4] = ['"', '\u{201C}', '\u{201D}', '\u{201E}'];

/// A PowerShell string literal that stays one literal whatever the value holds: a
/// double-quoted string (the form admins expect) unless the value has `$`, a backtick or a
/// double quote of any kind, then a single-quoted one with every kind of single quote doubled.
pub fn ps_quote(value: &str) -> String {
    let needs_single = value.contains('$') || value.contains('`') || value.contains(DOUBLE_QUOTES);
    if needs_single {
        let mut out = String::from("'");
        for c in value.chars() {
            out.push(c);
            if SINGLE_QUOTES.contains(&c) {
                out.push(c);
            }
        }
        out.push('\'');
        out
    } else {
        format!("\"{value}\"")
    }
}

impl FixAction {
    /// The PowerShell lines (Exchange Online unless the action says otherwise).
    pub fn powershell(&self) -> Vec<String> {
        match self {
            FixAction::AddDomain { domain } => vec![
                format!("New-MgDomain -Id {}", ps_quote(domain.as_str())),
                format!(
                    "# publish the TXT record shown by Get-MgDomainVerificationDnsRecord -DomainId {}, then:",
                    ps_quote(domain.as_str())
                ),
                format!("Confirm-MgDomain -DomainId {}", ps_quote(domain.as_str())),
            ],
            FixAction::VerifyDomain { domain } => {
                vec![format!(
                    "Confirm-MgDomain -DomainId {}",
                    ps_quote(domain.as_str())
                )]
            }
            FixAction::SetInboundConnector {
                connector,
                settings,
            } => {
                let params: Vec<String> =
                    settings.iter().map(ConnectorSetting::powershell).collect();
                vec![format!(
                    "Set-InboundConnector -Identity {} {}",
                    ps_quote(connector),
                    params.join(" ")
                )]
            }
            FixAction::NewInboundConnector {
                tls_sender_certificate_name,
            } => vec![format!(
                "New-InboundConnector -Name {} -ConnectorType OnPremises -SenderDomains * -RequireTls $true -TlsSenderCertificateName {} -CloudServicesMailEnabled $true",
                ps_quote(NEW_CONNECTOR),
                ps_quote(tls_sender_certificate_name)
            )],
            FixAction::SetSendConnector {
                tls_certificate_name,
            } => vec![format!(
                "Set-SendConnector {} -TlsCertificateName {}",
                ps_quote(SEND_CONNECTOR),
                ps_quote(tls_certificate_name)
            )],
            FixAction::Manual { .. } => Vec::new(),
        }
    }

    /// One sentence in the admin's words.
    pub fn describe(&self) -> String {
        match self {
            FixAction::AddDomain { domain } => format!(
                "Add {domain} to the tenant and verify it: Microsoft 365 admin center → Settings → Domains (or New-MgDomain -Id {domain})."
            ),
            FixAction::VerifyDomain { domain } => format!(
                "Finish verifying {domain}: Microsoft 365 admin center → Settings → Domains → {domain} (add the TXT record), or Confirm-MgDomain -DomainId {domain}."
            ),
            FixAction::SetInboundConnector { connector, settings } => {
                let what: Vec<String> = settings.iter().map(ConnectorSetting::powershell).collect();
                format!("Change inbound connector \"{connector}\": {}.", what.join(" "))
            }
            FixAction::NewInboundConnector { tls_sender_certificate_name } => format!(
                "Create a certificate-based inbound connector of type OnPremises with TlsSenderCertificateName {tls_sender_certificate_name}."
            ),
            FixAction::SetSendConnector { .. } => {
                "On premises (Exchange Management Shell), point the send connector at the certificate.".to_string()
            }
            FixAction::Manual { text } => text.clone(),
        }
    }
}

impl FixAction {
    /// The wizard's edits that carry out this fix in the scenario; `None` for fixes done
    /// outside the tenant model (a certificate request, the on-premises send connector).
    pub fn edits(&self) -> Option<Vec<Edit>> {
        match self {
            FixAction::AddDomain { domain } => Some(vec![Edit::AddDomain(domain.clone())]),
            FixAction::VerifyDomain { domain } => Some(vec![Edit::VerifyDomain(domain.clone())]),
            FixAction::SetInboundConnector {
                connector,
                settings,
            } => {
                let c = Some(connector.clone());
                Some(
                    settings
                        .iter()
                        .map(|setting| match setting {
                            ConnectorSetting::Enabled(v) => Edit::SetConnectorEnabled {
                                connector: c.clone(),
                                value: *v,
                            },
                            ConnectorSetting::ConnectorType(t) => Edit::SetConnectorType {
                                connector: c.clone(),
                                value: *t,
                            },
                            ConnectorSetting::RequireTls(v) => Edit::SetRequireTls {
                                connector: c.clone(),
                                value: *v,
                            },
                            ConnectorSetting::CloudServicesMailEnabled(v) => {
                                Edit::SetCloudServicesMailEnabled {
                                    connector: c.clone(),
                                    value: *v,
                                }
                            }
                            ConnectorSetting::TlsSenderCertificateName(v) => {
                                Edit::SetTlsSenderCertificateName {
                                    connector: c.clone(),
                                    value: Some(v.clone()),
                                }
                            }
                        })
                        .collect(),
                )
            }
            FixAction::NewInboundConnector {
                tls_sender_certificate_name,
            } => {
                let mut c = InboundConnector::new(NEW_CONNECTOR);
                c.tls_sender_certificate_name = Some(tls_sender_certificate_name.clone());
                Some(vec![Edit::AddConnector(c)])
            }
            FixAction::SetSendConnector { .. } | FixAction::Manual { .. } => None,
        }
    }
}

/// The text of a finding's fix: each action in words with its PowerShell, then the HCW rerun.
pub fn fix_text(actions: &[FixAction]) -> String {
    let mut out = String::new();
    for (i, a) in actions.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&a.describe());
        for line in a.powershell() {
            if line.starts_with('#') {
                continue;
            }
            out.push_str("\n    ");
            out.push_str(&line);
        }
    }
    if actions
        .iter()
        .any(|a| !matches!(a, FixAction::Manual { .. }))
    {
        out.push_str("\nAfter the change, rerun the Hybrid Configuration Wizard so that its connectors agree.");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixes_become_edits() {
        let e = FixAction::SetInboundConnector {
            connector: "Inbound".into(),
            settings: vec![
                ConnectorSetting::Enabled(true),
                ConnectorSetting::TlsSenderCertificateName("*.contoso.com".into()),
            ],
        }
        .edits()
        .unwrap();
        assert_eq!(e.len(), 2);
        assert!(FixAction::Manual { text: "x".into() }.edits().is_none());
    }

    #[test]
    fn set_connector_line_is_exact() {
        let a = FixAction::SetInboundConnector {
            connector: "Inbound from on-premises".into(),
            settings: vec![ConnectorSetting::TlsSenderCertificateName(
                "*.contoso.com".into(),
            )],
        };
        assert_eq!(
            a.powershell(),
            vec![
                "Set-InboundConnector -Identity \"Inbound from on-premises\" -TlsSenderCertificateName \"*.contoso.com\""
            ]
        );
    }

    #[test]
    fn new_connector_line_is_exact() {
        let a = FixAction::NewInboundConnector {
            tls_sender_certificate_name: "*.contoso.com".into(),
        };
        assert_eq!(
            a.powershell()[0],
            "New-InboundConnector -Name \"Inbound from on-premises\" -ConnectorType OnPremises -SenderDomains * -RequireTls $true -TlsSenderCertificateName \"*.contoso.com\" -CloudServicesMailEnabled $true"
        );
    }

    #[test]
    fn send_connector_value_is_quoted_safely() {
        let a = FixAction::SetSendConnector {
            tls_certificate_name: "<I>CN=R3, O=Let's Encrypt, C=US<S>CN=mail.contoso.com".into(),
        };
        assert_eq!(
            a.powershell()[0],
            "Set-SendConnector \"Outbound to Office 365\" -TlsCertificateName \"<I>CN=R3, O=Let's Encrypt, C=US<S>CN=mail.contoso.com\""
        );
        assert_eq!(ps_quote("a$b'c"), "'a$b''c'");
        assert_eq!(ps_quote("Kate’s “relay”"), "'Kate’’s “relay”'");
        assert_eq!(ps_quote("Kate’s relay"), "\"Kate’s relay\"");
        assert_eq!(ps_quote("say \"hi\""), "'say \"hi\"'");
    }

    #[test]
    fn fix_text_ends_with_hcw_rerun_only_for_tenant_changes() {
        let t = fix_text(&[FixAction::AddDomain {
            domain: DnsName::parse("sub.contoso.com").unwrap(),
        }]);
        assert!(t.contains("New-MgDomain -Id \"sub.contoso.com\""));
        assert!(t.ends_with("rerun the Hybrid Configuration Wizard so that its connectors agree."));
        let m = fix_text(&[FixAction::Manual {
            text: "Renew it.".into(),
        }]);
        assert_eq!(m, "Renew it.");
    }
}
