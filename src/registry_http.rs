//! Thin handlers for the registry: OAI-PMH at `/oai` (GET or form POST, OAI-PMH 2.0 §3.1.1),
//! the VOSI capabilities of the declared services, and the coverage MOCs at `/moc/{name}`.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::coverage::{self, Coverages, MocFormat};
use crate::services::Service;

/// What OAI-PMH reads: the publishing registry, when `[registry] authority` is set.
pub struct OaiState {
    pub repository: Option<registry::oai_pmh::Repository>,
}

/// What the coverage MOCs read: the MOCs, and where they are published.
pub struct MocState {
    pub coverages: Coverages,
    /// Public base URL, without a trailing slash.
    pub base_url: String,
}

fn xml(document: String) -> Response {
    (
        [(header::CONTENT_TYPE, "text/xml; charset=utf-8")],
        document,
    )
        .into_response()
}

fn not_found(message: String) -> Response {
    (StatusCode::NOT_FOUND, message).into_response()
}

pub async fn oai_get(State(state): State<Arc<OaiState>>, RawQuery(query): RawQuery) -> Response {
    oai(&state, query.as_deref().unwrap_or("").as_bytes())
}

pub async fn oai_post(State(state): State<Arc<OaiState>>, body: Bytes) -> Response {
    oai(&state, &body)
}

fn oai(state: &OaiState, form: &[u8]) -> Response {
    let Some(repository) = &state.repository else {
        return not_found("no registry is configured ([registry] authority)".to_owned());
    };
    let arguments: Vec<(String, String)> = form_urlencoded::parse(form)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    xml(repository.respond(&arguments, chrono::Utc::now()))
}

/// The VOSI capabilities of a declared service but TAP (which serves its own).
pub async fn vosi_capabilities(
    State(services): State<Arc<[Service]>>,
    Path(key): Path<String>,
) -> Response {
    match services.iter().find(|s| s.key == key && s.is_registered()) {
        Some(service) => xml(registry::capability::vosi_document(&service.capabilities)),
        None => not_found(format!("no service `{key}` is declared")),
    }
}

/// The MOCs offered, one line each: `/moc/{name}.fits` links.
pub async fn moc_list(State(state): State<Arc<MocState>>) -> Response {
    let mut text = String::new();
    for name in state.coverages.names() {
        text.push_str(&format!("{}/moc/{name}.fits\n", state.base_url));
    }
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response()
}

/// `/moc/{schema}.{table}` or `/moc/{schema}` (the union of its tables), with `.fits`, `.json`
/// or `.txt`, or without an extension and negotiated through `Accept` (FITS by default).
pub async fn moc(
    State(state): State<Arc<MocState>>,
    Path(name): Path<String>,
    headers: HeaderMap,
) -> Response {
    let (name, format) = match name.rsplit_once('.') {
        Some((stem, "fits")) => (stem, MocFormat::Fits),
        Some((stem, "json")) => (stem, MocFormat::Json),
        Some((stem, "txt")) => (stem, MocFormat::Ascii),
        _ => (name.as_str(), negotiate(&headers)),
    };
    let moc = state.coverages.table(name).cloned().or_else(|| {
        let prefix = format!("{name}.");
        let tables: Vec<String> = state
            .coverages
            .names()
            .filter(|t| t.starts_with(&prefix))
            .map(str::to_owned)
            .collect();
        state.coverages.union(tables.iter().map(String::as_str))
    });
    let Some(moc) = moc else {
        return not_found(format!(
            "no catalogue `{name}` with a sky position is published"
        ));
    };
    match coverage::serialize(&moc, format, name) {
        Ok(body) => {
            let disposition = format!("inline; filename=\"{name}.{}\"", format.extension());
            (
                [
                    (header::CONTENT_TYPE, format.content_type().to_owned()),
                    (header::CONTENT_DISPOSITION, disposition),
                ],
                body,
            )
                .into_response()
        }
        Err(e) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("cannot write the MOC: {e}"),
        )
            .into_response(),
    }
}

/// The first of the MOC media types the client accepts, in its order; FITS otherwise.
fn negotiate(headers: &HeaderMap) -> MocFormat {
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    for media in accept
        .split(',')
        .map(|m| m.split(';').next().unwrap_or("").trim())
    {
        match media {
            "application/fits" | "image/fits" => return MocFormat::Fits,
            "application/json" => return MocFormat::Json,
            "text/plain" => return MocFormat::Ascii,
            _ => {}
        }
    }
    MocFormat::Fits
}
