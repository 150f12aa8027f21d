//! The HTTP plumbing the client's parts share: where a body goes and how it is read under a
//! cap, URLs built from segments, and reqwest failures turned into transport errors.

use super::error::{ApiError, TransportKind};
use bytes::{Bytes, BytesMut};
use reqwest::header::{HeaderMap, LOCATION};
use std::path::{Path, PathBuf};
use std::time::Duration;
use url::Url;

/// The request exactly as sent, with the access token masked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SentRequest {
    pub method: String,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
    /// True when the first attempt got a 401 and this one used a fresh token.
    pub retried_after_refresh: bool,
}

/// Where a response body goes.
pub(crate) enum Sink {
    /// Into memory, up to the configured cap.
    Memory,
    /// Into a file, without a cap.
    File(PathBuf),
}

/// A response read in full, before it is judged.
pub(crate) struct RawResponse {
    pub status: u16,
    pub reason: String,
    pub headers: HeaderMap,
    /// The body (empty when it went to a file).
    pub body: Bytes,
    /// Bytes received.
    pub body_len: u64,
    pub elapsed: Duration,
    pub sent: SentRequest,
}

/// Reads the body into memory, refusing it once it passes `limit` bytes.
pub(crate) async fn read_capped(
    response: &mut reqwest::Response,
    limit: u64,
    url: &Url,
) -> Result<(Bytes, u64), ApiError> {
    let announced = response.content_length();
    if announced.is_some_and(|len| len > limit) {
        return Err(ApiError::TooLarge { limit });
    }
    // Sized once when the length is known, so a big body is not copied while growing.
    let mut body = BytesMut::with_capacity(announced.unwrap_or(0) as usize);
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| transport_error(&e, url))?
    {
        if (body.len() + chunk.len()) as u64 > limit {
            return Err(ApiError::TooLarge { limit });
        }
        body.extend_from_slice(&chunk);
    }
    let len = body.len() as u64;
    Ok((body.freeze(), len))
}

/// Streams the body into a new file at `path`.
pub(crate) async fn write_to_file(
    response: &mut reqwest::Response,
    path: &Path,
    url: &Url,
) -> Result<u64, ApiError> {
    use tokio::io::AsyncWriteExt;
    let io_error =
        |e: std::io::Error| ApiError::LocalIo(format!("cannot write {}: {e}", path.display()));
    let mut file = tokio::fs::File::create(path).await.map_err(io_error)?;
    let mut written = 0u64;
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| transport_error(&e, url))?
    {
        file.write_all(&chunk).await.map_err(io_error)?;
        written += chunk.len() as u64;
    }
    file.flush().await.map_err(io_error)?;
    Ok(written)
}

/// `base` with `segments` appended to its path, each one percent-encoded.
pub(crate) fn endpoint(base: &Url, segments: &[&str]) -> Url {
    let mut url = base.clone();
    url.set_query(None);
    if let Ok(mut path) = url.path_segments_mut() {
        path.pop_if_empty().extend(segments);
    }
    url
}

/// A header's value, when it is text.
pub(crate) fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// A redirect that was not followed, as an error naming where it pointed.
pub(crate) fn redirect_error(headers: &HeaderMap) -> ApiError {
    ApiError::CrossHostRedirect {
        location: crate::text::inert(
            header_str(headers, LOCATION.as_str()).unwrap_or("no Location header"),
        )
        .into_owned(),
    }
}

/// Words of rustls's error messages (and TLS in general) that mark a failed handshake.
const TLS_WORDS: &[&str] = &[
    "certificate",
    "tls",
    "handshake",
    "corrupt message",
    "peer is incompatible",
    "peer misbehaved",
    "fatal alert",
    "unexpected message",
    "decrypt error",
];

/// Maps a reqwest failure to a transport error of the right kind.
pub(crate) fn transport_error(e: &reqwest::Error, url: &Url) -> ApiError {
    let mut chain = Vec::new();
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = source {
        chain.push(err.to_string());
        source = err.source();
    }
    let all = chain.join(": ").to_lowercase();
    let kind = if e.is_timeout() || all.contains("timed out") {
        if e.is_connect() {
            TransportKind::ConnectTimeout
        } else {
            TransportKind::Timeout
        }
    } else if all.contains("dns error")
        || all.contains("failed to lookup")
        || all.contains("name or service not known")
    {
        TransportKind::Dns
    } else if all.contains("connection refused") {
        TransportKind::Refused
    } else if TLS_WORDS.iter().any(|w| all.contains(w)) {
        TransportKind::Tls
    } else if e.is_body()
        || e.is_decode()
        || all.contains("reset")
        || all.contains("closed")
        || all.contains("incomplete")
    {
        TransportKind::Interrupted
    } else {
        TransportKind::Other
    };
    let detail = chain.last().cloned().unwrap_or_default();
    let mut shown = url.clone();
    shown.set_query(None);
    ApiError::Transport {
        kind,
        url: shown.to_string(),
        detail: crate::text::truncate(&crate::text::inert(&detail), 200).into_owned(),
    }
}
