//! Coverage output shared by both WCS versions: the layer's values resampled onto a grid, then
//! written as a GeoTIFF (raw values, georeferenced) or a PNG (styled).

use crate::config::Resampling;
use crate::layer::Layer;
use crate::raster::GeoTransform;
use crate::raster::write::{GeoTiffSpec, LevelData, PixelData, write_geotiff};
use crate::render::encode::{self, ImageFormat};
use crate::render::warp::{self, Grid, LevelChoice};
use crate::service::RasterServices;
use ogc_common::{OgcError, OgcResponse};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CoverageFormat {
    GeoTiff,
    Png,
}

impl CoverageFormat {
    /// MIME types of WCS 2.0 and the format names of WCS 1.0 (GeoTIFF, PNG).
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "image/tiff"
            | "image/geotiff"
            | "geotiff"
            | "tiff"
            | "image/tiff;application=geotiff" => Some(Self::GeoTiff),
            "image/png" | "png" => Some(Self::Png),
            _ => None,
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            Self::GeoTiff => "image/tiff",
            Self::Png => "image/png",
        }
    }
}

/// Checks the output size against the limits.
pub fn check_size(svc: &RasterServices, width: u32, height: u32) -> Result<(), OgcError> {
    let l = &svc.config.limits;
    if width == 0 || height == 0 {
        return Err(OgcError::invalid("SCALESIZE", "the output would be empty"));
    }
    if width > l.max_width
        || height > l.max_height
        || u64::from(width) * u64::from(height) > l.max_coverage_pixels
    {
        return Err(OgcError::invalid(
            "SCALESIZE",
            format!(
                "output of {width}×{height} pixels exceeds the limits ({}×{} and {} pixels); subset or scale it down",
                l.max_width, l.max_height, l.max_coverage_pixels
            ),
        ));
    }
    Ok(())
}

/// Renders the coverage on `grid`.
pub fn coverage(
    svc: &RasterServices,
    layer: &Layer,
    grid: Grid,
    resampling: Resampling,
    format: CoverageFormat,
) -> Result<OgcResponse, OgcError> {
    check_size(svc, grid.width, grid.height)?;
    svc.rendering(|| {
        let warped = warp::warp(layer, &svc.chunks, &grid, resampling, LevelChoice::ByScale)
            .map_err(|e| OgcError::internal(e.to_string()))?;
        let body = match format {
            CoverageFormat::Png => {
                let mut rgba = vec![0u8; warped.valid.len() * 4];
                for (i, px) in rgba.chunks_exact_mut(4).enumerate() {
                    if warped.valid[i] {
                        px.copy_from_slice(
                            &layer
                                .style
                                .colour(&warped.values[i * warped.bands..(i + 1) * warped.bands]),
                        );
                    }
                }
                encode::encode(&rgba, grid.width, grid.height, ImageFormat::Png32, true)
                    .map_err(|e| OgcError::internal(e.to_string()))?
            }
            CoverageFormat::GeoTiff => geotiff(layer, &grid, warped)?,
        };
        Ok(OgcResponse::ok(format.mime(), body))
    })
}

fn geotiff(layer: &Layer, grid: &Grid, warped: warp::Warped) -> Result<Vec<u8>, OgcError> {
    let fill = layer.nodata.unwrap_or(if layer.source.kind.is_u8() {
        0.0
    } else {
        f64::NAN
    });
    let mut values = warped.values;
    for (i, ok) in warped.valid.iter().enumerate() {
        if !ok {
            values[i * warped.bands..(i + 1) * warped.bands].fill(fill as f32);
        }
    }
    let bytes: Vec<u8>;
    let data = if layer.source.kind.is_u8() {
        bytes = values
            .iter()
            .map(|v| v.round().clamp(0.0, 255.0) as u8)
            .collect();
        PixelData::U8(&bytes)
    } else {
        PixelData::F32(&values)
    };
    let spec = GeoTiffSpec {
        bands: warped.bands,
        levels: vec![LevelData {
            width: grid.width,
            height: grid.height,
            data,
        }],
        tile: None,
        geo: GeoTransform::from_extent(grid.bbox, grid.width, grid.height),
        crs: grid.crs,
        nodata: layer
            .nodata
            .or((!layer.source.kind.is_u8()).then_some(f64::NAN)),
    };
    write_geotiff(&spec).map_err(|e| OgcError::internal(e.to_string()))
}
