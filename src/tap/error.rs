//! TAP errors, answered as DALI error documents: a VOTable with QUERY_STATUS=ERROR.

use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TapError {
    pub status: StatusCode,
    pub message: String,
}

impl TapError {
    /// A request the client can fix: bad parameters, an invalid query (DALI 1.1 §4.2: 400).
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
        }
    }

    /// The server could not do what it should have.
    pub fn internal(message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message: message.into(),
        }
    }

    /// A limit of the service was reached (too many queries at once).
    pub fn unavailable(message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::SERVICE_UNAVAILABLE,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for TapError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for TapError {}

impl IntoResponse for TapError {
    fn into_response(self) -> Response {
        if self.status.is_server_error() {
            tracing::error!("TAP: {}", self.message);
        }
        (
            self.status,
            [(CONTENT_TYPE, "application/x-votable+xml")],
            formats::error_document(&self.message),
        )
            .into_response()
    }
}
