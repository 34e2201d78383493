//! A lesson's state as the wizard holds it: which lesson, its hints and completion, the
//! solution and the plan's answer, the presenter line's last change; the lesson list and
//! the learner's progress. Plain data, below the wizard's state (`app`), which holds it:
//! the keys and drawing of lessons are in the modules beside this one.

use std::path::PathBuf;

use relaycheck_core::model::edit::Edit;
use relaycheck_core::plan::PlanStep;
use relaycheck_core::report::Report;
use relaycheck_io::training::progress::Progress;
use relaycheck_io::training::{Goal, Lesson, LessonSummary};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LessonState {
    pub id: String,
    pub lesson: Lesson,
    pub hints_shown: usize,
    pub completed: bool,
    /// Messages whose envelope sender the learner may change (the lesson's solution does).
    pub editable_senders: Vec<usize>,
    /// The lesson's solution with every connector named, to compare with what was done.
    pub solution: Vec<Edit>,
    /// The plan of the lesson's starting scenario: relaycheck's own answer, shown on
    /// completion when the learner's changes differ from it.
    pub answer: relaycheck_core::plan::Plan,
    /// The learner's changes from the start, as a real tenant would make them, taken when
    /// the objective was met (`None` before).
    pub done: Option<Vec<PlanStep>>,
    /// `p`: the presenter line is shown.
    pub presenter: bool,
    /// The last change in the history and its PowerShell, for the presenter line.
    pub last_change: Option<LastChange>,
}

/// The lesson list and the learner's progress, for the whole session.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Classroom {
    /// The built-in lessons, for the list and "next lesson".
    pub catalog: Vec<LessonSummary>,
    pub progress: Progress,
    /// Where the progress is kept (`None`: in memory only).
    pub file: Option<PathBuf>,
}

/// What a lesson panel shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Panel {
    Intro { scroll: u16 },
    Complete { scroll: u16 },
    Picker { selected: usize },
}

impl LessonState {
    /// The objective's goals, judged on the wizard's report.
    pub fn goals(&self, report: &Report) -> Vec<Goal> {
        self.lesson.objective.goals(report)
    }

    pub fn position(&self, classroom: &Classroom) -> Option<usize> {
        classroom.catalog.iter().position(|l| l.id == self.id)
    }
}

/// The history's last step, in the core's words, and its plan steps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LastChange {
    pub what: String,
    pub steps: Vec<PlanStep>,
}
