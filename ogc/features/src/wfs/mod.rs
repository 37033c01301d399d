//! WFS 2.0.0 (OGC 09-025r2) and, for older clients, WFS 1.1.0 (OGC 04-094) in KVP encoding:
//! GetCapabilities, DescribeFeatureType, GetFeature (ad hoc queries and the GetFeatureById
//! stored query), ListStoredQueries and DescribeStoredQueries. Requests become a
//! [`FeatureQuery`] that the server runs; documents are rendered here.

mod capabilities;
pub mod describe;
mod getfeature;
mod stored;

pub use getfeature::{GetFeaturePlan, WfsFormat};

use super::service::FeatureServices;
use ogc_common::{Code, Kvp, OgcError, OgcResponse, OwsReport};

/// What a WFS request asks of the server.
#[derive(Debug)]
pub enum WfsResponse {
    Document(OgcResponse),
    /// Features to fetch and encode (GetFeature).
    Features(Box<GetFeaturePlan>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WfsVersion {
    V200,
    V110,
}

impl WfsVersion {
    pub fn text(self) -> &'static str {
        match self {
            Self::V200 => "2.0.0",
            Self::V110 => "1.1.0",
        }
    }
}

/// The exception document for `error` in the dialect of `version`.
pub fn error_document(error: &OgcError, version: WfsVersion) -> OgcResponse {
    let report = match version {
        WfsVersion::V200 => OwsReport::Wfs20,
        WfsVersion::V110 => OwsReport::Ows10,
    };
    report.response(error)
}

impl FeatureServices {
    /// Answers one WFS KVP request.
    pub fn wfs(&self, params: &Kvp) -> WfsResponse {
        let version = negotiated_version(params);
        match self.wfs_request(params, version) {
            Ok(response) => response,
            Err(error) => {
                WfsResponse::Document(error_document(&error, version.unwrap_or(WfsVersion::V200)))
            }
        }
    }

    fn wfs_request(
        &self,
        params: &Kvp,
        version: Option<WfsVersion>,
    ) -> Result<WfsResponse, OgcError> {
        let request = params
            .non_empty("REQUEST")
            .ok_or_else(|| OgcError::missing("REQUEST"))?;
        match params.non_empty("SERVICE") {
            Some(service) if !service.eq_ignore_ascii_case("WFS") => {
                return Err(OgcError::invalid(
                    "SERVICE",
                    format!("this endpoint serves WFS, not {service}"),
                ));
            }
            None if !request.eq_ignore_ascii_case("GetCapabilities") => {
                return Err(OgcError::missing("SERVICE"));
            }
            _ => {}
        }
        if request.eq_ignore_ascii_case("GetCapabilities") {
            let version = capabilities_version(params)?;
            return Ok(WfsResponse::Document(OgcResponse::xml(match version {
                WfsVersion::V200 => capabilities::v200(self),
                WfsVersion::V110 => capabilities::v110(self),
            })));
        }
        let version = match (version, params.non_empty("VERSION")) {
            (Some(v), _) => v,
            (None, Some(other)) => {
                return Err(OgcError::invalid(
                    "VERSION",
                    format!("version {other} is not offered; use 2.0.0 or 1.1.0"),
                ));
            }
            (None, None) => return Err(OgcError::missing("VERSION")),
        };
        let document = |body: String| Ok(WfsResponse::Document(OgcResponse::xml(body)));
        match request.to_ascii_lowercase().as_str() {
            "describefeaturetype" => {
                let body = describe::describe_feature_type(self, params, version)?;
                let content_type = match version {
                    WfsVersion::V200 => "application/gml+xml; version=3.2",
                    WfsVersion::V110 => "text/xml; subtype=gml/3.1.1",
                };
                Ok(WfsResponse::Document(OgcResponse::ok(content_type, body)))
            }
            "getfeature" => {
                getfeature::plan(self, params, version).map(|p| WfsResponse::Features(Box::new(p)))
            }
            "liststoredqueries" if version == WfsVersion::V200 => document(stored::list(self)),
            "describestoredqueries" if version == WfsVersion::V200 => {
                document(stored::describe(self, params)?)
            }
            other => Err(OgcError::new(
                Code::OperationNotSupported,
                Some("REQUEST"),
                format!("{other} is not an operation of this WFS {}", version.text()),
            )),
        }
    }
}

/// VERSION (any operation but GetCapabilities); None when absent or unknown.
fn negotiated_version(params: &Kvp) -> Option<WfsVersion> {
    match params.non_empty("VERSION") {
        Some("2.0.0" | "2.0.2" | "2.0") => Some(WfsVersion::V200),
        Some("1.1.0" | "1.1") => Some(WfsVersion::V110),
        _ => None,
    }
}

/// Version negotiation of GetCapabilities (OWS Common 1.1 §7.3.2): the first of ACCEPTVERSIONS
/// we offer; otherwise VERSION; otherwise the highest.
fn capabilities_version(params: &Kvp) -> Result<WfsVersion, OgcError> {
    if let Some(accept) = params.non_empty("ACCEPTVERSIONS") {
        return accept
            .split(',')
            .find_map(|v| match v.trim() {
                "2.0.0" | "2.0.2" => Some(WfsVersion::V200),
                "1.1.0" => Some(WfsVersion::V110),
                _ => None,
            })
            .ok_or_else(|| {
                OgcError::new(
                    Code::VersionNegotiationFailed,
                    Some("AcceptVersions"),
                    format!("none of {accept} is offered; this server speaks WFS 2.0.0 and 1.1.0"),
                )
            });
    }
    Ok(negotiated_version(params).unwrap_or(WfsVersion::V200))
}
