//! WMTS 1.0.0 (OGC 07-057r7): GetCapabilities and GetTile in KVP and RESTful encodings.

use crate::crs::{Body, MapCrs};
use crate::render::encode::ImageFormat;
use crate::service::RasterServices;
use crate::tiles::{TILE_SIZE, TileError, TileMatrixSet, tile_response};
use crate::wms::lonlat_in_180;
use ogc_common::Kvp;
use ogc_common::xml::escape;
use ogc_common::{Code, OgcError, OgcResponse, OwsReport};
use std::fmt::Write;

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
    let mut d = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Capabilities xmlns=\"http://www.opengis.net/wmts/1.0\" \
         xmlns:ows=\"http://www.opengis.net/ows/1.1\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns:gml=\"http://www.opengis.net/gml\" \
         xsi:schemaLocation=\"http://www.opengis.net/wmts/1.0 http://schemas.opengis.net/wmts/1.0/wmtsGetCapabilities_response.xsd\" \
         version=\"1.0.0\">\n",
    );
    let _ = writeln!(
        d,
        "  <ows:ServiceIdentification>\n    <ows:Title>{}</ows:Title>\n    <ows:Abstract>{}</ows:Abstract>\n    \
         <ows:ServiceType>OGC WMTS</ows:ServiceType>\n    <ows:ServiceTypeVersion>1.0.0</ows:ServiceTypeVersion>\n  \
         </ows:ServiceIdentification>\n  <ows:OperationsMetadata>",
        escape(&meta.title),
        escape(&meta.abstract_text)
    );
    for op in ["GetCapabilities", "GetTile"] {
        let _ = writeln!(
            d,
            "    <ows:Operation name=\"{op}\"><ows:DCP><ows:HTTP><ows:Get xlink:href=\"{}\"><ows:Constraint name=\"GetEncoding\">\
             <ows:AllowedValues><ows:Value>KVP</ows:Value></ows:AllowedValues></ows:Constraint></ows:Get></ows:HTTP></ows:DCP></ows:Operation>",
            escape(&url)
        );
    }
    d.push_str("  </ows:OperationsMetadata>\n  <Contents>\n");
    let mut sets: Vec<(TileMatrixSet, u32)> = Vec::new();
    for layer in &svc.layers {
        let set = TileMatrixSet::for_body(layer.body);
        let max_z = set.max_zoom_for(layer);
        match sets.iter_mut().find(|(s, _)| *s == set) {
            Some((_, z)) => *z = (*z).max(max_z),
            None => sets.push((set, max_z)),
        }
        // ows:WGS84BoundingBox is Earth's by definition, so other bodies give only a
        // BoundingBox in their tile matrix set's CRS (GDAL would try to reproject a WGS 84 box
        // to Mars and fail). Web Mercator stops short of the poles.
        let ll = lonlat_in_180(layer.lonlat_bbox);
        let (lat_lo, lat_hi) = set.crs().latitude_range();
        let ll = [ll[0], ll[1].max(lat_lo), ll[2], ll[3].min(lat_hi)];
        let _ = writeln!(
            d,
            "    <Layer>\n      <ows:Title>{}</ows:Title>",
            escape(&layer.title)
        );
        if layer.body == Body::Earth {
            let _ = writeln!(
                d,
                "      <ows:WGS84BoundingBox><ows:LowerCorner>{} {}</ows:LowerCorner><ows:UpperCorner>{} {}</ows:UpperCorner></ows:WGS84BoundingBox>",
                ll[0], ll[1], ll[2], ll[3]
            );
        }
        let _ = writeln!(
            d,
            "      <ows:Identifier>{}</ows:Identifier>",
            escape(&layer.name)
        );
        if let Some(b) = set.crs().bbox_from_lonlat(ll) {
            let lat_first = set.crs().lat_first(svc.config.iau_geographic_axis_order);
            let corner = |x: f64, y: f64| {
                if lat_first {
                    format!("{y} {x}")
                } else {
                    format!("{x} {y}")
                }
            };
            let _ = writeln!(
                d,
                "      <ows:BoundingBox crs=\"{}\"><ows:LowerCorner>{}</ows:LowerCorner><ows:UpperCorner>{}</ows:UpperCorner></ows:BoundingBox>",
                set.crs().uri(),
                corner(b[0], b[1]),
                corner(b[2], b[3])
            );
        }
        let _ = writeln!(
            d,
            "      <Style isDefault=\"true\"><ows:Identifier>default</ows:Identifier></Style>\n      <Format>image/png</Format>\n      \
             <Format>image/jpeg</Format>\n      <TileMatrixSetLink><TileMatrixSet>{}</TileMatrixSet></TileMatrixSetLink>",
            set.id()
        );
        for (mime, ext) in [("image/png", "png"), ("image/jpeg", "jpg")] {
            let _ = writeln!(
                d,
                "      <ResourceURL format=\"{mime}\" resourceType=\"tile\" template=\"{}/wmts/1.0.0/{}/{{Style}}/{{TileMatrixSet}}/{{TileMatrix}}/{{TileRow}}/{{TileCol}}.{ext}\"/>",
                escape(&svc.base_url),
                escape(&layer.name)
            );
        }
        d.push_str("    </Layer>\n");
    }
    for (set, max_z) in sets {
        tile_matrix_set(&mut d, svc, set, max_z);
    }
    d.push_str("  </Contents>\n</Capabilities>\n");
    d
}

fn tile_matrix_set(d: &mut String, svc: &RasterServices, set: TileMatrixSet, max_z: u32) {
    let crs = set.crs();
    let _ = writeln!(
        d,
        "    <TileMatrixSet>\n      <ows:Identifier>{}</ows:Identifier>\n      <ows:SupportedCRS>{}</ows:SupportedCRS>",
        set.id(),
        crs.uri()
    );
    if set == TileMatrixSet::WebMercatorQuad {
        d.push_str("      <WellKnownScaleSet>urn:ogc:def:wkss:OGC:1.0:GoogleMapsCompatible</WellKnownScaleSet>\n");
    }
    let e = set.extent();
    // TopLeftCorner is in the CRS's axis order (WMTS 1.0 §6.1).
    let corner = if crs.lat_first(svc.config.iau_geographic_axis_order) {
        format!("{} {}", e[3], e[0])
    } else {
        format!("{} {}", e[0], e[3])
    };
    for z in 0..=max_z {
        let (w, h) = set.matrix_size(z);
        let _ = writeln!(
            d,
            "      <TileMatrix><ows:Identifier>{z}</ows:Identifier><ScaleDenominator>{}</ScaleDenominator>\
             <TopLeftCorner>{corner}</TopLeftCorner><TileWidth>{TILE_SIZE}</TileWidth><TileHeight>{TILE_SIZE}</TileHeight>\
             <MatrixWidth>{w}</MatrixWidth><MatrixHeight>{h}</MatrixHeight></TileMatrix>",
            set.scale_denominator(z)
        );
    }
    d.push_str("    </TileMatrixSet>\n");
}
