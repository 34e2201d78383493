//! TLS for the probes (rustls with ring). The server's certificate is not judged here: a
//! verifier records the chain the server presents and lets the handshake go on, and
//! relaycheck's own certificate facts judge it afterwards ([`super::judge`]), exactly as
//! `check` judges a file. The handshake signatures are still verified, so the chain
//! recorded is the one whose key the server holds. The handshake is driven record by
//! record, within the reply timeout.

use std::io::{self, Write};
use std::net::TcpStream;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{ClientConfig, ClientConnection, DigitallySignedStruct, SignatureScheme, StreamOwned};

use super::dialogue::{Stream, io_error, is_timeout, seconds};
use super::{ProbeError, Step, TlsInfo};

/// The chain as the server presented it (DER, leaf first), shared with the verifier.
type Seen = Arc<Mutex<Vec<Vec<u8>>>>;

#[derive(Debug)]
struct RecordingVerifier {
    seen: Seen,
    algorithms: WebPkiSupportedAlgorithms,
}

impl ServerCertVerifier for RecordingVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        seen.clear();
        seen.push(end_entity.to_vec());
        seen.extend(intermediates.iter().map(|c| c.to_vec()));
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

/// The certificate (and chain) and key `probe relay` presents as the TLS client. The key
/// is never printed; it is wiped when dropped (rustls zeroises `PrivateKeyDer`).
pub struct ClientIdentity {
    pub chain: Vec<Vec<u8>>,
    key: PrivateKeyDer<'static>,
}

impl std::fmt::Debug for ClientIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientIdentity")
            .field("chain", &self.chain.len())
            .field("key", &"(hidden)")
            .finish()
    }
}

impl ClientIdentity {
    /// From a PKCS#12 entry: the key is a PKCS#8 PrivateKeyInfo.
    pub fn from_pkcs8(chain: Vec<Vec<u8>>, pkcs8: &[u8]) -> Self {
        ClientIdentity {
            chain,
            key: PrivateKeyDer::Pkcs8(pkcs8.to_vec().into()),
        }
    }

    /// From a PEM key (PKCS#8, PKCS#1 or SEC1); `None` when it holds no key.
    pub fn from_pem_key(chain: Vec<Vec<u8>>, pem: &[u8]) -> Option<Self> {
        use rustls::pki_types::pem::PemObject;
        let key = PrivateKeyDer::from_pem_slice(pem).ok()?;
        Some(ClientIdentity { chain, key })
    }
}

/// The TLS stream after the handshake.
pub type TlsStream = StreamOwned<ClientConnection, TcpStream>;

impl Stream for TlsStream {
    fn socket(&self) -> &TcpStream {
        &self.sock
    }
}

/// What the handshake left: the stream (or why it failed) and the chain the server
/// presented (recorded even when the handshake failed after it).
pub struct Handshake {
    pub result: Result<(TlsStream, TlsInfo), ProbeError>,
    pub chain: Vec<Vec<u8>>,
}

/// ring, the workspace's crypto crate. rustls 0.23.48 deprecates its ring provider for
/// lacking post-quantum key exchange; a probe records a session once and keeps no secret,
/// so classical key exchange is no loss here, and ring keeps one crypto crate in the build.
#[allow(deprecated)]
fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// Runs the TLS handshake on `sock` for `host`, presenting `identity` when given.
pub fn handshake(
    sock: TcpStream,
    host: &str,
    identity: Option<&ClientIdentity>,
    timeout: Duration,
) -> Handshake {
    let seen: Seen = Arc::default();
    let result = run(sock, host, identity, timeout, &seen);
    let chain = seen.lock().unwrap_or_else(|p| p.into_inner()).clone();
    Handshake { result, chain }
}

fn run(
    mut sock: TcpStream,
    host: &str,
    identity: Option<&ClientIdentity>,
    timeout: Duration,
    seen: &Seen,
) -> Result<(TlsStream, TlsInfo), ProbeError> {
    let step = Step::TlsHandshake;
    let provider = provider();
    let verifier = Arc::new(RecordingVerifier {
        seen: Arc::clone(seen),
        algorithms: provider.signature_verification_algorithms,
    });
    let builder = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| ProbeError::new(step, e.to_string()))?
        .dangerous()
        .with_custom_certificate_verifier(verifier);
    let config = match identity {
        None => builder.with_no_client_auth(),
        Some(id) => builder
            .with_client_auth_cert(
                id.chain
                    .iter()
                    .map(|c| CertificateDer::from(c.clone()))
                    .collect(),
                id.key.clone_key(),
            )
            .map_err(|e| {
                ProbeError::new(step, format!("the client certificate cannot be used: {e}"))
            })?,
    };
    let name = match host.parse::<std::net::IpAddr>() {
        Ok(ip) => ServerName::IpAddress(ip.into()),
        Err(_) => ServerName::try_from(host.to_string())
            .map_err(|e| ProbeError::new(step, format!("{host} as a TLS name: {e}")))?,
    };
    let mut conn = ClientConnection::new(Arc::new(config), name)
        .map_err(|e| ProbeError::new(step, e.to_string()))?;
    let deadline = Instant::now() + timeout;
    while conn.is_handshaking() {
        while conn.wants_write() {
            conn.write_tls(&mut sock).map_err(|e| write_error(&e))?;
        }
        if !conn.is_handshaking() {
            break;
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(slow(timeout));
        }
        sock.set_read_timeout(Some(left))
            .map_err(|e| ProbeError::new(step, e.to_string()))?;
        match conn.read_tls(&mut sock) {
            Ok(0) => {
                return Err(ProbeError::new(
                    step,
                    "the server closed the connection in the middle of the TLS handshake",
                ));
            }
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) if is_timeout(&e) => return Err(slow(timeout)),
            Err(e) => return Err(io_error(step, &e)),
        }
        if let Err(e) = conn.process_new_packets() {
            // Tell the server why, as TLS does; it may already be gone.
            let _ = conn.write_tls(&mut sock);
            return Err(ProbeError::new(
                step,
                format!(
                    "TLS failed: {}",
                    relaycheck_core::text::clean_line(&e.to_string())
                ),
            ));
        }
    }
    while conn.wants_write() {
        conn.write_tls(&mut sock).map_err(|e| write_error(&e))?;
    }
    let info = TlsInfo {
        version: match conn.protocol_version() {
            Some(rustls::ProtocolVersion::TLSv1_3) => "TLSv1.3".to_string(),
            Some(rustls::ProtocolVersion::TLSv1_2) => "TLSv1.2".to_string(),
            Some(v) => format!("{v:?}"),
            None => "unknown".to_string(),
        },
        cipher: conn
            .negotiated_cipher_suite()
            .map_or_else(|| "unknown".to_string(), |s| format!("{:?}", s.suite())),
    };
    Ok((StreamOwned::new(conn, sock), info))
}

fn slow(timeout: Duration) -> ProbeError {
    ProbeError::new(
        Step::TlsHandshake,
        format!(
            "the TLS handshake did not finish within {}",
            seconds(timeout)
        ),
    )
}

fn write_error(e: &io::Error) -> ProbeError {
    io_error(Step::TlsHandshake, e)
}

/// Ends the TLS session politely (close_notify), ignoring a server already gone.
pub fn close(stream: &mut TlsStream) {
    stream.conn.send_close_notify();
    let _ = stream.conn.write_tls(&mut stream.sock);
    let _ = stream.flush();
    let _ = stream.sock.shutdown(std::net::Shutdown::Both);
}
