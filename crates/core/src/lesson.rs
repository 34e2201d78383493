//! A lesson's data (the `lesson:` block of a lesson file, docs/training.md) and its
//! objective, judged on a report. Kept apart from the loader (`training`) so that scenario
//! files can carry a lesson block without the scenario reader depending on the trainer.

use serde::{Deserialize, Serialize};

use crate::checks::CheckId;
use crate::model::Edit;
use crate::relay::Outcome;
use crate::report::{Report, Verdict};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Easy,
    Medium,
    Hard,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Easy => "easy",
            Level::Medium => "medium",
            Level::Hard => "hard",
        }
    }
}

/// The verdict a lesson asks for: `pass`, or `warn` (pass, or warn with only the warnings
/// the lesson names in `allowed_warnings`). A lesson that names none asks for `pass`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum VerdictGoal {
    Pass,
    Warn,
}

/// A check id as written in a lesson, checked against the known ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KnownCheck(pub CheckId);

impl Serialize for KnownCheck {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0.as_str())
    }
}

impl<'de> Deserialize<'de> for KnownCheck {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        CheckId::parse(&text).map(KnownCheck).ok_or_else(|| {
            serde::de::Error::custom(format!("\"{text}\" is not a check id (see docs/checks.md)"))
        })
    }
}

/// What "done" means, checked after every edit.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Objective {
    /// The report's verdict must be this good (PASS when not given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verdict: Option<VerdictGoal>,
    /// With `verdict: warn`: the only warnings that may remain.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allowed_warnings: Vec<KnownCheck>,
    /// These messages (by name) must be relayed or delivered.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub messages_pass: Vec<String>,
    /// Every message must be relayed or delivered.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub all_messages_pass: bool,
    /// These findings must be gone.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gone: Vec<KnownCheck>,
    /// HCW must no longer warn (HCW8103).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub no_hcw_warning: bool,
    /// No message may arrive as anonymous Direct Send (rule RELAY step 3): a connector must
    /// recognise the server.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub no_direct_send: bool,
}

/// One goal of the objective and whether it is met now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Goal {
    pub text: String,
    pub met: bool,
}

impl Objective {
    /// No goal was given (the verdict alone is not an objective).
    pub fn is_empty(&self) -> bool {
        self.verdict.is_none()
            && self.messages_pass.is_empty()
            && !self.all_messages_pass
            && self.gone.is_empty()
            && !self.no_hcw_warning
            && !self.no_direct_send
    }

    /// The verdict the objective asks for (PASS unless the lesson says `warn`).
    pub fn verdict_goal(&self) -> VerdictGoal {
        self.verdict.unwrap_or(VerdictGoal::Pass)
    }

    /// Each goal with its state in this report. The verdict is always the first goal: no
    /// objective is met while the report still fails.
    pub fn goals(&self, report: &Report) -> Vec<Goal> {
        let mut out = Vec::new();
        let passes = |o: Outcome| o != Outcome::Rejected;
        let (text, met) = match self.verdict_goal() {
            VerdictGoal::Pass => ("verdict PASS".to_string(), report.verdict == Verdict::Pass),
            VerdictGoal::Warn => {
                let allowed: Vec<&str> =
                    self.allowed_warnings.iter().map(|c| c.0.as_str()).collect();
                let only_allowed = report
                    .findings
                    .iter()
                    .filter(|f| f.severity == crate::checks::Severity::Warning)
                    .all(|f| self.allowed_warnings.iter().any(|a| a.0 == f.id));
                (
                    format!("verdict PASS, or WARN only for {}", allowed.join(", ")),
                    report.verdict == Verdict::Pass
                        || (report.verdict == Verdict::Warn && only_allowed),
                )
            }
        };
        out.push(Goal { text, met });
        if self.all_messages_pass {
            out.push(Goal {
                text: "every message gets through".to_string(),
                met: report.mail_flow.iter().all(|m| passes(m.outcome)),
            });
        }
        for name in &self.messages_pass {
            let met = report
                .mail_flow
                .iter()
                .any(|m| m.name.eq_ignore_ascii_case(name) && passes(m.outcome));
            out.push(Goal {
                text: format!("\"{name}\" gets through"),
                met,
            });
        }
        for id in &self.gone {
            out.push(Goal {
                text: format!("{} gone", id.0),
                met: !report.findings.iter().any(|f| f.id == id.0),
            });
        }
        if self.no_hcw_warning {
            out.push(Goal {
                text: "no HCW8103 warning".to_string(),
                met: report.hcw().is_some_and(|h| h.warning.is_none()),
            });
        }
        if self.no_direct_send {
            out.push(Goal {
                text: "no message arrives as anonymous Direct Send".to_string(),
                met: !report
                    .mail_flow
                    .iter()
                    .any(|m| m.decided_by == crate::relay::DecidedBy::Anonymous),
            });
        }
        out
    }

    pub fn is_met(&self, report: &Report) -> bool {
        self.goals(report).iter().all(|g| g.met)
    }
}

/// The `lesson:` block of a lesson file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lesson {
    pub title: String,
    pub level: Level,
    /// What the learner faces, in plain words.
    pub story: String,
    pub objective: Objective,
    /// Shown one at a time, on request.
    #[serde(default)]
    pub hints: Vec<String>,
    /// The edits that meet the objective, as the wizard makes them.
    #[serde(with = "serde_yaml::with::singleton_map_recursive")]
    pub solution: Vec<Edit>,
    /// Shown on completion: why the change works (with the source).
    pub explanation: String,
}
