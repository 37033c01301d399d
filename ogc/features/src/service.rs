//! The feature services object: the collections and limits, built once by the server from the
//! configuration and the catalogue, shared by every request.

use super::collection::Collection;
use super::config::FeaturesConfig;
use super::crs::Crs;
use super::encode::GeometryOutput;

/// Limits and output settings of the feature services (`[ogc.features]`).
#[derive(Debug, Clone, Copy)]
pub struct FeatureLimits {
    pub default_limit: u64,
    pub max_limit: u64,
    pub precision: u8,
    pub densify_deg: f64,
}

pub struct FeatureServices {
    pub limits: FeatureLimits,
    collections: Vec<Collection>,
    /// Public base URL without a trailing slash.
    base_url: String,
    title: String,
}

#[derive(Debug, thiserror::Error)]
#[error("[ogc.features]: {0}")]
pub struct LimitsError(String);

impl FeatureServices {
    pub fn new(
        config: &FeaturesConfig,
        collections: Vec<Collection>,
        base_url: &str,
        title: &str,
    ) -> Result<Self, LimitsError> {
        if config.default_limit == 0 || config.max_limit < config.default_limit {
            return Err(LimitsError(
                "limits must satisfy 0 < default_limit ≤ max_limit".into(),
            ));
        }
        if config.precision > 15 {
            return Err(LimitsError("precision is at most 15 decimals".into()));
        }
        Ok(Self {
            limits: FeatureLimits {
                default_limit: config.default_limit,
                max_limit: config.max_limit,
                precision: config.precision,
                densify_deg: config.densify_deg,
            },
            collections,
            base_url: base_url.trim_end_matches('/').to_owned(),
            title: title.to_owned(),
        })
    }

    pub fn collections(&self) -> &[Collection] {
        &self.collections
    }

    pub fn collection(&self, id: &str) -> Option<&Collection> {
        self.collections.iter().find(|c| c.id == id)
    }

    /// A WFS type name, `prefix:name` or `name`: matched on its local part.
    pub fn collection_by_type_name(&self, type_name: &str) -> Option<&Collection> {
        let local = type_name.trim().rsplit(':').next().unwrap_or(type_name);
        self.collection(local)
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    pub fn title(&self) -> &str {
        &self.title
    }

    pub fn wfs_url(&self) -> String {
        format!("{}/wfs", self.base_url)
    }

    pub fn ogcapi_url(&self) -> String {
        format!("{}/ogcapi", self.base_url)
    }

    /// How geometries of `collection` are written in `crs`.
    pub fn geometry_output(&self, collection: &Collection, crs: Crs) -> GeometryOutput {
        GeometryOutput::new(
            collection.edges,
            self.limits.densify_deg,
            crs,
            self.limits.precision,
        )
    }
}
