//! Writes (issue 17): every output error is reported (exit code 3), a closed pipe ends
//! quietly with the command's own code, and no command writes onto a file it read, however
//! the path is spelled.

use std::fs::File;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use crate::support::bounded::{relaycheck, run, run_to};

const SCENARIO: &str = "assets/examples/seed000-host-two-levels-down.yaml";
const LIMIT: Duration = Duration::from_secs(60);

fn check_args() -> Vec<&'static str> {
    vec!["check", "--scenario", SCENARIO, "--now", "2026-11-22"]
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_on_stdout_is_an_error_with_exit_code_3() {
    for format in ["text", "json", "markdown", "powershell"] {
        let mut args = check_args();
        args.extend(["--format", format]);
        let full = File::options().write(true).open("/dev/full").unwrap();
        let r = run_to(relaycheck(&args).stdout(Stdio::from(full)), LIMIT);
        assert_eq!(r.code(), Some(3), "{format}: {r:?}");
        assert!(
            r.stderr
                .starts_with("relaycheck: error: standard output: cannot write it")
                && r.stderr.contains("the output is incomplete"),
            "{format}: {}",
            r.stderr
        );
    }
    // The same report to a writable file keeps its verdict's code.
    let ok = run(&mut relaycheck(&check_args()), LIMIT);
    assert_eq!(ok.code(), Some(1), "{ok:?}");
}

#[test]
fn a_closed_pipe_ends_quietly_with_the_verdict() {
    let mut cmd = relaycheck(&check_args());
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    // The reader goes away before relaycheck writes a byte (`| head -0`).
    drop(child.stdout.take());
    let r = crate::support::bounded::wait(child, LIMIT, "check | (closed)");
    assert_eq!(r.code(), Some(1), "the verdict's code: {r:?}");
    assert_eq!(r.stderr, "", "nothing on stderr");
}

/// A copy of the two-levels example (its certificates and lab CA beside it) to write over.
fn example_copy(dir: &Path) {
    std::fs::create_dir(dir.join("certs")).unwrap();
    for f in ["hostname-subdomain-contoso.pem", "lab-ca.pem"] {
        std::fs::copy(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("assets/examples/certs")
                .join(f),
            dir.join("certs").join(f),
        )
        .unwrap();
    }
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(SCENARIO),
        dir.join("s.yaml"),
    )
    .unwrap();
}

#[cfg(unix)]
#[test]
fn export_and_fix_never_write_onto_a_file_they_read() {
    let dir = tempfile::tempdir().unwrap();
    example_copy(dir.path());
    std::fs::hard_link(dir.path().join("s.yaml"), dir.path().join("link.yaml")).unwrap();
    let before: Vec<(String, Vec<u8>)> = [
        "s.yaml",
        "certs/lab-ca.pem",
        "certs/hostname-subdomain-contoso.pem",
    ]
    .iter()
    .map(|f| (f.to_string(), std::fs::read(dir.path().join(f)).unwrap()))
    .collect();
    // The trusted root, the certificate, the scenario by another spelling and by a hard link.
    let targets = [
        "certs/lab-ca.pem",
        "./certs/../certs/hostname-subdomain-contoso.pem",
        "./s.yaml",
        "link.yaml",
    ];
    for command in ["export", "fix"] {
        for target in targets {
            let mut args = vec![
                "scenario",
                command,
                "--scenario",
                "s.yaml",
                "--force",
                "-o",
                target,
            ];
            if command == "fix" {
                args.extend(["--now", "2026-11-22"]);
            }
            let r = run(relaycheck(&args).current_dir(dir.path()), LIMIT);
            assert_eq!(r.code(), Some(2), "{command} -o {target}: {r:?}");
            assert!(
                r.stderr
                    .contains("this is an input file; relaycheck never modifies its inputs"),
                "{command} -o {target}: {}",
                r.stderr
            );
        }
    }
    for (f, bytes) in before {
        assert_eq!(
            std::fs::read(dir.path().join(&f)).unwrap(),
            bytes,
            "{f} unchanged"
        );
    }
    // Another name is written as before.
    let r = run(
        relaycheck(&[
            "scenario",
            "export",
            "--scenario",
            "s.yaml",
            "-o",
            "out.yaml",
        ])
        .current_dir(dir.path()),
        LIMIT,
    );
    assert_eq!(r.code(), Some(0), "{r:?}");
    assert!(dir.path().join("out.yaml").is_file());
}

#[test]
fn check_out_reports_a_folder_it_cannot_make_with_exit_code_3() {
    // A full disk cannot be made here (and root writes into read-only folders): a folder
    // under a regular file is the same kind of failure, an output that cannot be written.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("file.txt");
    std::fs::write(&file, b"x").unwrap();
    let out = file.join("parts");
    let mut args = check_args();
    args.extend(["--format", "powershell", "--out", out.to_str().unwrap()]);
    let r = run(&mut relaycheck(&args), LIMIT);
    assert_eq!(r.code(), Some(3), "{r:?}");
    assert!(r.stderr.contains("parts: cannot write it"), "{}", r.stderr);
}
