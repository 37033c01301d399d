//! What maps add to the common CRS registry ([`ogc_common::crs`]): the URI and axis order the
//! map services write, and projection through a longitude/latitude pivot on the layer's body.
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
use proj4rs::proj::Proj;
use std::sync::LazyLock;

pub use ogc_common::crs::{ALL, Body, Crs, UnknownCrs};

/// Mean radius of the IAU 2015 Mars sphere, metres (IAU_2015:49900).
pub const MARS_RADIUS_M: f64 = 3_396_190.0;
/// Latitude limit of the Web Mercator square.
pub const WEB_MERCATOR_MAX_LAT: f64 = 85.051_128_779_806_59;

/// The shape of a CRS's projection, which decides how transforms can be sped up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProjectionKind {
    Geographic,
    /// x depends on longitude only and y on latitude only (equirectangular, Mercator).
    Cylindrical,
    Polar,
}

/// The map services' view of a CRS: the URI they write, the axis order they honour, and the
/// projection from and to longitude/latitude.
pub trait MapCrs: Copy {
    /// The CRS as a URI (WCS 2.0 srsName, WMTS SupportedCRS). EPSG and OGC codes use the OGC
    /// http URIs; IAU codes use the OGC URN form, because PROJ 9.1 (Debian 12's, under GDAL 3.6
    /// and QGIS) resolves `urn:ogc:def:crs:IAU:2015:49900` but not the registry's
    /// `http://www.opengis.net/def/crs/IAU/2015/49900`. Both forms are accepted in requests.
    fn uri(self) -> &'static str;
    /// Whether the CRS can map a layer of `body`. Geographic EPSG codes and Web Mercator apply
    /// to any body's longitude/latitude; IAU codes only to their own body.
    fn applies_to(self, body: Body) -> bool;
    fn kind(self) -> ProjectionKind;
    fn is_geographic(self) -> bool;
    /// Whether the first coordinate is the northing (latitude) under the WMS 1.3.0 / WCS 2.0
    /// rules (WMS 1.3.0 §6.7.4: axis order as the CRS defines it, for IAU codes as configured).
    /// WMS 1.1.1 is always x/lon first.
    fn lat_first(self, iau_order: AxisOrder) -> bool;
    /// Axis labels used by WCS 2.0 (in the CRS's own order), and the axis abbreviations of the
    /// definitions.
    fn axis_labels(self, iau_order: AxisOrder) -> [&'static str; 2];
    /// Longitude/latitude (degrees) → CRS coordinates (x/easting, y/northing). None where the
    /// projection is undefined.
    // Named for the direction of the projection (from longitude/latitude), not a constructor.
    #[allow(clippy::wrong_self_convention)]
    fn from_lonlat(self, lon: f64, lat: f64) -> Option<(f64, f64)>;
    /// CRS coordinates (x/easting, y/northing) → longitude/latitude in degrees.
    fn to_lonlat(self, x: f64, y: f64) -> Option<(f64, f64)>;
    /// The latitudes the CRS can show (Web Mercator stops short of the poles; a polar
    /// stereographic CRS shows its own hemisphere).
    fn latitude_range(self) -> (f64, f64);
    /// The x span of one turn of longitude for geographic and cylindrical CRSs (360° or 2πR).
    fn x_period(self) -> Option<f64>;
    /// Bounding box `[minx, miny, maxx, maxy]` (x first) of a longitude/latitude box in this CRS,
    /// found by projecting points along its edges. None when the box is outside the CRS's area.
    fn bbox_from_lonlat(self, ll: [f64; 4]) -> Option<[f64; 4]>;
}

impl MapCrs for Crs {
    fn uri(self) -> &'static str {
        if self.is_iau() {
            self.urn()
        } else {
            self.def_uri()
        }
    }

    fn applies_to(self, body: Body) -> bool {
        self.body() == Body::Earth || self.body() == body
    }

    fn kind(self) -> ProjectionKind {
        match self {
            Crs::Epsg4326 | Crs::Crs84 | Crs::Mars49900 => ProjectionKind::Geographic,
            Crs::Epsg3857 | Crs::Mars49910 => ProjectionKind::Cylindrical,
            Crs::Mars49930 | Crs::Mars49935 => ProjectionKind::Polar,
        }
    }

    fn is_geographic(self) -> bool {
        self.kind() == ProjectionKind::Geographic
    }

    fn lat_first(self, iau_order: AxisOrder) -> bool {
        self.defines_lat_first() && (!self.is_iau() || iau_order == AxisOrder::LatLon)
    }

    fn axis_labels(self, iau_order: AxisOrder) -> [&'static str; 2] {
        match self {
            c if c.is_geographic() && c.lat_first(iau_order) => ["Lat", "Long"],
            c if c.is_geographic() => ["Long", "Lat"],
            Crs::Epsg3857 => ["X", "Y"],
            _ => ["E", "N"],
        }
    }

    fn from_lonlat(self, lon: f64, lat: f64) -> Option<(f64, f64)> {
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

    fn to_lonlat(self, x: f64, y: f64) -> Option<(f64, f64)> {
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

    fn latitude_range(self) -> (f64, f64) {
        match self {
            Crs::Epsg3857 => (-WEB_MERCATOR_MAX_LAT, WEB_MERCATOR_MAX_LAT),
            Crs::Mars49930 => (0.0, 90.0),
            Crs::Mars49935 => (-90.0, 0.0),
            _ => (-90.0, 90.0),
        }
    }

    fn x_period(self) -> Option<f64> {
        match self.kind() {
            ProjectionKind::Geographic => Some(360.0),
            ProjectionKind::Cylindrical => {
                let (east, _) = self.from_lonlat(90.0, 0.0)?;
                Some(4.0 * east)
            }
            ProjectionKind::Polar => None,
        }
    }

    fn bbox_from_lonlat(self, ll: [f64; 4]) -> Option<[f64; 4]> {
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

/// The PROJ string of a projected CRS (facts from the IAU_2015 and EPSG registries).
fn proj_string(crs: Crs) -> Option<&'static str> {
    match crs {
        Crs::Epsg3857 => Some("+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +k=1 +units=m"),
        Crs::Mars49910 => Some("+proj=eqc +lat_ts=0 +lat_0=0 +lon_0=0 +R=3396190 +units=m"),
        Crs::Mars49930 => Some("+proj=stere +lat_0=90 +lon_0=0 +k=1 +R=3396190 +units=m"),
        Crs::Mars49935 => Some("+proj=stere +lat_0=-90 +lon_0=0 +k=1 +R=3396190 +units=m"),
        _ => None,
    }
}

/// The sphere (or ellipsoid) the projection is computed on, as a geographic PROJ string.
fn geographic_companion(crs: Crs) -> &'static str {
    match crs {
        Crs::Epsg3857 => "+proj=longlat +a=6378137 +b=6378137",
        _ => "+proj=longlat +R=3396190",
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
            let projected = Proj::from_proj_string(proj_string(crs)?).ok()?;
            let geographic = Proj::from_proj_string(geographic_companion(crs)).ok()?;
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
