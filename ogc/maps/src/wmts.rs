//! WMTS 1.0.0 (OGC 07-057r7): GetCapabilities and GetTile in KVP and RESTful encodings.

use crate::crs::{Body, MapCrs};
use crate::layer::Layer;
use crate::render::encode::ImageFormat;
use crate::service::RasterServices;
use crate::tiles::{TILE_SIZE, TileError, TileMatrixSet, tile_response};
use crate::wms::lonlat_in_180;
use ogc_common::Kvp;
use ogc_common::xml::XmlWriter;
use ogc_common::{Code, OgcError, OgcResponse, OwsReport};

fn error(e: &OgcError) -> OgcResponse {
    OwsReport::Ows11.response(e)
}

pub fn handle_kvp(svc: &RasterServices, kvp: &Kvp) -> OgcResponse {
    match kvp.non_empty("SERVICE") {
        Some(s) if !s.eq_ignore_ascii_case("WMTS") => {
            return error(&OgcError::invalid(
                "SERVICE",
                format!("SERVICE must be WMTS, not '{s}'"),
            ));
        }
        None => return error(&OgcError::missing("SERVICE")),
        _ => {}
    }
    match kvp.non_empty("REQUEST") {
        Some(r) if r.eq_ignore_ascii_case("GetCapabilities") => {
            OgcResponse::ok("application/xml", capabilities(svc))
        }
        Some(r) if r.eq_ignore_ascii_case("GetTile") => {
            get_tile_kvp(svc, kvp).unwrap_or_else(|e| error(&e))
        }
        Some(r) => error(&OgcError::new(
            Code::OperationNotSupported,
            Some("REQUEST"),
            format!("WMTS has no operation '{r}'"),
        )),
        None => error(&OgcError::missing("REQUEST")),
    }
}

fn get_tile_kvp(svc: &RasterServices, kvp: &Kvp) -> Result<OgcResponse, OgcError> {
    if let Some(v) = kvp.non_empty("VERSION")
        && v != "1.0.0"
    {
        return Err(OgcError::new(
            Code::VersionNegotiationFailed,
            Some("VERSION"),
            format!("only 1.0.0 is served, not '{v}'"),
        ));
    }
    let req = |name: &str| kvp.non_empty(name).ok_or_else(|| OgcError::missing(name));
    let layer = req("LAYER")?;
    let style = kvp.non_empty("STYLE").unwrap_or("default");
    if !style.eq_ignore_ascii_case("default") {
        return Err(OgcError::invalid("STYLE", format!("no style '{style}'")));
    }
    let format_text = req("FORMAT")?;
    let format = ImageFormat::parse(format_text).ok_or_else(|| {
        OgcError::invalid("FORMAT", format!("unsupported FORMAT '{format_text}'"))
    })?;
    let tms = req("TILEMATRIXSET")?;
    let matrix = req("TILEMATRIX")?;
    let number = |name: &str| -> Result<u32, OgcError> {
        let t = req(name)?;
        t.parse().map_err(|_| {
            OgcError::invalid(name, format!("{name} must be a whole number, not '{t}'"))
        })
    };
    let (row, col) = (number("TILEROW")?, number("TILECOL")?);
    tile(svc, layer, tms, matrix, row, col, format)
}

/// RESTful GetTile, `{layer}/{style}/{tms}/{matrix}/{row}/{col}.{ext}`.
pub fn rest_tile(
    svc: &RasterServices,
    layer: &str,
    tms: &str,
    matrix: &str,
    row: u32,
    col: u32,
    extension: &str,
) -> OgcResponse {
    let Some(format) = ImageFormat::parse(extension) else {
        return error(&OgcError::invalid(
            "FORMAT",
            format!("unsupported extension '{extension}'"),
        ));
    };
    tile(svc, layer, tms, matrix, row, col, format).unwrap_or_else(|e| error(&e))
}

fn tile(
    svc: &RasterServices,
    layer_name: &str,
    tms: &str,
    matrix: &str,
    row: u32,
    col: u32,
    format: ImageFormat,
) -> Result<OgcResponse, OgcError> {
    let layer = svc
        .layer(layer_name)
        .ok_or_else(|| OgcError::invalid("LAYER", format!("no layer '{layer_name}'")))?;
    let set = TileMatrixSet::for_body(layer.body);
    if TileMatrixSet::parse(tms) != Some(set) {
        return Err(OgcError::invalid(
            "TILEMATRIXSET",
            format!("layer '{layer_name}' is tiled in {}, not '{tms}'", set.id()),
        ));
    }
    let z: u32 = matrix
        .parse()
        .ok()
        .filter(|z| *z <= set.max_zoom_for(layer))
        .ok_or_else(|| {
            OgcError::invalid(
                "TILEMATRIX",
                format!("no tile matrix '{matrix}' in {}", set.id()),
            )
        })?;
    match tile_response(svc, layer_name, set, z, col, row, format) {
        Ok(r) => Ok(r),
        Err(TileError::UnknownLayer) => Err(OgcError::invalid(
            "LAYER",
            format!("no layer '{layer_name}'"),
        )),
        Err(TileError::OutOfRange) => {
            let (w, h) = set.matrix_size(z);
            let param = if row >= h { "TILEROW" } else { "TILECOL" };
            Err(OgcError::new(
                Code::TileOutOfRange,
                Some(param),
                format!("matrix {z} has {h} rows and {w} columns"),
            ))
        }
        Err(TileError::Failed(e)) => Err(e),
    }
}

fn capabilities(svc: &RasterServices) -> String {
    let url = format!("{}/wmts?", svc.base_url);
    let meta = &svc.config.service;
    let mut d = XmlWriter::document();
    d.start(
        "Capabilities",
        &[
            ("xmlns", "http://www.opengis.net/wmts/1.0"),
            ("xmlns:ows", "http://www.opengis.net/ows/1.1"),
            ("xmlns:xlink", "http://www.w3.org/1999/xlink"),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
            ("xmlns:gml", "http://www.opengis.net/gml"),
            (
                "xsi:schemaLocation",
                "http://www.opengis.net/wmts/1.0 \
                 http://schemas.opengis.net/wmts/1.0/wmtsGetCapabilities_response.xsd",
            ),
            ("version", "1.0.0"),
        ],
    )
    .start("ows:ServiceIdentification", &[])
    .text("ows:Title", &[], &meta.title)
    .text("ows:Abstract", &[], &meta.abstract_text)
    .text("ows:ServiceType", &[], "OGC WMTS")
    .text("ows:ServiceTypeVersion", &[], "1.0.0")
    .end("ows:ServiceIdentification")
    .start("ows:OperationsMetadata", &[]);
    for op in ["GetCapabilities", "GetTile"] {
        d.line(|l| {
            l.start("ows:Operation", &[("name", op)])
                .start("ows:DCP", &[])
                .start("ows:HTTP", &[])
                .start("ows:Get", &[("xlink:href", &url)])
                .start("ows:Constraint", &[("name", "GetEncoding")])
                .start("ows:AllowedValues", &[])
                .text("ows:Value", &[], "KVP")
                .end("ows:AllowedValues")
                .end("ows:Constraint")
                .end("ows:Get")
                .end("ows:HTTP")
                .end("ows:DCP")
                .end("ows:Operation");
        });
    }
    d.end("ows:OperationsMetadata").start("Contents", &[]);
    let mut sets: Vec<(TileMatrixSet, u32)> = Vec::new();
    for layer in &svc.layers {
        let set = TileMatrixSet::for_body(layer.body);
        let max_z = set.max_zoom_for(layer);
        match sets.iter_mut().find(|(s, _)| *s == set) {
            Some((_, z)) => *z = (*z).max(max_z),
            None => sets.push((set, max_z)),
        }
        layer_element(&mut d, svc, layer, set);
    }
    for (set, max_z) in sets {
        tile_matrix_set(&mut d, svc, set, max_z);
    }
    d.end("Contents").end("Capabilities");
    d.finish()
}

/// `<Layer>`: the layer's boxes, style, formats, tile matrix set and tile URL templates.
fn layer_element(d: &mut XmlWriter, svc: &RasterServices, layer: &Layer, set: TileMatrixSet) {
    // ows:WGS84BoundingBox is Earth's by definition, so other bodies give only a
    // BoundingBox in their tile matrix set's CRS (GDAL would try to reproject a WGS 84 box
    // to Mars and fail). Web Mercator stops short of the poles.
    let ll = lonlat_in_180(layer.lonlat_bbox);
    let (lat_lo, lat_hi) = set.crs().latitude_range();
    let ll = [ll[0], ll[1].max(lat_lo), ll[2], ll[3].min(lat_hi)];
    d.start("Layer", &[]).text("ows:Title", &[], &layer.title);
    if layer.body == Body::Earth {
        d.line(|l| {
            l.start("ows:WGS84BoundingBox", &[])
                .text("ows:LowerCorner", &[], &format!("{} {}", ll[0], ll[1]))
                .text("ows:UpperCorner", &[], &format!("{} {}", ll[2], ll[3]))
                .end("ows:WGS84BoundingBox");
        });
    }
    d.text("ows:Identifier", &[], &layer.name);
    if let Some(b) = set.crs().bbox_from_lonlat(ll) {
        let lat_first = set.crs().lat_first(svc.config.iau_geographic_axis_order);
        let corner = |x: f64, y: f64| {
            if lat_first {
                format!("{y} {x}")
            } else {
                format!("{x} {y}")
            }
        };
        d.line(|l| {
            l.start("ows:BoundingBox", &[("crs", set.crs().uri())])
                .text("ows:LowerCorner", &[], &corner(b[0], b[1]))
                .text("ows:UpperCorner", &[], &corner(b[2], b[3]))
                .end("ows:BoundingBox");
        });
    }
    d.line(|l| {
        l.start("Style", &[("isDefault", "true")])
            .text("ows:Identifier", &[], "default")
            .end("Style");
    })
    .text("Format", &[], "image/png")
    .text("Format", &[], "image/jpeg")
    .line(|l| {
        l.start("TileMatrixSetLink", &[])
            .text("TileMatrixSet", &[], set.id())
            .end("TileMatrixSetLink");
    });
    for (mime, ext) in [("image/png", "png"), ("image/jpeg", "jpg")] {
        let template = format!(
            "{}/wmts/1.0.0/{}/{{Style}}/{{TileMatrixSet}}/{{TileMatrix}}/{{TileRow}}/{{TileCol}}.{ext}",
            svc.base_url, layer.name
        );
        d.empty(
            "ResourceURL",
            &[
                ("format", mime),
                ("resourceType", "tile"),
                ("template", &template),
            ],
        );
    }
    d.end("Layer");
}

fn tile_matrix_set(d: &mut XmlWriter, svc: &RasterServices, set: TileMatrixSet, max_z: u32) {
    let crs = set.crs();
    d.start("TileMatrixSet", &[])
        .text("ows:Identifier", &[], set.id())
        .text("ows:SupportedCRS", &[], crs.uri());
    if set == TileMatrixSet::WebMercatorQuad {
        d.text(
            "WellKnownScaleSet",
            &[],
            "urn:ogc:def:wkss:OGC:1.0:GoogleMapsCompatible",
        );
    }
    let e = set.extent();
    // TopLeftCorner is in the CRS's axis order (WMTS 1.0 §6.1).
    let corner = if crs.lat_first(svc.config.iau_geographic_axis_order) {
        format!("{} {}", e[3], e[0])
    } else {
        format!("{} {}", e[0], e[3])
    };
    let tile_size = TILE_SIZE.to_string();
    for z in 0..=max_z {
        let (w, h) = set.matrix_size(z);
        d.line(|l| {
            l.start("TileMatrix", &[])
                .text("ows:Identifier", &[], &z.to_string())
                .text(
                    "ScaleDenominator",
                    &[],
                    &set.scale_denominator(z).to_string(),
                )
                .text("TopLeftCorner", &[], &corner)
                .text("TileWidth", &[], &tile_size)
                .text("TileHeight", &[], &tile_size)
                .text("MatrixWidth", &[], &w.to_string())
                .text("MatrixHeight", &[], &h.to_string())
                .end("TileMatrix");
        });
    }
    d.end("TileMatrixSet");
}
