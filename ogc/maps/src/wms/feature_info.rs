//! GetFeatureInfo: the raw pixel values of the queried layers under one map pixel, as text,
//! JSON (GeoJSON) or HTML.

use super::{WmsVersion, parse_map_params};
use crate::crs::MapCrs;
use crate::layer::Layer;
use crate::raster::PixelReader;
use crate::service::RasterServices;
use ogc_common::Kvp;
use ogc_common::xml::escape;
use ogc_common::{Code, OgcError, OgcResponse};
use std::fmt::Write;

/// What one layer holds at the queried point.
struct PointValue<'a> {
    layer: &'a Layer,
    /// Band values, or None outside the layer or on NoData.
    values: Option<Vec<f32>>,
}

pub(super) fn get_feature_info(
    svc: &RasterServices,
    kvp: &Kvp,
    version: WmsVersion,
) -> Result<OgcResponse, OgcError> {
    let map = parse_map_params(svc, kvp, version, false)?;
    let names = kvp
        .non_empty("QUERY_LAYERS")
        .ok_or_else(|| OgcError::missing("QUERY_LAYERS"))?;
    let mut layers = Vec::new();
    for name in names.split(',').map(str::trim) {
        let layer = map.layers.iter().find(|l| l.name == name).ok_or_else(|| {
            OgcError::new(
                Code::LayerNotDefined,
                Some("QUERY_LAYERS"),
                format!("'{name}' is not in LAYERS"),
            )
        })?;
        layers.push(*layer);
    }
    let info_format = kvp
        .non_empty("INFO_FORMAT")
        .unwrap_or("text/plain")
        .to_ascii_lowercase();
    if !["text/plain", "application/json", "text/html"].contains(&info_format.as_str()) {
        return Err(OgcError::new(
            Code::InvalidFormat,
            Some("INFO_FORMAT"),
            format!("unsupported INFO_FORMAT '{info_format}'"),
        ));
    }
    let (pi, pj) = version.point_params();
    let point = |name: &str, size: u32| -> Result<u32, OgcError> {
        let text = kvp.non_empty(name).ok_or_else(|| OgcError::missing(name))?;
        text.parse::<u32>()
            .ok()
            .filter(|v| *v < size)
            .ok_or_else(|| {
                OgcError::new(
                    Code::InvalidPoint,
                    Some(name),
                    format!("{name} must be 0..{}", size - 1),
                )
            })
    };
    let (i, j) = (point(pi, map.grid.width)?, point(pj, map.grid.height)?);
    let g = &map.grid;
    let x = g.bbox[0] + (f64::from(i) + 0.5) * (g.bbox[2] - g.bbox[0]) / f64::from(g.width);
    let y = g.bbox[3] - (f64::from(j) + 0.5) * (g.bbox[3] - g.bbox[1]) / f64::from(g.height);
    let lonlat = g.crs.to_lonlat(x, y);
    let mut found = Vec::new();
    for layer in layers {
        let values = match lonlat {
            Some((lon, lat)) => {
                value_at(svc, layer, lon, lat).map_err(|e| OgcError::internal(e.to_string()))?
            }
            None => None,
        };
        found.push(PointValue { layer, values });
    }
    let body = match info_format.as_str() {
        "application/json" => json(&found, lonlat),
        "text/html" => html(&found, lonlat),
        _ => text(&found, lonlat),
    };
    Ok(OgcResponse::ok(&info_format, body))
}

fn value_at(
    svc: &RasterServices,
    layer: &Layer,
    lon: f64,
    lat: f64,
) -> Result<Option<Vec<f32>>, crate::raster::RasterError> {
    let Some((sx, sy)) = layer.crs.from_lonlat(lon, lat) else {
        return Ok(None);
    };
    let (u, v) = layer.to_source_pixel(sx, sy);
    if !(u >= 0.0
        && v >= 0.0
        && u < f64::from(layer.source.width())
        && v < f64::from(layer.source.height()))
    {
        return Ok(None);
    }
    let mut reader = PixelReader::new(&layer.source, &svc.chunks, 0);
    let mut values = vec![0f32; layer.source.bands];
    reader.read(u as u32, v as u32, &mut values)?;
    let nodata = layer.nodata.map(|n| n as f32);
    let is_nodata =
        values.iter().any(|v| v.is_nan()) || nodata.is_some_and(|n| values.iter().all(|&v| v == n));
    Ok((!is_nodata).then_some(values))
}

fn text(found: &[PointValue], lonlat: Option<(f64, f64)>) -> String {
    let mut out = String::new();
    if let Some((lon, lat)) = lonlat {
        let _ = writeln!(out, "longitude = {lon:.6}\nlatitude = {lat:.6}");
    }
    for p in found {
        let _ = writeln!(out, "Layer '{}'", p.layer.name);
        match &p.values {
            Some(v) => {
                for (b, value) in v.iter().enumerate() {
                    let _ = writeln!(out, "  band_{} = {value}", b + 1);
                }
            }
            None => out.push_str("  no data\n"),
        }
    }
    out
}

fn json(found: &[PointValue], lonlat: Option<(f64, f64)>) -> String {
    let geometry = match lonlat {
        Some((lon, lat)) => serde_json::json!({"type": "Point", "coordinates": [lon, lat]}),
        None => serde_json::Value::Null,
    };
    let features: Vec<_> = found
        .iter()
        .map(|p| {
            let mut props = serde_json::Map::new();
            props.insert("layer".into(), p.layer.name.clone().into());
            if let Some(v) = &p.values {
                for (b, value) in v.iter().enumerate() {
                    props.insert(format!("band_{}", b + 1), serde_json::json!(value));
                }
            }
            props.insert("nodata".into(), p.values.is_none().into());
            serde_json::json!({"type": "Feature", "id": p.layer.name, "geometry": geometry, "properties": props})
        })
        .collect();
    serde_json::json!({"type": "FeatureCollection", "features": features}).to_string()
}

fn html(found: &[PointValue], lonlat: Option<(f64, f64)>) -> String {
    let mut out = String::from(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Feature info</title></head><body>\n",
    );
    if let Some((lon, lat)) = lonlat {
        let _ = writeln!(out, "<p>longitude {lon:.6}, latitude {lat:.6}</p>");
    }
    for p in found {
        let _ = writeln!(
            out,
            "<table border=\"1\"><caption>{}</caption>",
            escape(&p.layer.title)
        );
        match &p.values {
            Some(v) => {
                for (b, value) in v.iter().enumerate() {
                    let _ = writeln!(out, "<tr><th>band_{}</th><td>{value}</td></tr>", b + 1);
                }
            }
            None => out.push_str("<tr><td>no data</td></tr>\n"),
        }
        out.push_str("</table>\n");
    }
    out.push_str("</body></html>\n");
    out
}
