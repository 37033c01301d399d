//! Coordinate reference systems: the codes clients send, axis order, and projection through a
//! longitude/latitude pivot on the layer's body.
//!
//! Projection library: `proj4rs`, a pure-Rust port of PROJ's projections. It builds on a fresh
//! machine with no C toolchain, cmake or system PROJ (the `proj` crate builds PROJ from source
//! when Debian's PROJ is too old), and the project's probe found it within 1 mm of PROJ 9.1's
//! cs2cs for 4326→3857, polar stereographic and the Mars equirectangular codes. IAU codes are not
//! in proj4rs's tables, so the few we serve are defined below from the IAU_2015 entries of the
//! PROJ database (the OGC/IAU WMS CRS registry).
//!
//! Geographic CRSs name degrees on the layer's own body: EPSG:4326 on a Mars layer means plain
//! Mars longitude/latitude, as USGS planetary services take it. No datum shift is ever applied.

use crate::config::AxisOrder;
use ogc_common::crs::{authority_and_code, is_iau};
use proj4rs::proj::Proj;
use std::sync::LazyLock;

/// Mean radius of the IAU 2015 Mars sphere, metres (IAU_2015:49900).
pub const MARS_RADIUS_M: f64 = 3_396_190.0;
/// Latitude limit of the Web Mercator square.
pub const WEB_MERCATOR_MAX_LAT: f64 = 85.051_128_779_806_59;

pub use ogc_common::crs::Body;

/// The CRSs vostok renders into and reads from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Crs {
    /// EPSG:4326, latitude first in WMS 1.3.0 and WCS 2.0.
    Epsg4326,
    /// OGC CRS:84, longitude first.
    Crs84,
    /// EPSG:3857 Web Mercator on the layer's longitude/latitude.
    Epsg3857,
    /// IAU_2015:49900 Mars (2015) - Sphere / Ocentric.
    Mars49900,
    /// IAU_2015:49910 Mars equirectangular, clon = 0.
    Mars49910,
    /// IAU_2015:49930 Mars north polar stereographic.
    Mars49930,
    /// IAU_2015:49935 Mars south polar stereographic.
    Mars49935,
}

/// The shape of a CRS's projection, which decides how transforms can be sped up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProjectionKind {
    Geographic,
    /// x depends on longitude only and y on latitude only (equirectangular, Mercator).
    Cylindrical,
    Polar,
}

#[derive(Debug, thiserror::Error, PartialEq)]
#[error("unsupported CRS '{0}'")]
pub struct UnknownCrs(pub String);

pub const ALL: [Crs; 7] = [
    Crs::Epsg4326,
    Crs::Crs84,
    Crs::Epsg3857,
    Crs::Mars49900,
    Crs::Mars49910,
    Crs::Mars49930,
    Crs::Mars49935,
];

impl Crs {
    /// Parses the short (`EPSG:4326`, `IAU:49900`, `IAU_2015:49900`), URN
    /// (`urn:ogc:def:crs:EPSG::4326`) and URI (`http://www.opengis.net/def/crs/IAU/2015/49900`)
    /// forms, case-insensitively.
    pub fn parse(text: &str) -> Result<Self, UnknownCrs> {
        let unknown = || UnknownCrs(text.to_string());
        let (authority, code) = authority_and_code(text).ok_or_else(unknown)?;
        let iau = is_iau(&authority);
        match (authority.as_str(), code.as_str()) {
            ("EPSG", "4326") => Ok(Crs::Epsg4326),
            ("CRS", "84") | ("OGC", "CRS84") | ("CRS", "CRS84") => Ok(Crs::Crs84),
            ("EPSG", "3857" | "900913" | "3785") => Ok(Crs::Epsg3857),
            (_, "49900") if iau => Ok(Crs::Mars49900),
            (_, "49910") if iau => Ok(Crs::Mars49910),
            (_, "49930") if iau => Ok(Crs::Mars49930),
            (_, "49935") if iau => Ok(Crs::Mars49935),
            _ => Err(unknown()),
        }
    }

    /// The identifier advertised in capabilities and used in `CRS=`/`SRS=`.
    pub fn code(self) -> &'static str {
        match self {
            Crs::Epsg4326 => "EPSG:4326",
            Crs::Crs84 => "CRS:84",
            Crs::Epsg3857 => "EPSG:3857",
            Crs::Mars49900 => "IAU_2015:49900",
            Crs::Mars49910 => "IAU_2015:49910",
            Crs::Mars49930 => "IAU_2015:49930",
            Crs::Mars49935 => "IAU_2015:49935",
        }
    }

    /// The CRS as a URI (WCS 2.0 srsName, WMTS SupportedCRS). EPSG and OGC codes use the OGC
    /// http URIs; IAU codes use the OGC URN form, because PROJ 9.1 (Debian 12's, under GDAL 3.6
    /// and QGIS) resolves `urn:ogc:def:crs:IAU:2015:49900` but not the registry's
    /// `http://www.opengis.net/def/crs/IAU/2015/49900`. Both forms are accepted in requests.
    pub fn uri(self) -> &'static str {
        match self {
            Crs::Epsg4326 => "http://www.opengis.net/def/crs/EPSG/0/4326",
            Crs::Crs84 => "http://www.opengis.net/def/crs/OGC/1.3/CRS84",
            Crs::Epsg3857 => "http://www.opengis.net/def/crs/EPSG/0/3857",
            Crs::Mars49900 => "urn:ogc:def:crs:IAU:2015:49900",
            Crs::Mars49910 => "urn:ogc:def:crs:IAU:2015:49910",
            Crs::Mars49930 => "urn:ogc:def:crs:IAU:2015:49930",
            Crs::Mars49935 => "urn:ogc:def:crs:IAU:2015:49935",
        }
    }

    /// The EPSG code, for GeoTIFF keys, when the CRS has one.
    pub fn epsg(self) -> Option<u16> {
        match self {
            Crs::Epsg4326 | Crs::Crs84 => Some(4326),
            Crs::Epsg3857 => Some(3857),
            _ => None,
        }
    }

    /// Whether the CRS can map a layer of `body`. Geographic EPSG codes and Web Mercator apply
    /// to any body's longitude/latitude; IAU codes only to their own body.
    pub fn applies_to(self, body: Body) -> bool {
        match self {
            Crs::Epsg4326 | Crs::Crs84 | Crs::Epsg3857 => true,
            Crs::Mars49900 | Crs::Mars49910 | Crs::Mars49930 | Crs::Mars49935 => body == Body::Mars,
        }
    }

    pub fn kind(self) -> ProjectionKind {
        match self {
            Crs::Epsg4326 | Crs::Crs84 | Crs::Mars49900 => ProjectionKind::Geographic,
            Crs::Epsg3857 | Crs::Mars49910 => ProjectionKind::Cylindrical,
            Crs::Mars49930 | Crs::Mars49935 => ProjectionKind::Polar,
        }
    }

    pub fn is_geographic(self) -> bool {
        self.kind() == ProjectionKind::Geographic
    }

    /// Whether the first coordinate is the northing (latitude) under the WMS 1.3.0 / WCS 2.0
    /// rules (WMS 1.3.0 §6.7.4: axis order as the CRS defines it). WMS 1.1.1 is always x/lon first.
    pub fn lat_first(self, iau_order: AxisOrder) -> bool {
        match self {
            Crs::Epsg4326 => true,
            Crs::Mars49900 => iau_order == AxisOrder::LatLon,
            _ => false,
        }
    }

    /// Axis labels used by WCS 2.0 (in the CRS's own order), and the axis abbreviations of the
    /// definitions.
    pub fn axis_labels(self, iau_order: AxisOrder) -> [&'static str; 2] {
        match self {
            c if c.is_geographic() && c.lat_first(iau_order) => ["Lat", "Long"],
            c if c.is_geographic() => ["Long", "Lat"],
            Crs::Epsg3857 => ["X", "Y"],
            _ => ["E", "N"],
        }
    }

    /// The PROJ string of a projected CRS (facts from the IAU_2015 and EPSG registries).
    fn proj_string(self) -> Option<&'static str> {
        match self {
            Crs::Epsg3857 => {
                Some("+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +k=1 +units=m")
            }
            Crs::Mars49910 => Some("+proj=eqc +lat_ts=0 +lat_0=0 +lon_0=0 +R=3396190 +units=m"),
            Crs::Mars49930 => Some("+proj=stere +lat_0=90 +lon_0=0 +k=1 +R=3396190 +units=m"),
            Crs::Mars49935 => Some("+proj=stere +lat_0=-90 +lon_0=0 +k=1 +R=3396190 +units=m"),
            _ => None,
        }
    }

    /// The sphere (or ellipsoid) the projection is computed on, as a geographic PROJ string.
    fn geographic_companion(self) -> &'static str {
        match self {
            Crs::Epsg3857 => "+proj=longlat +a=6378137 +b=6378137",
            _ => "+proj=longlat +R=3396190",
        }
    }

    /// Longitude/latitude (degrees) → CRS coordinates (x/easting, y/northing). None where the
    /// projection is undefined.
    pub fn from_lonlat(self, lon: f64, lat: f64) -> Option<(f64, f64)> {
        match self.kind() {
            ProjectionKind::Geographic => Some((lon, lat)),
            _ => {
                let p = projections(self)?;
                let mut pt = (lon.to_radians(), lat.to_radians(), 0.0);
                proj4rs::transform::transform(&p.geographic, &p.projected, &mut pt).ok()?;
                finite(pt.0, pt.1)
            }
        }
    }

    /// CRS coordinates (x/easting, y/northing) → longitude/latitude in degrees.
    pub fn to_lonlat(self, x: f64, y: f64) -> Option<(f64, f64)> {
        match self.kind() {
            ProjectionKind::Geographic => Some((x, y)),
            _ => {
                let p = projections(self)?;
                let mut pt = (x, y, 0.0);
                proj4rs::transform::transform(&p.projected, &p.geographic, &mut pt).ok()?;
                finite(pt.0.to_degrees(), pt.1.to_degrees())
            }
        }
    }

    /// The latitudes the CRS can show (Web Mercator stops short of the poles; a polar
    /// stereographic CRS shows its own hemisphere).
    pub fn latitude_range(self) -> (f64, f64) {
        match self {
            Crs::Epsg3857 => (-WEB_MERCATOR_MAX_LAT, WEB_MERCATOR_MAX_LAT),
            Crs::Mars49930 => (0.0, 90.0),
            Crs::Mars49935 => (-90.0, 0.0),
            _ => (-90.0, 90.0),
        }
    }

    /// The x span of one turn of longitude for geographic and cylindrical CRSs (360° or 2πR).
    pub fn x_period(self) -> Option<f64> {
        match self.kind() {
            ProjectionKind::Geographic => Some(360.0),
            ProjectionKind::Cylindrical => {
                let (east, _) = self.from_lonlat(90.0, 0.0)?;
                Some(4.0 * east)
            }
            ProjectionKind::Polar => None,
        }
    }

    /// Bounding box `[minx, miny, maxx, maxy]` (x first) of a longitude/latitude box in this CRS,
    /// found by projecting points along its edges. None when the box is outside the CRS's area.
    pub fn bbox_from_lonlat(self, ll: [f64; 4]) -> Option<[f64; 4]> {
        let (lat_lo, lat_hi) = self.latitude_range();
        let (s, n) = (ll[1].max(lat_lo), ll[3].min(lat_hi));
        if s >= n {
            return None;
        }
        if self.is_geographic() {
            return Some([ll[0], s, ll[2], n]);
        }
        const STEPS: usize = 32;
        let mut bb = [
            f64::INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NEG_INFINITY,
        ];
        let mut add = |lon: f64, lat: f64| {
            if let Some((x, y)) = self.from_lonlat(lon, lat) {
                bb = [bb[0].min(x), bb[1].min(y), bb[2].max(x), bb[3].max(y)];
            }
        };
        for i in 0..=STEPS {
            let f = i as f64 / STEPS as f64;
            let lon = ll[0] + f * (ll[2] - ll[0]);
            let lat = s + f * (n - s);
            add(lon, s);
            add(lon, n);
            add(ll[0], lat);
            add(ll[2], lat);
        }
        bb[0].is_finite().then_some(bb)
    }
}

fn finite(x: f64, y: f64) -> Option<(f64, f64)> {
    (x.is_finite() && y.is_finite()).then_some((x, y))
}

struct Projections {
    geographic: Proj,
    projected: Proj,
}

/// Parsed once: proj4rs parses strings at some cost, and the definitions never change.
static PROJECTIONS: LazyLock<Vec<(Crs, Projections)>> = LazyLock::new(|| {
    ALL.iter()
        .filter_map(|&crs| {
            let projected = Proj::from_proj_string(crs.proj_string()?).ok()?;
            let geographic = Proj::from_proj_string(crs.geographic_companion()).ok()?;
            Some((
                crs,
                Projections {
                    geographic,
                    projected,
                },
            ))
        })
        .collect()
});

fn projections(crs: Crs) -> Option<&'static Projections> {
    PROJECTIONS.iter().find(|(c, _)| *c == crs).map(|(_, p)| p)
}

/// Wraps `lon` into `[west, west + 360)`.
pub fn wrap_longitude(lon: f64, west: f64) -> f64 {
    west + (lon - west).rem_euclid(360.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_short_urn_and_uri_forms() {
        for (text, crs) in [
            ("EPSG:4326", Crs::Epsg4326),
            ("epsg:4326", Crs::Epsg4326),
            ("CRS:84", Crs::Crs84),
            ("urn:ogc:def:crs:OGC:1.3:CRS84", Crs::Crs84),
            ("urn:ogc:def:crs:EPSG::4326", Crs::Epsg4326),
            ("http://www.opengis.net/def/crs/EPSG/0/3857", Crs::Epsg3857),
            ("IAU:49900", Crs::Mars49900),
            ("IAU_2015:49910", Crs::Mars49910),
            ("urn:ogc:def:crs:IAU:2015:49930", Crs::Mars49930),
            (
                "http://www.opengis.net/def/crs/IAU/2015/49935",
                Crs::Mars49935,
            ),
            (
                "http://www.opengis.net/gml/srs/epsg.xml#4326",
                Crs::Epsg4326,
            ),
        ] {
            assert_eq!(Crs::parse(text), Ok(crs), "{text}");
        }
        assert!(Crs::parse("EPSG:32633").is_err());
        assert!(Crs::parse("IAU:30100").is_err());
        assert!(Crs::parse("nonsense").is_err());
    }

    #[test]
    fn axis_order_follows_wms_130_rules() {
        assert!(Crs::Epsg4326.lat_first(AxisOrder::LonLat));
        assert!(!Crs::Crs84.lat_first(AxisOrder::LatLon));
        assert!(Crs::Mars49900.lat_first(AxisOrder::LatLon));
        assert!(!Crs::Mars49900.lat_first(AxisOrder::LonLat));
        assert!(!Crs::Mars49910.lat_first(AxisOrder::LatLon));
    }

    #[test]
    fn mars_equirectangular_is_radius_times_radians() {
        let (x, y) = Crs::Mars49910.from_lonlat(90.0, 45.0).unwrap();
        let q = MARS_RADIUS_M * std::f64::consts::FRAC_PI_2;
        assert!((x - q).abs() < 1e-3, "{x}");
        assert!((y - q / 2.0).abs() < 1e-3, "{y}");
        let (lon, lat) = Crs::Mars49910.to_lonlat(x, y).unwrap();
        assert!((lon - 90.0).abs() < 1e-9 && (lat - 45.0).abs() < 1e-9);
    }

    #[test]
    fn web_mercator_matches_the_closed_form() {
        let (x, y) = Crs::Epsg3857.from_lonlat(10.0, 50.0).unwrap();
        let r = 6_378_137.0_f64;
        let ex = r * 10f64.to_radians();
        let ey = r
            * (std::f64::consts::FRAC_PI_4 + 25f64.to_radians())
                .tan()
                .ln();
        assert!((x - ex).abs() < 1e-3 && (y - ey).abs() < 1e-3, "{x} {y}");
    }

    #[test]
    fn polar_stereographic_equator_is_two_radii_from_the_pole() {
        // Spherical polar stereographic, k0 = 1: rho = 2 R tan(pi/4 - |lat|/2).
        let (x, y) = Crs::Mars49930.from_lonlat(0.0, 0.0).unwrap();
        assert!(
            x.abs() < 1e-3 && (y + 2.0 * MARS_RADIUS_M).abs() < 1e-3,
            "{x} {y}"
        );
        let (x, y) = Crs::Mars49935.from_lonlat(90.0, -60.0).unwrap();
        let rho = 2.0 * MARS_RADIUS_M * (std::f64::consts::FRAC_PI_4 - 30f64.to_radians()).tan();
        assert!((x - rho).abs() < 1e-3 && y.abs() < 1e-3, "{x} {y}");
        let (lon, lat) = Crs::Mars49935.to_lonlat(x, y).unwrap();
        assert!((lon - 90.0).abs() < 1e-9 && (lat + 60.0).abs() < 1e-9);
    }

    #[test]
    fn cylindrical_periods_are_one_circumference() {
        assert_eq!(Crs::Crs84.x_period(), Some(360.0));
        let p = Crs::Mars49910.x_period().unwrap();
        assert!((p - 2.0 * std::f64::consts::PI * MARS_RADIUS_M).abs() < 1e-3);
        assert_eq!(Crs::Mars49930.x_period(), None);
    }

    #[test]
    fn wraps_longitudes() {
        assert_eq!(wrap_longitude(190.0, -180.0), -170.0);
        assert_eq!(wrap_longitude(-10.0, 0.0), 350.0);
        assert_eq!(wrap_longitude(360.0, 0.0), 0.0);
    }

    #[test]
    fn iau_codes_apply_to_mars_only() {
        assert!(!Crs::Mars49910.applies_to(Body::Earth));
        assert!(Crs::Epsg4326.applies_to(Body::Mars));
    }
}
