//! An inbound connector setting, as data: its PowerShell and the wizard's edit.

use serde::Serialize;

use super::quote::{ps_bool, ps_quote};
use crate::model::{ConnectorType, Edit, IpRange};

/// One inbound connector setting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "parameter", content = "value")]
pub enum ConnectorSetting {
    Name(String),
    Enabled(bool),
    ConnectorType(ConnectorType),
    RequireTls(bool),
    CloudServicesMailEnabled(bool),
    /// `None` clears it (`$null`): the connector then recognises the server by IP only.
    TlsSenderCertificateName(Option<String>),
    /// Empty clears them (`$null`), as HCW writes.
    SenderIpAddresses(Vec<IpRange>),
}

impl ConnectorSetting {
    /// The parameter and its value, as PowerShell writes them.
    pub fn powershell(&self) -> String {
        match self {
            ConnectorSetting::Name(n) => format!("-Name {}", ps_quote(n)),
            ConnectorSetting::Enabled(b) => format!("-Enabled {}", ps_bool(*b)),
            ConnectorSetting::ConnectorType(t) => format!("-ConnectorType {t}"),
            ConnectorSetting::RequireTls(b) => format!("-RequireTls {}", ps_bool(*b)),
            ConnectorSetting::CloudServicesMailEnabled(b) => {
                format!("-CloudServicesMailEnabled {}", ps_bool(*b))
            }
            ConnectorSetting::TlsSenderCertificateName(Some(v)) => {
                format!("-TlsSenderCertificateName {}", ps_quote(v))
            }
            ConnectorSetting::TlsSenderCertificateName(None) => {
                "-TlsSenderCertificateName $null".to_string()
            }
            ConnectorSetting::SenderIpAddresses(ips) if ips.is_empty() => {
                "-SenderIPAddresses $null".to_string()
            }
            ConnectorSetting::SenderIpAddresses(ips) => format!(
                "-SenderIPAddresses {}",
                ips.iter()
                    .map(|i| ps_quote(&i.to_string()))
                    .collect::<Vec<_>>()
                    .join(",")
            ),
        }
    }

    pub(super) fn edit(&self, connector: &Option<String>) -> Edit {
        let connector = connector.clone();
        match self {
            ConnectorSetting::Name(v) => Edit::RenameConnector {
                connector,
                value: v.clone(),
            },
            ConnectorSetting::Enabled(v) => Edit::SetConnectorEnabled {
                connector,
                value: *v,
            },
            ConnectorSetting::ConnectorType(t) => Edit::SetConnectorType {
                connector,
                value: *t,
            },
            ConnectorSetting::RequireTls(v) => Edit::SetRequireTls {
                connector,
                value: *v,
            },
            ConnectorSetting::CloudServicesMailEnabled(v) => Edit::SetCloudServicesMailEnabled {
                connector,
                value: *v,
            },
            ConnectorSetting::TlsSenderCertificateName(v) => Edit::SetTlsSenderCertificateName {
                connector,
                value: v.clone(),
            },
            ConnectorSetting::SenderIpAddresses(v) => Edit::SetSenderIpAddresses {
                connector,
                value: v.clone(),
            },
        }
    }
}
