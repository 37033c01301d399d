//! Running queries: ADQL on the catalogue (`crate::engine` is the session it runs in), and
//! streaming results through an encoder.

pub mod adql;
pub mod body;
pub mod cli;
pub mod lookup;
pub mod metrics;
pub mod results;
