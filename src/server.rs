//! The HTTP server: one router over every enabled service, and its start-up.

use std::sync::Arc;

use anyhow::Context;
use axum::Router;

use crate::catalog::Catalog;
use crate::config::Config;
use crate::coverage::Coverages;
use crate::services::Service;
use crate::tap::Tap;

/// What every handler can reach.
pub struct AppState {
    pub config: Config,
    pub catalog: Arc<Catalog>,
    pub tap: Arc<Tap>,
    /// Public base URL, without a trailing slash.
    pub base_url: String,
    /// WMS, WMTS/XYZ tiles and WCS over the `[[ogc.raster]]` layers.
    pub ogc: ogc_maps::RasterServices,
    /// WFS and OGC API – Features over the configured feature collections.
    pub features: Arc<crate::features::Features>,
    /// Every enabled service, declared once (`crate::services`).
    pub services: Vec<Service>,
    /// The sky coverage of the catalogues.
    pub coverages: Coverages,
    /// The OAI-PMH publishing registry, when `[registry] authority` is set.
    pub registry: Option<registry::oai_pmh::Repository>,
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
    let ogc = ogc_maps::RasterServices::new(&config.ogc.maps(), &config.base_dir, &base_url)
        .context("cannot open the [ogc] raster layers")?;
    let features = crate::features::Features::open(&config, &catalog, &base_url).await?;
    let services = crate::services::declare(&crate::services::Parts {
        base_url: &base_url,
        catalog: &catalog,
        config: &config,
        tap: &tap,
        tables: crate::tap::vosi::tableset(&catalog),
        ogc: &ogc,
        features: &features,
        feature_tables: config
            .ogc
            .features
            .collections
            .values()
            .map(|c| c.table.clone())
            .collect(),
        registry_page_size: config
            .registry
            .authority
            .is_some()
            .then_some(config.registry.records_per_page),
    });
    let coverages = {
        let catalog = catalog.clone();
        let cache = crate::coverage::MocCache::new(config.data_dir().join("moc"));
        tokio::task::spawn_blocking(move || Coverages::compute(&catalog, &cache))
            .await
            .context("the coverage computation stopped")??
    };
    let registry = crate::publish::repository(
        &config,
        &base_url,
        &services,
        &catalog,
        &coverages,
        chrono::Utc::now(),
    )
    .context("cannot prepare the registry records")?;
    Ok(Arc::new(AppState {
        ogc,
        features,
        services,
        coverages,
        registry,
        base_url,
        config,
        catalog,
        tap,
    }))
}

/// The routes of every declared service, each response naming the software.
pub fn router(state: Arc<AppState>) -> Router {
    crate::services::router(&state).layer(axum::middleware::map_response(server_header))
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
    for service in &state.services {
        tracing::info!("{}: {}{}", service.name, state.base_url, service.path);
    }
    // Responses go out in several writes (head, then body chunks); with Nagle's algorithm the
    // second waits for the client's delayed ACK, about 40 ms on Linux, on every request.
    let listener = axum::serve::ListenerExt::tap_io(listener, |stream| {
        if let Err(e) = stream.set_nodelay(true) {
            tracing::debug!("cannot set TCP_NODELAY: {e}");
        }
    });
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
