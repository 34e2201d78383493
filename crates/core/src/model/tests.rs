//! The model: the tenant's index, messages and the scenario.

use super::*;

fn tenant(domains: &[(&str, bool)]) -> Tenant {
    Tenant::new(
        domains
            .iter()
            .map(|(d, v)| AcceptedDomain {
                verified: *v,
                ..AcceptedDomain::new(DnsName::parse(d).unwrap())
            })
            .collect(),
    )
}

fn name(s: &str) -> DnsName {
    DnsName::parse(s).unwrap()
}

#[test]
fn index_distinguishes_verified_unverified_absent() {
    let t = tenant(&[("contoso.com", true), ("fabrikam.com", false)]);
    assert_eq!(t.status("contoso.com"), DomainStatus::Verified);
    assert_eq!(t.status("fabrikam.com"), DomainStatus::Unverified);
    assert_eq!(t.status("sub.contoso.com"), DomainStatus::Absent);
}

#[test]
fn duplicates_merge_and_count_as_verified_when_any_copy_is() {
    let t = tenant(&[
        ("contoso.com", false),
        ("fabrikam.com", true),
        ("contoso.com", true),
    ]);
    assert_eq!(t.len(), 2);
    assert_eq!(t.status("contoso.com"), DomainStatus::Verified);
    assert_eq!(t.position("fabrikam.com"), Some(1));
}

#[test]
fn the_index_follows_every_change() {
    let mut t = tenant(&[("a.com", true), ("b.com", true), ("c.com", false)]);
    let (at, removed) = t.remove("a.com").unwrap();
    assert_eq!((at, removed.domain.as_str()), (0, "a.com"));
    assert_eq!(t.position("c.com"), Some(1));
    assert_eq!(t.status("a.com"), DomainStatus::Absent);
    assert!(t.insert(0, removed));
    assert_eq!(t.position("c.com"), Some(2));
    assert_eq!(
        t.update("c.com", |d| std::mem::replace(&mut d.verified, true)),
        Some(false)
    );
    assert!(t.is_verified("c.com"));
    assert!(
        !t.push(AcceptedDomain::new(name("b.com"))),
        "already there: merged"
    );
    assert_eq!(t.len(), 3);
    // A change cannot rename an entry behind the index's back.
    t.update("b.com", |d| d.domain = name("z.com"));
    assert_eq!(t.position("b.com"), Some(1));
}

#[test]
fn clones_share_the_table_until_one_changes() {
    let t = tenant(&[("contoso.com", true)]);
    let mut u = t.clone();
    assert!(t.same_domains(&u));
    u.push(AcceptedDomain::new(name("fabrikam.com")));
    assert_eq!((t.len(), u.len()), (1, 2));
    assert!(!t.same_domains(&u));
}

#[test]
fn closest_verified_ancestor_walks_label_suffixes() {
    let t = tenant(&[("contoso.com", true), ("sub.contoso.com", false)]);
    assert_eq!(
        t.closest_verified_ancestor("a.sub.contoso.com"),
        Some("contoso.com")
    );
    assert_eq!(t.closest_verified_ancestor("fabrikam.com"), None);
}

#[test]
fn default_domain_prefers_verified_default() {
    let mut t = tenant(&[("a.com", true), ("b.com", false), ("c.com", true)]);
    t.update("b.com", |d| d.default = true);
    assert_eq!(t.default_domain().map(DnsName::as_str), Some("a.com"));
    let before = t.set_default("c.com").unwrap();
    assert_eq!(before, vec![name("b.com")]);
    assert_eq!(t.default_domain().map(DnsName::as_str), Some("c.com"));
    t.restore_defaults(&before);
    assert_eq!(t.default_domain().map(DnsName::as_str), Some("a.com"));
}

#[test]
fn sending_domain_is_never_onmicrosoft_when_another_is_verified() {
    let mut t = tenant(&[("contoso.onmicrosoft.com", true), ("contoso.com", true)]);
    t.set_default("contoso.onmicrosoft.com");
    let s = Scenario {
        tenant: t,
        ..Scenario::default()
    };
    assert_eq!(s.sending_domain().map(DnsName::as_str), Some("contoso.com"));
    assert_eq!(
        s.effective_messages()[0].mail_from.as_text(),
        "user@contoso.com"
    );
    let only = Scenario {
        tenant: tenant(&[("contoso.onmicrosoft.com", true)]),
        ..Scenario::default()
    };
    assert_eq!(
        only.sending_domain().map(DnsName::as_str),
        Some("contoso.onmicrosoft.com")
    );
}

#[test]
fn four_default_messages_use_the_default_domain() {
    let m = default_messages(Some("contoso.com"));
    assert_eq!(m.len(), 4);
    assert_eq!(m[0].mail_from.as_text(), "user@contoso.com");
    assert_eq!(m[1].mail_from.0, None);
    assert_eq!(m[1].kind, MessageKind::Ndr);
    assert_eq!(m[1].rcpt_to.as_str(), "john@fabrikam.com");
    assert_eq!(m[2].mail_from.as_text(), "user@fabrikam.com");
    assert_eq!(m[3].rcpt_to.as_str(), "kate@tailspintoys.com");
    assert_eq!(m[3].kind, MessageKind::Forwarded);
}

#[test]
fn message_kind_is_read_or_guessed_for_older_files() {
    let m: Message = serde_yaml::from_str(
        "{name: Ben's rule, kind: forwarded, mail_from: a@b.com, rcpt_to: c@d.com}",
    )
    .unwrap();
    assert_eq!(m.kind, MessageKind::Forwarded);
    let old: Message = serde_yaml::from_str(
        "{name: Forwarded external mail, mail_from: a@b.com, rcpt_to: c@d.com}",
    )
    .unwrap();
    assert_eq!(old.kind, MessageKind::Forwarded);
    let ndr: Message = serde_yaml::from_str("{mail_from: '', rcpt_to: c@d.com}").unwrap();
    assert_eq!(ndr.kind, MessageKind::Ndr);
    let plain: Message = serde_yaml::from_str("{mail_from: a@b.com, rcpt_to: c@d.com}").unwrap();
    assert_eq!(plain.kind, MessageKind::Other);
    assert!(serde_yaml::from_str::<Message>("{kind: spam, rcpt_to: c@d.com}").is_err());
}

#[test]
fn tenant_round_trips_with_direct_send() {
    let mut t = tenant(&[("contoso.com", true)]);
    t.reject_direct_send = true;
    let yaml = serde_yaml::to_string(&t).unwrap();
    assert!(yaml.contains("reject_direct_send: true"), "{yaml}");
    let back: Tenant = serde_yaml::from_str(&yaml).unwrap();
    assert_eq!(back, t);
    let plain: Tenant = serde_yaml::from_str("accepted_domains: []").unwrap();
    assert!(!plain.reject_direct_send);
    assert!(serde_yaml::from_str::<Tenant>("colour: red").is_err());
}
