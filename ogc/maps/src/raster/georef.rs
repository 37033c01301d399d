//! Georeferencing of a raster: the pixel grid's affine transform and the CRS named by the
//! GeoTIFF keys (OGC GeoTIFF 1.1, §7.1 GeoKeyDirectory and §B model tags).

use crate::crs::{Body, Crs, MARS_RADIUS_M};

/// North-up affine grid: pixel corner (col, row) → (x, y) = (origin_x + col·dx, origin_y − row·dy).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GeoTransform {
    pub origin_x: f64,
    pub origin_y: f64,
    pub dx: f64,
    pub dy: f64,
}

impl GeoTransform {
    /// The grid of a `width`×`height` image covering `[minx, miny, maxx, maxy]`.
    pub fn from_extent(extent: [f64; 4], width: u32, height: u32) -> Self {
        Self {
            origin_x: extent[0],
            origin_y: extent[3],
            dx: (extent[2] - extent[0]) / f64::from(width),
            dy: (extent[3] - extent[1]) / f64::from(height),
        }
    }

    /// `[minx, miny, maxx, maxy]` of a `width`×`height` grid.
    pub fn extent(&self, width: u32, height: u32) -> [f64; 4] {
        [
            self.origin_x,
            self.origin_y - self.dy * f64::from(height),
            self.origin_x + self.dx * f64::from(width),
            self.origin_y,
        ]
    }

    /// Fractional pixel coordinates (0,0 = upper-left corner of the first pixel).
    pub fn to_pixel(&self, x: f64, y: f64) -> (f64, f64) {
        ((x - self.origin_x) / self.dx, (self.origin_y - y) / self.dy)
    }

    /// The same area sampled by a grid `factor_x`/`factor_y` times coarser.
    pub fn scaled(&self, factor_x: f64, factor_y: f64) -> Self {
        Self {
            dx: self.dx * factor_x,
            dy: self.dy * factor_y,
            ..*self
        }
    }
}

/// GeoKey ids used here (GeoTIFF 1.1 §7.3 and Annex A).
pub mod key {
    pub const MODEL_TYPE: u16 = 1024;
    pub const RASTER_TYPE: u16 = 1025;
    pub const CITATION: u16 = 1026;
    pub const GEOGRAPHIC_TYPE: u16 = 2048;
    pub const GEOG_CITATION: u16 = 2049;
    pub const GEOG_GEODETIC_DATUM: u16 = 2050;
    pub const GEOG_ANGULAR_UNITS: u16 = 2054;
    pub const GEOG_ELLIPSOID: u16 = 2056;
    pub const GEOG_SEMI_MAJOR_AXIS: u16 = 2057;
    pub const GEOG_SEMI_MINOR_AXIS: u16 = 2058;
    pub const PROJECTED_CS_TYPE: u16 = 3072;
    pub const PROJECTION: u16 = 3074;
    pub const PROJ_COORD_TRANS: u16 = 3075;
    pub const PROJ_LINEAR_UNITS: u16 = 3076;
    pub const PROJ_STD_PARALLEL_1: u16 = 3078;
    pub const PROJ_NAT_ORIGIN_LONG: u16 = 3080;
    pub const PROJ_NAT_ORIGIN_LAT: u16 = 3081;
    pub const PROJ_FALSE_EASTING: u16 = 3082;
    pub const PROJ_FALSE_NORTHING: u16 = 3083;
    pub const PROJ_CENTER_LONG: u16 = 3088;
    pub const PROJ_SCALE_AT_NAT_ORIGIN: u16 = 3092;
    pub const PROJ_STRAIGHT_VERT_POLE_LONG: u16 = 3095;

    pub const MODEL_PROJECTED: u16 = 1;
    pub const MODEL_GEOGRAPHIC: u16 = 2;
    pub const RASTER_PIXEL_IS_AREA: u16 = 1;
    pub const RASTER_PIXEL_IS_POINT: u16 = 2;
    pub const USER_DEFINED: u16 = 32767;
    pub const CT_POLAR_STEREOGRAPHIC: u16 = 15;
    pub const CT_EQUIRECTANGULAR: u16 = 17;
    pub const ANGULAR_DEGREE: u16 = 9102;
    pub const LINEAR_METRE: u16 = 9001;
}

/// A decoded GeoKey value: SHORT values sit in the directory, DOUBLE and ASCII ones in the
/// GeoDoubleParams / GeoAsciiParams tags.
#[derive(Debug, Clone, PartialEq)]
pub enum GeoKeyValue {
    Short(u16),
    Double(f64),
    Ascii(String),
}

/// Decodes a GeoKeyDirectory (header of 4 shorts, then 4 shorts per key).
pub fn parse_geokeys(directory: &[u16], doubles: &[f64], ascii: &str) -> Vec<(u16, GeoKeyValue)> {
    let count = directory.get(3).copied().unwrap_or(0) as usize;
    directory
        .get(4..)
        .unwrap_or(&[])
        .chunks_exact(4)
        .take(count)
        .filter_map(|k| {
            let (id, location, n, offset) = (k[0], k[1], k[2] as usize, k[3] as usize);
            let value = match location {
                0 => GeoKeyValue::Short(offset as u16),
                34736 => GeoKeyValue::Double(*doubles.get(offset)?),
                34737 => {
                    let s = ascii.get(offset..offset + n)?;
                    GeoKeyValue::Ascii(s.trim_end_matches(['|', '\0']).to_string())
                }
                _ => return None,
            };
            Some((id, value))
        })
        .collect()
}

fn short(keys: &[(u16, GeoKeyValue)], id: u16) -> Option<u16> {
    keys.iter().find_map(|(k, v)| match v {
        GeoKeyValue::Short(s) if *k == id => Some(*s),
        _ => None,
    })
}

fn double(keys: &[(u16, GeoKeyValue)], id: u16) -> Option<f64> {
    keys.iter().find_map(|(k, v)| match v {
        GeoKeyValue::Double(d) if *k == id => Some(*d),
        _ => None,
    })
}

/// Whether the keys put the pixel value at the pixel's centre (GDAL then shifts the grid by half
/// a pixel, and so do we).
pub fn is_pixel_is_point(keys: &[(u16, GeoKeyValue)]) -> bool {
    short(keys, key::RASTER_TYPE) == Some(key::RASTER_PIXEL_IS_POINT)
}

/// Recognises the CRSs vostok serves from GeoKeys: EPSG codes, and user-defined Mars
/// definitions as GDAL writes them for the IAU_2015 codes (sphere of radius 3,396,190 m).
pub fn crs_from_geokeys(keys: &[(u16, GeoKeyValue)]) -> Option<Crs> {
    let is_mars_radius = |a: Option<f64>| a.is_some_and(|a| (a - MARS_RADIUS_M).abs() < 1.0);
    match short(keys, key::MODEL_TYPE)? {
        key::MODEL_GEOGRAPHIC => match short(keys, key::GEOGRAPHIC_TYPE) {
            Some(4326) => Some(Crs::Epsg4326),
            _ if is_mars_radius(double(keys, key::GEOG_SEMI_MAJOR_AXIS)) => Some(Crs::Mars49900),
            _ => None,
        },
        key::MODEL_PROJECTED => match short(keys, key::PROJECTED_CS_TYPE) {
            Some(3857) => Some(Crs::Epsg3857),
            _ if is_mars_radius(double(keys, key::GEOG_SEMI_MAJOR_AXIS)) => {
                match short(keys, key::PROJ_COORD_TRANS)? {
                    key::CT_EQUIRECTANGULAR => Some(Crs::Mars49910),
                    key::CT_POLAR_STEREOGRAPHIC => {
                        let lat = double(keys, key::PROJ_NAT_ORIGIN_LAT)?;
                        Some(if lat > 0.0 {
                            Crs::Mars49930
                        } else {
                            Crs::Mars49935
                        })
                    }
                    _ => None,
                }
            }
            _ => None,
        },
        _ => None,
    }
}

/// The body a CRS belongs to, when a layer does not say.
pub fn body_of(crs: Crs) -> Body {
    match crs {
        Crs::Epsg4326 | Crs::Crs84 | Crs::Epsg3857 => Body::Earth,
        _ => Body::Mars,
    }
}

/// GeoKeys (directory shorts, double params, ascii params) describing `crs`, for writing a
/// GeoTIFF that GDAL reads back as the same CRS.
pub fn geokeys_for(crs: Crs) -> (Vec<u16>, Vec<f64>, String) {
    let mut shorts: Vec<(u16, u16)> = Vec::new();
    let mut doubles: Vec<(u16, f64)> = Vec::new();
    let mut ascii: Vec<(u16, String)> = Vec::new();
    let mars_geog = |shorts: &mut Vec<(u16, u16)>, doubles: &mut Vec<(u16, f64)>| {
        shorts.push((key::GEOGRAPHIC_TYPE, key::USER_DEFINED));
        shorts.push((key::GEOG_GEODETIC_DATUM, key::USER_DEFINED));
        shorts.push((key::GEOG_ELLIPSOID, key::USER_DEFINED));
        shorts.push((key::GEOG_ANGULAR_UNITS, key::ANGULAR_DEGREE));
        doubles.push((key::GEOG_SEMI_MAJOR_AXIS, MARS_RADIUS_M));
        doubles.push((key::GEOG_SEMI_MINOR_AXIS, MARS_RADIUS_M));
    };
    shorts.push((key::RASTER_TYPE, key::RASTER_PIXEL_IS_AREA));
    match crs {
        Crs::Epsg4326 | Crs::Crs84 => {
            shorts.push((key::MODEL_TYPE, key::MODEL_GEOGRAPHIC));
            shorts.push((key::GEOGRAPHIC_TYPE, 4326));
        }
        Crs::Epsg3857 => {
            shorts.push((key::MODEL_TYPE, key::MODEL_PROJECTED));
            shorts.push((key::PROJECTED_CS_TYPE, 3857));
        }
        Crs::Mars49900 => {
            shorts.push((key::MODEL_TYPE, key::MODEL_GEOGRAPHIC));
            ascii.push((key::GEOG_CITATION, "Mars (2015) - Sphere / Ocentric".into()));
            mars_geog(&mut shorts, &mut doubles);
        }
        Crs::Mars49910 | Crs::Mars49930 | Crs::Mars49935 => {
            shorts.push((key::MODEL_TYPE, key::MODEL_PROJECTED));
            shorts.push((key::PROJECTED_CS_TYPE, key::USER_DEFINED));
            shorts.push((key::PROJECTION, key::USER_DEFINED));
            shorts.push((key::PROJ_LINEAR_UNITS, key::LINEAR_METRE));
            ascii.push((key::GEOG_CITATION, "Mars (2015) - Sphere / Ocentric".into()));
            mars_geog(&mut shorts, &mut doubles);
            doubles.push((key::PROJ_FALSE_EASTING, 0.0));
            doubles.push((key::PROJ_FALSE_NORTHING, 0.0));
            if crs == Crs::Mars49910 {
                ascii.push((
                    key::CITATION,
                    "Mars (2015) - Sphere / Ocentric / Equirectangular, clon = 0".into(),
                ));
                shorts.push((key::PROJ_COORD_TRANS, key::CT_EQUIRECTANGULAR));
                doubles.push((key::PROJ_STD_PARALLEL_1, 0.0));
                doubles.push((key::PROJ_CENTER_LONG, 0.0));
                doubles.push((key::PROJ_NAT_ORIGIN_LAT, 0.0));
            } else {
                let north = crs == Crs::Mars49930;
                let name = if north { "North Polar" } else { "South Polar" };
                ascii.push((
                    key::CITATION,
                    format!("Mars (2015) - Sphere / Ocentric / {name}"),
                ));
                shorts.push((key::PROJ_COORD_TRANS, key::CT_POLAR_STEREOGRAPHIC));
                doubles.push((key::PROJ_NAT_ORIGIN_LAT, if north { 90.0 } else { -90.0 }));
                doubles.push((key::PROJ_STRAIGHT_VERT_POLE_LONG, 0.0));
                doubles.push((key::PROJ_SCALE_AT_NAT_ORIGIN, 1.0));
            }
        }
    }
    let mut entries: Vec<[u16; 4]> = Vec::new();
    for (id, v) in shorts {
        entries.push([id, 0, 1, v]);
    }
    let mut double_params = Vec::new();
    for (id, v) in doubles {
        entries.push([id, 34736, 1, double_params.len() as u16]);
        double_params.push(v);
    }
    let mut ascii_params = String::new();
    for (id, text) in ascii {
        let text = format!("{text}|");
        entries.push([id, 34737, text.len() as u16, ascii_params.len() as u16]);
        ascii_params.push_str(&text);
    }
    entries.sort_by_key(|e| e[0]);
    let mut directory = vec![1, 1, 0, entries.len() as u16];
    directory.extend(entries.into_iter().flatten());
    (directory, double_params, ascii_params)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_keys_are_recognised_again() {
        for crs in [
            Crs::Epsg4326,
            Crs::Epsg3857,
            Crs::Mars49900,
            Crs::Mars49910,
            Crs::Mars49930,
            Crs::Mars49935,
        ] {
            let (dir, doubles, ascii) = geokeys_for(crs);
            let keys = parse_geokeys(&dir, &doubles, &ascii);
            assert_eq!(crs_from_geokeys(&keys), Some(crs), "{crs:?}");
            assert!(!is_pixel_is_point(&keys));
        }
    }

    #[test]
    fn grid_round_trips_between_pixels_and_coordinates() {
        let gt = GeoTransform::from_extent([0.0, -90.0, 360.0, 90.0], 2048, 1024);
        assert_eq!(gt.to_pixel(0.0, 90.0), (0.0, 0.0));
        assert_eq!(gt.to_pixel(360.0, -90.0), (2048.0, 1024.0));
        assert_eq!(gt.extent(2048, 1024), [0.0, -90.0, 360.0, 90.0]);
    }
}
