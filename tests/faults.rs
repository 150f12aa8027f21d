//! Network faults the client, the command line and the explorer must survive. Each test runs
//! a small server made for one fault, on 127.0.0.1 only (plain tokio listeners writing raw
//! HTTP/1.1, or wiremock where it fits), and checks three things: the failure is the right
//! `ApiError` with a clear one-line message, it comes within the configured timeout, and the
//! same client's next request works once the server behaves. Tests wait on outcomes under a
//! guard, never on the clock; only the servers pause.

use assert_cmd::Command;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use cyclr_tui::app::{App, Connection, Loadable, Outcome};
use cyclr_tui::cyclr::{ApiError, ClientConfig, Credentials, CyclrClient, Secret, TransportKind};
use cyclr_tui::runtime::Runtime;
use futures::channel::mpsc::{UnboundedReceiver, UnboundedSender, unbounded};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::fmt::Debug;
use std::net::SocketAddr;
use std::process::Output;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::task::JoinHandle;
use tokio::time::timeout;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls;
use tokio_rustls::rustls::pki_types::PrivatePkcs8KeyDer;
use url::Url;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The client's connect timeout in every test (the CLI's `--connect-timeout 1`).
const CONNECT_TIMEOUT: Duration = Duration::from_secs(1);
/// The client's whole-request timeout in every test (the CLI's `--timeout 2`).
const TIMEOUT: Duration = Duration::from_secs(2);
/// What a failure may take beyond its timeout (scheduling, process start, a busy CI machine).
const SLACK: Duration = Duration::from_millis(1500);
/// Longest a test waits for any outcome before calling it a hang.
const GUARD: Duration = Duration::from_secs(15);
/// Longest a fault server keeps one connection busy, so that every server ends by itself.
const SERVER_LIMIT: Duration = Duration::from_secs(20);

const ACCOUNT: &str = "acme-prod";
const TOKEN_PATH: &str = "/oauth/token";
const CONNECTORS_PATH: &str = "/v1.0/account/connectors";
/// Account connector 1, method 501: what the explorer calls after Enter, Enter, F5.
const CALL_PATH: &str = "/v1.0/account/connectors/1/methods/501";
const CONNECTOR: &str = r#"{"Id":1,"Name":"Faulty CRM","Authenticated":true,"Connector":{"Id":77,"Name":"CRM","Version":"1.0"}}"#;
const METHODS: &str = r#"[{"Id":501,"Name":"List Things","Category":"Things"}]"#;
const CALL_RESULT: &str = r#"{"things":[1,2,3]}"#;
const TOKEN: &str = r#"{"access_token":"fresh","token_type":"bearer","expires_in":3600}"#;
const HTML_500: &str = "<!DOCTYPE html><html><head><title>500 Internal Server Error</title>\
                        </head><body><h1>Internal Server Error</h1></body></html>";

// ---------------------------------------------------------------------------------------
// Servers
// ---------------------------------------------------------------------------------------

/// A server task on 127.0.0.1; dropping it stops accepting (connections in progress end by
/// themselves within [`SERVER_LIMIT`]).
struct Server {
    url: String,
    counters: Arc<Counters>,
    accept: JoinHandle<()>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.accept.abort();
    }
}

/// What a server saw and did.
#[derive(Default)]
struct Counters {
    /// Requests read (or TLS handshakes completed).
    requests: AtomicUsize,
    /// Body bytes a fault wrote into the socket.
    body_bytes: AtomicUsize,
}

impl Counters {
    fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

async fn loopback() -> TcpListener {
    TcpListener::bind("127.0.0.1:0").await.unwrap()
}

/// One way for a raw server to misbehave, played on the socket after reading a request.
#[derive(Debug, Clone, Copy)]
enum Fault {
    /// [`stall_mid_body`]
    StallMidBody,
    /// [`reset_mid_body`]
    ResetMidBody,
    /// [`endless_flood`]
    EndlessFlood,
    /// [`endless_trickle`]
    EndlessTrickle,
    /// [`html_500`]
    Html500,
}

/// Which requests get the fault: the first `times` for `path` (query ignored).
struct Plan {
    fault: Fault,
    path: &'static str,
    times: AtomicUsize,
}

impl Plan {
    /// True (once per remaining time) when the request for `path` gets the fault.
    fn takes(&self, path: &str) -> bool {
        path == self.path
            && self
                .times
                .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                .is_ok()
    }
}

/// A plain HTTP/1.1 server that answers like a healthy Cyclr (keep-alive, JSON, one account
/// connector), except the first `times` requests for `path`, which get `fault`.
async fn faulty(fault: Fault, path: &'static str, times: usize) -> Server {
    serve(loopback().await, fault, path, times)
}

/// A healthy Cyclr on a listener made elsewhere, e.g. on a port that was failing.
fn healthy(listener: TcpListener) -> Server {
    serve(listener, Fault::Html500, "", 0)
}

/// [`faulty`] on a listener made elsewhere.
fn serve(listener: TcpListener, fault: Fault, path: &'static str, times: usize) -> Server {
    let url = format!("http://{}", listener.local_addr().unwrap());
    let plan = Arc::new(Plan {
        fault,
        path,
        times: AtomicUsize::new(times),
    });
    let counters = Arc::new(Counters::default());
    let shared = counters.clone();
    let accept = tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(serve_connection(stream, plan.clone(), shared.clone()));
        }
    });
    Server {
        url,
        counters,
        accept,
    }
}

async fn serve_connection(mut stream: TcpStream, plan: Arc<Plan>, counters: Arc<Counters>) {
    let mut buffer = Vec::new();
    while let Some(path) = read_request(&mut stream, &mut buffer).await {
        counters.requests.fetch_add(1, Ordering::SeqCst);
        if plan.takes(&path) {
            return match plan.fault {
                Fault::StallMidBody => stall_mid_body(stream).await,
                Fault::ResetMidBody => reset_mid_body(stream).await,
                Fault::EndlessFlood => endless_flood(stream, &counters.body_bytes).await,
                Fault::EndlessTrickle => endless_trickle(stream).await,
                Fault::Html500 => html_500(stream).await,
            };
        }
        let (status, body) = match path.as_str() {
            TOKEN_PATH => ("200 OK", TOKEN.to_string()),
            CONNECTORS_PATH => ("200 OK", format!("[{CONNECTOR}]")),
            "/v1.0/account/connectors/1" => ("200 OK", CONNECTOR.to_string()),
            "/v1.0/connectors/77/methods" => ("200 OK", METHODS.to_string()),
            CALL_PATH => ("200 OK", CALL_RESULT.to_string()),
            _ => ("404 Not Found", r#"{"Message":"not found"}"#.to_string()),
        };
        let reply = format!(
            "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nTotal-Pages: 1\r\n\
             Content-Length: {}\r\n\r\n{body}",
            body.len()
        );
        if stream.write_all(reply.as_bytes()).await.is_err() {
            return;
        }
    }
}

/// Reads one request (head, then any `Content-Length` body) and returns its path without the
/// query; `None` at the end of the stream, on garbage, or after [`SERVER_LIMIT`] of silence.
async fn read_request(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<String> {
    let read = async {
        let mut chunk = [0u8; 8192];
        let head_end = loop {
            if let Some(i) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                break i + 4;
            }
            let n = stream.read(&mut chunk).await.ok().filter(|n| *n > 0)?;
            buffer.extend_from_slice(&chunk[..n]);
            if buffer.len() > 64 * 1024 {
                return None;
            }
        };
        let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
        let body_len = head
            .lines()
            .filter_map(|line| line.split_once(':'))
            .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
            .and_then(|(_, value)| value.trim().parse::<usize>().ok())
            .unwrap_or(0);
        while buffer.len() < head_end + body_len {
            let n = stream.read(&mut chunk).await.ok().filter(|n| *n > 0)?;
            buffer.extend_from_slice(&chunk[..n]);
        }
        buffer.drain(..head_end + body_len);
        let target = head.split_whitespace().nth(1)?;
        Some(target.split('?').next().unwrap_or(target).to_string())
    };
    timeout(SERVER_LIMIT, read).await.ok().flatten()
}

/// The head of a JSON response announcing 1000 bytes, and the first few of them.
const PARTIAL_BODY: &str = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\
                            Content-Length: 1000\r\n\r\n[{\"Id\":1,\"Name\":\"Fau";

/// Announces a 1000-byte body, sends a few bytes of it, then goes quiet until the client
/// hangs up (at most [`SERVER_LIMIT`]).
async fn stall_mid_body(mut stream: TcpStream) {
    if stream.write_all(PARTIAL_BODY.as_bytes()).await.is_ok() {
        let mut sink = [0u8; 1024];
        let until_hang_up =
            async { while matches!(stream.read(&mut sink).await, Ok(n) if n > 0) {} };
        let _ = timeout(SERVER_LIMIT, until_hang_up).await;
    }
}

/// Announces a 1000-byte body, sends a few bytes of it, then resets the connection: with
/// `SO_LINGER` 0, closing sends RST instead of FIN.
async fn reset_mid_body(mut stream: TcpStream) {
    let _ = stream.write_all(PARTIAL_BODY.as_bytes()).await;
    let _ = stream.flush().await;
    stream.set_zero_linger().unwrap();
    drop(stream);
}

/// A chunked body that never ends, 16 KiB chunks as fast as the client takes them; stops
/// when the client hangs up, after 256 MiB, or after [`SERVER_LIMIT`]; counts what it wrote.
async fn endless_flood(mut stream: TcpStream, written: &AtomicUsize) {
    let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\
                Transfer-Encoding: chunked\r\n\r\n";
    let mut chunk = format!("{:x}\r\n", 16 * 1024).into_bytes();
    chunk.extend(std::iter::repeat_n(b' ', 16 * 1024));
    chunk.extend_from_slice(b"\r\n");
    let flood = async {
        if stream.write_all(head.as_bytes()).await.is_ok() {
            for _ in 0..16 * 1024 {
                if stream.write_all(&chunk).await.is_err() {
                    break;
                }
                written.fetch_add(16 * 1024, Ordering::SeqCst);
            }
        }
    };
    let _ = timeout(SERVER_LIMIT, flood).await;
}

/// A chunked body that never ends, one byte every 100 ms; stops when the client hangs up or
/// after [`SERVER_LIMIT`].
async fn endless_trickle(mut stream: TcpStream) {
    let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\
                Transfer-Encoding: chunked\r\n\r\n";
    let trickle = async {
        if stream.write_all(head.as_bytes()).await.is_ok() {
            while stream.write_all(b"1\r\n \r\n").await.is_ok() {
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    };
    let _ = timeout(SERVER_LIMIT, trickle).await;
}

/// A 500 whose body is an HTML error page, as a proxy in front of the API sends; closes.
async fn html_500(mut stream: TcpStream) {
    let reply = format!(
        "HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/html\r\nConnection: close\r\n\
         Content-Length: {}\r\n\r\n{HTML_500}",
        HTML_500.len()
    );
    let _ = stream.write_all(reply.as_bytes()).await;
}

/// An https server whose certificate is self-signed, made here with rcgen for 127.0.0.1: no
/// client trusts it, so every handshake fails (and would otherwise be answered healthily).
async fn self_signed_https() -> Server {
    let certified =
        rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_string(), "localhost".to_string()])
            .unwrap();
    let key = PrivatePkcs8KeyDer::from(certified.signing_key.serialize_der());
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![certified.cert.der().clone()], key.into())
        .unwrap();
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let listener = loopback().await;
    let url = format!("https://{}", listener.local_addr().unwrap());
    let counters = Arc::new(Counters::default());
    let shared = counters.clone();
    let accept = tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            let counters = shared.clone();
            tokio::spawn(async move {
                if let Ok(Ok(mut tls)) = timeout(SERVER_LIMIT, acceptor.accept(stream)).await {
                    counters.requests.fetch_add(1, Ordering::SeqCst);
                    let reply = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n[]";
                    let _ = tls.write_all(reply.as_bytes()).await;
                }
            });
        }
    });
    Server {
        url,
        counters,
        accept,
    }
}

/// A plain HTTP server that answers whatever arrives first (a TLS `ClientHello` included) with
/// an HTTP/1.1 400 and closes: what an https URL pointed at an http port meets. Its URL says
/// https.
async fn plain_http_for_https() -> Server {
    let listener = loopback().await;
    let url = format!("https://{}", listener.local_addr().unwrap());
    let counters = Arc::new(Counters::default());
    let shared = counters.clone();
    let accept = tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            shared.requests.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                let mut hello = [0u8; 4096];
                if let Ok(Ok(n)) = timeout(SERVER_LIMIT, stream.read(&mut hello)).await
                    && n > 0
                {
                    let reply = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\
                                 Connection: close\r\n\r\n";
                    let _ = stream.write_all(reply.as_bytes()).await;
                }
            });
        }
    });
    Server {
        url,
        counters,
        accept,
    }
}

/// A listener on 127.0.0.1 that never accepts, its backlog of 0 already filled by connections
/// held here, so the kernel drops the next SYN and a connect hangs until the client gives up.
/// Filling stops at the first connection that cannot complete itself, which proves the
/// queue is full on this kernel (Linux admits backlog + 1, then drops SYNs).
struct Unaccepting {
    listener: TcpListener,
    url: String,
    held: Vec<TcpStream>,
}

impl Unaccepting {
    async fn start() -> Unaccepting {
        let socket = TcpSocket::new_v4().unwrap();
        socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
        let listener = socket.listen(0).unwrap();
        let addr = listener.local_addr().unwrap();
        let mut held = Vec::new();
        while let Ok(connected) =
            timeout(Duration::from_millis(300), TcpStream::connect(addr)).await
        {
            held.push(connected.unwrap());
            assert!(
                held.len() < 64,
                "the listen queue never filled: this kernel does not drop SYNs to a full queue"
            );
        }
        Unaccepting {
            listener,
            url: format!("http://{addr}"),
            held,
        }
    }

    /// Lets go of the held connections, takes them off the queue (so the next SYN is not
    /// dropped), and serves like a healthy Cyclr on the same port.
    async fn recover(self) -> Server {
        let Unaccepting { listener, held, .. } = self;
        let queued = held.len();
        drop(held);
        for _ in 0..queued {
            drop(listener.accept().await.unwrap());
        }
        healthy(listener)
    }
}

/// A base URL whose host name cannot resolve, without a query leaving the machine: a
/// 64-character label is longer than DNS allows, so the system resolver gives up locally (a
/// name like no-such-host.invalid would be sent to the configured name server). Plain http,
/// because with https rustls refuses such a name as an SNI server name before any lookup.
fn unresolvable() -> String {
    format!("http://{}.invalid", "a".repeat(64))
}

/// A free port on 127.0.0.1 that nothing listens on (yet).
async fn closed_port() -> SocketAddr {
    loopback().await.local_addr().unwrap()
}

// ---------------------------------------------------------------------------------------
// Client helpers
// ---------------------------------------------------------------------------------------

fn config(base: &str, credentials: Credentials) -> ClientConfig {
    let mut config =
        ClientConfig::new(Url::parse(base).unwrap(), Some(ACCOUNT.into()), credentials);
    config.connect_timeout = CONNECT_TIMEOUT;
    config.timeout = TIMEOUT;
    config
}

/// A client for `base` with a static token and the short timeouts.
fn client(base: &str) -> CyclrClient {
    CyclrClient::new(config(base, Credentials::Token(Secret::new("tok")))).unwrap()
}

fn client_credentials() -> Credentials {
    Credentials::ClientCredentials {
        client_id: "cid".into(),
        client_secret: Secret::new("s3cr3t"),
        scope: None,
    }
}

/// Runs `future` under [`GUARD`]; its output and how long it took.
async fn timed<F: Future>(future: F) -> (F::Output, Duration) {
    let started = Instant::now();
    let output = timeout(GUARD, future)
        .await
        .unwrap_or_else(|_| panic!("no outcome within {GUARD:?}: a hang"));
    (output, started.elapsed())
}

/// Asserts a transport error of `kind` with a one-line message that names the kind and
/// contains `words`; returns the message.
fn transport<T: Debug>(result: Result<T, ApiError>, kind: TransportKind, words: &[&str]) -> String {
    let err = result.expect_err("the request should fail");
    let message = err.to_string();
    assert!(
        matches!(&err, ApiError::Transport { kind: k, .. } if *k == kind),
        "expected {kind:?}, got {err:?}"
    );
    assert_eq!(message.lines().count(), 1, "{message}");
    assert!(message.starts_with(&kind.to_string()), "{message}");
    for word in words {
        assert!(message.contains(word), "{message} should mention {word}");
    }
    assert_eq!(err.exit_code(), 3);
    message
}

/// Asserts `took` is within `limit` plus [`SLACK`].
fn within(took: Duration, limit: Duration) {
    assert!(took < limit + SLACK, "took {took:?}, limit {limit:?}");
}

/// Asserts the client stopped reading an endless body early: the flood got no further than
/// the sockets' buffers (a few MiB on loopback), far from the 256 MiB it offers.
fn assert_stopped_reading(server: &Server) {
    let written = server.counters.body_bytes.load(Ordering::SeqCst);
    assert!(
        written < 32 * 1024 * 1024,
        "the client read {written} bytes of an endless body instead of stopping at its cap"
    );
}

/// Asserts the client's next request (the connector list) works.
async fn next_request_works(client: &CyclrClient) {
    let (result, _) = timed(client.account_connectors()).await;
    let connectors = result.expect("the next request should work");
    assert_eq!(connectors.len(), 1);
    assert_eq!(connectors[0].id, Some(1));
}

// ---------------------------------------------------------------------------------------
// The client
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn client_dns_failure() {
    let client = client(&unresolvable());
    // The client's base URL is the fault itself, so "the next request" can only fail the
    // same way, just as fast: nothing was left cached or stuck.
    for _ in 0..2 {
        let (result, took) = timed(client.account_connectors()).await;
        transport(
            result,
            TransportKind::Dns,
            &["host name not found", ".invalid"],
        );
        within(took, CONNECT_TIMEOUT);
    }
}

#[tokio::test]
async fn client_refused_then_the_server_comes_back() {
    let addr = closed_port().await;
    let client = client(&format!("http://{addr}"));
    let (result, took) = timed(client.account_connectors()).await;
    transport(result, TransportKind::Refused, &["connection refused"]);
    within(took, CONNECT_TIMEOUT);
    let _server = healthy(TcpListener::bind(addr).await.unwrap());
    next_request_works(&client).await;
}

#[tokio::test]
async fn client_self_signed_certificate_fails_the_tls_handshake() {
    let server = self_signed_https().await;
    let client = client(&server.url);
    // The certificate stays untrusted: the next request fails the same way, just as fast.
    for _ in 0..2 {
        let (result, took) = timed(client.account_connectors()).await;
        transport(
            result,
            TransportKind::Tls,
            &["TLS handshake failed", "certificate"],
        );
        within(took, CONNECT_TIMEOUT);
    }
    assert_eq!(server.counters.requests(), 0, "no handshake");
}

#[tokio::test]
async fn client_plain_http_answering_https_is_a_tls_failure() {
    let server = plain_http_for_https().await;
    let client = client(&server.url);
    let (result, took) = timed(client.account_connectors()).await;
    transport(result, TransportKind::Tls, &["TLS handshake failed"]);
    within(took, CONNECT_TIMEOUT);
    assert!(server.counters.requests() >= 1);
}

#[tokio::test]
async fn client_connect_timeout_then_the_listener_accepts() {
    let stuck = Unaccepting::start().await;
    let client = client(&stuck.url);
    let (result, took) = timed(client.account_connectors()).await;
    transport(
        result,
        TransportKind::ConnectTimeout,
        &["connect timed out"],
    );
    assert!(
        took >= CONNECT_TIMEOUT
            .checked_sub(Duration::from_millis(100))
            .unwrap(),
        "{took:?}"
    );
    within(took, CONNECT_TIMEOUT);
    let _server = stuck.recover().await;
    next_request_works(&client).await;
}

#[tokio::test]
async fn client_server_stops_sending_mid_body() {
    let server = faulty(Fault::StallMidBody, CONNECTORS_PATH, 1).await;
    let client = client(&server.url);
    let (result, took) = timed(client.account_connectors()).await;
    transport(result, TransportKind::Timeout, &["request timed out"]);
    within(took, TIMEOUT);
    next_request_works(&client).await;
    assert_eq!(server.counters.requests(), 2);
}

#[tokio::test]
async fn client_connection_reset_mid_body() {
    let server = faulty(Fault::ResetMidBody, CONNECTORS_PATH, 1).await;
    let client = client(&server.url);
    let (result, took) = timed(client.account_connectors()).await;
    transport(
        result,
        TransportKind::Interrupted,
        &["connection lost while reading the response"],
    );
    assert!(took < TIMEOUT, "a reset needs no timeout: {took:?}");
    next_request_works(&client).await;
    assert_eq!(server.counters.requests(), 2);
}

#[tokio::test]
async fn client_endless_body_stops_at_the_size_cap() {
    let server = faulty(Fault::EndlessFlood, CONNECTORS_PATH, 1).await;
    let mut config = config(&server.url, Credentials::Token(Secret::new("tok")));
    config.max_body_bytes = 64 * 1024;
    let client = CyclrClient::new(config).unwrap();
    let (result, took) = timed(client.account_connectors()).await;
    let err = result.unwrap_err();
    assert!(
        matches!(err, ApiError::TooLarge { limit: 65536 }),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "the response is larger than the 65536-byte cap; raise --max-body or save it with the CLI"
    );
    assert!(
        took < TIMEOUT,
        "the cap, not the timeout, ends it: {took:?}"
    );
    assert_stopped_reading(&server);
    next_request_works(&client).await;
}

#[tokio::test]
async fn client_endless_token_response_stops_at_the_size_cap() {
    // A token response is a few hundred bytes; an endless one must be cut like any other
    // body, not read into memory until the timeout.
    let server = faulty(Fault::EndlessFlood, TOKEN_PATH, 1).await;
    let mut config = config(&server.url, client_credentials());
    config.max_body_bytes = 64 * 1024;
    let client = CyclrClient::new(config).unwrap();
    let (result, took) = timed(client.account_connectors()).await;
    let err = result.unwrap_err();
    assert!(
        matches!(err, ApiError::Token { .. } | ApiError::TooLarge { .. }),
        "{err:?}"
    );
    assert_eq!(err.to_string().lines().count(), 1, "{err}");
    within(took, TIMEOUT);
    assert_stopped_reading(&server);
    next_request_works(&client).await;
}

#[tokio::test]
async fn client_endless_trickle_stops_at_the_timeout() {
    let server = faulty(Fault::EndlessTrickle, CONNECTORS_PATH, 1).await;
    let client = client(&server.url);
    let (result, took) = timed(client.account_connectors()).await;
    transport(result, TransportKind::Timeout, &["request timed out"]);
    assert!(
        took >= TIMEOUT.checked_sub(Duration::from_millis(100)).unwrap(),
        "{took:?}"
    );
    within(took, TIMEOUT);
    next_request_works(&client).await;
}

#[tokio::test]
async fn client_token_endpoint_that_breaks_mid_body() {
    for (fault, words) in [
        (
            Fault::ResetMidBody,
            "connection lost while reading the response",
        ),
        (Fault::StallMidBody, "request timed out"),
        (Fault::EndlessTrickle, "request timed out"),
    ] {
        let server = faulty(fault, TOKEN_PATH, 1).await;
        let client = CyclrClient::new(config(&server.url, client_credentials())).unwrap();
        let (result, took) = timed(client.account_connectors()).await;
        let err = result.unwrap_err();
        let message = err.to_string();
        assert!(
            matches!(err, ApiError::Token { status: None, .. }),
            "{fault:?}: {err:?}"
        );
        assert!(message.starts_with("token request failed: "), "{message}");
        assert!(message.contains(words), "{fault:?}: {message}");
        assert!(!message.contains("s3cr3t"), "{message}");
        assert_eq!(message.lines().count(), 1, "{message}");
        assert_eq!(err.exit_code(), 3);
        within(took, TIMEOUT);
        next_request_works(&client).await;
    }
}

#[tokio::test]
async fn client_http_faults_are_not_retried_and_the_next_request_works() {
    let html = ResponseTemplate::new(502)
        .insert_header("content-type", "text/html")
        .set_body_string("<html><head><title>502 Bad Gateway</title></head></html>");
    let cases = [
        (
            ResponseTemplate::new(429)
                .insert_header("Retry-After", "30")
                .set_body_json(serde_json::json!({"Message": "Too many requests"})),
            "429 Too Many Requests: Too many requests; retry after 30",
        ),
        (html, "502 Bad Gateway: the server sent an HTML error page"),
        (
            ResponseTemplate::new(200).set_body_bytes(vec![b'[', 0xff, 0xfe, b']']),
            "the response could not be read as JSON",
        ),
    ];
    for (fault, expected) in cases {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path(CONNECTORS_PATH))
            .respond_with(fault)
            .up_to_n_times(1)
            .with_priority(1)
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path(CONNECTORS_PATH))
            .respond_with(ResponseTemplate::new(200).set_body_string(format!("[{CONNECTOR}]")))
            .mount(&server)
            .await;
        let client = client(&server.uri());
        let (result, _) = timed(client.account_connectors()).await;
        let message = result.unwrap_err().to_string();
        assert!(message.starts_with(expected), "{message}");
        assert_eq!(message.lines().count(), 1, "{message}");
        // Exactly one request: nothing was retried behind the caller's back.
        assert_eq!(server.received_requests().await.unwrap().len(), 1);
        next_request_works(&client).await;
    }
}

// ---------------------------------------------------------------------------------------
// The command line
// ---------------------------------------------------------------------------------------

/// Runs `cyclr-tui --timeout 2 --connect-timeout 1 ARGS` against `instance` with `env` (a
/// static token and an account by default), off the async workers so in-process servers keep
/// serving; its output and how long it took.
async fn run_cli(instance: &str, env: &[(&str, &str)], args: &[&str]) -> (Output, Duration) {
    let mut cmd = Command::cargo_bin("cyclr-tui").unwrap();
    for var in [
        "CYCLR_TOKEN",
        "CYCLR_CLIENT_ID",
        "CYCLR_CLIENT_SECRET",
        "CYCLR_LOG",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("CYCLR_CONFIG", "/nonexistent/cyclr-tui-tests/config.toml")
        .env("CYCLR_INSTANCE", instance)
        .env("CYCLR_ACCOUNT", ACCOUNT)
        .args(["--timeout", "2", "--connect-timeout", "1"])
        .args(args)
        .timeout(GUARD);
    if env.is_empty() {
        cmd.env("CYCLR_TOKEN", "tok");
    }
    for (name, value) in env {
        cmd.env(name, value);
    }
    timed(async move {
        tokio::task::spawn_blocking(move || cmd.output().unwrap())
            .await
            .unwrap()
    })
    .await
}

/// Asserts the exit code, nothing on stdout, and one stderr line containing `words`.
fn exits(output: &Output, code: i32, words: &[&str]) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(code), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("error: "), "{stderr}");
    for word in words {
        assert!(stderr.contains(word), "{stderr} should mention {word}");
    }
    assert!(output.stdout.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn cli_dns_failure_is_exit_3() {
    let (output, took) = run_cli(&unresolvable(), &[], &["--allow-http", "connectors"]).await;
    exits(&output, 3, &["host name not found"]);
    within(took, CONNECT_TIMEOUT);
}

#[tokio::test(flavor = "multi_thread")]
async fn cli_tls_failures_are_exit_3() {
    let server = self_signed_https().await;
    let (output, took) = run_cli(&server.url, &[], &["connectors"]).await;
    exits(&output, 3, &["TLS handshake failed", "certificate"]);
    within(took, CONNECT_TIMEOUT);
    let server = plain_http_for_https().await;
    let (output, took) = run_cli(&server.url, &[], &["connectors"]).await;
    exits(&output, 3, &["TLS handshake failed"]);
    within(took, CONNECT_TIMEOUT);
}

#[tokio::test(flavor = "multi_thread")]
async fn cli_connect_timeout_is_exit_3() {
    let stuck = Unaccepting::start().await;
    let (output, took) = run_cli(&stuck.url, &[], &["connectors"]).await;
    exits(&output, 3, &["connect timed out"]);
    within(took, CONNECT_TIMEOUT);
}

#[tokio::test(flavor = "multi_thread")]
async fn cli_server_stops_sending_mid_body_is_exit_3() {
    let server = faulty(Fault::StallMidBody, CONNECTORS_PATH, 1).await;
    let (output, took) = run_cli(&server.url, &[], &["connectors"]).await;
    exits(&output, 3, &["request timed out"]);
    within(took, TIMEOUT);
}

#[tokio::test(flavor = "multi_thread")]
async fn cli_connection_reset_mid_body_is_exit_3() {
    let server = faulty(Fault::ResetMidBody, CALL_PATH, 1).await;
    let (output, took) = run_cli(&server.url, &[], &["call", "1", "501"]).await;
    exits(&output, 3, &["connection lost while reading the response"]);
    within(took, TIMEOUT);
}

#[tokio::test(flavor = "multi_thread")]
async fn cli_endless_body_is_cut_at_max_body_or_the_timeout() {
    let server = faulty(Fault::EndlessFlood, CALL_PATH, 1).await;
    let (output, took) = run_cli(&server.url, &[], &["--max-body", "1", "call", "1", "501"]).await;
    exits(&output, 1, &["larger than the 1048576-byte cap"]);
    within(took, TIMEOUT);
    let server = faulty(Fault::EndlessTrickle, CONNECTORS_PATH, 1).await;
    let (output, took) = run_cli(&server.url, &[], &["connectors"]).await;
    exits(&output, 3, &["request timed out"]);
    within(took, TIMEOUT);
}

#[tokio::test(flavor = "multi_thread")]
async fn cli_token_endpoint_that_never_finishes_is_exit_3() {
    let server = faulty(Fault::EndlessTrickle, TOKEN_PATH, 1).await;
    let env = [
        ("CYCLR_CLIENT_ID", "cid"),
        ("CYCLR_CLIENT_SECRET", "s3cr3t"),
    ];
    let (output, took) = run_cli(&server.url, &env, &["connectors"]).await;
    exits(&output, 3, &["token request failed", "request timed out"]);
    within(took, TIMEOUT);
}

#[tokio::test(flavor = "multi_thread")]
async fn cli_http_faults_are_exit_1_with_one_line() {
    let denied = || {
        ResponseTemplate::new(401)
            .set_body_json(serde_json::json!({"Message": "Authorization has been denied."}))
    };
    let token = || ResponseTemplate::new(200).set_body_string(TOKEN);
    // (token endpoint, connectors, expected line, requests the server should see)
    let cases = [
        (
            token(),
            ResponseTemplate::new(429).insert_header("Retry-After", "30"),
            "retry after 30",
            2,
        ),
        (
            token(),
            ResponseTemplate::new(500).set_body_string(HTML_500),
            "500 Internal Server Error: the server sent an HTML error page",
            2,
        ),
        (
            token(),
            ResponseTemplate::new(200).set_body_bytes(vec![0xff, 0xfe, 0x00]),
            "the response could not be read as JSON",
            2,
        ),
        (
            ResponseTemplate::new(200).set_body_string("<html>login</html>"),
            ResponseTemplate::new(200),
            "token request failed: the token endpoint answered 200 but its body is not JSON",
            1,
        ),
        (
            ResponseTemplate::new(503).set_body_string("down for maintenance"),
            ResponseTemplate::new(200),
            "token request failed: 503 down for maintenance",
            1,
        ),
        // A revoked credential: one refresh, then a clear 401, no loop (the fifth request
        // asks whether the token works at partner level, to blame the token, not the account).
        (token(), denied(), "freshly issued token was refused", 5),
    ];
    for (token_reply, connectors_reply, expected, requests) in cases {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path(TOKEN_PATH))
            .respond_with(token_reply)
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path(CONNECTORS_PATH))
            .respond_with(connectors_reply)
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path(format!("/v1.0/accounts/{ACCOUNT}")))
            .respond_with(denied())
            .mount(&server)
            .await;
        let env = [
            ("CYCLR_CLIENT_ID", "cid"),
            ("CYCLR_CLIENT_SECRET", "s3cr3t"),
        ];
        let (output, took) = run_cli(&server.uri(), &env, &["connectors"]).await;
        exits(&output, 1, &[expected]);
        within(took, TIMEOUT);
        assert_eq!(
            server.received_requests().await.unwrap().len(),
            requests,
            "{expected}"
        );
    }
}

// ---------------------------------------------------------------------------------------
// The explorer
// ---------------------------------------------------------------------------------------

type Events = UnboundedReceiver<std::io::Result<Event>>;

/// The real explorer loop on a `TestBackend`, fed keys through a channel (as in
/// `tests/flow.rs`), talking to `base` with the short timeouts.
struct Harness {
    runtime: Runtime<TestBackend, Events>,
    keys: UnboundedSender<std::io::Result<Event>>,
}

impl Harness {
    fn start(config: ClientConfig) -> Harness {
        let connection = Connection {
            demo: false,
            instance: config.base_url.to_string(),
            account: ACCOUNT.into(),
            ..Default::default()
        };
        let client = CyclrClient::new(config).unwrap();
        let (keys, events) = unbounded();
        let terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
        let runtime = Runtime::new(terminal, App::new(connection), events, client);
        Harness { runtime, keys }
    }

    fn key(&self, code: KeyCode) {
        let key = KeyEvent::new(code, KeyModifiers::NONE);
        self.keys.unbounded_send(Ok(Event::Key(key))).unwrap();
    }

    /// Runs the loop until `done` holds, for at most [`GUARD`].
    async fn until(&mut self, what: &str, done: impl Fn(&App) -> bool) {
        match timeout(GUARD, self.runtime.run_until(done)).await {
            Ok(Ok(true)) => {}
            other => panic!("waiting for {what}: {other:?}\n{}", self.screen()),
        }
    }

    fn screen(&self) -> String {
        let buffer = self.runtime.terminal().backend().buffer();
        buffer
            .content
            .chunks(buffer.area.width as usize)
            .map(|row| {
                row.iter()
                    .map(ratatui::buffer::Cell::symbol)
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn connectors_error(&self) -> Option<String> {
        match &self.runtime.app().connectors.items {
            Loadable::Failed(e) => Some(e.to_string()),
            _ => None,
        }
    }

    /// From the loaded connector list: Enter, Enter opens method 501 in the editor.
    async fn open_the_method(&mut self) {
        self.until("connectors", |app| app.connectors.items.ready().is_some())
            .await;
        self.key(KeyCode::Enter);
        self.until("methods", |app| app.methods.items.ready().is_some())
            .await;
        self.key(KeyCode::Enter);
        self.until("the editor", |app| app.editor.target.is_some())
            .await;
    }
}

fn response_status(app: &App) -> Option<u16> {
    app.response.doc().map(|d| d.response.status)
}

#[tokio::test(flavor = "multi_thread")]
async fn tui_connectors_html_500_then_r_reloads() {
    let server = faulty(Fault::Html500, CONNECTORS_PATH, 1).await;
    let mut h = Harness::start(config(&server.url, Credentials::Token(Secret::new("t"))));
    h.until("the failure", |app| {
        matches!(app.connectors.items, Loadable::Failed(_))
    })
    .await;
    assert_eq!(
        h.connectors_error().as_deref(),
        Some("500 Internal Server Error: the server sent an HTML error page")
    );
    let screen = h.screen();
    assert!(screen.contains("Could not load"), "{screen}");
    assert!(!screen.contains("<title>"), "{screen}");
    h.key(KeyCode::Char('r'));
    h.until("the reload", |app| app.connectors.items.ready().is_some())
        .await;
    assert!(h.screen().contains("Faulty CRM"), "{}", h.screen());
}

#[tokio::test(flavor = "multi_thread")]
async fn tui_connectors_refused_then_r_reloads() {
    let addr = closed_port().await;
    let base = format!("http://{addr}");
    let mut h = Harness::start(config(&base, Credentials::Token(Secret::new("t"))));
    h.until("the failure", |app| {
        matches!(app.connectors.items, Loadable::Failed(_))
    })
    .await;
    let error = h.connectors_error().unwrap();
    assert!(error.starts_with("connection refused: "), "{error}");
    assert!(h.screen().contains("Could not load"), "{}", h.screen());
    let _server = healthy(TcpListener::bind(addr).await.unwrap());
    h.key(KeyCode::Char('r'));
    h.until("the reload", |app| app.connectors.items.ready().is_some())
        .await;
    assert!(h.screen().contains("Faulty CRM"), "{}", h.screen());
}

#[tokio::test(flavor = "multi_thread")]
async fn tui_call_reset_mid_body_then_the_next_call_works() {
    let server = faulty(Fault::ResetMidBody, CALL_PATH, 1).await;
    let mut h = Harness::start(config(&server.url, Credentials::Token(Secret::new("t"))));
    h.open_the_method().await;
    h.key(KeyCode::F(5));
    h.until("the failure", |app| {
        matches!(app.response.outcome(), Some(Outcome::Failed(_)))
    })
    .await;
    let outcome = h.runtime.app().response.outcome().cloned();
    assert!(
        matches!(&outcome, Some(Outcome::Failed(e)) if e.to_string().starts_with("connection lost while reading the response")),
        "{outcome:?}"
    );
    let screen = h.screen();
    assert!(screen.contains("No response:"), "{screen}");
    assert!(screen.contains("connection lost"), "{screen}");
    h.key(KeyCode::F(5));
    h.until("the next call", |app| response_status(app) == Some(200))
        .await;
    assert!(h.screen().contains("200 OK"), "{}", h.screen());
    assert!(h.screen().contains("\"things\""), "{}", h.screen());
}

#[tokio::test(flavor = "multi_thread")]
async fn tui_endless_call_body_stops_at_the_cap_then_the_next_call_works() {
    let server = faulty(Fault::EndlessFlood, CALL_PATH, 1).await;
    let mut config = config(&server.url, Credentials::Token(Secret::new("t")));
    config.max_body_bytes = 64 * 1024;
    let mut h = Harness::start(config);
    h.open_the_method().await;
    h.key(KeyCode::F(5));
    h.until("the cap", |app| {
        matches!(app.response.outcome(), Some(Outcome::TooLarge { .. }))
    })
    .await;
    let outcome = h.runtime.app().response.outcome().cloned();
    assert!(
        // Kept in a temporary file up to 8 times the cap; an endless body passes that too.
        matches!(&outcome, Some(Outcome::TooLarge { message, kept: None }) if message.contains("524288-byte cap")),
        "{outcome:?}"
    );
    assert!(h.screen().contains("larger than"), "{}", h.screen());
    h.key(KeyCode::F(5));
    h.until("the next call", |app| response_status(app) == Some(200))
        .await;
}
