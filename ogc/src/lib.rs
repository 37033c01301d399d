//! OGC services of vostok: WMS, tiles, WCS, WFS and OGC API – Features.
//!
//! Protocol logic only: no HTTP types. The server's thin handlers pass request parameters in and
//! send the produced documents and images out.

pub mod config;
pub mod features;

pub use config::OgcConfig;
