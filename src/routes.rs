//! The route table: every path the server answers, by the kind of service that mounts it, over
//! one router state from which each handler extracts only the part it reads (axum `FromRef`
//! sub-states).

use std::sync::Arc;

use axum::Router;
use axum::extract::FromRef;
use axum::routing::get;
use ogc_maps::RasterServices;

use crate::catalog::Catalog;
use crate::features::{FeatureState, Features};
use crate::products::ProductsState;
use crate::registry_http::{MocState, OaiState};
use crate::scs::ConeSearchState;
use crate::services::{Kind, Service};
use crate::sia::SiaState;
use crate::tap::Tap;
use crate::web::LandingState;
use crate::{features, ogc_http, products, registry_http, scs, sia, tap, web};

/// The router's state: each handler family's part, shared; the catalogue and the feature
/// collections also for the start-up log and for in-process tests.
#[derive(Clone)]
pub struct AppState {
    pub catalog: Arc<Catalog>,
    /// Every enabled service, declared once (`crate::services`).
    pub services: Arc<[Service]>,
    pub tap: Arc<Tap>,
    /// WFS and OGC API – Features over the configured feature collections.
    pub features: Arc<Features>,
    pub landing: Arc<LandingState>,
    pub cone_search: Arc<ConeSearchState>,
    pub sia: Arc<SiaState>,
    /// WMS, WMTS/XYZ tiles and WCS over the `[[ogc.raster]]` layers.
    pub rasters: Arc<RasterServices>,
    pub feature_queries: Arc<FeatureState>,
    pub oai: Arc<OaiState>,
    pub mocs: Arc<MocState>,
    pub products: Arc<ProductsState>,
}

/// `impl FromRef<AppState>` for the type of each field, which a handler names to receive it.
macro_rules! sub_states {
    ($($field:ident: $type:ty),* $(,)?) => {
        $(impl FromRef<AppState> for $type {
            fn from_ref(state: &AppState) -> Self {
                state.$field.clone()
            }
        })*
    };
}

sub_states! {
    services: Arc<[Service]>,
    tap: Arc<Tap>,
    landing: Arc<LandingState>,
    cone_search: Arc<ConeSearchState>,
    sia: Arc<SiaState>,
    rasters: Arc<RasterServices>,
    feature_queries: Arc<FeatureState>,
    oai: Arc<OaiState>,
    mocs: Arc<MocState>,
    products: Arc<ProductsState>,
}

/// The routes of the declared services: every registered service's VOSI capabilities, then each
/// kind's routes once.
pub fn router(state: AppState) -> Router {
    let mut kinds: Vec<Kind> = Vec::new();
    for service in state.services.iter() {
        if !kinds.contains(&service.kind) {
            kinds.push(service.kind);
        }
    }
    let vosi = Router::new()
        .route(
            "/vosi/{key}/capabilities",
            get(registry_http::vosi_capabilities),
        )
        .with_state(state.clone());
    kinds
        .into_iter()
        .fold(vosi, |router, kind| router.merge(routes(kind, &state)))
}

/// The paths one kind of service answers.
fn routes(kind: Kind, state: &AppState) -> Router {
    let table: Router<AppState> = match kind {
        Kind::Landing => Router::new().route("/", get(web::landing_page)),
        Kind::Health => Router::new().route("/health", get(web::health)),
        Kind::Tap => {
            let tap_routes = Router::new()
                .route("/sync", get(tap::sync::sync).post(tap::sync::sync))
                .route("/capabilities", get(tap::capabilities))
                .route("/availability", get(tap::availability))
                .route("/tables", get(tap::tables))
                .route("/tables/{name}", get(tap::table))
                .route("/examples", get(tap::examples))
                .with_state(state.clone())
                // The `uws` crate's job routes carry their own state.
                .nest("/async", uws::routes(state.tap.jobs()));
            return Router::new().nest(tap::PATH, tap_routes);
        }
        Kind::Raster => Router::new()
            .route("/wms", get(ogc_http::wms))
            .route("/wmts", get(ogc_http::wmts))
            .route(
                "/wmts/1.0.0/{layer}/{style}/{tms}/{matrix}/{row}/{col}",
                get(ogc_http::wmts_rest),
            )
            .route("/tiles/{layer}/{z}/{x}/{y}", get(ogc_http::xyz))
            .route("/wcs", get(ogc_http::wcs)),
        Kind::Features => Router::new()
            .route("/wfs", get(features::http::wfs))
            .route("/ogcapi", get(features::http::ogcapi_root))
            .route("/ogcapi/", get(features::http::ogcapi_root))
            .route("/ogcapi/{*rest}", get(features::http::ogcapi_path)),
        Kind::Registry => Router::new().route(
            "/oai",
            get(registry_http::oai_get).post(registry_http::oai_post),
        ),
        Kind::Coverage => Router::new()
            .route("/moc", get(registry_http::moc_list))
            .route("/moc/{name}", get(registry_http::moc)),
        Kind::ConeSearch => {
            let path = scs::PATH;
            Router::new()
                .route(
                    &format!("{path}/{{table}}"),
                    get(scs::http::search).post(scs::http::search),
                )
                .route(
                    &format!("{path}/{{table}}/capabilities"),
                    get(scs::http::capabilities),
                )
                .route(
                    &format!("{path}/{{table}}/availability"),
                    get(scs::http::availability),
                )
        }
        Kind::Sia => {
            let path = sia::PATH;
            Router::new()
                .route(
                    &format!("{path}/query"),
                    get(sia::http::query).post(sia::http::query),
                )
                .route(
                    &format!("{path}/capabilities"),
                    get(sia::http::capabilities),
                )
                .route(
                    &format!("{path}/availability"),
                    get(sia::http::availability),
                )
        }
        Kind::Products => Router::new().route(
            &format!("{}/{{file}}", products::PATH),
            get(products::download),
        ),
    };
    table.with_state(state.clone())
}
