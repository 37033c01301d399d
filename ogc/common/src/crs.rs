//! The registry of the CRSs vostok knows: their codes, the names and URIs each is spelled as,
//! the body each belongs to and the axis order each definition fixes.
//!
//! One parser reads the short (`EPSG:4326`, `CRS:84`, `IAU_2015:49900`), URN
//! (`urn:ogc:def:crs:EPSG::4326`) and URI (`http://www.opengis.net/def/crs/IAU/2015/49900`,
//! `http://www.opengis.net/gml/srs/epsg.xml#4326`) forms, case-insensitively. Projections
//! (proj4rs) are added by `ogc-maps`; features need identities and axis order only.
//!
//! IAU codes are not in the EPSG registry: the few served are the IAU_2015 entries of the PROJ
//! database (the OGC/IAU WMS CRS registry). Axis order follows the definitions: EPSG:4326 and
//! IAU_2015:49900 (`AXIS["geodetic latitude (Lat)",north, ORDER[1]]`) are latitude first, CRS84
//! is longitude first.

/// The celestial body a layer or a feature collection maps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Body {
    Earth,
    Mars,
}

/// The CRSs vostok reads and writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Crs {
    /// EPSG:4326: WGS 84 latitude, longitude.
    Epsg4326,
    /// OGC CRS84: WGS 84 longitude, latitude.
    Crs84,
    /// EPSG:3857 Web Mercator.
    Epsg3857,
    /// IAU_2015:49900 Mars (2015) - Sphere / Ocentric: planetocentric latitude, east longitude.
    Mars49900,
    /// IAU_2015:49910 Mars equirectangular, clon = 0.
    Mars49910,
    /// IAU_2015:49930 Mars north polar stereographic.
    Mars49930,
    /// IAU_2015:49935 Mars south polar stereographic.
    Mars49935,
}

pub const ALL: [Crs; 7] = [
    Crs::Epsg4326,
    Crs::Crs84,
    Crs::Epsg3857,
    Crs::Mars49900,
    Crs::Mars49910,
    Crs::Mars49930,
    Crs::Mars49935,
];

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unsupported CRS '{0}'")]
pub struct UnknownCrs(pub String);

impl Crs {
    /// Reads any spelling of a known CRS: short (`EPSG:4326`, `CRS:84`, `OGC:CRS84`, `IAU:49900`,
    /// `IAU_2015:49900`), URN (`urn:ogc:def:crs:EPSG::4326`) or URI
    /// (`http://www.opengis.net/def/crs/OGC/1.3/CRS84`).
    pub fn parse(text: &str) -> Result<Self, UnknownCrs> {
        let unknown = || UnknownCrs(text.to_owned());
        let (authority, code) = authority_and_code(text).ok_or_else(unknown)?;
        let iau = is_iau(&authority);
        match (authority.as_str(), code.as_str()) {
            ("EPSG", "4326") => Ok(Crs::Epsg4326),
            ("OGC" | "CRS", "CRS84" | "84") => Ok(Crs::Crs84),
            ("EPSG", "3857" | "900913" | "3785") => Ok(Crs::Epsg3857),
            (_, "49900") if iau => Ok(Crs::Mars49900),
            (_, "49910") if iau => Ok(Crs::Mars49910),
            (_, "49930") if iau => Ok(Crs::Mars49930),
            (_, "49935") if iau => Ok(Crs::Mars49935),
            _ => Err(unknown()),
        }
    }

    /// The short identifier (WMS capabilities, `CRS=`/`SRS=`).
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

    /// The OGC definition URI (OGC API – Features Part 2, `crs` and `Content-Crs`).
    pub fn def_uri(self) -> &'static str {
        match self {
            Crs::Epsg4326 => "http://www.opengis.net/def/crs/EPSG/0/4326",
            Crs::Crs84 => "http://www.opengis.net/def/crs/OGC/1.3/CRS84",
            Crs::Epsg3857 => "http://www.opengis.net/def/crs/EPSG/0/3857",
            Crs::Mars49900 => "http://www.opengis.net/def/crs/IAU/2015/49900",
            Crs::Mars49910 => "http://www.opengis.net/def/crs/IAU/2015/49910",
            Crs::Mars49930 => "http://www.opengis.net/def/crs/IAU/2015/49930",
            Crs::Mars49935 => "http://www.opengis.net/def/crs/IAU/2015/49935",
        }
    }

    /// The OGC URN (WFS 2.0 capabilities and `srsName`; PROJ and GDAL resolve these).
    pub fn urn(self) -> &'static str {
        match self {
            Crs::Epsg4326 => "urn:ogc:def:crs:EPSG::4326",
            Crs::Crs84 => "urn:ogc:def:crs:OGC:1.3:CRS84",
            Crs::Epsg3857 => "urn:ogc:def:crs:EPSG::3857",
            Crs::Mars49900 => "urn:ogc:def:crs:IAU:2015:49900",
            Crs::Mars49910 => "urn:ogc:def:crs:IAU:2015:49910",
            Crs::Mars49930 => "urn:ogc:def:crs:IAU:2015:49930",
            Crs::Mars49935 => "urn:ogc:def:crs:IAU:2015:49935",
        }
    }

    /// Whether the CRS is one of the IAU planetary registry's.
    pub fn is_iau(self) -> bool {
        self.body() != Body::Earth
    }

    /// The body the definition belongs to.
    pub fn body(self) -> Body {
        match self {
            Crs::Epsg4326 | Crs::Crs84 | Crs::Epsg3857 => Body::Earth,
            Crs::Mars49900 | Crs::Mars49910 | Crs::Mars49930 | Crs::Mars49935 => Body::Mars,
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

    /// Whether the definition puts latitude (northing) first.
    pub fn defines_lat_first(self) -> bool {
        matches!(self, Crs::Epsg4326 | Crs::Mars49900)
    }
}

/// The authority and code of a CRS identifier, both upper-cased (`("EPSG", "4326")`,
/// `("OGC", "CRS84")`, `("IAU_2015", "49900")`); None when `text` is no CRS identifier.
fn authority_and_code(text: &str) -> Option<(String, String)> {
    let upper = text.trim().to_ascii_uppercase();
    let (authority, code) = if let Some(rest) = upper.strip_prefix("URN:OGC:DEF:CRS:") {
        // urn:ogc:def:crs:AUTHORITY:[VERSION]:CODE
        let mut parts = rest.split(':');
        (parts.next()?, parts.next_back()?)
    } else if let Some(rest) = upper
        .strip_prefix("HTTP://WWW.OPENGIS.NET/DEF/CRS/")
        .or_else(|| upper.strip_prefix("HTTPS://WWW.OPENGIS.NET/DEF/CRS/"))
    {
        // …/def/crs/AUTHORITY/VERSION/CODE
        let mut parts = rest.split('/');
        (parts.next()?, parts.next_back()?)
    } else if let Some(code) = upper.strip_prefix("HTTP://WWW.OPENGIS.NET/GML/SRS/EPSG.XML#") {
        ("EPSG", code)
    } else {
        upper.split_once(':')?
    };
    Some((authority.to_owned(), code.to_owned()))
}

/// Whether `authority` names the IAU planetary CRS registry, in any of its spellings.
fn is_iau(authority: &str) -> bool {
    matches!(authority, "IAU" | "IAU_2015" | "IAU2015")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(text: &str) -> Option<(String, String)> {
        authority_and_code(text)
    }

    #[test]
    fn short_urn_and_uri_spellings_give_the_same_authority_and_code() {
        let epsg = Some(("EPSG".to_owned(), "4326".to_owned()));
        assert_eq!(pair("epsg:4326"), epsg);
        assert_eq!(pair("urn:ogc:def:crs:EPSG::4326"), epsg);
        assert_eq!(pair("http://www.opengis.net/def/crs/EPSG/0/4326"), epsg);
        assert_eq!(pair("http://www.opengis.net/gml/srs/epsg.xml#4326"), epsg);
        let mars = Some(("IAU".to_owned(), "49900".to_owned()));
        assert_eq!(pair("urn:ogc:def:crs:IAU:2015:49900"), mars);
        assert_eq!(pair("https://www.opengis.net/def/crs/IAU/2015/49900"), mars);
        assert_eq!(pair("4326"), None);
    }

    #[test]
    fn every_spelling_clients_send_is_understood() {
        for (text, crs) in [
            ("EPSG:4326", Crs::Epsg4326),
            ("epsg:4326", Crs::Epsg4326),
            ("urn:ogc:def:crs:EPSG::4326", Crs::Epsg4326),
            ("http://www.opengis.net/def/crs/EPSG/0/4326", Crs::Epsg4326),
            (
                "http://www.opengis.net/gml/srs/epsg.xml#4326",
                Crs::Epsg4326,
            ),
            ("CRS:84", Crs::Crs84),
            ("OGC:CRS84", Crs::Crs84),
            ("urn:ogc:def:crs:OGC:1.3:CRS84", Crs::Crs84),
            ("http://www.opengis.net/def/crs/OGC/1.3/CRS84", Crs::Crs84),
            ("http://www.opengis.net/def/crs/EPSG/0/3857", Crs::Epsg3857),
            ("IAU:49900", Crs::Mars49900),
            ("IAU_2015:49900", Crs::Mars49900),
            ("urn:ogc:def:crs:IAU:2015:49900", Crs::Mars49900),
            ("urn:ogc:def:crs:IAU_2015::49900", Crs::Mars49900),
            (
                "http://www.opengis.net/def/crs/IAU/2015/49900",
                Crs::Mars49900,
            ),
            ("IAU_2015:49910", Crs::Mars49910),
            ("urn:ogc:def:crs:IAU:2015:49930", Crs::Mars49930),
            (
                "http://www.opengis.net/def/crs/IAU/2015/49935",
                Crs::Mars49935,
            ),
        ] {
            assert_eq!(Crs::parse(text), Ok(crs), "{text}");
        }
        assert!(Crs::parse("EPSG:32633").is_err());
        assert!(Crs::parse("IAU:30100").is_err());
        assert!(Crs::parse("4326").is_err());
        assert!(Crs::parse("nonsense").is_err());
    }

    #[test]
    fn every_code_urn_and_uri_written_parses_back() {
        for crs in ALL {
            assert_eq!(Crs::parse(crs.code()), Ok(crs));
            assert_eq!(Crs::parse(crs.urn()), Ok(crs));
            assert_eq!(Crs::parse(crs.def_uri()), Ok(crs));
        }
    }

    #[test]
    fn latitude_comes_first_where_the_definition_says_so() {
        assert!(Crs::Epsg4326.defines_lat_first());
        assert!(Crs::Mars49900.defines_lat_first());
        assert!(!Crs::Crs84.defines_lat_first());
        assert!(!Crs::Mars49910.defines_lat_first());
    }

    #[test]
    fn the_unknown_crs_message_quotes_what_was_sent() {
        assert_eq!(
            Crs::parse("EPSG:32633").unwrap_err().to_string(),
            "unsupported CRS 'EPSG:32633'"
        );
    }
}
