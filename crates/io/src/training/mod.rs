//! Training lessons: a scenario plus a `lesson:` block (story, machine-checkable objective,
//! hints, solution). The built-in lessons are embedded in the binary; trainers' lesson files
//! work the same way from any folder (docs/training.md).

pub use relaycheck_core::lesson;
pub mod progress;

use std::path::{Path, PathBuf};

use time::OffsetDateTime;

use crate::error::InputError;
use crate::scenario::ScenarioFile;
use relaycheck_core::model::Scenario;
use relaycheck_core::report::Report;

pub use lesson::{Goal, KnownCheck, Lesson, Level, Objective, VerdictGoal};

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
        include_str!("../../../../assets/training/01-apex-not-verified.yaml"),
    ),
    (
        "02-wildcard-not-host",
        include_str!("../../../../assets/training/02-wildcard-not-host.yaml"),
    ),
    (
        "03-host-under-unaccepted-domain",
        include_str!("../../../../assets/training/03-host-under-unaccepted-domain.yaml"),
    ),
    (
        "04-ip-only-connector",
        include_str!("../../../../assets/training/04-ip-only-connector.yaml"),
    ),
    (
        "05-self-signed-certificate",
        include_str!("../../../../assets/training/05-self-signed-certificate.yaml"),
    ),
    (
        "06-host-two-levels-down",
        include_str!("../../../../assets/training/06-host-two-levels-down.yaml"),
    ),
    (
        "07-org-fqdn-not-on-certificate",
        include_str!("../../../../assets/training/07-org-fqdn-not-on-certificate.yaml"),
    ),
    (
        "08-renewed-certificate-new-name",
        include_str!("../../../../assets/training/08-renewed-certificate-new-name.yaml"),
    ),
    (
        "09-envelope-sender-only",
        include_str!("../../../../assets/training/09-envelope-sender-only.yaml"),
    ),
    (
        "10-server-moved-direct-send",
        include_str!("../../../../assets/training/10-server-moved-direct-send.yaml"),
    ),
    (
        "11-internal-ca-certificate",
        include_str!("../../../../assets/training/11-internal-ca-certificate.yaml"),
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
    let generate =
        |g: &relaycheck_core::model::GenerateSpec| relaycheck_lab::generate_facts(g, now);
    let scenario = crate::scenario::resolve(path, base, &doc, Some(&generate), now)?;
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
    match (
        lesson.objective.verdict_goal(),
        lesson.objective.allowed_warnings.is_empty(),
    ) {
        (VerdictGoal::Warn, true) => {
            return Err(InputError::new(
                path,
                "lesson.objective.verdict is warn but allowed_warnings is empty: name the warnings that may remain (check ids), or ask for verdict: pass",
            ));
        }
        (VerdictGoal::Pass, false) => {
            return Err(InputError::new(
                path,
                "lesson.objective.allowed_warnings needs verdict: warn (with verdict: pass no warning may remain)",
            ));
        }
        _ => {}
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

/// The messages (by position) whose envelope sender a learner may change: those whose
/// sender the lesson's own solution changes, keeping their name and recipient. Every other
/// change to a lesson's test messages is refused, so that a lesson cannot be passed by
/// deleting or rewriting the mail that shows the problem.
pub fn editable_senders(lesson: &Lesson, scenario: &Scenario) -> Vec<usize> {
    let messages = scenario.effective_messages();
    lesson
        .solution
        .iter()
        .filter_map(|e| match e {
            relaycheck_core::model::Edit::ReplaceMessage { index, message } => {
                let old = messages.get(*index)?;
                (old.title() == message.title() && old.rcpt_to == message.rcpt_to).then_some(*index)
            }
            _ => None,
        })
        .collect()
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
        let bytes = crate::input::read_input_kind(path, crate::input::InputKind::Scenario)?;
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
    relaycheck_core::model::edit::apply_all(&mut s, &lesson.lesson.solution)
        .map_err(|e| e.to_string())?;
    Ok(relaycheck_core::validate(&s, now))
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
