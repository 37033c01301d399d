//! SIA 2.0 query parameters (§2.2) → the WHERE clause of an ADQL query over ObsCore columns.

use dali::Parameters;

use crate::dal::run::number;
use crate::dal::{DalError, params};

fn bad(message: String) -> DalError {
    DalError::bad_request(message)
}

/// The parsed search: one ADQL condition per parameter given, each the OR of its values.
#[derive(Debug, Clone, PartialEq)]
pub struct SiaRequest {
    pub conditions: Vec<String>,
    pub maxrec: Option<u64>,
}

/// The numeric interval parameters (§2.2.2–2.2.10) and the ObsCore columns they constrain:
/// (parameter, lower-bound column, upper-bound column).
const INTERVALS: &[(&str, &str, &str)] = &[
    ("BAND", "em_min", "em_max"),
    ("TIME", "t_min", "t_max"),
    ("FOV", "s_fov", "s_fov"),
    ("SPATRES", "s_resolution", "s_resolution"),
    ("EXPTIME", "t_exptime", "t_exptime"),
    ("TIMERES", "t_resolution", "t_resolution"),
    ("SPECRP", "em_res_power", "em_res_power"),
];

/// The string parameters (§2.2.11–2.2.18) compared for equality with one column.
const EQUALS: &[(&str, &str)] = &[
    ("ID", "obs_publisher_did"),
    ("COLLECTION", "obs_collection"),
    ("FACILITY", "facility_name"),
    ("INSTRUMENT", "instrument_name"),
    ("DPTYPE", "dataproduct_type"),
    ("TARGET", "target_name"),
    ("FORMAT", "access_format"),
];

impl SiaRequest {
    pub fn from_params(params: &Parameters) -> Result<Self, DalError> {
        let mut conditions = Vec::new();
        let mut add = |name: &str, parse: &dyn Fn(&str) -> Result<String, DalError>| {
            let values = params::texts(params, name);
            if values.is_empty() {
                return Ok::<(), DalError>(());
            }
            let parts = values
                .iter()
                .map(|v| parse(v))
                .collect::<Result<Vec<_>, _>>()?;
            conditions.push(or(parts));
            Ok(())
        };
        add("POS", &pos)?;
        for (name, low, high) in INTERVALS {
            add(name, &|v| overlap(name, v, low, high))?;
        }
        add("POL", &|v| {
            let state = v.trim();
            if state.is_empty() || !state.chars().all(|c| c.is_ascii_alphanumeric()) {
                return Err(bad(format!(
                    "POL={v} is not a polarization state such as I, Q, RR"
                )));
            }
            Ok(format!("pol_states LIKE '%/{state}/%'"))
        })?;
        add("CALIB", &|v| {
            let level: i32 = v
                .trim()
                .parse()
                .ok()
                .filter(|l| (0..=4).contains(l))
                .ok_or_else(|| bad(format!("CALIB={v} is not a calibration level 0..4")))?;
            Ok(format!("calib_level = {level}"))
        })?;
        for (name, column) in EQUALS {
            add(name, &|v| Ok(format!("{column} = {}", string(v))))?;
        }
        Ok(Self {
            conditions,
            maxrec: params::maxrec(params)?,
        })
    }
}

/// The conditions joined into a WHERE clause (empty: every row).
pub fn where_clause(conditions: &[String]) -> String {
    if conditions.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", conditions.join(" AND "))
    }
}

fn or(parts: Vec<String>) -> String {
    if parts.len() == 1 {
        parts.into_iter().next().unwrap_or_default()
    } else {
        format!("({})", parts.join(" OR "))
    }
}

/// An ADQL string literal.
fn string(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// A DALI double (DALI 1.1 §3.2.2: `-Inf`, `+Inf` allowed in intervals).
fn double(name: &str, text: &str) -> Result<f64, DalError> {
    match text {
        "-Inf" | "-inf" => Ok(f64::NEG_INFINITY),
        "+Inf" | "Inf" | "+inf" | "inf" => Ok(f64::INFINITY),
        _ => text
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| bad(format!("{name}: `{text}` is not a number"))),
    }
}

fn numbers(name: &str, text: &str) -> Result<Vec<f64>, DalError> {
    text.split_whitespace().map(|t| double(name, t)).collect()
}

/// An interval `lo hi` (or a single value, lo = hi): the rows whose [low, high] column range
/// overlaps it; an infinite bound sets no condition.
fn overlap(name: &str, text: &str, low: &str, high: &str) -> Result<String, DalError> {
    let values = numbers(name, text)?;
    let (lo, hi) = match values[..] {
        [v] if v.is_finite() => (v, v),
        [lo, hi] => (lo, hi),
        _ => {
            return Err(bad(format!(
                "{name}={text} is not an interval of two numbers (DALI 1.1 §3.3.4)"
            )));
        }
    };
    if lo.is_nan() || hi.is_nan() || lo > hi {
        return Err(bad(format!(
            "{name}={text}: the lower bound is above the upper bound"
        )));
    }
    if hi == f64::NEG_INFINITY || lo == f64::INFINITY {
        // An interval wholly at infinity holds no value.
        return Ok("1 = 0".to_owned());
    }
    let mut parts = Vec::new();
    if hi.is_finite() {
        parts.push(format!("{low} <= {}", number(hi)));
    }
    if lo.is_finite() {
        parts.push(format!("{high} >= {}", number(lo)));
    }
    Ok(if parts.is_empty() {
        // (-Inf, +Inf): any row, known or not.
        "1 = 1".to_owned()
    } else {
        format!("({})", parts.join(" AND "))
    })
}

/// POS (§2.2.1): CIRCLE, RANGE or POLYGON in ICRS degrees; the rows whose footprint meets it.
fn pos(text: &str) -> Result<String, DalError> {
    let mut words = text.split_whitespace();
    let shape = words.next().unwrap_or("").to_ascii_uppercase();
    let rest: Vec<&str> = words.collect();
    let values = rest
        .iter()
        .map(|t| double("POS", t))
        .collect::<Result<Vec<_>, _>>()?;
    let finite = values.iter().all(|v| v.is_finite());
    match (shape.as_str(), values.len()) {
        ("CIRCLE", 3) if finite => {
            let (ra, dec, r) = (values[0], values[1], values[2]);
            check_position(ra, dec)?;
            if !(0.0..=180.0).contains(&r) {
                return Err(bad(format!(
                    "POS={text}: the radius is outside 0..180 degrees"
                )));
            }
            Ok(format!(
                "1 = INTERSECTS(s_footprint, CIRCLE('ICRS', {}, {}, {}))",
                number(ra),
                number(dec),
                number(r)
            ))
        }
        ("POLYGON", n) if finite && n >= 6 && n % 2 == 0 => {
            for pair in values.chunks(2) {
                check_position(pair[0], pair[1])?;
            }
            let list: Vec<String> = values.iter().map(|v| number(*v)).collect();
            Ok(format!(
                "1 = INTERSECTS(s_footprint, POLYGON('ICRS', {}))",
                list.join(", ")
            ))
        }
        // A longitude/latitude box is not a spherical polygon: rows are chosen by their centre.
        ("RANGE", 4) => {
            let (lon1, lon2, lat1, lat2) = (values[0], values[1], values[2], values[3]);
            if lon1 > lon2 || lat1 > lat2 {
                return Err(bad(format!(
                    "POS={text}: a lower bound is above its upper bound"
                )));
            }
            if [lon1, lat1].contains(&f64::INFINITY) || [lon2, lat2].contains(&f64::NEG_INFINITY) {
                return Ok("1 = 0".to_owned());
            }
            let mut parts = Vec::new();
            if lon1.is_finite() {
                parts.push(format!("s_ra >= {}", number(lon1)));
            }
            if lon2.is_finite() {
                parts.push(format!("s_ra <= {}", number(lon2)));
            }
            if lat1.is_finite() {
                parts.push(format!("s_dec >= {}", number(lat1)));
            }
            if lat2.is_finite() {
                parts.push(format!("s_dec <= {}", number(lat2)));
            }
            Ok(if parts.is_empty() {
                "1 = 1".to_owned()
            } else {
                format!("({})", parts.join(" AND "))
            })
        }
        _ => Err(bad(format!(
            "POS={text} is not CIRCLE lon lat radius, RANGE lon1 lon2 lat1 lat2 or POLYGON lon1 lat1 … (SIA 2.0 §2.2.1)"
        ))),
    }
}

fn check_position(ra: f64, dec: f64) -> Result<(), DalError> {
    if !(-360.0..=360.0).contains(&ra) || !(-90.0..=90.0).contains(&dec) {
        return Err(bad(format!(
            "POS: ({ra}, {dec}) is not a position in degrees"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conditions(pairs: &[(&str, &str)]) -> Result<Vec<String>, DalError> {
        let mut params = Parameters::new();
        for (name, value) in pairs {
            params.push_text(name, value);
        }
        SiaRequest::from_params(&params).map(|r| r.conditions)
    }

    #[test]
    fn repeated_values_are_ored_and_parameters_anded() {
        let c = conditions(&[
            ("POS", "CIRCLE 10 20 0.5"),
            ("pos", "CIRCLE 30 40 1"),
            ("INSTRUMENT", "ACS"),
        ])
        .unwrap();
        assert_eq!(
            c,
            [
                "(1 = INTERSECTS(s_footprint, CIRCLE('ICRS', 10.0, 20.0, 0.5)) OR 1 = INTERSECTS(s_footprint, CIRCLE('ICRS', 30.0, 40.0, 1.0)))",
                "instrument_name = 'ACS'",
            ]
        );
    }

    #[test]
    fn intervals_overlap_and_infinite_bounds_drop_out() {
        let c = conditions(&[("BAND", "5e-7 6e-7"), ("TIME", "-Inf 53000")]).unwrap();
        let empty = conditions(&[("FOV", "-Inf -Inf"), ("EXPTIME", "+Inf +Inf")]).unwrap();
        assert_eq!(empty, ["1 = 0", "1 = 0"]);
        let empty = conditions(&[("POS", "RANGE +Inf +Inf 0 1")]).unwrap();
        assert_eq!(empty, ["1 = 0"]);
        assert_eq!(
            c,
            ["(em_min <= 6e-7 AND em_max >= 5e-7)", "(t_min <= 53000.0)"]
        );
    }

    #[test]
    fn strings_are_quoted_safely() {
        let c = conditions(&[("TARGET", "x' OR '1'='1")]).unwrap();
        assert_eq!(c, ["target_name = 'x'' OR ''1''=''1'"]);
    }

    #[test]
    fn bad_values_are_named() {
        let cases: &[(&str, &str, &str)] = &[
            ("POS", "CIRCLE 10 20", "POS=CIRCLE 10 20"),
            ("POS", "BOX 1 2 3 4", "not CIRCLE"),
            ("POS", "CIRCLE 10 95 1", "not a position"),
            ("BAND", "6e-7 5e-7", "lower bound"),
            ("BAND", "red", "not a number"),
            ("CALIB", "7", "CALIB=7"),
            ("POL", "I; DROP", "POL="),
            ("MAXREC", "x", "MAXREC"),
        ];
        for (name, value, expected) in cases {
            let message = conditions(&[(name, value)]).unwrap_err().to_string();
            assert!(message.contains(expected), "{name}={value}: {message}");
        }
    }
}
