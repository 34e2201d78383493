//! Edits: every change the wizard can make to a scenario, as data. The wizard's keys, the
//! one-key fixes and a lesson's `solution:` all go through [`apply`], so a replayed
//! solution is exactly what a learner would have done. Each applied edit hands back its
//! [`Undo`]: what puts the scenario back, small enough that the wizard's history keeps
//! edits, never copies of the scenario.

use std::net::IpAddr;

use serde::{Deserialize, Serialize};

use super::{
    AcceptedDomain, CertificateEntry, ConnectorType, DomainType, InboundConnector, IpRange,
    Message, Scenario, SendConnector, SendSetting, ServerCertificate, TransportServer,
};
use crate::names::DnsName;

/// Which inbound connector an edit is about: by name, or (when omitted) the first
/// connector of type OnPremises, else the first connector.
pub type ConnectorRef = Option<String>;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Edit {
    /// Add an accepted domain, verified (what "add and verify" ends in).
    AddDomain(DnsName),
    /// Add an accepted domain whose verification is still pending.
    AddUnverifiedDomain(DnsName),
    VerifyDomain(DnsName),
    UnverifyDomain(DnsName),
    RemoveDomain(DnsName),
    SetDomainType {
        domain: DnsName,
        #[serde(rename = "type")]
        domain_type: DomainType,
    },
    SetDefaultDomain(DnsName),
    /// `Set-OrganizationConfig -RejectDirectSend` (the tenant's own security choice).
    SetRejectDirectSend(bool),
    /// Select the certificate the on-premises server presents (index in the list; in YAML
    /// its position counting from 1).
    SelectCertificate(#[serde(with = "one_based")] usize),
    SetTlsSenderCertificateName {
        #[serde(default)]
        connector: ConnectorRef,
        value: Option<String>,
    },
    SetConnectorEnabled {
        #[serde(default)]
        connector: ConnectorRef,
        value: bool,
    },
    SetConnectorType {
        #[serde(default)]
        connector: ConnectorRef,
        value: ConnectorType,
    },
    SetRequireTls {
        #[serde(default)]
        connector: ConnectorRef,
        value: bool,
    },
    SetCloudServicesMailEnabled {
        #[serde(default)]
        connector: ConnectorRef,
        value: bool,
    },
    SetSenderIpAddresses {
        #[serde(default)]
        connector: ConnectorRef,
        value: Vec<IpRange>,
    },
    RenameConnector {
        #[serde(default)]
        connector: ConnectorRef,
        value: String,
    },
    AddConnector(InboundConnector),
    RemoveConnector(String),
    SetOrganizationFqdn(Option<DnsName>),
    SetOnPremisesIp(Option<IpAddr>),
    /// Give an on-premises send connector these settings (found by name); what
    /// Set-SendConnector does.
    SetSendConnector {
        connector: String,
        settings: Vec<SendSetting>,
    },
    /// Add an on-premises send connector (New-SendConnector).
    AddSendConnector(SendConnector),
    /// Install a certificate on a transport server, or replace the copy with its thumbprint
    /// (Import-ExchangeCertificate, Enable-ExchangeCertificate). Not in YAML: a scenario
    /// names a server's certificate files, not their entries.
    #[serde(skip)]
    PutServerCertificate {
        server: String,
        certificate: ServerCertificate,
    },
    AddMessage(Message),
    /// Replace a message (index; 1-based in YAML).
    ReplaceMessage {
        #[serde(with = "one_based")]
        index: usize,
        message: Message,
    },
    /// Delete a message (index; 1-based in YAML).
    RemoveMessage(#[serde(with = "one_based")] usize),
    /// Back to the four default messages.
    ResetMessages,
    /// Add candidate certificates (read from files in the wizard; never in a lesson file).
    #[serde(skip)]
    AddCertificates(Vec<CertificateEntry>),
    /// Take a certificate out of the candidate list (index; 1-based in YAML).
    RemoveCertificate(#[serde(with = "one_based")] usize),
}

/// Why an edit could not be made; the scenario is then unchanged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EditError {
    #[error("there is no inbound connector named \"{0}\"")]
    NoSuchConnector(String),
    #[error("there is no inbound connector")]
    NoConnector,
    #[error("there is already an inbound connector named \"{0}\"")]
    DuplicateConnector(String),
    #[error("a connector needs a name")]
    EmptyName,
    #[error("{0} is not an accepted domain")]
    NoSuchDomain(DnsName),
    #[error("there is no certificate number {number} (the scenario has {count})")]
    NoSuchCertificate { number: usize, count: usize },
    #[error("there is no certificate number {0}")]
    NoCertificateToRemove(usize),
    #[error("there is no message number {0}")]
    NoSuchMessage(usize),
    #[error("there is no send connector named \"{0}\"")]
    NoSuchSendConnector(String),
}

/// List positions as people count them (1, 2, …) in YAML, as indexes inside.
mod one_based {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(i: &usize, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(*i as u64 + 1)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<usize, D::Error> {
        let n = u64::deserialize(d)?;
        if n == 0 {
            return Err(serde::de::Error::custom("positions count from 1"));
        }
        usize::try_from(n - 1).map_err(serde::de::Error::custom)
    }
}

/// The position of the connector an edit names.
pub fn connector_index(s: &Scenario, r: &ConnectorRef) -> Result<usize, EditError> {
    let list = &s.inbound_connectors;
    match r {
        Some(name) => list
            .iter()
            .position(|c| c.name.eq_ignore_ascii_case(name))
            .ok_or_else(|| EditError::NoSuchConnector(name.clone())),
        None => list
            .iter()
            .position(|c| c.connector_type == ConnectorType::OnPremises)
            .or(if list.is_empty() { None } else { Some(0) })
            .ok_or(EditError::NoConnector),
    }
}

fn require_domain(s: &Scenario, d: &DnsName) -> Result<(), EditError> {
    s.tenant
        .position(d.as_str())
        .map(|_| ())
        .ok_or_else(|| EditError::NoSuchDomain(d.clone()))
}

/// Changes one connector, remembering it as it was.
fn change_connector(
    s: &mut Scenario,
    r: &ConnectorRef,
    change: impl FnOnce(&mut InboundConnector),
) -> Result<Undo, EditError> {
    let at = connector_index(s, r)?;
    let c = &mut s.inbound_connectors[at];
    let before = Box::new(c.clone());
    change(c);
    Ok(if *c == *before {
        Undo::Nothing
    } else {
        Undo::Connector {
            at,
            connector: before,
        }
    })
}

/// Applies an edit and returns how to undo it; an edit that names something absent changes
/// nothing and says why.
pub fn apply(s: &mut Scenario, edit: &Edit) -> Result<Undo, EditError> {
    Ok(match edit {
        Edit::AddDomain(d) | Edit::AddUnverifiedDomain(d) => {
            let verified = matches!(edit, Edit::AddDomain(_));
            match s.tenant.get(d.as_str()).map(|a| a.verified) {
                Some(was) if was || !verified => Undo::Nothing,
                Some(was) => {
                    s.tenant.update(d.as_str(), |a| a.verified = true);
                    Undo::SetVerified(d.clone(), was)
                }
                None => {
                    s.tenant.push(AcceptedDomain {
                        verified,
                        ..AcceptedDomain::new(d.clone())
                    });
                    Undo::RemoveDomain(d.clone())
                }
            }
        }
        Edit::VerifyDomain(d) | Edit::UnverifyDomain(d) => {
            require_domain(s, d)?;
            let value = matches!(edit, Edit::VerifyDomain(_));
            let was = s
                .tenant
                .update(d.as_str(), |a| std::mem::replace(&mut a.verified, value))
                .unwrap_or(value);
            if was == value {
                Undo::Nothing
            } else {
                Undo::SetVerified(d.clone(), was)
            }
        }
        Edit::RemoveDomain(d) => match s.tenant.remove(d.as_str()) {
            Some((at, domain)) => Undo::InsertDomain { at, domain },
            None => return Err(EditError::NoSuchDomain(d.clone())),
        },
        Edit::SetDomainType {
            domain,
            domain_type,
        } => {
            require_domain(s, domain)?;
            let was = s
                .tenant
                .update(domain.as_str(), |a| {
                    std::mem::replace(&mut a.domain_type, *domain_type)
                })
                .unwrap_or(*domain_type);
            Undo::SetDomainType(domain.clone(), was)
        }
        Edit::SetDefaultDomain(d) => match s.tenant.set_default(d.as_str()) {
            Some(before) => Undo::RestoreDefaults(before),
            None => return Err(EditError::NoSuchDomain(d.clone())),
        },
        Edit::SetRejectDirectSend(v) => {
            Undo::RejectDirectSend(std::mem::replace(&mut s.tenant.reject_direct_send, *v))
        }
        Edit::SelectCertificate(i) => {
            if *i >= s.certificates.len() {
                return Err(EditError::NoSuchCertificate {
                    number: i + 1,
                    count: s.certificates.len(),
                });
            }
            Undo::Select(s.selected_certificate.replace(*i))
        }
        Edit::SetTlsSenderCertificateName { connector, value } => {
            let value = value.clone().filter(|v| !v.trim().is_empty());
            change_connector(s, connector, |c| c.tls_sender_certificate_name = value)?
        }
        Edit::SetConnectorEnabled { connector, value } => {
            change_connector(s, connector, |c| c.enabled = *value)?
        }
        Edit::SetConnectorType { connector, value } => {
            change_connector(s, connector, |c| c.connector_type = *value)?
        }
        Edit::SetRequireTls { connector, value } => {
            change_connector(s, connector, |c| c.require_tls = *value)?
        }
        Edit::SetCloudServicesMailEnabled { connector, value } => {
            change_connector(s, connector, |c| c.cloud_services_mail_enabled = *value)?
        }
        Edit::SetSenderIpAddresses { connector, value } => {
            change_connector(s, connector, |c| c.sender_ip_addresses = value.clone())?
        }
        Edit::RenameConnector { connector, value } => {
            let name = value.trim();
            if name.is_empty() {
                return Err(EditError::EmptyName);
            }
            let at = connector_index(s, connector)?;
            let taken = s
                .inbound_connectors
                .iter()
                .enumerate()
                .any(|(i, c)| i != at && c.name.eq_ignore_ascii_case(name));
            if taken {
                return Err(EditError::DuplicateConnector(name.to_string()));
            }
            change_connector(s, &Some(s.inbound_connectors[at].name.clone()), |c| {
                c.name = name.to_string()
            })?
        }
        Edit::AddConnector(c) => {
            if c.name.trim().is_empty() {
                return Err(EditError::EmptyName);
            }
            if s.inbound_connectors
                .iter()
                .any(|have| have.name.eq_ignore_ascii_case(&c.name))
            {
                return Err(EditError::DuplicateConnector(c.name.clone()));
            }
            s.inbound_connectors.push(c.clone());
            Undo::RemoveConnectorAt(s.inbound_connectors.len() - 1)
        }
        Edit::RemoveConnector(name) => {
            let at = connector_index(s, &Some(name.clone()))?;
            let connector = Box::new(s.inbound_connectors.remove(at));
            Undo::InsertConnector { at, connector }
        }
        Edit::SetOrganizationFqdn(f) => {
            let before = Box::new(s.on_premises.clone());
            s.on_premises.organization_fqdn = f.clone();
            Undo::OnPremises(before)
        }
        Edit::SetOnPremisesIp(ip) => {
            let before = Box::new(s.on_premises.clone());
            s.on_premises.ip = *ip;
            Undo::OnPremises(before)
        }
        Edit::SetSendConnector {
            connector,
            settings,
        } => {
            let at = s
                .on_premises
                .send_connectors
                .iter()
                .flatten()
                .position(|c| c.name.eq_ignore_ascii_case(connector))
                .ok_or_else(|| EditError::NoSuchSendConnector(connector.clone()))?;
            let before = Box::new(s.on_premises.clone());
            if let Some(c) = s
                .on_premises
                .send_connectors
                .as_mut()
                .and_then(|list| list.get_mut(at))
            {
                for setting in settings {
                    setting.apply(c);
                }
            }
            Undo::OnPremises(before)
        }
        Edit::AddSendConnector(c) => {
            let before = Box::new(s.on_premises.clone());
            s.on_premises
                .send_connectors
                .get_or_insert_with(Vec::new)
                .push(c.clone());
            Undo::OnPremises(before)
        }
        Edit::PutServerCertificate {
            server,
            certificate,
        } => {
            let before = Box::new(s.on_premises.clone());
            let servers = &mut s.on_premises.servers;
            let at = match servers
                .iter()
                .position(|t| super::onprem::same_server(&t.name, server))
            {
                Some(at) => at,
                None => {
                    servers.push(TransportServer::new(server.clone()));
                    servers.len() - 1
                }
            };
            let list = &mut servers[at].certificates;
            match list
                .iter_mut()
                .find(|c| c.thumbprint.eq_ignore_ascii_case(&certificate.thumbprint))
            {
                Some(slot) => *slot = certificate.clone(),
                None => list.push(certificate.clone()),
            }
            Undo::OnPremises(before)
        }
        Edit::AddMessage(m) => {
            let before = s.messages.clone();
            materialize_messages(s);
            s.messages.push(m.clone());
            Undo::Messages(before)
        }
        Edit::ReplaceMessage { index, message } => {
            let before = s.messages.clone();
            materialize_messages(s);
            match s.messages.get_mut(*index) {
                Some(slot) => *slot = message.clone(),
                None => {
                    s.messages = before;
                    return Err(EditError::NoSuchMessage(index + 1));
                }
            }
            Undo::Messages(before)
        }
        Edit::RemoveMessage(index) => {
            let before = s.messages.clone();
            materialize_messages(s);
            if *index >= s.messages.len() {
                s.messages = before;
                return Err(EditError::NoSuchMessage(index + 1));
            }
            s.messages.remove(*index);
            Undo::Messages(before)
        }
        Edit::ResetMessages => {
            let before = std::mem::take(&mut s.messages);
            materialize_messages(s);
            Undo::Messages(before)
        }
        Edit::AddCertificates(entries) => {
            let undo = Undo::TruncateCertificates {
                len: s.certificates.len(),
                selected: s.selected_certificate,
            };
            s.certificates.extend(entries.iter().cloned());
            if s.selected_certificate.is_none() && !s.certificates.is_empty() {
                s.selected_certificate = Some(0);
            }
            undo
        }
        Edit::RemoveCertificate(i) => {
            if *i >= s.certificates.len() {
                return Err(EditError::NoCertificateToRemove(i + 1));
            }
            let selected = s.selected_certificate;
            let entry = Box::new(s.certificates.remove(*i));
            s.selected_certificate = match selected {
                Some(sel) if sel == *i => (!s.certificates.is_empty()).then_some(0),
                Some(sel) if sel > *i => Some(sel - 1),
                other => other,
            };
            Undo::InsertCertificate {
                at: *i,
                entry,
                selected,
            }
        }
    })
}

/// Applies several edits as one: all of them, or (on the first error) none.
pub fn apply_all(s: &mut Scenario, edits: &[Edit]) -> Result<Vec<Undo>, EditError> {
    let mut undos = Vec::with_capacity(edits.len());
    for e in edits {
        match apply(s, e) {
            Ok(u) => undos.push(u),
            Err(err) => {
                for u in undos.into_iter().rev() {
                    revert(s, u);
                }
                return Err(err);
            }
        }
    }
    Ok(undos)
}

/// Edits as YAML writes them: one single-key map per edit (`- add_domain: x`).
pub fn parse_edits(yaml: &str) -> Result<Vec<Edit>, serde_yaml::Error> {
    serde_yaml::with::singleton_map_recursive::deserialize(serde_yaml::Deserializer::from_str(yaml))
}

/// Turns "the default messages" into an explicit list before it is edited, so that editing
/// one default message does not make the others disappear.
pub fn materialize_messages(s: &mut Scenario) {
    if s.messages.is_empty() {
        s.messages = s.effective_messages();
    }
}

mod describe;
mod undo;
pub use describe::describe;
pub use undo::{Undo, revert};

#[cfg(test)]
mod tests;
