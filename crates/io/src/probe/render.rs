//! A probe's report as text for people or as the `relaycheck.probe.v1` JSON document. Every
//! text from a server was cleaned when the report was made; these only format.

use std::fmt::Write;

use super::{Kind, ProbeReport, Step};

/// The JSON document (pretty-printed, with a final newline), through the one JSON writer:
/// a server's banner or a certificate's subject is data, escaped where it could act on a
/// terminal.
pub fn json(report: &ProbeReport) -> String {
    relaycheck_core::report::json::to_json(report) + "\n"
}

/// The report as text.
pub fn text(report: &ProbeReport) -> String {
    let mut out = String::new();
    let what = match report.kind {
        Kind::Smtp => "SMTP probe of",
        Kind::Relay if report.dry_run => "Relay probe (dry run) of",
        Kind::Relay => "Relay probe of",
        Kind::Dns => "DNS probe of",
    };
    let _ = writeln!(out, "{what} {}", report.target);
    if report.dry_run {
        dry_run(report, &mut out);
    } else if report.kind != Kind::Dns {
        session(report, &mut out);
    }
    if let Some(c) = &report.client_certificate {
        let _ = writeln!(
            out,
            "\nClient certificate presented: {} (thumbprint {}, issued by {}, valid until {})",
            c.subject, c.thumbprint, c.issuer, c.not_after
        );
    }
    if !report.replies.is_empty() {
        replies(report, &mut out);
    }
    for d in &report.domains {
        let _ = writeln!(out, "\n{}", d.domain);
        let _ = writeln!(
            out,
            "  Verification TXT: {}",
            if d.verification.is_empty() {
                "none".to_string()
            } else {
                d.verification.join(", ")
            }
        );
        if d.mx.is_empty() {
            let _ = writeln!(out, "  MX: none");
        }
        for m in &d.mx {
            let _ = writeln!(
                out,
                "  MX {} {}{}",
                m.preference,
                m.host,
                if m.exchange_online {
                    " (Exchange Online)"
                } else {
                    ""
                }
            );
        }
        if d.spf.is_empty() {
            let _ = writeln!(out, "  SPF: none");
        }
        for s in &d.spf {
            let _ = writeln!(out, "  SPF: {s}");
        }
        for e in &d.errors {
            let _ = writeln!(out, "  Lookup failed: {e}");
        }
    }
    if !report.findings.is_empty() {
        let _ = writeln!(out, "\nFindings:");
        for f in &report.findings {
            let _ = writeln!(out, "  [{}] {}: {}", f.severity.as_str(), f.id, f.message);
        }
    }
    if !report.notes.is_empty() {
        let _ = writeln!(out, "\nNotes:");
        for n in &report.notes {
            let _ = writeln!(out, "  {n}");
        }
    }
    if let Some(e) = &report.error {
        let _ = writeln!(out, "\nStopped {e}.");
    }
    let _ = writeln!(
        out,
        "\n{}",
        if report.kind == Kind::Dns {
            "Only DNS queries were made."
        } else {
            "DATA was never sent: no mail was delivered."
        }
    );
    out
}

fn session(report: &ProbeReport, out: &mut String) {
    if let Some(b) = &report.banner {
        let _ = writeln!(out, "  Banner: {b}");
    }
    if let Some(offered) = report.starttls_offered {
        let _ = writeln!(
            out,
            "  STARTTLS: {}",
            if offered { "offered" } else { "not offered" }
        );
    }
    if let Some(t) = &report.tls {
        let _ = writeln!(out, "  TLS: {} {}", t.version, t.cipher);
    }
    if !report.chain.is_empty() {
        let _ = writeln!(out, "\nChain presented by the server:");
        for (i, c) in report.chain.iter().enumerate() {
            let _ = writeln!(
                out,
                "  {i}. {}\n     issued by {}\n     thumbprint {}, valid until {}",
                c.subject, c.issuer, c.thumbprint, c.not_after
            );
        }
    }
    if !report.dialogue.is_empty() {
        let _ = writeln!(out, "\nDialogue:");
        for d in &report.dialogue {
            if let Some(sent) = &d.sent {
                let _ = writeln!(out, "  C: {sent}");
            }
            let _ = writeln!(out, "  S: {}", d.reply);
            if d.step == Step::Starttls && report.tls.is_some() {
                let _ = writeln!(out, "  (TLS handshake)");
            }
        }
    }
}

fn dry_run(report: &ProbeReport, out: &mut String) {
    let _ = writeln!(
        out,
        "\nThe dialogue relaycheck would have (nothing was sent):"
    );
    for d in &report.dialogue {
        match (&d.sent, d.step) {
            (Some(sent), _) => {
                let _ = writeln!(out, "  C: {sent}");
            }
            (None, Step::Connect) => {
                let _ = writeln!(out, "  (connect to {})", report.target);
            }
            (None, Step::Banner) => {
                let _ = writeln!(out, "  S: 220 … (the server's banner)");
            }
            (None, Step::TlsHandshake) => {
                let _ = writeln!(out, "  (TLS handshake, presenting the client certificate)");
            }
            (None, _) => {}
        }
    }
}

fn replies(report: &ProbeReport, out: &mut String) {
    let _ = writeln!(out, "\nMessages:");
    for r in &report.replies {
        let from = if r.mail_from.is_empty() {
            "<>"
        } else {
            r.mail_from.as_str()
        };
        let _ = writeln!(out, "  {} ({from} → {})", r.name, r.rcpt_to);
        let real = match (&r.reply, r.replied_at) {
            (Some(reply), Some(step)) => format!("{reply} (at {step})"),
            (Some(reply), None) => reply.clone(),
            (None, _) if report.dry_run => "not sent (dry run)".to_string(),
            (None, _) => "no reply (the dialogue stopped before it)".to_string(),
        };
        let _ = writeln!(out, "    real:      {real}");
        if let Some(sim) = &r.simulated {
            let _ = writeln!(out, "    simulated: {sim}");
        }
        if r.differs {
            let _ = writeln!(out, "    DIFFERS: see the findings");
        }
    }
}
