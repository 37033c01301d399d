//! Thin HTTP handlers for the OGC raster services (crate `ogc-maps`): the raw query string becomes a
//! case-insensitive KVP map, one call runs on a blocking thread (rendering is CPU work), and the
//! crate's response is copied onto the wire. Tiles answer `304 Not Modified` to a matching
//! `If-None-Match`.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use ogc_common::{Kvp, OgcResponse};
use ogc_maps::RasterServices;

pub async fn wms(State(state): State<Arc<RasterServices>>, RawQuery(query): RawQuery) -> Response {
    let kvp = Kvp::from_query(query.as_deref().unwrap_or(""));
    run(state, HeaderMap::new(), move |svc| svc.wms(&kvp)).await
}

pub async fn wmts(State(state): State<Arc<RasterServices>>, RawQuery(query): RawQuery) -> Response {
    let kvp = Kvp::from_query(query.as_deref().unwrap_or(""));
    run(state, HeaderMap::new(), move |svc| svc.wmts(&kvp)).await
}

pub async fn wcs(State(state): State<Arc<RasterServices>>, RawQuery(query): RawQuery) -> Response {
    let kvp = Kvp::from_query(query.as_deref().unwrap_or(""));
    run(state, HeaderMap::new(), move |svc| svc.wcs(&kvp)).await
}

/// `{col}` carries the extension: `…/{row}/{col}.png`.
pub async fn wmts_rest(
    State(state): State<Arc<RasterServices>>,
    headers: HeaderMap,
    Path((layer, _style, tms, matrix, row, col)): Path<(
        String,
        String,
        String,
        String,
        String,
        String,
    )>,
) -> Response {
    let (col, ext) = col.split_once('.').unwrap_or((col.as_str(), "png"));
    let (Ok(row), Ok(col)) = (row.parse::<u32>(), col.parse::<u32>()) else {
        return (
            StatusCode::NOT_FOUND,
            "tile row and column must be whole numbers",
        )
            .into_response();
    };
    let ext = ext.to_string();
    run(state, headers, move |svc| {
        svc.wmts_rest_tile(&layer, &tms, &matrix, row, col, &ext)
    })
    .await
}

/// `/tiles/{layer}/{z}/{x}/{y}.png`.
pub async fn xyz(
    State(state): State<Arc<RasterServices>>,
    headers: HeaderMap,
    Path((layer, z, x, y)): Path<(String, String, String, String)>,
) -> Response {
    let y = y.strip_suffix(".png").unwrap_or(&y);
    let (Ok(z), Ok(x), Ok(y)) = (z.parse::<u32>(), x.parse::<u32>(), y.parse::<u32>()) else {
        return (
            StatusCode::NOT_FOUND,
            "tile coordinates must be whole numbers",
        )
            .into_response();
    };
    run(state, headers, move |svc| svc.tile(&layer, z, x, y)).await
}

async fn run(
    state: Arc<RasterServices>,
    request_headers: HeaderMap,
    call: impl FnOnce(&RasterServices) -> OgcResponse + Send + 'static,
) -> Response {
    match tokio::task::spawn_blocking(move || call(&state)).await {
        Ok(r) => to_response(r, &request_headers),
        Err(e) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("rendering failed: {e}"),
        )
            .into_response(),
    }
}

fn to_response(r: OgcResponse, request_headers: &HeaderMap) -> Response {
    let not_modified = r.header("ETag").is_some_and(|tag| {
        request_headers
            .get_all(header::IF_NONE_MATCH)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .any(|v| v.split(',').any(|t| t.trim() == tag || t.trim() == "*"))
    });
    let mut response = http_response(r);
    if not_modified {
        *response.status_mut() = StatusCode::NOT_MODIFIED;
        *response.body_mut() = Body::empty();
    }
    response
}

/// An `OgcResponse` of either OGC family onto the wire: status, content type, extra headers, body.
pub fn http_response(r: OgcResponse) -> Response {
    let mut response = Response::new(Body::from(r.body));
    *response.status_mut() =
        StatusCode::from_u16(r.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let extra = r.headers.iter().map(|(k, v)| (k.as_str(), v.as_str()));
    set_headers(response.headers_mut(), &r.content_type, extra);
    response
}

/// Sets the content type and the extra headers; a name or value HTTP cannot carry is skipped.
pub fn set_headers<'a>(
    headers: &mut HeaderMap,
    content_type: &str,
    extra: impl IntoIterator<Item = (&'a str, &'a str)>,
) {
    if let Ok(v) = HeaderValue::from_str(content_type) {
        headers.insert(header::CONTENT_TYPE, v);
    }
    for (name, value) in extra {
        if let (Ok(n), Ok(v)) = (HeaderName::try_from(name), HeaderValue::from_str(value)) {
            headers.insert(n, v);
        }
    }
}
