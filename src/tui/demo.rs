//! The built-in demo scenario (`relaycheck` with no arguments), embedded in the binary so it
//! works from any folder. Its certificate is a lab certificate made at start-up.

use std::path::Path;

use time::OffsetDateTime;

use crate::error::InputError;
use crate::model::Scenario;
use crate::scenario::ScenarioFile;

pub const YAML: &str = include_str!("../../assets/demo/demo.yaml");
pub const LABEL: &str = "built-in demo";

pub fn load(now: OffsetDateTime) -> Result<(ScenarioFile, Scenario), InputError> {
    let path = Path::new("(built-in demo)");
    let doc = crate::scenario::parse(path, YAML)?;
    let generate = |g: &crate::model::GenerateSpec| crate::lab::generate_facts(g, now);
    let scenario = crate::scenario::resolve(path, Path::new("."), &doc, Some(&generate), now)?;
    Ok((doc, scenario))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Verdict;

    #[test]
    fn demo_loads_and_shows_the_seed_failure() {
        let now = time::macros::datetime!(2026-11-22 12:00 UTC);
        let (_, s) = load(now).unwrap();
        let r = crate::validate(&s, now);
        assert_eq!(r.verdict, Verdict::Fail);
        assert_eq!(
            r.headline(),
            "NDRs, forwarded mail and mail sent as fabrikam.com will bounce: 550 5.7.64 Relay Access Denied ATTR36"
        );
    }
}
