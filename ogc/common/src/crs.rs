//! The spellings of CRS identifiers clients send, and the celestial bodies CRSs belong to.
//!
//! One parser for the short (`EPSG:4326`, `CRS:84`, `IAU_2015:49900`), URN
//! (`urn:ogc:def:crs:EPSG::4326`) and URI (`http://www.opengis.net/def/crs/IAU/2015/49900`,
//! `http://www.opengis.net/gml/srs/epsg.xml#4326`) forms; each crate matches the
//! `(authority, code)` pairs of the CRSs it serves.

/// The celestial body a layer or a feature collection maps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Body {
    Earth,
    Mars,
}

/// The authority and code of a CRS identifier, both upper-cased (`("EPSG", "4326")`,
/// `("OGC", "CRS84")`, `("IAU_2015", "49900")`); None when `text` is no CRS identifier.
pub fn authority_and_code(text: &str) -> Option<(String, String)> {
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
pub fn is_iau(authority: &str) -> bool {
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
}
