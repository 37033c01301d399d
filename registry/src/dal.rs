//! Capabilities of the simple data-access services: Simple Cone Search 1.03 (`cs:ConeSearch`,
//! ConeSearch-v1.0.xsd) and SIA 2.0, whose `ivo://ivoa.net/std/SIA#query-2.0` capability is a
//! plain one (SIA 2.0, its VOSI capabilities section): the `sia:SimpleImageAccess` type of SIA-v1.1.xsd describes SIA 1
//! services and clients such as pyvo do not expect it there.

use crate::xml::XmlWriter;

pub const CONE_SEARCH_NS: &str = "http://www.ivoa.net/xml/ConeSearch/v1.0";

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

impl ConeSearchCapability {
    pub(crate) fn write(&self, w: &mut XmlWriter) {
        w.leaf("maxSR", &[], &self.max_sr.to_string());
        w.leaf("maxRecords", &[], &self.max_records.max(1).to_string());
        w.leaf(
            "verbosity",
            &[],
            if self.verbosity { "true" } else { "false" },
        );
        if let Some((ra, dec, sr)) = self.test_query {
            w.start("testQuery", &[]);
            w.leaf("ra", &[], &ra.to_string());
            w.leaf("dec", &[], &dec.to_string());
            w.leaf("sr", &[], &sr.to_string());
            w.end();
        }
    }
}
