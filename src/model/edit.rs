//! Edits: every change the wizard can make to a scenario, as data. The wizard's keys, the
//! one-key fixes and a lesson's `solution:` all go through [`apply`], so a replayed
//! solution is exactly what a learner would have done.

use std::net::IpAddr;

use serde::{Deserialize, Serialize};

use super::{
    AcceptedDomain, ConnectorType, DomainType, InboundConnector, IpRange, Message, Scenario,
};
use crate::checks::{ConnectorSetting, FixAction};
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
    /// Take a certificate out of the candidate list (index; 1-based in YAML).
    RemoveCertificate(#[serde(with = "one_based")] usize),
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

fn connector_index(s: &Scenario, r: &ConnectorRef) -> Result<usize, String> {
    let list = &s.inbound_connectors;
    match r {
        Some(name) => list
            .iter()
            .position(|c| c.name.eq_ignore_ascii_case(name))
            .ok_or_else(|| format!("there is no inbound connector named \"{name}\"")),
        None => list
            .iter()
            .position(|c| c.connector_type == ConnectorType::OnPremises)
            .or(if list.is_empty() { None } else { Some(0) })
            .ok_or_else(|| "there is no inbound connector".to_string()),
    }
}

fn domain_index(s: &Scenario, d: &DnsName) -> Result<usize, String> {
    s.tenant
        .accepted_domains
        .iter()
        .position(|a| &a.domain == d)
        .ok_or_else(|| format!("{d} is not an accepted domain"))
}

/// Applies an edit; an edit that names something absent changes nothing and says why.
pub fn apply(s: &mut Scenario, edit: &Edit) -> Result<(), String> {
    match edit {
        Edit::AddDomain(d) | Edit::AddUnverifiedDomain(d) => {
            let verified = matches!(edit, Edit::AddDomain(_));
            match domain_index(s, d) {
                Ok(i) => s.tenant.accepted_domains[i].verified |= verified,
                Err(_) => s.tenant.accepted_domains.push(AcceptedDomain {
                    verified,
                    ..AcceptedDomain::new(d.clone())
                }),
            }
        }
        Edit::VerifyDomain(d) => {
            let i = domain_index(s, d)?;
            s.tenant.accepted_domains[i].verified = true;
        }
        Edit::UnverifyDomain(d) => {
            let i = domain_index(s, d)?;
            s.tenant.accepted_domains[i].verified = false;
        }
        Edit::RemoveDomain(d) => {
            let i = domain_index(s, d)?;
            s.tenant.accepted_domains.remove(i);
        }
        Edit::SetDomainType {
            domain,
            domain_type,
        } => {
            let i = domain_index(s, domain)?;
            s.tenant.accepted_domains[i].domain_type = *domain_type;
        }
        Edit::SetDefaultDomain(d) => {
            let i = domain_index(s, d)?;
            for (j, a) in s.tenant.accepted_domains.iter_mut().enumerate() {
                a.default = i == j;
            }
        }
        Edit::SelectCertificate(i) => {
            if *i >= s.certificates.len() {
                return Err(format!(
                    "there is no certificate number {} (the scenario has {})",
                    i + 1,
                    s.certificates.len()
                ));
            }
            s.selected_certificate = Some(*i);
        }
        Edit::SetTlsSenderCertificateName { connector, value } => {
            let i = connector_index(s, connector)?;
            s.inbound_connectors[i].tls_sender_certificate_name =
                value.clone().filter(|v| !v.trim().is_empty());
        }
        Edit::SetConnectorEnabled { connector, value } => {
            let i = connector_index(s, connector)?;
            s.inbound_connectors[i].enabled = *value;
        }
        Edit::SetConnectorType { connector, value } => {
            let i = connector_index(s, connector)?;
            s.inbound_connectors[i].connector_type = *value;
        }
        Edit::SetRequireTls { connector, value } => {
            let i = connector_index(s, connector)?;
            s.inbound_connectors[i].require_tls = *value;
        }
        Edit::SetCloudServicesMailEnabled { connector, value } => {
            let i = connector_index(s, connector)?;
            s.inbound_connectors[i].cloud_services_mail_enabled = *value;
        }
        Edit::SetSenderIpAddresses { connector, value } => {
            let i = connector_index(s, connector)?;
            s.inbound_connectors[i].sender_ip_addresses = value.clone();
        }
        Edit::RenameConnector { connector, value } => {
            let i = connector_index(s, connector)?;
            let name = value.trim();
            if name.is_empty() {
                return Err("a connector needs a name".to_string());
            }
            s.inbound_connectors[i].name = name.to_string();
        }
        Edit::AddConnector(c) => s.inbound_connectors.push(c.clone()),
        Edit::RemoveConnector(name) => {
            let i = connector_index(s, &Some(name.clone()))?;
            s.inbound_connectors.remove(i);
        }
        Edit::SetOrganizationFqdn(f) => s.on_premises.organization_fqdn = f.clone(),
        Edit::SetOnPremisesIp(ip) => s.on_premises.ip = *ip,
        Edit::AddMessage(m) => {
            materialize_messages(s);
            s.messages.push(m.clone());
        }
        Edit::ReplaceMessage { index, message } => {
            materialize_messages(s);
            let slot = s
                .messages
                .get_mut(*index)
                .ok_or_else(|| format!("there is no message number {}", index + 1))?;
            *slot = message.clone();
        }
        Edit::RemoveMessage(index) => {
            materialize_messages(s);
            if *index >= s.messages.len() {
                return Err(format!("there is no message number {}", index + 1));
            }
            s.messages.remove(*index);
        }
        Edit::ResetMessages => {
            s.messages.clear();
            materialize_messages(s);
        }
        Edit::RemoveCertificate(i) => {
            if *i >= s.certificates.len() {
                return Err(format!("there is no certificate number {}", i + 1));
            }
            s.certificates.remove(*i);
            s.selected_certificate = match s.selected_certificate {
                Some(sel) if sel == *i => (!s.certificates.is_empty()).then_some(0),
                Some(sel) if sel > *i => Some(sel - 1),
                other => other,
            };
        }
    }
    Ok(())
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

/// The edits that carry out a fix in the scenario; `None` for fixes done outside the tenant
/// model (a certificate request, the on-premises send connector).
pub fn edits_for_fix(action: &FixAction) -> Option<Vec<Edit>> {
    let domain = |d: &str| DnsName::parse(d).ok();
    match action {
        FixAction::AddDomain { domain: d } => Some(vec![Edit::AddDomain(domain(d)?)]),
        FixAction::VerifyDomain { domain: d } => Some(vec![Edit::VerifyDomain(domain(d)?)]),
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
                        ConnectorSetting::ConnectorType(_) => Edit::SetConnectorType {
                            connector: c.clone(),
                            value: ConnectorType::OnPremises,
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
            let mut c = InboundConnector::new(crate::checks::fix::NEW_CONNECTOR);
            c.tls_sender_certificate_name = Some(tls_sender_certificate_name.clone());
            Some(vec![Edit::AddConnector(c)])
        }
        FixAction::SetSendConnector { .. } | FixAction::Manual { .. } => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scenario() -> Scenario {
        let mut s = Scenario::default();
        s.tenant
            .accepted_domains
            .push(AcceptedDomain::new(DnsName::parse("contoso.com").unwrap()));
        s.inbound_connectors.push(InboundConnector::new("Inbound"));
        s
    }

    #[test]
    fn add_verify_remove_domain() {
        let mut s = scenario();
        let sub = DnsName::parse("sub.contoso.com").unwrap();
        apply(&mut s, &Edit::AddUnverifiedDomain(sub.clone())).unwrap();
        assert!(!s.tenant.accepted_domains[1].verified);
        apply(&mut s, &Edit::VerifyDomain(sub.clone())).unwrap();
        assert!(s.tenant.accepted_domains[1].verified);
        apply(&mut s, &Edit::RemoveDomain(sub.clone())).unwrap();
        assert_eq!(s.tenant.accepted_domains.len(), 1);
        assert!(apply(&mut s, &Edit::VerifyDomain(sub)).is_err());
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
            missing.unwrap_err(),
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
    fn solution_yaml_shape() {
        let yaml = "- add_domain: sub.contoso.com\n- set_tls_sender_certificate_name: {value: '*.contoso.com'}\n- select_certificate: 1\n";
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
        assert!(parse_edits("- select_certificate: 0").is_err());
        assert!(parse_edits("- paint_it_red: 1").is_err());
    }

    #[test]
    fn fixes_become_edits() {
        let e = edits_for_fix(&FixAction::SetInboundConnector {
            connector: "Inbound".into(),
            settings: vec![
                ConnectorSetting::Enabled(true),
                ConnectorSetting::TlsSenderCertificateName("*.contoso.com".into()),
            ],
        })
        .unwrap();
        assert_eq!(e.len(), 2);
        assert!(edits_for_fix(&FixAction::Manual { text: "x".into() }).is_none());
    }
}
