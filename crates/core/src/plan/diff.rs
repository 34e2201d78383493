//! The difference between two scenarios as changes (docs/checks.md, "The plan"): what to
//! run to get from where the admin started to where they want to be. Facts that no cmdlet
//! changes (the test messages, the server's address, which certificate files were read) make
//! no step.

use std::collections::HashSet;

use crate::action::{ConnectorSetting, FixAction, SEND_CONNECTOR};
use crate::model::{InboundConnector, Scenario};

/// The changes that turn `from` into `to`, in the order they run: Graph, Exchange Online,
/// the Exchange server, then what is done by hand.
pub fn diff(from: &Scenario, to: &Scenario) -> Vec<FixAction> {
    let mut out = Vec::new();
    domains(from, to, &mut out);
    connectors(from, to, &mut out);
    certificate(from, to, &mut out);
    super::onprem::diff(from, to, &mut out);
    if from.on_premises.organization_fqdn != to.on_premises.organization_fqdn
        && let Some(f) = &to.on_premises.organization_fqdn
    {
        out.push(FixAction::SetOrganizationFqdn { fqdn: f.clone() });
    }
    out.sort_by_key(FixAction::runs_in);
    out
}

fn domains(from: &Scenario, to: &Scenario, out: &mut Vec<FixAction>) {
    if from.tenant.same_domains(&to.tenant) {
        // One is an unchanged clone of the other: no accepted domain differs.
        reject_direct_send(from, to, out);
        return;
    }
    for d in to.tenant.accepted_domains() {
        let domain = d.domain.clone();
        match from.tenant.get(d.domain.as_str()) {
            None if d.verified => out.push(FixAction::AddDomain { domain }),
            None => out.push(FixAction::AddPendingDomain { domain }),
            Some(f) => {
                // A verified domain cannot be made pending again: a wizard toggle that
                // simulates it is not a change to make.
                if !f.verified && d.verified {
                    out.push(FixAction::VerifyDomain {
                        domain: domain.clone(),
                    });
                }
                if f.domain_type != d.domain_type {
                    out.push(FixAction::SetDomainType {
                        domain,
                        domain_type: d.domain_type,
                    });
                }
            }
        }
    }
    for f in from.tenant.accepted_domains() {
        if to.tenant.get(f.domain.as_str()).is_none() {
            out.push(FixAction::RemoveDomain {
                domain: f.domain.clone(),
            });
        }
    }
    let defaults = |s: &Scenario| -> HashSet<String> {
        s.tenant
            .accepted_domains()
            .iter()
            .filter(|d| d.default)
            .map(|d| d.domain.to_string())
            .collect()
    };
    let before = defaults(from);
    for d in to.tenant.accepted_domains().iter().filter(|d| d.default) {
        if !before.contains(d.domain.as_str()) {
            out.push(FixAction::SetDefaultDomain {
                domain: d.domain.clone(),
            });
        }
    }
    reject_direct_send(from, to, out);
}

fn reject_direct_send(from: &Scenario, to: &Scenario, out: &mut Vec<FixAction>) {
    if from.tenant.reject_direct_send != to.tenant.reject_direct_send {
        out.push(FixAction::SetRejectDirectSend {
            value: to.tenant.reject_direct_send,
        });
    }
}

/// Connectors are paired by name, then the unpaired ones by position (a rename).
fn connectors(from: &Scenario, to: &Scenario, out: &mut Vec<FixAction>) {
    let f = &from.inbound_connectors;
    let t = &to.inbound_connectors;
    let mut pair: Vec<Option<usize>> = vec![None; t.len()];
    let mut used = vec![false; f.len()];
    for (ti, tc) in t.iter().enumerate() {
        if let Some(fi) = f
            .iter()
            .enumerate()
            .position(|(fi, fc)| !used[fi] && fc.name.eq_ignore_ascii_case(&tc.name))
        {
            pair[ti] = Some(fi);
            used[fi] = true;
        }
    }
    for (ti, p) in pair.iter_mut().enumerate() {
        if p.is_none() && ti < f.len() && !used[ti] {
            *p = Some(ti);
            used[ti] = true;
        }
    }
    for (fi, fc) in f.iter().enumerate() {
        if !used[fi] {
            out.push(FixAction::RemoveInboundConnector {
                connector: fc.name.clone(),
            });
        }
    }
    for (ti, tc) in t.iter().enumerate() {
        match pair[ti] {
            None => out.push(FixAction::NewInboundConnector {
                connector: Box::new(tc.clone()),
            }),
            Some(fi) => {
                let settings = settings(&f[fi], tc);
                if !settings.is_empty() {
                    out.push(FixAction::SetInboundConnector {
                        connector: f[fi].name.clone(),
                        settings,
                    });
                }
            }
        }
    }
}

/// The settings that differ, in a fixed order (the name, if it changed, last).
pub fn settings(from: &InboundConnector, to: &InboundConnector) -> Vec<ConnectorSetting> {
    let mut out = Vec::new();
    if from.enabled != to.enabled {
        out.push(ConnectorSetting::Enabled(to.enabled));
    }
    if from.connector_type != to.connector_type {
        out.push(ConnectorSetting::ConnectorType(to.connector_type));
    }
    if from.require_tls != to.require_tls {
        out.push(ConnectorSetting::RequireTls(to.require_tls));
    }
    if from.cloud_services_mail_enabled != to.cloud_services_mail_enabled {
        out.push(ConnectorSetting::CloudServicesMailEnabled(
            to.cloud_services_mail_enabled,
        ));
    }
    if from.tscn_text() != to.tscn_text() {
        out.push(ConnectorSetting::TlsSenderCertificateName(
            to.tscn_text().map(str::to_string),
        ));
    }
    if from.sender_ip_addresses != to.sender_ip_addresses {
        out.push(ConnectorSetting::SenderIpAddresses(
            to.sender_ip_addresses.clone(),
        ));
    }
    if from.name != to.name {
        out.push(ConnectorSetting::Name(to.name.clone()));
    }
    out
}

fn certificate(from: &Scenario, to: &Scenario, out: &mut Vec<FixAction>) {
    let thumb = |s: &Scenario| s.certificate().map(|c| c.thumbprint.clone());
    let (Some(target), Some(cert)) = (thumb(to), to.certificate()) else {
        return;
    };
    if thumb(from).as_deref() == Some(target.as_str()) {
        return;
    }
    let index = from
        .certificates
        .iter()
        .position(|e| e.facts.thumbprint == target);
    out.push(FixAction::UseCertificate {
        index,
        thumbprint: target,
        send_connector: to
            .on_premises
            .send_connectors
            .is_none()
            .then(|| SEND_CONNECTOR.to_string()),
        tls_certificate_name: cert.tls_certificate_name(),
    });
}
