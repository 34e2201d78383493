//! `probe relay`: act as the on-premises server does towards Exchange Online. EHLO as the
//! organisation FQDN, STARTTLS presenting the certificate as the TLS client certificate,
//! then per test message `MAIL FROM`, `RCPT TO`, the real reply recorded, `RSET`; then
//! `QUIT`. It never sends DATA: nothing is delivered. Each real reply sits beside the
//! simulated one (rule RELAY on the scenario with this certificate presented), and a
//! disagreement is a finding: the model or the data is wrong.

use time::OffsetDateTime;

use relaycheck_core::cert::CertFacts;
use relaycheck_core::checks::Severity;
use relaycheck_core::model::{Message, Scenario};
use relaycheck_core::relay::{MessageOutcome, Outcome};
use relaycheck_core::text::clean_line;

use super::dialogue::Command;
use super::smtp::{Opening, Session, open};
use super::tls::ClientIdentity;
use super::{
    Exchange, Kind, MessageReply, ProbeError, ProbeFinding, ProbeReport, Step, Target, Timeouts,
};

/// What `probe relay` is asked.
pub struct RelayProbe<'a> {
    pub target: Target,
    pub ehlo: String,
    pub timeouts: Timeouts,
    pub identity: &'a ClientIdentity,
    /// The facts of the client certificate (from the same file as `identity`).
    pub certificate: &'a CertFacts,
    pub scenario: Option<&'a Scenario>,
    /// The test messages (the scenario's, its defaults, or `--message`).
    pub messages: Vec<Message>,
    /// Roots to trust besides the public ones and the scenario's (`--trusted-root`).
    pub trusted_roots: Vec<relaycheck_core::model::TrustedRoot>,
    pub now: OffsetDateTime,
    pub dry_run: bool,
}

/// Runs `probe relay` (or, with `dry_run`, says what it would send and contacts nobody).
pub fn probe_relay(p: &RelayProbe<'_>) -> ProbeReport {
    let mut report = ProbeReport::new(Kind::Relay, p.target.to_string());
    report.dry_run = p.dry_run;
    report.client_certificate = Some(super::chain_entry(p.certificate));
    let simulated = simulate(p, &mut report);
    report.replies = p
        .messages
        .iter()
        .enumerate()
        .map(|(i, m)| MessageReply {
            name: clean_line(m.name.as_deref().unwrap_or("message")).into_owned(),
            mail_from: m.mail_from.as_text().to_string(),
            rcpt_to: m.rcpt_to.as_str().to_string(),
            reply: None,
            replied_at: None,
            simulated: simulated
                .get(i)
                .map(|o| format!("{}: {}", o.outcome.as_str(), o.reply)),
            differs: false,
        })
        .collect();
    if p.dry_run {
        dry_dialogue(p, &mut report);
        return report;
    }
    let opening = Opening {
        target: &p.target,
        ehlo: &p.ehlo,
        timeouts: p.timeouts,
        identity: Some(p.identity),
    };
    let mut chain = Vec::new();
    match open(&opening, &mut report, &mut chain) {
        Ok(mut session) => {
            match messages(p, &mut session, &mut report) {
                Ok(()) => session.quit(&mut report),
                // A refused RSET still answered: end politely.
                Err(e) if e.reply.is_some() => {
                    report.error = Some(e);
                    session.quit(&mut report);
                }
                // No answer: nothing to wait for.
                Err(e) => report.error = Some(e),
            }
        }
        Err((e, session)) => {
            report.error = Some(e);
            if let Some(s) = session {
                (*s).quit(&mut report);
            }
        }
    }
    for (der_index, der) in chain.iter().enumerate() {
        if let Ok(f) = super::judge::presented_facts(
            &format!("certificate {der_index}"),
            std::slice::from_ref(der),
        ) {
            report.chain.push(super::chain_entry(&f));
        }
    }
    compare(&mut report, &simulated);
    report
}

/// Rule RELAY on the scenario with the probe's certificate presented, and the checks'
/// findings on that certificate. Nothing without a scenario.
fn simulate(p: &RelayProbe<'_>, report: &mut ProbeReport) -> Vec<MessageOutcome> {
    let Some(scenario) = p.scenario else {
        report.notes.push(
            "No scenario given (--scenario or --from): the real replies are shown without a simulation to compare them with.".to_string(),
        );
        return Vec::new();
    };
    let label = p.certificate.source.clone();
    let mut s = super::judge::with_presented(Some(scenario), p.certificate.clone(), &label);
    s.messages.clone_from(&p.messages);
    s.trusted_roots.extend(p.trusted_roots.iter().cloned());
    let eval = relaycheck_core::checks::evaluate(&s, p.now);
    report
        .findings
        .extend(super::judge::certificate_findings(&eval, &s, true));
    eval.mail_flow
}

/// The messages, one transaction each: MAIL FROM, RCPT TO (when MAIL FROM was taken), RSET.
fn messages(
    p: &RelayProbe<'_>,
    session: &mut Session,
    report: &mut ProbeReport,
) -> Result<(), ProbeError> {
    for (i, m) in p.messages.iter().enumerate() {
        let from = Command::MailFrom(m.mail_from.as_text().to_string());
        let reply = session.command(report, Step::MailFrom, &from)?;
        let (reply, step) = if reply.is_positive() {
            let to = Command::RcptTo(m.rcpt_to.as_str().to_string());
            (session.command(report, Step::RcptTo, &to)?, Step::RcptTo)
        } else {
            (reply, Step::MailFrom)
        };
        if let Some(r) = report.replies.get_mut(i) {
            r.reply = Some(reply.text());
            r.replied_at = Some(step);
        }
        let reset = session.command(report, Step::Rset, &Command::Rset)?;
        if !reset.is_positive() {
            return Err(ProbeError::new(Step::Rset, "the server refuses RSET").with_reply(&reset));
        }
    }
    Ok(())
}

/// Accepted (2xx at RCPT TO) against the simulation's relayed or delivered.
fn compare(report: &mut ProbeReport, simulated: &[MessageOutcome]) {
    let mut findings = Vec::new();
    for (r, sim) in report.replies.iter_mut().zip(simulated) {
        let Some(real) = &r.reply else {
            continue;
        };
        let accepted = r.replied_at == Some(Step::RcptTo) && real.starts_with('2');
        let expected = sim.outcome != Outcome::Rejected;
        if accepted != expected {
            r.differs = true;
            findings.push(ProbeFinding::new(
                "probe-reply-differs",
                Severity::Warning,
                format!(
                    "{} ({} → {}): the server replied {} at {}, relaycheck simulates {}: {}. The scenario does not match the live configuration (certificate, inbound connector, accepted domains), or relaycheck's model is wrong.",
                    r.name,
                    if r.mail_from.is_empty() { "<>" } else { r.mail_from.as_str() },
                    r.rcpt_to,
                    real,
                    r.replied_at.map_or("?", Step::as_str),
                    sim.outcome.as_str(),
                    sim.reply
                ),
            ));
        }
    }
    report.findings.extend(findings);
}

/// The dialogue the probe would have, without connecting.
fn dry_dialogue(p: &RelayProbe<'_>, report: &mut ProbeReport) {
    let mut push = |step: Step, command: Option<Command>| {
        report.dialogue.push(Exchange {
            step,
            sent: command.map(|c| c.line()),
            reply: String::new(),
        });
    };
    push(Step::Connect, None);
    push(Step::Banner, None);
    push(Step::Ehlo, Some(Command::Ehlo(p.ehlo.clone())));
    push(Step::Starttls, Some(Command::StartTls));
    push(Step::TlsHandshake, None);
    push(Step::EhloAfterTls, Some(Command::Ehlo(p.ehlo.clone())));
    for m in &p.messages {
        push(
            Step::MailFrom,
            Some(Command::MailFrom(m.mail_from.as_text().to_string())),
        );
        push(
            Step::RcptTo,
            Some(Command::RcptTo(m.rcpt_to.as_str().to_string())),
        );
        push(Step::Rset, Some(Command::Rset));
    }
    push(Step::Quit, Some(Command::Quit));
    report.notes.push(format!(
        "Dry run: nothing was sent; {} was not contacted.",
        p.target
    ));
}

/// Reads the client certificate and its key: a PKCS#12 file (`.pfx`, with `password`), or
/// PEM with the key in the same file, in `key_path`, or in a `.key` file beside it. The
/// key stays in memory only for the handshake and is never printed.
pub fn load_client_certificate(
    path: &std::path::Path,
    key_path: Option<&std::path::Path>,
    password: Option<&zeroize::Zeroizing<String>>,
) -> Result<(ClientIdentity, CertFacts), crate::error::InputError> {
    use crate::error::InputError;
    use crate::import::pkcs12;
    use crate::input::{InputKind, read_input_kind};
    let bytes = read_input_kind(path, InputKind::Certificate)?;
    if pkcs12::is_pkcs12(&bytes) {
        let entries = pkcs12::read(&bytes, password.map(|p| p.as_str())).map_err(|p| match p {
            pkcs12::Problem::PasswordNeeded => InputError::new(
                path,
                "the PKCS#12 file is protected by a password: put it in an environment variable and name it with --password-env VAR",
            ),
            other => InputError::new(path, other.sentence()),
        })?;
        let entry = entries
            .into_iter()
            .find(|e| e.key.is_some())
            .ok_or_else(|| {
                InputError::new(
                    path,
                    "the PKCS#12 file holds no private key: export the certificate with its key (Export-ExchangeCertificate … -BinaryEncoded -Password …)",
                )
            })?;
        let mut bundle = crate::import::certs::pem(&entry.leaf);
        for c in &entry.chain {
            bundle.push_str(&crate::import::certs::pem(c));
        }
        let key = entry.key.as_ref().map(|k| k.as_slice());
        let facts =
            relaycheck_core::cert::load(&path.display().to_string(), bundle.as_bytes(), key)
                .map_err(|e| {
                    InputError::new(
                        path,
                        format!("the certificate inside the PKCS#12 file: {e}"),
                    )
                })?;
        check_key(path, &facts)?;
        let mut chain = vec![entry.leaf.clone()];
        chain.extend(entry.chain.iter().cloned());
        let identity = ClientIdentity::from_pkcs8(chain, key.unwrap_or_default());
        return Ok((identity, facts));
    }
    let key_bytes: Option<zeroize::Zeroizing<Vec<u8>>> = match key_path {
        Some(k) => Some(zeroize::Zeroizing::new(read_input_kind(
            k,
            InputKind::Certificate,
        )?)),
        None => {
            let sibling = path.with_extension("key");
            if sibling.is_file() && sibling != path {
                Some(zeroize::Zeroizing::new(read_input_kind(
                    &sibling,
                    InputKind::Certificate,
                )?))
            } else {
                None
            }
        }
    };
    let facts = relaycheck_core::cert::load(
        &path.display().to_string(),
        &bytes,
        key_bytes.as_ref().map(|k| k.as_slice()),
    )
    .map_err(|e| InputError::new(path, e.0))?;
    check_key(path, &facts)?;
    let mut chain = vec![facts.der.clone()];
    chain.extend(facts.chain_der.iter().cloned());
    let key_source: &[u8] = key_bytes.as_ref().map_or(&bytes, |k| k.as_slice());
    let identity = ClientIdentity::from_pem_key(chain, key_source).ok_or_else(|| {
        InputError::new(
            path,
            "no private key in a form the TLS client can use (PEM PKCS#8, PKCS#1 or SEC1)",
        )
    })?;
    Ok((identity, facts))
}

/// The key must be there and belong to the certificate: the server would refuse the
/// handshake otherwise, and the error would be less clear.
fn check_key(path: &std::path::Path, facts: &CertFacts) -> Result<(), crate::error::InputError> {
    use relaycheck_core::cert::PrivateKeyStatus;
    match &facts.private_key {
        PrivateKeyStatus::Matches | PrivateKeyStatus::Unverifiable(_) => Ok(()),
        PrivateKeyStatus::NotSupplied => Err(crate::error::InputError::new(
            path,
            "no private key comes with the certificate: give a .pfx with its key, or PEM with --key FILE",
        )),
        PrivateKeyStatus::DoesNotMatch => Err(crate::error::InputError::new(
            path,
            "the private key belongs to another certificate",
        )),
        PrivateKeyStatus::Unreadable(why) => Err(crate::error::InputError::new(
            path,
            format!(
                "the private key cannot be used: {}",
                relaycheck_core::text::clean_line(why)
            ),
        )),
    }
}
