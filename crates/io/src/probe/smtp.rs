//! `probe smtp`: connect, banner, EHLO, STARTTLS, the TLS chain, EHLO again, QUIT; and the
//! session every SMTP probe opens that way ([`open`]).

use std::net::TcpStream;

use time::OffsetDateTime;

use relaycheck_core::model::Scenario;

use super::dialogue::{self, Command, Reader, Reply, Stream};
use super::tls::{self, ClientIdentity, TlsStream};
use super::{Exchange, Kind, ProbeError, ProbeReport, Step, Target, Timeouts};

/// The connection under the dialogue.
enum Conn {
    Plain(TcpStream),
    Tls(Box<TlsStream>),
}

/// An open SMTP session, with the transcript kept in the report.
pub struct Session {
    conn: Conn,
    reader: Reader,
    timeouts: Timeouts,
}

impl Session {
    fn stream(&mut self) -> &mut dyn Stream {
        match &mut self.conn {
            Conn::Plain(s) => s,
            Conn::Tls(s) => s.as_mut(),
        }
    }

    /// Sends a command and reads its reply, recording both.
    pub fn command(
        &mut self,
        report: &mut ProbeReport,
        step: Step,
        command: &Command,
    ) -> Result<Reply, ProbeError> {
        dialogue::send(self.stream(), step, command)?;
        let timeout = self.timeouts.reply;
        let mut reader = std::mem::take(&mut self.reader);
        let reply = reader.reply(self.stream(), step, timeout);
        self.reader = reader;
        let reply = reply?;
        report.dialogue.push(Exchange {
            step,
            sent: Some(command.line()),
            reply: reply.text(),
        });
        Ok(reply)
    }

    /// QUIT, and close (TLS with close_notify). Errors do not matter any more.
    pub fn quit(mut self, report: &mut ProbeReport) {
        let _ = self.command(report, Step::Quit, &Command::Quit);
        match &mut self.conn {
            Conn::Plain(s) => {
                let _ = s.shutdown(std::net::Shutdown::Both);
            }
            Conn::Tls(s) => tls::close(s),
        }
    }
}

/// Why [`open`] stopped, and the session when the server answered (QUIT is then polite).
pub type Stopped = (ProbeError, Option<Box<Session>>);

/// How to open the session.
pub struct Opening<'a> {
    pub target: &'a Target,
    pub ehlo: &'a str,
    pub timeouts: Timeouts,
    /// The client certificate to present (`probe relay`).
    pub identity: Option<&'a ClientIdentity>,
}

/// Connects, reads the banner, EHLO, STARTTLS (when offered), the TLS handshake and EHLO
/// again. Fills the report's banner, extensions, TLS and chain; `Ok(None)`-like states are
/// errors naming the step. The chain is recorded in `report.chain` through `chain_out`
/// even when the handshake fails after the server sent it.
pub fn open(
    o: &Opening<'_>,
    report: &mut ProbeReport,
    chain_out: &mut Vec<Vec<u8>>,
) -> Result<Session, Stopped> {
    let sock = dialogue::connect(o.target, &o.timeouts).map_err(|e| (e, None))?;
    let mut session = Session {
        conn: Conn::Plain(sock),
        reader: Reader::new(),
        timeouts: o.timeouts,
    };
    let banner = match session.reader.reply(
        session_plain(&mut session.conn),
        Step::Banner,
        o.timeouts.reply,
    ) {
        Ok(b) => b,
        Err(e) => return Err((e, None)),
    };
    report.banner = Some(banner.text());
    report.dialogue.push(Exchange {
        step: Step::Banner,
        sent: None,
        reply: banner.text(),
    });
    if !banner.is_positive() {
        let e = ProbeError::new(Step::Banner, "the server refuses the session").with_reply(&banner);
        return Err((e, Some(Box::new(session))));
    }
    let ehlo = Command::Ehlo(o.ehlo.to_string());
    let reply = match session.command(report, Step::Ehlo, &ehlo) {
        Ok(r) => r,
        // No answer or a broken one: no QUIT to wait for.
        Err(e) => return Err((e, None)),
    };
    if !reply.is_positive() {
        let e = ProbeError::new(Step::Ehlo, "the server refuses EHLO").with_reply(&reply);
        return Err((e, Some(Box::new(session))));
    }
    report.extensions = reply.extension_lines();
    let offered = reply.keywords().iter().any(|k| k == "STARTTLS");
    report.starttls_offered = Some(offered);
    if !offered {
        let e = ProbeError::new(
            Step::Starttls,
            "the server does not offer STARTTLS (its EHLO reply does not list it): Exchange Online and the on-premises server exchange mail over TLS only",
        );
        return Err((e, Some(Box::new(session))));
    }
    let reply = match session.command(report, Step::Starttls, &Command::StartTls) {
        Ok(r) => r,
        // No answer or a broken one: no QUIT to wait for.
        Err(e) => return Err((e, None)),
    };
    if reply.code != 220 {
        let e = ProbeError::new(Step::Starttls, "the server refuses STARTTLS").with_reply(&reply);
        return Err((e, Some(Box::new(session))));
    }
    if session.reader.pending() > 0 {
        // RFC 3207: nothing may follow the 220 in the clear (a response-injection attempt).
        let e = ProbeError::new(
            Step::Starttls,
            "the server sent more data after its 220 reply to STARTTLS, before TLS began (RFC 3207 forbids it)",
        );
        return Err((e, None));
    }
    let Conn::Plain(sock) = session.conn else {
        unreachable!("TLS starts on the plain connection")
    };
    let hs = tls::handshake(sock, o.target.name(), o.identity, o.timeouts.reply);
    chain_out.clone_from(&hs.chain);
    let (stream, info) = hs.result.map_err(|e| (e, None))?;
    report.tls = Some(info);
    let mut session = Session {
        conn: Conn::Tls(Box::new(stream)),
        reader: Reader::new(),
        timeouts: o.timeouts,
    };
    let reply = match session.command(report, Step::EhloAfterTls, &ehlo) {
        Ok(r) => r,
        // No answer or a broken one: no QUIT to wait for.
        Err(e) => return Err((e, None)),
    };
    if !reply.is_positive() {
        let e = ProbeError::new(Step::EhloAfterTls, "the server refuses EHLO after STARTTLS")
            .with_reply(&reply);
        return Err((e, Some(Box::new(session))));
    }
    report.extensions = reply.extension_lines();
    Ok(session)
}

fn session_plain(conn: &mut Conn) -> &mut dyn Stream {
    match conn {
        Conn::Plain(s) => s,
        Conn::Tls(s) => s.as_mut(),
    }
}

/// What `probe smtp` is asked.
pub struct SmtpProbe<'a> {
    pub target: Target,
    pub ehlo: String,
    pub timeouts: Timeouts,
    pub scenario: Option<&'a Scenario>,
    /// Roots to trust besides the public ones and the scenario's (`--trusted-root`).
    pub trusted_roots: Vec<relaycheck_core::model::TrustedRoot>,
    pub now: OffsetDateTime,
}

/// Runs `probe smtp`: the report, with the chain judged, and where it stopped if it did.
pub fn probe_smtp(p: &SmtpProbe<'_>) -> ProbeReport {
    let mut report = ProbeReport::new(Kind::Smtp, p.target.to_string());
    let mut chain = Vec::new();
    let opening = Opening {
        target: &p.target,
        ehlo: &p.ehlo,
        timeouts: p.timeouts,
        identity: None,
    };
    match open(&opening, &mut report, &mut chain) {
        Ok(session) => session.quit(&mut report),
        Err((e, session)) => {
            report.error = Some(e);
            if let Some(s) = session {
                (*s).quit(&mut report);
            }
        }
    }
    judge_chain(
        &mut report,
        p.target.name(),
        &chain,
        p.scenario,
        &p.trusted_roots,
        p.now,
    );
    report
}

/// Fills the report's chain, findings and notes from the chain the server presented.
pub fn judge_chain(
    report: &mut ProbeReport,
    host: &str,
    chain: &[Vec<u8>],
    scenario: Option<&Scenario>,
    trusted: &[relaycheck_core::model::TrustedRoot],
    now: OffsetDateTime,
) {
    if chain.is_empty() {
        return;
    }
    for (i, der) in chain.iter().enumerate() {
        match super::judge::presented_facts(&format!("certificate {i}"), std::slice::from_ref(der))
        {
            Ok(f) => report.chain.push(super::chain_entry(&f)),
            Err(e) => report.notes.push(format!(
                "Certificate {i} of the chain cannot be read: {}",
                relaycheck_core::text::clean_line(&e)
            )),
        }
    }
    match super::judge::judge_smtp(host, chain, scenario, trusted, now) {
        Ok(j) => {
            report.findings.extend(j.findings);
            report.notes.extend(j.notes);
        }
        Err(e) => report.findings.push(super::ProbeFinding::new(
            "probe-certificate-unreadable",
            relaycheck_core::checks::Severity::Error,
            format!(
                "The server's certificate cannot be read: {}",
                relaycheck_core::text::clean_line(&e)
            ),
        )),
    }
}
