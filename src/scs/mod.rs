//! Simple Cone Search 1.03 (IVOA REC 2008-02-22) for every catalogue table with a sky position
//! and a main identifier, at `/scs/{schema}.{table}`, with its VOSI capabilities and
//! availability beside it. The cone is searched through ADQL `CONTAINS(POINT, CIRCLE)`, which
//! the engine turns into HEALPix ranges over the sorted Parquet files.

pub mod http;
mod request;
mod table;

pub use http::{ConeSearchState, capability_list};
pub use request::ConeRequest;
pub use table::ConeTable;

/// Where cone searches are mounted.
pub const PATH: &str = "/scs";
