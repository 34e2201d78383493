//! Lessons inside the wizard (filled in by the training feature).

use super::app::App;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LessonState {}

pub fn next_hint(app: &mut App) {
    app.status = Some("Hints are shown in lessons (relaycheck train).".to_string());
}

pub fn back_to_list(app: &mut App) {
    app.status = Some("Lessons: relaycheck train".to_string());
}

pub fn on_change(_app: &mut App) {}

/// Lines the lesson bar takes above the headline.
pub const BAR_HEIGHT: u16 = 2;

pub fn draw_bar(_app: &App, _frame: &mut ratatui::Frame, _area: ratatui::layout::Rect) {}
