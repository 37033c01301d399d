//! WMS capabilities documents: 1.3.0 (capabilities_1_3_0.xsd) and 1.1.1 (WMS_MS_Capabilities.dtd).

use super::WmsVersion;
use crate::crs::{Crs, MapCrs};
use crate::layer::Layer;
use crate::render::encode::ImageFormat;
use crate::service::RasterServices;
use ogc_common::OgcResponse;
use ogc_common::xml::XmlWriter;

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

const XLINK: &str = "http://www.w3.org/1999/xlink";

fn online_resource(doc: &mut XmlWriter, url: &str) {
    doc.empty(
        "OnlineResource",
        &[
            ("xmlns:xlink", XLINK),
            ("xlink:type", "simple"),
            ("xlink:href", url),
        ],
    );
}

fn operation(doc: &mut XmlWriter, name: &str, formats: &[&str], url: &str) {
    doc.start(name, &[]);
    for f in formats {
        doc.text("Format", &[], f);
    }
    doc.line(|l| {
        l.start("DCPType", &[]).start("HTTP", &[]).start("Get", &[]);
        online_resource(l, url);
        l.end("Get").end("HTTP").end("DCPType");
    })
    .end(name);
}

fn document(svc: &RasterServices, version: WmsVersion) -> String {
    let meta = &svc.config.service;
    let limits = &svc.config.limits;
    let url = format!("{}/wms?", svc.base_url);
    let v130 = version == WmsVersion::V130;
    let root = if v130 {
        "WMS_Capabilities"
    } else {
        "WMT_MS_Capabilities"
    };
    let mut d = XmlWriter::document();
    if v130 {
        d.start(
            root,
            &[
                ("version", "1.3.0"),
                ("xmlns", "http://www.opengis.net/wms"),
                ("xmlns:xlink", XLINK),
                ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
                (
                    "xsi:schemaLocation",
                    "http://www.opengis.net/wms \
                     http://schemas.opengis.net/wms/1.3.0/capabilities_1_3_0.xsd",
                ),
            ],
        );
    } else {
        d.doctype(
            "WMT_MS_Capabilities SYSTEM \
             \"http://schemas.opengis.net/wms/1.1.1/WMS_MS_Capabilities.dtd\"",
        )
        .start(root, &[("version", "1.1.1")]);
    }
    d.start("Service", &[])
        .text("Name", &[], if v130 { "WMS" } else { "OGC:WMS" })
        .text("Title", &[], &meta.title)
        .text("Abstract", &[], &meta.abstract_text);
    if !meta.keywords.is_empty() {
        d.line(|l| {
            l.start("KeywordList", &[]);
            for k in &meta.keywords {
                l.text("Keyword", &[], k);
            }
            l.end("KeywordList");
        });
    }
    online_resource(&mut d, &url);
    if v130 {
        d.text("MaxWidth", &[], &limits.max_width.to_string()).text(
            "MaxHeight",
            &[],
            &limits.max_height.to_string(),
        );
    }
    d.end("Service")
        .start("Capability", &[])
        .start("Request", &[]);
    let caps_format = if v130 {
        "text/xml"
    } else {
        "application/vnd.ogc.wms_xml"
    };
    operation(&mut d, "GetCapabilities", &[caps_format], &url);
    operation(&mut d, "GetMap", &ImageFormat::ADVERTISED, &url);
    operation(
        &mut d,
        "GetFeatureInfo",
        &["text/plain", "application/json", "text/html"],
        &url,
    );
    d.end("Request").start("Exception", &[]);
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
        d.text("Format", &[], e);
    }
    d.end("Exception");
    root_layer(&mut d, svc, version);
    d.end("Capability").end(root);
    d.finish()
}

fn crs_tag(version: WmsVersion) -> &'static str {
    match version {
        WmsVersion::V130 => "CRS",
        WmsVersion::V111 => "SRS",
    }
}

/// Geographic box element and the per-CRS bounding boxes, in the version's axis order.
fn extents(
    d: &mut XmlWriter,
    svc: &RasterServices,
    version: WmsVersion,
    lonlat: [f64; 4],
    crs_list: &[Crs],
    layer: Option<&Layer>,
) {
    let g = lonlat_in_180(lonlat);
    let [w, s, e, n] = g.map(|v| v.to_string());
    match version {
        WmsVersion::V130 => {
            d.line(|l| {
                l.start("EX_GeographicBoundingBox", &[])
                    .text("westBoundLongitude", &[], &w)
                    .text("eastBoundLongitude", &[], &e)
                    .text("southBoundLatitude", &[], &s)
                    .text("northBoundLatitude", &[], &n)
                    .end("EX_GeographicBoundingBox");
            });
        }
        WmsVersion::V111 => {
            d.empty(
                "LatLonBoundingBox",
                &[("minx", &w), ("miny", &s), ("maxx", &e), ("maxy", &n)],
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
        let [minx, miny, maxx, maxy] = b.map(|v| v.to_string());
        d.empty(
            "BoundingBox",
            &[
                (crs_tag(version), crs.code()),
                ("minx", &minx),
                ("miny", &miny),
                ("maxx", &maxx),
                ("maxy", &maxy),
            ],
        );
    }
}

fn root_layer(d: &mut XmlWriter, svc: &RasterServices, version: WmsVersion) {
    let tag = crs_tag(version);
    d.start("Layer", &[])
        .text("Title", &[], &svc.config.service.title);
    for crs in COMMON_CRS {
        d.text(tag, &[], crs.code());
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
    extents(d, svc, version, union, &[Crs::Crs84], None);
    for layer in &svc.layers {
        d.start("Layer", &[("queryable", "1"), ("opaque", "0")])
            .text("Name", &[], &layer.name)
            .text("Title", &[], &layer.title);
        if let Some(a) = &layer.abstract_text {
            d.text("Abstract", &[], a);
        }
        let own: Vec<Crs> = layer.supported_crs().collect();
        for crs in own.iter().filter(|c| !COMMON_CRS.contains(c)) {
            d.text(tag, &[], crs.code());
        }
        extents(d, svc, version, layer.lonlat_bbox, &own, Some(layer));
        d.line(|l| {
            l.start("Style", &[])
                .text("Name", &[], "default")
                .text("Title", &[], "default")
                .end("Style");
        })
        .end("Layer");
    }
    d.end("Layer");
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
