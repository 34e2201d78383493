//! Regenerates the certificates of `assets/examples/certs/` (public certificates only; the
//! keys are thrown away). Run: `cargo run --example make_example_certs`.
//!
//! Validity is fixed at 2020-01-01 – 2099-12-31 so the examples never expire. The lab CA's
//! certificate is written as `lab-ca.pem`, which the examples trust with `trusted_roots:`.

use std::path::Path;

use relaycheck::lab::{LabCa, LabIssuer, LabKey, LabSpec, issue};

fn main() -> Result<(), String> {
    let from = rcgen::date_time_ymd(2020, 1, 1);
    let until = rcgen::date_time_ymd(2099, 12, 31);
    let ca = LabCa::new(from, until)?;
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/examples/certs");
    std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
    let certs: [(&str, &str, &[&str]); 5] = [
        (
            "contoso-apex",
            "contoso.com",
            &["contoso.com", "mail.contoso.com"],
        ),
        (
            "hostname-contoso",
            "hostname.contoso.com",
            &["hostname.contoso.com"],
        ),
        (
            "hostname-subdomain-contoso",
            "hostname.subdomain.contoso.com",
            &["hostname.subdomain.contoso.com"],
        ),
        (
            "mail-contoso",
            "mail.contoso.com",
            &["mail.contoso.com", "autodiscover.contoso.com"],
        ),
        ("smtp-fabrikam", "smtp.fabrikam.net", &["smtp.fabrikam.net"]),
    ];
    // The lab root the examples name in `trusted_roots:` (it stands for a public CA).
    std::fs::write(out.join("lab-ca.pem"), &ca.cert_pem).map_err(|e| e.to_string())?;
    for (file, cn, sans) in certs {
        let spec = LabSpec {
            cn: Some(cn.to_string()),
            sans: sans.iter().map(|s| s.to_string()).collect(),
            issuer: LabIssuer::LabCa,
            not_before: from,
            not_after: until,
            key: LabKey::EcdsaP256,
            client_auth: true,
        };
        let made = issue(&spec, &ca)?;
        let pem = made.cert_pem + &ca.cert_pem;
        std::fs::write(out.join(format!("{file}.pem")), pem).map_err(|e| e.to_string())?;
        println!("wrote {file}.pem ({cn})");
    }
    Ok(())
}
