//! A certificate store of 10,000 certificates, made here with rcgen (the lab CA issues each,
//! with four DNS names): a folder of 10,000 PEM files and one PEM bundle of the same
//! certificates. Then what listing them costs inside the process (`certs::list_file` on
//! every file, as `relaycheck certificates` does). `benches/compare.sh` runs this first and
//! then times whole commands on the same files against openssl and Python cryptography.
//!
//! Run: `cargo bench --bench store` (the store goes to `$RELAYCHECK_STORE`, else
//! `target/store-10000`; it is made once and kept).

#[path = "common/mod.rs"]
mod common;

use std::path::{Path, PathBuf};

use criterion::Criterion;

pub const COUNT: usize = 10_000;

fn store_dir() -> PathBuf {
    std::env::var_os("RELAYCHECK_STORE")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/store-10000"))
}

/// Makes `dir/folder/NNNNN.pem` and `dir/bundle.pem` unless they are there already.
fn make_store(dir: &Path) -> std::io::Result<()> {
    let folder = dir.join("folder");
    let bundle = dir.join("bundle.pem");
    let done = dir.join("complete");
    if done.is_file() {
        return Ok(());
    }
    std::fs::create_dir_all(&folder)?;
    let mut all = String::with_capacity(COUNT * 900);
    for i in 0..COUNT {
        let cn = format!("mail{i}.brand{}.example.com", i % 5000);
        let sans = [
            cn.clone(),
            format!("autodiscover{i}.brand{}.example.com", i % 5000),
            format!("smtp{i}.contoso.com"),
            format!("*.host{i}.contoso.com"),
        ];
        let refs: Vec<&str> = sans.iter().map(String::as_str).collect();
        let pem = common::pem(&cn, &refs);
        std::fs::write(folder.join(format!("{i:05}.pem")), &pem)?;
        all.push_str(&pem);
    }
    std::fs::write(&bundle, all)?;
    std::fs::write(done, "")?;
    Ok(())
}

fn list(files: &[PathBuf]) -> usize {
    let mut n = 0;
    for f in files {
        relaycheck::import::certs::list_file(f, None, |c| {
            if c.is_ok() {
                n += 1;
            }
        });
    }
    n
}

fn main() {
    let dir = store_dir();
    let started = std::time::Instant::now();
    if let Err(e) = make_store(&dir) {
        eprintln!("cannot make the store at {}: {e}", dir.display());
        std::process::exit(1);
    }
    println!(
        "store: {} ({} certificates, ready in {:.1} s)",
        dir.display(),
        COUNT,
        started.elapsed().as_secs_f64()
    );
    let (files, _) =
        relaycheck::import::certs::folder_files(&dir.join("folder")).expect("the folder lists");
    assert_eq!(files.len(), COUNT);
    assert_eq!(list(&files), COUNT);
    let bundle = vec![dir.join("bundle.pem")];
    assert_eq!(list(&bundle), COUNT);

    let mut c = Criterion::default().sample_size(10).configure_from_args();
    c.bench_function("store/list-folder-10000", |b| b.iter(|| list(&files)));
    c.bench_function("store/list-bundle-10000", |b| b.iter(|| list(&bundle)));
    c.final_summary();
}
