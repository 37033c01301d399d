//! OWS plumbing shared by vostok's OGC crates (`ogc-maps`, `ogc-features`): request parameters,
//! the exception codes and the OWS Common ExceptionReport, the CRS registry, the response type and
//! XML text escaping.
//!
//! Protocol logic only: no HTTP types. The server copies an [`OgcResponse`] onto the wire.

pub mod crs;
pub mod exception;
pub mod kvp;
pub mod response;
pub mod xml;

pub use exception::{Code, OgcError, OwsReport};
pub use kvp::Kvp;
pub use response::OgcResponse;
