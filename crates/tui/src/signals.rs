//! SIGTERM, SIGHUP and SIGINT sent from outside while the wizard runs (in raw mode Ctrl-C is
//! a key, not a signal): the event loop sees the signal within [`CHECK`], leaves, restores
//! the terminal and the command exits with 128 + the signal (129 HUP, 130 INT, 143 TERM).
//! If the loop is busy (a long synchronous step), the watcher itself restores the terminal
//! and exits after [`GRACE`], so a signal is never lost. signal-hook does the async-signal-safe
//! part (the handler only writes to a pipe; the watcher thread reads it).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::time::Duration;

/// How often the event loop looks for a signal while it waits for keys.
pub const CHECK: Duration = Duration::from_millis(100);

/// How long the watcher waits for the event loop before it restores and exits itself.
pub const GRACE: Duration = Duration::from_secs(2);

/// The signals the wizard turns into a clean exit.
#[cfg(unix)]
pub const HANDLED: [i32; 3] = [
    signal_hook::consts::SIGHUP,
    signal_hook::consts::SIGINT,
    signal_hook::consts::SIGTERM,
];

/// A signal that arrived, seen by the event loop.
#[derive(Debug, Default)]
pub struct Watch {
    pending: Arc<AtomicI32>,
    done: Arc<AtomicBool>,
    #[cfg(unix)]
    handle: Option<signal_hook::iterator::Handle>,
}

impl Watch {
    /// Starts watching; `restore` puts the terminal back if the watcher must exit itself.
    #[cfg(unix)]
    pub fn start(restore: fn()) -> std::io::Result<Watch> {
        let mut signals = signal_hook::iterator::Signals::new(HANDLED)?;
        let watch = Watch {
            pending: Arc::default(),
            done: Arc::default(),
            handle: Some(signals.handle()),
        };
        let (pending, done) = (watch.pending.clone(), watch.done.clone());
        std::thread::spawn(move || {
            if let Some(signal) = signals.forever().next() {
                pending.store(signal, Ordering::SeqCst);
                std::thread::sleep(GRACE);
                if !done.load(Ordering::SeqCst) {
                    restore();
                    std::process::exit(128 + signal);
                }
            }
        });
        Ok(watch)
    }

    /// Elsewhere there is nothing to watch: Ctrl-C is a key in raw mode.
    #[cfg(not(unix))]
    pub fn start(_restore: fn()) -> std::io::Result<Watch> {
        Ok(Watch::default())
    }

    /// The signal that arrived, if any.
    pub fn pending(&self) -> Option<i32> {
        Some(self.pending.load(Ordering::SeqCst)).filter(|s| *s != 0)
    }

    /// The event loop has left and restores the terminal itself: stop watching (the
    /// handlers are unregistered when the watcher thread ends).
    pub fn finish(self) {
        self.done.store(true, Ordering::SeqCst);
        #[cfg(unix)]
        if let Some(h) = &self.handle {
            h.close();
        }
    }
}
