//! The TAP 1.1 service: /sync and /async queries in ADQL, TAP_SCHEMA (in the catalogue), the
//! VOSI resources and the examples.

mod execute;
mod jobs;
mod request;
pub mod sync;
mod uploads;
pub mod vosi;

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use tokio::sync::Semaphore;

use crate::catalog::Catalog;
use crate::config::Config;
use execute::TapCore;
use registry::Detail;

/// Where TAP is mounted.
pub const PATH: &str = "/tap";

pub struct Tap {
    core: Arc<TapCore>,
    jobs: Arc<uws::Engine>,
    /// Slots for queries running at once.
    running: Arc<Semaphore>,
    scratch_dir: PathBuf,
    url: String,
    title: String,
    uws_limits: uws::UwsLimits,
    data_models: Vec<(String, String)>,
}

impl Tap {
    pub async fn open(
        config: &Config,
        catalog: Arc<Catalog>,
        base_url: &str,
    ) -> anyhow::Result<Arc<Self>> {
        let url = format!("{base_url}{PATH}");
        let data_dir = config.data_dir();
        let scratch_dir = data_dir.join("tmp");
        std::fs::create_dir_all(&scratch_dir)
            .with_context(|| format!("cannot create {}", scratch_dir.display()))?;
        let data_models = vosi::data_models(&catalog);
        let core = Arc::new(TapCore {
            catalog,
            config: config.tap.clone(),
        });
        let runner = Arc::new(jobs::TapRunner { core: core.clone() });
        let jobs = uws::Engine::open(
            &data_dir.join("uws"),
            config.uws.clone(),
            runner,
            format!("{url}/async"),
        )
        .await
        .context("cannot open the job store")?;
        Ok(Arc::new(Self {
            core,
            jobs,
            running: Arc::new(Semaphore::new(config.tap.max_concurrent_queries.max(1))),
            scratch_dir,
            url,
            title: config.server.title.clone(),
            uws_limits: config.uws.clone(),
            data_models,
        }))
    }

    /// The UWS job engine behind `/async`.
    pub fn jobs(&self) -> Arc<uws::Engine> {
        self.jobs.clone()
    }

    /// Stops the job engine: running jobs end as the engine documents for a shutdown.
    pub async fn shutdown(&self) {
        self.jobs.shutdown().await;
    }

    fn description(&self) -> vosi::TapDescription<'_> {
        vosi::TapDescription {
            url: &self.url,
            tap: &self.core.config,
            uws: &self.uws_limits,
            data_models: &self.data_models,
        }
    }

    /// The capabilities TAP declares, for its VOSI document and for the registry.
    pub fn capabilities(&self) -> Vec<registry::Capability> {
        self.description().capabilities()
    }
}

fn xml(document: String) -> Response {
    ([(CONTENT_TYPE, "text/xml; charset=utf-8")], document).into_response()
}

pub async fn capabilities(State(tap): State<Arc<Tap>>) -> Response {
    xml(registry::capability::vosi_document(&tap.capabilities()))
}

pub async fn availability() -> Response {
    xml(registry::capability::availability_document(
        true,
        "vostok is serving",
    ))
}

/// The query string of `/tap/tables`: `detail=min` or `max` (VOSI 1.1 §3.3.1).
#[derive(serde::Deserialize)]
pub struct TablesQuery {
    detail: Option<String>,
}

pub async fn tables(State(tap): State<Arc<Tap>>, Query(query): Query<TablesQuery>) -> Response {
    let detail = match query.detail.as_deref() {
        None | Some("max") => Detail::Max,
        Some("min") => Detail::Min,
        Some(other) => {
            return (
                StatusCode::BAD_REQUEST,
                format!("detail={other} is not min or max (VOSI 1.1 §3.3.1)"),
            )
                .into_response();
        }
    };
    xml(vosi::tableset(&tap.core.catalog).vosi_document(detail))
}

pub async fn table(State(tap): State<Arc<Tap>>, Path(name): Path<String>) -> Response {
    match vosi::tableset(&tap.core.catalog).table(&name) {
        Some(table) => xml(table.vosi_document()),
        None => (StatusCode::NOT_FOUND, format!("no table named {name}")).into_response(),
    }
}

pub async fn examples(State(tap): State<Arc<Tap>>) -> Response {
    let document = vosi::examples_document(&tap.title, &tap.core.config.examples);
    ([(CONTENT_TYPE, "application/xhtml+xml")], document).into_response()
}
