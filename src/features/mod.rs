//! The feature services on the server side: collections resolved against the catalogue at
//! start-up, and the DataFusion [`FeatureSource`](ogc_features::FeatureSource) that
//! `ogc-features` runs its queries over.
//!
//! - [`setup`]: `[ogc.features]` collections checked against their tables, extents computed;
//! - [`plan`]: a `FeatureQuery` as a DataFusion plan (bbox pruning, exact test, paging order);
//! - [`rows`]: record batches as `ogc-features` features;
//! - [`source`]: the two as a `FeatureSource`;
//! - [`http`]: the thin `/wfs` and `/ogcapi` handlers and the streamed bodies.

pub mod http;
mod intersects_udf;
pub mod plan;
pub mod rows;
pub mod setup;
pub mod source;

pub use setup::{Features, SourceColumns};

use std::sync::Arc;

use crate::catalog::Catalog;

/// What the feature handlers read: the collections, and the catalogue their queries run in.
pub struct FeatureState {
    pub features: Arc<Features>,
    pub catalog: Arc<Catalog>,
}
