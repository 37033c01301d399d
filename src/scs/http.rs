//! The HTTP face of the cone searches: `/scs/{schema}.{table}` and its VOSI resources.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Path, Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use formats::{DocumentInfo, Info};
use registry::{Capability, ConeSearchCapability, Extension, Interface};

use super::{ConeRequest, ConeTable, PATH};
use crate::catalog::Catalog;
use crate::config::ScsConfig;
use crate::dal::{self, DalError, DalQuery, ErrorStyle, params};

/// What the cone searches read: the catalogue holding their tables, where they are published,
/// their limits and the time a query may take.
pub struct ConeSearchState {
    pub catalog: Arc<Catalog>,
    /// Public base URL, without a trailing slash.
    pub base_url: String,
    pub config: ScsConfig,
    /// A synchronous query's limit, as TAP's (`[tap] sync_timeout_s`).
    pub sync_timeout: Duration,
}

fn unknown(name: &str) -> DalError {
    DalError::not_found(format!(
        "no cone search named {name}: the tables with one are listed on the landing page"
    ))
}

pub async fn search(
    State(state): State<Arc<ConeSearchState>>,
    Path(name): Path<String>,
    request: Request,
) -> Response {
    match run(&state, &name, request).await {
        Ok(response) => response,
        Err(error) => error.response(ErrorStyle::Scs),
    }
}

async fn run(state: &ConeSearchState, name: &str, request: Request) -> Result<Response, DalError> {
    let table = ConeTable::find(&state.catalog, name).ok_or_else(|| unknown(name))?;
    let params = params::read(request).await?;
    let cone = ConeRequest::from_params(&params, &state.config)?;
    let columns: Vec<String> = table
        .columns(cone.verb)
        .iter()
        .map(|c| c.adql_name())
        .collect();
    let adql = format!(
        "SELECT {} FROM {}.{} WHERE 1 = CONTAINS(POINT('ICRS', {}, {}), CIRCLE('ICRS', {}, {}, {}))",
        columns.join(", "),
        table.table.schema,
        table.table.name,
        table.ra.adql_name(),
        table.dec.adql_name(),
        dal::run::number(cone.ra),
        dal::run::number(cone.dec),
        dal::run::number(cone.sr),
    );
    let query = DalQuery {
        adql,
        response_format: cone.response_format,
        max_rows: cone.max_rows,
        document: DocumentInfo {
            resource_name: Some(table.table.qualified_name()),
            table_description: table.table.description.clone(),
            infos: vec![Info {
                name: "SERVICE_PROTOCOL".to_owned(),
                value: "1.03".to_owned(),
                content: Some("ivo://ivoa.net/std/ConeSearch".to_owned()),
            }],
            ..DocumentInfo::default()
        },
        timeout: state.sync_timeout,
    };
    dal::run(&state.catalog, query, |fields| table.mark_fields(fields)).await
}

/// The capabilities of one cone search: `cs:ConeSearch` plus the VOSI resources.
pub fn capability_list(
    base_url: &str,
    config: &ScsConfig,
    table: &ConeTable<'_>,
) -> Vec<Capability> {
    let url = format!("{base_url}{PATH}/{}", table.table.qualified_name());
    vec![
        Capability {
            standard_id: registry::dal::CONE_SEARCH_ID.to_owned(),
            interfaces: vec![Interface {
                access_url: format!("{url}?"),
                url_use: "base",
                standard: true,
                version: None,
            }],
            extension: Extension::ConeSearch(Box::new(ConeSearchCapability {
                max_sr: config.max_sr,
                max_records: config.max_records,
                verbosity: true,
                // The Orion Nebula region: every demo sky table has rows there.
                test_query: Some((83.82, -5.39, 1.0f64.min(config.max_sr))),
            })),
        },
        Capability::plain(
            "ivo://ivoa.net/std/VOSI#capabilities",
            format!("{url}/capabilities"),
        ),
        Capability::plain(
            "ivo://ivoa.net/std/VOSI#availability",
            format!("{url}/availability"),
        ),
    ]
}

pub async fn capabilities(
    State(state): State<Arc<ConeSearchState>>,
    Path(name): Path<String>,
) -> Response {
    match ConeTable::find(&state.catalog, &name) {
        Some(table) => xml(registry::capability::vosi_document(&capability_list(
            &state.base_url,
            &state.config,
            &table,
        ))),
        None => unknown(&name).response(ErrorStyle::Scs),
    }
}

pub async fn availability(
    State(state): State<Arc<ConeSearchState>>,
    Path(name): Path<String>,
) -> Response {
    match ConeTable::find(&state.catalog, &name) {
        Some(_) => xml(registry::capability::availability_document(
            true,
            "vostok is serving",
        )),
        None => unknown(&name).response(ErrorStyle::Scs),
    }
}

fn xml(document: String) -> Response {
    ([(CONTENT_TYPE, "text/xml; charset=utf-8")], document).into_response()
}
