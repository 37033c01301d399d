//! WCS 1.0.0 (OGC 03-065r6): GetCapabilities, DescribeCoverage, GetCoverage with BBOX, CRS,
//! RESPONSE_CRS, WIDTH/HEIGHT or RESX/RESY, INTERPOLATION. Coordinates are always x (longitude)
//! first in this version.

use super::output::{self, CoverageFormat};
use crate::config::Resampling;
use crate::crs::{Crs, MapCrs};
use crate::exception;
use crate::layer::Layer;
use crate::render::warp::Grid;
use crate::service::RasterServices;
use crate::wms::{layer_bbox, lonlat_in_180, parse_bbox};
use ogc_common::Kvp;
use ogc_common::xml::XmlWriter;
use ogc_common::{Code, OgcError, OgcResponse};

pub fn handle(svc: &RasterServices, kvp: &Kvp) -> OgcResponse {
    let request = kvp.non_empty("REQUEST").unwrap_or("");
    let result = if request.eq_ignore_ascii_case("GetCapabilities") {
        Ok(OgcResponse::ok("application/xml", capabilities(svc)))
    } else if request.eq_ignore_ascii_case("DescribeCoverage") {
        describe(svc, kvp)
    } else if request.eq_ignore_ascii_case("GetCoverage") {
        get_coverage(svc, kvp)
    } else if request.is_empty() {
        Err(OgcError::missing("REQUEST"))
    } else {
        Err(OgcError::new(
            Code::OperationNotSupported,
            Some("REQUEST"),
            format!("WCS has no operation '{request}'"),
        ))
    };
    result.unwrap_or_else(|e| exception::wcs10(&e))
}

/// The namespaces and version of both documents' root element, then the schema location.
fn root(schema_location: &str) -> [(&str, &str); 6] {
    [
        ("xmlns", "http://www.opengis.net/wcs"),
        ("xmlns:gml", "http://www.opengis.net/gml"),
        ("xmlns:xlink", "http://www.w3.org/1999/xlink"),
        ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
        ("version", "1.0.0"),
        ("xsi:schemaLocation", schema_location),
    ]
}

fn lonlat_envelope(l: &mut XmlWriter, layer: &Layer) {
    let g = lonlat_in_180(layer.lonlat_bbox);
    l.start(
        "lonLatEnvelope",
        &[("srsName", "urn:ogc:def:crs:OGC:1.3:CRS84")],
    )
    .text("gml:pos", &[], &format!("{} {}", g[0], g[1]))
    .text("gml:pos", &[], &format!("{} {}", g[2], g[3]))
    .end("lonLatEnvelope");
}

fn capabilities(svc: &RasterServices) -> String {
    let meta = &svc.config.service;
    let url = format!("{}/wcs?", svc.base_url);
    let mut d = XmlWriter::document();
    d.start(
        "WCS_Capabilities",
        &root(
            "http://www.opengis.net/wcs \
             http://schemas.opengis.net/wcs/1.0.0/wcsCapabilities.xsd",
        ),
    )
    .line(|l| {
        l.start("Service", &[])
            .text("name", &[], "vostok")
            .text("label", &[], &meta.title)
            .text("description", &[], &meta.abstract_text)
            .text("fees", &[], "NONE")
            .text("accessConstraints", &[], "NONE")
            .end("Service");
    })
    .line(|l| {
        l.start("Capability", &[]).start("Request", &[]);
        for op in ["GetCapabilities", "DescribeCoverage", "GetCoverage"] {
            l.start(op, &[])
                .start("DCPType", &[])
                .start("HTTP", &[])
                .start("Get", &[])
                .empty(
                    "OnlineResource",
                    &[("xlink:type", "simple"), ("xlink:href", &url)],
                )
                .end("Get")
                .end("HTTP")
                .end("DCPType")
                .end(op);
        }
        l.end("Request")
            .start("Exception", &[])
            .text("Format", &[], "application/vnd.ogc.se_xml")
            .end("Exception")
            .end("Capability");
    })
    .start("ContentMetadata", &[]);
    for layer in &svc.layers {
        d.line(|l| {
            l.start("CoverageOfferingBrief", &[])
                .text("name", &[], &layer.name)
                .text("label", &[], &layer.title);
            lonlat_envelope(l, layer);
            l.end("CoverageOfferingBrief");
        });
    }
    d.end("ContentMetadata").end("WCS_Capabilities");
    d.finish()
}

fn find_layer<'a>(svc: &'a RasterServices, name: &str) -> Result<&'a Layer, OgcError> {
    svc.layer(name).ok_or_else(|| {
        OgcError::new(
            Code::InvalidParameterValue,
            Some("COVERAGE"),
            format!("no coverage '{name}'"),
        )
    })
}

fn describe(svc: &RasterServices, kvp: &Kvp) -> Result<OgcResponse, OgcError> {
    let names = kvp
        .non_empty("COVERAGE")
        .ok_or_else(|| OgcError::missing("COVERAGE"))?;
    let layers = names
        .split(',')
        .map(|n| find_layer(svc, n.trim()))
        .collect::<Result<Vec<_>, _>>()?;
    let mut d = XmlWriter::document();
    d.start(
        "CoverageDescription",
        &root(
            "http://www.opengis.net/wcs \
             http://schemas.opengis.net/wcs/1.0.0/describeCoverage.xsd",
        ),
    );
    for layer in layers {
        coverage_offering(&mut d, layer);
    }
    d.end("CoverageDescription");
    Ok(OgcResponse::ok("application/xml", d.finish()))
}

/// One `CoverageOffering`: envelopes, grid, bands, CRSs, formats and interpolations of `layer`.
fn coverage_offering(d: &mut XmlWriter, layer: &Layer) {
    let code = layer.crs.code();
    d.start_with_line("CoverageOffering", &[], |l| {
        l.text("name", &[], &layer.name)
            .text("label", &[], &layer.title);
        lonlat_envelope(l, layer);
    })
    .line(|l| domain_set(l, layer))
    .line(|l| {
        let bands = layer.source.bands.to_string();
        l.start("rangeSet", &[])
            .start("RangeSet", &[])
            .text("name", &[], "bands")
            .text("label", &[], "bands")
            .start("axisDescription", &[])
            .start("AxisDescription", &[])
            .text("name", &[], "Band")
            .text("label", &[], "Band")
            .start("values", &[])
            .start("interval", &[])
            .text("min", &[], "1")
            .text("max", &[], &bands)
            .end("interval")
            .end("values")
            .end("AxisDescription")
            .end("axisDescription");
        if let Some(nd) = layer.nodata {
            l.start("nullValues", &[])
                .text("singleValue", &[], &nd.to_string())
                .end("nullValues");
        }
        l.end("RangeSet").end("rangeSet");
    })
    .line(|l| {
        l.start("supportedCRSs", &[]);
        for crs in layer.supported_crs() {
            l.text("requestResponseCRSs", &[], crs.code());
        }
        l.text("nativeCRSs", &[], code).end("supportedCRSs");
    })
    .line(|l| {
        l.start("supportedFormats", &[("nativeFormat", "GeoTIFF")])
            .text("formats", &[], "GeoTIFF")
            .text("formats", &[], "PNG")
            .end("supportedFormats");
    })
    .line(|l| {
        l.start(
            "supportedInterpolations",
            &[("default", "nearest neighbor")],
        )
        .text("interpolationMethod", &[], "nearest neighbor")
        .text("interpolationMethod", &[], "bilinear")
        .end("supportedInterpolations");
    })
    .end("CoverageOffering");
}

/// `domainSet`: the native envelope and the rectified grid, x first.
fn domain_set(l: &mut XmlWriter, layer: &Layer) {
    let e = layer.source.extent();
    let g = layer.source.geo();
    let high = format!("{} {}", layer.source.width() - 1, layer.source.height() - 1);
    let origin = format!("{} {}", g.origin_x + g.dx / 2.0, g.origin_y - g.dy / 2.0);
    l.start("domainSet", &[])
        .start("spatialDomain", &[])
        .start("gml:Envelope", &[("srsName", layer.crs.code())])
        .text("gml:pos", &[], &format!("{} {}", e[0], e[1]))
        .text("gml:pos", &[], &format!("{} {}", e[2], e[3]))
        .end("gml:Envelope")
        .start("gml:RectifiedGrid", &[("dimension", "2")])
        .start("gml:limits", &[])
        .start("gml:GridEnvelope", &[])
        .text("gml:low", &[], "0 0")
        .text("gml:high", &[], &high)
        .end("gml:GridEnvelope")
        .end("gml:limits")
        .text("gml:axisName", &[], "x")
        .text("gml:axisName", &[], "y")
        .start("gml:origin", &[])
        .text("gml:pos", &[], &origin)
        .end("gml:origin")
        .text("gml:offsetVector", &[], &format!("{} 0", g.dx))
        .text("gml:offsetVector", &[], &format!("0 {}", -g.dy))
        .end("gml:RectifiedGrid")
        .end("spatialDomain")
        .end("domainSet");
}

fn get_coverage(svc: &RasterServices, kvp: &Kvp) -> Result<OgcResponse, OgcError> {
    let name = kvp
        .non_empty("COVERAGE")
        .ok_or_else(|| OgcError::missing("COVERAGE"))?;
    let layer = find_layer(svc, name)?;
    let crs_of = |param: &str| -> Result<Option<Crs>, OgcError> {
        let Some(text) = kvp.non_empty(param) else {
            return Ok(None);
        };
        let crs = Crs::parse(text)
            .map_err(|e| OgcError::new(Code::InvalidParameterValue, Some(param), e.to_string()))?;
        if !crs.applies_to(layer.body) {
            return Err(OgcError::invalid(
                param,
                format!("{} does not apply to '{}'", crs.code(), layer.name),
            ));
        }
        Ok(Some(crs))
    };
    // CRS is mandatory, but GDAL's WCS 1.0 client sends `CRS=` (empty) for coverages whose
    // native CRS is not an EPSG code, with a BBOX in the native CRS: take that CRS then.
    let request_crs = crs_of("CRS")?.unwrap_or(layer.crs);
    let response_crs = crs_of("RESPONSE_CRS")?.unwrap_or(request_crs);
    let bbox = match kvp.non_empty("BBOX") {
        Some(b) => parse_bbox(b, "BBOX")?,
        None => layer_bbox(layer, request_crs).ok_or_else(|| OgcError::missing("BBOX"))?,
    };
    // The output grid lies in RESPONSE_CRS; a BBOX in another CRS is carried over by its corners.
    let bbox = if response_crs == request_crs {
        bbox
    } else {
        let ll = corners_lonlat(request_crs, bbox)
            .ok_or_else(|| OgcError::invalid("BBOX", "BBOX cannot be expressed in RESPONSE_CRS"))?;
        response_crs
            .bbox_from_lonlat(ll)
            .ok_or_else(|| OgcError::invalid("BBOX", "BBOX cannot be expressed in RESPONSE_CRS"))?
    };
    let number = |p: &str| -> Result<Option<f64>, OgcError> {
        kvp.non_empty(p)
            .map(|t| {
                t.parse::<f64>()
                    .ok()
                    .filter(|v| *v > 0.0 && v.is_finite())
                    .ok_or_else(|| OgcError::invalid(p, format!("{p} must be a positive number")))
            })
            .transpose()
    };
    let (width, height) = match (
        number("WIDTH")?,
        number("HEIGHT")?,
        number("RESX")?,
        number("RESY")?,
    ) {
        (Some(w), Some(h), _, _) => (w.round() as u32, h.round() as u32),
        (_, _, Some(rx), Some(ry)) => (
            ((bbox[2] - bbox[0]) / rx).round() as u32,
            ((bbox[3] - bbox[1]) / ry).round() as u32,
        ),
        _ => return Err(OgcError::missing("WIDTH")),
    };
    let format_text = kvp
        .non_empty("FORMAT")
        .ok_or_else(|| OgcError::missing("FORMAT"))?;
    let format = CoverageFormat::parse(format_text).ok_or_else(|| {
        OgcError::new(
            Code::InvalidFormat,
            Some("FORMAT"),
            format!("unsupported FORMAT '{format_text}'; use GeoTIFF or PNG"),
        )
    })?;
    let resampling = match kvp
        .non_empty("INTERPOLATION")
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        None | Some("nearest neighbor") | Some("nearest") => Resampling::Nearest,
        Some("bilinear") => Resampling::Bilinear,
        Some(other) => {
            return Err(OgcError::invalid(
                "INTERPOLATION",
                format!("unsupported INTERPOLATION '{other}'"),
            ));
        }
    };
    output::check_size(svc, width, height).map_err(|e| OgcError {
        locator: Some("WIDTH".into()),
        ..e
    })?;
    output::coverage(
        svc,
        layer,
        Grid {
            crs: response_crs,
            bbox,
            width,
            height,
        },
        resampling,
        format,
    )
}

fn corners_lonlat(crs: Crs, b: [f64; 4]) -> Option<[f64; 4]> {
    let pts = [(b[0], b[1]), (b[2], b[1]), (b[0], b[3]), (b[2], b[3])];
    let ll: Vec<(f64, f64)> = pts
        .iter()
        .filter_map(|&(x, y)| crs.to_lonlat(x, y))
        .collect();
    if ll.len() < 4 {
        return None;
    }
    Some([
        ll.iter().map(|p| p.0).fold(f64::INFINITY, f64::min),
        ll.iter().map(|p| p.1).fold(f64::INFINITY, f64::min),
        ll.iter().map(|p| p.0).fold(f64::NEG_INFINITY, f64::max),
        ll.iter().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max),
    ])
}
