//! The `[ogc]` section of vostok's configuration file.

use serde::Deserialize;

/// Raster layers and feature collections served through the OGC protocols.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OgcConfig {}
