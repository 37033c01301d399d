//! Streaming feature encoders: each takes one feature at a time and writes it to a
//! `std::io::Write`, so that memory stays flat however many features a response holds.

pub mod geojson;
pub mod gml;

use std::io::{self, Write};

use super::config::Edges;
use super::crs::FeatureCrs;
use super::geometry::{Geometry, Position};
use super::{seam, sphere};

/// How stored geometries become written ones: great-circle edges densified, cut at the
/// antimeridian into −180..180, axes in the output CRS's order, rounded to `precision` decimals.
#[derive(Debug, Clone, Copy)]
pub struct GeometryOutput {
    pub densify_deg: Option<f64>,
    pub lat_first: bool,
    scale: f64,
}

impl GeometryOutput {
    pub fn new(edges: Edges, densify_deg: f64, output: FeatureCrs, precision: u8) -> Self {
        Self {
            densify_deg: (edges == Edges::GreatCircle && densify_deg > 0.0).then_some(densify_deg),
            lat_first: output.lat_first(),
            scale: 10f64.powi(i32::from(precision.min(15))),
        }
    }

    /// Lon/lat order, for GeoJSON written by WFS (RFC 7946 has no other order).
    pub fn lon_lat(mut self) -> Self {
        self.lat_first = false;
        self
    }

    pub fn prepare(&self, geometry: Geometry) -> Geometry {
        let geometry = match self.densify_deg {
            Some(max) => sphere::densify(geometry, max),
            None => geometry,
        };
        seam::cut_at_antimeridian(geometry)
    }

    /// The position's two numbers in output order, rounded.
    pub fn ordered(&self, [x, y]: Position) -> [f64; 2] {
        let round = |v: f64| {
            let r = (v * self.scale).round() / self.scale;
            // Avoids writing "-0".
            if r == 0.0 { 0.0 } else { r }
        };
        if self.lat_first {
            [round(y), round(x)]
        } else {
            [round(x), round(y)]
        }
    }
}

/// Writes a number in its shortest exact form (`12.5`, `3`, `1e-7`).
pub fn write_f64<W: Write>(out: &mut W, v: f64) -> io::Result<()> {
    if v.is_finite() && v.fract() == 0.0 && v.abs() < 1e15 {
        let mut buffer = itoa::Buffer::new();
        out.write_all(buffer.format(v as i64).as_bytes())
    } else {
        let mut buffer = ryu::Buffer::new();
        out.write_all(
            buffer
                .format_finite(if v.is_finite() { v } else { 0.0 })
                .as_bytes(),
        )
    }
}

pub fn write_i64<W: Write>(out: &mut W, v: i64) -> io::Result<()> {
    let mut buffer = itoa::Buffer::new();
    out.write_all(buffer.format(v).as_bytes())
}

/// A link in a GeoJSON response (OGC API – Features §7.15.5 and WFS GeoJSON paging).
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    pub href: String,
    pub rel: String,
    pub media_type: String,
    pub title: Option<String>,
}

impl Link {
    pub fn new(href: impl Into<String>, rel: &str, media_type: &str) -> Self {
        Self {
            href: href.into(),
            rel: rel.to_owned(),
            media_type: media_type.to_owned(),
            title: None,
        }
    }

    pub fn titled(mut self, title: impl Into<String>) -> Self {
        self.title = Some(title.into());
        self
    }

    pub fn to_json(&self) -> serde_json::Value {
        let mut link =
            serde_json::json!({ "href": self.href, "rel": self.rel, "type": self.media_type });
        if let (Some(title), Some(object)) = (&self.title, link.as_object_mut()) {
            object.insert("title".into(), title.clone().into());
        }
        link
    }
}

/// The current time as ISO 8601 UTC with seconds (`2026-11-22T02:35:01Z`), for `timeStamp`.
pub fn now_iso8601() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    iso8601(seconds)
}

fn iso8601(unix_seconds: i64) -> String {
    let (days, rem) = (
        unix_seconds.div_euclid(86_400),
        unix_seconds.rem_euclid(86_400),
    );
    // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(v: f64) -> String {
        let mut out = Vec::new();
        write_f64(&mut out, v).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn numbers_are_short_and_exact() {
        assert_eq!(text(12.5), "12.5");
        assert_eq!(text(-3.0), "-3");
        assert_eq!(text(77.6873), "77.6873");
    }

    #[test]
    fn coordinates_are_rounded_and_ordered() {
        let out = GeometryOutput::new(Edges::Planar, 1.0, FeatureCrs::Epsg4326, 7);
        assert_eq!(out.ordered([10.123456789, -0.00000001]), [0.0, 10.1234568]);
        let out = GeometryOutput::new(Edges::Planar, 1.0, FeatureCrs::Crs84, 2);
        assert_eq!(out.ordered([10.126, 1.0]), [10.13, 1.0]);
    }

    #[test]
    fn timestamps_are_civil_dates() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso8601(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(iso8601(1_795_314_901), "2026-11-22T02:35:01Z");
    }
}
