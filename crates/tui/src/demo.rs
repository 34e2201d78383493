//! The built-in demo scenario (`relaycheck` with no arguments), embedded in the binary so it
//! works from any folder. Its certificate is a lab certificate made at start-up.

use std::path::Path;

use time::OffsetDateTime;

use relaycheck_core::model::Scenario;
use relaycheck_io::error::InputError;
use relaycheck_io::scenario::ScenarioFile;

pub const YAML: &str = include_str!("../../../assets/demo/demo.yaml");
pub const LABEL: &str = "built-in demo";

pub fn load(now: OffsetDateTime) -> Result<(ScenarioFile, Scenario), InputError> {
    let path = Path::new("(built-in demo)");
    let doc = relaycheck_io::scenario::parse(path, YAML)?;
    let generate =
        |g: &relaycheck_core::model::GenerateSpec| relaycheck_lab::generate_facts(g, now);
    let scenario =
        relaycheck_io::scenario::resolve(path, Path::new("."), &doc, Some(&generate), now)?;
    Ok((doc, scenario))
}

#[cfg(test)]
mod tests {
    use super::*;
    use relaycheck_core::report::Verdict;

    #[test]
    fn demo_loads_and_shows_the_seed_failure() {
        let now = time::macros::datetime!(2026-11-22 12:00 UTC);
        let (_, s) = load(now).unwrap();
        let r = relaycheck_core::validate(&s, now);
        assert_eq!(r.verdict, Verdict::Fail);
        assert_eq!(
            r.headline(),
            "NDRs, forwarded mail and mail sent as fabrikam.com will bounce: 550 5.7.64 Relay Access Denied ATTR36"
        );
    }
}
