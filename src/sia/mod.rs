//! SIA 2.0 (IVOA REC 2015-12-23) over the ObsCore table: `/sia/query` turns the query
//! parameters into ADQL over `ivoa.obscore` (§2.2: repeated values of one parameter are ORed,
//! different parameters ANDed) and streams the matching rows; `/sia/capabilities` and
//! `/sia/availability` are its VOSI resources.

pub mod http;
mod request;

pub use http::{SiaState, capability_list};
pub use request::{SiaRequest, where_clause};

pub const PATH: &str = "/sia";
