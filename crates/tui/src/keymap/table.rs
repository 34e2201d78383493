//! The table itself: one row per binding, `scope => [keys] "label" hint "help" action;`
//! (`-` for a binding the footer leaves out, `("1-5" "steps")` for a footer label of its own).

use ratatui::crossterm::event::KeyCode;

use super::{Action, Binding, Key, Scope, code, ctrl, k};
use crate::app::Tab;

macro_rules! table {
    ($( $scope:expr => [$($key:expr),+] $label:literal $hint:tt $help:literal $action:expr; )+) => {
        &[$( Binding { scope: $scope, keys: &[$($key),+], label: $label, hint: table!(@hint $label $hint), help: $help, action: $action } ),+]
    };
    (@hint $label:literal -) => { None };
    (@hint $label:literal $word:literal) => { Some(($label, $word)) };
    (@hint $label:literal ($l:literal $word:literal)) => { Some(($l, $word)) };
}

use Action as A;
use KeyCode as C;
use Scope::{
    Always, Choices, Confirm, Form, FormFields, Help, Hints, LessonDone, LessonIntro, LessonList,
    Loading, PathField, Step, TooSmall,
};
use Tab::{Certificate, Connector, Domains, MailFlow, Summary};

pub static KEYMAP: &[Binding] = table! {
    Always => [ctrl('c')] "Ctrl-C" - "Quit at once, without saving" A::ForceQuit;
    Scope::Pages => [k('?'), code(C::F(1))] "?/F1" "help" "Show the keys (this help)" A::Help;
    Scope::Pages => [k('q')] "q" "quit" "Quit (asks first when there are unsaved edits)" A::Quit;
    Scope::Pages => [code(C::Esc)] "Esc" - "Clear the status line (never quits)" A::Dismiss;
    Scope::Pages => [k('1')] "1" - "Step 1: Certificate" A::GoTo(Tab::Certificate);
    Scope::Pages => [k('2')] "2" - "Step 2: Domains" A::GoTo(Tab::Domains);
    Scope::Pages => [k('3')] "3" - "Step 3: Connector" A::GoTo(Tab::Connector);
    Scope::Pages => [k('4')] "4" - "Step 4: Mail flow" A::GoTo(Tab::MailFlow);
    Scope::Pages => [k('5')] "5" ("1-5" "steps") "Step 5: Summary" A::GoTo(Tab::Summary);
    Scope::Pages => [code(C::PageDown)] "PgDn" - "Next step" A::NextStep;
    Scope::Pages => [code(C::PageUp)] "PgUp" - "Previous step" A::PrevStep;
    Scope::Pages => [code(C::Up), k('k')] "↑/k" - "Move up (or scroll up)" A::Up;
    Scope::Pages => [code(C::Down), k('j')] "↓/j" "move" "Move down (or scroll down)" A::Down;
    Scope::Pages => [code(C::Tab)] "Tab" "pane" "Next pane (list, details, findings), or next field" A::NextPane;
    Scope::Pages => [code(C::BackTab)] "Shift-Tab" - "Previous pane, or previous field" A::PrevPane;
    Scope::Pages => [k('f')] "f" "fix" "Apply the fix of the highlighted finding (or the step's first fixable one)" A::ApplyFix;
    Scope::Pages => [k('u'), ctrl('z')] "u/Ctrl-Z" "undo" "Undo the last edit" A::Undo;
    Scope::Pages => [k('U'), ctrl('y')] "U/Ctrl-Y" "redo" "Redo the last edit undone" A::Redo;
    Step(Certificate) => [code(C::Enter)] "Enter" "use" "Use this certificate (the one the on-premises server presents)" A::Activate;
    Step(Certificate) => [k('a')] "a" "add" "Add certificates from a file or a folder" A::Add;
    Step(Certificate) => [k('g')] "g" "lab cert" "Generate a lab certificate with names you type" A::Generate;
    Step(Certificate) => [k('x'), code(C::Delete)] "x/Del" - "Remove the certificate from the list" A::Remove;
    Step(Domains) => [k('a')] "a" "add" "Add an accepted domain" A::Add;
    Step(Domains) => [k('v'), k(' ')] "v/Space" "verified" "Toggle verified / pending verification" A::ToggleVerified;
    Step(Domains) => [k('t')] "t" "type" "Change the type (Authoritative, InternalRelay, ExternalRelay)" A::CycleType;
    Step(Domains) => [k('d')] "d" - "Make it the default domain" A::SetDefault;
    Step(Domains) => [k('x'), code(C::Delete)] "x/Del" "remove" "Remove the accepted domain" A::Remove;
    Step(Domains) => [k('r')] "r" - "Turn the tenant's RejectDirectSend on or off (Set-OrganizationConfig)" A::ToggleRejectDirectSend;
    Step(Connector) => [code(C::Enter)] "Enter" "edit" "Edit the field, or toggle it" A::Activate;
    Step(Connector) => [k('c')] "c" "choices" "TlsSenderCertificateName choices from the certificate" A::TscnChoices;
    Step(Connector) => [k('w')] "w" "wildcard" "Toggle TlsSenderCertificateName between host and *.domain" A::ToggleWildcard;
    Step(Connector) => [k(']')] "]" - "Next inbound connector" A::NextConnector;
    Step(Connector) => [k('n')] "n" - "New inbound connector" A::NewConnector;
    Step(Connector) => [k('x'), code(C::Delete)] "x/Del" - "Delete this inbound connector" A::Remove;
    Step(MailFlow) => [k('a')] "a" "add" "Add a message" A::Add;
    Step(MailFlow) => [code(C::Enter), k('e')] "Enter/e" "edit" "Edit the message" A::Activate;
    Step(MailFlow) => [k('x'), code(C::Delete)] "x/Del" "delete" "Delete the message" A::Remove;
    Step(MailFlow) => [k('r')] "r" - "Back to the four default messages" A::ResetMessages;
    Step(Summary) => [k('c')] "c" "copy" "Copy the whole PowerShell remediation (OSC 52, works over SSH)" A::Copy;
    Step(Summary) => [k('s')] "s" "save" "Save the edited scenario as YAML" A::SaveScenario;
    Step(Summary) => [k('m')] "m" "report" "Save the report as Markdown" A::SaveReport;
    Scope::Lesson => [k('h')] "h" "hint" "Show the hints (the next one each time)" A::Hint;
    Scope::Lesson => [k('l')] "l" "lessons" "Back to the lesson list" A::Lessons;
    Scope::Lesson => [k('p')] "p" "presenter" "Show or hide the presenter line: the last change's PowerShell" A::Presenter;
    Form => [code(C::Enter)] "Enter" "save" "Save the form" A::Submit;
    Form => [code(C::Esc)] "Esc" "cancel" "Cancel (nothing changes)" A::Cancel;
    Form => [Key::AnyChar] "text" - "Type into the field; the first key replaces a pre-filled value" A::Type(' ');
    Form => [code(C::Backspace)] "Backspace" - "Delete the character before the cursor (or the whole selected value)" A::Backspace;
    Form => [code(C::Delete)] "Del" - "Delete the character under the cursor" A::DeleteChar;
    Form => [code(C::Left)] "←" - "Cursor left (keeps a pre-filled value)" A::Left;
    Form => [code(C::Right)] "→" - "Cursor right (keeps a pre-filled value)" A::Right;
    Form => [code(C::Home)] "Home" - "Cursor to the start" A::Home;
    Form => [code(C::End)] "End" - "Cursor to the end" A::End;
    Form => [ctrl('u')] "Ctrl-U" "clear" "Clear the field" A::ClearField;
    FormFields => [code(C::Tab), code(C::Down)] "Tab/↓" "next field" "Next field" A::NextField;
    FormFields => [code(C::BackTab), code(C::Up)] "Shift-Tab/↑" - "Previous field" A::PrevField;
    PathField => [code(C::Tab)] "Tab" "complete" "Complete the path" A::Complete;
    Choices => [code(C::Up), k('k')] "↑/k" - "Previous choice" A::Up;
    Choices => [code(C::Down), k('j')] "↓/j" "move" "Next choice" A::Down;
    Choices => [code(C::PageUp)] "PgUp" - "A page up" A::PageUp;
    Choices => [code(C::PageDown)] "PgDn" - "A page down" A::PageDown;
    Choices => [code(C::Enter)] "Enter" "set" "Set the highlighted value" A::Choose;
    Choices => [code(C::Esc), k('q')] "Esc/q" "cancel" "Cancel (nothing changes)" A::Cancel;
    Confirm => [k('y'), k('Y')] "y/Y" "yes" "Yes" A::Yes;
    Confirm => [k('n'), k('N'), code(C::Esc)] "n/N/Esc" "no" "No" A::No;
    Help => [code(C::Up), k('k')] "↑/k" - "Scroll up" A::Up;
    Help => [code(C::Down), k('j')] "↓/j" "scroll" "Scroll down" A::Down;
    Help => [code(C::PageUp)] "PgUp" - "A page up" A::PageUp;
    Help => [code(C::PageDown), k(' ')] "PgDn/Space" "page" "A page down" A::PageDown;
    Help => [code(C::Home)] "Home" - "To the top" A::Top;
    Help => [code(C::End)] "End" - "To the end" A::Bottom;
    Help => [code(C::Esc), k('?'), code(C::F(1)), k('q'), code(C::Enter)] "Esc/?/F1/q/Enter" "close" "Close the help" A::Close;
    LessonIntro => [code(C::Enter), k(' '), code(C::Esc)] "Enter/Space/Esc" "start" "Start the lesson" A::Close;
    LessonIntro => [code(C::Up), k('k')] "↑/k" - "Scroll up" A::Up;
    LessonIntro => [code(C::Down), k('j')] "↓/j" "scroll" "Scroll down" A::Down;
    LessonIntro => [k('q')] "q" "quit" "Quit" A::Quit;
    LessonDone => [k('n')] "n" "next lesson" "Open the next lesson" A::NextLesson;
    LessonDone => [k('l')] "l" "lessons" "The lesson list" A::Lessons;
    LessonDone => [code(C::Up), k('k')] "↑/k" - "Scroll up" A::Up;
    LessonDone => [code(C::Down), k('j')] "↓/j" "scroll" "Scroll down" A::Down;
    LessonDone => [code(C::Esc), code(C::Enter)] "Esc/Enter" "keep exploring" "Close the panel and keep exploring" A::Close;
    LessonDone => [k('q')] "q" "quit" "Quit" A::Quit;
    LessonList => [code(C::Up), k('k')] "↑/k" - "Previous lesson" A::Up;
    LessonList => [code(C::Down), k('j')] "↓/j" "move" "Next lesson" A::Down;
    LessonList => [code(C::Enter)] "Enter" "open" "Open the highlighted lesson" A::Choose;
    LessonList => [k('r')] "r" "reset progress" "Forget every lesson's progress (asks first)" A::ResetProgress;
    LessonList => [code(C::Esc)] "Esc" "close" "Close the list (back to the open lesson)" A::Close;
    LessonList => [k('q')] "q" "quit" "Quit" A::Quit;
    Hints => [k('h')] "h" "next hint" "Show the next hint" A::Hint;
    Hints => [code(C::Up), k('k')] "↑/k" - "Scroll up" A::Up;
    Hints => [code(C::Down), k('j')] "↓/j" "scroll" "Scroll down" A::Down;
    Hints => [code(C::Esc), code(C::Enter)] "Esc/Enter" "close" "Close the hints (they stay counted)" A::Close;
    Loading => [code(C::Esc), k('q')] "Esc/q" "stop loading" "Stop waiting for the file (what it holds is dropped); Ctrl-C quits" A::Cancel;
    TooSmall => [k('q')] "q" "quit" "Quit (asks first when there are unsaved edits)" A::Quit;
};
