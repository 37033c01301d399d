//! The HTTP face of SIA 2.0: `/sia/query` and its VOSI resources.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use formats::{DocumentInfo, Info, OutputFormat};
use registry::{Capability, Extension, Interface};

use super::{PATH, SiaRequest, where_clause};
use crate::catalog::{Catalog, TableInfo};
use crate::config::SiaConfig;
use crate::dal::{self, DalError, DalQuery, params};

/// What SIA reads: the catalogue holding the ObsCore table, where the service is published, its
/// limits and the time a query may take.
pub struct SiaState {
    pub catalog: Arc<Catalog>,
    /// Public base URL, without a trailing slash.
    pub base_url: String,
    pub config: SiaConfig,
    /// A synchronous query's limit, as TAP's (`[tap] sync_timeout_s`).
    pub sync_timeout: Duration,
}

/// The ObsCore table SIA searches, if the catalogue has it.
fn obscore(state: &SiaState) -> Option<&TableInfo> {
    let (schema, table) = state.config.table.split_once('.')?;
    state.catalog.table(schema, table)
}

fn disabled(state: &SiaState) -> DalError {
    DalError::not_found(format!(
        "SIA is not available: the catalogue has no table {}",
        state.config.table
    ))
}

pub async fn query(State(state): State<Arc<SiaState>>, request: Request) -> Response {
    match run(&state, request).await {
        Ok(response) => response,
        Err(error) => error.into_response(),
    }
}

async fn run(state: &SiaState, request: Request) -> Result<Response, DalError> {
    let table = obscore(state).ok_or_else(|| disabled(state))?;
    let params = params::read(request).await?;
    let search = SiaRequest::from_params(&params)?;
    let response_format = params::response_format(&params, OutputFormat::VotableBinary2)?;
    let config = &state.config;
    let max_rows = search
        .maxrec
        .unwrap_or(config.maxrec_default)
        .min(config.maxrec_hard);
    let adql = format!(
        "SELECT * FROM {}.{}{}",
        table.schema,
        table.name,
        where_clause(&search.conditions)
    );
    let query = DalQuery {
        adql,
        response_format,
        max_rows,
        document: DocumentInfo {
            resource_name: Some(table.qualified_name()),
            infos: vec![Info {
                name: "SERVICE_PROTOCOL".to_owned(),
                value: "2.0".to_owned(),
                content: Some("ivo://ivoa.net/std/SIA".to_owned()),
            }],
            ..DocumentInfo::default()
        },
        timeout: state.sync_timeout,
    };
    dal::run(&state.catalog, query, |_| {}).await
}

/// The capabilities of the SIA service: SIA 2.0 query plus the VOSI resources.
pub fn capability_list(base_url: &str) -> Vec<Capability> {
    let url = format!("{base_url}{PATH}");
    vec![
        Capability {
            standard_id: registry::dal::SIA2_QUERY_ID.to_owned(),
            interfaces: vec![Interface {
                access_url: format!("{url}/query"),
                url_use: "full",
                standard: true,
                version: None,
            }],
            extension: Extension::None,
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

pub async fn capabilities(State(state): State<Arc<SiaState>>) -> Response {
    if obscore(&state).is_none() {
        return disabled(&state).into_response();
    }
    xml(registry::capability::vosi_document(&capability_list(
        &state.base_url,
    )))
}

pub async fn availability(State(state): State<Arc<SiaState>>) -> Response {
    let available = obscore(&state).is_some();
    xml(registry::capability::availability_document(
        available,
        if available {
            "vostok is serving"
        } else {
            "no ObsCore table is configured"
        },
    ))
}

fn xml(document: String) -> Response {
    ([(CONTENT_TYPE, "text/xml; charset=utf-8")], document).into_response()
}
