//! The learner's progress file is read by the guarded reader (issue 17): a named pipe or a
//! link to /dev/zero in its place is refused at once, by `train --progress` and by
//! `train --reset`, instead of hanging or filling memory.

use std::path::Path;
use std::time::Duration;

use crate::support::bounded::{relaycheck, run};

const LIMIT: Duration = Duration::from_secs(30);

fn train(state: &Path, args: &[&str]) -> crate::support::bounded::Run {
    let mut all = vec!["train"];
    all.extend(args);
    run(relaycheck(&all).env("RELAYCHECK_STATE_DIR", state), LIMIT)
}

#[cfg(unix)]
#[test]
fn a_fifo_or_a_device_as_the_progress_file_is_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let fifo_dir = dir.path().join("fifo");
    std::fs::create_dir(&fifo_dir).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(fifo_dir.join("progress.json"))
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let zero_dir = dir.path().join("zero");
    std::fs::create_dir(&zero_dir).unwrap();
    std::os::unix::fs::symlink("/dev/zero", zero_dir.join("progress.json")).unwrap();
    for (state, what) in [
        (&fifo_dir, "a named pipe (FIFO)"),
        (&zero_dir, "a character device"),
    ] {
        let r = train(state, &["--progress"]);
        assert_eq!(r.code(), Some(2), "--progress, {what}: {r:?}");
        assert!(
            r.stderr
                .contains(&format!("this is {what}, not a regular file")),
            "{}",
            r.stderr
        );
        let r = train(state, &["--reset"]);
        assert_eq!(r.code(), Some(2), "--reset, {what}: {r:?}");
        assert!(r.took < LIMIT);
    }
    // Neither was replaced.
    assert!(
        std::fs::symlink_metadata(zero_dir.join("progress.json"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

#[test]
fn an_ordinary_progress_file_is_read_and_reset() {
    let dir = tempfile::tempdir().unwrap();
    let r = train(dir.path(), &["--progress"]);
    assert_eq!(r.code(), Some(0), "{r:?}");
    assert!(r.stdout.contains("0 of "), "{}", r.stdout);
    let r = train(dir.path(), &["--reset"]);
    assert_eq!(r.code(), Some(0), "{r:?}");
    assert!(dir.path().join("progress.json").is_file());
    // A file that was there is read and replaced: it is state, not an input.
    let r = train(dir.path(), &["--reset"]);
    assert_eq!(r.code(), Some(0), "{r:?}");
}
