//! The test messages: the envelope sender (P1 MAIL FROM), one recipient and what kind of
//! mail it stands for.

use serde::{Deserialize, Serialize};

use crate::names::{self, DnsName, EmailAddress};

/// The envelope sender (P1 `MAIL FROM`); empty is the null sender of an NDR.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailFrom(pub Option<EmailAddress>);

impl MailFrom {
    pub fn parse(text: &str) -> Result<Self, names::NameError> {
        let t = text.trim();
        if t.is_empty() || t == "<>" {
            Ok(MailFrom(None))
        } else {
            EmailAddress::parse(t).map(|a| MailFrom(Some(a)))
        }
    }

    pub fn domain(&self) -> Option<&DnsName> {
        self.0.as_ref().map(EmailAddress::domain)
    }

    /// SMTP form: `<>` for the null sender.
    pub fn display(&self) -> String {
        match &self.0 {
            Some(a) => a.to_string(),
            None => "<>".to_string(),
        }
    }

    pub fn as_text(&self) -> &str {
        self.0.as_ref().map_or("", EmailAddress::as_str)
    }
}

impl Serialize for MailFrom {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_text())
    }
}

impl<'de> Deserialize<'de> for MailFrom {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = Option::<String>::deserialize(d)?.unwrap_or_default();
        MailFrom::parse(&text).map_err(serde::de::Error::custom)
    }
}

impl Serialize for EmailAddress {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for EmailAddress {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        EmailAddress::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// What a test message stands for, in the admin's words (the headline says "NDRs",
/// "forwarded mail", "mail sent as fabrikam.com").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MessageKind {
    /// A user's own mail to the Internet.
    User,
    /// A non-delivery report: the null sender `<>`.
    Ndr,
    /// Mail sent as a domain the tenant does not own.
    SentAs,
    /// External mail forwarded on: its envelope sender stays the original one.
    Forwarded,
    /// Mail to the tenant's own users.
    Internal,
    /// Anything else.
    Other,
}

impl MessageKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MessageKind::User => "user",
            MessageKind::Ndr => "ndr",
            MessageKind::SentAs => "sent-as",
            MessageKind::Forwarded => "forwarded",
            MessageKind::Internal => "internal",
            MessageKind::Other => "other",
        }
    }

    /// The kind of a message written before `kind:` existed (or added in the wizard without
    /// one): the null sender is an NDR, a name that speaks of forwarding is forwarded mail.
    pub fn guess(name: Option<&str>, mail_from: &MailFrom) -> MessageKind {
        if mail_from.0.is_none() {
            MessageKind::Ndr
        } else if name.is_some_and(|n| n.to_ascii_lowercase().contains("forward")) {
            MessageKind::Forwarded
        } else {
            MessageKind::Other
        }
    }
}

/// One message the on-premises server hands to Exchange Online.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Message {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub kind: MessageKind,
    pub mail_from: MailFrom,
    pub rcpt_to: EmailAddress,
}

/// A message as a scenario file writes it (`kind:` may be missing in older files).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MessageFile {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    kind: Option<MessageKind>,
    #[serde(default = "null_sender")]
    mail_from: MailFrom,
    rcpt_to: EmailAddress,
}

impl<'de> Deserialize<'de> for Message {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let f = MessageFile::deserialize(d)?;
        Ok(Message {
            kind: f
                .kind
                .unwrap_or_else(|| MessageKind::guess(f.name.as_deref(), &f.mail_from)),
            name: f.name,
            mail_from: f.mail_from,
            rcpt_to: f.rcpt_to,
        })
    }
}

fn null_sender() -> MailFrom {
    MailFrom(None)
}

impl Message {
    pub fn new(
        name: &str,
        kind: MessageKind,
        mail_from: &str,
        rcpt_to: &str,
    ) -> Result<Self, names::NameError> {
        Ok(Message {
            name: Some(name.to_string()),
            kind,
            mail_from: MailFrom::parse(mail_from)?,
            rcpt_to: EmailAddress::parse(rcpt_to)?,
        })
    }

    /// The name to show: the given one, or `sender → recipient`.
    pub fn title(&self) -> String {
        match &self.name {
            Some(n) if !n.trim().is_empty() => n.clone(),
            _ => format!("{} → {}", self.mail_from.display(), self.rcpt_to),
        }
    }
}

/// The four messages of seed 002's scenarios, sent from the tenant's domain `d`.
pub fn default_messages(d: Option<&str>) -> Vec<Message> {
    let d = d.unwrap_or("contoso.com");
    let rows = [
        (
            "User mail to the Internet",
            MessageKind::User,
            format!("user@{d}"),
            "someone@tailspintoys.com",
        ),
        (
            "NDR to an external sender",
            MessageKind::Ndr,
            String::new(),
            "john@fabrikam.com",
        ),
        (
            "Mail sent as a domain the tenant does not own",
            MessageKind::SentAs,
            "user@fabrikam.com".to_string(),
            "someone@tailspintoys.com",
        ),
        (
            "Forwarded external mail",
            MessageKind::Forwarded,
            "john@fabrikam.com".to_string(),
            "kate@tailspintoys.com",
        ),
    ];
    rows.iter()
        .filter_map(|(name, kind, from, to)| Message::new(name, *kind, from, to).ok())
        .collect()
}
