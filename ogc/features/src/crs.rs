//! The CRSs feature collections are stored in and written to: the geographic entries of the
//! common registry ([`ogc_common::crs`]), degrees on Earth or on Mars.
//!
//! Features need no projection, only identifiers and axis order, which the registry gives as
//! each definition fixes it: EPSG:4326 and IAU_2015:49900 are latitude first, CRS84 longitude
//! first. WFS 2.0 (OGC 09-025r2 §7.9.2.4.4 and the CRS name type, OGC 11-135) and OGC API –
//! Features Part 2 (OGC 18-058 §6.2) honour it.

pub use ogc_common::crs::{Body, Crs, UnknownCrs};

/// Reads a CRS features can be stored in or written to: CRS84, EPSG:4326 or IAU_2015:49900, in
/// any spelling the registry reads. Projected CRSs are unknown here.
pub fn parse_geographic(text: &str) -> Result<Crs, UnknownCrs> {
    match Crs::parse(text)? {
        crs @ (Crs::Crs84 | Crs::Epsg4326 | Crs::Mars49900) => Ok(crs),
        _ => Err(UnknownCrs(text.to_owned())),
    }
}

/// The CRSs a collection stored in a CRS can be written in and queried with.
pub trait StorageCrs: Copy {
    /// The geographic CRSs of the storage CRS's body, the storage CRS first. CRS84 is offered
    /// for Mars too, as longitude/latitude on Mars: OGC API – Features Part 1 (/req/core/crs84)
    /// makes it the default of every collection.
    fn output_crss(self) -> &'static [Crs];
    /// Whether a request may use `requested` for this collection: one of its output CRSs, or
    /// EPSG:4326 on Mars taken as Mars latitude/longitude (as USGS planetary services read it).
    fn accepts(self, requested: Crs) -> bool;
}

impl StorageCrs for Crs {
    fn output_crss(self) -> &'static [Crs] {
        match self.body() {
            Body::Earth => &[Crs::Crs84, Crs::Epsg4326],
            Body::Mars => &[Crs::Mars49900, Crs::Crs84],
        }
    }

    fn accepts(self, requested: Crs) -> bool {
        self.output_crss().contains(&requested)
            || (self.body() == Body::Mars && requested == Crs::Epsg4326)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_geographic_crss_are_read() {
        assert_eq!(parse_geographic("CRS:84"), Ok(Crs::Crs84));
        assert_eq!(
            parse_geographic("urn:ogc:def:crs:EPSG::4326"),
            Ok(Crs::Epsg4326)
        );
        assert_eq!(parse_geographic("IAU_2015:49900"), Ok(Crs::Mars49900));
        assert!(parse_geographic("EPSG:3857").is_err());
        assert!(parse_geographic("IAU_2015:49910").is_err());
        assert!(parse_geographic("4326").is_err());
    }

    #[test]
    fn mars_collections_are_written_in_mars_degrees_or_crs84() {
        assert_eq!(Crs::Mars49900.output_crss(), [Crs::Mars49900, Crs::Crs84]);
        assert!(Crs::Mars49900.accepts(Crs::Epsg4326));
        assert!(!Crs::Crs84.accepts(Crs::Mars49900));
    }
}
