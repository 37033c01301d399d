//! OGC map services of vostok: WMS, tiles (XYZ and WMTS) and WCS over raster layers, with the
//! raster reading and rendering behind them.
//!
//! Protocol logic only: no HTTP types. The server's thin handlers build a [`Kvp`] from the raw
//! query string, call one method of [`RasterServices`] (synchronous, CPU-bound: run it on a
//! blocking thread) and copy the [`OgcResponse`] onto the wire.

pub mod config;
pub mod crs;
pub mod exception;
pub mod layer;
pub mod raster;
pub mod render;
pub mod service;
pub mod tiles;
mod wcs;
mod wms;
mod wmts;

pub use config::MapsConfig;
pub use ogc_common::{Kvp, OgcResponse};
pub use service::{OgcConfigError, RasterServices, ServiceEndpoint};
