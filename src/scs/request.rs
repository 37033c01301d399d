//! The parameters of a cone search (SCS 1.03 §2): RA, DEC, SR in decimal degrees (ICRS), and
//! VERB; MAXREC and RESPONSEFORMAT as DALI adds them.

use dali::Parameters;
use formats::OutputFormat;

use crate::config::ScsConfig;
use crate::dal::DalError;
use crate::dal::params::{self, ResponseFormat};

#[derive(Debug, Clone, PartialEq)]
pub struct ConeRequest {
    pub ra: f64,
    pub dec: f64,
    pub sr: f64,
    /// 1 minimal, 2 principal columns (the default), 3 every column.
    pub verb: u8,
    pub max_rows: u64,
    pub response_format: ResponseFormat,
}

impl ConeRequest {
    pub fn from_params(params: &Parameters, config: &ScsConfig) -> Result<Self, DalError> {
        let ra = number(params, "RA")?;
        let dec = number(params, "DEC")?;
        let sr = number(params, "SR")?;
        if !(0.0..=360.0).contains(&ra) {
            return Err(bad(format!("RA={ra} is outside 0..360 degrees")));
        }
        if !(-90.0..=90.0).contains(&dec) {
            return Err(bad(format!("DEC={dec} is outside -90..90 degrees")));
        }
        if sr < 0.0 {
            return Err(bad(format!("SR={sr} is negative")));
        }
        if sr > config.max_sr {
            return Err(bad(format!(
                "SR={sr} is larger than this service's maximum search radius, {} degrees",
                config.max_sr
            )));
        }
        let verb = match params.get("VERB").map(str::trim) {
            None | Some("") => 2,
            Some("1") => 1,
            Some("2") => 2,
            Some("3") => 3,
            Some(other) => return Err(bad(format!("VERB={other} is not 1, 2 or 3"))),
        };
        let max_rows = params::maxrec(params)?
            .unwrap_or(config.max_records)
            .min(config.max_records);
        // TABLEDATA by default: the serialization every SCS 1.03 client reads.
        let response_format = params::response_format(params, OutputFormat::VotableTabledata)?;
        Ok(Self {
            ra,
            dec,
            sr,
            verb,
            max_rows,
            response_format,
        })
    }
}

fn bad(message: String) -> DalError {
    DalError::bad_request(message)
}

/// A required finite decimal number.
fn number(params: &Parameters, name: &str) -> Result<f64, DalError> {
    let text = params
        .get(name)
        .ok_or_else(|| bad(format!("the {name} parameter is missing")))?;
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| bad(format!("{name}={text} is not a decimal number of degrees")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(pairs: &[(&str, &str)]) -> Result<ConeRequest, DalError> {
        let mut params = Parameters::new();
        for (name, value) in pairs {
            params.push_text(name, value);
        }
        ConeRequest::from_params(&params, &ScsConfig::default())
    }

    #[test]
    fn a_cone_is_read_with_names_in_any_case() {
        let cone = request(&[("ra", "10.5"), ("Dec", "-5"), ("SR", "0.5"), ("verb", "3")]).unwrap();
        assert_eq!(
            (cone.ra, cone.dec, cone.sr, cone.verb),
            (10.5, -5.0, 0.5, 3)
        );
        assert_eq!(cone.response_format.format, OutputFormat::VotableTabledata);
    }

    #[test]
    fn bad_parameters_are_named() {
        let cases: &[(&[(&str, &str)], &str)] = &[
            (&[("DEC", "1"), ("SR", "1")], "RA parameter is missing"),
            (&[("RA", "x"), ("DEC", "1"), ("SR", "1")], "RA=x"),
            (
                &[("RA", "361"), ("DEC", "1"), ("SR", "1")],
                "outside 0..360",
            ),
            (
                &[("RA", "1"), ("DEC", "91"), ("SR", "1")],
                "outside -90..90",
            ),
            (&[("RA", "1"), ("DEC", "1"), ("SR", "-1")], "negative"),
            (
                &[("RA", "1"), ("DEC", "1"), ("SR", "11")],
                "maximum search radius",
            ),
            (&[("RA", "1"), ("DEC", "1"), ("SR", "nan")], "SR=nan"),
            (
                &[("RA", "1"), ("DEC", "1"), ("SR", "1"), ("VERB", "4")],
                "VERB=4",
            ),
            (
                &[("RA", "1"), ("DEC", "1"), ("SR", "1"), ("MAXREC", "-2")],
                "MAXREC",
            ),
        ];
        for (pairs, expected) in cases {
            let message = request(pairs).unwrap_err().to_string();
            assert!(message.contains(expected), "{pairs:?}: {message}");
        }
    }

    #[test]
    fn maxrec_cannot_exceed_the_service_limit() {
        let cone = request(&[
            ("RA", "1"),
            ("DEC", "1"),
            ("SR", "1"),
            ("MAXREC", "99999999"),
        ])
        .unwrap();
        assert_eq!(cone.max_rows, ScsConfig::default().max_records);
    }
}
