//! OGC exceptions and their documents, per protocol and version; and the response type every
//! operation returns.

use bytes::Bytes;
use std::fmt::Write;

/// An HTTP-free response: the server's handler copies it onto the wire.
#[derive(Debug, Clone)]
pub struct OgcResponse {
    pub status: u16,
    pub content_type: String,
    /// Extra headers such as ETag and Cache-Control.
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
}

impl OgcResponse {
    pub fn ok(content_type: &str, body: impl Into<Bytes>) -> Self {
        Self {
            status: 200,
            content_type: content_type.into(),
            headers: Vec::new(),
            body: body.into(),
        }
    }

    pub fn with_header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Exception codes of WMS 1.1.1/1.3.0 (§ Annex A / Table E.1), OWS Common 1.1/2.0 (Table 25/28),
/// WMTS 1.0 (Table 28) and WCS 2.0.1 (Table 18).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    InvalidFormat,
    InvalidCrs,
    LayerNotDefined,
    StyleNotDefined,
    LayerNotQueryable,
    InvalidPoint,
    OperationNotSupported,
    MissingParameterValue,
    InvalidParameterValue,
    VersionNegotiationFailed,
    NoApplicableCode,
    TileOutOfRange,
    NoSuchCoverage,
    InvalidAxisLabel,
    InvalidSubsetting,
    InvalidScaleFactor,
    ServerBusy,
}

impl Code {
    /// The code text; WMS 1.1.1 names the CRS error InvalidSRS.
    pub fn text(self, wms111: bool) -> &'static str {
        match self {
            Code::InvalidFormat => "InvalidFormat",
            Code::InvalidCrs if wms111 => "InvalidSRS",
            Code::InvalidCrs => "InvalidCRS",
            Code::LayerNotDefined => "LayerNotDefined",
            Code::StyleNotDefined => "StyleNotDefined",
            Code::LayerNotQueryable => "LayerNotQueryable",
            Code::InvalidPoint => "InvalidPoint",
            Code::OperationNotSupported => "OperationNotSupported",
            Code::MissingParameterValue => "MissingParameterValue",
            Code::InvalidParameterValue => "InvalidParameterValue",
            Code::VersionNegotiationFailed => "VersionNegotiationFailed",
            Code::NoApplicableCode | Code::ServerBusy => "NoApplicableCode",
            Code::TileOutOfRange => "TileOutOfRange",
            Code::NoSuchCoverage => "NoSuchCoverage",
            Code::InvalidAxisLabel => "InvalidAxisLabel",
            Code::InvalidSubsetting => "InvalidSubsetting",
            Code::InvalidScaleFactor => "InvalidScaleFactor",
        }
    }

    /// HTTP status (OWS Common 2.0 Table 28, WCS 2.0.1 Table 18; client errors 400 elsewhere).
    pub fn status(self) -> u16 {
        match self {
            Code::OperationNotSupported => 501,
            Code::NoApplicableCode => 500,
            Code::ServerBusy => 503,
            Code::NoSuchCoverage
            | Code::InvalidAxisLabel
            | Code::InvalidSubsetting
            | Code::InvalidScaleFactor => 404,
            _ => 400,
        }
    }
}

/// An OGC exception: code, optional locator (the offending parameter), message.
#[derive(Debug, Clone, PartialEq)]
pub struct OgcError {
    pub code: Code,
    pub locator: Option<String>,
    pub message: String,
}

impl OgcError {
    pub fn new(code: Code, locator: Option<&str>, message: impl Into<String>) -> Self {
        Self {
            code,
            locator: locator.map(str::to_string),
            message: message.into(),
        }
    }

    pub fn missing(param: &str) -> Self {
        Self::new(
            Code::MissingParameterValue,
            Some(param),
            format!("missing parameter {param}"),
        )
    }

    pub fn invalid(param: &str, message: impl Into<String>) -> Self {
        Self::new(Code::InvalidParameterValue, Some(param), message)
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(Code::NoApplicableCode, None, message)
    }
}

pub fn xml_escape(text: &str) -> String {
    quick_xml::escape::escape(text).into_owned()
}

fn response(status: u16, content_type: &str, body: String) -> OgcResponse {
    OgcResponse {
        status,
        content_type: content_type.into(),
        headers: Vec::new(),
        body: body.into(),
    }
}

/// WMS 1.1.1 ServiceExceptionReport (DTD exception_1_1_1.dtd).
pub fn wms111(e: &OgcError) -> OgcResponse {
    let mut doc = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE ServiceExceptionReport SYSTEM \
         \"http://schemas.opengis.net/wms/1.1.1/exception_1_1_1.dtd\">\n\
         <ServiceExceptionReport version=\"1.1.1\">\n",
    );
    let _ = writeln!(
        doc,
        "  <ServiceException code=\"{}\">{}</ServiceException>\n</ServiceExceptionReport>",
        e.code.text(true),
        xml_escape(&e.message)
    );
    response(e.code.status(), "application/vnd.ogc.se_xml", doc)
}

/// WMS 1.3.0 ServiceExceptionReport (exceptions_1_3_0.xsd).
pub fn wms130(e: &OgcError) -> OgcResponse {
    let mut doc = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ServiceExceptionReport version=\"1.3.0\" \
         xmlns=\"http://www.opengis.net/ogc\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xsi:schemaLocation=\"http://www.opengis.net/ogc \
         http://schemas.opengis.net/wms/1.3.0/exceptions_1_3_0.xsd\">\n",
    );
    let locator = e
        .locator
        .as_deref()
        .map(|l| format!(" locator=\"{}\"", xml_escape(l)))
        .unwrap_or_default();
    let _ = writeln!(
        doc,
        "  <ServiceException code=\"{}\"{locator}>{}</ServiceException>\n</ServiceExceptionReport>",
        e.code.text(false),
        xml_escape(&e.message)
    );
    response(e.code.status(), "text/xml", doc)
}

/// OWS Common ExceptionReport: version "2.0.0" (WCS 2.0.1) or "1.1.0" (WMTS 1.0).
pub fn ows(e: &OgcError, ows_version: &str) -> OgcResponse {
    let ns = if ows_version.starts_with('2') {
        "http://www.opengis.net/ows/2.0"
    } else {
        "http://www.opengis.net/ows/1.1"
    };
    let schema = if ows_version.starts_with('2') {
        "ows/2.0/owsExceptionReport.xsd"
    } else {
        "ows/1.1.0/owsExceptionReport.xsd"
    };
    let locator = e
        .locator
        .as_deref()
        .map(|l| format!(" locator=\"{}\"", xml_escape(l)))
        .unwrap_or_default();
    let doc = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ows:ExceptionReport xmlns:ows=\"{ns}\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xsi:schemaLocation=\"{ns} http://schemas.opengis.net/{schema}\" version=\"{ows_version}\" xml:lang=\"en\">\n  \
         <ows:Exception exceptionCode=\"{}\"{locator}>\n    <ows:ExceptionText>{}</ows:ExceptionText>\n  \
         </ows:Exception>\n</ows:ExceptionReport>\n",
        e.code.text(false),
        xml_escape(&e.message)
    );
    response(e.code.status(), "application/xml", doc)
}

/// WCS 1.0.0 exceptions: OGC ServiceExceptionReport 1.2.0.
pub fn wcs10(e: &OgcError) -> OgcResponse {
    let locator = e
        .locator
        .as_deref()
        .map(|l| format!(" locator=\"{}\"", xml_escape(l)))
        .unwrap_or_default();
    let doc = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ServiceExceptionReport version=\"1.2.0\" \
         xmlns=\"http://www.opengis.net/ogc\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xsi:schemaLocation=\"http://www.opengis.net/ogc http://schemas.opengis.net/wcs/1.0.0/OGC-exception.xsd\">\n  \
         <ServiceException code=\"{}\"{locator}>{}</ServiceException>\n</ServiceExceptionReport>\n",
        e.code.text(false),
        xml_escape(&e.message)
    );
    response(e.code.status(), "application/vnd.ogc.se_xml", doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wms_111_calls_crs_errors_invalid_srs() {
        let e = OgcError::new(Code::InvalidCrs, Some("SRS"), "no <such> CRS");
        let r = wms111(&e);
        let body = std::str::from_utf8(&r.body).unwrap();
        assert!(body.contains("code=\"InvalidSRS\""), "{body}");
        assert!(body.contains("no &lt;such&gt; CRS"));
        let body130 = String::from_utf8(wms130(&e).body.to_vec()).unwrap();
        assert!(
            body130.contains("code=\"InvalidCRS\" locator=\"SRS\""),
            "{body130}"
        );
    }

    #[test]
    fn ows_exceptions_carry_the_status_of_their_code() {
        let r = ows(
            &OgcError::new(Code::NoSuchCoverage, Some("coverageId"), "x"),
            "2.0.0",
        );
        assert_eq!(r.status, 404);
        assert!(
            std::str::from_utf8(&r.body)
                .unwrap()
                .contains("exceptionCode=\"NoSuchCoverage\"")
        );
        assert_eq!(ows(&OgcError::missing("REQUEST"), "1.1.0").status, 400);
    }
}
