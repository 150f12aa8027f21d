//! Everything that can go wrong talking to Cyclr, as one enum with short human messages.

use crate::text;
use bytes::Bytes;
use std::fmt;

/// What kind of network failure happened before any HTTP status was seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransportKind {
    /// The host name could not be resolved.
    Dns,
    /// Nothing listens at that address.
    Refused,
    /// The TLS handshake failed (certificate or protocol).
    Tls,
    /// No connection within the connect timeout.
    ConnectTimeout,
    /// The whole request took longer than the request timeout.
    Timeout,
    /// The connection broke while the response was being read.
    Interrupted,
    /// Any other transport failure.
    Other,
}

impl fmt::Display for TransportKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TransportKind::Dns => "host name not found",
            TransportKind::Refused => "connection refused",
            TransportKind::Tls => "TLS handshake failed",
            TransportKind::ConnectTimeout => "connect timed out",
            TransportKind::Timeout => "request timed out",
            TransportKind::Interrupted => "connection lost while reading the response",
            TransportKind::Other => "network error",
        })
    }
}

/// What a 401 most likely means, judged from what was sent. Worded without naming flags or
/// variables: each face (explorer, command line) adds what the user can do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthSuspect {
    /// An account-level call went without an account (no `X-Cyclr-Account`).
    NoAccount,
    /// The account named in `X-Cyclr-Account` is unknown to these credentials (or the token
    /// is not valid for it). `looks_like_name` when the value looks like an account's name
    /// rather than its API ID or GUID; `token_works` when the token was seen to work at
    /// partner level, which leaves only the account.
    Account {
        account: String,
        looks_like_name: bool,
        token_works: bool,
    },
    /// A static access token was refused.
    StaticToken,
    /// A token fetched just now with the client credentials was refused too.
    IssuedToken,
}

impl fmt::Display for AuthSuspect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AuthSuspect::NoAccount => f.write_str(
                "no account was named: account-level calls need the account's API ID in X-Cyclr-Account",
            ),
            AuthSuspect::Account {
                account,
                looks_like_name: true,
                ..
            } => write!(
                f,
                "'{}' looks like an account's name: X-Cyclr-Account needs the account's API ID or GUID",
                text::inert(account)
            ),
            AuthSuspect::Account {
                account,
                token_works: true,
                ..
            } => write!(
                f,
                "no account '{}' for these credentials (X-Cyclr-Account needs the account's API ID or GUID; the token itself works)",
                text::inert(account)
            ),
            AuthSuspect::Account { account, .. } => write!(
                f,
                "no account '{}' for these credentials (X-Cyclr-Account needs the account's API ID or GUID), or the token is not valid for it",
                text::inert(account)
            ),
            AuthSuspect::StaticToken => {
                f.write_str("the access token is likely expired, revoked or for another instance")
            }
            AuthSuspect::IssuedToken => f.write_str(
                "a freshly issued token was refused too: the client credentials may be revoked, or lack access to this account",
            ),
        }
    }
}

/// A failed Cyclr API request. Messages are one line, safe to print (server text is escaped).
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The HTTP client itself could not be set up (no usable TLS backend, say).
    #[error("cannot start the HTTP client: {0}")]
    HttpClient(String),
    /// No HTTP response: DNS, refused, TLS, timeout, broken connection.
    #[error("{kind}: {url} ({detail})")]
    Transport {
        kind: TransportKind,
        url: String,
        detail: String,
    },
    /// `/oauth/token` did not give a usable token.
    #[error("token request failed: {message}")]
    Token {
        status: Option<u16>,
        message: String,
    },
    /// 401: the token or the account header was refused.
    #[error("401 Unauthorized: {message}; {suspect}")]
    Unauthorized {
        message: String,
        suspect: AuthSuspect,
    },
    /// 403 from the proxy/test endpoints: the caller's IP is not on Cyclr's allow-list.
    #[error(
        "403 Forbidden: {message}. Standard connectors can only be called from IP addresses on \
         Cyclr's allow-list: ask Cyclr support to add this machine's IP, or call a partner \
         connector (IsPartnerIntegrationConnector), which is exempt"
    )]
    IpNotAllowed { message: String },
    /// 404: unknown account, connector, account connector or method.
    #[error("404 Not Found: {message}")]
    NotFound { message: String },
    /// 429: slow down; `retry_after` is the server's `Retry-After`, shown, never retried blindly.
    #[error("429 Too Many Requests: {message}{}", retry_after.as_ref().map(|r| format!("; retry after {r}")).unwrap_or_default())]
    RateLimited {
        retry_after: Option<String>,
        message: String,
    },
    /// 5xx from Cyclr or the third party behind it.
    #[error("{status} {reason}: {message}")]
    Server {
        status: u16,
        reason: String,
        message: String,
    },
    /// Any other status ≥ 400 (400 validation errors, 409, …).
    #[error("{status} {reason}: {message}")]
    Status {
        status: u16,
        reason: String,
        message: String,
    },
    /// A 2xx body that is not the JSON expected; the bytes are kept.
    #[error("the response could not be read as {expected}: {detail}")]
    Decode {
        expected: &'static str,
        detail: String,
        body: Bytes,
    },
    /// The response body passed the size cap and was not read further.
    #[error(
        "the response is larger than the {limit}-byte cap; raise --max-body or save it with the CLI"
    )]
    TooLarge { limit: u64 },
    /// A local file could not be written (saving a body).
    #[error("{0}")]
    LocalIo(String),
    /// A redirect pointed at another host; it was not followed, so no credential left.
    #[error(
        "refused to follow a redirect to another host ({location}); credentials are never sent there"
    )]
    CrossHostRedirect { location: String },
}

impl ApiError {
    /// The CLI's exit code: 1 HTTP status ≥ 400 or bad response, 2 configuration, 3 network.
    pub fn exit_code(&self) -> i32 {
        match self {
            ApiError::HttpClient(_) | ApiError::LocalIo(_) => 2,
            ApiError::Transport { .. } | ApiError::Token { status: None, .. } => 3,
            _ => 1,
        }
    }

    /// The HTTP status behind this error, if one was received.
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Unauthorized { .. } => Some(401),
            ApiError::IpNotAllowed { .. } => Some(403),
            ApiError::NotFound { .. } => Some(404),
            ApiError::RateLimited { .. } => Some(429),
            ApiError::Server { status, .. } | ApiError::Status { status, .. } => Some(*status),
            ApiError::Token { status, .. } => *status,
            _ => None,
        }
    }

    /// Classifies a response with status ≥ 400. `suspect` explains a 401 in this context.
    pub fn from_status(
        status: u16,
        reason: &str,
        retry_after: Option<&str>,
        body: &[u8],
        suspect: impl FnOnce() -> AuthSuspect,
    ) -> ApiError {
        let message = match message_from_body(body) {
            // An HTML page titled like the status itself adds nothing but its kind.
            Some(m) if m.ends_with(" (HTML page)") && m.contains(&status.to_string()) => {
                "the server sent an HTML error page".to_string()
            }
            Some(m) => m,
            None => reason.to_string(),
        };
        let reason = reason.to_string();
        match status {
            401 => ApiError::Unauthorized {
                message: message.trim_end_matches('.').to_string(),
                suspect: suspect(),
            },
            403 if message.contains("Unknown client IP") => ApiError::IpNotAllowed { message },
            404 => ApiError::NotFound { message },
            429 => ApiError::RateLimited {
                retry_after: retry_after.map(|r| text::inert(r).into_owned()),
                message,
            },
            500..=599 => ApiError::Server {
                status,
                reason,
                message,
            },
            _ => ApiError::Status {
                status,
                reason,
                message,
            },
        }
    }
}

/// Error bodies larger than this are not parsed as JSON; only their start is looked at.
const MESSAGE_SCAN_BYTES: usize = 64 * 1024;

/// The human message in an error body: Cyclr's `{"Message"}` (also `ExceptionMessage`,
/// OAuth's `error_description`/`error`), an HTML `<title>`, or the first line of text.
/// Escaped for display and cut to a readable length. Cheap for any body size.
#[must_use]
pub fn message_from_body(body: &[u8]) -> Option<String> {
    let head = &body[..body.len().min(MESSAGE_SCAN_BYTES)];
    let text = String::from_utf8_lossy(head);
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return None;
    }
    let json = (body.len() <= MESSAGE_SCAN_BYTES)
        .then(|| serde_json::from_str::<serde_json::Value>(trimmed).ok())
        .flatten();
    let found: &str = if let Some(serde_json::Value::Object(map)) = &json {
        let keys = [
            "Message",
            "message",
            "ExceptionMessage",
            "error_description",
            "error",
        ];
        let message = keys
            .iter()
            .find_map(|k| map.get(*k).and_then(|v| v.as_str()))
            .unwrap_or(trimmed);
        return Some(shown(&with_details(message, map)));
    } else if let Some(title) = html_title(trimmed) {
        return Some(format!("{} (HTML page)", shown(title)));
    } else {
        trimmed.lines().next().unwrap_or_default()
    };
    Some(shown(found))
}

/// `message` with what ASP.NET adds to it: the `ModelState` errors (`member: error`) and the
/// `ExceptionMessage` when it says more than the message.
fn with_details(message: &str, map: &serde_json::Map<String, serde_json::Value>) -> String {
    let mut details = Vec::new();
    if let Some(serde_json::Value::Object(state)) = map.get("ModelState") {
        for (member, errors) in state {
            let errors: Vec<&str> = match errors {
                serde_json::Value::Array(list) => list.iter().filter_map(|e| e.as_str()).collect(),
                serde_json::Value::String(one) => vec![one.as_str()],
                _ => Vec::new(),
            };
            if !errors.is_empty() {
                details.push(format!("{member}: {}", errors.join("; ")));
            }
        }
    }
    if let Some(exception) = map.get("ExceptionMessage").and_then(|v| v.as_str())
        && exception != message
    {
        details.push(exception.to_string());
    }
    if details.is_empty() {
        message.to_string()
    } else {
        format!("{} ({})", message.trim_end(), details.join("; "))
    }
}

/// At most 300 characters of `s`, trimmed and made inert.
fn shown(s: &str) -> String {
    let cut = text::truncate(s.trim(), 300);
    text::inert(&cut).into_owned()
}

fn html_title(s: &str) -> Option<&str> {
    let lower = s.get(..s.len().min(4096))?.to_ascii_lowercase();
    let start = lower.find("<title>")? + "<title>".len();
    let end = start + lower[start..].find("</title>")?;
    s.get(start..end).map(str::trim).filter(|t| !t.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extracts_messages_from_json_html_and_text() {
        assert_eq!(
            message_from_body(br#"{"Message":"ID already in use"}"#).unwrap(),
            "ID already in use"
        );
        assert_eq!(
            message_from_body(br#"{"error":"invalid_client"}"#).unwrap(),
            "invalid_client"
        );
        assert_eq!(
            message_from_body(b"<html><head><title>502 Bad Gateway</title></head></html>").unwrap(),
            "502 Bad Gateway (HTML page)"
        );
        assert_eq!(message_from_body(b"oops\nmore").unwrap(), "oops");
        assert_eq!(
            message_from_body(
                br#"{"Message":"The request is invalid.","ModelState":{"request.Name":["Name is required"],"request.Id":["ID already in use","too long"]}}"#
            )
            .unwrap(),
            "The request is invalid. (request.Name: Name is required; request.Id: ID already in use; too long)"
        );
        assert_eq!(
            message_from_body(
                br#"{"Message":"An error has occurred.","ExceptionMessage":"Object reference not set to an instance of an object.","ExceptionType":"System.NullReferenceException"}"#
            )
            .unwrap(),
            "An error has occurred. (Object reference not set to an instance of an object.)"
        );
        assert_eq!(message_from_body(b"  "), None);
        assert_eq!(message_from_body(b"\x1b[2Jboom").unwrap(), "\\x1b[2Jboom");
        assert_eq!(
            message_from_body(&[0xff, 0xfe, b'x']).unwrap(),
            "\u{fffd}\u{fffd}x"
        );
    }

    #[test]
    fn classifies_statuses() {
        let ip = br#"{"Message":"Unknown client IP Address: contact support to request access for this IP address"}"#;
        assert!(matches!(
            ApiError::from_status(403, "Forbidden", None, ip, || AuthSuspect::StaticToken),
            ApiError::IpNotAllowed { .. }
        ));
        assert!(matches!(
            ApiError::from_status(403, "Forbidden", None, b"", || AuthSuspect::StaticToken),
            ApiError::Status { status: 403, .. }
        ));
        let e = ApiError::from_status(429, "Too Many Requests", Some("30"), b"", || {
            AuthSuspect::StaticToken
        });
        assert!(e.to_string().contains("retry after 30"));
        assert_eq!(
            ApiError::from_status(502, "Bad Gateway", None, b"", || AuthSuspect::StaticToken)
                .exit_code(),
            1
        );
    }
}
