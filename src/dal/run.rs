//! Runs a DAL search, written as ADQL, and streams its rows back as the HTTP body.

use std::time::Duration;

use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use formats::{DocumentInfo, FieldMeta};

use super::DalError;
use super::params::ResponseFormat;
use crate::catalog::Catalog;
use crate::query::adql::{QueryError, prepare};
use crate::query::body::streamed_body;
use crate::query::results::{ResultSpec, time_limit_or_hangup, write_results};

/// A search ready to run.
pub struct DalQuery {
    /// The search as ADQL 2.1; built by the service from checked parameters.
    pub adql: String,
    pub response_format: ResponseFormat,
    /// Rows written at most; more make the result end with an OVERFLOW status.
    pub max_rows: u64,
    pub document: DocumentInfo,
    /// The search stops (with an ERROR INFO at the end of the document) after this long.
    pub timeout: Duration,
}

/// Plans `query`, lets `adjust` rewrite the FIELD descriptions (e.g. SCS's UCD1 words), and
/// answers with a body that streams the rows as the engine produces them.
pub async fn run(
    catalog: &Catalog,
    query: DalQuery,
    adjust: impl FnOnce(&mut Vec<FieldMeta>),
) -> Result<Response, DalError> {
    tracing::debug!("DAL search as ADQL: {}", query.adql);
    let prepared = prepare(
        catalog,
        &query.adql,
        adql::Version::V2_1,
        &[],
        Some(query.max_rows + 1),
    )
    .await
    .map_err(|e| match e {
        // The ADQL is ours: a failure to check it is the server's fault.
        QueryError::Adql(e) => DalError::internal(format!("the search is invalid: {e}")),
        QueryError::Plan(m) => DalError::internal(format!("the search cannot run: {m}")),
    })?;
    let mut fields = prepared.fields;
    adjust(&mut fields);
    let stream = prepared
        .frame
        .execute_stream()
        .await
        .map_err(|e| DalError::internal(format!("the search cannot run: {e}")))?;
    let content_type = query.response_format.content_type();
    let spec = ResultSpec {
        format: query.response_format.format,
        fields,
        document: query.document,
        max_rows: query.max_rows,
    };
    let timeout = query.timeout;
    let handle = tokio::runtime::Handle::current();
    let body = streamed_body(move |out| {
        let stop = time_limit_or_hangup(
            timeout,
            format!("the search was stopped after {} s", timeout.as_secs()),
            out.client_gone(),
        );
        if let Err(e) = write_results(&handle, stream, spec, Box::new(out), stop) {
            tracing::debug!("DAL search ended early: {e}");
        }
    });
    Ok(([(CONTENT_TYPE, content_type)], body).into_response())
}

/// A number written into ADQL: finite values only, in plain decimal notation.
pub fn number(value: f64) -> String {
    format!("{value:?}")
}
