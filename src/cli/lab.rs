//! `relaycheck lab new`: a lab CA and a leaf certificate with its key, for hands-on labs.

use std::process::ExitCode;

use time::OffsetDateTime;

use super::args::{LabKeyChoice, LabNewArgs};
use super::print_out;
use relaycheck_io::error::InputError;

/// `now` moved by `days`, or why not (clap keeps `--days` in 1..=36500; the clock may not be).
fn add_days(now: OffsetDateTime, days: i64) -> Result<OffsetDateTime, InputError> {
    relaycheck_core::when::add_days(now, days)
        .map_err(|e| InputError::without_file(format!("the lab certificate's dates: {e}")))
}

pub fn new(args: &LabNewArgs) -> Result<ExitCode, InputError> {
    use relaycheck_lab::{LabCa, LabIssuer, LabKey, LabSpec};
    let cn = relaycheck_core::names::DnsName::parse(&args.cn)
        .map_err(|e| InputError::without_file(format!("--cn: {e}")))?;
    let mut sans = vec![cn.to_string()];
    for s in &args.sans {
        let n = relaycheck_core::names::normalize(s);
        if relaycheck_core::names::classify_presented(&n).is_none() {
            return Err(InputError::without_file(format!(
                "--san \"{s}\" is not a DNS name (a host, or *.domain)"
            )));
        }
        if !sans.contains(&n) {
            sans.push(n);
        }
    }
    let now = OffsetDateTime::now_utc();
    let spec = LabSpec {
        cn: Some(cn.to_string()),
        sans,
        issuer: if args.self_signed {
            LabIssuer::SelfSigned
        } else {
            LabIssuer::LabCa
        },
        not_before: add_days(now, -1)?,
        not_after: add_days(now, i64::from(args.days))?,
        key: match args.key {
            LabKeyChoice::EcdsaP256 => LabKey::EcdsaP256,
            LabKeyChoice::Rsa2048 => LabKey::Rsa2048,
            LabKeyChoice::Rsa1024 => LabKey::Rsa1024,
        },
        client_auth: true,
    };
    let out = &args.out;
    let leaf_pem = out.join(format!("{cn}.pem"));
    let leaf_key = out.join(format!("{cn}.key"));
    let ca_pem = out.join("lab-ca.pem");
    let ca_key = out.join("lab-ca.key");
    let mut targets = vec![leaf_pem.clone(), leaf_key.clone()];
    if !args.self_signed {
        targets.extend([ca_pem.clone(), ca_key.clone()]);
    }
    if let Some(existing) = targets.iter().find(|p| p.exists()) {
        return Err(InputError::new(
            existing,
            "the file already exists; relaycheck lab new never overwrites (choose another --out)",
        ));
    }
    std::fs::create_dir_all(out)
        .map_err(|e| InputError::new(out, relaycheck_io::error::io_problem(&e)))?;
    let ca = LabCa::new(
        add_days(now, -1)?,
        add_days(now, i64::from(args.days) + 365)?,
    )
    .map_err(InputError::without_file)?;
    let made = relaycheck_lab::issue(&spec, &ca).map_err(InputError::without_file)?;
    let write = |path: &std::path::Path, bytes: &[u8], private: bool| {
        let r = if private {
            relaycheck_io::save::write_private(path, bytes)
        } else {
            relaycheck_io::save::write_atomic(path, bytes, false, &[])
        };
        r.map_err(|e| InputError::without_file(e.to_string()))
    };
    let mut chain = made.cert_pem.clone();
    if let Some(ca) = &made.ca_pem {
        chain.push_str(ca);
    }
    write(&leaf_pem, chain.as_bytes(), false)?;
    write(&leaf_key, made.key_pem.as_bytes(), true)?;
    if !args.self_signed {
        write(&ca_pem, ca.cert_pem.as_bytes(), false)?;
        write(&ca_key, ca.key_pem.as_bytes(), true)?;
    }
    let mut report = format!(
        "Wrote a lab certificate for {} ({}):\n  {}  certificate{}\n  {}  private key (owner only)\n",
        spec.sans.join(", "),
        if args.self_signed {
            "self-signed"
        } else {
            "issued by the lab CA"
        },
        leaf_pem.display(),
        if args.self_signed {
            ""
        } else {
            " + lab CA chain"
        },
        leaf_key.display()
    );
    if !args.self_signed {
        report.push_str(&format!(
            "  {}  lab CA certificate (trust it on the test servers)\n  {}  lab CA private key (owner only)\n",
            ca_pem.display(),
            ca_key.display()
        ));
    }
    report.push_str("These are for labs only: Exchange Online does not trust the lab CA.\n");
    print_out(&report);
    Ok(ExitCode::SUCCESS)
}
