//! Rule RELAY (domain-rules.md section 7): what Exchange Online does with each message the
//! on-premises server hands it, and the exact SMTP reply.

use serde::Serialize;

use crate::checks::Context;
use crate::model::{InboundConnector, Message};
use crate::names::{self, Tscn};

pub const REPLY_TENANT_ATTRIBUTION: &str = "550 5.7.64 TenantAttribution; Relay Access Denied";
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

/// How Exchange Online tied the connection to an inbound connector.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MatchedBy {
    Certificate,
    Ip,
    None,
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
    /// Nothing: the message is rejected.
    None,
}

impl DecidedBy {
    pub fn as_str(self) -> &'static str {
        match self {
            DecidedBy::Certificate => "certificate",
            DecidedBy::SenderDomain => "sender domain",
            DecidedBy::RecipientDomain => "recipient domain",
            DecidedBy::None => "none",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MessageOutcome {
    pub name: String,
    pub mail_from: String,
    pub rcpt_to: String,
    pub outcome: Outcome,
    pub reply: String,
    /// The inbound connector the message was attributed to.
    pub connector: Option<String>,
    pub matched_by: MatchedBy,
    pub decided_by: DecidedBy,
    /// One sentence: why this outcome.
    pub explanation: String,
}

impl MessageOutcome {
    pub fn is_null_sender(&self) -> bool {
        self.mail_from.is_empty()
    }
}

pub(crate) fn simulate(ctx: &Context<'_>) -> Vec<MessageOutcome> {
    let attribution = attribute(ctx);
    ctx.scenario
        .effective_messages()
        .iter()
        .map(|m| decide(ctx, &attribution, m))
        .collect()
}

struct Attribution<'a> {
    connector: Option<&'a InboundConnector>,
    matched_by: MatchedBy,
    /// The certificate path is open: matched by certificate and base(TSCN) ∈ AD.
    certificate_relay: bool,
    why_no_certificate: String,
}

fn attribute<'a>(ctx: &Context<'a>) -> Attribution<'a> {
    let active: Vec<&InboundConnector> = ctx
        .scenario
        .inbound_connectors
        .iter()
        .filter(|c| c.is_active_on_premises())
        .collect();
    let authenticated = ctx
        .cert
        .filter(|c| c.is_within_validity(ctx.now) && !c.self_signed);
    let mut why_no_certificate = match ctx.cert {
        None => "no certificate is presented".to_string(),
        Some(c) if !c.is_within_validity(ctx.now) => {
            "the certificate is outside its validity dates".to_string()
        }
        Some(c) if c.self_signed => "the certificate is self-signed".to_string(),
        Some(_) => {
            "no enabled OnPremises connector's TlsSenderCertificateName matches the certificate"
                .to_string()
        }
    };
    if let Some(cert) = authenticated {
        let names = cert.dns_names();
        let matching: Vec<(&InboundConnector, Tscn)> = active
            .iter()
            .copied()
            .filter_map(|c| {
                let tscn = Tscn::parse(c.tscn_text()?).ok()?;
                names
                    .iter()
                    .any(|n| tscn.matches_cert_name(n))
                    .then_some((c, tscn))
            })
            .collect();
        // Of the connectors that match the certificate, one whose domain is verified wins.
        let verified = matching
            .iter()
            .position(|(_, t)| ctx.domains.is_verified(t.base().as_str()));
        let by_cert = verified
            .or((!matching.is_empty()).then_some(0))
            .map(|i| matching[i].clone());
        if let Some((c, tscn)) = by_cert {
            let base = tscn.base().as_str();
            let open = ctx.domains.is_verified(base);
            if !open {
                why_no_certificate = format!(
                    "connector \"{}\" matched the certificate, but {base} is not a verified accepted domain",
                    c.name
                );
            }
            return Attribution {
                connector: Some(c),
                matched_by: MatchedBy::Certificate,
                certificate_relay: open,
                why_no_certificate,
            };
        }
    }
    let ip = ctx.scenario.on_premises.ip;
    let by_ip = active.iter().copied().find(|c| match ip {
        Some(ip) => c.sender_ip_addresses.iter().any(|r| r.contains(ip)),
        None => !c.sender_ip_addresses.is_empty(),
    });
    Attribution {
        connector: by_ip,
        matched_by: if by_ip.is_some() {
            MatchedBy::Ip
        } else {
            MatchedBy::None
        },
        certificate_relay: false,
        why_no_certificate,
    }
}

fn decide(ctx: &Context<'_>, a: &Attribution<'_>, m: &Message) -> MessageOutcome {
    let (outcome, reply, decided_by, explanation) = if a.connector.is_none() {
        (
            Outcome::Rejected,
            REPLY_TENANT_ATTRIBUTION,
            DecidedBy::None,
            format!(
                "No inbound connector claims the server: {}, and {}.",
                a.why_no_certificate,
                match ctx.scenario.on_premises.ip {
                    Some(ip) =>
                        format!("no enabled OnPremises connector lists {ip} in SenderIPAddresses"),
                    None => "no enabled OnPremises connector has SenderIPAddresses".to_string(),
                }
            ),
        )
    } else if ctx.domains.is_verified(m.rcpt_to.domain().as_str()) {
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
                a.connector.map_or("", |c| c.name.as_str())
            ),
        )
    } else if let Some(d) = m
        .mail_from
        .domain()
        .filter(|d| ctx.domains.is_verified(d.as_str()))
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
        name: m.title(),
        mail_from: m.mail_from.as_text().to_string(),
        rcpt_to: m.rcpt_to.to_string(),
        outcome,
        reply: reply.to_string(),
        connector: a.connector.map(|c| c.name.clone()),
        matched_by: a.matched_by,
        decided_by,
        explanation,
    }
}

/// Short reply for headlines: the ATTR36 text without its URL sentence.
pub fn short_reply(reply: &str) -> &str {
    reply.split(". For more").next().unwrap_or(reply)
}

/// The phrase an admin uses for a rejected message ("NDRs", "forwarded mail", …).
pub fn kind_of_mail(m: &MessageOutcome) -> String {
    if m.is_null_sender() {
        "NDRs".to_string()
    } else if m.name.to_ascii_lowercase().contains("forward") {
        "forwarded mail".to_string()
    } else {
        let domain = m.mail_from.rsplit_once('@').map_or("", |(_, d)| d);
        format!("mail sent as {}", names::normalize(domain))
    }
}
