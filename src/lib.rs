//! vostok: astronomy and planetary data through IVOA and OGC standards, from Parquet and GeoTIFF.
//!
//! The binary (`src/main.rs`) is a thin shell over this library, which integration tests drive
//! in-process.

pub mod catalog;
pub mod cli;
pub mod config;
pub mod coverage;
pub mod dal;
pub mod engine;
pub mod epntap;
pub mod features;
pub mod ingest;
pub mod ogc_http;
pub mod products;
pub mod publish;
pub mod query;
pub mod registry_http;
pub mod routes;
pub mod scs;
pub mod server;
pub mod services;
pub mod sia;
pub mod tap;
pub mod web;
