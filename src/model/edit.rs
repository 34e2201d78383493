//! Edits: every change the wizard can make to a scenario, as data. The wizard's keys, the
//! one-key fixes and a lesson's `solution:` all go through [`apply`], so a replayed
//! solution is exactly what a learner would have done. Each applied edit hands back its
//! [`Undo`]: what puts the scenario back, small enough that the wizard's history keeps
//! edits, never copies of the scenario.

use std::net::IpAddr;

use serde::{Deserialize, Serialize};

use super::{
    AcceptedDomain, CertificateEntry, ConnectorType, DomainType, InboundConnector, IpRange,
    Message, OnPremises, Scenario,
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
}

/// What puts the scenario back as it was before one edit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Undo {
    Nothing,
    RemoveDomain(DnsName),
    InsertDomain {
        at: usize,
        domain: AcceptedDomain,
    },
    SetVerified(DnsName, bool),
    SetDomainType(DnsName, DomainType),
    RestoreDefaults(Vec<DnsName>),
    RejectDirectSend(bool),
    Select(Option<usize>),
    /// The connector at this position as it was.
    Connector {
        at: usize,
        connector: Box<InboundConnector>,
    },
    RemoveConnectorAt(usize),
    InsertConnector {
        at: usize,
        connector: Box<InboundConnector>,
    },
    OnPremises(Box<OnPremises>),
    Messages(Vec<Message>),
    TruncateCertificates {
        len: usize,
        selected: Option<usize>,
    },
    InsertCertificate {
        at: usize,
        entry: Box<CertificateEntry>,
        selected: Option<usize>,
    },
}

impl Undo {
    /// About how many bytes this undo keeps alive (for the history's memory bound).
    pub fn weight(&self) -> usize {
        let base = std::mem::size_of::<Undo>();
        base + match self {
            Undo::RemoveDomain(d) | Undo::SetVerified(d, _) | Undo::SetDomainType(d, _) => {
                d.as_str().len()
            }
            Undo::InsertDomain { domain, .. } => domain.domain.as_str().len() + 32,
            Undo::RestoreDefaults(v) => v.iter().map(|d| d.as_str().len() + 24).sum(),
            Undo::Connector { connector, .. } | Undo::InsertConnector { connector, .. } => {
                connector_weight(connector)
            }
            Undo::Messages(m) => m.iter().map(|m| 160 + m.title().len()).sum(),
            Undo::InsertCertificate { .. } => 256,
            _ => 0,
        }
    }
}

fn connector_weight(c: &InboundConnector) -> usize {
    std::mem::size_of::<InboundConnector>()
        + c.name.len()
        + c.tls_sender_certificate_name
            .as_ref()
            .map_or(0, String::len)
        + c.sender_ip_addresses.len() * 48
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

/// Puts the scenario back as it was before the edit that returned `undo`. Undos must be
/// reverted in the reverse order of the edits (the history's stack order).
pub fn revert(s: &mut Scenario, undo: Undo) {
    match undo {
        Undo::Nothing => {}
        Undo::RemoveDomain(d) => {
            s.tenant.remove(d.as_str());
        }
        Undo::InsertDomain { at, domain } => {
            s.tenant.insert(at, domain);
        }
        Undo::SetVerified(d, v) => {
            s.tenant.update(d.as_str(), |a| a.verified = v);
        }
        Undo::SetDomainType(d, t) => {
            s.tenant.update(d.as_str(), |a| a.domain_type = t);
        }
        Undo::RestoreDefaults(defaults) => s.tenant.restore_defaults(&defaults),
        Undo::RejectDirectSend(v) => s.tenant.reject_direct_send = v,
        Undo::Select(sel) => s.selected_certificate = sel,
        Undo::Connector { at, connector } => {
            if let Some(slot) = s.inbound_connectors.get_mut(at) {
                *slot = *connector;
            }
        }
        Undo::RemoveConnectorAt(at) => {
            if at < s.inbound_connectors.len() {
                s.inbound_connectors.remove(at);
            }
        }
        Undo::InsertConnector { at, connector } => {
            let at = at.min(s.inbound_connectors.len());
            s.inbound_connectors.insert(at, *connector);
        }
        Undo::OnPremises(o) => s.on_premises = *o,
        Undo::Messages(m) => s.messages = m,
        Undo::TruncateCertificates { len, selected } => {
            s.certificates.truncate(len);
            s.selected_certificate = selected;
        }
        Undo::InsertCertificate {
            at,
            entry,
            selected,
        } => {
            let at = at.min(s.certificates.len());
            s.certificates.insert(at, *entry);
            s.selected_certificate = selected;
        }
    }
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

/// An edit in the admin's words, for the "what changed" line and a lesson's completion
/// panel. `s` is the scenario the edit is about to be applied to, so that a message or a
/// certificate is named, not numbered.
pub fn describe(edit: &Edit, s: &Scenario) -> String {
    let message_name = |i: usize| {
        s.messages
            .get(i)
            .map(Message::title)
            .or_else(|| s.effective_messages().get(i).map(Message::title))
            .unwrap_or_else(|| format!("number {}", i + 1))
    };
    let certificate_name = |i: usize| {
        s.certificates
            .get(i)
            .map(|e| e.facts.display_name())
            .unwrap_or_else(|| format!("number {}", i + 1))
    };
    let connector_name = |r: &ConnectorRef| {
        connector_index(s, r)
            .ok()
            .map(|i| s.inbound_connectors[i].name.clone())
            .or_else(|| r.clone())
            .unwrap_or_default()
    };
    match edit {
        Edit::AddDomain(d) => format!("added and verified {d}"),
        Edit::AddUnverifiedDomain(d) => format!("added {d} (verification pending)"),
        Edit::VerifyDomain(d) => format!("verified {d}"),
        Edit::UnverifyDomain(d) => format!("set {d} to pending verification"),
        Edit::RemoveDomain(d) => format!("removed {d}"),
        Edit::SetDomainType {
            domain,
            domain_type,
        } => format!("{domain} is now {domain_type}"),
        Edit::SetDefaultDomain(d) => format!("{d} is now the default domain"),
        Edit::SetRejectDirectSend(v) => format!(
            "RejectDirectSend {}",
            if *v { "turned on" } else { "turned off" }
        ),
        Edit::SelectCertificate(i) => {
            format!("the server now presents {}", certificate_name(*i))
        }
        Edit::SetTlsSenderCertificateName { value, connector } => match value {
            Some(v) => format!(
                "TlsSenderCertificateName of \"{}\" set to {v}",
                connector_name(connector)
            ),
            None => format!(
                "TlsSenderCertificateName of \"{}\" cleared",
                connector_name(connector)
            ),
        },
        Edit::SetConnectorEnabled { value, connector } => format!(
            "connector \"{}\" {}",
            connector_name(connector),
            if *value { "enabled" } else { "disabled" }
        ),
        Edit::SetConnectorType { value, connector } => format!(
            "ConnectorType of \"{}\" set to {value}",
            connector_name(connector)
        ),
        Edit::SetRequireTls { value, connector } => format!(
            "RequireTls of \"{}\" set to {value}",
            connector_name(connector)
        ),
        Edit::SetCloudServicesMailEnabled { value, connector } => format!(
            "CloudServicesMailEnabled of \"{}\" set to {value}",
            connector_name(connector)
        ),
        Edit::SetSenderIpAddresses { value, connector } => format!(
            "SenderIPAddresses of \"{}\" set to {}",
            connector_name(connector),
            if value.is_empty() {
                "nothing".to_string()
            } else {
                value
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        ),
        Edit::RenameConnector { value, connector } => format!(
            "connector \"{}\" renamed to \"{value}\"",
            connector_name(connector)
        ),
        Edit::AddConnector(c) => format!("added inbound connector \"{}\"", c.name),
        Edit::RemoveConnector(n) => format!("removed inbound connector \"{n}\""),
        Edit::SetOrganizationFqdn(f) => match f {
            Some(f) => format!("organisation FQDN set to {f}"),
            None => "organisation FQDN cleared".to_string(),
        },
        Edit::SetOnPremisesIp(ip) => match ip {
            Some(ip) => format!("on-premises IP set to {ip}"),
            None => "on-premises IP cleared".to_string(),
        },
        Edit::AddMessage(m) => format!("added message \"{}\"", m.title()),
        Edit::ReplaceMessage { message, index } => {
            let old = message_name(*index);
            if old == message.title() {
                format!("changed message \"{old}\"")
            } else {
                format!("changed message \"{old}\" to \"{}\"", message.title())
            }
        }
        Edit::RemoveMessage(i) => format!("deleted message \"{}\"", message_name(*i)),
        Edit::ResetMessages => "back to the four default messages".to_string(),
        Edit::AddCertificates(entries) => match entries.as_slice() {
            [one] => format!("added certificate {}", one.facts.display_name()),
            many => format!("added {} certificates", many.len()),
        },
        Edit::RemoveCertificate(i) => format!("removed certificate {}", certificate_name(*i)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scenario() -> Scenario {
        let mut s = Scenario::default();
        s.tenant
            .push(AcceptedDomain::new(DnsName::parse("contoso.com").unwrap()));
        s.inbound_connectors.push(InboundConnector::new("Inbound"));
        s
    }

    /// Applies the edit, checks `check`, reverts, and checks the scenario is as before.
    fn round_trip(s: &mut Scenario, e: Edit, check: impl FnOnce(&Scenario)) {
        let before = s.clone();
        let undo = apply(s, &e).unwrap_or_else(|err| panic!("{e:?}: {err}"));
        check(s);
        revert(s, undo);
        assert_eq!(*s, before, "undo of {e:?}");
    }

    #[test]
    fn add_verify_remove_domain() {
        let mut s = scenario();
        let sub = DnsName::parse("sub.contoso.com").unwrap();
        apply(&mut s, &Edit::AddUnverifiedDomain(sub.clone())).unwrap();
        assert!(!s.tenant.accepted_domains()[1].verified);
        apply(&mut s, &Edit::VerifyDomain(sub.clone())).unwrap();
        assert!(s.tenant.accepted_domains()[1].verified);
        apply(&mut s, &Edit::RemoveDomain(sub.clone())).unwrap();
        assert_eq!(s.tenant.len(), 1);
        assert_eq!(
            apply(&mut s, &Edit::VerifyDomain(sub.clone())),
            Err(EditError::NoSuchDomain(sub))
        );
    }

    #[test]
    fn every_edit_is_undone_exactly() {
        let mut s = scenario();
        let d = |t: &str| DnsName::parse(t).unwrap();
        s.tenant.push(AcceptedDomain {
            verified: false,
            ..AcceptedDomain::new(d("fabrikam.com"))
        });
        let edits = vec![
            Edit::AddDomain(d("sub.contoso.com")),
            Edit::AddDomain(d("fabrikam.com")),
            Edit::AddUnverifiedDomain(d("new.contoso.com")),
            Edit::VerifyDomain(d("fabrikam.com")),
            Edit::UnverifyDomain(d("contoso.com")),
            Edit::RemoveDomain(d("contoso.com")),
            Edit::SetDomainType {
                domain: d("contoso.com"),
                domain_type: DomainType::InternalRelay,
            },
            Edit::SetDefaultDomain(d("fabrikam.com")),
            Edit::SetRejectDirectSend(true),
            Edit::SetTlsSenderCertificateName {
                connector: None,
                value: Some("*.contoso.com".into()),
            },
            Edit::SetConnectorEnabled {
                connector: Some("inbound".into()),
                value: false,
            },
            Edit::SetConnectorType {
                connector: None,
                value: ConnectorType::Partner,
            },
            Edit::SetSenderIpAddresses {
                connector: None,
                value: vec!["203.0.113.10".parse().unwrap()],
            },
            Edit::RenameConnector {
                connector: None,
                value: "Renamed".into(),
            },
            Edit::AddConnector(InboundConnector::new("Second")),
            Edit::RemoveConnector("Inbound".into()),
            Edit::SetOrganizationFqdn(Some(d("mail.contoso.com"))),
            Edit::SetOnPremisesIp(Some("203.0.113.10".parse().unwrap())),
            Edit::AddMessage(
                Message::new(
                    "x",
                    super::super::MessageKind::Other,
                    "a@contoso.com",
                    "b@c.com",
                )
                .unwrap(),
            ),
            Edit::RemoveMessage(1),
            Edit::ResetMessages,
        ];
        for e in edits {
            round_trip(&mut s, e, |_| {});
        }
    }

    #[test]
    fn failed_edits_change_nothing_and_say_why() {
        let mut s = scenario();
        let before = s.clone();
        assert_eq!(
            apply(&mut s, &Edit::RemoveMessage(9)),
            Err(EditError::NoSuchMessage(10))
        );
        assert_eq!(
            apply(
                &mut s,
                &Edit::AddConnector(InboundConnector::new("INBOUND"))
            ),
            Err(EditError::DuplicateConnector("INBOUND".into()))
        );
        assert_eq!(
            apply(
                &mut s,
                &Edit::RenameConnector {
                    connector: None,
                    value: " ".into()
                }
            ),
            Err(EditError::EmptyName)
        );
        assert_eq!(s, before);
        let all = apply_all(
            &mut s,
            &[
                Edit::AddDomain(DnsName::parse("a.contoso.com").unwrap()),
                Edit::SelectCertificate(3),
            ],
        );
        assert_eq!(
            all,
            Err(EditError::NoSuchCertificate {
                number: 4,
                count: 0
            })
        );
        assert_eq!(s, before, "all or nothing");
    }

    #[test]
    fn connector_edits_find_the_connector() {
        let mut s = scenario();
        apply(
            &mut s,
            &Edit::SetTlsSenderCertificateName {
                connector: None,
                value: Some("*.contoso.com".into()),
            },
        )
        .unwrap();
        assert_eq!(
            s.inbound_connectors[0]
                .tls_sender_certificate_name
                .as_deref(),
            Some("*.contoso.com")
        );
        let missing = apply(
            &mut s,
            &Edit::SetRequireTls {
                connector: Some("Nope".into()),
                value: false,
            },
        );
        assert_eq!(
            missing.unwrap_err().to_string(),
            "there is no inbound connector named \"Nope\""
        );
    }

    #[test]
    fn editing_default_messages_keeps_the_others() {
        let mut s = scenario();
        apply(&mut s, &Edit::RemoveMessage(0)).unwrap();
        assert_eq!(s.messages.len(), 3);
        assert_eq!(s.messages[0].title(), "NDR to an external sender");
    }

    #[test]
    fn descriptions_name_what_they_touch() {
        let mut s = scenario();
        materialize_messages(&mut s);
        assert_eq!(
            describe(&Edit::RemoveMessage(1), &s),
            "deleted message \"NDR to an external sender\""
        );
        assert_eq!(
            describe(
                &Edit::SetTlsSenderCertificateName {
                    connector: None,
                    value: Some("*.contoso.com".into())
                },
                &s
            ),
            "TlsSenderCertificateName of \"Inbound\" set to *.contoso.com"
        );
    }

    #[test]
    fn solution_yaml_shape() {
        let yaml = "- add_domain: sub.contoso.com\n- set_tls_sender_certificate_name: {value: '*.contoso.com'}\n- select_certificate: 1\n- set_reject_direct_send: true\n";
        let edits = parse_edits(yaml).unwrap();
        assert_eq!(
            edits[0],
            Edit::AddDomain(DnsName::parse("sub.contoso.com").unwrap())
        );
        assert_eq!(
            edits[1],
            Edit::SetTlsSenderCertificateName {
                connector: None,
                value: Some("*.contoso.com".into())
            }
        );
        assert_eq!(edits[2], Edit::SelectCertificate(0));
        assert_eq!(edits[3], Edit::SetRejectDirectSend(true));
        assert!(parse_edits("- select_certificate: 0").is_err());
        assert!(parse_edits("- paint_it_red: 1").is_err());
        assert!(parse_edits("- add_certificates: []").is_err());
    }
}
