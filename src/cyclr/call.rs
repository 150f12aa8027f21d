//! Proxy calls to connector methods: what is asked, what was sent and what came back.

use super::error::{ApiError, AuthSuspect};
use super::http::{RawResponse, SentRequest};
use bytes::Bytes;
use std::fmt;
use std::time::Duration;

/// How a method is addressed in the proxy path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MethodRef {
    /// The numeric method id, pinned to one connector release.
    Id(i64),
    /// The `MethodUniqueIdentifier` GUID, which follows the latest release.
    Guid(String),
}

impl MethodRef {
    /// All digits is an `Id`; anything else is sent as a GUID (the server judges its format).
    #[must_use]
    pub fn parse(s: &str) -> MethodRef {
        let s = s.trim();
        match s.parse::<i64>() {
            Ok(id) if s.bytes().all(|b| b.is_ascii_digit()) => MethodRef::Id(id),
            _ => MethodRef::Guid(s.to_string()),
        }
    }
}

impl fmt::Display for MethodRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MethodRef::Id(id) => write!(f, "{id}"),
            MethodRef::Guid(guid) => f.write_str(guid),
        }
    }
}

/// Which proxy endpoint runs the method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Endpoint {
    /// `…/methods/{methodId}`: run it and return the third party's response.
    #[default]
    Call,
    /// `…/test/{methodId}`: Cyclr's "test a connector method".
    Test,
    /// `…/methods/{methodId}/body`: the body is passed through as a raw string.
    RawBody,
}

/// The HTTP verb of a proxy call: POST with a body, or the legacy GET without one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Verb {
    #[default]
    Post,
    Get,
}

/// The content type of a body sent as it is (the `…/methods/{methodId}/body` endpoint).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ContentType {
    #[default]
    Json,
    Xml,
    Text,
}

impl ContentType {
    /// The `Content-Type` header value.
    #[must_use]
    pub fn mime(self) -> &'static str {
        match self {
            ContentType::Json => "application/json",
            ContentType::Xml => "application/xml",
            ContentType::Text => "text/plain",
        }
    }

    /// The next one in the cycle JSON → XML → text.
    #[must_use]
    pub fn next(self) -> ContentType {
        match self {
            ContentType::Json => ContentType::Xml,
            ContentType::Xml => ContentType::Text,
            ContentType::Text => ContentType::Json,
        }
    }

    /// Reads `json`, `xml`, `text` or a MIME type.
    pub fn parse(s: &str) -> Result<ContentType, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "json" | "application/json" => Ok(ContentType::Json),
            "xml" | "application/xml" | "text/xml" => Ok(ContentType::Xml),
            "text" | "text/plain" => Ok(ContentType::Text),
            other => Err(format!(
                "unknown content type '{}': use json, xml or text",
                crate::text::inert(other)
            )),
        }
    }
}

/// A response body kept in a temporary file because it was too large to hold; the file goes
/// when the last copy of this handle does.
#[derive(Debug, Clone)]
pub struct KeptBody(pub std::sync::Arc<tempfile::TempPath>);

impl KeptBody {
    /// Where the body is.
    #[must_use]
    pub fn path(&self) -> &std::path::Path {
        &self.0
    }
}

impl PartialEq for KeptBody {
    fn eq(&self, other: &Self) -> bool {
        self.path() == other.path()
    }
}

impl Eq for KeptBody {}

/// One proxy call to make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallRequest {
    pub account_connector_id: i64,
    pub method: MethodRef,
    pub endpoint: Endpoint,
    pub verb: Verb,
    /// The body: JSON (`{"Parameters":{…},"Fields":{…}}`) for the call and test endpoints,
    /// anything for the raw-body endpoint; not sent with GET.
    pub body: String,
    /// The body's content type (JSON except for raw bodies).
    pub content_type: ContentType,
}

impl CallRequest {
    /// A call of method `method_id` on an account connector with an empty body
    /// (`{"Parameters":{},"Fields":{}}`): how a lookup's method is called.
    #[must_use]
    pub fn empty_call(account_connector_id: i64, method_id: i64) -> CallRequest {
        CallRequest {
            account_connector_id,
            method: MethodRef::Id(method_id),
            endpoint: Endpoint::Call,
            verb: Verb::Post,
            body: r#"{"Parameters":{},"Fields":{}}"#.to_string(),
            content_type: ContentType::Json,
        }
    }

    pub(crate) fn path_segments(&self) -> Vec<String> {
        let id = self.account_connector_id.to_string();
        let method = self.method.to_string();
        let base = ["v1.0", "account", "connectors", &id];
        let tail: &[&str] = match self.endpoint {
            Endpoint::Call => &["methods", &method],
            Endpoint::Test => &["test", &method],
            Endpoint::RawBody => &["methods", &method, "body"],
        };
        base.iter()
            .chain(tail)
            .map(std::string::ToString::to_string)
            .collect()
    }

    /// `POST` or `GET`.
    #[must_use]
    pub fn http_method_name(&self) -> &'static str {
        match (self.endpoint, self.verb) {
            (Endpoint::RawBody, _) | (_, Verb::Post) => "POST",
            (_, Verb::Get) => "GET",
        }
    }

    /// The path the request goes to, e.g. `/v1.0/account/connectors/7/methods/42`.
    #[must_use]
    pub fn path(&self) -> String {
        format!("/{}", self.path_segments().join("/"))
    }

    pub(crate) fn http_method(&self) -> reqwest::Method {
        match (self.endpoint, self.verb) {
            (Endpoint::RawBody, _) | (_, Verb::Post) => reqwest::Method::POST,
            (_, Verb::Get) => reqwest::Method::GET,
        }
    }

    pub(crate) fn body_bytes(&self) -> Option<Bytes> {
        (self.http_method() == reqwest::Method::POST && !self.body.trim().is_empty())
            .then(|| Bytes::from(self.body.clone()))
    }
}

/// Everything a viewer needs about one proxy call's response.
#[derive(Debug, Clone)]
pub struct CallResponse {
    pub status: u16,
    pub reason: String,
    pub headers: Vec<(String, String)>,
    pub elapsed: Duration,
    /// The body exactly as received (it may be JSON, text, HTML or binary).
    pub body: Bytes,
    pub request: SentRequest,
    /// A body past the size cap, kept in a temporary file (deleted when the last copy of this
    /// response goes); `body` is empty then.
    pub kept: Option<KeptBody>,
    /// The body's length in bytes (also when it was kept in a file).
    pub body_len: u64,
    /// What a 401 from this call would most likely mean.
    suspect: AuthSuspect,
}

impl CallResponse {
    /// A response from its parts, for tools and benchmarks (the client builds real ones).
    pub fn from_parts(
        status: u16,
        reason: impl Into<String>,
        headers: Vec<(String, String)>,
        elapsed: Duration,
        body: Bytes,
        request: SentRequest,
    ) -> Self {
        CallResponse {
            status,
            reason: reason.into(),
            headers,
            elapsed,
            body_len: body.len() as u64,
            body,
            request,
            kept: None,
            suspect: AuthSuspect::StaticToken,
        }
    }

    pub(crate) fn from_raw(raw: RawResponse, suspect: AuthSuspect) -> Self {
        let headers = raw
            .headers
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        CallResponse {
            status: raw.status,
            reason: raw.reason,
            headers,
            elapsed: raw.elapsed,
            body: raw.body,
            body_len: raw.body_len,
            request: raw.sent,
            kept: raw.spilled.map(|path| KeptBody(std::sync::Arc::new(path))),
            suspect,
        }
    }

    /// The first header of that name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// True for 2xx statuses.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The error this response stands for, if its status is ≥ 300.
    pub fn error(&self) -> Option<ApiError> {
        match self.status {
            300..=399 => Some(ApiError::CrossHostRedirect {
                location: crate::text::inert(
                    self.header("location").unwrap_or("no Location header"),
                )
                .into_owned(),
            }),
            400.. => Some(ApiError::from_status(
                self.status,
                &self.reason,
                self.header("retry-after"),
                &self.body,
                || self.suspect.clone(),
            )),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn method_refs_and_paths() {
        assert_eq!(MethodRef::parse(" 42 "), MethodRef::Id(42));
        assert_eq!(MethodRef::parse("+42"), MethodRef::Guid("+42".into()));
        let req = CallRequest {
            account_connector_id: 7,
            method: MethodRef::parse("a/b"),
            endpoint: Endpoint::RawBody,
            verb: Verb::Get,
            body: "{}".into(),
            content_type: ContentType::Json,
        };
        assert_eq!(
            req.path_segments(),
            [
                "v1.0",
                "account",
                "connectors",
                "7",
                "methods",
                "a/b",
                "body"
            ]
        );
        assert_eq!(req.http_method(), reqwest::Method::POST);
    }
}
