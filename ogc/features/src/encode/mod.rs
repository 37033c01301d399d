//! Streaming feature encoders: each takes one feature at a time and writes it to a
//! `std::io::Write`, so that memory stays flat however many features a response holds.

pub mod geojson;
pub mod gml;

use std::io::{self, Write};

use super::config::Edges;
use super::crs::Crs;
use super::geometry::{Geometry, Position};
use super::{seam, sphere};

/// How stored geometries become written ones: great-circle edges densified, cut at the
/// antimeridian into −180..180, axes in the output CRS's order, rounded to `precision` decimals.
#[derive(Debug, Clone, Copy)]
pub struct GeometryOutput {
    pub densify_deg: Option<f64>,
    pub lat_first: bool,
    decimals: u8,
}

impl GeometryOutput {
    pub fn new(edges: Edges, densify_deg: f64, output: Crs, precision: u8) -> Self {
        Self {
            densify_deg: (edges == Edges::GreatCircle && densify_deg > 0.0).then_some(densify_deg),
            lat_first: output.defines_lat_first(),
            decimals: precision.min(15),
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

    /// Writes the position's two numbers in output order, rounded, as
    /// `{before}{a}{between}{b}{after}` in one write: responses hold millions of them.
    pub fn write_position<W: Write>(
        &self,
        out: &mut W,
        [x, y]: Position,
        [before, between, after]: [&[u8]; 3],
    ) -> io::Result<()> {
        let [a, b] = if self.lat_first { [y, x] } else { [x, y] };
        let mut text = Backwards::new();
        text.push_slice(after);
        if text.push_fixed(b, self.decimals) {
            text.push_slice(between);
            if text.push_fixed(a, self.decimals) {
                text.push_slice(before);
                return out.write_all(text.as_bytes());
            }
        }
        // A number too large for fixed notation.
        out.write_all(before)?;
        write_fixed(out, a, self.decimals)?;
        out.write_all(between)?;
        write_fixed(out, b, self.decimals)?;
        out.write_all(after)
    }
}

/// 10^n for the decimal places a coordinate may have (at most 15).
const POWERS: [f64; 16] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
];

/// Text built from its end, so that digits need no reversing or copying.
struct Backwards {
    bytes: [u8; 96],
    at: usize,
}

impl Backwards {
    fn new() -> Self {
        Self {
            bytes: [0; 96],
            at: 96,
        }
    }

    fn push(&mut self, byte: u8) {
        self.at -= 1;
        self.bytes[self.at] = byte;
    }

    /// Separators of a few bytes.
    fn push_slice(&mut self, bytes: &[u8]) {
        bytes.iter().rev().for_each(|&b| self.push(b));
    }

    /// `v` rounded to `decimals` places, without trailing zeros (and never "-0"); false, with
    /// nothing written, when it is beyond 2^53 once scaled (no longer an exact integer).
    fn push_fixed(&mut self, v: f64, decimals: u8) -> bool {
        let places = decimals.min(15);
        let scaled = v.abs() * POWERS[usize::from(places)];
        if scaled.is_nan() || scaled >= 9.0e15 || self.at < 34 {
            return false;
        }
        // Rounds half away from zero, as f64::round, without its library call.
        let mut n = (scaled + 0.5) as u64;
        let negative = v < 0.0 && n != 0;
        let mut any_decimal = false;
        for _ in 0..places {
            let digit = (n % 10) as u8;
            n /= 10;
            if digit != 0 || any_decimal {
                self.push(b'0' + digit);
                any_decimal = true;
            }
        }
        if any_decimal {
            self.push(b'.');
        }
        loop {
            self.push(b'0' + (n % 10) as u8);
            n /= 10;
            if n == 0 {
                break;
            }
        }
        if negative {
            self.push(b'-');
        }
        true
    }

    fn as_bytes(&self) -> &[u8] {
        &self.bytes[self.at..]
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

/// Writes `v` rounded to `decimals` places, in plain decimal notation without trailing zeros
/// (and never "-0"): the digits `write_f64` would give for the rounded number (bar the exponent
/// form of tiny numbers), for a fraction of the cost.
fn write_fixed<W: Write>(out: &mut W, v: f64, decimals: u8) -> io::Result<()> {
    let mut text = Backwards::new();
    if text.push_fixed(v, decimals) {
        out.write_all(text.as_bytes())
    } else {
        let unit = POWERS[usize::from(decimals.min(15))];
        write_f64(out, (v * unit).round() / unit)
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

    fn fixed(v: f64, decimals: u8) -> String {
        let mut out = Vec::new();
        write_fixed(&mut out, v, decimals).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn fixed_numbers_are_rounded_and_match_the_shortest_form() {
        assert_eq!(fixed(-135.105351, 7), "-135.105351");
        assert_eq!(fixed(10.123456789, 7), "10.1234568");
        assert_eq!(fixed(0.0000012, 7), "0.0000012");
        assert_eq!(fixed(-0.00000001, 7), "0");
        assert_eq!(fixed(10.126, 2), "10.13");
        assert_eq!(fixed(12.0, 7), "12");
        assert_eq!(fixed(1e300, 7), text(1e300));
        // Every value prints as the number ryu finds shortest once rounded.
        let mut x = -180.0;
        while x < 180.0 {
            let rounded = (x * 1e7_f64).round() / 1e7;
            assert_eq!(fixed(x, 7), text(rounded), "{x}");
            x += 0.000_123_456_7 * 997.0;
        }
    }

    #[test]
    fn positions_are_written_in_the_axis_order_of_the_crs() {
        let written = |crs| {
            let mut out = Vec::new();
            GeometryOutput::new(Edges::Planar, 1.0, crs, 3)
                .write_position(&mut out, [10.12345, -1.5], [b"(", b" ", b")"])
                .unwrap();
            String::from_utf8(out).unwrap()
        };
        assert_eq!(written(Crs::Epsg4326), "(-1.5 10.123)");
        assert_eq!(written(Crs::Crs84), "(10.123 -1.5)");
    }

    #[test]
    fn timestamps_are_civil_dates() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso8601(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(iso8601(1_795_314_901), "2026-11-22T02:35:01Z");
    }
}
