//! Reading DALI parameters (DALI 1.1 §3: names case-insensitive, values possibly repeated) from
//! a GET query string or a POSTed form.

use axum::extract::Request;
use uws::Parameters;

use super::{DalError, ErrorStyle};

/// Bytes a DAL request body may have: parameters only, no uploads.
const MAX_BODY: usize = 1 << 20;

pub async fn read(request: Request, style: ErrorStyle) -> Result<Parameters, DalError> {
    uws::read_parameters(request, None, MAX_BODY)
        .await
        .map_err(|e| DalError::bad_request(style, e.to_string()))
}

/// Every text value of `name`, in order.
pub fn texts<'a>(params: &'a Parameters, name: &str) -> Vec<&'a str> {
    params
        .values(name)
        .filter_map(|v| match v {
            uws::ParamValue::Text(t) => Some(t.as_str()),
            uws::ParamValue::Upload(_) => None,
        })
        .collect()
}

/// MAXREC as a non-negative integer, if given.
pub fn maxrec(params: &Parameters, style: ErrorStyle) -> Result<Option<u64>, DalError> {
    params
        .get("MAXREC")
        .map(|text| {
            text.trim().parse::<u64>().map_err(|_| {
                DalError::bad_request(
                    style,
                    format!("MAXREC={text} is not a non-negative integer"),
                )
            })
        })
        .transpose()
}

/// RESPONSEFORMAT (DALI 1.1 §3.3.1), or `default` when absent: the format and the
/// Content-Type to answer with.
pub fn response_format(
    params: &Parameters,
    default: formats::OutputFormat,
    style: ErrorStyle,
) -> Result<(formats::OutputFormat, String), DalError> {
    match params.get("RESPONSEFORMAT") {
        None => Ok((default, default.mime().to_owned())),
        Some(text) => {
            let format = formats::OutputFormat::from_param(text).ok_or_else(|| {
                DalError::bad_request(
                    style,
                    format!(
                        "RESPONSEFORMAT={text} is not supported; use one of {}",
                        formats::OutputFormat::ALL
                            .iter()
                            .map(|f| f.mime())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
            })?;
            Ok((format, format.content_type(text)))
        }
    }
}
