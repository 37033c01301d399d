//! The HTTP server: one router over every enabled service, and its start-up.

use std::sync::Arc;

use anyhow::Context;
use axum::Router;
use axum::routing::get;

use crate::catalog::Catalog;
use crate::config::Config;
use crate::tap::{self, Tap};

/// What every handler can reach.
pub struct AppState {
    pub config: Config,
    pub catalog: Arc<Catalog>,
    pub tap: Arc<Tap>,
    /// Public base URL, without a trailing slash.
    pub base_url: String,
    /// WMS, WMTS/XYZ tiles and WCS over the `[[ogc.raster]]` layers.
    pub ogc: ogc::RasterServices,
    /// WFS and OGC API – Features over the configured feature collections.
    pub features: Arc<crate::features::Features>,
}

/// One service endpoint, as the landing page and the start-up log list it.
pub struct ServiceLink {
    pub name: &'static str,
    pub path: &'static str,
    pub description: &'static str,
}

pub fn services() -> Vec<ServiceLink> {
    vec![
        ServiceLink {
            name: "Landing page",
            path: "/",
            description: "This page: tables and services",
        },
        ServiceLink {
            name: "TAP 1.1 (ADQL 2.1)",
            path: "/tap",
            description: "Table Access Protocol: /sync, /async, /tables, /capabilities, /examples",
        },
        ServiceLink {
            name: "Health",
            path: "/health",
            description: "Liveness for load balancers",
        },
        ServiceLink {
            name: "Simple Cone Search 1.03",
            path: "/scs/{schema}.{table}?RA=&DEC=&SR=",
            description: "A cone search for every sky table with a main identifier",
        },
        ServiceLink {
            name: "SIA 2.0",
            path: "/sia/query",
            description: "Image search over ivoa.obscore (POS, BAND, TIME, …); files at /data",
        },
        ServiceLink {
            name: "WFS",
            path: "/wfs?SERVICE=WFS&REQUEST=GetCapabilities",
            description: "Feature collections through WFS 2.0.0 and 1.1.0",
        },
        ServiceLink {
            name: "OGC API – Features",
            path: "/ogcapi",
            description: "Feature collections through OGC API – Features (Parts 1 and 2)",
        },
    ]
}

/// The catalogue of a configuration, with its query session spilling under the data folder.
pub async fn open_catalog(config: &Config) -> anyhow::Result<Catalog> {
    let spill_dir = config.data_dir().join("spill");
    std::fs::create_dir_all(&spill_dir)
        .with_context(|| format!("cannot create {}", spill_dir.display()))?;
    let ctx = crate::query::session(config.limits.query_memory_mib << 20, &spill_dir)?;
    Ok(Catalog::open(config, ctx).await?)
}

pub async fn open(config: Config) -> anyhow::Result<Arc<AppState>> {
    let catalog = Arc::new(open_catalog(&config).await?);
    crate::epntap::check_catalog(&catalog).await?;
    let base_url = config.base_url();
    let tap = Tap::open(&config, catalog.clone(), &base_url).await?;
    let ogc = ogc::RasterServices::new(&config.ogc, &config.base_dir, &base_url)
        .context("cannot open the [ogc] raster layers")?;
    let features = crate::features::Features::open(&config, &catalog, &base_url).await?;
    Ok(Arc::new(AppState {
        ogc,
        features,
        base_url,
        config,
        catalog,
        tap,
    }))
}

pub fn router(state: Arc<AppState>) -> Router {
    let tap = tap::routes(state.tap.clone());
    Router::new()
        .route("/", get(crate::web::landing_page))
        .route("/health", get(crate::web::health))
        .merge(crate::ogc_http::routes())
        .merge(crate::features::http::routes())
        .merge(crate::scs::routes())
        .merge(crate::sia::routes())
        .merge(crate::products::routes())
        .with_state(state)
        .nest(tap::PATH, tap)
        .layer(axum::middleware::map_response(server_header))
}

/// Names the software in every response (HTTP Server header, RFC 9110 §10.2.4).
async fn server_header(mut response: axum::response::Response) -> axum::response::Response {
    response.headers_mut().insert(
        axum::http::header::SERVER,
        axum::http::HeaderValue::from_static(concat!("vostok/", env!("CARGO_PKG_VERSION"))),
    );
    response
}

pub async fn serve(config: Config) -> anyhow::Result<()> {
    let bind = config.server.bind;
    let state = open(config).await?;
    let listener = tokio::net::TcpListener::bind(bind)
        .await
        .with_context(|| format!("cannot listen on {bind}"))?;
    let tables = state.catalog.tables().count();
    tracing::info!("serving {tables} tables at {}/", state.base_url);
    for service in services() {
        tracing::info!("{}: {}{}", service.name, state.base_url, service.path);
    }
    axum::serve(listener, router(state.clone()))
        .with_graceful_shutdown(shutdown_signal())
        .await
        .context("the HTTP server stopped")?;
    state.tap.shutdown().await;
    Ok(())
}

async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = interrupt => {}
        _ = terminate => {}
    }
    tracing::info!("shutting down");
}
