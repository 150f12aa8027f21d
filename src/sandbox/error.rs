//! Startup errors ([`SandboxError`]) and Cyclr-style HTTP error responses ([`ApiError`]).

use std::net::SocketAddr;
use std::path::PathBuf;

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// Why the sandbox could not start.
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    /// The listening socket could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address that was asked for.
        addr: SocketAddr,
        /// The operating-system error.
        source: std::io::Error,
    },
    /// A data file could not be read from the data directory.
    #[error("cannot read sandbox data file {}: {source}", path.display())]
    ReadData {
        /// Full path of the file.
        path: PathBuf,
        /// The operating-system error.
        source: std::io::Error,
    },
    /// A data file was read but its content is not valid.
    #[error("bad sandbox data file {file}: {reason}")]
    BadData {
        /// File name (e.g. `connectors.json`).
        file: String,
        /// What is wrong with it.
        reason: String,
    },
}

/// An error answered as `{"Message": "..."}` with a status code, like Cyclr's .NET API.
#[derive(Debug, Clone)]
pub(crate) struct ApiError {
    pub status: StatusCode,
    pub message: String,
}

/// The message Cyclr uses for a missing, invalid or expired bearer token.
pub(crate) const DENIED: &str = "Authorization has been denied for this request.";

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
        }
    }
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, message)
    }
    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, message)
    }
    pub fn denied() -> Self {
        Self::unauthorized(DENIED)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        message_response(self.status, &self.message)
    }
}

/// A `{"Message": ...}` JSON response.
pub(crate) fn message_response(status: StatusCode, message: &str) -> Response {
    (status, Json(serde_json::json!({ "Message": message }))).into_response()
}
