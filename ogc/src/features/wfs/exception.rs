//! WFS exception reports: OWS Common 1.1 `ows:ExceptionReport` with version 2.0.0 for WFS 2.0
//! (OGC 09-025r2 §7.5) and OWS 1.0 with version 1.0.0 for WFS 1.1.0 (OGC 04-094 §7.7). HTTP
//! statuses follow OWS Common 2.0 Table 28; `NotFound` (GetFeatureById without a match) is 404
//! as the WFS 2.0 conformance tests expect.

use crate::features::encode::gml::escape;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    OperationNotSupported,
    MissingParameterValue,
    InvalidParameterValue,
    VersionNegotiationFailed,
    OptionNotSupported,
    OperationParsingFailed,
    OperationProcessingFailed,
    NotFound,
    NoApplicableCode,
}

impl Code {
    pub fn text(self) -> &'static str {
        match self {
            Self::OperationNotSupported => "OperationNotSupported",
            Self::MissingParameterValue => "MissingParameterValue",
            Self::InvalidParameterValue => "InvalidParameterValue",
            Self::VersionNegotiationFailed => "VersionNegotiationFailed",
            Self::OptionNotSupported => "OptionNotSupported",
            Self::OperationParsingFailed => "OperationParsingFailed",
            Self::OperationProcessingFailed => "OperationProcessingFailed",
            Self::NotFound => "NotFound",
            Self::NoApplicableCode => "NoApplicableCode",
        }
    }

    pub fn status(self) -> u16 {
        match self {
            Self::OperationNotSupported | Self::OptionNotSupported => 501,
            Self::NotFound => 404,
            Self::NoApplicableCode | Self::OperationProcessingFailed => 500,
            _ => 400,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WfsError {
    pub code: Code,
    pub locator: Option<String>,
    pub message: String,
}

impl WfsError {
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

    /// The exception report document for WFS `version` ("2.0.0" or "1.1.0").
    pub fn report(&self, version: &str) -> String {
        let (ns, schema, report_version) = if version.starts_with("1.") {
            (
                "http://www.opengis.net/ows",
                "http://schemas.opengis.net/ows/1.0.0/owsExceptionReport.xsd",
                "1.0.0",
            )
        } else {
            (
                "http://www.opengis.net/ows/1.1",
                "http://schemas.opengis.net/ows/1.1.0/owsExceptionReport.xsd",
                "2.0.0",
            )
        };
        let locator = self
            .locator
            .as_deref()
            .map(|l| format!(" locator=\"{}\"", escape(l)))
            .unwrap_or_default();
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ows:ExceptionReport xmlns:ows=\"{ns}\" \
             xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"{ns} {schema}\" \
             version=\"{report_version}\" xml:lang=\"en\">\n  <ows:Exception exceptionCode=\"{}\"{locator}>\n    \
             <ows:ExceptionText>{}</ows:ExceptionText>\n  </ows:Exception>\n</ows:ExceptionReport>\n",
            self.code.text(),
            escape(&self.message)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_names_its_code_and_locator_with_the_matching_status() {
        let e = WfsError::invalid("BBOX", "south > north & worse");
        let doc = e.report("2.0.0");
        assert!(
            doc.contains("exceptionCode=\"InvalidParameterValue\" locator=\"BBOX\""),
            "{doc}"
        );
        assert!(doc.contains("south &gt; north &amp; worse"), "{doc}");
        assert!(doc.contains("http://www.opengis.net/ows/1.1"), "{doc}");
        assert_eq!(e.code.status(), 400);
        assert!(
            WfsError::missing("TYPENAMES")
                .report("1.1.0")
                .contains("version=\"1.0.0\"")
        );
        assert_eq!(Code::NotFound.status(), 404);
    }
}
