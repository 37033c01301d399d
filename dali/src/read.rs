//! Reading the parameters of a request: the query string plus a form-encoded or multipart
//! body (TAP clients send both). File parts of a multipart body are streamed to a folder the
//! caller names (a UWS job's uploads directory), never held in memory.

use std::fmt::Write as _;
use std::path::Path;

use axum::extract::{FromRequest, Multipart, Request};
use axum::http::header::CONTENT_TYPE;
use tokio::io::AsyncWriteExt;

use crate::params::{ParamValue, Parameters, Upload};

/// Why a request's parameters could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The request is malformed: the client can fix it (HTTP 400).
    #[error("{0}")]
    BadRequest(String),
    /// Storing a file part failed.
    #[error("job files: {0}")]
    Io(#[from] std::io::Error),
    /// No random name for a file part.
    #[error("random source: {0}")]
    Random(#[from] getrandom::Error),
}

/// Where file parts may go: `None` refuses them.
pub type UploadsDir<'a> = Option<&'a Path>;

/// The query string's parameters, in order.
pub fn query_pairs(req_query: Option<&str>) -> Vec<(String, String)> {
    form_urlencoded::parse(req_query.unwrap_or("").as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// Every parameter of a request: the query string first, then the body.
pub async fn read_parameters(
    req: Request,
    uploads: UploadsDir<'_>,
    max_bytes: usize,
) -> Result<Parameters, ReadError> {
    let mut params = Parameters::new();
    for (name, value) in query_pairs(req.uri().query()) {
        params.push_text(&name, &value);
    }
    let content_type = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    if content_type.starts_with("multipart/form-data") {
        let multipart = Multipart::from_request(req, &())
            .await
            .map_err(|e| ReadError::BadRequest(format!("unreadable multipart body: {e}")))?;
        let mut written = Vec::new();
        if let Err(e) = read_multipart(multipart, uploads, &mut params, &mut written).await {
            for file in written {
                let _ = tokio::fs::remove_file(file).await;
            }
            return Err(e);
        }
    } else {
        let bytes = axum::body::to_bytes(req.into_body(), max_bytes)
            .await
            .map_err(|e| ReadError::BadRequest(format!("unreadable request body: {e}")))?;
        let form = content_type.is_empty()
            || content_type.starts_with("application/x-www-form-urlencoded");
        if !form && !bytes.is_empty() {
            return Err(ReadError::BadRequest(format!(
                "a UWS request body must be application/x-www-form-urlencoded or \
                 multipart/form-data, not {content_type}"
            )));
        }
        for (name, value) in form_urlencoded::parse(&bytes) {
            params.push_text(&name, &value);
        }
    }
    Ok(params)
}

async fn read_multipart(
    mut multipart: Multipart,
    uploads: UploadsDir<'_>,
    params: &mut Parameters,
    written: &mut Vec<std::path::PathBuf>,
) -> Result<(), ReadError> {
    let unreadable = |e: axum::extract::multipart::MultipartError| {
        ReadError::BadRequest(format!("unreadable multipart body: {e}"))
    };
    while let Some(mut field) = multipart.next_field().await.map_err(unreadable)? {
        let name = field.name().unwrap_or("").to_owned();
        if name.is_empty() {
            return Err(ReadError::BadRequest("a multipart part has no name".into()));
        }
        match field.file_name().map(str::to_owned) {
            None => {
                let text = field.text().await.map_err(unreadable)?;
                params.push_text(&name, &text);
            }
            Some(client_file_name) => {
                let dir = uploads.ok_or_else(|| {
                    ReadError::BadRequest(format!(
                        "file part '{name}': files can only be sent when creating a job or \
                         setting its parameters"
                    ))
                })?;
                let content_type = field.content_type().map(str::to_owned);
                let stored_as = format!("upload-{}", random_hex()?);
                let path = dir.join(&stored_as);
                let mut file = tokio::fs::File::create(&path).await?;
                written.push(path);
                let mut size = 0u64;
                while let Some(chunk) = field.chunk().await.map_err(unreadable)? {
                    size += chunk.len() as u64;
                    file.write_all(&chunk).await?;
                }
                file.flush().await?;
                params.push(
                    &name,
                    ParamValue::Upload(Upload {
                        stored_as,
                        client_file_name: Some(client_file_name),
                        content_type,
                        size,
                    }),
                );
            }
        }
    }
    Ok(())
}

/// 8 random bytes from the OS as hex: a stored file's name that no client chooses or guesses.
fn random_hex() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes)?;
    Ok(bytes.iter().fold(String::with_capacity(16), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    }))
}
