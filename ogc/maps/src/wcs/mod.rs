//! WCS 2.0.1 (OGC 09-110r4 core, KVP binding, scaling extension, GeoTIFF encoding) and WCS 1.0.0
//! (OGC 03-065r6, the version QGIS's built-in client speaks).

mod output;
mod v100;
mod v201;

use crate::exception;
use crate::service::RasterServices;
use ogc_common::Kvp;
use ogc_common::{OgcError, OgcResponse, OwsReport};

/// Versions are told apart by VERSION (or ACCEPTVERSIONS for GetCapabilities); 2.0.1 when absent.
pub fn handle(svc: &RasterServices, kvp: &Kvp) -> OgcResponse {
    let asked = kvp.non_empty("VERSION").or_else(|| {
        kvp.non_empty("ACCEPTVERSIONS")
            .and_then(|v| v.split(',').next())
    });
    let is_v1 = asked.is_some_and(|v| v.trim().starts_with("1."));
    match kvp.non_empty("SERVICE") {
        Some(s) if s.eq_ignore_ascii_case("WCS") => {}
        other => {
            let e = match other {
                Some(s) => OgcError::invalid("SERVICE", format!("SERVICE must be WCS, not '{s}'")),
                None => OgcError::missing("SERVICE"),
            };
            return if is_v1 {
                exception::wcs10(&e)
            } else {
                OwsReport::Ows20.response(&e)
            };
        }
    }
    if is_v1 {
        v100::handle(svc, kvp)
    } else {
        v201::handle(svc, kvp)
    }
}
