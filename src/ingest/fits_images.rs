//! `--format fits-images DIR`: one ObsCore 1.1 row per FITS image in a folder, from its
//! headers alone (pixels are never read). The footprint is the image's four corners through
//! its celestial WCS; times, exposure, target, facility and instrument come from the usual
//! keywords (DATE-OBS, MJD-OBS, EXPSTART/EXPEND, EXPTIME, OBJECT/TARGNAME, TELESCOP,
//! INSTRUME), looked up in the image's HDU first and then in the primary header, whose
//! keywords extensions inherit by convention (INHERIT = T).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use datafusion::arrow::array::{
    ArrayRef, Float64Array, Float64Builder, Int32Array, Int64Array, ListBuilder, RecordBatch,
    StringArray,
};
use datafusion::arrow::datatypes::SchemaRef;
use formats::fits::Header;

use super::IngestError;
use super::obscore;
use super::source::{RowNumbering, Sink, Source};
use super::wcs::Wcs;

/// Where the rows point at and what they are called.
#[derive(Debug, Clone)]
pub struct FitsImagesOptions {
    /// obs_collection of every row.
    pub collection: String,
    /// The IVOA authority of obs_publisher_did, e.g. `ivo://example.org`.
    pub authority: String,
    /// The path under the server's URL that serves the files, e.g. `/data`.
    pub url_path: String,
}

/// One ObsCore row.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageRow {
    pub file_name: String,
    pub obs_id: String,
    pub dataproduct_type: &'static str,
    pub size_bytes: u64,
    pub target: Option<String>,
    pub facility: Option<String>,
    pub instrument: Option<String>,
    pub centre: (f64, f64),
    pub fov: f64,
    /// Corners, counter-clockwise as seen from inside the sphere (DALI 1.1 §3.3.7).
    pub region: Vec<(f64, f64)>,
    pub resolution_arcsec: f64,
    pub pixels: (i64, i64),
    pub t_min: Option<f64>,
    pub t_max: Option<f64>,
    pub exptime: Option<f64>,
    /// Wavelength bounds, metres.
    pub em: Option<(f64, f64)>,
}

pub struct FitsImagesSource {
    rows: Vec<ImageRow>,
    options: FitsImagesOptions,
    schema: SchemaRef,
}

impl FitsImagesSource {
    /// Reads the headers of every `*.fits` / `*.fit` / `*.fts` file of `dir`, in name order.
    /// A file without a celestial image (a spectrum, a table) is skipped with a warning; a
    /// file that is not FITS at all is an error.
    pub fn open(dir: &Path, options: FitsImagesOptions) -> Result<Self, IngestError> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(|e| IngestError::io(dir, e))?
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|path| {
                path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
                    matches!(e.to_ascii_lowercase().as_str(), "fits" | "fit" | "fts")
                })
            })
            .collect();
        files.sort();
        let mut rows = Vec::new();
        for path in &files {
            let name = path.display().to_string();
            let file = std::fs::File::open(path).map_err(|e| IngestError::io(path, e))?;
            let size_bytes = file.metadata().map_err(|e| IngestError::io(path, e))?.len();
            let headers = formats::fits::read_headers(std::io::BufReader::new(file), Some(&name))
                .map_err(|e| IngestError::input(&name, None, None, e.to_string()))?;
            match image_row(path, &headers, size_bytes) {
                Ok(row) => rows.push(row),
                Err(why) => tracing::warn!("{name}: skipped: {why}"),
            }
        }
        if rows.is_empty() {
            return Err(IngestError::input(
                &dir.display().to_string(),
                None,
                None,
                format!(
                    "no FITS image with a celestial WCS among {} FITS files",
                    files.len()
                ),
            ));
        }
        Ok(Self {
            rows,
            options,
            schema: Arc::new(obscore::schema()),
        })
    }

    pub fn rows_read(&self) -> &[ImageRow] {
        &self.rows
    }

    fn batch(&self) -> Result<RecordBatch, IngestError> {
        let rows = &self.rows;
        let text = |f: &dyn Fn(&ImageRow) -> Option<String>| -> ArrayRef {
            Arc::new(rows.iter().map(f).collect::<StringArray>())
        };
        let real = |f: &dyn Fn(&ImageRow) -> Option<f64>| -> ArrayRef {
            Arc::new(rows.iter().map(f).collect::<Float64Array>())
        };
        let long = |f: &dyn Fn(&ImageRow) -> Option<i64>| -> ArrayRef {
            Arc::new(rows.iter().map(f).collect::<Int64Array>())
        };
        let o = &self.options;
        let mut region = ListBuilder::new(Float64Builder::new());
        for row in rows {
            for (lon, lat) in &row.region {
                region.values().append_value(*lon);
                region.values().append_value(*lat);
            }
            region.append(true);
        }
        let columns: Vec<ArrayRef> = vec![
            text(&|r| Some(r.dataproduct_type.to_owned())),
            // Level 1: instrumental data in a standard format; whether a file is calibrated
            // cannot be told from generic headers.
            Arc::new(rows.iter().map(|_| Some(1)).collect::<Int32Array>()),
            text(&|_| Some(o.collection.clone())),
            text(&|r| Some(r.obs_id.clone())),
            text(&|r| Some(format!("{}/{}?{}", o.authority, o.collection, r.obs_id))),
            text(&|r| Some(format!("{}/{}", o.url_path, r.file_name))),
            text(&|_| Some("image/fits".to_owned())),
            long(&|r| Some(r.size_bytes.div_ceil(1024) as i64)),
            text(&|r| r.target.clone()),
            real(&|r| Some(r.centre.0)),
            real(&|r| Some(r.centre.1)),
            real(&|r| Some(r.fov)),
            text(&|r| Some(stc_s(&r.region))),
            real(&|r| Some(r.resolution_arcsec)),
            long(&|r| Some(r.pixels.0)),
            long(&|r| Some(r.pixels.1)),
            real(&|r| r.t_min),
            real(&|r| r.t_max),
            real(&|r| r.exptime),
            real(&|_| None),
            long(&|_| None),
            real(&|r| r.em.map(|e| e.0)),
            real(&|r| r.em.map(|e| e.1)),
            real(&|_| None),
            long(&|_| None),
            text(&|_| None),
            text(&|_| None),
            long(&|_| None),
            text(&|r| r.facility.clone()),
            text(&|r| r.instrument.clone()),
            Arc::new(region.finish()),
        ];
        RecordBatch::try_new(self.schema.clone(), columns)
            .map_err(|e| IngestError::Engine(e.to_string()))
    }
}

impl Source for FitsImagesSource {
    fn schema(&self) -> SchemaRef {
        self.schema.clone()
    }

    fn metadata(&self) -> std::collections::BTreeMap<String, crate::config::ColumnConfig> {
        obscore::metadata()
    }

    fn rows(&self) -> RowNumbering {
        RowNumbering::Rows
    }

    fn total_rows(&self) -> Option<u64> {
        Some(self.rows.len() as u64)
    }

    fn position(&self) -> Option<(&'static str, &'static str)> {
        Some(("s_ra", "s_dec"))
    }

    fn table_utype(&self) -> Option<&'static str> {
        Some(obscore::TABLE_UTYPE)
    }

    fn run(&mut self, sink: &mut Sink<'_>) -> Result<(), IngestError> {
        sink(self.batch()?)
    }
}

/// The footprint as an STC-S polygon (TAP 1.0 §6), the form of ObsCore's s_region.
fn stc_s(corners: &[(f64, f64)]) -> String {
    let mut text = "Polygon ICRS".to_owned();
    for (lon, lat) in corners {
        text.push_str(&format!(" {lon} {lat}"));
    }
    text
}

/// A keyword of the image HDU, or else of the primary header.
struct Keywords<'a> {
    image: &'a Header,
    primary: &'a Header,
}

impl Keywords<'_> {
    fn text(&self, key: &str) -> Option<String> {
        self.image
            .text(key)
            .or_else(|| self.primary.text(key))
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty())
    }

    fn real(&self, key: &str) -> Option<f64> {
        self.image.real(key).or_else(|| self.primary.real(key))
    }
}

/// The ObsCore row of a file: its first HDU with two or more axes and a celestial WCS.
fn image_row(path: &Path, headers: &[Header], size_bytes: u64) -> Result<ImageRow, String> {
    let primary = headers.first().ok_or("no header")?;
    let mut why = "no HDU has two or more axes".to_owned();
    for image in headers {
        let naxis = image.integer("NAXIS").unwrap_or(0);
        if naxis < 2 {
            continue;
        }
        let wcs = match Wcs::from_header(image) {
            Ok(wcs) => wcs,
            Err(e) => {
                why = e;
                continue;
            }
        };
        let n1 = image.integer("NAXIS1").unwrap_or(0);
        let n2 = image.integer("NAXIS2").unwrap_or(0);
        let keywords = Keywords { image, primary };
        return row(path, &keywords, &wcs, (n1, n2), naxis, size_bytes);
    }
    Err(why)
}

fn row(
    path: &Path,
    keywords: &Keywords<'_>,
    wcs: &Wcs,
    (n1, n2): (i64, i64),
    naxis: i64,
    size_bytes: u64,
) -> Result<ImageRow, String> {
    let sky = |p1: f64, p2: f64| {
        wcs.pixel_to_sky(p1, p2)
            .ok_or_else(|| format!("pixel ({p1}, {p2}) has no sky position"))
    };
    let (w, h) = (n1 as f64, n2 as f64);
    let centre = sky((w + 1.0) / 2.0, (h + 1.0) / 2.0)?;
    // The outer edges of the corner pixels.
    let mut corners = vec![
        sky(0.5, 0.5)?,
        sky(w + 0.5, 0.5)?,
        sky(w + 0.5, h + 0.5)?,
        sky(0.5, h + 0.5)?,
    ];
    if orientation(centre, &corners) > 0.0 {
        corners.reverse();
    }
    let fov = 2.0
        * corners
            .iter()
            .map(|c| distance(centre, *c))
            .fold(0.0, f64::max);
    let (sx, sy) = wcs.pixel_scale();
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or("no file name")?;
    let obs_id = path
        .file_stem()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or("no file name")?;
    let exptime = keywords
        .real("EXPTIME")
        .or_else(|| keywords.real("EXPOSURE"));
    let t_min = keywords
        .real("MJD-OBS")
        .or_else(|| keywords.real("EXPSTART"))
        .or_else(|| {
            let date = keywords.text("DATE-OBS")?;
            let time = keywords.text("TIME-OBS");
            mjd_of(&date, time.as_deref())
        });
    let t_max = keywords
        .real("MJD-END")
        .or_else(|| keywords.real("EXPEND"))
        .or_else(|| Some(t_min? + exptime? / 86_400.0));
    // HST's pivot wavelength and RMS bandwidth (Å) bound the band.
    let em = match (keywords.real("PHOTPLAM"), keywords.real("PHOTBW")) {
        (Some(pivot), Some(width)) if pivot > 0.0 => {
            Some(((pivot - width) * 1e-10, (pivot + width) * 1e-10))
        }
        _ => None,
    };
    Ok(ImageRow {
        file_name,
        obs_id,
        dataproduct_type: if naxis >= 3 { "cube" } else { "image" },
        size_bytes,
        target: keywords
            .text("OBJECT")
            .or_else(|| keywords.text("TARGNAME")),
        facility: keywords.text("TELESCOP"),
        instrument: keywords.text("INSTRUME"),
        centre,
        fov,
        region: corners,
        resolution_arcsec: sx.max(sy) * 3600.0,
        pixels: (n1, n2),
        t_min,
        t_max,
        exptime,
        em,
    })
}

/// Twice the signed area of the corners projected on the plane tangent at `centre`, with x
/// to the east and y to the north: negative when they run counter-clockwise as seen from
/// inside the sphere (north, then east, then south…), the order DALI asks for.
fn orientation(centre: (f64, f64), corners: &[(f64, f64)]) -> f64 {
    let (ra0, dec0) = (centre.0.to_radians(), centre.1.to_radians());
    let project = |(ra, dec): (f64, f64)| {
        let (ra, dec) = (ra.to_radians(), dec.to_radians());
        let cos_c = dec0.sin() * dec.sin() + dec0.cos() * dec.cos() * (ra - ra0).cos();
        let x = dec.cos() * (ra - ra0).sin() / cos_c;
        let y = (dec0.cos() * dec.sin() - dec0.sin() * dec.cos() * (ra - ra0).cos()) / cos_c;
        (x, y)
    };
    let points: Vec<(f64, f64)> = corners.iter().map(|c| project(*c)).collect();
    (0..points.len())
        .map(|i| {
            let (a, b) = (points[i], points[(i + 1) % points.len()]);
            a.0 * b.1 - b.0 * a.1
        })
        .sum()
}

fn distance(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (p1, p2) = (a.1.to_radians(), b.1.to_radians());
    let dl = (b.0 - a.0).to_radians();
    let h = ((p2 - p1) / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * h.sqrt().min(1.0).asin().to_degrees()
}

/// MJD of a FITS date (`YYYY-MM-DD` or `YYYY-MM-DDThh:mm:ss[.s]`), with a separate
/// `hh:mm:ss` time when the date has none (FITS 4.0 §9.1.1).
pub fn mjd_of(date: &str, time: Option<&str>) -> Option<f64> {
    let (day, clock) = match date.split_once('T') {
        Some((day, clock)) => (day, Some(clock)),
        None => (date, time),
    };
    let mut parts = day.trim().split('-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: i64 = parts.next()?.parse().ok()?;
    let d: i64 = parts.next()?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // Days from 1858-11-17 (MJD 0), through the days-from-civil algorithm (proleptic Gregorian).
    let (y, m) = if m <= 2 { (y - 1, m + 9) } else { (y, m - 3) };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * m + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days_since_1970 = era * 146_097 + doe - 719_468;
    let mut mjd = (days_since_1970 + 40_587) as f64;
    if let Some(clock) = clock {
        let mut hms = clock.trim().split(':');
        let h: f64 = hms.next()?.parse().ok()?;
        let min: f64 = hms.next().unwrap_or("0").parse().ok()?;
        let s: f64 = hms.next().unwrap_or("0").parse().ok()?;
        mjd += (h * 3600.0 + min * 60.0 + s) / 86_400.0;
    }
    Some(mjd)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fits_dates_become_mjd() {
        assert_eq!(mjd_of("1858-11-17", None), Some(0.0));
        assert_eq!(mjd_of("2000-01-01T12:00:00", None), Some(51_544.5));
        // HST's own EXPSTART for j94f05bgq: 53436.28571938 (DATE-OBS 2005-03-07, 06:51:26).
        let mjd = mjd_of("2005-03-07", Some("06:51:26")).unwrap();
        assert!((mjd - 53_436.285_717).abs() < 1e-5, "{mjd}");
        assert_eq!(mjd_of("2005-13-07", None), None);
    }

    #[test]
    fn corners_run_counter_clockwise_seen_from_inside() {
        // North, east, south, west of (10, 0): x east, y north → clockwise in the plane.
        let corners = [(10.0, 1.0), (11.0, 0.0), (10.0, -1.0), (9.0, 0.0)];
        assert!(orientation((10.0, 0.0), &corners) < 0.0);
    }
}
