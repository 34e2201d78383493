//! Keys of the lesson panels (introduction, completion, the lesson list) and of the hints,
//! as actions from the keymap.

use super::Panel;
use crate::app::{App, Modal, Question};
use crate::effect::Effect;
use crate::keymap::Action;

/// Scrolls the open panel or hints by `delta` lines, never past their end.
pub fn scroll(app: &mut App, delta: isize) {
    let max = u16::try_from(crate::view::max_scroll(app)).unwrap_or(u16::MAX);
    let moved = |s: u16| s.min(max).saturating_add_signed(delta as i16).min(max);
    match &mut app.modal {
        Some(Modal::Hints { scroll })
        | Some(Modal::Lesson(Panel::Intro { scroll }))
        | Some(Modal::Lesson(Panel::Complete { scroll })) => *scroll = moved(*scroll),
        Some(Modal::Lesson(Panel::Picker { selected })) => {
            let n = app.classroom.catalog.len();
            *selected =
                (*selected as isize + delta).clamp(0, n.saturating_sub(1) as isize) as usize;
        }
        _ => {}
    }
}

pub fn on_action(app: &mut App, action: Action) -> Vec<Effect> {
    match action {
        Action::Up => scroll(app, -1),
        Action::Down => scroll(app, 1),
        Action::Quit => app.should_quit = true,
        Action::Close => app.modal = None,
        Action::Hint => super::show_hints(app, true),
        Action::Lessons => super::back_to_list(app),
        Action::NextLesson => {
            let next = app.lesson.as_ref().and_then(|s| {
                s.position(&app.classroom)
                    .and_then(|i| app.classroom.catalog.get(i + 1))
                    .map(|l| l.id.clone())
            });
            match next {
                Some(id) => return vec![Effect::OpenLesson(id)],
                None => {
                    app.modal = None;
                    app.status = Some("That was the last lesson. Well done!".to_string());
                }
            }
        }
        Action::Choose => {
            if let Some(Modal::Lesson(Panel::Picker { selected })) = &app.modal
                && let Some(l) = app.classroom.catalog.get(*selected)
            {
                return vec![Effect::OpenLesson(l.id.clone())];
            }
        }
        Action::ResetProgress => {
            app.modal = Some(Modal::Confirm(Question::ResetProgress));
        }
        _ => {}
    }
    Vec::new()
}
