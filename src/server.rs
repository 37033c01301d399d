//! The HTTP server: one router over every enabled service, and its start-up.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use axum::Router;

use crate::catalog::Catalog;
use crate::config::Config;
use crate::coverage::Coverages;
use crate::features::FeatureState;
use crate::products::ProductsState;
use crate::registry_http::{MocState, OaiState};
use crate::routes::AppState;
use crate::scs::ConeSearchState;
use crate::sia::SiaState;
use crate::tap::Tap;
use crate::web::LandingState;

/// The raster layers and the feature collections of `config`, checked against their files and
/// tables. `check-config` opens them too, so that it refuses what `serve` would.
pub async fn open_ogc(
    config: &Config,
    catalog: &Catalog,
    base_url: &str,
) -> anyhow::Result<(ogc_maps::RasterServices, Arc<crate::features::Features>)> {
    let rasters = ogc_maps::RasterServices::new(&config.ogc.maps(), &config.base_dir, base_url)
        .context("cannot open the [ogc] raster layers")?;
    let features = crate::features::Features::open(config, catalog, base_url).await?;
    Ok((rasters, features))
}

/// Opens everything the services read and gives each handler family its part.
pub async fn open(config: Config) -> anyhow::Result<AppState> {
    let catalog = Arc::new(crate::catalog::open_catalog(&config).await?);
    crate::epntap::check_catalog(&catalog).await?;
    let base_url = config.base_url();
    let tap = Tap::open(&config, catalog.clone(), &base_url).await?;
    let (ogc, features) = open_ogc(&config, &catalog, &base_url).await?;
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
    let services: Arc<[crate::services::Service]> = services.into();
    let sync_timeout = Duration::from_secs(config.tap.sync_timeout_s);
    Ok(AppState {
        landing: Arc::new(LandingState {
            title: config.server.title.clone(),
            catalog: catalog.clone(),
            services: services.clone(),
            base_url: base_url.clone(),
        }),
        cone_search: Arc::new(ConeSearchState {
            catalog: catalog.clone(),
            base_url: base_url.clone(),
            config: config.scs.clone(),
            sync_timeout,
        }),
        sia: Arc::new(SiaState {
            catalog: catalog.clone(),
            base_url: base_url.clone(),
            config: config.sia.clone(),
            sync_timeout,
        }),
        rasters: Arc::new(ogc),
        feature_queries: Arc::new(FeatureState {
            features: features.clone(),
            catalog: catalog.clone(),
        }),
        oai: Arc::new(OaiState {
            repository: registry,
        }),
        mocs: Arc::new(MocState {
            coverages,
            base_url,
        }),
        products: Arc::new(ProductsState {
            dir: config
                .products
                .dir
                .as_deref()
                .map(|dir| config.resolve(dir)),
        }),
        features,
        services,
        catalog,
        tap,
    })
}

/// The routes of every declared service, each response naming the software.
pub fn router(state: AppState) -> Router {
    crate::routes::router(state).layer(axum::middleware::map_response(server_header))
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
    let base_url = config.base_url();
    let state = open(config).await?;
    let listener = tokio::net::TcpListener::bind(bind)
        .await
        .with_context(|| format!("cannot listen on {bind}"))?;
    let tables = state.catalog.tables().count();
    tracing::info!("serving {tables} tables at {base_url}/");
    for service in state.services.iter() {
        tracing::info!("{}: {base_url}{}", service.name, service.path);
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
