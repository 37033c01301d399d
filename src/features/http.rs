//! The thin handlers: `/wfs` (KVP) and `/ogcapi/…`. Each parses the request into the `ogc-features`
//! crate's terms, runs the query, and streams the encoded features: a blocking thread pulls
//! record batches, encodes them feature by feature and sends 64 KiB chunks through a small
//! channel, so memory stays flat however many features are asked for.

use std::io;
use std::sync::Arc;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use datafusion::physical_plan::SendableRecordBatchStream;
use futures::StreamExt;
use ogc_common::{Code, Kvp, OgcError, OgcResponse};
use ogc_features::ogcapi::{self, ItemPlan, ItemsPlan, OapifResponse, Representation};
use ogc_features::query::ResultType;
use ogc_features::wfs::{GetFeaturePlan, WfsFormat, WfsResponse, error_document};
use ogc_features::{Collection, Feature};
use tokio::sync::mpsc;

use super::plan;
use super::rows::BatchRows;
use super::setup::{Features, SourceColumns};
use crate::server::AppState;

/// Bytes gathered before a chunk is sent.
const CHUNK_BYTES: usize = 64 * 1024;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/wfs", get(wfs))
        .route("/ogcapi", get(ogcapi_root))
        .route("/ogcapi/", get(ogcapi_root))
        .route("/ogcapi/{*rest}", get(ogcapi_path))
}

fn params(query: Option<String>) -> Kvp {
    Kvp::from_query(query.as_deref().unwrap_or_default())
}

fn document(d: OgcResponse, extra: &[(&'static str, String)]) -> Response {
    let status = StatusCode::from_u16(d.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = (status, d.body).into_response();
    set_headers(response.headers_mut(), &d.content_type, extra);
    response
}

fn set_headers(headers: &mut HeaderMap, content_type: &str, extra: &[(&'static str, String)]) {
    if let Ok(value) = HeaderValue::from_str(content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    for (name, value) in extra {
        if let Ok(value) = HeaderValue::from_str(value) {
            headers.insert(*name, value);
        }
    }
}

fn streamed(
    receiver: mpsc::Receiver<Result<Bytes, io::Error>>,
    content_type: &str,
    extra: &[(&'static str, String)],
) -> Response {
    let body = futures::stream::unfold(receiver, |mut receiver| async move {
        receiver.recv().await.map(|chunk| (chunk, receiver))
    });
    let mut response = Body::from_stream(body).into_response();
    set_headers(response.headers_mut(), content_type, extra);
    response
}

async fn wfs(State(state): State<Arc<AppState>>, RawQuery(query): RawQuery) -> Response {
    let params = params(query);
    match state.features.services.wfs(&params) {
        WfsResponse::Document(d) => document(d, &[]),
        WfsResponse::Features(plan) => {
            let version = plan.version;
            match get_feature(&state, *plan).await {
                Ok(response) => response,
                Err(message) => {
                    tracing::warn!("WFS GetFeature failed: {message}");
                    document(
                        error_document(
                            &OgcError::new(Code::NoApplicableCode, None, message),
                            version,
                        ),
                        &[],
                    )
                }
            }
        }
    }
}

/// What a streamed answer needs: the query's stream and everything to decode and encode it.
struct Job {
    features: Arc<Features>,
    collection: Collection,
    source: SourceColumns,
    stream: SendableRecordBatchStream,
}

impl Job {
    /// Plans `query`; counts its matches first when `count` is set.
    async fn new(
        state: &AppState,
        query: &ogc_features::FeatureQuery,
        count: bool,
    ) -> Result<(Self, Option<u64>), String> {
        let features = state.features.clone();
        let collection = features
            .services
            .collection(&query.collection)
            .cloned()
            .ok_or("unknown collection")?;
        let source = features
            .source(&query.collection)
            .cloned()
            .ok_or("unknown collection")?;
        let ctx = state.catalog.context();
        let filtered = plan::filtered(ctx, &source, &collection, query)
            .await
            .map_err(|e| e.to_string())?;
        let matched = if count {
            Some(filtered.clone().count().await.map_err(|e| e.to_string())? as u64)
        } else {
            None
        };
        // A response cut short by its limit gets a `next` link: order by id then, so that the
        // following pages (always ordered) neither skip nor repeat features.
        let mut query = query.clone();
        if matched.is_some_and(|m| m > query.offset + query.limit) {
            query.paged = true;
        }
        let page = plan::page(filtered, &source, &collection, &query).map_err(|e| e.to_string())?;
        let stream = page.execute_stream().await.map_err(|e| e.to_string())?;
        Ok((
            Self {
                features,
                collection,
                source: source.geometry,
                stream,
            },
            matched,
        ))
    }

    /// Runs `encode` on a blocking thread; returns the receiving end of the body.
    fn spawn<E>(
        self,
        query: ogc_features::FeatureQuery,
        encode: E,
    ) -> mpsc::Receiver<Result<Bytes, io::Error>>
    where
        E: FnOnce(&mut Pump<'_>, &Features, &Collection) -> io::Result<()> + Send + 'static,
    {
        let (sender, receiver) = mpsc::channel(4);
        let handle = tokio::runtime::Handle::current();
        tokio::task::spawn_blocking(move || {
            let Job {
                features,
                collection,
                source,
                mut stream,
            } = self;
            let mut pump = Pump {
                handle,
                stream: &mut stream,
                source: &source,
                query: &query,
                out: Vec::with_capacity(CHUNK_BYTES * 2),
                sender: &sender,
                bad: 0,
            };
            let result = encode(&mut pump, &features, &collection).and_then(|()| pump.flush());
            if pump.bad > 0 {
                tracing::warn!(
                    "{}: {} geometries could not be decoded and were written as null",
                    collection.id,
                    pump.bad
                );
            }
            if let Err(e) = result {
                // The client sees the body end early; the log says why.
                tracing::warn!("feature stream of {} stopped: {e}", collection.id);
                let _ = sender.blocking_send(Err(e));
            }
        });
        receiver
    }
}

/// The loop that pulls batches, decodes rows and hands features to an encoder.
struct Pump<'a> {
    handle: tokio::runtime::Handle,
    stream: &'a mut SendableRecordBatchStream,
    source: &'a SourceColumns,
    query: &'a ogc_features::FeatureQuery,
    out: Vec<u8>,
    sender: &'a mpsc::Sender<Result<Bytes, io::Error>>,
    bad: usize,
}

impl Pump<'_> {
    fn flush(&mut self) -> io::Result<()> {
        if self.out.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(
            &mut self.out,
            Vec::with_capacity(CHUNK_BYTES * 2),
        ));
        self.sender
            .blocking_send(Ok(chunk))
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the client went away"))
    }

    /// Feeds every feature of the stream to `write`.
    fn features(
        &mut self,
        collection: &Collection,
        mut write: impl FnMut(&mut Vec<u8>, Feature) -> io::Result<()>,
    ) -> io::Result<()> {
        while let Some(batch) = self.handle.block_on(self.stream.next()) {
            let batch = batch.map_err(io::Error::other)?;
            let mut rows = BatchRows::new(&batch, self.source, collection, self.query)
                .map_err(io::Error::other)?;
            for row in 0..rows.len() {
                write(&mut self.out, rows.feature(row))?;
                if self.out.len() >= CHUNK_BYTES {
                    self.flush()?;
                }
            }
            self.bad += rows.bad_geometries;
        }
        Ok(())
    }

    /// The first feature of the stream, if any.
    fn first(&mut self, collection: &Collection) -> io::Result<Option<Feature>> {
        while let Some(batch) = self.handle.block_on(self.stream.next()) {
            let batch = batch.map_err(io::Error::other)?;
            let mut rows = BatchRows::new(&batch, self.source, collection, self.query)
                .map_err(io::Error::other)?;
            if !rows.is_empty() {
                return Ok(Some(rows.feature(0)));
            }
        }
        Ok(None)
    }
}

async fn get_feature(state: &AppState, plan: GetFeaturePlan) -> Result<Response, String> {
    // The GML root element carries the counts, so they are needed before the first feature.
    let count = plan.query.paged
        || plan.query.result_type == ResultType::Hits
        || matches!(plan.format, WfsFormat::Gml(_));
    let (job, matched) = Job::new(state, &plan.query, count && !plan.by_id).await?;
    if plan.query.result_type == ResultType::Hits {
        return Ok(document(plan.hits_document(matched.unwrap_or(0)), &[]));
    }
    if plan.by_id {
        return by_id(job, plan).await;
    }
    let content_type = plan.format.content_type();
    let query = plan.query.clone();
    let receiver = job.spawn(query, move |pump, features, collection| match plan.format {
        WfsFormat::Gml(version) => {
            let mut writer = plan.gml_writer(&features.services, collection, version);
            writer.begin(&mut pump.out, &plan.gml_header(matched.unwrap_or(0)))?;
            pump.features(collection, |out, f| writer.feature(out, f))?;
            writer.end(&mut pump.out)
        }
        WfsFormat::GeoJson => {
            let mut writer = plan.geojson_writer(&features.services, collection);
            writer.begin(&mut pump.out)?;
            pump.features(collection, |out, f| writer.feature(out, f))?;
            let tail = plan.geojson_tail(matched, writer.returned());
            writer.end(&mut pump.out, &tail)
        }
    });
    Ok(streamed(receiver, content_type, &[]))
}

/// GetFeatureById: the feature alone, or NotFound.
async fn by_id(job: Job, plan: GetFeaturePlan) -> Result<Response, String> {
    let (sender, mut receiver) = mpsc::channel(1);
    let query = plan.query.clone();
    let format = plan.format;
    let not_found = plan.not_found();
    let mut body = job.spawn(query, move |pump, features, collection| {
        let Some(feature) = pump.first(collection)? else {
            let _ = sender.blocking_send(false);
            return Ok(());
        };
        let _ = sender.blocking_send(true);
        match format {
            WfsFormat::Gml(version) => {
                let mut writer = plan.gml_writer(&features.services, collection, version);
                writer.single(&mut pump.out, feature, &plan.schema_url())
            }
            WfsFormat::GeoJson => plan.geojson_writer(&features.services, collection).single(
                &mut pump.out,
                feature,
                &[],
            ),
        }
    });
    match receiver.recv().await {
        Some(true) => Ok(streamed(body, format.content_type(), &[])),
        Some(false) => {
            while body.recv().await.is_some() {}
            Ok(document(not_found, &[]))
        }
        None => Err("the feature query stopped".into()),
    }
}

fn accepts_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"))
}

async fn ogcapi_root(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    ogcapi(state, "", headers, query).await
}

async fn ogcapi_path(
    State(state): State<Arc<AppState>>,
    Path(rest): Path<String>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    ogcapi(state, &rest, headers, query).await
}

async fn ogcapi(
    state: Arc<AppState>,
    path: &str,
    headers: HeaderMap,
    query: Option<String>,
) -> Response {
    let segments: Vec<&str> = path
        .trim_end_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    let params = params(query);
    let response = state
        .features
        .services
        .ogcapi(&segments, &params, accepts_html(&headers));
    let result = match response {
        OapifResponse::Document(d) => return document(d, &[]),
        OapifResponse::Items(plan) => items(&state, *plan).await,
        OapifResponse::Item(plan) => item(&state, *plan).await,
    };
    result.unwrap_or_else(|message| {
        tracing::warn!("OGC API request failed: {message}");
        document(ogcapi::error(500, "ServerError", message), &[])
    })
}

async fn items(state: &AppState, plan: ItemsPlan) -> Result<Response, String> {
    let (job, matched) = Job::new(state, &plan.query, true).await?;
    let matched = matched.unwrap_or(0);
    let q = &plan.query;
    let more = q.offset.saturating_add(q.limit) < matched;
    let headers = [("content-crs", plan.content_crs())];
    let content_type = plan.content_type();
    let receiver = job.spawn(
        plan.query.clone(),
        move |pump, features, collection| match plan.representation {
            Representation::Json => {
                let mut writer = plan.geojson_writer(&features.services, collection);
                writer.begin(&mut pump.out)?;
                pump.features(collection, |out, f| writer.feature(out, f))?;
                writer.end(&mut pump.out, &plan.tail(Some(matched), more))
            }
            Representation::Html => {
                let mut writer = plan.html_writer(collection);
                writer.begin(&mut pump.out, plan.title())?;
                pump.features(collection, |out, f| writer.feature(out, &f))?;
                writer.end(&mut pump.out, Some(matched), &plan.links(more))
            }
        },
    );
    Ok(streamed(receiver, content_type, &headers))
}

async fn item(state: &AppState, plan: ItemPlan) -> Result<Response, String> {
    let (job, _) = Job::new(state, &plan.query, false).await?;
    let (sender, mut receiver) = mpsc::channel(1);
    let content_type = plan.content_type();
    let headers = [("content-crs", plan.content_crs())];
    let not_found = plan.not_found();
    let mut body = job.spawn(plan.query.clone(), move |pump, features, collection| {
        let Some(feature) = pump.first(collection)? else {
            let _ = sender.blocking_send(false);
            return Ok(());
        };
        let _ = sender.blocking_send(true);
        match plan.representation {
            Representation::Json => {
                let output = features
                    .services
                    .geometry_output(collection, plan.query.output_crs);
                let mut writer = ogc_features::encode::geojson::GeoJsonWriter::new(
                    plan.query.selected(collection),
                    output,
                    None,
                );
                writer.single(&mut pump.out, feature, &plan.links())
            }
            Representation::Html => {
                let mut writer = ogc_features::ogcapi::HtmlItemsWriter::new(
                    plan.query.selected(collection),
                    String::new(),
                );
                writer.begin(
                    &mut pump.out,
                    &format!("{} {}", collection.title, plan.feature_id),
                )?;
                writer.feature(&mut pump.out, &feature)?;
                writer.end(&mut pump.out, None, &plan.links())
            }
        }
    });
    match receiver.recv().await {
        Some(true) => Ok(streamed(body, content_type, &headers)),
        Some(false) => {
            while body.recv().await.is_some() {}
            Ok(document(not_found, &[]))
        }
        None => Err("the feature query stopped".into()),
    }
}
