//! Training lessons: a scenario plus a `lesson:` block (story, machine-checkable objective,
//! hints, solution). The built-in lessons are embedded in the binary; trainers' lesson files
//! work the same way from any folder (docs/training.md).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::checks::CheckId;
use crate::error::InputError;
use crate::model::{Edit, Scenario};
use crate::relay::Outcome;
use crate::report::{Report, Verdict};
use crate::scenario::ScenarioFile;

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

/// The verdict a lesson asks for: `pass`, or `warn` (pass or warn).
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
    /// The report's verdict must be this good.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verdict: Option<VerdictGoal>,
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
}

/// One goal of the objective and whether it is met now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Goal {
    pub text: String,
    pub met: bool,
}

impl Objective {
    pub fn is_empty(&self) -> bool {
        self.verdict.is_none()
            && self.messages_pass.is_empty()
            && !self.all_messages_pass
            && self.gone.is_empty()
            && !self.no_hcw_warning
    }

    /// Each goal with its state in this report.
    pub fn goals(&self, report: &Report) -> Vec<Goal> {
        let mut out = Vec::new();
        let passes = |o: Outcome| o != Outcome::Rejected;
        if let Some(v) = self.verdict {
            let (text, met) = match v {
                VerdictGoal::Pass => ("verdict PASS", report.verdict == Verdict::Pass),
                VerdictGoal::Warn => ("verdict PASS or WARN", report.verdict != Verdict::Fail),
            };
            out.push(Goal {
                text: text.to_string(),
                met,
            });
        }
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
                met: report.hcw.as_ref().is_some_and(|h| h.warning.is_none()),
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

/// A lesson ready to use: its id, where it came from, its document and scenario.
#[derive(Debug, Clone)]
pub struct LoadedLesson {
    pub id: String,
    pub path: Option<PathBuf>,
    pub lesson: Lesson,
    pub doc: ScenarioFile,
    pub scenario: Scenario,
}

/// The built-in lessons, easy to hard: (id, file text).
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "01-apex-not-verified",
        include_str!("../../assets/training/01-apex-not-verified.yaml"),
    ),
    (
        "02-wildcard-not-host",
        include_str!("../../assets/training/02-wildcard-not-host.yaml"),
    ),
    (
        "03-host-under-unaccepted-domain",
        include_str!("../../assets/training/03-host-under-unaccepted-domain.yaml"),
    ),
    (
        "04-ip-only-connector",
        include_str!("../../assets/training/04-ip-only-connector.yaml"),
    ),
    (
        "05-self-signed-certificate",
        include_str!("../../assets/training/05-self-signed-certificate.yaml"),
    ),
    (
        "06-host-two-levels-down",
        include_str!("../../assets/training/06-host-two-levels-down.yaml"),
    ),
    (
        "07-org-fqdn-not-on-certificate",
        include_str!("../../assets/training/07-org-fqdn-not-on-certificate.yaml"),
    ),
    (
        "08-renewed-certificate-new-name",
        include_str!("../../assets/training/08-renewed-certificate-new-name.yaml"),
    ),
    (
        "09-envelope-sender-only",
        include_str!("../../assets/training/09-envelope-sender-only.yaml"),
    ),
];

/// Reads a lesson from its text; `path` names it in errors and resolves certificate files.
pub fn from_text(
    id: &str,
    path: &Path,
    base: &Path,
    text: &str,
    now: OffsetDateTime,
) -> Result<LoadedLesson, InputError> {
    let doc = crate::scenario::parse(path, text)?;
    let Some(lesson) = doc.lesson.clone() else {
        return Err(InputError::new(
            path,
            "this is a scenario, not a lesson: it has no `lesson:` block (see docs/training.md)",
        ));
    };
    let generate = |v: &serde_yaml::Value| crate::lab::generate_facts(v, now);
    let scenario = crate::scenario::resolve(path, base, &doc, Some(&generate))?;
    check_lesson(path, &lesson, &scenario)?;
    Ok(LoadedLesson {
        id: id.to_string(),
        path: (path.exists()).then(|| path.to_path_buf()),
        lesson,
        doc,
        scenario,
    })
}

/// What a lesson file must also satisfy beyond its syntax.
fn check_lesson(path: &Path, lesson: &Lesson, scenario: &Scenario) -> Result<(), InputError> {
    if lesson.objective.is_empty() {
        return Err(InputError::new(
            path,
            "lesson.objective is empty: say what the learner must achieve (verdict, messages_pass, all_messages_pass, gone, no_hcw_warning)",
        ));
    }
    if lesson.solution.is_empty() {
        return Err(InputError::new(
            path,
            "lesson.solution is empty: list the edits that meet the objective",
        ));
    }
    let messages = scenario.effective_messages();
    for name in &lesson.objective.messages_pass {
        if !messages
            .iter()
            .any(|m| m.title().eq_ignore_ascii_case(name))
        {
            let known: Vec<String> = messages
                .iter()
                .map(|m| format!("\"{}\"", m.title()))
                .collect();
            return Err(InputError::new(
                path,
                format!(
                    "lesson.objective.messages_pass names \"{name}\", but the scenario's messages are {}",
                    known.join(", ")
                ),
            ));
        }
    }
    Ok(())
}

/// A built-in lesson by id (or by its number, `3` or `03`).
pub fn builtin(id: &str, now: OffsetDateTime) -> Option<Result<LoadedLesson, InputError>> {
    let (id, text) = BUILTIN.iter().find(|(lid, _)| {
        *lid == id
            || lid.split_once('-').is_some_and(|(n, rest)| {
                n.trim_start_matches('0') == id.trim_start_matches('0') || rest == id
            })
    })?;
    let path = PathBuf::from(format!("(built-in lesson {id})"));
    Some(from_text(id, &path, Path::new("."), text, now))
}

/// A lesson by id, or from a file path.
pub fn load(which: &str, now: OffsetDateTime) -> Result<LoadedLesson, InputError> {
    let path = Path::new(which);
    if path.exists() || which.ends_with(".yaml") || which.ends_with(".yml") || which.contains('/') {
        let bytes = crate::error::read_input_kind(path, crate::error::InputKind::Scenario)?;
        let text = crate::scenario::decode(path, &bytes)?;
        let id = path
            .file_stem()
            .map_or_else(|| which.to_string(), |s| s.to_string_lossy().into_owned());
        let base = path.parent().unwrap_or(Path::new("."));
        return from_text(&id, path, base, &text, now);
    }
    builtin(which, now).unwrap_or_else(|| {
        let ids: Vec<&str> = BUILTIN.iter().map(|(id, _)| *id).collect();
        Err(InputError::without_file(format!(
            "there is no lesson \"{which}\": give a lesson file, or one of {}",
            ids.join(", ")
        )))
    })
}

/// All built-in lessons, in order.
pub fn all_builtin(now: OffsetDateTime) -> Result<Vec<LoadedLesson>, InputError> {
    BUILTIN
        .iter()
        .map(|(id, _)| {
            builtin(id, now)
                .unwrap_or_else(|| Err(InputError::without_file(format!("lesson {id} is missing"))))
        })
        .collect()
}

/// Replays a lesson's solution on its scenario and returns the report.
pub fn replay(lesson: &LoadedLesson, now: OffsetDateTime) -> Result<Report, String> {
    let mut s = lesson.scenario.clone();
    for e in &lesson.lesson.solution {
        crate::model::edit::apply(&mut s, e)?;
    }
    Ok(crate::validate(&s, now))
}

/// Text written in YAML block style: lines of a paragraph joined, blank lines kept as
/// paragraph breaks.
pub fn reflow(text: &str) -> String {
    text.trim()
        .split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// A line of the lesson list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LessonSummary {
    pub id: String,
    pub title: String,
    pub level: Level,
}

/// The built-in lessons' titles and levels (parsed only, no certificate is made).
pub fn catalog() -> Vec<LessonSummary> {
    BUILTIN
        .iter()
        .filter_map(|(id, text)| {
            let doc = crate::scenario::parse(Path::new(id), text).ok()?;
            let lesson = doc.lesson?;
            Some(LessonSummary {
                id: id.to_string(),
                title: lesson.title,
                level: lesson.level,
            })
        })
        .collect()
}
