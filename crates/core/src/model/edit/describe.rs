//! Edits in the admin's words.

use super::*;

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
        Edit::SetSendConnector { connector, .. } => {
            format!("changed send connector \"{connector}\"")
        }
        Edit::AddSendConnector(c) => format!("added send connector \"{}\"", c.name),
        Edit::PutServerCertificate {
            server,
            certificate,
        } => format!(
            "installed certificate {} on {server}",
            certificate.thumbprint
        ),
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
