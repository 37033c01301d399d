//! WMS capabilities documents: 1.3.0 (capabilities_1_3_0.xsd) and 1.1.1 (WMS_MS_Capabilities.dtd).

use super::WmsVersion;
use crate::crs::{Crs, MapCrs};
use crate::layer::Layer;
use crate::render::encode::ImageFormat;
use crate::service::RasterServices;
use ogc_common::OgcResponse;
use ogc_common::xml::escape;
use std::fmt::Write;

/// CRSs every layer can be drawn in; body-specific ones are listed on the layers themselves.
const COMMON_CRS: [Crs; 3] = [Crs::Epsg4326, Crs::Crs84, Crs::Epsg3857];

pub fn response(svc: &RasterServices, version: WmsVersion) -> OgcResponse {
    match version {
        WmsVersion::V130 => OgcResponse::ok("text/xml", document(svc, version)),
        WmsVersion::V111 => OgcResponse::ok("application/vnd.ogc.wms_xml", document(svc, version)),
    }
}

/// A longitude/latitude box inside −180..180 (as EX_GeographicBoundingBox requires), from one
/// whose longitudes may run 0..360.
pub(crate) fn lonlat_in_180(b: [f64; 4]) -> [f64; 4] {
    let (w, e) = if b[2] - b[0] >= 360.0 {
        (-180.0, 180.0)
    } else if b[0] >= 180.0 {
        (b[0] - 360.0, b[2] - 360.0)
    } else if b[2] > 180.0 {
        (-180.0, 180.0)
    } else {
        (b[0].max(-180.0), b[2])
    };
    [w, b[1].max(-90.0), e, b[3].min(90.0)]
}

/// The layer's bounding box in `crs`, x first. Geographic CRSs keep the layer's own longitude
/// range (0..360 for a 0..360 map); projected ones use −180..180.
pub(crate) fn layer_bbox(layer: &Layer, crs: Crs) -> Option<[f64; 4]> {
    if crs.is_geographic() {
        crs.bbox_from_lonlat(layer.lonlat_bbox)
    } else {
        crs.bbox_from_lonlat(lonlat_in_180(layer.lonlat_bbox))
    }
}

fn online_resource(url: &str) -> String {
    format!(
        "<OnlineResource xmlns:xlink=\"http://www.w3.org/1999/xlink\" xlink:type=\"simple\" xlink:href=\"{}\"/>",
        escape(url)
    )
}

fn operation(name: &str, formats: &[&str], url: &str) -> String {
    let mut out = format!("      <{name}>\n");
    for f in formats {
        let _ = writeln!(out, "        <Format>{}</Format>", escape(f));
    }
    let _ = writeln!(
        out,
        "        <DCPType><HTTP><Get>{}</Get></HTTP></DCPType>\n      </{name}>",
        online_resource(url)
    );
    out
}

fn document(svc: &RasterServices, version: WmsVersion) -> String {
    let meta = &svc.config.service;
    let limits = &svc.config.limits;
    let url = format!("{}/wms?", svc.base_url);
    let v130 = version == WmsVersion::V130;
    let mut d = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    if v130 {
        d.push_str(
            "<WMS_Capabilities version=\"1.3.0\" xmlns=\"http://www.opengis.net/wms\" \
             xmlns:xlink=\"http://www.w3.org/1999/xlink\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
             xsi:schemaLocation=\"http://www.opengis.net/wms http://schemas.opengis.net/wms/1.3.0/capabilities_1_3_0.xsd\">\n",
        );
    } else {
        d.push_str(
            "<!DOCTYPE WMT_MS_Capabilities SYSTEM \"http://schemas.opengis.net/wms/1.1.1/WMS_MS_Capabilities.dtd\">\n\
             <WMT_MS_Capabilities version=\"1.1.1\">\n",
        );
    }
    let _ = writeln!(
        d,
        "  <Service>\n    <Name>{}</Name>\n    <Title>{}</Title>\n    <Abstract>{}</Abstract>",
        if v130 { "WMS" } else { "OGC:WMS" },
        escape(&meta.title),
        escape(&meta.abstract_text)
    );
    if !meta.keywords.is_empty() {
        d.push_str("    <KeywordList>");
        for k in &meta.keywords {
            let _ = write!(d, "<Keyword>{}</Keyword>", escape(k));
        }
        d.push_str("</KeywordList>\n");
    }
    let _ = writeln!(d, "    {}", online_resource(&url));
    if v130 {
        let _ = writeln!(
            d,
            "    <MaxWidth>{}</MaxWidth>\n    <MaxHeight>{}</MaxHeight>",
            limits.max_width, limits.max_height
        );
    }
    d.push_str("  </Service>\n  <Capability>\n    <Request>\n");
    let caps_format = if v130 {
        "text/xml"
    } else {
        "application/vnd.ogc.wms_xml"
    };
    d.push_str(&operation("GetCapabilities", &[caps_format], &url));
    d.push_str(&operation("GetMap", &ImageFormat::ADVERTISED, &url));
    d.push_str(&operation(
        "GetFeatureInfo",
        &["text/plain", "application/json", "text/html"],
        &url,
    ));
    d.push_str("    </Request>\n    <Exception>\n");
    let exceptions: &[&str] = if v130 {
        &["XML", "INIMAGE", "BLANK"]
    } else {
        &[
            "application/vnd.ogc.se_xml",
            "application/vnd.ogc.se_inimage",
            "application/vnd.ogc.se_blank",
        ]
    };
    for e in exceptions {
        let _ = writeln!(d, "      <Format>{e}</Format>");
    }
    d.push_str("    </Exception>\n");
    root_layer(&mut d, svc, version);
    d.push_str("  </Capability>\n");
    d.push_str(if v130 {
        "</WMS_Capabilities>\n"
    } else {
        "</WMT_MS_Capabilities>\n"
    });
    d
}

fn crs_tag(version: WmsVersion) -> &'static str {
    match version {
        WmsVersion::V130 => "CRS",
        WmsVersion::V111 => "SRS",
    }
}

/// Geographic box element and the per-CRS bounding boxes, in the version's axis order.
fn extents(
    d: &mut String,
    svc: &RasterServices,
    version: WmsVersion,
    lonlat: [f64; 4],
    crs_list: &[Crs],
    indent: &str,
    layer: Option<&Layer>,
) {
    let g = lonlat_in_180(lonlat);
    match version {
        WmsVersion::V130 => {
            let _ = writeln!(
                d,
                "{indent}<EX_GeographicBoundingBox><westBoundLongitude>{}</westBoundLongitude>\
                 <eastBoundLongitude>{}</eastBoundLongitude><southBoundLatitude>{}</southBoundLatitude>\
                 <northBoundLatitude>{}</northBoundLatitude></EX_GeographicBoundingBox>",
                g[0], g[2], g[1], g[3]
            );
        }
        WmsVersion::V111 => {
            let _ = writeln!(
                d,
                "{indent}<LatLonBoundingBox minx=\"{}\" miny=\"{}\" maxx=\"{}\" maxy=\"{}\"/>",
                g[0], g[1], g[2], g[3]
            );
        }
    }
    for &crs in crs_list {
        let bbox = match layer {
            Some(l) => layer_bbox(l, crs),
            None if crs.is_geographic() => Some(g),
            None => crs.bbox_from_lonlat(g),
        };
        let Some(b) = bbox else { continue };
        let b =
            if version == WmsVersion::V130 && crs.lat_first(svc.config.iau_geographic_axis_order) {
                [b[1], b[0], b[3], b[2]]
            } else {
                b
            };
        let _ = writeln!(
            d,
            "{indent}<BoundingBox {}=\"{}\" minx=\"{}\" miny=\"{}\" maxx=\"{}\" maxy=\"{}\"/>",
            crs_tag(version),
            crs.code(),
            b[0],
            b[1],
            b[2],
            b[3]
        );
    }
}

fn root_layer(d: &mut String, svc: &RasterServices, version: WmsVersion) {
    let tag = crs_tag(version);
    let _ = writeln!(
        d,
        "    <Layer>\n      <Title>{}</Title>",
        escape(&svc.config.service.title)
    );
    for crs in COMMON_CRS {
        let _ = writeln!(d, "      <{tag}>{}</{tag}>", crs.code());
    }
    let union = svc
        .layers
        .iter()
        .map(|l| lonlat_in_180(l.lonlat_bbox))
        .reduce(|a, b| {
            [
                a[0].min(b[0]),
                a[1].min(b[1]),
                a[2].max(b[2]),
                a[3].max(b[3]),
            ]
        });
    let union = union.unwrap_or([-180.0, -90.0, 180.0, 90.0]);
    extents(d, svc, version, union, &[Crs::Crs84], "      ", None);
    for layer in &svc.layers {
        let _ = writeln!(
            d,
            "      <Layer queryable=\"1\" opaque=\"0\">\n        <Name>{}</Name>\n        <Title>{}</Title>",
            escape(&layer.name),
            escape(&layer.title)
        );
        if let Some(a) = &layer.abstract_text {
            let _ = writeln!(d, "        <Abstract>{}</Abstract>", escape(a));
        }
        let own: Vec<Crs> = layer.supported_crs().collect();
        for crs in own.iter().filter(|c| !COMMON_CRS.contains(c)) {
            let _ = writeln!(d, "        <{tag}>{}</{tag}>", crs.code());
        }
        extents(
            d,
            svc,
            version,
            layer.lonlat_bbox,
            &own,
            "        ",
            Some(layer),
        );
        d.push_str(
            "        <Style><Name>default</Name><Title>default</Title></Style>\n      </Layer>\n",
        );
    }
    d.push_str("    </Layer>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn geographic_boxes_are_folded_into_180() {
        assert_eq!(
            lonlat_in_180([0.0, -90.0, 360.0, 90.0]),
            [-180.0, -90.0, 180.0, 90.0]
        );
        assert_eq!(
            lonlat_in_180([200.0, 0.0, 250.0, 10.0]),
            [-160.0, 0.0, -110.0, 10.0]
        );
        assert_eq!(
            lonlat_in_180([10.0, 0.0, 20.0, 10.0]),
            [10.0, 0.0, 20.0, 10.0]
        );
    }
}
