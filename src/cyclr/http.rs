//! The HTTP plumbing the client's parts share: where a body goes and how it is read under a
//! cap, URLs built from segments, and reqwest failures turned into transport errors.

use super::error::{ApiError, TransportKind};
use bytes::{Bytes, BytesMut};
use reqwest::header::{HeaderMap, LOCATION};
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
    /// Into memory up to the cap; past it, everything into a temporary file (up to
    /// [`SPILL_FACTOR`] times the cap), so a body too large to show is kept, not fetched again.
    Spill,
}

/// A spilled body may be this many times the memory cap.
pub(crate) const SPILL_FACTOR: u64 = 8;

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
    /// The body, when it went past the cap with [`Sink::Spill`] (then `body` is empty).
    pub spilled: Option<tempfile::TempPath>,
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

/// Reads the body into memory up to `limit`; past it, writes what was read and the rest into
/// a temporary file (refused past `spill_limit`). Returns the body in memory, its length,
/// and the file when it spilled.
pub(crate) async fn read_or_spill(
    response: &mut reqwest::Response,
    limit: u64,
    spill_limit: u64,
    url: &Url,
) -> Result<(Bytes, u64, Option<tempfile::TempPath>), ApiError> {
    use tokio::io::AsyncWriteExt;
    let io_error = |e: std::io::Error| ApiError::LocalIo(format!("cannot keep the body: {e}"));
    let announced = response.content_length();
    if announced.is_some_and(|len| len > spill_limit) {
        return Err(ApiError::TooLarge { limit: spill_limit });
    }
    let mut body = BytesMut::with_capacity(announced.unwrap_or(0).min(limit) as usize);
    let mut file: Option<(tokio::fs::File, tempfile::TempPath)> = None;
    let mut len = 0u64;
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| transport_error(&e, url))?
    {
        len += chunk.len() as u64;
        if len > spill_limit {
            return Err(ApiError::TooLarge { limit: spill_limit });
        }
        if file.is_none() && len > limit {
            let temp = tempfile::Builder::new()
                .prefix("cyclr-tui-body-")
                .tempfile()
                .map_err(io_error)?;
            let (std_file, path) = temp.into_parts();
            let mut out = tokio::fs::File::from_std(std_file);
            out.write_all(&body).await.map_err(io_error)?;
            body = BytesMut::new();
            file = Some((out, path));
        }
        match &mut file {
            Some((out, _)) => out.write_all(&chunk).await.map_err(io_error)?,
            None => body.extend_from_slice(&chunk),
        }
    }
    match file {
        Some((mut out, path)) => {
            out.flush().await.map_err(io_error)?;
            Ok((Bytes::new(), len, Some(path)))
        }
        None => Ok((body.freeze(), len, None)),
    }
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
