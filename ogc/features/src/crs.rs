//! The CRSs feature collections are stored in and written to: geographic degrees on Earth or on
//! Mars, with the axis order each definition fixes.
//!
//! Features need no projection, only identifiers and axis order; identifiers are read by the
//! common parser of CRS spellings ([`ogc_common::crs`]). Axis order follows the CRS definitions: EPSG:4326
//! and IAU_2015:49900 (PROJ's IAU_2015 table: `AXIS["geodetic latitude (Lat)",north, ORDER[1]]`)
//! are latitude first; CRS84 is longitude first. WFS 2.0 (OGC 09-025r2 §7.9.2.4.4 and the
//! CRS name type, OGC 11-135) and OGC API – Features Part 2 (OGC 18-058 §6.2) honour it.

pub use ogc_common::crs::Body;
use ogc_common::crs::{authority_and_code, is_iau};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeatureCrs {
    /// OGC CRS84: WGS 84 longitude, latitude.
    Crs84,
    /// EPSG:4326: WGS 84 latitude, longitude.
    Epsg4326,
    /// IAU_2015:49900: Mars (2015) sphere, planetocentric latitude, east longitude.
    Mars2015,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unsupported CRS `{0}`")]
pub struct UnknownCrs(pub String);

impl FeatureCrs {
    /// Parses the short (`EPSG:4326`, `CRS:84`, `OGC:CRS84`, `IAU_2015:49900`, `IAU:49900`), URN
    /// (`urn:ogc:def:crs:EPSG::4326`, `urn:ogc:def:crs:IAU:2015:49900`) and URI
    /// (`http://www.opengis.net/def/crs/OGC/1.3/CRS84`) forms, case-insensitively.
    pub fn parse(text: &str) -> Result<Self, UnknownCrs> {
        let unknown = || UnknownCrs(text.to_owned());
        let (authority, code) = authority_and_code(text).ok_or_else(unknown)?;
        match (authority.as_str(), code.as_str()) {
            ("EPSG", "4326") => Ok(Self::Epsg4326),
            ("OGC" | "CRS", "CRS84" | "84") => Ok(Self::Crs84),
            (iau, "49900") if is_iau(iau) => Ok(Self::Mars2015),
            _ => Err(unknown()),
        }
    }

    pub fn body(self) -> Body {
        match self {
            Self::Crs84 | Self::Epsg4326 => Body::Earth,
            Self::Mars2015 => Body::Mars,
        }
    }

    /// Whether the first coordinate is the latitude.
    pub fn lat_first(self) -> bool {
        matches!(self, Self::Epsg4326 | Self::Mars2015)
    }

    /// The OGC URI (OGC API – Features Part 2, `crs` and `Content-Crs`).
    pub fn uri(self) -> &'static str {
        match self {
            Self::Crs84 => "http://www.opengis.net/def/crs/OGC/1.3/CRS84",
            Self::Epsg4326 => "http://www.opengis.net/def/crs/EPSG/0/4326",
            Self::Mars2015 => "http://www.opengis.net/def/crs/IAU/2015/49900",
        }
    }

    /// The URN WFS 2.0 writes in capabilities and `srsName` (PROJ and GDAL resolve these).
    pub fn urn(self) -> &'static str {
        match self {
            Self::Crs84 => "urn:ogc:def:crs:OGC:1.3:CRS84",
            Self::Epsg4326 => "urn:ogc:def:crs:EPSG::4326",
            Self::Mars2015 => "urn:ogc:def:crs:IAU:2015:49900",
        }
    }

    /// The CRSs a collection stored in `self` can be written in: the geographic CRSs of its
    /// body, the storage CRS first. CRS84 is offered for Mars too, as longitude/latitude on Mars:
    /// OGC API – Features Part 1 (/req/core/crs84) makes it the default of every collection.
    pub fn output_crss(self) -> &'static [FeatureCrs] {
        match self.body() {
            Body::Earth => &[Self::Crs84, Self::Epsg4326],
            Body::Mars => &[Self::Mars2015, Self::Crs84],
        }
    }

    /// The CRS a request may use for this collection: one of its output CRSs, or EPSG:4326 on
    /// Mars taken as Mars latitude/longitude (as USGS planetary services read it).
    pub fn accepts(self, requested: FeatureCrs) -> bool {
        self.output_crss().contains(&requested)
            || (self.body() == Body::Mars && requested == Self::Epsg4326)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spelling_clients_send_is_understood() {
        for (text, crs) in [
            ("EPSG:4326", FeatureCrs::Epsg4326),
            ("urn:ogc:def:crs:EPSG::4326", FeatureCrs::Epsg4326),
            (
                "http://www.opengis.net/def/crs/EPSG/0/4326",
                FeatureCrs::Epsg4326,
            ),
            (
                "http://www.opengis.net/gml/srs/epsg.xml#4326",
                FeatureCrs::Epsg4326,
            ),
            ("CRS:84", FeatureCrs::Crs84),
            ("OGC:CRS84", FeatureCrs::Crs84),
            ("urn:ogc:def:crs:OGC:1.3:CRS84", FeatureCrs::Crs84),
            (
                "http://www.opengis.net/def/crs/OGC/1.3/CRS84",
                FeatureCrs::Crs84,
            ),
            ("IAU_2015:49900", FeatureCrs::Mars2015),
            ("urn:ogc:def:crs:IAU:2015:49900", FeatureCrs::Mars2015),
            ("urn:ogc:def:crs:IAU_2015::49900", FeatureCrs::Mars2015),
            (
                "http://www.opengis.net/def/crs/IAU/2015/49900",
                FeatureCrs::Mars2015,
            ),
        ] {
            assert_eq!(FeatureCrs::parse(text), Ok(crs), "{text}");
        }
        assert!(FeatureCrs::parse("EPSG:3857").is_err());
        assert!(FeatureCrs::parse("4326").is_err());
    }

    #[test]
    fn every_identifier_written_parses_back() {
        for crs in [
            FeatureCrs::Crs84,
            FeatureCrs::Epsg4326,
            FeatureCrs::Mars2015,
        ] {
            assert_eq!(FeatureCrs::parse(crs.uri()), Ok(crs));
            assert_eq!(FeatureCrs::parse(crs.urn()), Ok(crs));
        }
    }

    #[test]
    fn latitude_comes_first_where_the_definition_says_so() {
        assert!(FeatureCrs::Epsg4326.lat_first());
        assert!(FeatureCrs::Mars2015.lat_first());
        assert!(!FeatureCrs::Crs84.lat_first());
    }
}
