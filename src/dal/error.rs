//! The one error of the DALI services (TAP, SCS, SIA), answered as a VOTable error document:
//! QUERY_STATUS=ERROR (DALI 1.1 §4.2), with SCS 1.03's variant for cone searches.

use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
pub use formats::ErrorStyle;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DalError {
    /// A request the client can fix: bad parameters, an invalid query (DALI 1.1 §4.2: 400).
    #[error("{0}")]
    BadRequest(String),
    /// Something asked for does not exist (an unknown table, a missing file).
    #[error("{0}")]
    NotFound(String),
    /// A limit of the service was reached (too many queries at once).
    #[error("{0}")]
    Unavailable(String),
    /// The server could not do what it should have.
    #[error("{0}")]
    Internal(String),
}

impl DalError {
    pub fn bad_request(message: impl Into<String>) -> Self {
        DalError::BadRequest(message.into())
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        DalError::NotFound(message.into())
    }

    pub fn unavailable(message: impl Into<String>) -> Self {
        DalError::Unavailable(message.into())
    }

    pub fn internal(message: impl Into<String>) -> Self {
        DalError::Internal(message.into())
    }

    pub fn status(&self) -> StatusCode {
        match self {
            DalError::BadRequest(_) => StatusCode::BAD_REQUEST,
            DalError::NotFound(_) => StatusCode::NOT_FOUND,
            DalError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            DalError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The answer in `style`'s document. SCS 1.03 sends it with HTTP 200: its clients read
    /// the error from the document, not from the status line.
    pub fn response(self, style: ErrorStyle) -> Response {
        let message = self.to_string();
        if self.status().is_server_error() {
            tracing::error!("{message}");
        }
        let status = match style {
            ErrorStyle::Dali => self.status(),
            ErrorStyle::Scs => StatusCode::OK,
        };
        (
            status,
            [(CONTENT_TYPE, "application/x-votable+xml")],
            formats::error_document(&message, style),
        )
            .into_response()
    }
}

/// The DALI answer; cone searches use [`DalError::response`] with [`ErrorStyle::Scs`].
impl IntoResponse for DalError {
    fn into_response(self) -> Response {
        self.response(ErrorStyle::Dali)
    }
}
