//! OGC services of vostok: WMS, tiles (XYZ and WMTS) and WCS over raster layers; WFS and
//! OGC API – Features over feature collections.
//!
//! Protocol logic only: no HTTP types. The server's thin handlers build a [`Kvp`] from the raw
//! query string, call one method of [`RasterServices`] (synchronous, CPU-bound: run it on a
//! blocking thread) and copy the [`OgcResponse`] onto the wire.

pub mod config;
pub mod crs;
pub mod exception;
pub mod features;
pub mod kvp;
pub mod layer;
pub mod raster;
pub mod render;
pub mod service;
pub mod tiles;
mod wcs;
mod wms;
mod wmts;

pub use config::OgcConfig;
pub use exception::OgcResponse;
pub use kvp::Kvp;
pub use service::{OgcConfigError, RasterServices, ServiceEndpoint};
