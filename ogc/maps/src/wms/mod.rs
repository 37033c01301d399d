//! WMS 1.1.1 and 1.3.0: GetCapabilities, GetMap, GetFeatureInfo.

mod capabilities;
mod feature_info;
mod inimage;

pub(crate) use capabilities::{layer_bbox, lonlat_in_180};

use crate::config::Resampling;
use crate::crs::{Crs, MapCrs};
use crate::exception;
use crate::layer::Layer;
use crate::render::encode::{self, ImageFormat};
use crate::render::style::parse_hex_colour;
use crate::render::warp::Grid;
use crate::render::{self, MapSpec};
use crate::service::RasterServices;
use ogc_common::Kvp;
use ogc_common::{Code, OgcError, OgcResponse};

/// The two WMS versions; version-specific rules sit behind methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WmsVersion {
    V111,
    V130,
}

impl WmsVersion {
    /// WMS 1.3.0 names the parameter CRS, 1.1.1 SRS.
    fn crs_param(self) -> &'static str {
        match self {
            WmsVersion::V111 => "SRS",
            WmsVersion::V130 => "CRS",
        }
    }

    /// Pixel parameters of GetFeatureInfo: I/J in 1.3.0, X/Y in 1.1.1.
    fn point_params(self) -> (&'static str, &'static str) {
        match self {
            WmsVersion::V111 => ("X", "Y"),
            WmsVersion::V130 => ("I", "J"),
        }
    }

    /// Whether BBOX follows the CRS's axis order (1.3.0 §6.7.4) or is always x/lon first (1.1.1).
    fn honours_axis_order(self) -> bool {
        self == WmsVersion::V130
    }

    /// Version negotiation (WMS 1.3.0 §6.2.4): the highest version not above the one asked, or
    /// the lowest we have when asked for an older one.
    fn negotiate(requested: Option<&str>) -> Self {
        match requested.map(parse_version) {
            Some(Some(v)) if v < (1, 3, 0) => WmsVersion::V111,
            _ => WmsVersion::V130,
        }
    }
}

fn parse_version(text: &str) -> Option<(u32, u32, u32)> {
    let mut parts = text.trim().split('.').map(|p| p.parse::<u32>().ok());
    let major = parts.next()??;
    let minor = parts.next().unwrap_or(Some(0))?;
    let patch = parts.next().unwrap_or(Some(0))?;
    Some((major, minor, patch))
}

/// How errors are reported (EXCEPTIONS parameter).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ExceptionMode {
    Xml,
    InImage,
    Blank,
}

fn exception_mode(kvp: &Kvp) -> ExceptionMode {
    let mode = kvp.get("EXCEPTIONS").unwrap_or("").to_ascii_lowercase();
    if mode.ends_with("inimage") {
        ExceptionMode::InImage
    } else if mode.ends_with("blank") {
        ExceptionMode::Blank
    } else {
        ExceptionMode::Xml
    }
}

fn xml_exception(version: WmsVersion, e: &OgcError) -> OgcResponse {
    match version {
        WmsVersion::V111 => exception::wms111(e),
        WmsVersion::V130 => exception::wms130(e),
    }
}

pub fn handle(svc: &RasterServices, kvp: &Kvp) -> OgcResponse {
    let request = kvp.non_empty("REQUEST").unwrap_or("");
    let version_text = kvp.non_empty("VERSION").or_else(|| kvp.non_empty("WMTVER"));
    if request.eq_ignore_ascii_case("GetCapabilities")
        || request.eq_ignore_ascii_case("capabilities")
    {
        let version = WmsVersion::negotiate(version_text);
        return match check_service(kvp) {
            Ok(()) => capabilities::response(svc, version),
            Err(e) => xml_exception(version, &e),
        };
    }
    let version = match version_text.map(parse_version) {
        Some(Some(v)) if v >= (1, 3, 0) => WmsVersion::V130,
        Some(Some(_)) => WmsVersion::V111,
        Some(None) => {
            return xml_exception(
                WmsVersion::V130,
                &OgcError::invalid("VERSION", "VERSION must look like 1.3.0"),
            );
        }
        // VERSION is mandatory; a request without it is read by the CRS/SRS parameter it uses.
        None if kvp.get("SRS").is_some() => WmsVersion::V111,
        None => WmsVersion::V130,
    };
    if let Err(e) = check_service(kvp) {
        return xml_exception(version, &e);
    }
    let is = |names: &[&str]| names.iter().any(|n| request.eq_ignore_ascii_case(n));
    if is(&["GetMap", "map"]) {
        get_map(svc, kvp, version)
    } else if is(&["GetFeatureInfo", "feature_info"]) {
        feature_info::get_feature_info(svc, kvp, version)
            .unwrap_or_else(|e| xml_exception(version, &e))
    } else if request.is_empty() {
        xml_exception(version, &OgcError::missing("REQUEST"))
    } else {
        xml_exception(
            version,
            &OgcError::new(
                Code::OperationNotSupported,
                Some("REQUEST"),
                format!("WMS has no operation '{request}'"),
            ),
        )
    }
}

fn check_service(kvp: &Kvp) -> Result<(), OgcError> {
    match kvp.non_empty("SERVICE") {
        Some(s) if !s.eq_ignore_ascii_case("WMS") => Err(OgcError::invalid(
            "SERVICE",
            format!("SERVICE must be WMS, not '{s}'"),
        )),
        _ => Ok(()),
    }
}

/// The map part shared by GetMap and GetFeatureInfo.
pub(crate) struct MapParams<'a> {
    pub layers: Vec<&'a Layer>,
    pub grid: Grid,
    pub format: Option<ImageFormat>,
    pub transparent: bool,
    pub background: [u8; 3],
    pub resampling: Option<Resampling>,
}

fn parse_u32(kvp: &Kvp, name: &str) -> Result<u32, OgcError> {
    let text = kvp.non_empty(name).ok_or_else(|| OgcError::missing(name))?;
    text.parse::<u32>().map_err(|_| {
        OgcError::invalid(name, format!("{name} must be a whole number, not '{text}'"))
    })
}

pub(crate) fn parse_bbox(text: &str, param: &str) -> Result<[f64; 4], OgcError> {
    let values: Vec<f64> = text
        .split(',')
        .map(|v| v.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|_| {
            OgcError::invalid(param, format!("{param} must be four numbers, not '{text}'"))
        })?;
    let [a, b, c, d] = values[..] else {
        return Err(OgcError::invalid(
            param,
            format!("{param} must be four numbers (minx,miny,maxx,maxy)"),
        ));
    };
    if values.iter().any(|v| !v.is_finite()) || a >= c || b >= d {
        return Err(OgcError::invalid(
            param,
            format!("{param} must have min < max on both axes"),
        ));
    }
    Ok([a, b, c, d])
}

pub(crate) fn parse_map_params<'a>(
    svc: &'a RasterServices,
    kvp: &Kvp,
    version: WmsVersion,
    format_required: bool,
) -> Result<MapParams<'a>, OgcError> {
    let names = kvp
        .non_empty("LAYERS")
        .ok_or_else(|| OgcError::missing("LAYERS"))?;
    let layers = names
        .split(',')
        .map(|n| {
            svc.layer(n.trim()).ok_or_else(|| {
                OgcError::new(
                    Code::LayerNotDefined,
                    Some("LAYERS"),
                    format!("no layer '{}'", n.trim()),
                )
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    if let Some(styles) = kvp.non_empty("STYLES") {
        for style in styles.split(',').map(str::trim) {
            if !(style.is_empty() || style.eq_ignore_ascii_case("default")) {
                return Err(OgcError::new(
                    Code::StyleNotDefined,
                    Some("STYLES"),
                    format!("no style '{style}'"),
                ));
            }
        }
    }
    let crs_param = version.crs_param();
    let crs_text = kvp
        .non_empty(crs_param)
        .or_else(|| kvp.non_empty(if crs_param == "CRS" { "SRS" } else { "CRS" }))
        .ok_or_else(|| OgcError::missing(crs_param))?;
    let crs = Crs::parse(crs_text)
        .map_err(|e| OgcError::new(Code::InvalidCrs, Some(crs_param), e.to_string()))?;
    if let Some(layer) = layers.iter().find(|l| !crs.applies_to(l.body)) {
        return Err(OgcError::new(
            Code::InvalidCrs,
            Some(crs_param),
            format!(
                "{} does not apply to layer '{}' ({:?})",
                crs.code(),
                layer.name,
                layer.body
            ),
        ));
    }
    let bbox = parse_bbox(
        kvp.non_empty("BBOX")
            .ok_or_else(|| OgcError::missing("BBOX"))?,
        "BBOX",
    )?;
    let bbox =
        if version.honours_axis_order() && crs.lat_first(svc.config.iau_geographic_axis_order) {
            [bbox[1], bbox[0], bbox[3], bbox[2]]
        } else {
            bbox
        };
    let width = parse_u32(kvp, "WIDTH")?;
    let height = parse_u32(kvp, "HEIGHT")?;
    let limits = &svc.config.limits;
    if width == 0 || height == 0 || width > limits.max_width || height > limits.max_height {
        return Err(OgcError::invalid(
            if width == 0 || width > limits.max_width {
                "WIDTH"
            } else {
                "HEIGHT"
            },
            format!(
                "WIDTH and HEIGHT must be 1..{} and 1..{}",
                limits.max_width, limits.max_height
            ),
        ));
    }
    let format = match kvp.non_empty("FORMAT") {
        Some(f) => Some(ImageFormat::parse(f).ok_or_else(|| {
            OgcError::new(
                Code::InvalidFormat,
                Some("FORMAT"),
                format!("unsupported FORMAT '{f}'"),
            )
        })?),
        None if format_required => return Err(OgcError::missing("FORMAT")),
        None => None,
    };
    let transparent = match kvp.non_empty("TRANSPARENT") {
        None => false,
        Some(t) if t.eq_ignore_ascii_case("true") => true,
        Some(t) if t.eq_ignore_ascii_case("false") => false,
        Some(t) => {
            return Err(OgcError::invalid(
                "TRANSPARENT",
                format!("TRANSPARENT must be TRUE or FALSE, not '{t}'"),
            ));
        }
    };
    let background = match kvp.non_empty("BGCOLOR") {
        None => [255, 255, 255],
        Some(c) => parse_hex_colour(c).ok_or_else(|| {
            OgcError::invalid("BGCOLOR", format!("BGCOLOR must be 0xRRGGBB, not '{c}'"))
        })?,
    };
    let resampling = match kvp
        .non_empty("RESAMPLING")
        .or_else(|| kvp.non_empty("INTERPOLATION"))
    {
        None => None,
        Some(r)
            if r.eq_ignore_ascii_case("nearest") || r.eq_ignore_ascii_case("nearest neighbor") =>
        {
            Some(Resampling::Nearest)
        }
        Some(r) if r.eq_ignore_ascii_case("bilinear") => Some(Resampling::Bilinear),
        Some(r) => {
            return Err(OgcError::invalid(
                "RESAMPLING",
                format!("RESAMPLING must be nearest or bilinear, not '{r}'"),
            ));
        }
    };
    Ok(MapParams {
        layers,
        grid: Grid {
            crs,
            bbox,
            width,
            height,
        },
        format,
        transparent,
        background,
        resampling,
    })
}

fn get_map(svc: &RasterServices, kvp: &Kvp, version: WmsVersion) -> OgcResponse {
    let mode = exception_mode(kvp);
    let params = match parse_map_params(svc, kvp, version, true) {
        Ok(p) => p,
        Err(e) => return map_exception(kvp, version, mode, &e),
    };
    let format = params.format.unwrap_or(ImageFormat::Png);
    let rendered = svc.rendering(|| {
        let spec = MapSpec {
            layers: params.layers,
            grid: params.grid,
            background: params.background,
            transparent: params.transparent,
            resampling: params.resampling,
        };
        let rgba = render::render_rgba(&spec, &svc.chunks)
            .map_err(|e| OgcError::internal(e.to_string()))?;
        encode::encode(
            &rgba,
            spec.grid.width,
            spec.grid.height,
            format,
            spec.transparent,
        )
        .map_err(|e| OgcError::internal(e.to_string()))
    });
    match rendered {
        Ok(body) => OgcResponse::ok(format.mime(), body),
        Err(e) => map_exception(kvp, version, mode, &e),
    }
}

/// An exception in the form EXCEPTIONS asked for. Image forms need a usable size and format;
/// without them the XML form is sent.
fn map_exception(kvp: &Kvp, version: WmsVersion, mode: ExceptionMode, e: &OgcError) -> OgcResponse {
    let size = |name| {
        kvp.non_empty(name)
            .and_then(|v| v.parse::<u32>().ok())
            .filter(|v| (1..=4096).contains(v))
    };
    let format = kvp.non_empty("FORMAT").and_then(ImageFormat::parse);
    let (Some(w), Some(h), Some(format)) = (size("WIDTH"), size("HEIGHT"), format) else {
        return xml_exception(version, e);
    };
    if mode == ExceptionMode::Xml {
        return xml_exception(version, e);
    }
    let transparent = kvp
        .get("TRANSPARENT")
        .is_some_and(|t| t.eq_ignore_ascii_case("true"));
    let background = kvp
        .non_empty("BGCOLOR")
        .and_then(parse_hex_colour)
        .unwrap_or([255, 255, 255]);
    let mut rgba = render::blank(w, h, background, transparent);
    if mode == ExceptionMode::InImage {
        inimage::draw_text(
            &mut rgba,
            w,
            h,
            &format!(
                "{}: {}",
                if version == WmsVersion::V111 {
                    e.code.wms111_text()
                } else {
                    e.code.text()
                },
                e.message
            ),
        );
    }
    match encode::encode(&rgba, w, h, format, transparent) {
        Ok(body) => OgcResponse::ok(format.mime(), body),
        Err(_) => xml_exception(version, e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negotiates_versions() {
        assert_eq!(WmsVersion::negotiate(None), WmsVersion::V130);
        assert_eq!(WmsVersion::negotiate(Some("1.1.1")), WmsVersion::V111);
        assert_eq!(WmsVersion::negotiate(Some("1.1.0")), WmsVersion::V111);
        assert_eq!(WmsVersion::negotiate(Some("1.0.0")), WmsVersion::V111);
        assert_eq!(WmsVersion::negotiate(Some("2.0.0")), WmsVersion::V130);
    }

    #[test]
    fn bbox_must_be_four_ordered_numbers() {
        assert_eq!(
            parse_bbox("0,-90,180,90", "BBOX").unwrap(),
            [0.0, -90.0, 180.0, 90.0]
        );
        assert!(parse_bbox("0,-90,180", "BBOX").is_err());
        assert!(parse_bbox("10,0,0,10", "BBOX").is_err());
        assert!(parse_bbox("a,b,c,d", "BBOX").is_err());
    }
}
