//! `/data/{file}`: the files behind ObsCore `access_url`s, read-only from `[products] dir`.
//! Only plain file names are served (no folders, no dot files), so no request can reach
//! outside that folder.

use std::path::PathBuf;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use tokio_util::io::ReaderStream;

use crate::dal::DalError;

pub const PATH: &str = "/data";

/// What the download reads: the folder of `[products] dir`, resolved, if one is set.
pub struct ProductsState {
    pub dir: Option<PathBuf>,
}

/// Whether `name` is a plain file name this endpoint may serve.
fn is_plain_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '+'))
}

fn media_type(name: &str) -> &'static str {
    let lower = name.to_ascii_lowercase();
    if [".fits", ".fit", ".fts"].iter().any(|e| lower.ends_with(e)) {
        "image/fits"
    } else if lower.ends_with(".fits.gz") {
        "application/gzip"
    } else {
        "application/octet-stream"
    }
}

pub async fn download(
    State(state): State<Arc<ProductsState>>,
    Path(name): Path<String>,
) -> Response {
    let missing = || DalError::not_found(format!("no data product named {name}")).into_response();
    let Some(dir) = &state.dir else {
        return missing();
    };
    if !is_plain_name(&name) {
        return missing();
    }
    let path = dir.join(&name);
    let file = match tokio::fs::File::open(&path).await {
        Ok(file) => file,
        Err(_) => return missing(),
    };
    let length = match file.metadata().await {
        Ok(meta) if meta.is_file() => meta.len(),
        _ => return missing(),
    };
    (
        [
            (CONTENT_TYPE, media_type(&name).to_owned()),
            (CONTENT_LENGTH, length.to_string()),
        ],
        Body::from_stream(ReaderStream::with_capacity(file, 64 * 1024)),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_file_names_are_served() {
        for good in ["m13.fits", "j94f05bgq_flt.fits", "a-b+c.fits.gz"] {
            assert!(is_plain_name(good), "{good}");
        }
        for bad in [
            "",
            ".hidden",
            "../etc/passwd",
            "a/b.fits",
            "..",
            "a\\b",
            "é.fits",
        ] {
            assert!(!is_plain_name(bad), "{bad}");
        }
    }
}
