//! Errors of the engine, each with the HTTP status UWS 1.1 §2.2 gives it.

use axum::http::StatusCode;

use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum UwsError {
    /// UWS 1.1 §2.2: "a request ... to a resource that does not exist ... 404".
    #[error("{0}")]
    NotFound(String),
    /// UWS 1.1 §2.2: a request "illegal for the current state of the UWS ... 403". The message
    /// names the phase.
    #[error("{0}")]
    IllegalInPhase(String),
    /// A parameter value the engine or the runner cannot accept.
    #[error("{0}")]
    BadRequest(String),
    /// No room to run one more job now; the client may retry (HTTP 503 with Retry-After).
    #[error("the job queue is full ({0} jobs are queued or executing); try again later")]
    QueueFull(usize),
    #[error("the job service is shutting down")]
    ShuttingDown,
    #[error("invalid [uws] limits: {0}")]
    Config(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("job files: {0}")]
    Io(#[from] std::io::Error),
    #[error("random source: {0}")]
    Random(#[from] getrandom::Error),
}

impl From<dali::ReadError> for UwsError {
    fn from(error: dali::ReadError) -> Self {
        match error {
            dali::ReadError::BadRequest(message) => UwsError::BadRequest(message),
            dali::ReadError::Io(e) => UwsError::Io(e),
            dali::ReadError::Random(e) => UwsError::Random(e),
        }
    }
}

impl UwsError {
    pub fn status(&self) -> StatusCode {
        match self {
            UwsError::NotFound(_) => StatusCode::NOT_FOUND,
            UwsError::IllegalInPhase(_) => StatusCode::FORBIDDEN,
            UwsError::BadRequest(_) => StatusCode::BAD_REQUEST,
            UwsError::QueueFull(_) | UwsError::ShuttingDown => StatusCode::SERVICE_UNAVAILABLE,
            UwsError::Config(_) | UwsError::Store(_) | UwsError::Io(_) | UwsError::Random(_) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
        }
    }

    pub(crate) fn no_job(id: &str) -> UwsError {
        UwsError::NotFound(format!("there is no job {id}"))
    }
}
