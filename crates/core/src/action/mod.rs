//! One change, as data (docs/checks.md, "Fixes"): where it runs, what it says in the admin's
//! words and its exact PowerShell. The plan, every report, the script and the wizard's
//! one-key fixes all render these.

use serde::Serialize;

mod onprem;
mod quote;
mod setting;

pub use onprem::send_setting_powershell;
pub use quote::{
    DASHES, DOUBLE_QUOTES, LINE_ENDS, SINGLE_QUOTES, ps_bool, ps_quote, supports_whatif,
};
pub use setting::ConnectorSetting;

use crate::model::{
    DomainType, Edit, InboundConnector, SendConnector, SendSetting, ServerCertificate,
};
use crate::names::DnsName;

/// The default name of the on-premises send connector HCW creates.
pub const SEND_CONNECTOR: &str = "Outbound to Office 365";
/// The name relaycheck suggests for a new inbound connector.
pub const NEW_CONNECTOR: &str = "Inbound from on-premises";

/// Said with every step that enables a connector (docs/checks.md, `connector-hcw-drift`; Inbound connector FAQ).
const ENABLE_NOTE: &str = " If Exchange Online answers \"For this service offering, you can't enable an inbound connector. Contact Support to enable it.\", ask Microsoft Support to enable it; OnPremises connectors aren't designed to relay bulk emails.";

/// Where a change is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RunsIn {
    /// Microsoft Graph PowerShell (or the Microsoft 365 admin center): tenant domains.
    Graph,
    /// Exchange Online PowerShell.
    ExchangeOnline,
    /// The Exchange Management Shell on an on-premises Exchange server.
    ExchangeServer,
    /// By hand: nothing here can do it (a new certificate, DNS, HCW's own pages).
    Manual,
}

impl RunsIn {
    pub fn as_str(self) -> &'static str {
        match self {
            RunsIn::Graph => "graph",
            RunsIn::ExchangeOnline => "exchange-online",
            RunsIn::ExchangeServer => "exchange-server",
            RunsIn::Manual => "manual",
        }
    }

    /// In the admin's words.
    pub fn title(self) -> &'static str {
        match self {
            RunsIn::Graph => "Microsoft Graph PowerShell (or the Microsoft 365 admin center)",
            RunsIn::ExchangeOnline => "Exchange Online PowerShell",
            RunsIn::ExchangeServer => "the Exchange Management Shell on an Exchange server",
            RunsIn::Manual => "by hand",
        }
    }
}

/// A change to the configuration, or a step nothing here can take.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "action", rename_all = "kebab-case")]
pub enum FixAction {
    /// Add the domain to the tenant and verify it.
    AddDomain {
        domain: DnsName,
    },
    /// Add the domain, leaving its verification pending (a wizard edit).
    AddPendingDomain {
        domain: DnsName,
    },
    /// Complete the verification of a domain that is already added.
    VerifyDomain {
        domain: DnsName,
    },
    RemoveDomain {
        domain: DnsName,
    },
    SetDefaultDomain {
        domain: DnsName,
    },
    SetDomainType {
        domain: DnsName,
        domain_type: DomainType,
    },
    /// `Set-OrganizationConfig -RejectDirectSend`: only ever the admin's own choice.
    SetRejectDirectSend {
        value: bool,
    },
    /// Change settings of an existing inbound connector.
    SetInboundConnector {
        connector: String,
        settings: Vec<ConnectorSetting>,
    },
    /// Create an inbound connector.
    NewInboundConnector {
        #[serde(flatten)]
        connector: Box<InboundConnector>,
    },
    RemoveInboundConnector {
        connector: String,
    },
    /// HCW's Organization FQDN: what Exchange Online connects to (the outbound connector's
    /// SmartHosts and TlsDomain). Set by rerunning HCW.
    SetOrganizationFqdn {
        fqdn: DnsName,
    },
    /// Point the on-premises send connector at another certificate (Exchange Management
    /// Shell): the certificate the server presents.
    UseCertificate {
        /// Its position among the candidates of the scenario planned for (`None`: it is not
        /// one of them, for example a file added in the wizard).
        #[serde(skip)]
        index: Option<usize>,
        thumbprint: String,
        /// The send connector to point at it; `None` when the send connectors are known,
        /// and their own steps set it.
        send_connector: Option<String>,
        tls_certificate_name: String,
    },
    /// Change settings of an on-premises send connector (Exchange Management Shell).
    SetSendConnector {
        connector: String,
        settings: Vec<SendSetting>,
    },
    /// Create an on-premises send connector that relays through Exchange Online.
    NewSendConnector {
        #[serde(flatten)]
        connector: Box<SendConnector>,
    },
    /// Import the certificate (its .pfx, with the private key) on a transport server that
    /// lacks it, and enable it for SMTP.
    InstallCertificate {
        server: String,
        thumbprint: String,
        #[serde(skip)]
        certificate: Box<ServerCertificate>,
    },
    /// Enable for SMTP a certificate a transport server already holds.
    EnableCertificateForSmtp {
        server: String,
        thumbprint: String,
        #[serde(skip)]
        certificate: Box<ServerCertificate>,
    },
    /// Something done outside PowerShell (a certificate request, a renewal, HCW's pages).
    Manual {
        text: String,
    },
}

/// The parts of a remediation script, in the order they run. Each is runnable alone, in
/// its own session (Graph and Exchange Online sign-in libraries clash in one process).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Part {
    /// Add domains and show the TXT records to publish.
    GraphAdd,
    /// Verify domains once their TXT records are published, then the default domain.
    GraphVerify,
    ExchangeOnline,
    ExchangeServer,
}

impl Part {
    pub const ALL: [Part; 4] = [
        Part::GraphAdd,
        Part::GraphVerify,
        Part::ExchangeOnline,
        Part::ExchangeServer,
    ];

    pub fn runs_in(self) -> RunsIn {
        match self {
            Part::GraphAdd | Part::GraphVerify => RunsIn::Graph,
            Part::ExchangeOnline => RunsIn::ExchangeOnline,
            Part::ExchangeServer => RunsIn::ExchangeServer,
        }
    }

    /// The file name of the part with `--out DIR`.
    pub fn file_name(self) -> &'static str {
        match self {
            Part::GraphAdd => "1-graph-add-domains.ps1",
            Part::GraphVerify => "2-graph-verify-domains.ps1",
            Part::ExchangeOnline => "3-exchange-online.ps1",
            Part::ExchangeServer => "4-exchange-server.ps1",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Part::GraphAdd => {
                "Add the domains and show their TXT records (Microsoft Graph PowerShell)"
            }
            Part::GraphVerify => {
                "Verify the domains once their TXT records are published (Microsoft Graph PowerShell)"
            }
            Part::ExchangeOnline => "Exchange Online (Exchange Online PowerShell)",
            Part::ExchangeServer => "On-premises Exchange (the Exchange Management Shell)",
        }
    }
}

impl FixAction {
    pub fn runs_in(&self) -> RunsIn {
        match self {
            FixAction::AddDomain { .. }
            | FixAction::AddPendingDomain { .. }
            | FixAction::VerifyDomain { .. }
            | FixAction::RemoveDomain { .. }
            | FixAction::SetDefaultDomain { .. } => RunsIn::Graph,
            FixAction::SetDomainType { .. }
            | FixAction::SetRejectDirectSend { .. }
            | FixAction::SetInboundConnector { .. }
            | FixAction::NewInboundConnector { .. }
            | FixAction::RemoveInboundConnector { .. } => RunsIn::ExchangeOnline,
            FixAction::UseCertificate { .. }
            | FixAction::SetSendConnector { .. }
            | FixAction::NewSendConnector { .. }
            | FixAction::InstallCertificate { .. }
            | FixAction::EnableCertificateForSmtp { .. } => RunsIn::ExchangeServer,
            FixAction::SetOrganizationFqdn { .. } | FixAction::Manual { .. } => RunsIn::Manual,
        }
    }

    /// The short name of the step, for JSON (`add-domain`, `set-inbound-connector`, …).
    pub fn kind(&self) -> &'static str {
        match self {
            FixAction::AddDomain { .. } => "add-domain",
            FixAction::AddPendingDomain { .. } => "add-pending-domain",
            FixAction::VerifyDomain { .. } => "verify-domain",
            FixAction::RemoveDomain { .. } => "remove-domain",
            FixAction::SetDefaultDomain { .. } => "set-default-domain",
            FixAction::SetDomainType { .. } => "set-domain-type",
            FixAction::SetRejectDirectSend { .. } => "set-reject-direct-send",
            FixAction::SetInboundConnector { .. } => "set-inbound-connector",
            FixAction::NewInboundConnector { .. } => "new-inbound-connector",
            FixAction::RemoveInboundConnector { .. } => "remove-inbound-connector",
            FixAction::UseCertificate { .. } => "use-certificate",
            FixAction::SetSendConnector { .. } => "set-send-connector",
            FixAction::NewSendConnector { .. } => "new-send-connector",
            FixAction::InstallCertificate { .. } => "install-certificate",
            FixAction::EnableCertificateForSmtp { .. } => "enable-certificate-for-smtp",
            FixAction::SetOrganizationFqdn { .. } => "set-organization-fqdn",
            FixAction::Manual { .. } => "manual",
        }
    }

    /// The domain an action adds or verifies.
    pub fn domain(&self) -> Option<&DnsName> {
        match self {
            FixAction::AddDomain { domain }
            | FixAction::AddPendingDomain { domain }
            | FixAction::VerifyDomain { domain } => Some(domain),
            _ => None,
        }
    }

    /// The PowerShell lines of this action in one part of the script (without `-WhatIf`;
    /// see [`supports_whatif`]). `verified_parent`: the tenant already has a verified
    /// domain above the domain added, so Microsoft 365 verifies it on creation.
    pub fn commands(&self, part: Part, verified_parent: bool) -> Vec<String> {
        let q = |d: &DnsName| ps_quote(d.as_str());
        match (self, part) {
            (
                FixAction::AddDomain { domain } | FixAction::AddPendingDomain { domain },
                Part::GraphAdd,
            ) => {
                let mut lines = vec![format!("New-MgDomain -Id {}", q(domain))];
                if !verified_parent {
                    lines.push(format!(
                        "Get-MgDomainVerificationDnsRecord -DomainId {} -ErrorAction SilentlyContinue | Where-Object RecordType -eq 'Txt' | Select-Object Label, Ttl, @{{Name = 'Text'; Expression = {{ $_.AdditionalProperties['text'] }}}} | Format-List",
                        q(domain)
                    ));
                }
                lines
            }
            (FixAction::AddDomain { domain }, Part::GraphVerify) if !verified_parent => {
                vec![format!("Confirm-MgDomain -DomainId {}", q(domain))]
            }
            (FixAction::VerifyDomain { domain }, Part::GraphVerify) => {
                vec![format!("Confirm-MgDomain -DomainId {}", q(domain))]
            }
            (FixAction::RemoveDomain { domain }, Part::GraphAdd) => {
                vec![format!("Remove-MgDomain -DomainId {}", q(domain))]
            }
            (FixAction::SetDefaultDomain { domain }, Part::GraphVerify) => {
                vec![format!(
                    "Update-MgDomain -DomainId {} -IsDefault:$true",
                    q(domain)
                )]
            }
            (
                FixAction::SetDomainType {
                    domain,
                    domain_type,
                },
                Part::ExchangeOnline,
            ) => {
                vec![format!(
                    "Set-AcceptedDomain -Identity {} -DomainType {domain_type}",
                    q(domain)
                )]
            }
            (FixAction::SetRejectDirectSend { value }, Part::ExchangeOnline) => {
                vec![format!(
                    "Set-OrganizationConfig -RejectDirectSend {}",
                    ps_bool(*value)
                )]
            }
            (
                FixAction::SetInboundConnector {
                    connector,
                    settings,
                },
                Part::ExchangeOnline,
            ) => {
                let params: Vec<String> =
                    settings.iter().map(ConnectorSetting::powershell).collect();
                vec![format!(
                    "Set-InboundConnector -Identity {} {}",
                    ps_quote(connector),
                    params.join(" ")
                )]
            }
            (FixAction::NewInboundConnector { connector: c }, Part::ExchangeOnline) => {
                let mut line = format!(
                    "New-InboundConnector -Name {} -ConnectorType {} -SenderDomains *",
                    ps_quote(&c.name),
                    c.connector_type
                );
                line.push_str(&format!(" -RequireTls {}", ps_bool(c.require_tls)));
                if let Some(t) = c.tscn_text() {
                    line.push_str(&format!(" -TlsSenderCertificateName {}", ps_quote(t)));
                }
                if !c.sender_ip_addresses.is_empty() {
                    line.push(' ');
                    line.push_str(
                        &ConnectorSetting::SenderIpAddresses(c.sender_ip_addresses.clone())
                            .powershell(),
                    );
                }
                line.push_str(&format!(
                    " -CloudServicesMailEnabled {}",
                    ps_bool(c.cloud_services_mail_enabled)
                ));
                if !c.enabled {
                    line.push_str(" -Enabled $false");
                }
                vec![line]
            }
            (FixAction::RemoveInboundConnector { connector }, Part::ExchangeOnline) => {
                vec![format!(
                    "Remove-InboundConnector -Identity {}",
                    ps_quote(connector)
                )]
            }
            (
                FixAction::UseCertificate {
                    send_connector: Some(send_connector),
                    tls_certificate_name,
                    ..
                },
                Part::ExchangeServer,
            ) => vec![format!(
                "Set-SendConnector -Identity {} -TlsCertificateName {}",
                ps_quote(send_connector),
                ps_quote(tls_certificate_name)
            )],
            (
                FixAction::SetSendConnector { .. }
                | FixAction::NewSendConnector { .. }
                | FixAction::InstallCertificate { .. }
                | FixAction::EnableCertificateForSmtp { .. },
                Part::ExchangeServer,
            ) => onprem::commands(self),
            _ => Vec::new(),
        }
    }

    /// The parts of the script this action writes lines in.
    pub fn parts(&self, verified_parent: bool) -> Vec<Part> {
        Part::ALL
            .into_iter()
            .filter(|p| !self.commands(*p, verified_parent).is_empty())
            .collect()
    }

    /// All its PowerShell lines, in part order (for JSON and the text report).
    pub fn powershell(&self, verified_parent: bool) -> Vec<String> {
        Part::ALL
            .into_iter()
            .flat_map(|p| self.commands(p, verified_parent))
            .collect()
    }

    /// One sentence in the admin's words; it quotes names from input, so it is a
    /// [`crate::text::Line`], cleaned once here.
    pub fn describe(&self) -> crate::text::Line {
        crate::text::Line::new(self.describe_words())
    }

    fn describe_words(&self) -> String {
        match self {
            FixAction::AddDomain { domain } => format!(
                "Add {domain} to the tenant and verify it (Microsoft 365 admin center → Settings → Domains, or New-MgDomain then Confirm-MgDomain)."
            ),
            FixAction::AddPendingDomain { domain } => format!(
                "Add {domain} to the tenant (its verification stays pending until its TXT record is published)."
            ),
            FixAction::VerifyDomain { domain } => format!(
                "Finish verifying {domain}: publish its TXT record (Microsoft 365 admin center → Settings → Domains → {domain}), then Confirm-MgDomain -DomainId {domain}."
            ),
            FixAction::RemoveDomain { domain } => format!("Remove {domain} from the tenant."),
            FixAction::SetDefaultDomain { domain } => {
                format!("Make {domain} the tenant's default domain.")
            }
            FixAction::SetDomainType {
                domain,
                domain_type,
            } => format!("Make accepted domain {domain} {domain_type}."),
            FixAction::SetRejectDirectSend { value } => format!(
                "Turn RejectDirectSend {} (Set-OrganizationConfig).",
                if *value { "on" } else { "off" }
            ),
            FixAction::SetInboundConnector {
                connector,
                settings,
            } => {
                let what: Vec<String> = settings.iter().map(ConnectorSetting::powershell).collect();
                let mut text = format!(
                    "Change inbound connector \"{}\": {}.",
                    connector,
                    what.join(" ")
                );
                if settings.contains(&ConnectorSetting::Enabled(true)) {
                    text.push_str(ENABLE_NOTE);
                }
                text
            }
            FixAction::NewInboundConnector { connector } => match connector.tscn_text() {
                Some(t) => format!(
                    "Create inbound connector \"{}\" of type {} with TlsSenderCertificateName {t}.",
                    &connector.name, connector.connector_type
                ),
                None => format!(
                    "Create inbound connector \"{}\" of type {}.",
                    &connector.name, connector.connector_type
                ),
            },
            FixAction::RemoveInboundConnector { connector } => {
                format!("Remove inbound connector \"{}\".", connector)
            }
            FixAction::UseCertificate {
                thumbprint,
                send_connector,
                ..
            } => match send_connector {
                Some(send_connector) => format!(
                    "On premises, make send connector \"{}\" present the certificate with thumbprint {thumbprint}.",
                    send_connector
                ),
                None => format!(
                    "On premises, present the certificate with thumbprint {thumbprint} to Exchange Online (the send connector steps point at it)."
                ),
            },
            FixAction::SetSendConnector { .. }
            | FixAction::NewSendConnector { .. }
            | FixAction::InstallCertificate { .. }
            | FixAction::EnableCertificateForSmtp { .. } => onprem::describe(self),
            FixAction::SetOrganizationFqdn { fqdn } => format!(
                "Rerun HCW and give {fqdn} as the organization FQDN: a name on the certificate, so Exchange Online's TLS connection to on-premises succeeds (HCW sets the outbound connector's SmartHosts and TlsDomain to it; {fqdn} must resolve to the on-premises server)."
            ),
            FixAction::Manual { text } => text.clone(),
        }
    }

    /// The wizard's edits that make this change in the scenario; `None` for steps done
    /// outside the scenario model (a new certificate, HCW's pages).
    pub fn edits(&self) -> Option<Vec<Edit>> {
        match self {
            FixAction::AddDomain { domain } => Some(vec![Edit::AddDomain(domain.clone())]),
            FixAction::AddPendingDomain { domain } => {
                Some(vec![Edit::AddUnverifiedDomain(domain.clone())])
            }
            FixAction::VerifyDomain { domain } => Some(vec![Edit::VerifyDomain(domain.clone())]),
            FixAction::RemoveDomain { domain } => Some(vec![Edit::RemoveDomain(domain.clone())]),
            FixAction::SetDefaultDomain { domain } => {
                Some(vec![Edit::SetDefaultDomain(domain.clone())])
            }
            FixAction::SetDomainType {
                domain,
                domain_type,
            } => Some(vec![Edit::SetDomainType {
                domain: domain.clone(),
                domain_type: *domain_type,
            }]),
            FixAction::SetRejectDirectSend { value } => {
                Some(vec![Edit::SetRejectDirectSend(*value)])
            }
            FixAction::SetInboundConnector {
                connector,
                settings,
            } => {
                // A rename goes last, so that the other settings still find the connector.
                let c = Some(connector.clone());
                let mut edits: Vec<Edit> = settings
                    .iter()
                    .filter(|s| !matches!(s, ConnectorSetting::Name(_)))
                    .map(|s| s.edit(&c))
                    .collect();
                edits.extend(
                    settings
                        .iter()
                        .filter(|s| matches!(s, ConnectorSetting::Name(_)))
                        .map(|s| s.edit(&c)),
                );
                Some(edits)
            }
            FixAction::NewInboundConnector { connector } => {
                Some(vec![Edit::AddConnector((**connector).clone())])
            }
            FixAction::RemoveInboundConnector { connector } => {
                Some(vec![Edit::RemoveConnector(connector.clone())])
            }
            FixAction::UseCertificate { index, .. } => {
                index.map(|i| vec![Edit::SelectCertificate(i)])
            }
            FixAction::SetOrganizationFqdn { fqdn } => {
                Some(vec![Edit::SetOrganizationFqdn(Some(fqdn.clone()))])
            }
            FixAction::SetSendConnector {
                connector,
                settings,
            } => Some(vec![Edit::SetSendConnector {
                connector: connector.clone(),
                settings: settings.clone(),
            }]),
            FixAction::NewSendConnector { connector } => {
                Some(vec![Edit::AddSendConnector((**connector).clone())])
            }
            FixAction::InstallCertificate {
                server,
                certificate,
                ..
            }
            | FixAction::EnableCertificateForSmtp {
                server,
                certificate,
                ..
            } => Some(vec![Edit::PutServerCertificate {
                server: server.clone(),
                certificate: (**certificate).clone(),
            }]),
            FixAction::Manual { .. } => None,
        }
    }
}

#[cfg(test)]
mod tests;
