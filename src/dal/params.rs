//! Reading DALI parameters (DALI 1.1 §3: names case-insensitive, values possibly repeated) from
//! a GET query string or a POSTed form, and the two every DAL service shares: MAXREC and
//! RESPONSEFORMAT, parsed here once for TAP, SCS and SIA.

use axum::extract::Request;
use dali::{ParamValue, Parameters};
use formats::OutputFormat;

use super::DalError;

/// Bytes a DAL request body may have: parameters only, no uploads.
const MAX_BODY: usize = 1 << 20;

/// The parameters of a request that may not carry files (SCS, SIA).
pub async fn read(request: Request) -> Result<Parameters, DalError> {
    dali::read_parameters(request, None, MAX_BODY)
        .await
        .map_err(|e| DalError::bad_request(e.to_string()))
}

/// Every text value of `name`, in order.
pub fn texts<'a>(params: &'a Parameters, name: &str) -> Vec<&'a str> {
    params
        .values(name)
        .filter_map(|v| match v {
            ParamValue::Text(t) => Some(t.as_str()),
            ParamValue::Upload(_) => None,
        })
        .collect()
}

/// MAXREC (DALI 1.1 §3.3.2) as a non-negative integer, if given.
pub fn maxrec(params: &Parameters) -> Result<Option<u64>, DalError> {
    params
        .get("MAXREC")
        .map(|text| {
            text.trim().parse::<u64>().map_err(|_| {
                DalError::bad_request(format!("MAXREC={text} is not a non-negative integer"))
            })
        })
        .transpose()
}

/// The output format a request asked for (DALI 1.1 §3.3.1), and how the client spelled it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseFormat {
    pub format: OutputFormat,
    /// The RESPONSEFORMAT as given, echoed in Content-Type where DALI asks.
    pub requested: Option<String>,
}

impl ResponseFormat {
    /// Reads a RESPONSEFORMAT value, or takes `default` when there is none.
    pub fn parse(requested: Option<&str>, default: OutputFormat) -> Result<Self, DalError> {
        let format = match requested {
            None => default,
            Some(text) => OutputFormat::from_param(text).ok_or_else(|| {
                DalError::bad_request(format!(
                    "RESPONSEFORMAT={text} is not supported; use one of {}",
                    OutputFormat::ALL
                        .iter()
                        .map(|f| f.mime())
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            })?,
        };
        Ok(Self {
            format,
            requested: requested.map(str::to_owned),
        })
    }

    /// The Content-Type to answer with.
    pub fn content_type(&self) -> String {
        self.format
            .content_type(self.requested.as_deref().unwrap_or(""))
    }
}

/// RESPONSEFORMAT, or `default` when absent.
pub fn response_format(
    params: &Parameters,
    default: OutputFormat,
) -> Result<ResponseFormat, DalError> {
    ResponseFormat::parse(params.get("RESPONSEFORMAT"), default)
}
