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
use ogc_common::xml::escape;
use ogc_common::{Code, OgcError, OgcResponse};
use std::fmt::Write;

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

const HEADER: &str = "xmlns=\"http://www.opengis.net/wcs\" xmlns:gml=\"http://www.opengis.net/gml\" \
     xmlns:xlink=\"http://www.w3.org/1999/xlink\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" version=\"1.0.0\"";

fn lonlat_envelope(layer: &Layer) -> String {
    let g = lonlat_in_180(layer.lonlat_bbox);
    format!(
        "<lonLatEnvelope srsName=\"urn:ogc:def:crs:OGC:1.3:CRS84\"><gml:pos>{} {}</gml:pos><gml:pos>{} {}</gml:pos></lonLatEnvelope>",
        g[0], g[1], g[2], g[3]
    )
}

fn capabilities(svc: &RasterServices) -> String {
    let meta = &svc.config.service;
    let url = escape(&format!("{}/wcs?", svc.base_url)).into_owned();
    let mut d = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<WCS_Capabilities {HEADER} \
         xsi:schemaLocation=\"http://www.opengis.net/wcs http://schemas.opengis.net/wcs/1.0.0/wcsCapabilities.xsd\">\n  \
         <Service><name>vostok</name><label>{}</label><description>{}</description><fees>NONE</fees><accessConstraints>NONE</accessConstraints></Service>\n  \
         <Capability><Request>",
        escape(&meta.title),
        escape(&meta.abstract_text)
    );
    for op in ["GetCapabilities", "DescribeCoverage", "GetCoverage"] {
        let _ = write!(
            d,
            "<{op}><DCPType><HTTP><Get><OnlineResource xlink:type=\"simple\" xlink:href=\"{url}\"/></Get></HTTP></DCPType></{op}>"
        );
    }
    d.push_str("</Request><Exception><Format>application/vnd.ogc.se_xml</Format></Exception></Capability>\n  <ContentMetadata>\n");
    for layer in &svc.layers {
        let _ = writeln!(
            d,
            "    <CoverageOfferingBrief><name>{}</name><label>{}</label>{}</CoverageOfferingBrief>",
            escape(&layer.name),
            escape(&layer.title),
            lonlat_envelope(layer)
        );
    }
    d.push_str("  </ContentMetadata>\n</WCS_Capabilities>\n");
    d
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
    let mut d = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CoverageDescription {HEADER} \
         xsi:schemaLocation=\"http://www.opengis.net/wcs http://schemas.opengis.net/wcs/1.0.0/describeCoverage.xsd\">\n"
    );
    for layer in layers {
        let e = layer.source.extent();
        let g = layer.source.geo();
        let code = layer.crs.code();
        let _ = write!(
            d,
            "  <CoverageOffering><name>{name}</name><label>{label}</label>{env}\n    <domainSet><spatialDomain>\
             <gml:Envelope srsName=\"{code}\"><gml:pos>{} {}</gml:pos><gml:pos>{} {}</gml:pos></gml:Envelope>\
             <gml:RectifiedGrid dimension=\"2\"><gml:limits><gml:GridEnvelope><gml:low>0 0</gml:low><gml:high>{} {}</gml:high></gml:GridEnvelope></gml:limits>\
             <gml:axisName>x</gml:axisName><gml:axisName>y</gml:axisName><gml:origin><gml:pos>{} {}</gml:pos></gml:origin>\
             <gml:offsetVector>{} 0</gml:offsetVector><gml:offsetVector>0 {}</gml:offsetVector></gml:RectifiedGrid>\
             </spatialDomain></domainSet>\n    <rangeSet><RangeSet><name>bands</name><label>bands</label>\
             <axisDescription><AxisDescription><name>Band</name><label>Band</label><values><interval><min>1</min><max>{bands}</max></interval></values></AxisDescription></axisDescription>",
            e[0],
            e[1],
            e[2],
            e[3],
            layer.source.width() - 1,
            layer.source.height() - 1,
            g.origin_x + g.dx / 2.0,
            g.origin_y - g.dy / 2.0,
            g.dx,
            -g.dy,
            name = escape(&layer.name),
            label = escape(&layer.title),
            env = lonlat_envelope(layer),
            bands = layer.source.bands,
        );
        if let Some(nd) = layer.nodata {
            let _ = write!(
                d,
                "<nullValues><singleValue>{nd}</singleValue></nullValues>"
            );
        }
        d.push_str("</RangeSet></rangeSet>\n    <supportedCRSs>");
        for crs in layer.supported_crs() {
            let _ = write!(
                d,
                "<requestResponseCRSs>{}</requestResponseCRSs>",
                crs.code()
            );
        }
        let _ = write!(
            d,
            "<nativeCRSs>{code}</nativeCRSs></supportedCRSs>\n    <supportedFormats nativeFormat=\"GeoTIFF\"><formats>GeoTIFF</formats><formats>PNG</formats></supportedFormats>\n    \
             <supportedInterpolations default=\"nearest neighbor\"><interpolationMethod>nearest neighbor</interpolationMethod><interpolationMethod>bilinear</interpolationMethod></supportedInterpolations>\n  </CoverageOffering>\n"
        );
    }
    d.push_str("</CoverageDescription>\n");
    Ok(OgcResponse::ok("application/xml", d))
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
