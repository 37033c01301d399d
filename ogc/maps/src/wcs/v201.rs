//! WCS 2.0.1: GetCapabilities, DescribeCoverage, GetCoverage with SUBSET (trim and slice on the
//! advertised axis labels) and the scaling extension (SCALESIZE, SCALEFACTOR, SCALEAXES).

use super::output::{self, CoverageFormat};
use crate::config::{AxisOrder, Resampling};
use crate::crs::MapCrs;
use crate::layer::Layer;
use crate::render::warp::Grid;
use crate::service::RasterServices;
use crate::wms::lonlat_in_180;
use ogc_common::Kvp;
use ogc_common::xml::XmlWriter;
use ogc_common::{Code, OgcError, OgcResponse, OwsReport};

fn error(e: &OgcError) -> OgcResponse {
    OwsReport::Ows20.response(e)
}

pub fn handle(svc: &RasterServices, kvp: &Kvp) -> OgcResponse {
    let request = kvp.non_empty("REQUEST").unwrap_or("");
    if request.eq_ignore_ascii_case("GetCapabilities") {
        return OgcResponse::ok("application/xml", capabilities(svc));
    }
    if let Some(v) = kvp.non_empty("VERSION")
        && v != "2.0.1"
        && v != "2.0.0"
    {
        return error(&OgcError::new(
            Code::VersionNegotiationFailed,
            Some("VERSION"),
            format!("WCS {v} is not served; use 2.0.1 or 1.0.0"),
        ));
    }
    let result = if request.eq_ignore_ascii_case("DescribeCoverage") {
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
    result.unwrap_or_else(|e| error(&e))
}

/// The namespaces of both documents' root element, then `extra`.
fn root<'a>(extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut attributes = vec![
        ("xmlns:wcs", "http://www.opengis.net/wcs/2.0"),
        ("xmlns:ows", "http://www.opengis.net/ows/2.0"),
        ("xmlns:gml", "http://www.opengis.net/gml/3.2"),
        ("xmlns:gmlcov", "http://www.opengis.net/gmlcov/1.0"),
        ("xmlns:swe", "http://www.opengis.net/swe/2.0"),
        ("xmlns:xlink", "http://www.w3.org/1999/xlink"),
        ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
    ];
    attributes.extend_from_slice(extra);
    attributes
}

const PROFILES: [&str; 4] = [
    "http://www.opengis.net/spec/WCS/2.0/conf/core",
    "http://www.opengis.net/spec/WCS_protocol-binding_get-kvp/1.0/conf/get-kvp",
    "http://www.opengis.net/spec/WCS_service-extension_scaling/1.0/conf/scaling",
    "http://www.opengis.net/spec/GMLCOV_geotiff-coverages/1.0/conf/geotiff-coverage",
];

fn capabilities(svc: &RasterServices) -> String {
    let meta = &svc.config.service;
    let url = format!("{}/wcs?", svc.base_url);
    let mut d = XmlWriter::document();
    d.start(
        "wcs:Capabilities",
        &root(&[
            ("version", "2.0.1"),
            (
                "xsi:schemaLocation",
                "http://www.opengis.net/wcs/2.0 \
                 http://schemas.opengis.net/wcs/2.0/wcsGetCapabilities.xsd",
            ),
        ]),
    )
    .start("ows:ServiceIdentification", &[])
    .text("ows:Title", &[], &meta.title)
    .text("ows:Abstract", &[], &meta.abstract_text)
    .text("ows:ServiceType", &[("codeSpace", "OGC")], "OGC WCS")
    .text("ows:ServiceTypeVersion", &[], "2.0.1")
    .text("ows:ServiceTypeVersion", &[], "1.0.0");
    for profile in PROFILES {
        d.text("ows:Profile", &[], profile);
    }
    d.end("ows:ServiceIdentification")
        .line(|l| {
            l.start("ows:ServiceProvider", &[])
                .text("ows:ProviderName", &[], "vostok")
                .empty("ows:ServiceContact", &[])
                .end("ows:ServiceProvider");
        })
        .start("ows:OperationsMetadata", &[]);
    let limits = &svc.config.limits;
    for op in ["GetCapabilities", "DescribeCoverage", "GetCoverage"] {
        d.line(|l| {
            l.start("ows:Operation", &[("name", op)])
                .start("ows:DCP", &[])
                .start("ows:HTTP", &[])
                .empty("ows:Get", &[("xlink:href", &url)])
                .end("ows:HTTP")
                .end("ows:DCP");
            if op == "GetCoverage" {
                // The limits, as informative constraints (WCS 2.0 has no dedicated element).
                for (name, value) in [
                    ("MaxWidth", u64::from(limits.max_width)),
                    ("MaxHeight", u64::from(limits.max_height)),
                    ("MaxCoveragePixels", limits.max_coverage_pixels),
                ] {
                    l.start("ows:Constraint", &[("name", name)])
                        .empty("ows:NoValues", &[])
                        .text("ows:DefaultValue", &[], &value.to_string())
                        .end("ows:Constraint");
                }
            }
            l.end("ows:Operation");
        });
    }
    d.end("ows:OperationsMetadata")
        .start("wcs:ServiceMetadata", &[])
        .text("wcs:formatSupported", &[], "image/tiff")
        .text("wcs:formatSupported", &[], "image/png")
        .end("wcs:ServiceMetadata")
        .start("wcs:Contents", &[]);
    for layer in &svc.layers {
        let g = lonlat_in_180(layer.lonlat_bbox);
        d.start("wcs:CoverageSummary", &[])
            .text("ows:Title", &[], &layer.title)
            .line(|l| {
                l.start("ows:WGS84BoundingBox", &[])
                    .text("ows:LowerCorner", &[], &format!("{} {}", g[0], g[1]))
                    .text("ows:UpperCorner", &[], &format!("{} {}", g[2], g[3]))
                    .end("ows:WGS84BoundingBox");
            })
            .text("wcs:CoverageId", &[], &layer.name)
            .text("wcs:CoverageSubtype", &[], "RectifiedGridCoverage")
            .end("wcs:CoverageSummary");
    }
    d.end("wcs:Contents").end("wcs:Capabilities");
    d.finish()
}

fn find_layer<'a>(svc: &'a RasterServices, id: &str) -> Result<&'a Layer, OgcError> {
    svc.layer(id).ok_or_else(|| {
        OgcError::new(
            Code::NoSuchCoverage,
            Some(id),
            format!("no coverage '{id}'"),
        )
    })
}

/// Orders an x-first pair as the CRS's axes are ordered.
fn in_axis_order(lat_first: bool, x: f64, y: f64) -> String {
    if lat_first {
        format!("{y} {x}")
    } else {
        format!("{x} {y}")
    }
}

fn describe(svc: &RasterServices, kvp: &Kvp) -> Result<OgcResponse, OgcError> {
    let ids = kvp
        .non_empty("COVERAGEID")
        .ok_or_else(|| OgcError::missing("COVERAGEID"))?;
    let layers = ids
        .split(',')
        .map(|id| find_layer(svc, id.trim()))
        .collect::<Result<Vec<_>, _>>()?;
    let mut d = XmlWriter::document();
    d.start(
        "wcs:CoverageDescriptions",
        &root(&[(
            "xsi:schemaLocation",
            "http://www.opengis.net/wcs/2.0 \
             http://schemas.opengis.net/wcs/2.0/wcsDescribeCoverage.xsd",
        )]),
    );
    let order = svc.config.iau_geographic_axis_order;
    for layer in layers {
        coverage_description(&mut d, layer, order);
    }
    d.end("wcs:CoverageDescriptions");
    Ok(OgcResponse::ok("application/xml", d.finish()))
}

/// One `wcs:CoverageDescription`: envelope, grid, bands and native format of `layer`.
fn coverage_description(d: &mut XmlWriter, layer: &Layer, order: AxisOrder) {
    let crs = layer.crs;
    let lat_first = crs.lat_first(order);
    let uri = crs.uri();
    let labels = crs.axis_labels(order).join(" ");
    let uom = if crs.is_geographic() {
        "deg deg"
    } else {
        "m m"
    };
    let e = layer.source.extent();
    let g = layer.source.geo();
    let (w, h) = (layer.source.width(), layer.source.height());
    let id = &layer.name;
    d.start("wcs:CoverageDescription", &[("gml:id", &format!("C_{id}"))])
        .line(|l| {
            l.start("gml:boundedBy", &[])
                .start(
                    "gml:Envelope",
                    &[
                        ("srsName", uri),
                        ("axisLabels", &labels),
                        ("uomLabels", uom),
                        ("srsDimension", "2"),
                    ],
                )
                .text(
                    "gml:lowerCorner",
                    &[],
                    &in_axis_order(lat_first, e[0], e[1]),
                )
                .text(
                    "gml:upperCorner",
                    &[],
                    &in_axis_order(lat_first, e[2], e[3]),
                )
                .end("gml:Envelope")
                .end("gml:boundedBy");
        })
        .text("wcs:CoverageId", &[], id)
        .line(|l| {
            let origin = in_axis_order(lat_first, g.origin_x + g.dx / 2.0, g.origin_y - g.dy / 2.0);
            l.start("gml:domainSet", &[])
                .start(
                    "gml:RectifiedGrid",
                    &[("dimension", "2"), ("gml:id", &format!("G_{id}"))],
                )
                .start("gml:limits", &[])
                .start("gml:GridEnvelope", &[])
                .text("gml:low", &[], "0 0")
                .text("gml:high", &[], &format!("{} {}", w - 1, h - 1))
                .end("gml:GridEnvelope")
                .end("gml:limits")
                .text("gml:axisLabels", &[], "i j")
                .start("gml:origin", &[])
                .start(
                    "gml:Point",
                    &[("gml:id", &format!("P_{id}")), ("srsName", uri)],
                )
                .text("gml:pos", &[], &origin)
                .end("gml:Point")
                .end("gml:origin")
                .text(
                    "gml:offsetVector",
                    &[("srsName", uri)],
                    &in_axis_order(lat_first, g.dx, 0.0),
                )
                .text(
                    "gml:offsetVector",
                    &[("srsName", uri)],
                    &in_axis_order(lat_first, 0.0, -g.dy),
                )
                .end("gml:RectifiedGrid")
                .end("gml:domainSet");
        })
        .line(|l| range_type(l, layer))
        .line(|l| {
            l.start("wcs:ServiceParameters", &[])
                .text("wcs:CoverageSubtype", &[], "RectifiedGridCoverage")
                .text("wcs:nativeFormat", &[], "image/tiff")
                .end("wcs:ServiceParameters");
        })
        .end("wcs:CoverageDescription");
}

/// `gmlcov:rangeType`: one SWE quantity per band, with the no-data value as its nil value.
fn range_type(l: &mut XmlWriter, layer: &Layer) {
    let definition = format!(
        "http://www.opengis.net/def/dataType/OGC/0/{}",
        layer.source.kind.name().to_ascii_lowercase()
    );
    l.start("gmlcov:rangeType", &[])
        .start("swe:DataRecord", &[]);
    for b in 1..=layer.source.bands {
        l.start("swe:field", &[("name", &format!("band_{b}"))])
            .start("swe:Quantity", &[("definition", &definition)]);
        if let Some(nd) = layer.nodata {
            l.start("swe:nilValues", &[])
                .start("swe:NilValues", &[])
                .text(
                    "swe:nilValue",
                    &[("reason", "http://www.opengis.net/def/nil/OGC/0/missing")],
                    &nd.to_string(),
                )
                .end("swe:NilValues")
                .end("swe:nilValues");
        }
        l.empty("swe:uom", &[("code", "1")])
            .end("swe:Quantity")
            .end("swe:field");
    }
    l.end("swe:DataRecord").end("gmlcov:rangeType");
}

/// A subset on one axis: a trim (either bound may be open, `*`) or a slice.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Subset {
    Trim(Option<f64>, Option<f64>),
    Slice(f64),
}

/// Parses `axis[,crs](low,high)` or `axis[,crs](point)`; returns the axis label and the subset.
fn parse_subset(text: &str) -> Result<(String, Subset), OgcError> {
    let bad = || {
        OgcError::new(
            Code::InvalidSubsetting,
            Some("SUBSET"),
            format!("SUBSET '{text}' is not axis(low,high) or axis(point)"),
        )
    };
    let (head, rest) = text.split_once('(').ok_or_else(bad)?;
    let inner = rest.trim().strip_suffix(')').ok_or_else(bad)?;
    let axis = head.split(',').next().unwrap_or("").trim().to_string();
    let bound = |s: &str| -> Result<Option<f64>, OgcError> {
        let s = s.trim().trim_matches('"');
        if s == "*" {
            Ok(None)
        } else {
            s.parse::<f64>().map(Some).map_err(|_| bad())
        }
    };
    let subset = match inner.split_once(',') {
        Some((lo, hi)) => Subset::Trim(bound(lo)?, bound(hi)?),
        None => Subset::Slice(bound(inner)?.ok_or_else(bad)?),
    };
    Ok((axis, subset))
}

/// Which axis (0 = x, 1 = y) a label names: the advertised labels, case-insensitively, and the
/// usual aliases.
fn axis_index(layer: &Layer, label: &str, svc: &RasterServices) -> Option<usize> {
    let labels = layer.crs.axis_labels(svc.config.iau_geographic_axis_order);
    let lat_first = layer.crs.lat_first(svc.config.iau_geographic_axis_order);
    let position = labels.iter().position(|l| l.eq_ignore_ascii_case(label));
    let from_label = position.map(|p| if lat_first { 1 - p } else { p });
    from_label.or_else(|| match label.to_ascii_lowercase().as_str() {
        "x" | "lon" | "long" | "longitude" | "e" | "easting" => Some(0),
        "y" | "lat" | "latitude" | "n" | "northing" => Some(1),
        _ => None,
    })
}

fn get_coverage(svc: &RasterServices, kvp: &Kvp) -> Result<OgcResponse, OgcError> {
    let id = kvp
        .non_empty("COVERAGEID")
        .ok_or_else(|| OgcError::missing("COVERAGEID"))?;
    let layer = find_layer(svc, id)?;
    let format = match kvp.non_empty("FORMAT") {
        None => CoverageFormat::GeoTiff,
        Some(f) => CoverageFormat::parse(f).ok_or_else(|| {
            OgcError::invalid(
                "FORMAT",
                format!("unsupported FORMAT '{f}'; use image/tiff or image/png"),
            )
        })?,
    };
    let e = layer.source.extent();
    let g = layer.source.geo();
    let mut bounds = [[e[0], e[2]], [e[1], e[3]]];
    let mut sliced = [false, false];
    let mut seen = [false, false];
    for text in kvp.get_all("SUBSET") {
        let (label, subset) = parse_subset(text)?;
        let axis = axis_index(layer, &label, svc).ok_or_else(|| {
            OgcError::new(
                Code::InvalidAxisLabel,
                Some(&label),
                format!("no axis '{label}'; see DescribeCoverage"),
            )
        })?;
        if std::mem::replace(&mut seen[axis], true) {
            return Err(OgcError::new(
                Code::InvalidSubsetting,
                Some(&label),
                format!("axis '{label}' is subset twice"),
            ));
        }
        let (lo_limit, hi_limit) = (bounds[axis][0], bounds[axis][1]);
        let (lo, hi) = match subset {
            Subset::Trim(lo, hi) => (lo.unwrap_or(lo_limit), hi.unwrap_or(hi_limit)),
            Subset::Slice(p) => {
                sliced[axis] = true;
                (p, p)
            }
        };
        if lo > hi || hi < lo_limit || lo > hi_limit {
            return Err(OgcError::new(
                Code::InvalidSubsetting,
                Some(&label),
                format!("{label}({lo},{hi}) is outside {lo_limit}..{hi_limit} or reversed"),
            ));
        }
        bounds[axis] = [lo.max(lo_limit), hi.min(hi_limit)];
    }
    // Snap to whole source pixels (a slice keeps the one pixel holding the point).
    let c0 = ((bounds[0][0] - g.origin_x) / g.dx).floor().max(0.0);
    let c1 = if sliced[0] {
        c0 + 1.0
    } else {
        ((bounds[0][1] - g.origin_x) / g.dx)
            .ceil()
            .min(f64::from(layer.source.width()))
    };
    let r0 = ((g.origin_y - bounds[1][1]) / g.dy).floor().max(0.0);
    let r1 = if sliced[1] {
        r0 + 1.0
    } else {
        ((g.origin_y - bounds[1][0]) / g.dy)
            .ceil()
            .min(f64::from(layer.source.height()))
    };
    let (c1, r1) = (c1.max(c0 + 1.0), r1.max(r0 + 1.0));
    let bbox = [
        g.origin_x + c0 * g.dx,
        g.origin_y - r1 * g.dy,
        g.origin_x + c1 * g.dx,
        g.origin_y - r0 * g.dy,
    ];
    let (width, height) = scaled_size(svc, layer, kvp, (c1 - c0) as u32, (r1 - r0) as u32)?;
    let resampling = if (width, height) == ((c1 - c0) as u32, (r1 - r0) as u32) {
        Resampling::Nearest
    } else {
        layer.resampling
    };
    output::coverage(
        svc,
        layer,
        Grid {
            crs: layer.crs,
            bbox,
            width,
            height,
        },
        resampling,
        format,
    )
}

/// Applies SCALESIZE / SCALEFACTOR / SCALEAXES (WCS 2.0 scaling extension, OGC 12-039).
fn scaled_size(
    svc: &RasterServices,
    layer: &Layer,
    kvp: &Kvp,
    width: u32,
    height: u32,
) -> Result<(u32, u32), OgcError> {
    let mut size = [width, height];
    let per_axis = |param: &str| -> Result<Vec<(usize, f64)>, OgcError> {
        let Some(text) = kvp.non_empty(param) else {
            return Ok(Vec::new());
        };
        text.split("),")
            .map(|part| {
                let bad = || {
                    OgcError::new(
                        Code::InvalidScaleFactor,
                        Some(param),
                        format!("{param} '{text}' is not axis(value)[,axis(value)]"),
                    )
                };
                let (label, value) = part.split_once('(').ok_or_else(bad)?;
                let value: f64 = value
                    .trim_end_matches(')')
                    .trim()
                    .parse()
                    .map_err(|_| bad())?;
                let axis = axis_index(layer, label.trim(), svc).ok_or_else(|| {
                    OgcError::new(
                        Code::InvalidAxisLabel,
                        Some(label.trim()),
                        format!("no axis '{}'", label.trim()),
                    )
                })?;
                if !(value > 0.0 && value.is_finite()) {
                    return Err(bad());
                }
                Ok((axis, value))
            })
            .collect()
    };
    if let Some(f) = kvp.non_empty("SCALEFACTOR") {
        let f: f64 = f
            .parse()
            .ok()
            .filter(|f: &f64| *f > 0.0 && f.is_finite())
            .ok_or_else(|| {
                OgcError::new(
                    Code::InvalidScaleFactor,
                    Some("SCALEFACTOR"),
                    format!("SCALEFACTOR must be a positive number, not '{f}'"),
                )
            })?;
        size = size.map(|s| (f64::from(s) / f).round().max(1.0) as u32);
    }
    for (axis, factor) in per_axis("SCALEAXES")? {
        size[axis] = (f64::from(size[axis]) / factor).round().max(1.0) as u32;
    }
    for (axis, n) in per_axis("SCALESIZE")? {
        size[axis] = n.round() as u32;
    }
    Ok((size[0], size[1]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subsets_parse_as_trims_and_slices() {
        assert_eq!(
            parse_subset("Lat(-10,20)").unwrap(),
            ("Lat".into(), Subset::Trim(Some(-10.0), Some(20.0)))
        );
        assert_eq!(
            parse_subset("Long,http://www.opengis.net/def/crs/EPSG/0/4326(*,5)").unwrap(),
            ("Long".into(), Subset::Trim(None, Some(5.0)))
        );
        assert_eq!(
            parse_subset("E(1000)").unwrap(),
            ("E".into(), Subset::Slice(1000.0))
        );
        assert!(parse_subset("Lat[0,1]").is_err());
        assert!(parse_subset("Lat(a,b)").is_err());
    }
}
