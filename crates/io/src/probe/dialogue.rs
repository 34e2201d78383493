//! The SMTP dialogue of the probes, on a blocking socket: exactly EHLO, STARTTLS, MAIL FROM,
//! RCPT TO, RSET and QUIT (there is no way to send DATA). Replies are read with a deadline
//! each ([`super::Timeouts::reply`]) and lines of at most [`MAX_LINE`] bytes, so a server
//! that never answers, trickles, or sends a 10 MB banner ends the probe in bounded time, at
//! a named step.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::time::{Duration, Instant};

use super::{MAX_LINE, MAX_REPLY_LINES, ProbeError, Step, Target, Timeouts};

/// The commands the probe can send. There is no DATA: nothing is ever delivered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Ehlo(String),
    StartTls,
    /// The envelope sender, without brackets; empty is the null sender `<>`.
    MailFrom(String),
    RcptTo(String),
    Rset,
    Quit,
}

impl Command {
    /// The line as sent (without CRLF).
    pub fn line(&self) -> String {
        match self {
            Command::Ehlo(name) => format!("EHLO {name}"),
            Command::StartTls => "STARTTLS".into(),
            Command::MailFrom(from) => format!("MAIL FROM:<{from}>"),
            Command::RcptTo(to) => format!("RCPT TO:<{to}>"),
            Command::Rset => "RSET".into(),
            Command::Quit => "QUIT".into(),
        }
    }
}

/// A reply: its code and its lines' texts (each cleaned, without the code).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub code: u16,
    pub lines: Vec<String>,
}

impl Reply {
    pub fn is_positive(&self) -> bool {
        (200..300).contains(&self.code)
    }

    /// The reply as one line: `250 2.1.5 Ok`, multi-line replies joined with ` / `.
    pub fn text(&self) -> String {
        let mut out = self.code.to_string();
        for (i, l) in self.lines.iter().enumerate() {
            out.push_str(if i == 0 { " " } else { " / " });
            out.push_str(l);
        }
        out
    }

    /// The EHLO keywords (the lines after the greeting), upper-case, without parameters.
    pub fn keywords(&self) -> Vec<String> {
        self.lines
            .iter()
            .skip(1)
            .filter_map(|l| l.split_whitespace().next())
            .map(str::to_ascii_uppercase)
            .collect()
    }

    /// The EHLO lines after the greeting, as the server wrote them.
    pub fn extension_lines(&self) -> Vec<String> {
        self.lines.iter().skip(1).cloned().collect()
    }
}

/// The byte stream under the dialogue: the TCP socket, then TLS over it.
pub trait Stream: Read + Write {
    /// The socket, to set its read and write timeouts.
    fn socket(&self) -> &TcpStream;
}

impl Stream for TcpStream {
    fn socket(&self) -> &TcpStream {
        self
    }
}

/// Opens the TCP connection: each address of the host in turn, each within the connect
/// timeout. Only the host the user named is contacted.
pub fn connect(target: &Target, timeouts: &Timeouts) -> Result<TcpStream, ProbeError> {
    let addrs: Vec<SocketAddr> = (target.host.as_str(), target.port)
        .to_socket_addrs()
        .map_err(|e| {
            ProbeError::new(
                Step::Resolve,
                format!("cannot resolve {}: {e}", target.host),
            )
        })?
        .collect();
    if addrs.is_empty() {
        return Err(ProbeError::new(
            Step::Resolve,
            format!("{} has no address", target.host),
        ));
    }
    let mut last = None;
    for addr in &addrs {
        match TcpStream::connect_timeout(addr, timeouts.connect) {
            Ok(s) => {
                s.set_write_timeout(Some(timeouts.reply))
                    .map_err(|e| ProbeError::new(Step::Connect, e.to_string()))?;
                let _ = s.set_nodelay(true);
                return Ok(s);
            }
            Err(e) => last = Some((addr, e)),
        }
    }
    let (addr, e) = last.expect("at least one address was tried");
    let why = if e.kind() == io::ErrorKind::TimedOut || e.kind() == io::ErrorKind::WouldBlock {
        format!(
            "no connection to {addr} within {}",
            seconds(timeouts.connect)
        )
    } else {
        format!("cannot connect to {addr}: {e}")
    };
    Err(ProbeError::new(Step::Connect, why))
}

/// "10 s", "0.5 s".
pub fn seconds(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s.fract() == 0.0 {
        format!("{s:.0} s")
    } else {
        format!("{s} s")
    }
}

/// Reads replies from a stream, line by line, within bounds. Bytes after a reply stay in
/// the buffer for the next one (a server may pipeline); [`Reader::clear`] drops them before
/// TLS starts, as RFC 3207 requires.
#[derive(Debug, Default)]
pub struct Reader {
    buf: Vec<u8>,
}

impl Reader {
    pub fn new() -> Self {
        Reader::default()
    }

    /// Bytes received and not yet read as a reply (left over before STARTTLS: a server
    /// must not send any).
    pub fn pending(&self) -> usize {
        self.buf.len()
    }

    pub fn clear(&mut self) {
        self.buf.clear();
    }

    /// One whole reply (all its lines), within `timeout` from now.
    pub fn reply<S: Stream + ?Sized>(
        &mut self,
        stream: &mut S,
        step: Step,
        timeout: Duration,
    ) -> Result<Reply, ProbeError> {
        let deadline = Instant::now() + timeout;
        let mut code: Option<u16> = None;
        let mut lines = Vec::new();
        loop {
            let line = self.line(stream, step, deadline, timeout)?;
            let (this_code, last, text) = parse_line(&line).ok_or_else(|| {
                ProbeError::new(
                    step,
                    format!(
                        "the server's reply is not SMTP: {}",
                        relaycheck_core::text::excerpt(&String::from_utf8_lossy(&line), 120)
                    ),
                )
            })?;
            if code.is_some_and(|c| c != this_code) {
                return Err(ProbeError::new(
                    step,
                    "the server's multi-line reply changes its code midway",
                ));
            }
            code = Some(this_code);
            lines.push(text);
            if last {
                return Ok(Reply {
                    code: this_code,
                    lines,
                });
            }
            if lines.len() >= MAX_REPLY_LINES {
                return Err(ProbeError::new(
                    step,
                    format!("the server's reply has more than {MAX_REPLY_LINES} lines"),
                ));
            }
        }
    }

    /// One line (without its CRLF or LF), at most [`MAX_LINE`] bytes, before `deadline`.
    fn line<S: Stream + ?Sized>(
        &mut self,
        stream: &mut S,
        step: Step,
        deadline: Instant,
        timeout: Duration,
    ) -> Result<Vec<u8>, ProbeError> {
        loop {
            if let Some(end) = self.buf.iter().position(|b| *b == b'\n') {
                if end > MAX_LINE {
                    return Err(too_long(step));
                }
                let mut line: Vec<u8> = self.buf.drain(..=end).collect();
                line.pop();
                if line.last() == Some(&b'\r') {
                    line.pop();
                }
                return Ok(line);
            }
            if self.buf.len() > MAX_LINE {
                return Err(too_long(step));
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(no_answer(step, timeout));
            }
            stream
                .socket()
                .set_read_timeout(Some(left))
                .map_err(|e| ProbeError::new(step, e.to_string()))?;
            let mut chunk = [0u8; 1024];
            // Never more than a line's room: a 10 MB banner is not read past 4 KiB.
            let room = (MAX_LINE + 2 - self.buf.len()).min(chunk.len());
            match stream.read(&mut chunk[..room]) {
                Ok(0) => {
                    return Err(ProbeError::new(
                        step,
                        if self.buf.is_empty() {
                            "the server closed the connection without a reply".to_string()
                        } else {
                            "the server closed the connection in the middle of a reply line"
                                .to_string()
                        },
                    ));
                }
                Ok(n) => self.buf.extend_from_slice(&chunk[..n]),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) if is_timeout(&e) => return Err(no_answer(step, timeout)),
                Err(e) => return Err(io_error(step, &e)),
            }
        }
    }
}

fn too_long(step: Step) -> ProbeError {
    ProbeError::new(
        step,
        format!("the server sent a line longer than {MAX_LINE} bytes (RFC 5321 allows 512)"),
    )
}

fn no_answer(step: Step, timeout: Duration) -> ProbeError {
    ProbeError::new(
        step,
        format!("no complete reply within {}", seconds(timeout)),
    )
}

pub fn is_timeout(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
    )
}

/// An I/O error at a step, in words (TLS errors arrive as `InvalidData` with rustls's text).
pub fn io_error(step: Step, e: &io::Error) -> ProbeError {
    let why = match e.kind() {
        io::ErrorKind::ConnectionReset => "the server reset the connection".to_string(),
        io::ErrorKind::BrokenPipe => "the server closed the connection".to_string(),
        io::ErrorKind::UnexpectedEof => "the server closed the connection".to_string(),
        _ => relaycheck_core::text::clean_line(&e.to_string()).into_owned(),
    };
    ProbeError::new(step, why)
}

/// `250-text` / `250 text` / `250`: the code, whether it is the last line, the cleaned text.
fn parse_line(line: &[u8]) -> Option<(u16, bool, String)> {
    if line.len() < 3 || !line[..3].iter().all(u8::is_ascii_digit) {
        return None;
    }
    let code = u16::from(line[0] - b'0') * 100
        + u16::from(line[1] - b'0') * 10
        + u16::from(line[2] - b'0');
    if !(200..600).contains(&code) {
        return None;
    }
    let (last, rest) = match line.get(3) {
        None => (true, &[][..]),
        Some(b' ') => (true, &line[4..]),
        Some(b'-') => (false, &line[4..]),
        Some(_) => return None,
    };
    let text = String::from_utf8_lossy(rest);
    Some((
        code,
        last,
        relaycheck_core::text::clean_line(&text).into_owned(),
    ))
}

/// Sends one command (with CRLF) and flushes it.
pub fn send<S: Stream + ?Sized>(
    stream: &mut S,
    step: Step,
    command: &Command,
) -> Result<(), ProbeError> {
    let mut line = command.line();
    if line.chars().any(char::is_control) {
        // Never a second command smuggled in a name or an address.
        return Err(ProbeError::new(
            step,
            "the command would carry a control character; nothing was sent",
        ));
    }
    line.push_str("\r\n");
    stream
        .write_all(line.as_bytes())
        .and_then(|()| stream.flush())
        .map_err(|e| {
            if is_timeout(&e) {
                ProbeError::new(step, "the server does not take what the probe sends")
            } else {
                io_error(step, &e)
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reply_lines_parse_with_code_and_continuation() {
        assert_eq!(
            parse_line(b"250-PIPELINING"),
            Some((250, false, "PIPELINING".into()))
        );
        assert_eq!(
            parse_line(b"554 5.7.1 Relay access denied"),
            Some((554, true, "5.7.1 Relay access denied".into()))
        );
        assert_eq!(parse_line(b"220"), Some((220, true, String::new())));
        assert_eq!(parse_line(b"HTTP/1.1 400"), None);
        assert_eq!(parse_line(b"999 nope"), None);
        assert_eq!(parse_line(b"250xyz"), None);
    }

    #[test]
    fn server_text_is_cleaned() {
        let (_, _, text) = parse_line(b"220 evil \x1b[31mred\x1b[0m").unwrap();
        assert!(!text.contains('\u{1b}'), "{text}");
        assert!(text.contains('\u{241b}'), "{text}");
    }

    #[test]
    fn commands_are_exactly_the_probe_ones() {
        assert_eq!(Command::MailFrom(String::new()).line(), "MAIL FROM:<>");
        assert_eq!(
            Command::RcptTo("john@fabrikam.com".into()).line(),
            "RCPT TO:<john@fabrikam.com>"
        );
        assert_eq!(
            Command::Ehlo("mail.contoso.com".into()).line(),
            "EHLO mail.contoso.com"
        );
    }

    #[test]
    fn a_reply_joins_its_lines() {
        let r = Reply {
            code: 250,
            lines: vec!["mx.test".into(), "STARTTLS".into(), "SIZE 10".into()],
        };
        assert_eq!(r.text(), "250 mx.test / STARTTLS / SIZE 10");
        assert_eq!(r.keywords(), vec!["STARTTLS", "SIZE"]);
    }
}
