//! Running queries: the DataFusion session, and streaming results through an encoder.

pub mod results;
mod session;

pub use session::session;
