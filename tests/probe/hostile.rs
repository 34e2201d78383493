//! Hostile servers: a 10 MB banner, a server that never answers, one that drops TLS
//! midway, one that stalls the handshake, a closed port, and control characters in the
//! banner. Each ends within the timeouts, with the step named.

use std::io::Read;
use std::time::Duration;

use crate::kit::{Fake, json, read_line, relaycheck, send, stdout};

fn probe(port: u16, extra: &[&str]) -> (serde_json::Value, Duration, i32) {
    let target = format!("127.0.0.1:{port}");
    let mut args = vec!["probe", "smtp", &target, "--format", "json"];
    args.extend_from_slice(extra);
    let (out, took) = relaycheck(&args, &[]);
    (json(&out), took, out.status.code().unwrap_or(-1))
}

#[test]
fn a_10_mb_banner_stops_at_the_banner_after_4_kib() {
    let fake = Fake::start(|mut s| {
        let chunk = vec![b'x'; 64 * 1024];
        send(&mut s, "220 ");
        let mut sent = 0;
        while sent < 10 * 1024 * 1024 {
            if std::io::Write::write_all(&mut s, &chunk).is_err() {
                break;
            }
            sent += chunk.len();
        }
        Vec::new()
    });
    let (r, took, code) = probe(fake.port, &["--reply-timeout", "10"]);
    assert_eq!(code, 1);
    assert_eq!(r["error"]["step"], "banner", "{r}");
    assert!(
        r["error"]["message"]
            .as_str()
            .unwrap()
            .contains("longer than 4096 bytes"),
        "{r}"
    );
    assert!(took < Duration::from_secs(8), "took {took:?}");
    drop(fake);
}

#[test]
fn a_server_that_never_answers_times_out_at_the_banner() {
    let fake = Fake::start(|mut s| {
        let mut sink = Vec::new();
        let _ = s.read_to_end(&mut sink);
        sink
    });
    let (r, took, code) = probe(fake.port, &["--reply-timeout", "1"]);
    assert_eq!(code, 1);
    assert_eq!(r["error"]["step"], "banner", "{r}");
    assert_eq!(r["error"]["message"], "no complete reply within 1 s");
    assert!(
        took >= Duration::from_secs(1) && took < Duration::from_secs(6),
        "took {took:?}"
    );
}

#[test]
fn a_trickling_server_does_not_extend_the_reply_deadline() {
    let fake = Fake::start(|mut s| {
        for _ in 0..40 {
            send(&mut s, "2");
            std::thread::sleep(Duration::from_millis(100));
        }
        Vec::new()
    });
    let (r, took, _) = probe(fake.port, &["--reply-timeout", "1"]);
    assert_eq!(r["error"]["step"], "banner", "{r}");
    assert!(took < Duration::from_secs(3), "took {took:?}");
}

/// A server that offers STARTTLS, says 220 to it, then calls `then` with the socket.
fn starttls_then(then: impl FnOnce(&mut std::net::TcpStream) + Send + 'static) -> Fake {
    Fake::start(move |mut s| {
        let mut log = Vec::new();
        send(&mut s, "220 fake.test ESMTP\r\n");
        read_line(&mut s, &mut log);
        send(&mut s, "250-fake.test\r\n250 STARTTLS\r\n");
        read_line(&mut s, &mut log);
        send(&mut s, "220 2.0.0 Ready to start TLS\r\n");
        then(&mut s);
        log
    })
}

#[test]
fn a_server_dropping_tls_midway_stops_at_the_tls_handshake() {
    let fake = starttls_then(|s| {
        // Read the ClientHello, then hang up.
        let mut hello = [0u8; 512];
        let _ = s.read(&mut hello);
        let _ = s.shutdown(std::net::Shutdown::Both);
    });
    let (r, took, code) = probe(fake.port, &["--reply-timeout", "5"]);
    assert_eq!(code, 1);
    assert_eq!(r["error"]["step"], "tls-handshake", "{r}");
    let m = r["error"]["message"].as_str().unwrap();
    assert!(m.contains("closed") || m.contains("reset"), "{m}");
    assert!(took < Duration::from_secs(5), "took {took:?}");
    let sent = fake.received();
    assert!(
        sent.contains("EHLO ") && sent.contains("STARTTLS"),
        "{sent}"
    );
}

#[test]
fn a_stalled_handshake_times_out_at_the_tls_handshake() {
    let fake = starttls_then(|s| {
        let mut sink = Vec::new();
        let _ = s.read_to_end(&mut sink);
    });
    let (r, took, _) = probe(fake.port, &["--reply-timeout", "1"]);
    assert_eq!(r["error"]["step"], "tls-handshake", "{r}");
    assert_eq!(
        r["error"]["message"],
        "the TLS handshake did not finish within 1 s"
    );
    assert!(took < Duration::from_secs(6), "took {took:?}");
}

#[test]
fn garbage_instead_of_tls_is_a_tls_error_not_a_panic() {
    let fake = starttls_then(|s| {
        let mut hello = [0u8; 512];
        let _ = s.read(&mut hello);
        send(s, "HTTP/1.1 400 Bad Request\r\n\r\n");
        std::thread::sleep(Duration::from_millis(500));
    });
    let (r, _, code) = probe(fake.port, &["--reply-timeout", "3"]);
    assert_eq!(code, 1);
    assert_eq!(r["error"]["step"], "tls-handshake", "{r}");
}

#[test]
fn text_injected_after_the_starttls_reply_is_refused() {
    let fake = Fake::start(|mut s| {
        let mut log = Vec::new();
        send(&mut s, "220 fake.test ESMTP\r\n");
        read_line(&mut s, &mut log);
        send(&mut s, "250-fake.test\r\n250 STARTTLS\r\n");
        read_line(&mut s, &mut log);
        send(&mut s, "220 Go ahead\r\n250 injected\r\n");
        std::thread::sleep(Duration::from_millis(500));
        log
    });
    let (r, _, _) = probe(fake.port, &["--reply-timeout", "3"]);
    assert_eq!(r["error"]["step"], "starttls", "{r}");
    assert!(
        r["error"]["message"].as_str().unwrap().contains("RFC 3207"),
        "{r}"
    );
}

#[test]
fn a_closed_port_fails_at_connect() {
    let port = crate::kit::free_port();
    let (r, took, code) = probe(port, &["--connect-timeout", "2"]);
    assert_eq!(code, 1);
    assert_eq!(r["error"]["step"], "connect", "{r}");
    assert!(took < Duration::from_secs(4));
}

#[test]
fn control_characters_and_bidi_overrides_from_the_server_are_cleaned() {
    let fake = Fake::start(|mut s| {
        let mut log = Vec::new();
        send(
            &mut s,
            "220 \u{1b}[2J\u{1b}]0;pwned\u{7}evil\u{202e}txt.exe\r\n",
        );
        read_line(&mut s, &mut log);
        send(&mut s, "250 fake.test\r\n");
        read_line(&mut s, &mut log);
        send(&mut s, "221 bye\r\n");
        log
    });
    let target = format!("127.0.0.1:{}", fake.port);
    let (out, _) = relaycheck(&["probe", "smtp", &target, "--reply-timeout", "3"], &[]);
    let text = stdout(&out);
    assert!(text.contains("evil"), "{text}");
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{7}') && !text.contains('\u{202e}'),
        "{text:?}"
    );
    assert!(text.contains("Stopped at STARTTLS"), "{text}");
}
