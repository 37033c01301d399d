//! OGC exceptions: the one table of exception codes (with their HTTP statuses), the error every
//! operation returns, and the OWS Common `ows:ExceptionReport` document built from it.

use crate::response::OgcResponse;
use crate::xml::XmlWriter;

/// Exception codes of WMS 1.1.1/1.3.0 (§ Annex A / Table E.1), OWS Common 1.1/2.0 (Table 25/28),
/// WMTS 1.0 (Table 28), WCS 2.0.1 (Table 18) and WFS 2.0 (OGC 09-025r2 Table 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    InvalidFormat,
    InvalidCrs,
    LayerNotDefined,
    StyleNotDefined,
    LayerNotQueryable,
    InvalidPoint,
    OperationNotSupported,
    OptionNotSupported,
    MissingParameterValue,
    InvalidParameterValue,
    VersionNegotiationFailed,
    OperationParsingFailed,
    OperationProcessingFailed,
    NoApplicableCode,
    /// WFS GetFeatureById without a match.
    NotFound,
    TileOutOfRange,
    NoSuchCoverage,
    InvalidAxisLabel,
    InvalidSubsetting,
    InvalidScaleFactor,
    /// All renderers busy: reported as NoApplicableCode with 503.
    ServerBusy,
}

impl Code {
    /// The code text (WMS 1.1.1 renames the CRS error: see [`Code::wms111_text`]).
    pub fn text(self) -> &'static str {
        match self {
            Code::InvalidFormat => "InvalidFormat",
            Code::InvalidCrs => "InvalidCRS",
            Code::LayerNotDefined => "LayerNotDefined",
            Code::StyleNotDefined => "StyleNotDefined",
            Code::LayerNotQueryable => "LayerNotQueryable",
            Code::InvalidPoint => "InvalidPoint",
            Code::OperationNotSupported => "OperationNotSupported",
            Code::OptionNotSupported => "OptionNotSupported",
            Code::MissingParameterValue => "MissingParameterValue",
            Code::InvalidParameterValue => "InvalidParameterValue",
            Code::VersionNegotiationFailed => "VersionNegotiationFailed",
            Code::OperationParsingFailed => "OperationParsingFailed",
            Code::OperationProcessingFailed => "OperationProcessingFailed",
            Code::NoApplicableCode | Code::ServerBusy => "NoApplicableCode",
            Code::NotFound => "NotFound",
            Code::TileOutOfRange => "TileOutOfRange",
            Code::NoSuchCoverage => "NoSuchCoverage",
            Code::InvalidAxisLabel => "InvalidAxisLabel",
            Code::InvalidSubsetting => "InvalidSubsetting",
            Code::InvalidScaleFactor => "InvalidScaleFactor",
        }
    }

    /// The code text in WMS 1.1.1, which names the CRS error InvalidSRS.
    pub fn wms111_text(self) -> &'static str {
        match self {
            Code::InvalidCrs => "InvalidSRS",
            other => other.text(),
        }
    }

    /// HTTP status (OWS Common 2.0 Table 28, WCS 2.0.1 Table 18; `NotFound` is 404 as the WFS
    /// 2.0 conformance tests expect; client errors 400 elsewhere).
    pub fn status(self) -> u16 {
        match self {
            Code::OperationNotSupported | Code::OptionNotSupported => 501,
            Code::NoApplicableCode | Code::OperationProcessingFailed => 500,
            Code::ServerBusy => 503,
            Code::NotFound
            | Code::NoSuchCoverage
            | Code::InvalidAxisLabel
            | Code::InvalidSubsetting
            | Code::InvalidScaleFactor => 404,
            _ => 400,
        }
    }
}

/// An OGC exception: code, optional locator (the offending parameter), message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OgcError {
    pub code: Code,
    pub locator: Option<String>,
    pub message: String,
}

impl OgcError {
    pub fn new(code: Code, locator: Option<&str>, message: impl Into<String>) -> Self {
        Self {
            code,
            locator: locator.map(str::to_owned),
            message: message.into(),
        }
    }

    pub fn missing(parameter: &str) -> Self {
        Self::new(
            Code::MissingParameterValue,
            Some(parameter),
            format!("the {parameter} parameter is missing"),
        )
    }

    pub fn invalid(parameter: &str, message: impl Into<String>) -> Self {
        Self::new(Code::InvalidParameterValue, Some(parameter), message)
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(Code::NoApplicableCode, None, message)
    }
}

/// The flavours of `ows:ExceptionReport` the services write: namespace, schema and the report's
/// `version` attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OwsReport {
    /// OWS Common 2.0, report version 2.0.0 (WCS 2.0.1).
    Ows20,
    /// OWS Common 1.1, report version 1.1.0 (WMTS 1.0).
    Ows11,
    /// OWS Common 1.1, report version 2.0.0 (WFS 2.0, OGC 09-025r2 §7.5).
    Wfs20,
    /// OWS Common 1.0, report version 1.0.0 (WFS 1.1.0, OGC 04-094 §7.7).
    Ows10,
}

impl OwsReport {
    fn namespace(self) -> &'static str {
        match self {
            Self::Ows20 => "http://www.opengis.net/ows/2.0",
            Self::Ows11 | Self::Wfs20 => "http://www.opengis.net/ows/1.1",
            Self::Ows10 => "http://www.opengis.net/ows",
        }
    }

    fn schema(self) -> &'static str {
        match self {
            Self::Ows20 => "http://schemas.opengis.net/ows/2.0/owsExceptionReport.xsd",
            Self::Ows11 | Self::Wfs20 => {
                "http://schemas.opengis.net/ows/1.1.0/owsExceptionReport.xsd"
            }
            Self::Ows10 => "http://schemas.opengis.net/ows/1.0.0/owsExceptionReport.xsd",
        }
    }

    fn version(self) -> &'static str {
        match self {
            Self::Ows20 | Self::Wfs20 => "2.0.0",
            Self::Ows11 => "1.1.0",
            Self::Ows10 => "1.0.0",
        }
    }

    /// The report document for `e`.
    pub fn document(self, e: &OgcError) -> String {
        let ns = self.namespace();
        let schema_location = format!("{ns} {}", self.schema());
        let mut exception = vec![("exceptionCode", e.code.text())];
        exception.extend(e.locator.as_deref().map(|l| ("locator", l)));
        let mut doc = XmlWriter::document();
        doc.start(
            "ows:ExceptionReport",
            &[
                ("xmlns:ows", ns),
                ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
                ("xsi:schemaLocation", &schema_location),
                ("version", self.version()),
                ("xml:lang", "en"),
            ],
        )
        .start("ows:Exception", &exception)
        .text("ows:ExceptionText", &[], &e.message)
        .end("ows:Exception")
        .end("ows:ExceptionReport");
        doc.finish()
    }

    /// The report for `e` as an `application/xml` response with the status of its code.
    pub fn response(self, e: &OgcError) -> OgcResponse {
        OgcResponse::new(e.code.status(), "application/xml", self.document(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ows_exceptions_carry_the_status_of_their_code() {
        let r = OwsReport::Ows20.response(&OgcError::new(
            Code::NoSuchCoverage,
            Some("coverageId"),
            "x",
        ));
        assert_eq!(r.status, 404);
        assert!(r.text().contains("exceptionCode=\"NoSuchCoverage\""));
        assert_eq!(
            OwsReport::Ows11
                .response(&OgcError::missing("REQUEST"))
                .status,
            400
        );
        assert_eq!(Code::NotFound.status(), 404);
        assert_eq!(Code::OptionNotSupported.status(), 501);
    }

    #[test]
    fn a_report_is_the_ows_document_byte_for_byte() {
        let e = OgcError::new(Code::InvalidParameterValue, Some("X"), "a<b");
        assert_eq!(
            OwsReport::Ows11.document(&e),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ows:ExceptionReport \
             xmlns:ows=\"http://www.opengis.net/ows/1.1\" \
             xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
             xsi:schemaLocation=\"http://www.opengis.net/ows/1.1 \
             http://schemas.opengis.net/ows/1.1.0/owsExceptionReport.xsd\" version=\"1.1.0\" \
             xml:lang=\"en\">\n  <ows:Exception exceptionCode=\"InvalidParameterValue\" \
             locator=\"X\">\n    <ows:ExceptionText>a&lt;b</ows:ExceptionText>\n  \
             </ows:Exception>\n</ows:ExceptionReport>\n"
        );
    }

    #[test]
    fn a_report_names_its_code_and_locator_and_escapes_the_message() {
        let e = OgcError::invalid("BBOX", "south > north & worse");
        let doc = OwsReport::Wfs20.document(&e);
        assert!(
            doc.contains("exceptionCode=\"InvalidParameterValue\" locator=\"BBOX\""),
            "{doc}"
        );
        assert!(doc.contains("south &gt; north &amp; worse"), "{doc}");
        assert!(doc.contains("http://www.opengis.net/ows/1.1"), "{doc}");
        assert!(doc.contains("version=\"2.0.0\""), "{doc}");
        assert!(
            OwsReport::Ows10
                .document(&OgcError::missing("TYPENAMES"))
                .contains("version=\"1.0.0\"")
        );
    }
}
