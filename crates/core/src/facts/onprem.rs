//! The on-premises facts (docs/checks.md, "On premises"), computed once per validation: which send
//! connectors relay to Exchange Online, where each one sends and which certificate it
//! presents, and which transport servers hold the selected certificate (and every other
//! candidate, as HCW's Transport Certificate page would list it). Without on-premises data
//! every list here is empty or `None`: nothing is known, so nothing is judged.

use time::OffsetDateTime;

use crate::model::onprem::{
    EXO_TLS_DOMAIN, address_space_covers, address_space_domain, same_server,
};
use crate::model::{
    Scenario, SendConnector, ServerCertificate, Services, TlsAuthLevel, TlsCertificateName,
    TransportServer,
};

pub use super::smart_host::{SmartHost, SmartHostKind, smart_host_kind};

/// The smart host relaycheck proposes for a send connector to Exchange Online: an Exchange
/// Online endpoint the connector (or another send connector) already uses, else the MX host
/// Microsoft gives the tenant's sending domain (`contoso-com.mail.protection.outlook.com`).
pub fn exo_endpoint(s: &Scenario, c: Option<&SendConnector>) -> String {
    let exo = |h: &&String| smart_host_kind(h) == SmartHostKind::ExchangeOnline;
    let all = s.on_premises.send_connectors.iter().flatten();
    c.into_iter()
        .chain(all)
        .flat_map(|c| c.smart_hosts.iter())
        .find(exo)
        .map(|h| crate::names::normalize(h.trim()))
        .unwrap_or_else(|| match s.sending_domain() {
            Some(d) => format!(
                "{}.mail.protection.outlook.com",
                d.as_str().replace('.', "-")
            ),
            None => "contoso-com.mail.protection.outlook.com".to_string(),
        })
}

/// What a connector's `TlsCertificateName` makes it present.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Presented {
    /// None set: Exchange picks a certificate itself.
    Unset,
    /// Not `<I>issuer<S>subject`.
    Malformed { text: String },
    Named {
        name: TlsCertificateName,
        /// It names the selected certificate (same issuer and subject); `None` without one.
        selected: Option<bool>,
        /// For each server that sends or receives through the connector: the thumbprints of
        /// its certificates with that issuer and subject (HealthChecker's matches), `None`
        /// when that server's certificates are not known.
        on_servers: Vec<(String, Option<Vec<String>>)>,
    },
}

impl Presented {
    fn judge(
        text: Option<&str>,
        selected: Option<(&str, &str)>,
        servers: &[String],
        known: &[TransportServer],
    ) -> Presented {
        let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
            return Presented::Unset;
        };
        let Some(name) = TlsCertificateName::parse(text) else {
            return Presented::Malformed {
                text: text.to_string(),
            };
        };
        let on_servers = servers
            .iter()
            .map(|s| {
                let found = server(known, s).map(|t| {
                    t.certificates
                        .iter()
                        .filter(|c| name.names(&c.issuer, &c.subject))
                        .map(|c| c.thumbprint.clone())
                        .collect()
                });
                (s.clone(), found)
            })
            .collect();
        Presented::Named {
            selected: selected.map(|(issuer, subject)| name.names(issuer, subject)),
            name,
            on_servers,
        }
    }

    /// What the connector presents, in the wizard's words ("the selected certificate",
    /// "another certificate (subject …); not installed on EX02").
    pub fn words(&self) -> String {
        use crate::text::{ECHO_MAX, excerpt};
        match self {
            Presented::Unset => {
                "no TlsCertificateName: Exchange picks a certificate itself".to_string()
            }
            Presented::Malformed { text } => format!(
                "TlsCertificateName {} is not <I>issuer<S>subject",
                crate::text::quoted(text)
            ),
            Presented::Named {
                name,
                selected,
                on_servers,
            } => {
                let mut out = match selected {
                    Some(true) => "the selected certificate".to_string(),
                    Some(false) => {
                        format!("another certificate ({})", excerpt(&name.subject, ECHO_MAX))
                    }
                    None => excerpt(&name.subject, ECHO_MAX).into_owned(),
                };
                let missing: Vec<String> = on_servers
                    .iter()
                    .filter(|(_, found)| found.as_ref().is_some_and(Vec::is_empty))
                    .map(|(s, _)| excerpt(s, ECHO_MAX).into_owned())
                    .collect();
                if !missing.is_empty() {
                    out.push_str(&format!(
                        "; not installed on {}",
                        crate::text::join_words(&missing)
                    ));
                }
                out
            }
        }
    }

    /// The thumbprints of every known server's certificates this name matches.
    pub fn matches(&self) -> Vec<&str> {
        match self {
            Presented::Named { on_servers, .. } => on_servers
                .iter()
                .flat_map(|(_, t)| t.iter().flatten())
                .map(String::as_str)
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// A TLS setting of a relay send connector that differs from what HCW writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TlsGap {
    RequireTlsOff,
    /// `TlsAuthLevel` EncryptionOnly or not set: Exchange Online's certificate is not validated.
    NotValidated(Option<TlsAuthLevel>),
    /// DomainValidation with `TlsDomain` empty or another domain.
    TlsDomain(Option<String>),
    CloudServicesMailOff,
}

impl TlsGap {
    pub fn words(&self) -> String {
        match self {
            TlsGap::RequireTlsOff => "RequireTLS is $false".to_string(),
            TlsGap::NotValidated(None) => {
                "TlsAuthLevel is not set, so Exchange Online's certificate is not validated"
                    .to_string()
            }
            TlsGap::NotValidated(Some(l)) => {
                format!("TlsAuthLevel is {l}, so Exchange Online's certificate is not validated")
            }
            TlsGap::TlsDomain(None) => {
                format!(
                    "TlsAuthLevel is DomainValidation but TlsDomain is empty (HCW writes {EXO_TLS_DOMAIN})"
                )
            }
            TlsGap::TlsDomain(Some(d)) => format!(
                "TlsAuthLevel is DomainValidation but TlsDomain is {}, not {EXO_TLS_DOMAIN}",
                crate::text::excerpt(d, crate::text::ECHO_MAX)
            ),
            TlsGap::CloudServicesMailOff => "CloudServicesMailEnabled is $false".to_string(),
        }
    }
}

/// One send connector, judged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendConnectorFact {
    pub name: String,
    pub enabled: bool,
    /// It sends to Exchange Online: CloudServicesMailEnabled, or an Exchange Online smart host.
    pub to_exchange_online: bool,
    /// The relayed recipient domains its address spaces cover.
    pub covers: Vec<String>,
    /// Enabled, to Exchange Online, and covering a relayed domain (or, with no relayed
    /// domain among the messages, any): a connector relayed mail leaves through.
    pub relay: bool,
    pub dns_routing: bool,
    pub smart_hosts: Vec<SmartHost>,
    pub presents: Presented,
    pub tls_gaps: Vec<TlsGap>,
    pub source_servers: Vec<String>,
}

/// One receive connector, judged (shown, not checked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiveConnectorFact {
    pub name: String,
    pub server: Option<String>,
    /// TlsDomainCapabilities is set: HCW prepared it for mail from Exchange Online.
    pub cloud: bool,
    pub presents: Presented,
}

/// Whether a server holds a certificate (same issuer and subject), valid and for SMTP.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Holding {
    /// The server's certificates are not known.
    Unknown,
    Missing,
    /// Only copies outside their validity dates; `expired` tells which side.
    OutsideValidity {
        thumbprint: String,
        not_after: OffsetDateTime,
        expired: bool,
    },
    /// A valid copy, whose Services lack SMTP.
    NotForSmtp {
        thumbprint: String,
        services: Services,
    },
    /// A valid copy for SMTP (or whose Services the export does not say).
    Present {
        thumbprint: String,
        services: Option<Services>,
    },
}

/// One server and whether it holds a certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerHolding {
    pub server: String,
    pub holding: Holding,
}

impl ServerHolding {
    /// Why HCW would not list the certificate because of this server, in the wizard's words
    /// ("not on EX02", "expired on EX02", "not enabled for SMTP on EX01"); `None` when the
    /// server holds it or its certificates are not known.
    pub fn words(&self) -> Option<String> {
        let s = crate::text::excerpt(&self.server, crate::text::ECHO_MAX);
        match &self.holding {
            Holding::Unknown | Holding::Present { .. } => None,
            Holding::Missing => Some(format!("not on {s}")),
            Holding::OutsideValidity { expired: true, .. } => Some(format!("expired on {s}")),
            Holding::OutsideValidity { expired: false, .. } => {
                Some(format!("not yet valid on {s}"))
            }
            Holding::NotForSmtp { .. } => Some(format!("not enabled for SMTP on {s}")),
        }
    }
}

/// A source transport server of the relay send connectors and the selected certificate
/// on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceServer {
    pub holding: ServerHolding,
    /// The relay send connectors that send through it.
    pub connectors: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OnPremFacts {
    /// One per send connector, in the scenario's order; `None` when they are not known.
    pub send_connectors: Option<Vec<SendConnectorFact>>,
    /// The test messages' recipient domains that are relayed (not verified accepted
    /// domains), in order: what the relay send connector must cover.
    pub relayed_domains: Vec<String>,
    /// Relayed domains no enabled send connector to Exchange Online covers.
    pub uncovered_domains: Vec<String>,
    /// One per receive connector (empty when they are not known).
    pub receive_connectors: Vec<ReceiveConnectorFact>,
    /// For each candidate certificate (the scenario's order), each transport server whose
    /// certificates are known: whether it holds that certificate. HCW lists a certificate
    /// only when every server holds it.
    pub candidates_on_servers: Vec<Vec<ServerHolding>>,
    /// Each source transport server of the relay send connectors, with the selected
    /// certificate on it (empty without a selected certificate or send connectors).
    pub source_servers: Vec<SourceServer>,
}

impl OnPremFacts {
    /// The relay send connectors with their positions.
    pub fn relay_connectors(&self) -> impl Iterator<Item = (usize, &SendConnectorFact)> {
        self.send_connectors
            .iter()
            .flatten()
            .enumerate()
            .filter(|(_, c)| c.relay)
    }

    /// Why HCW would not list candidate `i` ("not on EX02", …); empty when every known
    /// server holds it.
    pub fn not_listed_because(&self, i: usize) -> Vec<String> {
        self.candidates_on_servers
            .get(i)
            .map(|v| v.iter().filter_map(ServerHolding::words).collect())
            .unwrap_or_default()
    }
}

fn server<'a>(known: &'a [TransportServer], name: &str) -> Option<&'a TransportServer> {
    known.iter().find(|t| same_server(&t.name, name))
}

/// Whether `server`'s certificates include one with this issuer and subject, valid and
/// for SMTP (the best copy counts).
pub fn holding(
    known: &[TransportServer],
    name: &str,
    issuer: &str,
    subject: &str,
    now: OffsetDateTime,
) -> Holding {
    let Some(t) = server(known, name) else {
        return Holding::Unknown;
    };
    let wanted = TlsCertificateName {
        issuer: issuer.to_string(),
        subject: subject.to_string(),
    };
    let copies: Vec<&ServerCertificate> = t
        .certificates
        .iter()
        .filter(|c| wanted.names(&c.issuer, &c.subject))
        .collect();
    let valid: Vec<&&ServerCertificate> = copies
        .iter()
        .filter(|c| c.is_within_validity(now))
        .collect();
    let best = valid
        .iter()
        .find(|c| c.services.is_some_and(Services::smtp))
        .or_else(|| valid.iter().find(|c| c.services.is_none()));
    if let Some(c) = best {
        return Holding::Present {
            thumbprint: c.thumbprint.clone(),
            services: c.services,
        };
    }
    if let Some(c) = valid.first() {
        return Holding::NotForSmtp {
            thumbprint: c.thumbprint.clone(),
            services: c.services.unwrap_or_default(),
        };
    }
    match copies.iter().max_by_key(|c| c.not_after) {
        Some(c) => Holding::OutsideValidity {
            thumbprint: c.thumbprint.clone(),
            not_after: c.not_after,
            expired: now >= c.not_after,
        },
        None => Holding::Missing,
    }
}

fn tls_gaps(c: &SendConnector) -> Vec<TlsGap> {
    let mut gaps = Vec::new();
    if !c.require_tls {
        gaps.push(TlsGap::RequireTlsOff);
    }
    match c.tls_auth_level {
        None | Some(TlsAuthLevel::EncryptionOnly) => {
            gaps.push(TlsGap::NotValidated(c.tls_auth_level))
        }
        Some(TlsAuthLevel::DomainValidation) => {
            let domain = c
                .tls_domain
                .as_deref()
                .map(str::trim)
                .filter(|d| !d.is_empty());
            if domain.map(crate::names::normalize).as_deref() != Some(EXO_TLS_DOMAIN) {
                gaps.push(TlsGap::TlsDomain(domain.map(str::to_string)));
            }
        }
        Some(TlsAuthLevel::CertificateValidation) => {}
    }
    if !c.cloud_services_mail_enabled {
        gaps.push(TlsGap::CloudServicesMailOff);
    }
    gaps
}

/// Computes the on-premises facts of a scenario at the moment `now`.
pub fn compute(s: &Scenario, now: OffsetDateTime) -> OnPremFacts {
    let op = &s.on_premises;
    let known = &op.servers;
    let selected = s
        .certificate()
        .map(|c| (c.issuer.as_str(), c.subject.as_str()));

    let mut relayed_domains: Vec<String> = Vec::new();
    for m in s.effective_messages() {
        let d = m.rcpt_to.domain().as_str();
        if !s.tenant.is_verified(d) && !relayed_domains.iter().any(|r| r == d) {
            relayed_domains.push(d.to_string());
        }
    }

    let send_connectors = op.send_connectors.as_ref().map(|list| {
        list.iter()
            .map(|c| {
                let smart_hosts: Vec<SmartHost> = c
                    .smart_hosts
                    .iter()
                    .map(|h| SmartHost {
                        host: h.clone(),
                        kind: smart_host_kind(h),
                    })
                    .collect();
                let to_exchange_online = c.cloud_services_mail_enabled
                    || smart_hosts
                        .iter()
                        .any(|h| h.kind == SmartHostKind::ExchangeOnline);
                let spaces: Vec<String> = c
                    .address_spaces
                    .iter()
                    .filter_map(|a| address_space_domain(a))
                    .collect();
                let covers: Vec<String> = relayed_domains
                    .iter()
                    .filter(|d| spaces.iter().any(|a| address_space_covers(a, d)))
                    .cloned()
                    .collect();
                let relay = c.enabled
                    && to_exchange_online
                    && (!covers.is_empty() || (relayed_domains.is_empty() && !spaces.is_empty()));
                SendConnectorFact {
                    name: c.name.clone(),
                    enabled: c.enabled,
                    to_exchange_online,
                    covers,
                    relay,
                    dns_routing: c.dns_routing_enabled,
                    smart_hosts,
                    presents: Presented::judge(
                        c.tls_certificate_name_text(),
                        selected,
                        &c.source_transport_servers,
                        known,
                    ),
                    tls_gaps: tls_gaps(c),
                    source_servers: c.source_transport_servers.clone(),
                }
            })
            .collect::<Vec<_>>()
    });

    let uncovered_domains = match &send_connectors {
        None => Vec::new(),
        Some(list) => relayed_domains
            .iter()
            .filter(|d| {
                !list
                    .iter()
                    .any(|c| c.enabled && c.to_exchange_online && c.covers.contains(d))
            })
            .cloned()
            .collect(),
    };

    let receive_connectors = op
        .receive_connectors
        .iter()
        .flatten()
        .map(|r| ReceiveConnectorFact {
            name: r.name.clone(),
            server: r.server.clone(),
            cloud: !r.tls_domain_capabilities.is_empty(),
            presents: Presented::judge(
                r.tls_certificate_name.as_deref(),
                selected,
                &r.server.iter().cloned().collect::<Vec<_>>(),
                known,
            ),
        })
        .collect();

    let candidates_on_servers = s
        .certificates
        .iter()
        .map(|e| {
            known
                .iter()
                .map(|t| ServerHolding {
                    server: t.name.clone(),
                    holding: holding(known, &t.name, &e.facts.issuer, &e.facts.subject, now),
                })
                .collect()
        })
        .collect();

    let mut source_servers: Vec<SourceServer> = Vec::new();
    if let (Some((issuer, subject)), Some(list)) = (selected, &send_connectors) {
        for c in list.iter().filter(|c| c.relay) {
            for name in &c.source_servers {
                match source_servers
                    .iter_mut()
                    .find(|x| same_server(&x.holding.server, name))
                {
                    Some(x) => {
                        if !x.connectors.contains(&c.name) {
                            x.connectors.push(c.name.clone());
                        }
                    }
                    None => source_servers.push(SourceServer {
                        holding: ServerHolding {
                            server: name.clone(),
                            holding: holding(known, name, issuer, subject, now),
                        },
                        connectors: vec![c.name.clone()],
                    }),
                }
            }
        }
    }

    OnPremFacts {
        send_connectors,
        relayed_domains,
        uncovered_domains,
        receive_connectors,
        candidates_on_servers,
        source_servers,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smart_hosts_are_told_apart() {
        use SmartHostKind::*;
        for (host, kind) in [
            ("contoso-com.mail.protection.outlook.com", ExchangeOnline),
            ("Contoso-com.MAIL.protection.outlook.com.", ExchangeOnline),
            ("contoso-com.a-v1.mx.microsoft", ExchangeOnline),
            ("mail.protection.outlook.com", MicrosoftLegacy),
            ("smtp.office365.com", MicrosoftLegacy),
            ("contoso.mail.eo.outlook.com", MicrosoftLegacy),
            ("mail.messaging.microsoft.com", MicrosoftLegacy),
            ("mail.global.frontbridge.com", MicrosoftLegacy),
            ("relay.fabrikam.net", Other),
            ("[203.0.113.5]", Other),
            ("notmail.protection.outlook.com.evil.net", Other),
        ] {
            assert_eq!(smart_host_kind(host), kind, "{host}");
        }
    }

    #[test]
    fn tls_gaps_follow_the_spec() {
        let mut c = SendConnector::new("x");
        assert_eq!(
            tls_gaps(&c),
            vec![
                TlsGap::RequireTlsOff,
                TlsGap::NotValidated(None),
                TlsGap::CloudServicesMailOff
            ]
        );
        c.require_tls = true;
        c.cloud_services_mail_enabled = true;
        c.tls_auth_level = Some(TlsAuthLevel::CertificateValidation);
        assert!(tls_gaps(&c).is_empty());
        c.tls_auth_level = Some(TlsAuthLevel::DomainValidation);
        assert_eq!(tls_gaps(&c), vec![TlsGap::TlsDomain(None)]);
        c.tls_domain = Some("Mail.Protection.Outlook.com".into());
        assert!(tls_gaps(&c).is_empty());
        c.tls_domain = Some("contoso.com".into());
        assert_eq!(
            tls_gaps(&c),
            vec![TlsGap::TlsDomain(Some("contoso.com".into()))]
        );
    }
}
