//! The DataFusion engine every query and ingest runs on: the session and the ADQL functions
//! registered in it. It knows nothing of the catalogue, so `catalog` and `query` both build on
//! it without depending on each other in a loop.

mod session;
pub mod udf;

pub use session::session;
