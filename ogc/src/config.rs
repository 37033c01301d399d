//! The `[ogc]` section of vostok's configuration file.

use serde::Deserialize;

/// Raster layers and feature collections served through the OGC protocols.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OgcConfig {
    /// Feature collections and the limits of WFS and OGC API – Features (`[ogc.features]`).
    #[serde(default)]
    pub features: crate::features::FeaturesConfig,
}
