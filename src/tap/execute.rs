//! Running one TAP query, the same way for /sync and for /async jobs: plan it, then stream its
//! result through the requested encoder into a writer.

use std::future::Future;
use std::io::Write;
use std::sync::Arc;

use datafusion::physical_plan::SendableRecordBatchStream;
use formats::{DocumentInfo, FormatError, Info};
use tokio::runtime::Handle;

use super::request::{Lang, TapRequest};
use crate::catalog::Catalog;
use crate::config::TapConfig;
use crate::dal::DalError;
use crate::query::adql::{QueryError, Upload, prepare};
use crate::query::results::{ResultSpec, Written, write_results};

/// What every TAP query needs: the catalogue and the limits.
pub struct TapCore {
    pub catalog: Arc<Catalog>,
    pub config: TapConfig,
}

/// A planned query whose rows are about to stream.
pub struct Started {
    stream: SendableRecordBatchStream,
    spec: ResultSpec,
}

impl TapCore {
    /// Plans the query and starts it; every error here is the client's (HTTP 400).
    pub async fn start(
        &self,
        request: &TapRequest,
        uploads: &[Upload],
    ) -> Result<Started, DalError> {
        let version = match request.lang {
            Lang::Adql20 => adql::Version::V2_0,
            Lang::Adql21 => adql::Version::V2_1,
        };
        let max_rows = self.config.maxrec(request.maxrec);
        let prepared = prepare(
            &self.catalog,
            &request.query,
            version,
            uploads,
            Some(max_rows + 1),
        )
        .await
        .map_err(|e| match e {
            QueryError::Adql(e) => DalError::bad_request(e.to_string()),
            QueryError::Plan(message) => {
                DalError::bad_request(format!("the query cannot be run: {message}"))
            }
        })?;
        let stream = prepared
            .frame
            .execute_stream()
            .await
            .map_err(|e| DalError::bad_request(format!("the query cannot be run: {e}")))?;
        let mut infos = vec![Info {
            name: "SERVICE_PROTOCOL".to_owned(),
            value: "1.1".to_owned(),
            content: Some("ivo://ivoa.net/std/TAP".to_owned()),
        }];
        if let Some(runid) = &request.runid {
            infos.push(Info::new("RUNID", runid.as_str()));
        }
        Ok(Started {
            stream,
            spec: ResultSpec {
                format: request.response_format.format,
                fields: prepared.fields,
                document: DocumentInfo {
                    query: Some(request.query.clone()),
                    infos,
                    ..DocumentInfo::default()
                },
                max_rows,
            },
        })
    }
}

impl Started {
    /// Streams the rows into `out` on a blocking thread until done or `stop` completes.
    pub async fn write(
        self,
        out: Box<dyn Write + Send>,
        stop: impl Future<Output = String> + Send + 'static,
    ) -> Result<Written, DalError> {
        let handle = Handle::current();
        tokio::task::spawn_blocking(move || self.write_blocking(&handle, out, stop))
            .await
            .map_err(|e| DalError::internal(format!("the result writer stopped: {e}")))?
            .map_err(|e| DalError::internal(format!("cannot write the result: {e}")))
    }

    /// Streams the rows into `out` from this (blocking) thread: see [`write_results`].
    pub fn write_blocking(
        self,
        handle: &Handle,
        out: Box<dyn Write + Send>,
        stop: impl Future<Output = String>,
    ) -> Result<Written, FormatError> {
        write_results(handle, self.stream, self.spec, out, stop)
    }
}
