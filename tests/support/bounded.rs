//! Child processes with a time limit: a test of something that must not hang fails (and
//! kills the child) instead of hanging itself.

use std::io::Read;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// What a bounded run gave.
#[derive(Debug)]
pub struct Run {
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
    pub took: Duration,
}

impl Run {
    pub fn code(&self) -> Option<i32> {
        self.status.code()
    }
}

/// `relaycheck ARGS…` as a command, in the crate's folder, without a terminal's stdin.
pub fn relaycheck(args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_relaycheck"));
    cmd.args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::null());
    cmd
}

/// Runs `cmd` with stdout and stderr piped and waits at most `limit`; past it the child is
/// killed and the test fails, saying what hung.
pub fn run(cmd: &mut Command, limit: Duration) -> Run {
    cmd.stdout(Stdio::piped());
    run_to(cmd, limit)
}

/// [`run`] with the stdout the caller gave `cmd` (a file, `/dev/full`); stderr is piped.
pub fn run_to(cmd: &mut Command, limit: Duration) -> Run {
    cmd.stderr(Stdio::piped());
    let child = cmd.spawn().expect("relaycheck starts");
    wait(child, limit, &format!("{cmd:?}"))
}

/// Waits for a spawned child at most `limit` (see [`run`]).
pub fn wait(mut child: Child, limit: Duration, what: &str) -> Run {
    let start = Instant::now();
    let drain = |r: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut s = Vec::new();
            if let Some(mut r) = r {
                let _ = r.read_to_end(&mut s);
            }
            String::from_utf8_lossy(&s).into_owned()
        })
    };
    let out = drain(
        child
            .stdout
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
    );
    let err = drain(
        child
            .stderr
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
    );
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for relaycheck") {
            break status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("did not finish within {limit:?} (killed): {what}");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    Run {
        status,
        stdout: out.join().unwrap_or_default(),
        stderr: err.join().unwrap_or_default(),
        took: start.elapsed(),
    }
}
