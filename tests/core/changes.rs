//! One change as a real tenant would make it (`plan::change_steps`): what the wizard's
//! presenter line shows for a lesson's last change, and how a lesson's completion panel
//! tells the learner's changes from the plan's answer (`Plan::same_changes`).

use crate::rulekit::*;
use relaycheck::model::Edit;
use relaycheck::model::edit::apply_all;
use relaycheck::plan::{self, RunsIn};

fn after(s: &relaycheck::model::Scenario, edits: &[Edit]) -> relaycheck::model::Scenario {
    let mut t = s.clone();
    apply_all(&mut t, edits).expect("the edits apply");
    t
}

#[test]
fn a_connector_change_is_its_set_inbound_connector_line() {
    let before = recommended().build();
    let set = Edit::SetTlsSenderCertificateName {
        connector: None,
        value: Some("mail.contoso.com".into()),
    };
    let steps = plan::change_steps(&before, &after(&before, &[set]));
    assert_eq!(steps.len(), 1, "{steps:?}");
    assert_eq!(steps[0].runs_in, RunsIn::ExchangeOnline);
    assert_eq!(
        steps[0].command,
        vec![
            "Set-InboundConnector -Identity \"Inbound from on-premises\" -TlsSenderCertificateName \"mail.contoso.com\""
                .to_string()
        ]
    );
}

#[test]
fn a_domain_and_reject_direct_send_are_graph_and_exchange_online_lines() {
    let before = recommended().build();
    let edits = [
        Edit::AddDomain(dns("fabrikam.com")),
        Edit::SetRejectDirectSend(true),
    ];
    let steps = plan::change_steps(&before, &after(&before, &edits));
    let commands: Vec<&str> = steps
        .iter()
        .flat_map(|s| s.command.iter().map(|l| l.as_str()))
        .collect();
    assert!(
        commands.contains(&"New-MgDomain -Id \"fabrikam.com\""),
        "{commands:?}"
    );
    assert!(
        commands.contains(&"Set-OrganizationConfig -RejectDirectSend $true"),
        "{commands:?}"
    );
    assert_eq!(steps[0].runs_in, RunsIn::Graph, "Graph runs first");
}

#[test]
fn a_change_to_the_simulation_only_is_no_step() {
    let before = recommended().build();
    let steps = plan::change_steps(
        &before,
        &after(
            &before,
            &[Edit::SetOnPremisesIp(Some("203.0.113.9".parse().unwrap()))],
        ),
    );
    assert!(steps.is_empty(), "{steps:?}");
    assert!(plan::change_steps(&before, &before).is_empty());
}

#[test]
fn the_plans_answer_is_told_from_another_way() {
    // Only contoso.com is verified; the certificate is for mail.contoso.com and the
    // connector says mail.contoso.com (seed 002): the plan sets *.contoso.com.
    let start = Build::new()
        .default_domain("contoso.com")
        .cert(cert("mail.contoso.com", &["mail.contoso.com"]))
        .connector(tscn_connector("Inbound", "mail.contoso.com"))
        .fqdn("mail.contoso.com")
        .build();
    let answer = validate(&start).plan;
    assert!(!answer.is_done(), "the start needs a change");
    let same = after(&start, &answer.edits());
    assert!(answer.same_changes(&plan::change_steps(&start, &same)));

    // Another way: add mail.contoso.com as a domain of its own.
    let other = after(&start, &[Edit::AddDomain(dns("mail.contoso.com"))]);
    assert!(!answer.same_changes(&plan::change_steps(&start, &other)));
    // Nothing done is not the answer either, and the answer plus more is not it.
    assert!(!answer.same_changes(&[]));
    let more = after(&same, &[Edit::AddDomain(dns("fabrikam.com"))]);
    assert!(!answer.same_changes(&plan::change_steps(&start, &more)));
}
