//! The terminal wizard: one state ([`app::App`]), one `update`, one `view`, one keymap.
//! This module is the runtime: it owns the terminal, turns crossterm events into messages
//! (keys into actions, through the keymap of the current mode) and carries out the effects
//! `update` asks for: files, the clipboard, the clock, `~/` in paths.

pub mod app;
pub mod demo;
pub mod effect;
pub mod form;
pub mod keymap;
pub mod lesson;
pub mod loader;
pub mod signals;
pub mod theme;
pub mod update;
pub mod view;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use ratatui::crossterm::event::{self, Event, KeyEvent, KeyEventKind, MouseButton, MouseEventKind};

use app::{App, FormPurpose};
use effect::Effect;
use update::Message;

use relaycheck_core::model::{CertificateEntry, CertificateSource};

/// Options of `relaycheck wizard`.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub mouse: bool,
}

/// How the wizard ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// The user quit.
    Quit,
    /// A signal from outside (SIGTERM, SIGHUP, SIGINT): the command exits 128 + it.
    Signal(i32),
}

/// Runs the wizard until the user quits or a signal arrives. The terminal is restored on
/// every exit path, including errors, panics (ratatui's hook, and ours for bracketed paste)
/// and signals ([`signals`]).
pub fn run(mut app: App, options: Options) -> std::io::Result<Ending> {
    let mut terminal = ratatui::try_init()?;
    // Runs before ratatui's hook (which leaves the alternate screen, then color-eyre's).
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore_terminal();
        previous(info);
    }));
    // A paste arrives as one event (one edit), not as thousands of keys.
    let _ = ratatui::crossterm::execute!(std::io::stdout(), event::EnableBracketedPaste);
    if options.mouse {
        let _ = ratatui::crossterm::execute!(std::io::stdout(), event::EnableMouseCapture);
    }
    let result = signals::Watch::start(restore_terminal).and_then(|watch| {
        let r = event_loop(&mut terminal, &mut app, &watch);
        watch.finish();
        r
    });
    restore_terminal();
    result
}

/// Puts the terminal back as it was: bracketed paste and mouse capture off, the alternate
/// screen left, raw mode off, the cursor shown. Safe to call more than once.
pub fn restore_terminal() {
    use ratatui::crossterm::{cursor, terminal};
    let _ = ratatui::crossterm::execute!(
        std::io::stdout(),
        event::DisableBracketedPaste,
        event::DisableMouseCapture,
        terminal::LeaveAlternateScreen,
        cursor::Show
    );
    let _ = terminal::disable_raw_mode();
}

fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    app: &mut App,
    watch: &signals::Watch,
) -> std::io::Result<Ending> {
    if let Ok(size) = terminal.size() {
        app.size = (size.width, size.height);
    }
    // Files are read on a worker; the loop keeps drawing and reading keys meanwhile.
    let mut runtime = loader::Runtime::new(loader::default_loader(), effect::DEADLINE);
    while !app.should_quit {
        if let Some(signal) = watch.pending() {
            return Ok(Ending::Signal(signal));
        }
        terminal.draw(|f| view::view(app, f))?;
        // Never block for longer than the signal check.
        let wait = runtime
            .wait(std::time::Instant::now())
            .map_or(signals::CHECK, |w| w.min(signals::CHECK));
        let event = if event::poll(wait)? {
            Some(event::read()?)
        } else {
            None
        };
        if let Some(message) = event.and_then(|e| event_message(app, e)) {
            runtime.dispatch(app, message, std::time::Instant::now());
        }
        runtime.poll(app, std::time::Instant::now());
    }
    Ok(Ending::Quit)
}

/// A terminal event as the message `update` gets (`None`: nothing to do).
fn event_message(app: &App, event: Event) -> Option<Message> {
    match event {
        // Windows terminals report releases too: only presses count.
        Event::Key(k) if k.kind == KeyEventKind::Press => key_message(app, &k),
        Event::Resize(width, height) => Some(Message::Resize { width, height }),
        Event::Paste(text) => Some(Message::Paste(text)),
        Event::Mouse(m) => match m.kind {
            MouseEventKind::Down(MouseButton::Left) => Some(Message::Click {
                column: m.column,
                row: m.row,
            }),
            MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => Some(Message::Wheel {
                column: m.column,
                row: m.row,
                down: m.kind == MouseEventKind::ScrollDown,
            }),
            _ => None,
        },
        _ => None,
    }
}

/// A key as the message `update` gets: the action the keymap gives it in the wizard's
/// current mode (`None`: the key means nothing here). Every key, from the terminal or a
/// test, passes here, normalised once ([`keymap::normalize`]: Shift-Tab's `SHIFT`).
pub fn key_message(app: &App, key: &KeyEvent) -> Option<Message> {
    keymap::lookup(&keymap::normalize(*key), keymap::mode(app)).map(Message::Action)
}

/// A key through `update`, without carrying out the effects (tests look at them).
pub fn press(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    match key_message(app, &key) {
        Some(m) => update::update(app, m),
        None => Vec::new(),
    }
}

/// A key through `update`, effects carried out.
pub fn dispatch_key(app: &mut App, key: KeyEvent) {
    if let Some(m) = key_message(app, &key) {
        dispatch(app, m);
    }
}

/// Feeds a message to `update` and carries out its effects (and theirs) until none are left.
pub fn dispatch(app: &mut App, message: Message) {
    let mut queue = vec![message];
    while let Some(m) = queue.pop() {
        for effect in update::update(app, m) {
            if let Some(reply) = perform(app, effect) {
                queue.push(reply);
            }
        }
    }
}

/// Carries out one effect; the result comes back as a message.
pub fn perform(app: &App, effect: Effect) -> Option<Message> {
    match effect {
        Effect::Copy(text) => {
            copy_osc52(&text);
            None
        }
        Effect::Complete(prefix) => Some(Message::Completions(complete_path(&prefix))),
        Effect::LoadCertificates(path) => Some(load_certificates(&expand_home(&path), None)),
        Effect::LoadPkcs12 { path, password } => Some(load_certificates(&path, Some(&password.0))),
        Effect::Generate(spec) => Some(Message::CertificatesAdded(
            relaycheck_lab::generate_facts(&spec, app.now).map(|facts| {
                vec![CertificateEntry {
                    source: CertificateSource::Generated(spec),
                    facts: Arc::new(facts),
                }]
            }),
        )),
        Effect::Save {
            purpose,
            path,
            overwrite,
        } => Some(save(app, purpose, &expand_home(&path), overwrite)),
        Effect::OpenLesson(id) => Some(Message::LessonLoaded(
            relaycheck_io::training::load(&id, app.now)
                .map(Box::new)
                .map_err(|e| e.to_string()),
        )),
        Effect::RecordProgress { lesson, hints } => {
            let when = time::OffsetDateTime::now_utc()
                .replace_nanosecond(0)
                .ok()
                .and_then(|t| {
                    t.format(&time::format_description::well_known::Rfc3339)
                        .ok()
                })
                .unwrap_or_default();
            let mut progress = app.classroom.progress.clone();
            progress.record(&lesson, &when, hints);
            Some(store_progress(app, progress))
        }
        Effect::ResetProgress => Some(store_progress(
            app,
            relaycheck_io::training::progress::Progress::default(),
        )),
    }
}

/// Keeps the progress in the state folder (when there is one) and hands it back.
fn store_progress(app: &App, progress: relaycheck_io::training::progress::Progress) -> Message {
    match &app.classroom.file {
        Some(file) => Message::Progress(
            relaycheck_io::training::progress::write(file, &progress).map(|()| progress),
        ),
        None => Message::Progress(Ok(progress)),
    }
}

/// `~/…` typed in a path is the home folder (the runtime's business, not `update`'s).
pub fn expand_home(path: &Path) -> PathBuf {
    let text = path.to_string_lossy();
    match (text.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ => path.to_path_buf(),
    }
}

/// Writes the text to the clipboard of the terminal (works over SSH).
fn copy_osc52(text: &str) {
    let encoded = data_encoding::BASE64.encode(text.as_bytes());
    let mut out = std::io::stdout();
    let _ = write!(out, "\x1b]52;c;{encoded}\x07");
    let _ = out.flush();
}

fn complete_path(prefix: &str) -> Vec<String> {
    let (dir, stem) = match prefix.rfind('/') {
        Some(i) => (&prefix[..=i], &prefix[i + 1..]),
        None => ("", prefix),
    };
    let read_dir = if dir.is_empty() {
        PathBuf::from(".")
    } else {
        expand_home(Path::new(dir))
    };
    let Ok(entries) = std::fs::read_dir(&read_dir) else {
        return Vec::new();
    };
    let mut out: Vec<String> = entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            if !name.starts_with(stem) || (name.starts_with('.') && !stem.starts_with('.')) {
                return None;
            }
            let slash = if e.path().is_dir() { "/" } else { "" };
            Some(format!("{dir}{name}{slash}"))
        })
        .collect();
    out.sort();
    out
}

/// Loads a certificate file (PEM, DER, .cer, .pfx/.p12, Export-Clixml) or every certificate
/// file in a folder. A PKCS#12 file without (or with a wrong) password asks for one.
pub fn load_certificates(path: &Path, password: Option<&zeroize::Zeroizing<String>>) -> Message {
    use relaycheck_io::import::{ImportError, certs};
    let mut notes = Vec::new();
    match certs::load(path, password, &mut notes) {
        Ok(items) => Message::CertificatesAdded(Ok(items
            .into_iter()
            .map(|c| CertificateEntry {
                source: CertificateSource::File {
                    path: c
                        .path
                        .canonicalize()
                        .unwrap_or(c.path)
                        .to_string_lossy()
                        .into_owned(),
                    key: None,
                    password_env: None,
                },
                facts: Arc::new(c.facts),
            })
            .collect())),
        Err(ImportError::PasswordNeeded { path: file }) => Message::PasswordNeeded {
            target: path.to_path_buf(),
            file,
            wrong: false,
        },
        Err(ImportError::WrongPassword(e)) => Message::PasswordNeeded {
            target: path.to_path_buf(),
            file: e.path.clone().unwrap_or_else(|| path.to_path_buf()),
            wrong: true,
        },
        Err(ImportError::Input(e)) => Message::CertificatesAdded(Err(e.to_string())),
    }
}

/// The folder the scenario was read from (relative paths in it resolve there).
fn origin_dir(app: &App) -> PathBuf {
    app.origin
        .path
        .as_ref()
        .and_then(|p| p.parent())
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// Certificates read from a PKCS#12 or Export-Clixml file cannot be named by a scenario
/// without their password: they are written beside the saved scenario as
/// `<thumbprint>.cer` (the certificate only, never the key) and named by that file.
fn export_containers(
    app: &App,
    scenario: &mut relaycheck_core::model::Scenario,
    to: &Path,
) -> Result<(), String> {
    let base = origin_dir(app);
    for entry in &mut scenario.certificates {
        let CertificateSource::File {
            path, password_env, ..
        } = &entry.source
        else {
            continue;
        };
        let file = base.join(path);
        // One guarded read (never a pipe or a device, never past the size limit): a file
        // that changed since it was loaded cannot freeze the wizard or fill its memory.
        let Ok(bytes) = relaycheck_io::input::read_input_kind(
            &file,
            relaycheck_io::input::InputKind::Certificate,
        ) else {
            continue;
        };
        let is_pkcs12 = relaycheck_io::import::pkcs12::is_pkcs12(&bytes);
        let is_clixml = !is_pkcs12
            && relaycheck_core::text::decode(&bytes)
                .is_some_and(|t| relaycheck_io::import::clixml::is_clixml(&t));
        // A PKCS#12 file named with its password stays as it is; any other container is written out.
        if !(is_clixml || (is_pkcs12 && password_env.is_none())) {
            continue;
        }
        let name = format!("{}.cer", entry.facts.thumbprint);
        let target = to.join(&name);
        let pem = entry.facts.pem_bundle();
        match relaycheck_io::save::write_atomic(&target, pem.as_bytes(), false, &app.origin.inputs)
        {
            Ok(()) => {}
            // The same certificate saved before: keep it.
            Err(relaycheck_io::save::SaveError::Exists(_))
                if relaycheck_io::input::read_input_kind(
                    &target,
                    relaycheck_io::input::InputKind::Certificate,
                )
                .is_ok_and(|b| b == pem.as_bytes()) => {}
            Err(e) => return Err(e.to_string()),
        }
        entry.source = CertificateSource::File {
            path: name,
            key: None,
            password_env: None,
        };
    }
    Ok(())
}

/// Saves with a read budget of its own: the wizard's session is long, and what one save
/// reads (containers to write out) must not count against the next.
fn save(app: &App, purpose: FormPurpose, path: &Path, overwrite: bool) -> Message {
    relaycheck_io::input::Budget::new(relaycheck_io::input::TOTAL_LIMIT)
        .run(|| save_with_budget(app, purpose, path, overwrite))
}

fn save_with_budget(app: &App, purpose: FormPurpose, path: &Path, overwrite: bool) -> Message {
    let is_scenario = purpose == FormPurpose::SaveScenario;
    let bytes = match purpose {
        FormPurpose::SaveScenario => {
            let from = origin_dir(app);
            let to = path.parent().map(Path::to_path_buf).unwrap_or_default();
            let mut scenario = app.scenario.clone();
            let dir = if to.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                to.clone()
            };
            if let Err(e) = export_containers(app, &mut scenario, &dir) {
                return Message::Saved {
                    result: Err(e),
                    scenario: true,
                };
            }
            let doc = relaycheck_io::scenario::to_file(
                &scenario,
                app.origin.lesson.clone(),
                Some((&from, &to)),
            );
            if let Err(e) = relaycheck_io::scenario::refuse_lossy_names(&doc, &dir) {
                return Message::Saved {
                    result: Err(e.to_string()),
                    scenario: true,
                };
            }
            relaycheck_io::scenario::to_yaml(&doc).into_bytes()
        }
        _ => relaycheck_core::report::markdown::render(
            &app.report,
            &app.scenario,
            app.now,
            &app.origin.notes,
        )
        .into_bytes(),
    };
    match relaycheck_io::save::write_atomic(path, &bytes, overwrite, &app.origin.inputs) {
        Ok(()) => Message::Saved {
            result: Ok(path.to_path_buf()),
            scenario: is_scenario,
        },
        Err(relaycheck_io::save::SaveError::Exists(p)) => Message::SaveExists { path: p, purpose },
        Err(e) => Message::Saved {
            result: Err(e.to_string()),
            scenario: is_scenario,
        },
    }
}
