//! The DataFusion source of feature collections: each [`FeatureQuery`] planned over the
//! collection's Parquet table ([`plan`]) and its record batches decoded into features
//! ([`BatchRows`]) as the encoder pulls them.

use std::sync::Arc;

use datafusion::physical_plan::SendableRecordBatchStream;
use datafusion::prelude::{DataFrame, SessionContext};
use futures::StreamExt;
use ogc_features::source::{FeatureIter, FeatureSource, SourceError};
use ogc_features::{Collection, Feature, FeatureQuery};
use tokio::runtime::Handle;

use super::plan;
use super::rows::BatchRows;
use super::setup::{Features, Source, SourceColumns};

/// The catalogue's tables as a [`FeatureSource`]. Its methods block on DataFusion's futures:
/// call them from a blocking thread, as `ogc-features` does.
pub struct DataFusionSource {
    features: Arc<Features>,
    ctx: SessionContext,
    handle: Handle,
}

impl DataFusionSource {
    pub fn new(features: Arc<Features>, ctx: SessionContext, handle: Handle) -> Self {
        Self {
            features,
            ctx,
            handle,
        }
    }

    fn source(&self, collection: &Collection) -> Result<&Source, SourceError> {
        self.features
            .source(&collection.id)
            .ok_or(SourceError::UnknownCollection)
    }

    fn filtered(
        &self,
        source: &Source,
        collection: &Collection,
        query: &FeatureQuery,
    ) -> Result<DataFrame, SourceError> {
        self.handle
            .block_on(plan::filtered(&self.ctx, source, collection, query))
            .map_err(SourceError::backend)
    }
}

impl FeatureSource for DataFusionSource {
    fn count(&self, collection: &Collection, query: &FeatureQuery) -> Result<u64, SourceError> {
        let filtered = self.filtered(self.source(collection)?, collection, query)?;
        let count = self
            .handle
            .block_on(filtered.count())
            .map_err(SourceError::backend)?;
        Ok(count as u64)
    }

    fn features<'a>(
        &'a self,
        collection: &'a Collection,
        query: &'a FeatureQuery,
    ) -> Result<FeatureIter<'a>, SourceError> {
        let source = self.source(collection)?;
        let filtered = self.filtered(source, collection, query)?;
        let page = plan::page(filtered, source, collection, query).map_err(SourceError::backend)?;
        let stream = self
            .handle
            .block_on(page.execute_stream())
            .map_err(SourceError::backend)?;
        Ok(Box::new(Rows {
            handle: &self.handle,
            stream,
            columns: &source.geometry,
            collection,
            query,
            batch: None,
            next: 0,
            bad: 0,
        }))
    }
}

/// The features of a record batch stream, decoded one batch at a time.
struct Rows<'a> {
    handle: &'a Handle,
    stream: SendableRecordBatchStream,
    columns: &'a SourceColumns,
    collection: &'a Collection,
    query: &'a FeatureQuery,
    batch: Option<BatchRows>,
    next: usize,
    /// Geometries that could not be decoded (written as null), for the log.
    bad: usize,
}

impl Rows<'_> {
    /// Decodes the next batch; None at the end of the stream.
    fn next_batch(&mut self) -> Option<Result<BatchRows, SourceError>> {
        let batch = match self.handle.block_on(self.stream.next())? {
            Ok(batch) => batch,
            Err(e) => return Some(Err(SourceError::backend(e))),
        };
        Some(
            BatchRows::new(&batch, self.columns, self.collection, self.query)
                .map_err(SourceError::backend),
        )
    }
}

impl Iterator for Rows<'_> {
    type Item = Result<Feature, SourceError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(rows) = &mut self.batch {
                if self.next < rows.len() {
                    self.next += 1;
                    return Some(Ok(rows.feature(self.next - 1)));
                }
                self.bad += rows.bad_geometries;
                self.batch = None;
            }
            match self.next_batch()? {
                Ok(rows) => {
                    self.batch = Some(rows);
                    self.next = 0;
                }
                Err(e) => return Some(Err(e)),
            }
        }
    }
}

impl Drop for Rows<'_> {
    fn drop(&mut self) {
        let bad = self.bad + self.batch.as_ref().map_or(0, |rows| rows.bad_geometries);
        if bad > 0 {
            tracing::warn!(
                "{}: {bad} geometries could not be decoded and were written as null",
                self.collection.id
            );
        }
    }
}
