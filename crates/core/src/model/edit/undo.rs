//! What puts a scenario back after an edit: small enough that the wizard's history keeps
//! edits, never copies of the scenario, and weighs them for its memory bound.

use super::super::{
    AcceptedDomain, CertificateEntry, DomainType, InboundConnector, Message, OnPremises, Scenario,
    SendConnector, ServerCertificate,
};
use crate::names::DnsName;

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
            Undo::OnPremises(o) => on_premises_weight(o),
            _ => 0,
        }
    }
}

fn on_premises_weight(o: &OnPremises) -> usize {
    let send: usize = o
        .send_connectors
        .iter()
        .flatten()
        .map(|c| {
            std::mem::size_of::<SendConnector>()
                + c.name.len()
                + c.smart_hosts
                    .iter()
                    .chain(&c.address_spaces)
                    .map(String::len)
                    .sum::<usize>()
                + c.tls_certificate_name.as_ref().map_or(0, String::len)
                + c.source_transport_servers
                    .iter()
                    .map(String::len)
                    .sum::<usize>()
        })
        .sum();
    let receive = o.receive_connectors.as_ref().map_or(0, |r| r.len() * 256);
    let servers: usize = o
        .servers
        .iter()
        .map(|t| 64 + t.certificates.len() * std::mem::size_of::<ServerCertificate>())
        .sum();
    std::mem::size_of::<OnPremises>() + send + receive + servers
}

fn connector_weight(c: &InboundConnector) -> usize {
    std::mem::size_of::<InboundConnector>()
        + c.name.len()
        + c.tls_sender_certificate_name
            .as_ref()
            .map_or(0, String::len)
        + c.sender_ip_addresses.len() * 48
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
