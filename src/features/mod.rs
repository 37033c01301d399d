//! The feature services on the server side: collections resolved against the catalogue at
//! start-up, queries run in DataFusion, features streamed into the `ogc-features` crate's encoders.
//!
//! - [`setup`]: `[ogc.features]` collections checked against their tables, extents computed;
//! - [`plan`]: a `FeatureQuery` as a DataFusion plan (bbox pruning, exact test, paging order);
//! - [`rows`]: record batches as `ogc-features` features;
//! - [`http`]: the thin `/wfs` and `/ogcapi` handlers and the streamed bodies.

pub mod http;
mod intersects_udf;
pub mod plan;
pub mod rows;
pub mod setup;

pub use setup::{Features, SourceColumns};
