//! TAP /sync (TAP 1.1 §2.2.1): the query runs while the client waits and its result streams
//! back as it is produced.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};

use super::request::TapRequest;
use super::{Tap, uploads};
use crate::dal::DalError;
use crate::query::body::streamed_body;
use crate::query::results::time_limit_or_hangup;

pub async fn sync(State(tap): State<Arc<Tap>>, request: Request) -> Response {
    match run(&tap, request).await {
        Ok(response) => response,
        Err(error) => error.into_response(),
    }
}

async fn run(tap: &Tap, request: Request) -> Result<Response, DalError> {
    let config = &tap.core.config;
    let scratch = || {
        tempfile::tempdir_in(&tap.scratch_dir)
            .map_err(|e| DalError::internal(format!("cannot create a folder for uploads: {e}")))
    };
    // Only a multipart body can carry files: other requests skip the folder.
    let multipart = request
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().starts_with("multipart/"));
    let parts = if multipart { Some(scratch()?) } else { None };
    let max_body = usize::try_from(config.upload_max_bytes).unwrap_or(usize::MAX);
    let params = dali::read_parameters(request, parts.as_ref().map(|p| p.path()), max_body)
        .await
        .map_err(|e| DalError::bad_request(e.to_string()))?;
    let query = TapRequest::from_params(&params)?;
    let uploads = if query.uploads.is_empty() {
        Vec::new()
    } else {
        let parts = match parts {
            Some(parts) => parts,
            None => scratch()?,
        };
        uploads::load(
            &query.uploads,
            |name| params.upload(name).map(|u| parts.path().join(&u.stored_as)),
            parts.path(),
            config,
        )
        .await?
    };
    let timeout = Duration::from_secs(config.sync_timeout_s);
    // Waiting for a free slot counts against the same limit as running.
    let permit = tokio::time::timeout(timeout, tap.running.clone().acquire_owned())
        .await
        .map_err(|_| {
            DalError::unavailable("the server is busy: no query slot became free in time")
        })?
        .map_err(|_| DalError::internal("the query slots are closed"))?;
    let started = tap.core.start(&query, &uploads).await?;
    let limit = config.sync_timeout_s;
    let handle = tokio::runtime::Handle::current();
    let body = streamed_body(move |out| {
        let _permit = permit;
        // A query stops at the time limit, or as soon as its client hangs up.
        let stop = time_limit_or_hangup(
            timeout,
            format!(
                "the query was stopped after {limit} s, the limit for synchronous queries; \
                 submit it to /tap/async for more time"
            ),
            out.client_gone(),
        );
        if let Err(e) = started.write_blocking(&handle, Box::new(out), stop) {
            tracing::debug!("sync query ended early: {e}");
        }
    });
    let content_type = query.response_format.content_type();
    Ok(([(CONTENT_TYPE, content_type)], body).into_response())
}
