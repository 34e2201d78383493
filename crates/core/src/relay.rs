//! Rule RELAY (docs/checks.md, "Rule RELAY"): what Exchange Online does with each message the
//! on-premises server hands it, and the exact SMTP reply.

use serde::Serialize;

use crate::facts::Facts;
pub use crate::facts::MatchedBy;
use crate::model::{Message, MessageKind, Scenario};
use crate::text::Line;

pub const REPLY_TENANT_ATTRIBUTION: &str = "550 5.7.64 TenantAttribution; Relay Access Denied";
/// Anonymous mail from the tenant's own domain once `RejectDirectSend` is on.
pub const REPLY_DIRECT_SEND: &str = "550 5.7.68 TenantInboundAttribution; Direct Send not allowed for this organization from unauthorized sources";
pub const REPLY_ATTR36: &str = "550 5.7.64 Relay Access Denied ATTR36. For more details please refer to: https://support.microsoft.com/kb/3169958";
/// The accepting reply (Exchange Online adds a message id and an internal id).
pub const REPLY_QUEUED: &str = "250 2.6.0 Queued mail for delivery";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Relayed,
    Delivered,
    Rejected,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Relayed => "relayed",
            Outcome::Delivered => "delivered",
            Outcome::Rejected => "rejected",
        }
    }
}

/// What allowed (or would have allowed) the message through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DecidedBy {
    /// A certificate connector whose domain is a verified accepted domain.
    Certificate,
    /// The envelope sender's domain is a verified accepted domain.
    SenderDomain,
    /// The recipient is in the tenant: not a relay.
    RecipientDomain,
    /// No connector claims the server: anonymous (Direct Send) mail to the tenant.
    Anonymous,
    /// Nothing: the message is rejected.
    None,
}

impl DecidedBy {
    pub fn as_str(self) -> &'static str {
        match self {
            DecidedBy::Certificate => "certificate",
            DecidedBy::SenderDomain => "sender domain",
            DecidedBy::RecipientDomain => "recipient domain",
            DecidedBy::Anonymous => "anonymous",
            DecidedBy::None => "none",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MessageOutcome {
    pub name: Line,
    pub kind: MessageKind,
    pub mail_from: String,
    pub rcpt_to: String,
    pub outcome: Outcome,
    pub reply: String,
    /// The inbound connector the message was attributed to.
    pub connector: Option<Line>,
    pub matched_by: MatchedBy,
    pub decided_by: DecidedBy,
    /// One sentence: why this outcome.
    pub explanation: Line,
}

impl MessageOutcome {
    pub fn is_null_sender(&self) -> bool {
        self.mail_from.is_empty()
    }

    /// Refused as Direct Send: anonymous mail from the tenant's own domain to its own
    /// mailboxes, with RejectDirectSend on (`550 5.7.68`).
    pub fn is_direct_send_refused(&self) -> bool {
        self.reply == REPLY_DIRECT_SEND
    }

    /// What decided it, in the admin's words: `anonymous (Direct Send)` for anonymous mail
    /// the tenant takes, `RejectDirectSend` for such mail refused, else [`DecidedBy::as_str`].
    pub fn decided_by_words(&self) -> &'static str {
        match self.decided_by {
            DecidedBy::Anonymous => "anonymous (Direct Send)",
            DecidedBy::None if self.is_direct_send_refused() => "RejectDirectSend",
            d => d.as_str(),
        }
    }

    /// [`Self::decided_by_words`] short enough for a list column: `Direct Send` for
    /// anonymous mail the tenant takes.
    pub fn decided_by_label(&self) -> &'static str {
        match self.decided_by {
            DecidedBy::Anonymous => "Direct Send",
            _ => self.decided_by_words(),
        }
    }
}

/// What Exchange Online does with each message of the scenario.
pub fn simulate(s: &Scenario, facts: &Facts) -> Vec<MessageOutcome> {
    s.effective_messages()
        .iter()
        .map(|m| decide(s, facts, m))
        .collect()
}

fn decide(s: &Scenario, facts: &Facts, m: &Message) -> MessageOutcome {
    let a = &facts.attribution;
    let tenant = &s.tenant;
    let connector = a.connector.and_then(|i| s.inbound_connectors.get(i));
    let rcpt_domain = m.rcpt_to.domain();
    let to_tenant = tenant.is_verified(rcpt_domain.as_str());
    let sender_domain = m
        .mail_from
        .domain()
        .filter(|d| tenant.is_verified(d.as_str()));
    let (outcome, reply, decided_by, explanation) = if connector.is_none() {
        // Step 3: no connector claims the server, so the message is anonymous Internet mail.
        let why = format!(
            "No inbound connector claims the server: {}, and {}",
            a.why_no_certificate,
            match s.on_premises.ip {
                Some(ip) => format!(
                    "no enabled OnPremises connector lists {ip} in SenderIPAddresses Exchange Online accepts"
                ),
                None =>
                    "no enabled OnPremises connector has SenderIPAddresses Exchange Online accepts"
                        .to_string(),
            }
        );
        match (to_tenant, sender_domain) {
            (true, Some(d)) if tenant.reject_direct_send => (
                Outcome::Rejected,
                REPLY_DIRECT_SEND,
                DecidedBy::None,
                format!(
                    "{why}. The message is anonymous mail from the tenant's own domain {d} to its own mailboxes (Direct Send), which RejectDirectSend refuses."
                ),
            ),
            (true, _) => (
                Outcome::Delivered,
                REPLY_QUEUED,
                DecidedBy::Anonymous,
                format!(
                    "{why}. {rcpt_domain} is an accepted domain, so Exchange Online takes it as anonymous Direct Send mail: spam filtering, SPF and DMARC apply, and it counts as external mail."
                ),
            ),
            (false, _) => (
                Outcome::Rejected,
                REPLY_TENANT_ATTRIBUTION,
                DecidedBy::None,
                format!("{why}; anonymous mail is never relayed to {rcpt_domain}."),
            ),
        }
    } else if a.partner {
        // Step 4: a Partner connector identifies the server but grants no relay.
        let name = connector.map_or("", |c| c.name.as_str());
        if to_tenant {
            (
                Outcome::Delivered,
                REPLY_QUEUED,
                DecidedBy::RecipientDomain,
                format!(
                    "Partner connector \"{name}\" identifies the server, and {rcpt_domain} is an accepted domain: delivered (a Partner connector never relays)."
                ),
            )
        } else {
            (
                Outcome::Rejected,
                REPLY_TENANT_ATTRIBUTION,
                DecidedBy::None,
                format!(
                    "Partner connector \"{name}\" identifies the server, but a Partner connector grants no relay to {rcpt_domain}."
                ),
            )
        }
    } else if tenant.is_verified(m.rcpt_to.domain().as_str()) {
        (
            Outcome::Delivered,
            REPLY_QUEUED,
            DecidedBy::RecipientDomain,
            format!(
                "{} is a verified accepted domain: the message stays in the tenant (not a relay).",
                m.rcpt_to.domain()
            ),
        )
    } else if a.certificate_relay {
        (
            Outcome::Relayed,
            REPLY_QUEUED,
            DecidedBy::Certificate,
            format!(
                "Certificate-based connector \"{}\" attributes the message to the tenant.",
                connector.map_or("", |c| c.name.as_str())
            ),
        )
    } else if let Some(d) = m
        .mail_from
        .domain()
        .filter(|d| tenant.is_verified(d.as_str()))
    {
        (
            Outcome::Relayed,
            REPLY_QUEUED,
            DecidedBy::SenderDomain,
            format!("The envelope sender's domain {d} is a verified accepted domain."),
        )
    } else {
        let sender = match m.mail_from.domain() {
            None => "the null sender <> (an NDR) has no domain".to_string(),
            Some(d) => format!("{d} is not a verified accepted domain"),
        };
        (
            Outcome::Rejected,
            REPLY_ATTR36,
            DecidedBy::None,
            format!(
                "Relay refused: {sender}, and the certificate path is closed ({}).",
                a.why_no_certificate
            ),
        )
    };
    MessageOutcome {
        name: m.title().into(),
        kind: m.kind,
        mail_from: m.mail_from.as_text().to_string(),
        rcpt_to: m.rcpt_to.to_string(),
        outcome,
        reply: reply.to_string(),
        connector: connector.map(|c| Line::from(&c.name)),
        matched_by: a.matched_by,
        decided_by,
        explanation: explanation.into(),
    }
}

/// Short reply for headlines: the ATTR36 text without its URL sentence.
pub fn short_reply(reply: &str) -> &str {
    reply.split(". For more").next().unwrap_or(reply)
}

/// The phrase an admin uses for a rejected message ("NDRs", "forwarded mail", …).
pub fn kind_of_mail(m: &MessageOutcome) -> String {
    if m.kind == MessageKind::Internal || m.reply == REPLY_DIRECT_SEND {
        "mail to the tenant's own users".to_string()
    } else if m.is_null_sender() || m.kind == MessageKind::Ndr {
        "NDRs".to_string()
    } else if m.kind == MessageKind::Forwarded {
        "forwarded mail".to_string()
    } else {
        let domain = m.mail_from.rsplit_once('@').map_or("", |(_, d)| d);
        format!("mail sent as {domain}")
    }
}
