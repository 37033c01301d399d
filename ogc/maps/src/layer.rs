//! A configured raster layer: its source, CRS, body, NoData and styling.

use crate::config::{RasterLayerConfig, Resampling};
use crate::crs::{Body, Crs, MapCrs, ProjectionKind};
use crate::raster::georef::body_of;
use crate::raster::{RasterError, RasterSource};
use crate::render::style::{Style, StyleError};
use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum LayerError {
    #[error("raster layer '{name}': {source}")]
    Raster { name: String, source: RasterError },
    #[error("raster layer '{name}': {message}")]
    Invalid { name: String, message: String },
}

pub struct Layer {
    pub name: String,
    pub title: String,
    pub abstract_text: Option<String>,
    pub source: RasterSource,
    /// CRS of the source grid.
    pub crs: Crs,
    pub body: Body,
    pub nodata: Option<f64>,
    pub style: Style,
    pub resampling: Resampling,
    /// Longitude/latitude box covered (longitudes as the source has them, e.g. 0..360).
    pub lonlat_bbox: [f64; 4],
    /// For sources in geographic or cylindrical CRSs: the x where the grid starts and the x span
    /// of 360° of longitude, to fold any longitude onto the grid (0..360 and −180..180 alike).
    pub x_wrap: Option<(f64, f64)>,
    /// Whether the grid covers a whole turn of longitude (bilinear sampling then wraps across the
    /// seam instead of clamping).
    pub wraps_fully: bool,
}

impl Layer {
    pub fn open(id: u32, cfg: &RasterLayerConfig, base_dir: &Path) -> Result<Self, LayerError> {
        let invalid = |message: String| LayerError::Invalid {
            name: cfg.name.clone(),
            message,
        };
        if cfg.name.is_empty() || cfg.name.contains([',', '/', ' ', '?', '&', '#']) {
            return Err(invalid(
                "names must be non-empty, without spaces, commas or slashes".into(),
            ));
        }
        let path = base_dir.join(&cfg.path);
        let extension = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .unwrap_or_default();
        let raster = |source| LayerError::Raster {
            name: cfg.name.clone(),
            source,
        };
        let source = match extension.as_str() {
            "tif" | "tiff" => RasterSource::open_geotiff(id, &path, cfg.extent).map_err(raster)?,
            "png" | "jpg" | "jpeg" => {
                let extent = cfg
                    .extent
                    .ok_or_else(|| invalid("a plain image needs `extent`".into()))?;
                RasterSource::open_image(id, &path, extent).map_err(raster)?
            }
            other => return Err(invalid(format!("unsupported file type '.{other}'"))),
        };
        let crs = match &cfg.crs {
            Some(text) => Crs::parse(text).map_err(|e| invalid(e.to_string()))?,
            None => source.file_crs.ok_or_else(|| {
                invalid("the file's CRS is not recognised; give `crs` in the configuration".into())
            })?,
        };
        let crs = if crs == Crs::Crs84 {
            Crs::Epsg4326
        } else {
            crs
        };
        let nodata = cfg.nodata.or(source.file_nodata);
        let style = Style::new(cfg.stretch.as_ref(), source.bands, source.kind)
            .map_err(|e: StyleError| invalid(e.to_string()))?;
        let extent = source.extent();
        let (x_wrap, wraps_fully) = match crs.x_period() {
            Some(period) => {
                let span = extent[2] - extent[0];
                (
                    Some((extent[0], period)),
                    (span - period).abs() < period * 1e-9,
                )
            }
            None => (None, false),
        };
        let lonlat_bbox =
            lonlat_bbox(crs, extent).ok_or_else(|| invalid("extent outside its CRS".into()))?;
        Ok(Self {
            name: cfg.name.clone(),
            title: cfg.title.clone().unwrap_or_else(|| cfg.name.clone()),
            abstract_text: cfg.abstract_text.clone(),
            body: body_of(crs),
            source,
            crs,
            nodata,
            style,
            resampling: cfg.resampling,
            lonlat_bbox,
            x_wrap,
            wraps_fully,
        })
    }

    /// Source pixel coordinates (full resolution) of a point of the source CRS, folding x by
    /// whole turns of longitude onto the grid.
    pub fn to_source_pixel(&self, x: f64, y: f64) -> (f64, f64) {
        let x = match self.x_wrap {
            Some((west, period)) => west + (x - west).rem_euclid(period),
            None => x,
        };
        self.source.geo().to_pixel(x, y)
    }

    /// The CRSs this layer can be requested in.
    pub fn supported_crs(&self) -> impl Iterator<Item = Crs> + '_ {
        crate::crs::ALL
            .into_iter()
            .filter(|c| c.applies_to(self.body))
    }
}

/// The longitude/latitude box of a source extent.
fn lonlat_bbox(crs: Crs, extent: [f64; 4]) -> Option<[f64; 4]> {
    match crs.kind() {
        ProjectionKind::Geographic => Some(extent),
        ProjectionKind::Cylindrical => {
            let (w, s) = crs.to_lonlat(extent[0], extent[1])?;
            let (e, n) = crs.to_lonlat(extent[2], extent[3])?;
            // The inverse folds longitudes into −180..180; a grid wider than that keeps its span.
            let period = crs.x_period()?;
            let span = (extent[2] - extent[0]) / period * 360.0;
            let w = if (e - w - span).abs() > 1e-6 {
                e - span
            } else {
                w
            };
            Some([w, s, w + span, n])
        }
        ProjectionKind::Polar => {
            // Latitude range from the edges and the pole (when inside); all longitudes.
            let mut lat_min = f64::INFINITY;
            let mut lat_max = f64::NEG_INFINITY;
            const STEPS: usize = 32;
            for i in 0..=STEPS {
                let f = i as f64 / STEPS as f64;
                let x = extent[0] + f * (extent[2] - extent[0]);
                let y = extent[1] + f * (extent[3] - extent[1]);
                for (px, py) in [
                    (x, extent[1]),
                    (x, extent[3]),
                    (extent[0], y),
                    (extent[2], y),
                ] {
                    if let Some((_, lat)) = crs.to_lonlat(px, py) {
                        lat_min = lat_min.min(lat);
                        lat_max = lat_max.max(lat);
                    }
                }
            }
            let pole_inside =
                extent[0] <= 0.0 && extent[2] >= 0.0 && extent[1] <= 0.0 && extent[3] >= 0.0;
            if pole_inside {
                if crs == Crs::Mars49930 {
                    lat_max = 90.0;
                } else {
                    lat_min = -90.0;
                }
            }
            lat_min
                .is_finite()
                .then_some([-180.0, lat_min, 180.0, lat_max])
        }
    }
}
