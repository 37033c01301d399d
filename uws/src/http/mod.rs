//! The REST binding of UWS 1.1 (§2.2): one thin handler per resource and method, each reading
//! its parameters, calling one engine method and answering as the standard says.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Path, Request, State};
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE, LOCATION, RETRY_AFTER};
use axum::http::{HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use dali::{Parameters, query_pairs, read_parameters};
use tokio_util::io::ReaderStream;

use crate::engine::{Engine, Served, ServedFile};
use crate::error::UwsError;
use crate::filter::JobFilter;
use crate::phase::Phase;
use crate::time;
use crate::xml;

/// The authenticated identity of the client, if the server put one in the request's
/// extensions; a job created with it gets it as its owner (UWS 1.1 §3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobOwner(pub String);

/// The job list and every job resource, to be nested where the engine's `jobs_url` points
/// (e.g. `Router::new().nest("/tap/async", uws::routes(engine))`).
pub fn routes(engine: Arc<Engine>) -> Router {
    let body_limit = engine.limits().max_upload_bytes;
    Router::new()
        .route("/", get(list_jobs).post(create_job))
        .route("/{id}", get(get_job).post(post_job).delete(delete_job))
        .route("/{id}/phase", get(get_phase).post(post_phase))
        .route(
            "/{id}/executionduration",
            get(get_execution_duration).post(post_execution_duration),
        )
        .route(
            "/{id}/destruction",
            get(get_destruction).post(post_destruction),
        )
        .route("/{id}/error", get(get_error))
        .route("/{id}/quote", get(get_quote))
        .route("/{id}/owner", get(get_owner))
        .route("/{id}/results", get(get_results))
        .route("/{id}/results/{result}", get(get_result))
        .route(
            "/{id}/parameters",
            get(get_parameters).post(post_parameters),
        )
        .route("/{id}/parameters/{name}", get(get_parameter))
        .layer(DefaultBodyLimit::max(body_limit))
        .with_state(engine)
}

type Shared = State<Arc<Engine>>;
type Answer = Result<Response, UwsError>;

/// Renders an error in the runner's error document with the status UWS gives it.
fn respond(engine: &Engine, answer: Answer) -> Response {
    let error = match answer {
        Ok(response) => return response,
        Err(error) => error,
    };
    let status = error.status();
    if status.is_server_error() && !matches!(error, UwsError::QueueFull(_) | UwsError::ShuttingDown)
    {
        tracing::error!("UWS request failed: {error}");
    }
    let (mime_type, bytes) = engine.message_document(&error.to_string());
    let mut response = (status, [(CONTENT_TYPE, mime_type)], bytes).into_response();
    if matches!(error, UwsError::QueueFull(_)) {
        response
            .headers_mut()
            .insert(RETRY_AFTER, HeaderValue::from_static("10"));
    }
    response
}

/// Streams a file from disk: a result is never loaded whole in memory.
async fn send_file(file: ServedFile) -> Answer {
    let handle = tokio::fs::File::open(&file.path).await?;
    let length = handle.metadata().await?.len();
    Ok((
        [
            (CONTENT_TYPE, file.mime_type),
            (CONTENT_LENGTH, length.to_string()),
        ],
        Body::from_stream(ReaderStream::with_capacity(handle, 64 * 1024)),
    )
        .into_response())
}

async fn send(document: Served) -> Answer {
    match document {
        Served::File(file) => send_file(file).await,
        Served::Bytes { mime_type, bytes } => {
            Ok(([(CONTENT_TYPE, mime_type)], bytes).into_response())
        }
    }
}

fn xml_document(body: String) -> Response {
    ([(CONTENT_TYPE, "text/xml; charset=utf-8")], body).into_response()
}

fn text(body: String) -> Response {
    ([(CONTENT_TYPE, "text/plain; charset=utf-8")], body).into_response()
}

/// 303 See Other, the answer to every state change (UWS 1.1 §2.2.3).
fn see_other(location: String) -> Response {
    (StatusCode::SEE_OTHER, [(LOCATION, location)]).into_response()
}

fn job_url(engine: &Engine, id: &str) -> String {
    format!("{}/{id}", engine.jobs_url())
}

/// The one value of `name` a request carries, or a 400 that says it is missing.
fn required<'a>(params: &'a Parameters, name: &str) -> Result<&'a str, UwsError> {
    params
        .get(name)
        .ok_or_else(|| UwsError::BadRequest(format!("the {name} parameter is missing")))
}

async fn list_jobs(State(engine): Shared, uri: Uri) -> Response {
    let answer = async {
        let pairs = query_pairs(uri.query());
        let filter = JobFilter::from_query(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .map_err(UwsError::BadRequest)?;
        let jobs = engine.list(filter).await?;
        Ok(xml_document(xml::job_list(engine.jobs_url(), &jobs)))
    };
    respond(&engine, answer.await)
}

/// POST to the job list creates a job (§2.2.3.1): 303 to it.
async fn create_job(State(engine): Shared, req: Request) -> Response {
    let owner = req.extensions().get::<JobOwner>().map(|o| o.0.clone());
    let answer = async {
        let draft = engine.draft().await?;
        let uploads = draft.uploads_dir();
        let params = read_parameters(req, Some(&uploads), engine.limits().max_upload_bytes).await?;
        let id = engine.create(draft, params, owner).await?;
        Ok(see_other(job_url(&engine, &id)))
    };
    respond(&engine, answer.await)
}

/// The job, possibly after a blocking wait (§2.2.1.2).
async fn get_job(State(engine): Shared, Path(id): Path<String>, uri: Uri) -> Response {
    let answer = async {
        let mut wait = None;
        let mut phase = None;
        for (name, value) in query_pairs(uri.query()) {
            if name.eq_ignore_ascii_case("WAIT") {
                wait = Some(parse_wait(&value, engine.limits().max_wait)?);
            } else if name.eq_ignore_ascii_case("PHASE") {
                phase = Some(value.parse::<Phase>().map_err(UwsError::BadRequest)?);
            }
        }
        let job = match wait {
            Some(wait) => engine.wait(&id, wait, phase).await?,
            None => engine.job(&id).await?,
        };
        Ok(xml_document(xml::job(engine.jobs_url(), &job)))
    };
    respond(&engine, answer.await)
}

/// WAIT=n seconds, or -1 for as long as the server allows.
fn parse_wait(value: &str, max_wait: u64) -> Result<Duration, UwsError> {
    match value.trim().parse::<i64>() {
        Ok(-1) => Ok(Duration::from_secs(max_wait)),
        Ok(n) if n >= 0 => Ok(Duration::from_secs(n.unsigned_abs().min(max_wait))),
        _ => Err(UwsError::BadRequest(format!(
            "WAIT must be a whole number of seconds or -1, not '{value}'"
        ))),
    }
}

/// POST to a job: ACTION=DELETE (§2.2.3.2).
async fn post_job(State(engine): Shared, Path(id): Path<String>, req: Request) -> Response {
    let answer = async {
        let params = read_parameters(req, None, engine.limits().max_upload_bytes).await?;
        let action = required(&params, "ACTION")?;
        if !action.trim().eq_ignore_ascii_case("DELETE") {
            return Err(UwsError::BadRequest(format!(
                "ACTION={action} is not a UWS action; a job accepts ACTION=DELETE"
            )));
        }
        engine.delete(&id).await?;
        Ok(see_other(engine.jobs_url().to_owned()))
    };
    respond(&engine, answer.await)
}

/// HTTP DELETE of a job (§2.2.3.2): 303 to the job list.
async fn delete_job(State(engine): Shared, Path(id): Path<String>) -> Response {
    let answer = async {
        engine.delete(&id).await?;
        Ok(see_other(engine.jobs_url().to_owned()))
    };
    respond(&engine, answer.await)
}

async fn get_phase(State(engine): Shared, Path(id): Path<String>) -> Response {
    let answer = async { Ok(text(engine.job(&id).await?.phase.to_string())) };
    respond(&engine, answer.await)
}

/// PHASE=RUN (§2.2.3.5) or PHASE=ABORT (§2.2.3.6).
async fn post_phase(State(engine): Shared, Path(id): Path<String>, req: Request) -> Response {
    let answer = async {
        let params = read_parameters(req, None, engine.limits().max_upload_bytes).await?;
        let phase = required(&params, "PHASE")?.trim();
        if phase.eq_ignore_ascii_case("RUN") {
            engine.run(&id).await?;
        } else if phase.eq_ignore_ascii_case("ABORT") {
            engine.abort(&id).await?;
        } else {
            return Err(UwsError::BadRequest(format!(
                "PHASE={phase} is not an action; use PHASE=RUN or PHASE=ABORT"
            )));
        }
        Ok(see_other(job_url(&engine, &id)))
    };
    respond(&engine, answer.await)
}

async fn get_execution_duration(State(engine): Shared, Path(id): Path<String>) -> Response {
    let answer = async { Ok(text(engine.job(&id).await?.execution_duration.to_string())) };
    respond(&engine, answer.await)
}

/// EXECUTIONDURATION=n (§2.2.3.4).
async fn post_execution_duration(
    State(engine): Shared,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    let answer = async {
        let params = read_parameters(req, None, engine.limits().max_upload_bytes).await?;
        let seconds = crate::control::parse_duration(required(&params, "EXECUTIONDURATION")?)?;
        engine.set_execution_duration(&id, seconds).await?;
        Ok(see_other(job_url(&engine, &id)))
    };
    respond(&engine, answer.await)
}

async fn get_destruction(State(engine): Shared, Path(id): Path<String>) -> Response {
    let answer = async {
        let job = engine.job(&id).await?;
        Ok(text(job.destruction.map(time::format).unwrap_or_default()))
    };
    respond(&engine, answer.await)
}

/// DESTRUCTION=instant (§2.2.3.3).
async fn post_destruction(State(engine): Shared, Path(id): Path<String>, req: Request) -> Response {
    let answer = async {
        let params = read_parameters(req, None, engine.limits().max_upload_bytes).await?;
        let value = required(&params, "DESTRUCTION")?;
        let when =
            time::parse(value).map_err(|e| UwsError::BadRequest(format!("DESTRUCTION: {e}")))?;
        engine.set_destruction(&id, when).await?;
        Ok(see_other(job_url(&engine, &id)))
    };
    respond(&engine, answer.await)
}

/// The error document; empty for a job without error. Served with 200 (TAP 1.1 §3).
async fn get_error(State(engine): Shared, Path(id): Path<String>) -> Response {
    let answer = async {
        match engine.error_document(&id).await? {
            Some(document) => send(document).await,
            None => Ok(text(String::new())),
        }
    };
    respond(&engine, answer.await)
}

/// No quote is given: "don't know" is the empty string (§2.2.1).
async fn get_quote(State(engine): Shared, Path(id): Path<String>) -> Response {
    let answer = async {
        engine.job(&id).await?;
        Ok(text(String::new()))
    };
    respond(&engine, answer.await)
}

async fn get_owner(State(engine): Shared, Path(id): Path<String>) -> Response {
    let answer = async { Ok(text(engine.job(&id).await?.owner.unwrap_or_default())) };
    respond(&engine, answer.await)
}

async fn get_results(State(engine): Shared, Path(id): Path<String>) -> Response {
    let answer = async {
        let job = engine.job(&id).await?;
        Ok(xml_document(xml::results(engine.jobs_url(), &job)))
    };
    respond(&engine, answer.await)
}

async fn get_result(State(engine): Shared, Path((id, result)): Path<(String, String)>) -> Response {
    let answer = async { send_file(engine.result_file(&id, &result).await?).await };
    respond(&engine, answer.await)
}

async fn get_parameters(State(engine): Shared, Path(id): Path<String>) -> Response {
    let answer = async {
        let job = engine.job(&id).await?;
        Ok(xml_document(xml::parameters(engine.jobs_url(), &job)))
    };
    respond(&engine, answer.await)
}

/// New values for parameters while PENDING (§2.1.11), form-encoded or multipart.
async fn post_parameters(State(engine): Shared, Path(id): Path<String>, req: Request) -> Response {
    let answer = async {
        let job = engine.job(&id).await?;
        let uploads = engine.job_dir(&job.id).join(crate::jobfs::UPLOADS);
        let params = read_parameters(req, Some(&uploads), engine.limits().max_upload_bytes).await?;
        engine.update_parameters(&job.id, params).await?;
        Ok(see_other(job_url(&engine, &job.id)))
    };
    respond(&engine, answer.await)
}

/// A parameter given by reference: an inline upload (§2.2.3.1.1) or text XML cannot carry.
async fn get_parameter(
    State(engine): Shared,
    Path((id, name)): Path<(String, String)>,
) -> Response {
    let answer = async { send(engine.parameter_value(&id, &name).await?).await };
    respond(&engine, answer.await)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wait_values() {
        assert_eq!(parse_wait("5", 60).unwrap(), Duration::from_secs(5));
        assert_eq!(parse_wait("600", 60).unwrap(), Duration::from_secs(60));
        assert_eq!(parse_wait("-1", 60).unwrap(), Duration::from_secs(60));
        assert_eq!(parse_wait("0", 60).unwrap(), Duration::ZERO);
        assert!(parse_wait("-2", 60).is_err());
        assert!(
            parse_wait("soon", 60)
                .unwrap_err()
                .to_string()
                .contains("soon")
        );
    }
}
