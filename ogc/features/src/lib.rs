//! Vector features of vostok: WFS 2.0/1.1.0 and OGC API – Features over feature collections,
//! with FES and CQL2 filters and the GeoJSON, GML and HTML encoders.
//!
//! Requests become one neutral [`query::FeatureQuery`]; [`answer`] runs it over a
//! [`FeatureSource`] (the server implements one over DataFusion) — counts, hits, pages and
//! get-by-id — and hands each [`collection::Feature`] to a streaming encoder
//! ([`encode::geojson`], [`encode::gml`], the HTML pages). Geometries are longitude/latitude degrees on Earth or Mars; the [`seam`]
//! and [`sphere`] modules make them draw right in planar clients.

pub mod answer;
pub mod collection;
pub mod config;
pub mod cql2;
pub mod crs;
pub mod encode;
pub mod fes;
pub mod geometry;
pub mod intersects;
pub mod ogcapi;
pub mod query;
pub mod region;
pub mod seam;
pub mod service;
pub mod source;
pub mod sphere;
pub mod wfs;

pub use collection::{Collection, Feature, GeometryKind, Property, PropertyType, Value};
pub use config::{CollectionConfig, Edges, FeaturesConfig, GeometrySource};
pub use crs::{Crs, StorageCrs, parse_geographic};
pub use geometry::Geometry;
pub use query::{FeatureQuery, Filter, Literal};
pub use service::FeatureServices;
pub use source::{FeatureSource, SourceError};
