//! Capabilities of the simple data-access services: Simple Cone Search 1.03 (`cs:ConeSearch`,
//! ConeSearch-v1.0.xsd) and SIA 2.0 (`sia:SimpleImageAccess`, SIA-v1.1.xsd, as SIA 2.0 §2.1
//! asks for its `ivo://ivoa.net/std/SIA#query-2.0` capability).

use crate::xml::XmlWriter;

pub const CONE_SEARCH_NS: &str = "http://www.ivoa.net/xml/ConeSearch/v1.0";
pub const SIA_NS: &str = "http://www.ivoa.net/xml/SIA/v1.1";

pub const CONE_SEARCH_ID: &str = "ivo://ivoa.net/std/ConeSearch";
pub const SIA2_QUERY_ID: &str = "ivo://ivoa.net/std/SIA#query-2.0";

/// `cs:ConeSearch`: the limits of one cone search and a query known to return rows.
#[derive(Debug, Clone)]
pub struct ConeSearchCapability {
    /// Degrees.
    pub max_sr: f64,
    pub max_records: u64,
    /// Whether VERB changes the columns returned.
    pub verbosity: bool,
    /// (ra, dec, sr) in degrees.
    pub test_query: Option<(f64, f64, f64)>,
}

/// `sia:SimpleImageAccess`.
#[derive(Debug, Clone)]
pub struct SiaCapability {
    pub max_records: u64,
    /// (ra, dec, size) in degrees of a query known to return images.
    pub test_query: Option<(f64, f64, f64)>,
}

impl ConeSearchCapability {
    pub(crate) fn write(&self, w: &mut XmlWriter) {
        w.leaf("maxSR", &[], &self.max_sr.to_string());
        w.leaf("maxRecords", &[], &self.max_records.max(1).to_string());
        w.leaf("verbosity", &[], if self.verbosity { "true" } else { "false" });
        if let Some((ra, dec, sr)) = self.test_query {
            w.start("testQuery", &[]);
            w.leaf("ra", &[], &ra.to_string());
            w.leaf("dec", &[], &dec.to_string());
            w.leaf("sr", &[], &sr.to_string());
            w.end();
        }
    }
}

impl SiaCapability {
    pub(crate) fn write(&self, w: &mut XmlWriter) {
        // Pointed: the images are observations, not cut-outs or mosaics made on request.
        w.leaf("imageServiceType", &[], "Pointed");
        w.leaf("maxRecords", &[], &self.max_records.max(1).to_string());
        if let Some((ra, dec, size)) = self.test_query {
            w.start("testQuery", &[]);
            w.start("pos", &[]);
            w.leaf("long", &[], &ra.to_string());
            w.leaf("lat", &[], &dec.to_string());
            w.end();
            w.start("size", &[]);
            w.leaf("long", &[], &size.to_string());
            w.leaf("lat", &[], &size.to_string());
            w.end();
            w.end();
        }
    }
}
