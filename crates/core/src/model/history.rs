//! Undo and redo for the wizard: one place that owns the stacks, their bound and the
//! "saved here" marker, so that "unsaved edits" is right after any mix of edits, undos,
//! redos and saves. Entries keep the edits and their [`Undo`]s, never copies of the
//! scenario: 5,000 edits on a 5,000-domain tenant stay small.

use std::collections::VecDeque;

use super::Scenario;
use super::edit::{self, Edit, EditError, Undo};

/// At most this many steps can be undone…
pub const MAX_ENTRIES: usize = 1000;
/// …and they keep at most about this many bytes alive.
pub const MAX_BYTES: usize = 8 * 1024 * 1024;

/// One step the user took: one or several edits applied as one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// In the admin's words.
    pub what: String,
    pub edits: Vec<Edit>,
    undo: Vec<Undo>,
    /// The state after this step.
    id: u64,
    weight: usize,
}

#[derive(Debug, Clone, Default)]
pub struct History {
    done: VecDeque<Entry>,
    undone: Vec<Entry>,
    /// The state before the oldest entry kept.
    base: u64,
    next_id: u64,
    /// The state that was last saved (or loaded).
    saved: Option<u64>,
    bytes: usize,
}

impl History {
    /// A history whose starting state is the one on disk (nothing unsaved).
    pub fn new() -> Self {
        History {
            next_id: 1,
            saved: Some(0),
            ..History::default()
        }
    }

    fn current(&self) -> u64 {
        self.done.back().map_or(self.base, |e| e.id)
    }

    /// Applies `edits` to `s` as one step (all or none) and records it. Redo is lost.
    pub fn apply(
        &mut self,
        s: &mut Scenario,
        edits: Vec<Edit>,
        what: String,
    ) -> Result<(), EditError> {
        let undo = edit::apply_all(s, &edits)?;
        self.undone.clear();
        self.push(what, edits, undo);
        Ok(())
    }

    fn push(&mut self, what: String, edits: Vec<Edit>, undo: Vec<Undo>) {
        let weight = what.len() + undo.iter().map(Undo::weight).sum::<usize>() + 64;
        let id = self.next_id;
        self.next_id += 1;
        self.bytes += weight;
        self.done.push_back(Entry {
            what,
            edits,
            undo,
            id,
            weight,
        });
        while self.done.len() > MAX_ENTRIES || (self.bytes > MAX_BYTES && self.done.len() > 1) {
            if let Some(old) = self.done.pop_front() {
                self.bytes -= old.weight;
                self.base = old.id;
            }
        }
    }

    /// Undoes the last step; returns what it was.
    pub fn undo(&mut self, s: &mut Scenario) -> Option<String> {
        let mut e = self.done.pop_back()?;
        self.bytes -= e.weight;
        for u in std::mem::take(&mut e.undo).into_iter().rev() {
            edit::revert(s, u);
        }
        let what = e.what.clone();
        self.undone.push(e);
        Some(what)
    }

    /// Does again the last step undone; returns what it was.
    pub fn redo(&mut self, s: &mut Scenario) -> Result<Option<String>, EditError> {
        let Some(e) = self.undone.pop() else {
            return Ok(None);
        };
        match edit::apply_all(s, &e.edits) {
            Ok(undo) => {
                let what = e.what.clone();
                // Keep the id: redoing returns to the very state that was saved, if it was.
                self.bytes += e.weight;
                self.done.push_back(Entry { undo, ..e });
                Ok(Some(what))
            }
            Err(err) => {
                self.undone.clear();
                Err(err)
            }
        }
    }

    pub fn can_undo(&self) -> bool {
        !self.done.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.undone.is_empty()
    }

    /// The current state is what was saved.
    pub fn mark_saved(&mut self) {
        self.saved = Some(self.current());
    }

    /// The current state differs from the last one saved (or loaded).
    pub fn is_dirty(&self) -> bool {
        self.saved != Some(self.current())
    }

    /// The steps that lead from the start (or the oldest one kept) to now, oldest first.
    pub fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.done.iter()
    }

    /// The last step and the scenario as it was before it (`s` is the current one): what
    /// the step changed is the difference. `None` when no step is left (nothing done yet, or
    /// everything undone). Only that step's undos are applied, to a copy.
    pub fn before_last(&self, s: &Scenario) -> Option<(&Entry, Scenario)> {
        let last = self.done.back()?;
        let mut before = s.clone();
        for u in last.undo.iter().rev() {
            edit::revert(&mut before, u.clone());
        }
        Some((last, before))
    }

    /// About how many bytes the history keeps alive.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// Forgets everything; the current state counts as saved.
    pub fn reset(&mut self) {
        *self = History::new();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::AcceptedDomain;
    use crate::names::DnsName;

    fn add(s: &str) -> Vec<Edit> {
        vec![Edit::AddDomain(DnsName::parse(s).unwrap())]
    }

    #[test]
    fn dirty_follows_undo_redo_and_save() {
        let mut s = Scenario::default();
        let mut h = History::new();
        assert!(!h.is_dirty());
        h.apply(&mut s, add("a.com"), "a".into()).unwrap();
        assert!(h.is_dirty());
        assert_eq!(h.undo(&mut s).as_deref(), Some("a"));
        assert!(!h.is_dirty(), "back where it was loaded");
        assert_eq!(h.redo(&mut s).unwrap().as_deref(), Some("a"));
        assert!(h.is_dirty());
        h.mark_saved();
        assert!(!h.is_dirty());
        h.undo(&mut s);
        assert!(h.is_dirty());
        h.redo(&mut s).unwrap();
        assert!(!h.is_dirty(), "redo returns to the saved state");
        h.undo(&mut s);
        h.apply(&mut s, add("b.com"), "b".into()).unwrap();
        assert!(!h.can_redo(), "a new edit drops redo");
        assert!(h.is_dirty());
        assert_eq!(s.tenant.len(), 1);
    }

    #[test]
    fn before_last_is_the_state_before_the_last_step_and_follows_undo() {
        let mut s = Scenario::default();
        let mut h = History::new();
        assert!(h.before_last(&s).is_none(), "nothing done yet");
        h.apply(&mut s, add("a.com"), "a".into()).unwrap();
        h.apply(&mut s, add("b.com"), "b".into()).unwrap();
        let (entry, before) = h.before_last(&s).unwrap();
        assert_eq!(entry.what, "b");
        assert_eq!(before.tenant.len(), 1);
        assert!(before.tenant.get("a.com").is_some() && before.tenant.get("b.com").is_none());
        assert_eq!(s.tenant.len(), 2, "the current scenario is left alone");
        h.undo(&mut s);
        let (entry, before) = h.before_last(&s).unwrap();
        assert_eq!(entry.what, "a");
        assert!(before.tenant.is_empty());
        h.undo(&mut s);
        assert!(h.before_last(&s).is_none(), "everything undone");
    }

    #[test]
    fn a_failed_step_is_not_recorded() {
        let mut s = Scenario::default();
        let mut h = History::new();
        let bad = vec![
            Edit::AddDomain(DnsName::parse("a.com").unwrap()),
            Edit::RemoveDomain(DnsName::parse("zzz.com").unwrap()),
        ];
        assert!(h.apply(&mut s, bad, "x".into()).is_err());
        assert!(!h.can_undo());
        assert!(s.tenant.is_empty());
    }

    #[test]
    fn bounded_by_count_and_still_right_about_dirty() {
        let mut s = Scenario::default();
        let mut h = History::new();
        for i in 0..(MAX_ENTRIES + 50) {
            h.apply(&mut s, add(&format!("d{i}.com")), format!("{i}"))
                .unwrap();
        }
        assert_eq!(h.entries().count(), MAX_ENTRIES);
        while h.undo(&mut s).is_some() {}
        assert_eq!(
            s.tenant.len(),
            50,
            "the oldest steps can no longer be undone"
        );
        assert!(h.is_dirty(), "the loaded state cannot be reached any more");
    }

    #[test]
    fn five_thousand_domain_edits_stay_small() {
        let mut s = Scenario::default();
        let mut h = History::new();
        for i in 0..5000 {
            s.tenant.push(AcceptedDomain::new(
                DnsName::parse(&format!("t{i}.example.com")).unwrap(),
            ));
        }
        for i in 0..5000 {
            h.apply(&mut s, add(&format!("n{i}.contoso.com")), "add".into())
                .unwrap();
        }
        assert!(h.bytes() < MAX_BYTES, "{} bytes", h.bytes());
        assert!(h.bytes() < 1024 * 1024, "{} bytes", h.bytes());
    }
}
