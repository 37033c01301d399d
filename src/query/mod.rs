//! Running queries: the DataFusion session, and streaming results through an encoder.

pub mod adql;
pub mod body;
pub mod cli;
pub mod lookup;
pub mod metrics;
pub mod results;
mod session;
pub mod udf;

pub use session::session;
