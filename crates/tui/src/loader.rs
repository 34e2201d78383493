//! Loading files off the UI thread: opening certificates or a lesson runs on a worker
//! thread while the event loop keeps drawing a "Loading …" line and reading keys. `Esc` or
//! `q` stop waiting at once (the result, when it comes, is dropped); `Ctrl-C` quits as
//! everywhere; after [`super::effect::DEADLINE`] the wizard gives up with a clear message.
//! Input reading already refuses FIFOs and devices (`relaycheck_io::input`); this keeps a slow disk or network
//! share from freezing the screen.
//!
//! The loader is injected ([`Runtime::new`]), so tests drive a slow one with channels, and
//! time comes in as an argument ([`Runtime::poll`]), so the deadline is tested without
//! waiting for it.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::time::{Duration, Instant};

use time::OffsetDateTime;

use super::app::App;
use super::effect::{Effect, LoadFailure, Secret};
use super::update::{Message, update};

/// How often the event loop looks for a result while a load runs.
pub const POLL: Duration = Duration::from_millis(50);

/// What a worker loads.
#[derive(Debug, Clone)]
pub enum Job {
    /// A certificate file or a folder of them (as typed: `~/` is expanded by the loader).
    Certificates {
        path: PathBuf,
        password: Option<Secret>,
    },
    /// A lesson, built in or a file.
    Lesson { id: String, now: OffsetDateTime },
}

impl Job {
    /// The effect that asks for this job, if it is a load.
    pub fn from_effect(effect: &Effect, now: OffsetDateTime) -> Option<Job> {
        match effect {
            Effect::LoadCertificates(path) => Some(Job::Certificates {
                path: path.clone(),
                password: None,
            }),
            Effect::LoadPkcs12 { path, password } => Some(Job::Certificates {
                path: path.clone(),
                password: Some(password.clone()),
            }),
            Effect::OpenLesson(id) => Some(Job::Lesson {
                id: id.clone(),
                now,
            }),
            _ => None,
        }
    }

    /// What is being loaded, for the "Loading …" line (one cleaned line).
    pub fn what(&self) -> String {
        let text = match self {
            Job::Certificates { path, .. } => path.display().to_string(),
            Job::Lesson { id, .. } => format!("lesson {id}"),
        };
        relaycheck_core::text::excerpt(&text, relaycheck_core::text::ECHO_MAX).into_owned()
    }
}

/// Runs a job and gives its result as the message `update` gets.
pub type Loader = Arc<dyn Fn(Job) -> Message + Send + Sync>;

/// The real loader: the same reading the wizard always did, now on a worker.
pub fn default_loader() -> Loader {
    Arc::new(|job| match job {
        Job::Certificates { path, password } => {
            let path = super::expand_home(&path);
            super::load_certificates(&path, password.as_ref().map(|p| &p.0))
        }
        Job::Lesson { id, now } => Message::LessonLoaded(
            relaycheck_io::training::load(&id, now)
                .map(Box::new)
                .map_err(|e| e.to_string()),
        ),
    })
}

struct Pending {
    id: u64,
    result: Receiver<Message>,
    until: Instant,
}

/// The event loop's side of loading: starts jobs, hands their results to `update`, and
/// keeps the deadline. Every other effect is carried out at once, as [`super::dispatch`]
/// does.
pub struct Runtime {
    loader: Loader,
    deadline: Duration,
    next_id: u64,
    pending: Option<Pending>,
}

impl Runtime {
    pub fn new(loader: Loader, deadline: Duration) -> Self {
        Runtime {
            loader,
            deadline,
            next_id: 1,
            pending: None,
        }
    }

    /// Feeds a message to `update` and carries out its effects (and theirs); a load starts
    /// a worker and returns at once. `now` starts the deadline of a load begun here.
    pub fn dispatch(&mut self, app: &mut App, message: Message, now: Instant) {
        let mut queue = vec![message];
        while let Some(m) = queue.pop() {
            for effect in update(app, m) {
                match Job::from_effect(&effect, app.now) {
                    Some(job) => queue.push(self.start(job, now)),
                    None => queue.extend(super::perform(app, effect)),
                }
            }
        }
        self.forget_dropped(app);
    }

    fn start(&mut self, job: Job, now: Instant) -> Message {
        let id = self.next_id;
        self.next_id += 1;
        let what = job.what();
        let (tx, rx) = mpsc::channel();
        let loader = Arc::clone(&self.loader);
        let spawned = std::thread::Builder::new()
            .name("relaycheck-load".into())
            .spawn(move || {
                // The receiver is gone when the load was stopped: the result is dropped.
                let _ = tx.send(loader(job));
            });
        if spawned.is_err() {
            // No thread to be had: give up on this load rather than block the screen.
            return Message::LoadFailed {
                id,
                failure: LoadFailure::Stopped,
            };
        }
        self.pending = Some(Pending {
            id,
            result: rx,
            until: now + self.deadline,
        });
        Message::LoadStarted { id, what }
    }

    /// A load the wizard no longer waits for (stopped, or replaced) is forgotten here.
    fn forget_dropped(&mut self, app: &App) {
        let waited = app.loading.as_ref().map(|l| l.id);
        if self.pending.as_ref().is_some_and(|p| Some(p.id) != waited) {
            self.pending = None;
        }
    }

    /// Whether a load is running, and for how long the event loop may wait for a key
    /// before it looks again (`None`: no load, wait as long as it likes).
    pub fn wait(&self, now: Instant) -> Option<Duration> {
        self.pending
            .as_ref()
            .map(|p| p.until.saturating_duration_since(now).min(POLL))
    }

    /// Hands a result that arrived to `update`, or gives up once the deadline has passed.
    pub fn poll(&mut self, app: &mut App, now: Instant) {
        let Some(p) = &self.pending else { return };
        let id = p.id;
        let message = match p.result.try_recv() {
            Ok(result) => Message::Loaded {
                id,
                result: Box::new(result),
            },
            Err(TryRecvError::Empty) if now >= p.until => Message::LoadFailed {
                id,
                failure: LoadFailure::TimedOut,
            },
            Err(TryRecvError::Empty) => return,
            Err(TryRecvError::Disconnected) => Message::LoadFailed {
                id,
                failure: LoadFailure::Stopped,
            },
        };
        self.pending = None;
        self.dispatch(app, message, now);
    }

    /// Waits for the running load's result, without a deadline, and hands it to `update`
    /// (tests and scripted runs; the event loop polls instead).
    pub fn finish(&mut self, app: &mut App) {
        let Some(p) = self.pending.take() else { return };
        let message = match p.result.recv() {
            Ok(result) => Message::Loaded {
                id: p.id,
                result: Box::new(result),
            },
            Err(_) => Message::LoadFailed {
                id: p.id,
                failure: LoadFailure::Stopped,
            },
        };
        self.dispatch(app, message, Instant::now());
    }
}
