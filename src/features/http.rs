//! The thin handlers of `/wfs` (KVP) and `/ogcapi/…`: the request becomes `ogc-features` terms,
//! documents are answered at once, and answers made of features run on a blocking thread —
//! `ogc-features` over the [`DataFusionSource`] — into the server's one streamed body
//! ([`crate::query::body`]), so memory stays flat however many features are asked for.

use std::io::{self, Write};
use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use ogc_common::{Kvp, OgcResponse};
use ogc_features::FeatureServices;
use ogc_features::answer::{AnswerError, AnswerSink};
use ogc_features::ogcapi::OapifResponse;
use ogc_features::wfs::WfsResponse;
use tokio::sync::oneshot;

use super::FeatureState;
use super::source::DataFusionSource;
use crate::ogc_http::{http_response, set_headers};
use crate::query::body::{ChannelWriter, body, spawn_writer};

fn params(query: Option<String>) -> Kvp {
    Kvp::from_query(query.as_deref().unwrap_or_default())
}

pub async fn wfs(State(state): State<Arc<FeatureState>>, RawQuery(query): RawQuery) -> Response {
    match state.features.services.wfs(&params(query)) {
        WfsResponse::Document(d) => http_response(d),
        WfsResponse::Features(plan) => {
            answer(&state, move |services, source, sink| {
                services.get_feature(&plan, source, sink)
            })
            .await
        }
    }
}

fn accepts_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"))
}

pub async fn ogcapi_root(
    State(state): State<Arc<FeatureState>>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    ogcapi(state, "", headers, query).await
}

pub async fn ogcapi_path(
    State(state): State<Arc<FeatureState>>,
    Path(rest): Path<String>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    ogcapi(state, &rest, headers, query).await
}

async fn ogcapi(
    state: Arc<FeatureState>,
    path: &str,
    headers: HeaderMap,
    query: Option<String>,
) -> Response {
    let segments: Vec<&str> = path
        .trim_end_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    let response =
        state
            .features
            .services
            .ogcapi(&segments, &params(query), accepts_html(&headers));
    match response {
        OapifResponse::Document(d) => http_response(d),
        OapifResponse::Items(plan) => {
            answer(&state, move |services, source, sink| {
                services.items(&plan, source, sink)
            })
            .await
        }
        OapifResponse::Item(plan) => {
            answer(&state, move |services, source, sink| {
                services.item(&plan, source, sink)
            })
            .await
        }
    }
}

/// Runs `call` on a blocking thread over the DataFusion source and answers with what it sends
/// into the sink: a whole document, or a streamed body.
async fn answer<F>(state: &FeatureState, call: F) -> Response
where
    F: FnOnce(&FeatureServices, &DataFusionSource, &mut ChannelSink) -> Result<(), AnswerError>
        + Send
        + 'static,
{
    let features = state.features.clone();
    let source = DataFusionSource::new(
        features.clone(),
        state.catalog.context().clone(),
        tokio::runtime::Handle::current(),
    );
    let (start, started) = oneshot::channel();
    let receiver = spawn_writer(move |out| {
        let mut sink = ChannelSink {
            start: Some(start),
            out,
        };
        let result =
            call(&features.services, &source, &mut sink).and_then(|()| Ok(sink.out.flush()?));
        if let Err(e) = result {
            // Documents have been answered; a cut-short body ends early; the log says why.
            tracing::warn!("feature answer stopped: {e}");
            if !matches!(e, AnswerError::Source(_)) {
                sink.out.fail(io::Error::other(e));
            }
        }
    });
    match started.await {
        Ok(Start::Document(d)) => http_response(d),
        Ok(Start::Stream {
            content_type,
            headers,
        }) => {
            let mut response = body(receiver).into_response();
            let extra = headers.iter().map(|(k, v)| (*k, v.as_str()));
            set_headers(response.headers_mut(), &content_type, extra);
            response
        }
        Err(_) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            "the feature answer stopped",
        )
            .into_response(),
    }
}

/// How an answer begins.
enum Start {
    Document(OgcResponse),
    Stream {
        content_type: String,
        headers: Vec<(&'static str, String)>,
    },
}

/// The blocking thread's end of an answer: the start through a oneshot, the body through the
/// streamed body's writer.
struct ChannelSink {
    start: Option<oneshot::Sender<Start>>,
    out: ChannelWriter,
}

impl ChannelSink {
    fn begin(&mut self, start: Start) -> io::Result<()> {
        self.start
            .take()
            .ok_or_else(|| io::Error::other("the answer has already begun"))?
            .send(start)
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the client went away"))
    }
}

impl Write for ChannelSink {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.out.write(bytes)
    }

    /// The writer sends a chunk once it has gathered one; the encoders' flushes don't cut
    /// smaller ones.
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl AnswerSink for ChannelSink {
    fn document(&mut self, document: OgcResponse) -> io::Result<()> {
        self.begin(Start::Document(document))
    }

    fn stream(&mut self, content_type: &str, headers: &[(&'static str, String)]) -> io::Result<()> {
        self.begin(Start::Stream {
            content_type: content_type.to_owned(),
            headers: headers.to_vec(),
        })
    }
}
