//! The exception documents of WMS 1.1.1/1.3.0 and WCS 1.0.0 (ServiceExceptionReport); the OWS
//! Common report of WMTS and WCS 2.0.1 is [`ogc_common::OwsReport`].

use ogc_common::xml::escape;
use ogc_common::{OgcError, OgcResponse};

/// WMS 1.1.1 ServiceExceptionReport (DTD exception_1_1_1.dtd).
pub fn wms111(e: &OgcError) -> OgcResponse {
    let doc = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE ServiceExceptionReport SYSTEM \
         \"http://schemas.opengis.net/wms/1.1.1/exception_1_1_1.dtd\">\n\
         <ServiceExceptionReport version=\"1.1.1\">\n  \
         <ServiceException code=\"{}\">{}</ServiceException>\n</ServiceExceptionReport>\n",
        e.code.wms111_text(),
        escape(&e.message)
    );
    OgcResponse::new(e.code.status(), "application/vnd.ogc.se_xml", doc)
}

/// WMS 1.3.0 ServiceExceptionReport (exceptions_1_3_0.xsd).
pub fn wms130(e: &OgcError) -> OgcResponse {
    let doc = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ServiceExceptionReport version=\"1.3.0\" \
         xmlns=\"http://www.opengis.net/ogc\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xsi:schemaLocation=\"http://www.opengis.net/ogc \
         http://schemas.opengis.net/wms/1.3.0/exceptions_1_3_0.xsd\">\n  \
         <ServiceException code=\"{}\"{}>{}</ServiceException>\n</ServiceExceptionReport>\n",
        e.code.text(),
        e.locator_attribute(),
        escape(&e.message)
    );
    OgcResponse::new(e.code.status(), "text/xml", doc)
}

/// WCS 1.0.0 exceptions: OGC ServiceExceptionReport 1.2.0.
pub fn wcs10(e: &OgcError) -> OgcResponse {
    let doc = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ServiceExceptionReport version=\"1.2.0\" \
         xmlns=\"http://www.opengis.net/ogc\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xsi:schemaLocation=\"http://www.opengis.net/ogc http://schemas.opengis.net/wcs/1.0.0/OGC-exception.xsd\">\n  \
         <ServiceException code=\"{}\"{}>{}</ServiceException>\n</ServiceExceptionReport>\n",
        e.code.text(),
        e.locator_attribute(),
        escape(&e.message)
    );
    OgcResponse::new(e.code.status(), "application/vnd.ogc.se_xml", doc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ogc_common::Code;

    #[test]
    fn wms_111_calls_crs_errors_invalid_srs() {
        let e = OgcError::new(Code::InvalidCrs, Some("SRS"), "no <such> CRS");
        let body = wms111(&e).text().into_owned();
        assert!(body.contains("code=\"InvalidSRS\""), "{body}");
        assert!(body.contains("no &lt;such&gt; CRS"));
        let body130 = wms130(&e).text().into_owned();
        assert!(
            body130.contains("code=\"InvalidCRS\" locator=\"SRS\""),
            "{body130}"
        );
    }
}
