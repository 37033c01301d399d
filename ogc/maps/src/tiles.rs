//! Tile matrix sets, tile rendering and the rendered-tile cache, shared by XYZ and WMTS.

use crate::crs::{Body, Crs, MapCrs};
use crate::layer::Layer;
use crate::render::encode::{self, ImageFormat};
use crate::render::warp::Grid;
use crate::render::{self, MapSpec};
use crate::service::RasterServices;
use bytes::Bytes;
use ogc_common::{OgcError, OgcResponse};
use quick_cache::Weighter;
use quick_cache::sync::Cache;
use std::hash::{Hash, Hasher};

pub const TILE_SIZE: u32 = 256;
/// Deepest zoom level served.
pub const MAX_ZOOM: u32 = 24;
/// WMTS standardised rendering pixel size, metres (WMTS 1.0 §6.1).
const PIXEL_SIZE_M: f64 = 0.00028;
const WEB_MERCATOR_HALF: f64 = 20_037_508.342_789_244;

/// The two tile matrix sets: OGC WebMercatorQuad (Earth) and a geographic quad for Mars with
/// 2×1 tiles at zoom 0, the layout of WorldCRS84Quad (OGC 17-083r2 Annex D) on Mars.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TileMatrixSet {
    WebMercatorQuad,
    MarsGeographicQuad,
}

impl TileMatrixSet {
    pub fn for_body(body: Body) -> Self {
        match body {
            Body::Earth => TileMatrixSet::WebMercatorQuad,
            Body::Mars => TileMatrixSet::MarsGeographicQuad,
        }
    }

    pub fn id(self) -> &'static str {
        match self {
            TileMatrixSet::WebMercatorQuad => "WebMercatorQuad",
            TileMatrixSet::MarsGeographicQuad => "MarsGeographicQuad",
        }
    }

    pub fn parse(id: &str) -> Option<Self> {
        [
            TileMatrixSet::WebMercatorQuad,
            TileMatrixSet::MarsGeographicQuad,
        ]
        .into_iter()
        .find(|t| {
            t.id().eq_ignore_ascii_case(id)
                || (id.eq_ignore_ascii_case("GoogleMapsCompatible")
                    && *t == TileMatrixSet::WebMercatorQuad)
        })
    }

    pub fn crs(self) -> Crs {
        match self {
            TileMatrixSet::WebMercatorQuad => Crs::Epsg3857,
            TileMatrixSet::MarsGeographicQuad => Crs::Mars49900,
        }
    }

    /// The full extent, x first.
    pub fn extent(self) -> [f64; 4] {
        match self {
            TileMatrixSet::WebMercatorQuad => [
                -WEB_MERCATOR_HALF,
                -WEB_MERCATOR_HALF,
                WEB_MERCATOR_HALF,
                WEB_MERCATOR_HALF,
            ],
            TileMatrixSet::MarsGeographicQuad => [-180.0, -90.0, 180.0, 90.0],
        }
    }

    /// Tiles across and down at zoom `z`.
    pub fn matrix_size(self, z: u32) -> (u32, u32) {
        match self {
            TileMatrixSet::WebMercatorQuad => (1 << z, 1 << z),
            TileMatrixSet::MarsGeographicQuad => (2 << z, 1 << z),
        }
    }

    /// Size of one pixel at zoom `z`, in CRS units.
    pub fn pixel_size(self, z: u32) -> f64 {
        let e = self.extent();
        (e[3] - e[1]) / f64::from(self.matrix_size(z).1 * TILE_SIZE)
    }

    /// Metres per CRS unit in the ScaleDenominator formula (WMTS 1.0 §6.1). For degrees this is
    /// the WGS 84 value, 2π·6378137/360, even on Mars: GDAL's and QGIS's WMTS clients turn scale
    /// denominators of any geographic CRS back into degrees with that constant, so only it gives
    /// them the quad's 180/256/2^z degrees per pixel.
    fn metres_per_unit(self) -> f64 {
        match self {
            TileMatrixSet::WebMercatorQuad => 1.0,
            TileMatrixSet::MarsGeographicQuad => 2.0 * std::f64::consts::PI * 6_378_137.0 / 360.0,
        }
    }

    pub fn scale_denominator(self, z: u32) -> f64 {
        self.pixel_size(z) * self.metres_per_unit() / PIXEL_SIZE_M
    }

    /// The extent of tile (col, row) at zoom `z`, x first; None outside the matrix.
    pub fn tile_bbox(self, z: u32, col: u32, row: u32) -> Option<[f64; 4]> {
        let (w, h) = self.matrix_size(z);
        if z > MAX_ZOOM || col >= w || row >= h {
            return None;
        }
        let e = self.extent();
        let size = self.pixel_size(z) * f64::from(TILE_SIZE);
        let minx = e[0] + f64::from(col) * size;
        let maxy = e[3] - f64::from(row) * size;
        Some([minx, maxy - size, minx + size, maxy])
    }

    /// The deepest zoom level whose pixels are still coarser than the layer's.
    pub fn max_zoom_for(self, layer: &Layer) -> u32 {
        let src = layer.source.geo();
        // Source pixel size in this set's units, measured at the source's centre.
        let extent = layer.source.extent();
        let (cx, cy) = ((extent[0] + extent[2]) / 2.0, (extent[1] + extent[3]) / 2.0);
        let to_set = |x: f64, y: f64| {
            layer
                .crs
                .to_lonlat(x, y)
                .and_then(|(lon, lat)| self.crs().from_lonlat(lon, lat))
        };
        let size = match (to_set(cx, cy), to_set(cx + src.dx, cy)) {
            (Some(a), Some(b)) => (b.0 - a.0).abs(),
            _ => 0.0,
        };
        if size.is_nan() || size <= 0.0 {
            return 0;
        }
        (0..=MAX_ZOOM)
            .find(|&z| self.pixel_size(z) <= size * 1.01)
            .unwrap_or(MAX_ZOOM)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct TileKey {
    layer: usize,
    tms: TileMatrixSet,
    z: u32,
    col: u32,
    row: u32,
    format: &'static str,
}

#[derive(Debug, Clone)]
struct CachedTile {
    body: Bytes,
    etag: String,
}

#[derive(Clone)]
struct TileWeighter;

impl Weighter<TileKey, CachedTile> for TileWeighter {
    fn weight(&self, _key: &TileKey, tile: &CachedTile) -> u64 {
        tile.body.len() as u64 + 64
    }
}

/// Rendered tiles, bounded in bytes.
pub struct TileCache(Cache<TileKey, CachedTile, TileWeighter>);

impl TileCache {
    pub fn new(bytes: u64) -> Self {
        let items = (bytes / 20_000).max(16) as usize;
        Self(Cache::with_weighter(items, bytes.max(1), TileWeighter))
    }
}

/// Why a tile could not be produced.
pub enum TileError {
    UnknownLayer,
    OutOfRange,
    Failed(OgcError),
}

/// Renders a tile, or takes it from the cache, with ETag and Cache-Control.
pub fn tile_response(
    svc: &RasterServices,
    layer_name: &str,
    tms: TileMatrixSet,
    z: u32,
    col: u32,
    row: u32,
    format: ImageFormat,
) -> Result<OgcResponse, TileError> {
    let index = svc
        .layers
        .iter()
        .position(|l| l.name == layer_name)
        .ok_or(TileError::UnknownLayer)?;
    let layer = &svc.layers[index];
    let bbox = tms.tile_bbox(z, col, row).ok_or(TileError::OutOfRange)?;
    let key = TileKey {
        layer: index,
        tms,
        z,
        col,
        row,
        format: format_key(format),
    };
    let tile = svc
        .tiles
        .0
        .get_or_insert_with(&key, || {
            svc.rendering(|| {
                let spec = MapSpec {
                    layers: vec![layer],
                    grid: Grid {
                        crs: tms.crs(),
                        bbox,
                        width: TILE_SIZE,
                        height: TILE_SIZE,
                    },
                    background: [0, 0, 0],
                    transparent: format != ImageFormat::Jpeg,
                    resampling: None,
                };
                let rgba = render::render_rgba(&spec, &svc.chunks)
                    .map_err(|e| OgcError::internal(e.to_string()))?;
                let body = encode::encode(&rgba, TILE_SIZE, TILE_SIZE, format, spec.transparent)
                    .map_err(|e| OgcError::internal(e.to_string()))?;
                Ok(CachedTile {
                    etag: etag(&body),
                    body: body.into(),
                })
            })
        })
        .map_err(TileError::Failed)?;
    Ok(OgcResponse::ok(format.mime(), tile.body)
        .with_header("ETag", tile.etag)
        .with_header(
            "Cache-Control",
            format!("public, max-age={}", svc.config.limits.tile_max_age_s),
        ))
}

fn format_key(format: ImageFormat) -> &'static str {
    match format {
        ImageFormat::Png => "png",
        ImageFormat::Png8 => "png8",
        ImageFormat::Png24 => "png24",
        ImageFormat::Png32 => "png32",
        ImageFormat::Jpeg => "jpeg",
    }
}

/// A strong validator from the tile's bytes.
fn etag(body: &[u8]) -> String {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    body.hash(&mut h);
    format!("\"{:016x}-{:x}\"", h.finish(), body.len())
}

/// `/tiles/{layer}/{z}/{x}/{y}.png`.
pub fn xyz(svc: &RasterServices, layer: &str, z: u32, x: u32, y: u32) -> OgcResponse {
    let tms = match svc.layer(layer) {
        Some(l) => TileMatrixSet::for_body(l.body),
        None => return plain(404, format!("no layer '{layer}'")),
    };
    match tile_response(svc, layer, tms, z, x, y, ImageFormat::Png) {
        Ok(r) => r,
        Err(TileError::UnknownLayer) => plain(404, format!("no layer '{layer}'")),
        Err(TileError::OutOfRange) => plain(
            404,
            format!(
                "tile {z}/{x}/{y} is outside the {} tile matrix set",
                tms.id()
            ),
        ),
        Err(TileError::Failed(e)) => plain(e.code.status(), e.message),
    }
}

fn plain(status: u16, message: String) -> OgcResponse {
    OgcResponse {
        status,
        content_type: "text/plain; charset=utf-8".into(),
        headers: Vec::new(),
        body: message.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_mercator_quad_matches_the_standard() {
        let t = TileMatrixSet::WebMercatorQuad;
        // OGC 17-083r2 Table D.1: zoom 0 scale denominator 559082264.028717.
        assert!((t.scale_denominator(0) - 559_082_264.028_717).abs() < 1e-3);
        assert_eq!(
            t.tile_bbox(1, 1, 0).unwrap(),
            [0.0, 0.0, WEB_MERCATOR_HALF, WEB_MERCATOR_HALF]
        );
        assert!(t.tile_bbox(1, 2, 0).is_none());
    }

    #[test]
    fn mars_quad_has_two_tiles_at_zoom_zero() {
        let t = TileMatrixSet::MarsGeographicQuad;
        // Same scale denominators as WorldCRS84Quad (OGC 17-083r2 Table D.2: 279541132.0143589).
        assert!((t.scale_denominator(0) - 279_541_132.014_358_9).abs() < 1e-3);
        assert_eq!(t.matrix_size(0), (2, 1));
        assert_eq!(t.tile_bbox(0, 1, 0).unwrap(), [0.0, -90.0, 180.0, 90.0]);
        assert_eq!(
            t.tile_bbox(2, 0, 3).unwrap(),
            [-180.0, -90.0, -135.0, -45.0]
        );
    }

    #[test]
    fn tile_matrix_set_ids_parse() {
        assert_eq!(
            TileMatrixSet::parse("googlemapscompatible"),
            Some(TileMatrixSet::WebMercatorQuad)
        );
        assert_eq!(
            TileMatrixSet::parse("MarsGeographicQuad"),
            Some(TileMatrixSet::MarsGeographicQuad)
        );
        assert_eq!(TileMatrixSet::parse("x"), None);
    }
}
