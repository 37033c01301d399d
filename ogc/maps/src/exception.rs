//! The exception documents of WMS 1.1.1/1.3.0 and WCS 1.0.0 (ServiceExceptionReport); the OWS
//! Common report of WMTS and WCS 2.0.1 is [`ogc_common::OwsReport`].

use ogc_common::xml::XmlWriter;
use ogc_common::{OgcError, OgcResponse};

const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";
const OGC: &str = "http://www.opengis.net/ogc";

/// `<ServiceExceptionReport>` holding one `<ServiceException>` of `code`, in `doc`.
fn report(mut doc: XmlWriter, root: &[(&str, &str)], code: &str, e: &OgcError) -> String {
    let mut exception = vec![("code", code)];
    exception.extend(e.locator.as_deref().map(|l| ("locator", l)));
    doc.start("ServiceExceptionReport", root)
        .text("ServiceException", &exception, &e.message)
        .end("ServiceExceptionReport");
    doc.finish()
}

/// WMS 1.1.1 ServiceExceptionReport (DTD exception_1_1_1.dtd, which has no locator).
pub fn wms111(e: &OgcError) -> OgcResponse {
    let mut doc = XmlWriter::document();
    doc.doctype(
        "ServiceExceptionReport SYSTEM \
         \"http://schemas.opengis.net/wms/1.1.1/exception_1_1_1.dtd\"",
    );
    let without_locator = OgcError {
        locator: None,
        ..e.clone()
    };
    let body = report(
        doc,
        &[("version", "1.1.1")],
        e.code.wms111_text(),
        &without_locator,
    );
    OgcResponse::new(e.code.status(), "application/vnd.ogc.se_xml", body)
}

/// WMS 1.3.0 ServiceExceptionReport (exceptions_1_3_0.xsd).
pub fn wms130(e: &OgcError) -> OgcResponse {
    let location = format!("{OGC} http://schemas.opengis.net/wms/1.3.0/exceptions_1_3_0.xsd");
    let root = [
        ("version", "1.3.0"),
        ("xmlns", OGC),
        ("xmlns:xsi", XSI),
        ("xsi:schemaLocation", location.as_str()),
    ];
    let body = report(XmlWriter::document(), &root, e.code.text(), e);
    OgcResponse::new(e.code.status(), "text/xml", body)
}

/// WCS 1.0.0 exceptions: OGC ServiceExceptionReport 1.2.0.
pub fn wcs10(e: &OgcError) -> OgcResponse {
    let location = format!("{OGC} http://schemas.opengis.net/wcs/1.0.0/OGC-exception.xsd");
    let root = [
        ("version", "1.2.0"),
        ("xmlns", OGC),
        ("xmlns:xsi", XSI),
        ("xsi:schemaLocation", location.as_str()),
    ];
    let body = report(XmlWriter::document(), &root, e.code.text(), e);
    OgcResponse::new(e.code.status(), "application/vnd.ogc.se_xml", body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ogc_common::Code;

    #[test]
    fn wms_111_calls_crs_errors_invalid_srs() {
        let e = OgcError::new(Code::InvalidCrs, Some("SRS"), "no <such> CRS");
        let body = wms111(&e).text().into_owned();
        assert_eq!(
            body,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE ServiceExceptionReport SYSTEM \
             \"http://schemas.opengis.net/wms/1.1.1/exception_1_1_1.dtd\">\n\
             <ServiceExceptionReport version=\"1.1.1\">\n  \
             <ServiceException code=\"InvalidSRS\">no &lt;such&gt; CRS</ServiceException>\n\
             </ServiceExceptionReport>\n"
        );
        let body130 = wms130(&e).text().into_owned();
        assert!(
            body130.contains("code=\"InvalidCRS\" locator=\"SRS\""),
            "{body130}"
        );
    }

    #[test]
    fn wcs_10_reports_are_the_ogc_document_byte_for_byte() {
        let e = OgcError::new(Code::InvalidFormat, Some("FORMAT"), "no 'png'");
        assert_eq!(
            wcs10(&e).text(),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ServiceExceptionReport version=\"1.2.0\" \
             xmlns=\"http://www.opengis.net/ogc\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
             xsi:schemaLocation=\"http://www.opengis.net/ogc \
             http://schemas.opengis.net/wcs/1.0.0/OGC-exception.xsd\">\n  \
             <ServiceException code=\"InvalidFormat\" locator=\"FORMAT\">no &apos;png&apos;</ServiceException>\n\
             </ServiceExceptionReport>\n"
        );
    }
}
