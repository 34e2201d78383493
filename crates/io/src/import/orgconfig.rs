//! `Get-OrganizationConfig | ConvertTo-Json` (or `| Export-Clixml`), from Exchange Online:
//! only `RejectDirectSend` is read (docs/checks.md, rule RELAY step 3). The object has
//! hundreds of other properties; they are left alone.

use std::path::Path;

use super::json;
use crate::error::InputError;

/// What relaycheck reads of the organisation's configuration.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OrganizationConfig {
    /// `None`: the property is not in the file (an export from before Exchange Online had
    /// it, or a `Select-Object` that left it out).
    pub reject_direct_send: Option<bool>,
}

const CMDLET: &str = "Get-OrganizationConfig";

/// Reads the first (the only) object of the export.
pub fn organization_config(path: &Path, text: &str) -> Result<OrganizationConfig, InputError> {
    let rows =
        super::onprem::objects(path, text, CMDLET, "OrganizationConfig")?.unwrap_or_default();
    let Some((at, obj)) = rows.first() else {
        return Err(InputError::new(
            path,
            "the file is empty: Get-OrganizationConfig returned nothing",
        ));
    };
    if rows.len() > 1 {
        return Err(InputError::new(
            path,
            format!(
                "{} objects: Get-OrganizationConfig prints one; is this the output of another cmdlet?",
                rows.len()
            ),
        ));
    }
    super::onprem::wrong_cmdlet(path, at, obj, CMDLET)?;
    // Properties every Get-OrganizationConfig object has, to tell it from another export.
    const ITS_OWN: [&str; 4] = [
        "RejectDirectSend",
        "OAuth2ClientProfileEnabled",
        "IsDehydrated",
        "MailTipsAllTipsEnabled",
    ];
    if !ITS_OWN.iter().any(|k| json::get(obj, k).is_some()) {
        return Err(InputError::new(
            path,
            format!(
                "{}: this is not Get-OrganizationConfig output (it has none of {})",
                if at.is_empty() { "the top level" } else { at },
                ITS_OWN.join(", ")
            ),
        ));
    }
    let reject_direct_send = match json::present(obj, "RejectDirectSend") {
        None => None,
        Some(v) => Some(json::bool_of(path, at, "RejectDirectSend", v)?),
    };
    Ok(OrganizationConfig { reject_direct_send })
}
