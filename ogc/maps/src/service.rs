//! The raster services object: built once from the configuration, shared by all requests.

use crate::config::MapsConfig;
use crate::layer::{Layer, LayerError};
use crate::raster::{ChunkCache, new_chunk_cache};
use crate::tiles::TileCache;
use ogc_common::Kvp;
use ogc_common::{Code, OgcError, OgcResponse};
use std::path::Path;
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

#[derive(Debug, thiserror::Error)]
pub enum OgcConfigError {
    #[error(transparent)]
    Layer(#[from] LayerError),
    #[error("raster layer name '{0}' is used twice")]
    DuplicateName(String),
    #[error("[ogc.limits]: {0}")]
    Limits(String),
}

/// One service endpoint, for the server's landing page and the registry.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceEndpoint {
    /// "WMS", "WMTS", "XYZ", "WCS".
    pub protocol: &'static str,
    pub versions: &'static [&'static str],
    /// Absolute URL of the endpoint (capabilities URL for OGC services, template for XYZ).
    pub url: String,
}

/// WMS, WMTS, XYZ tiles and WCS over the configured raster layers. Synchronous and thread-safe:
/// call it from blocking worker threads.
pub struct RasterServices {
    pub(crate) config: MapsConfig,
    pub(crate) layers: Vec<Layer>,
    pub(crate) chunks: ChunkCache,
    pub(crate) tiles: TileCache,
    gate: RenderGate,
    pub(crate) base_url: String,
}

impl RasterServices {
    /// Opens every configured layer. `base_dir` resolves relative paths; `public_base_url`
    /// (e.g. `http://127.0.0.1:8080`) prefixes the URLs written into capabilities documents.
    pub fn new(
        config: &MapsConfig,
        base_dir: &Path,
        public_base_url: &str,
    ) -> Result<Self, OgcConfigError> {
        let l = &config.limits;
        if l.max_width == 0
            || l.max_height == 0
            || l.max_concurrent_renders == 0
            || l.max_coverage_pixels == 0
        {
            return Err(OgcConfigError::Limits(
                "sizes and concurrency must be positive".into(),
            ));
        }
        let mut layers: Vec<Layer> = Vec::new();
        for (i, cfg) in config.raster.iter().enumerate() {
            if layers.iter().any(|l| l.name == cfg.name) {
                return Err(OgcConfigError::DuplicateName(cfg.name.clone()));
            }
            layers.push(Layer::open(i as u32, cfg, base_dir)?);
        }
        Ok(Self {
            chunks: new_chunk_cache(l.source_cache_bytes),
            tiles: TileCache::new(l.tile_cache_bytes),
            gate: RenderGate::new(
                l.max_concurrent_renders,
                Duration::from_millis(l.queue_timeout_ms),
            ),
            base_url: public_base_url.trim_end_matches('/').to_string(),
            layers,
            config: config.clone(),
        })
    }

    pub fn layers(&self) -> &[Layer] {
        &self.layers
    }

    pub fn layer(&self, name: &str) -> Option<&Layer> {
        self.layers.iter().find(|l| l.name == name)
    }

    /// The endpoints served (empty when no raster layer is configured).
    pub fn endpoints(&self) -> Vec<ServiceEndpoint> {
        if self.layers.is_empty() {
            return Vec::new();
        }
        let b = &self.base_url;
        vec![
            ServiceEndpoint {
                protocol: "WMS",
                versions: &["1.3.0", "1.1.1"],
                url: format!("{b}/wms?SERVICE=WMS&REQUEST=GetCapabilities"),
            },
            ServiceEndpoint {
                protocol: "WMTS",
                versions: &["1.0.0"],
                url: format!("{b}/wmts?SERVICE=WMTS&REQUEST=GetCapabilities"),
            },
            ServiceEndpoint {
                protocol: "XYZ",
                versions: &[],
                url: format!("{b}/tiles/{{layer}}/{{z}}/{{x}}/{{y}}.png"),
            },
            ServiceEndpoint {
                protocol: "WCS",
                versions: &["2.0.1", "1.0.0"],
                url: format!("{b}/wcs?SERVICE=WCS&REQUEST=GetCapabilities"),
            },
        ]
    }

    /// WMS 1.1.1 / 1.3.0 (GetCapabilities, GetMap, GetFeatureInfo).
    pub fn wms(&self, kvp: &Kvp) -> OgcResponse {
        crate::wms::handle(self, kvp)
    }

    /// WMTS 1.0.0 in KVP encoding (GetCapabilities, GetTile, GetFeatureInfo is not offered).
    pub fn wmts(&self, kvp: &Kvp) -> OgcResponse {
        crate::wmts::handle_kvp(self, kvp)
    }

    /// WMTS 1.0.0 RESTful GetTile: `/wmts/1.0.0/{layer}/{style}/{tms}/{matrix}/{row}/{col}.{ext}`.
    pub fn wmts_rest_tile(
        &self,
        layer: &str,
        tms: &str,
        matrix: &str,
        row: u32,
        col: u32,
        extension: &str,
    ) -> OgcResponse {
        crate::wmts::rest_tile(self, layer, tms, matrix, row, col, extension)
    }

    /// XYZ tile `/tiles/{layer}/{z}/{x}/{y}.png`: Web Mercator for Earth layers, the
    /// equirectangular quad (2×1 tiles at z=0) for other bodies.
    pub fn tile(&self, layer: &str, z: u32, x: u32, y: u32) -> OgcResponse {
        crate::tiles::xyz(self, layer, z, x, y)
    }

    /// WCS 2.0.1 and 1.0.0 (GetCapabilities, DescribeCoverage, GetCoverage).
    pub fn wcs(&self, kvp: &Kvp) -> OgcResponse {
        crate::wcs::handle(self, kvp)
    }

    /// Runs a rendering under the concurrency limit.
    pub(crate) fn rendering<T>(
        &self,
        work: impl FnOnce() -> Result<T, OgcError>,
    ) -> Result<T, OgcError> {
        let _permit = self.gate.acquire().ok_or_else(|| {
            OgcError::new(
                Code::ServerBusy,
                None,
                "too many renderings at once; try again shortly",
            )
        })?;
        work()
    }
}

/// A counting semaphore for blocking callers, with a queueing timeout.
struct RenderGate {
    free: Mutex<usize>,
    freed: Condvar,
    timeout: Duration,
}

struct Permit<'a>(&'a RenderGate);

impl RenderGate {
    fn new(permits: usize, timeout: Duration) -> Self {
        Self {
            free: Mutex::new(permits),
            freed: Condvar::new(),
            timeout,
        }
    }

    fn acquire(&self) -> Option<Permit<'_>> {
        let deadline = Instant::now() + self.timeout;
        let mut free = self.free.lock().ok()?;
        while *free == 0 {
            let left = deadline.checked_duration_since(Instant::now())?;
            free = self.freed.wait_timeout(free, left).ok()?.0;
        }
        *free -= 1;
        Some(Permit(self))
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        if let Ok(mut free) = self.0.free.lock() {
            *free += 1;
        }
        self.0.freed.notify_one();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gate_times_out_when_all_permits_are_taken() {
        let gate = RenderGate::new(1, Duration::from_millis(20));
        let held = gate.acquire();
        assert!(held.is_some());
        assert!(gate.acquire().is_none());
        drop(held);
        assert!(gate.acquire().is_some());
    }
}
