//! The facts several rules need, computed once per validation and kept on the report, so
//! that the checks, the mail-flow simulation, the plan and every wizard page read one answer:
//! what HCW writes, whether the certificate authenticates the server, each connector's
//! TlsSenderCertificateName judged against the certificate and the tenant, which domains are
//! needed and whether the tenant has them, which connector Exchange Online attributes the
//! connection to. Nothing here renders or decides a verdict.

mod chain;
pub mod onprem;
pub mod smart_host;

pub use chain::{ChainState, TrustedBy, chain_state};

use serde::Serialize;
use time::OffsetDateTime;

use crate::cert::CertFacts;
use crate::hcw::{self, HcwCase, HcwOutcome};
use crate::model::{DomainStatus, InboundConnector, Scenario, Tenant};
use crate::names::{self, Tscn};

/// Why the presented certificate does not authenticate the server (rule RELAY step 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NotAuthenticated {
    NoCertificate,
    OutsideValidity,
    SelfSigned,
}

impl NotAuthenticated {
    pub fn words(self) -> &'static str {
        match self {
            NotAuthenticated::NoCertificate => "no certificate is presented",
            NotAuthenticated::OutsideValidity => "the certificate is outside its validity dates",
            NotAuthenticated::SelfSigned => "the certificate is self-signed",
        }
    }
}

/// A connector's TlsSenderCertificateName, judged against the certificate and the tenant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TscnState {
    /// None set: the connector can only recognise the server by IP address.
    Unset,
    /// Not a valid value (docs/checks.md, "Connector wildcard"), with why.
    Invalid { text: String, reason: String },
    Valid {
        tscn: Tscn,
        /// Whether a name of the presented certificate matches; `None` without certificate.
        on_certificate: Option<bool>,
        /// What the tenant knows about `base(TSCN)`.
        domain: DomainStatus,
    },
}

impl TscnState {
    /// Judges a typed value (`None`, blank: unset).
    pub fn judge(text: Option<&str>, cert: Option<&CertFacts>, tenant: &Tenant) -> TscnState {
        let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
            return TscnState::Unset;
        };
        match Tscn::parse(text) {
            Err(e) => TscnState::Invalid {
                text: text.to_string(),
                reason: e.to_string(),
            },
            Ok(tscn) => TscnState::Valid {
                on_certificate: cert.map(|c| c.matches_tscn(&tscn)),
                domain: tenant.status(tscn.base().as_str()),
                tscn,
            },
        }
    }

    pub fn tscn(&self) -> Option<&Tscn> {
        match self {
            TscnState::Valid { tscn, .. } => Some(tscn),
            _ => None,
        }
    }

    /// The certificate path works through this value: it matches the certificate and its
    /// domain is a verified accepted domain.
    pub fn works(&self) -> bool {
        matches!(
            self,
            TscnState::Valid {
                on_certificate: Some(true),
                domain: DomainStatus::Verified,
                ..
            }
        )
    }

    /// One line for a form or a page: what is right and what is wrong with the value.
    pub fn verdict(&self) -> (bool, String) {
        match self {
            TscnState::Unset => (
                false,
                "no certificate identity: the connector recognises the server by IP address only"
                    .to_string(),
            ),
            TscnState::Invalid { reason, .. } => (false, format!("not valid: {reason}")),
            TscnState::Valid {
                tscn,
                on_certificate,
                domain,
            } => {
                let cert = match on_certificate {
                    Some(true) => "matches the certificate",
                    Some(false) => "matches no name on the certificate",
                    None => "no certificate selected",
                };
                let base = tscn.base();
                let domain_words = match domain {
                    DomainStatus::Verified => format!("{base} is a verified accepted domain"),
                    DomainStatus::Unverified => {
                        format!("{base} is an accepted domain pending verification")
                    }
                    DomainStatus::Absent => format!("{base} is not an accepted domain"),
                };
                (
                    *on_certificate != Some(false) && *domain == DomainStatus::Verified,
                    format!("{cert}; {domain_words}"),
                )
            }
        }
    }
}

/// One inbound connector, judged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectorFact {
    pub name: String,
    /// Enabled and of type OnPremises: a connector that attributes on-premises mail.
    pub active: bool,
    pub tscn: TscnState,
    /// The SenderIPAddresses entries Exchange Online refuses, with why (they never match).
    pub refused_ip_addresses: Vec<(crate::model::IpRange, crate::model::IpProblem)>,
}

/// How Exchange Online tied the connection to an inbound connector.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MatchedBy {
    Certificate,
    Ip,
    None,
}

/// Which connector Exchange Online attributes the server's connection to (rule RELAY
/// steps 1–2), the same for every message of the scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribution {
    /// Position of the connector in the scenario's list.
    pub connector: Option<usize>,
    pub matched_by: MatchedBy,
    /// The certificate path is open: matched by certificate and base(TSCN) ∈ AD.
    pub certificate_relay: bool,
    /// The connector matched is a Partner connector: it identifies, it never relays.
    pub partner: bool,
    /// Why the certificate path is closed, in words (when it is).
    pub why_no_certificate: String,
}

/// Who needs a domain of the tenant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NeededBy {
    /// The certificate name HCW reads; `parent`: the domain above it is what counts.
    Certificate { name: String, parent: bool },
    /// An enabled OnPremises connector's TlsSenderCertificateName.
    Connector { name: String, tscn: Tscn },
}

impl NeededBy {
    pub fn words(&self) -> String {
        match self {
            NeededBy::Certificate {
                name,
                parent: false,
            } => format!("certificate {name}"),
            NeededBy::Certificate { name, parent: true } => {
                format!("certificate {name} (parent domain)")
            }
            NeededBy::Connector { name, tscn } => format!("connector \"{name}\" ({tscn})"),
        }
    }
}

/// A domain the certificate or a connector needs, and whether the tenant has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeededDomain {
    pub domain: String,
    pub by: NeededBy,
    pub status: DomainStatus,
}

/// Why HCW's Transport Certificate page would not list a certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NotListed {
    SelfSigned,
    Expired,
    NotYetValid,
    /// Its chain ends at a root that is not a public one (HCW lists RootCAType ThirdParty).
    UntrustedRoot,
}

impl NotListed {
    pub fn words(self) -> &'static str {
        match self {
            NotListed::SelfSigned => "self-signed",
            NotListed::Expired => "expired",
            NotListed::NotYetValid => "not yet valid",
            NotListed::UntrustedRoot => "not from a public CA",
        }
    }
}

/// Whether HCW's Transport Certificate page offers the certificate, and why not: HCW lists
/// valid certificates whose root is a third-party CA (a chain to a root nobody here
/// trusts is not; an incomplete chain may still be, as the server may hold the rest).
pub fn hcw_lists(
    c: &CertFacts,
    trusted: &[crate::model::TrustedRoot],
    now: OffsetDateTime,
) -> Result<(), NotListed> {
    if c.self_signed {
        Err(NotListed::SelfSigned)
    } else if now >= c.not_after {
        Err(NotListed::Expired)
    } else if now < c.not_before {
        Err(NotListed::NotYetValid)
    } else if matches!(chain_state(c, trusted), ChainState::UntrustedRoot { .. }) {
        Err(NotListed::UntrustedRoot)
    } else {
        Ok(())
    }
}

/// Below this many days left, an expiring certificate is an error (HealthChecker's band)…
pub const EXPIRY_ERROR_DAYS: i64 = 30;
/// …and below this many, a warning.
pub const EXPIRY_WARNING_DAYS: i64 = 60;

/// A certificate that can identify the server now and for a while: HCW would list it, its
/// key is strong and its own (or not supplied), it has a DNS name, and it has at least
/// [`EXPIRY_ERROR_DAYS`] left.
pub fn usable(c: &CertFacts, trusted: &[crate::model::TrustedRoot], now: OffsetDateTime) -> bool {
    use crate::cert::{KeyKind, PrivateKeyStatus};
    hcw_lists(c, trusted, now).is_ok()
        && !matches!(c.key, KeyKind::Rsa { bits } if bits < 2048)
        && !matches!(
            c.private_key,
            PrivateKeyStatus::DoesNotMatch | PrivateKeyStatus::Unreadable(_)
        )
        && !c.dns_names().is_empty()
        && c.days_left(now) >= EXPIRY_ERROR_DAYS
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    pub hcw: Option<HcwOutcome>,
    /// Rule RELAY step 1 for the presented certificate.
    pub authentication: Result<(), NotAuthenticated>,
    /// One per inbound connector, in the scenario's order.
    pub connectors: Vec<ConnectorFact>,
    /// The domain HCW needs for the certificate, then each active connector's domain.
    pub needed_domains: Vec<NeededDomain>,
    /// Whether the certificate covers the organisation FQDN (host-name rules); `None` when
    /// either is missing.
    pub organization_fqdn_on_certificate: Option<bool>,
    /// For each candidate certificate: would HCW list it?
    pub certificates: Vec<Result<(), NotListed>>,
    /// The presented certificate's chain, judged.
    pub chain: Option<ChainState>,
    /// Each candidate certificate's chain, judged the same way (the scenario's order).
    pub chains: Vec<ChainState>,
    pub attribution: Attribution,
    /// The inbound connector HCW manages (and the plan keeps): the OnPremises connector the
    /// connection is attributed to, else the first enabled OnPremises one, else the first
    /// OnPremises one; with none of that type, the first connector that recognises the server
    /// (by certificate or IP address), else the first connector: one was meant to be it.
    pub hybrid_connector: Option<usize>,
    /// The on-premises side: send connectors, servers and their certificates (§11).
    pub onprem: onprem::OnPremFacts,
}

/// Computes the facts of a scenario at the moment `now`.
pub fn compute(s: &Scenario, now: OffsetDateTime) -> Facts {
    let cert = s.certificate();
    let tenant = &s.tenant;
    let hcw = cert.and_then(|c| hcw::hcw_tscn(c, tenant));
    let authentication = match cert {
        None => Err(NotAuthenticated::NoCertificate),
        Some(c) if !c.is_within_validity(now) => Err(NotAuthenticated::OutsideValidity),
        Some(c) if c.self_signed => Err(NotAuthenticated::SelfSigned),
        Some(_) => Ok(()),
    };
    let connectors: Vec<ConnectorFact> = s
        .inbound_connectors
        .iter()
        .map(|c| ConnectorFact {
            name: c.name.clone(),
            active: c.is_active_on_premises(),
            tscn: TscnState::judge(c.tscn_text(), cert, tenant),
            refused_ip_addresses: c
                .sender_ip_addresses
                .iter()
                .filter_map(|r| r.problem().map(|p| (r.clone(), p)))
                .collect(),
        })
        .collect();
    let needed_domains = needed_domains(hcw.as_ref(), &connectors, tenant);
    let organization_fqdn_on_certificate = match (cert, &s.on_premises.organization_fqdn) {
        (Some(c), Some(f)) => Some(c.matches_host(f.as_str())),
        _ => None,
    };
    let certificates = s
        .certificates
        .iter()
        .map(|e| hcw_lists(&e.facts, &s.trusted_roots, now))
        .collect();
    let attribution = attribute(s, &connectors, authentication, tenant);
    let hybrid_connector = hybrid_connector(s, &connectors, &attribution);
    let chain = cert.map(|c| chain_state(c, &s.trusted_roots));
    let chains = s
        .certificates
        .iter()
        .map(|e| chain_state(&e.facts, &s.trusted_roots))
        .collect();
    Facts {
        hcw,
        authentication,
        connectors,
        needed_domains,
        organization_fqdn_on_certificate,
        certificates,
        chain,
        chains,
        attribution,
        hybrid_connector,
        onprem: onprem::compute(s, now),
    }
}

fn hybrid_connector(
    s: &Scenario,
    connectors: &[ConnectorFact],
    attribution: &Attribution,
) -> Option<usize> {
    use crate::model::ConnectorType::OnPremises;
    let list = &s.inbound_connectors;
    let on_prem = |i: &usize| list[*i].connector_type == OnPremises;
    attribution
        .connector
        .filter(on_prem)
        .or_else(|| (0..list.len()).find(|i| on_prem(i) && list[*i].enabled))
        .or_else(|| (0..list.len()).find(on_prem))
        .or_else(|| {
            (0..list.len()).find(|i| {
                matches!(
                    connectors[*i].tscn,
                    TscnState::Valid {
                        on_certificate: Some(true),
                        ..
                    }
                ) || matches_ip(&list[*i], s.on_premises.ip)
            })
        })
        .or(if list.is_empty() { None } else { Some(0) })
}

fn needed_domains(
    hcw: Option<&HcwOutcome>,
    connectors: &[ConnectorFact],
    tenant: &Tenant,
) -> Vec<NeededDomain> {
    let mut out = Vec::new();
    if let Some(h) = hcw {
        let n = names::base(&names::normalize(&h.certificate_name)).to_string();
        let (domain, parent) = match h.case {
            HcwCase::NameAccepted => (n, false),
            HcwCase::ParentAccepted => (names::parent(&n).unwrap_or_default().to_string(), true),
            HcwCase::NotAccepted => (hcw::domain_to_add(&h.certificate_name, tenant), false),
        };
        out.push(NeededDomain {
            status: tenant.status(&domain),
            domain,
            by: NeededBy::Certificate {
                name: h.certificate_name.clone(),
                parent,
            },
        });
    }
    for c in connectors.iter().filter(|c| c.active) {
        if let TscnState::Valid { tscn, domain, .. } = &c.tscn {
            out.push(NeededDomain {
                domain: tscn.base().to_string(),
                by: NeededBy::Connector {
                    name: c.name.clone(),
                    tscn: tscn.clone(),
                },
                status: *domain,
            });
        }
    }
    out
}

fn attribute(
    s: &Scenario,
    connectors: &[ConnectorFact],
    authentication: Result<(), NotAuthenticated>,
    tenant: &Tenant,
) -> Attribution {
    let mut why_no_certificate = match authentication {
        Err(why) => why.words().to_string(),
        Ok(()) => {
            "no enabled OnPremises connector's TlsSenderCertificateName matches the certificate"
                .to_string()
        }
    };
    if authentication.is_ok() {
        let matching: Vec<(usize, &Tscn)> = connectors
            .iter()
            .enumerate()
            .filter(|(_, c)| c.active)
            .filter_map(|(i, c)| match &c.tscn {
                TscnState::Valid {
                    tscn,
                    on_certificate: Some(true),
                    ..
                } => Some((i, tscn)),
                _ => None,
            })
            .collect();
        // Of the connectors that match the certificate, one whose domain is verified wins.
        let by_cert = matching
            .iter()
            .find(|(_, t)| tenant.is_verified(t.base().as_str()))
            .or(matching.first());
        if let Some((i, tscn)) = by_cert {
            let base = tscn.base().as_str();
            let open = tenant.is_verified(base);
            if !open {
                why_no_certificate = format!(
                    "connector \"{}\" matched the certificate, but {base} is not a verified accepted domain",
                    connectors[*i].name
                );
            }
            return Attribution {
                connector: Some(*i),
                matched_by: MatchedBy::Certificate,
                certificate_relay: open,
                partner: false,
                why_no_certificate,
            };
        }
    }
    let ip = s.on_premises.ip;
    let by_ip = s
        .inbound_connectors
        .iter()
        .enumerate()
        .filter(|(i, _)| connectors.get(*i).is_some_and(|c| c.active))
        .find(|(_, c)| matches_ip(c, ip))
        .map(|(i, _)| i);
    if let Some(i) = by_ip {
        return Attribution {
            connector: Some(i),
            matched_by: MatchedBy::Ip,
            certificate_relay: false,
            partner: false,
            why_no_certificate,
        };
    }
    // An enabled Partner connector can match the same way (by certificate, then by the
    // server's address when the scenario gives one); it identifies, it never relays.
    let partner = |i: usize| {
        let c = &s.inbound_connectors[i];
        c.enabled && c.connector_type == crate::model::ConnectorType::Partner
    };
    let by_cert = authentication.is_ok().then(|| {
        (0..connectors.len()).find(|i| {
            partner(*i)
                && matches!(
                    connectors[*i].tscn,
                    TscnState::Valid {
                        on_certificate: Some(true),
                        ..
                    }
                )
        })
    });
    if let Some(Some(i)) = by_cert {
        return Attribution {
            connector: Some(i),
            matched_by: MatchedBy::Certificate,
            certificate_relay: false,
            partner: true,
            why_no_certificate,
        };
    }
    let by_partner_ip = ip.and_then(|ip| {
        (0..connectors.len()).find(|i| {
            partner(*i)
                && s.inbound_connectors[*i]
                    .sender_ip_addresses
                    .iter()
                    .any(|r| r.contains(ip))
        })
    });
    Attribution {
        connector: by_partner_ip,
        matched_by: if by_partner_ip.is_some() {
            MatchedBy::Ip
        } else {
            MatchedBy::None
        },
        certificate_relay: false,
        partner: by_partner_ip.is_some(),
        why_no_certificate,
    }
}

/// The server's address is in the connector's SenderIPAddresses; without an address in the
/// scenario it is assumed to be in any connector that lists an entry Exchange Online
/// accepts. Entries it refuses never match.
fn matches_ip(c: &InboundConnector, ip: Option<std::net::IpAddr>) -> bool {
    match ip {
        Some(ip) => c.sender_ip_addresses.iter().any(|r| r.contains(ip)),
        None => c.sender_ip_addresses.iter().any(|r| r.problem().is_none()),
    }
}
