//! The raster keys of the `[ogc]` section of vostok's configuration file.
//!
//! Raster layers are `[[ogc.raster]]` entries, raster limits `[ogc.limits]` (feature
//! collections, `[ogc.features]`, belong to `ogc-features`). Paths are relative to the
//! configuration file's folder (the service is built with that folder as its base).

use serde::Deserialize;
use std::path::PathBuf;

/// Raster layers (WMS, tiles/WMTS, WCS), with the limits that protect the server.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MapsConfig {
    /// Service-level metadata shown in capabilities documents.
    #[serde(default)]
    pub service: ServiceMetadata,
    /// Raster layers, in the order they are listed in capabilities documents.
    #[serde(default)]
    pub raster: Vec<RasterLayerConfig>,
    #[serde(default)]
    pub limits: OgcLimits,
    /// Axis order of IAU geographic CRSs (IAU_2015:49900) in WMS 1.3.0 and WCS 2.0 requests.
    #[serde(default)]
    pub iau_geographic_axis_order: AxisOrder,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServiceMetadata {
    pub title: String,
    #[serde(rename = "abstract")]
    pub abstract_text: String,
    pub keywords: Vec<String>,
}

impl Default for ServiceMetadata {
    fn default() -> Self {
        Self {
            title: "vostok OGC raster services".into(),
            abstract_text: "Planetary and Earth rasters served by vostok".into(),
            keywords: vec!["Mars".into(), "planetary".into()],
        }
    }
}

/// Order of the two coordinates of an IAU geographic CRS in WMS 1.3.0, WCS 2.0 and WMTS.
///
/// The IAU_2015 definitions (PROJ database) put latitude first, but GDAL 3.6 swaps axes only
/// for EPSG codes: its WMS 1.3.0 and WCS 2.0 clients send and read IAU_2015:49900 coordinates
/// longitude first (observed), as MapServer serves them. Hence the default; clients that follow
/// the definition (QGIS derives axis order from PROJ) need `lat_lon`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AxisOrder {
    /// Latitude first, as the IAU_2015 definition has it.
    LatLon,
    /// Longitude first, as GDAL sends and reads it.
    #[default]
    LonLat,
}

/// One raster layer: a GeoTIFF (georeferencing read from the file) or a plain image (PNG/JPEG)
/// whose extent is given here.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RasterLayerConfig {
    /// Layer name used in LAYERS=, LAYER=, COVERAGEID= and tile URLs.
    pub name: String,
    pub title: Option<String>,
    #[serde(rename = "abstract")]
    pub abstract_text: Option<String>,
    /// GeoTIFF, PNG or JPEG file, relative to the configuration file's folder.
    pub path: PathBuf,
    /// CRS of the file (e.g. "IAU_2015:49900", "EPSG:4326"). Required for plain images; for
    /// GeoTIFFs it overrides what the GeoKeys say.
    pub crs: Option<String>,
    /// Extent `[minx, miny, maxx, maxy]` in the layer CRS (x = longitude for geographic CRSs).
    /// Required for plain images; overrides the GeoTIFF georeferencing when given.
    pub extent: Option<[f64; 4]>,
    /// NoData value (overrides the GDAL_NODATA tag of a GeoTIFF).
    pub nodata: Option<f64>,
    /// Value-to-colour mapping for single-band and non-8-bit data.
    pub stretch: Option<StretchConfig>,
    #[serde(default)]
    pub resampling: Resampling,
}

/// Linear stretch of `[min, max]` onto a colour ramp (grey when no colours are given).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StretchConfig {
    pub min: f64,
    pub max: f64,
    /// Colour stops, evenly spaced from min to max, as "#rrggbb".
    #[serde(default)]
    pub colors: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Resampling {
    Nearest,
    #[default]
    Bilinear,
}

/// Limits of the raster services; each is advertised where the protocol has a place for it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OgcLimits {
    /// WMS MaxWidth / MaxHeight, also the largest WCS output side.
    pub max_width: u32,
    pub max_height: u32,
    /// Largest WCS output, in pixels (width × height).
    pub max_coverage_pixels: u64,
    /// Bytes of decoded source tiles kept in memory.
    pub source_cache_bytes: u64,
    /// Bytes of rendered tiles kept in memory.
    pub tile_cache_bytes: u64,
    /// Renderings running at once; further requests wait up to `queue_timeout_ms`.
    pub max_concurrent_renders: usize,
    pub queue_timeout_ms: u64,
    /// Cache-Control max-age of tiles, in seconds.
    pub tile_max_age_s: u32,
}

impl Default for OgcLimits {
    fn default() -> Self {
        Self {
            max_width: 4096,
            max_height: 4096,
            max_coverage_pixels: 16 * 1024 * 1024,
            source_cache_bytes: 256 * 1024 * 1024,
            tile_cache_bytes: 128 * 1024 * 1024,
            max_concurrent_renders: 8,
            queue_timeout_ms: 10_000,
            tile_max_age_s: 3600,
        }
    }
}
