//! The HTTP server: one router over every enabled service, and its start-up.

use std::sync::Arc;

use anyhow::Context;
use axum::Router;
use axum::routing::get;

use crate::catalog::Catalog;
use crate::config::Config;

/// What every handler can reach.
pub struct AppState {
    pub config: Config,
    pub catalog: Catalog,
    /// Public base URL, without a trailing slash.
    pub base_url: String,
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
            name: "Health",
            path: "/health",
            description: "Liveness for load balancers",
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

pub async fn open(config: Config) -> anyhow::Result<Arc<AppState>> {
    let data_dir = config.data_dir();
    let spill_dir = data_dir.join("spill");
    std::fs::create_dir_all(&spill_dir)
        .with_context(|| format!("cannot create {}", spill_dir.display()))?;
    let ctx = crate::query::session(config.limits.query_memory_mib << 20, &spill_dir)?;
    let catalog = Catalog::open(&config, ctx).await?;
    let base_url = config.base_url();
    let features = crate::features::Features::open(&config, &catalog, &base_url).await?;
    Ok(Arc::new(AppState {
        base_url,
        config,
        catalog,
        features,
    }))
}

pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/", get(crate::web::landing_page))
        .route("/health", get(crate::web::health))
        .merge(crate::features::http::routes())
        .with_state(state)
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
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown_signal())
        .await
        .context("the HTTP server stopped")
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
