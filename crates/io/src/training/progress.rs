//! A learner's progress through the lessons: which are done, when, and with how many hints.
//! It lives in the platform's per-user state folder (`$XDG_STATE_HOME/relaycheck` or
//! `~/.local/state/relaycheck` on Linux, `%LOCALAPPDATA%\relaycheck` on Windows, the
//! application-support folder on macOS), never beside the lesson files, as one small JSON
//! file. `RELAYCHECK_STATE_DIR` names another folder (tests, shared classroom machines).
//! Reading and writing the file is the runtime's job; this module only turns it into data.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The environment variable that overrides the state folder.
pub const STATE_DIR_ENV: &str = "RELAYCHECK_STATE_DIR";
/// The file in the state folder.
pub const FILE_NAME: &str = "progress.json";

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Progress {
    /// By lesson id.
    #[serde(default)]
    pub lessons: BTreeMap<String, Done>,
}

/// A lesson done: when first, and the fewest hints it took.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Done {
    /// RFC 3339, the moment it was first completed.
    pub completed: String,
    pub hints: usize,
}

impl Progress {
    pub fn is_done(&self, id: &str) -> bool {
        self.lessons.contains_key(id)
    }

    /// Records a completion at `when`; a lesson done before keeps its first date and the
    /// fewest hints.
    pub fn record(&mut self, id: &str, when: &str, hints: usize) {
        self.lessons
            .entry(id.to_string())
            .and_modify(|d| d.hints = d.hints.min(hints))
            .or_insert(Done {
                completed: when.to_string(),
                hints,
            });
    }

    /// Forgets one lesson, or all of them.
    pub fn reset(&mut self, id: Option<&str>) {
        match id {
            Some(id) => {
                self.lessons.remove(id);
            }
            None => self.lessons.clear(),
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|_| "{}".to_string()) + "\n"
    }

    pub fn from_json(text: &str) -> Result<Progress, String> {
        serde_json::from_str(text).map_err(|e| e.to_string())
    }

    /// `relaycheck train --progress`: one line per lesson of the list, then any other.
    pub fn report(&self, catalog: &[super::LessonSummary], file: Option<&Path>) -> String {
        let mut out = String::from(" #  done  hints  when                  lesson\n");
        for (i, l) in catalog.iter().enumerate() {
            let (mark, hints, when) = match self.lessons.get(&l.id) {
                Some(d) => ("✓", d.hints.to_string(), d.completed.clone()),
                None => ("·", "-".to_string(), "-".to_string()),
            };
            out.push_str(&format!(
                "{:>2}  {mark:<4}  {hints:>5}  {when:<20}  {}\n",
                i + 1,
                l.id
            ));
        }
        for (id, d) in &self.lessons {
            if !catalog.iter().any(|l| &l.id == id) {
                out.push_str(&format!(
                    "    ✓     {:>5}  {:<20}  {id} (a lesson file)\n",
                    d.hints, d.completed
                ));
            }
        }
        let done = catalog.iter().filter(|l| self.is_done(&l.id)).count();
        out.push_str(&format!("\n{done} of {} lessons done.", catalog.len()));
        match file {
            Some(f) => out.push_str(&format!(" Progress file: {}\n", f.display())),
            None => out.push_str(" (No state folder: progress is not kept.)\n"),
        }
        out
    }
}

/// The progress file: in `RELAYCHECK_STATE_DIR` when set, else in the platform's state
/// folder (`None` when the platform has none, e.g. no home folder).
pub fn default_file() -> Option<PathBuf> {
    let dir = match std::env::var_os(STATE_DIR_ENV).filter(|v| !v.is_empty()) {
        Some(d) => PathBuf::from(d),
        None => {
            let dirs = directories::ProjectDirs::from("", "", "relaycheck")?;
            dirs.state_dir()
                .unwrap_or_else(|| dirs.data_local_dir())
                .to_path_buf()
        }
    };
    Some(dir.join(FILE_NAME))
}

/// Reads the progress file; a missing file is no progress yet. It is read by the guarded
/// reader: a named pipe, a device or a link to one (`/dev/zero`) is refused at once instead
/// of blocking or filling memory, and the file is at most 1 MiB.
pub fn read(path: &Path) -> Result<Progress, String> {
    if std::fs::symlink_metadata(path).is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound) {
        return Ok(Progress::default());
    }
    // A budget of its own: the progress file is state the command replaces, not an input
    // it must never write over (`crate::save` refuses files read under the command's).
    let bytes = crate::input::Budget::new(crate::input::InputKind::Progress.limit())
        .run(|| crate::input::read_input_kind(path, crate::input::InputKind::Progress))
        .map_err(|e| e.to_string())?;
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| format!("{}: the progress file is not text", path.display()))?;
    Progress::from_json(text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Writes the progress file atomically, creating its folder.
pub fn write(path: &Path, progress: &Progress) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    crate::save::write_atomic(path, progress.to_json().as_bytes(), true, &[])
        .map_err(|e| e.to_string())
}

/// The id a learner's word names: a built-in lesson by id or number (`3`, `03`), or a
/// lesson file's id (its file name without `.yaml`).
pub fn lesson_id(which: &str) -> String {
    let catalog = super::catalog();
    let n = which.trim_start_matches('0');
    catalog
        .iter()
        .find(|l| {
            l.id == which
                || l.id
                    .split_once('-')
                    .is_some_and(|(num, rest)| num.trim_start_matches('0') == n || rest == which)
        })
        .map(|l| l.id.clone())
        .unwrap_or_else(|| {
            Path::new(which)
                .file_stem()
                .map_or_else(|| which.to_string(), |s| s.to_string_lossy().into_owned())
        })
}

/// `relaycheck train --progress` and `--reset [LESSON]`: the text to print.
pub fn command(lesson: Option<&str>, reset: bool) -> Result<String, String> {
    let file = default_file()
        .ok_or("there is no state folder for progress on this system; set RELAYCHECK_STATE_DIR")?;
    let catalog = super::catalog();
    if !reset {
        return Ok(read(&file)?.report(&catalog, Some(&file)));
    }
    // Resetting works even when the file is unreadable: it is replaced. Not when it is a
    // pipe, a device or a link: the guarded read and the save refuse those with an error.
    let mut progress = read(&file).unwrap_or_default();
    let id = lesson.map(lesson_id);
    progress.reset(id.as_deref());
    write(&file, &progress)?;
    Ok(match id {
        Some(id) => format!("Progress of {id} forgotten ({}).\n", file.display()),
        None => format!("Progress forgotten ({}).\n", file.display()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_keeps_the_first_date_and_the_fewest_hints() {
        let mut p = Progress::default();
        p.record("01", "2026-01-01T10:00:00Z", 3);
        p.record("01", "2026-02-01T10:00:00Z", 1);
        p.record("01", "2026-03-01T10:00:00Z", 2);
        let d = &p.lessons["01"];
        assert_eq!((d.completed.as_str(), d.hints), ("2026-01-01T10:00:00Z", 1));
        let back = Progress::from_json(&p.to_json()).unwrap();
        assert_eq!(back, p);
        p.reset(Some("01"));
        assert!(!p.is_done("01"));
    }

    #[test]
    fn files_round_trip_and_a_missing_one_is_empty() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("sub/progress.json");
        assert_eq!(read(&f).unwrap(), Progress::default());
        let mut p = Progress::default();
        p.record("02", "2026-01-01T10:00:00Z", 0);
        write(&f, &p).unwrap();
        assert_eq!(read(&f).unwrap(), p);
        std::fs::write(&f, "{not json").unwrap();
        assert!(read(&f).is_err());
    }
}
