//! The parameters of a TAP query (TAP 1.1 §2.3, DALI 1.1 §3), read the same way for /sync and
//! for /async jobs: names case-insensitive, unknown parameters ignored.

use dali::{ParamValue, Parameters};
use formats::OutputFormat;

use crate::dal::DalError;
use crate::dal::params::{self, ResponseFormat};

/// The query language versions we accept for LANG.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Adql20,
    Adql21,
}

/// Where an uploaded table comes from (TAP 1.1 §2.5.3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UploadSource {
    /// `param:name`: a part of the multipart request.
    Part(String),
    /// An http(s) URL the server fetches.
    Url(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadSpec {
    /// The name the query uses, as `TAP_UPLOAD.<name>`.
    pub table: String,
    pub source: UploadSource,
}

/// A checked TAP query request.
#[derive(Debug, Clone)]
pub struct TapRequest {
    pub query: String,
    pub lang: Lang,
    pub response_format: ResponseFormat,
    /// MAXREC as asked; the service applies its default and hard limits.
    pub maxrec: Option<u64>,
    pub runid: Option<String>,
    pub uploads: Vec<UploadSpec>,
}

impl TapRequest {
    pub fn from_params(params: &Parameters) -> Result<Self, DalError> {
        if let Some(request) = params.get("REQUEST")
            && !request.eq_ignore_ascii_case("doQuery")
        {
            return Err(DalError::bad_request(format!(
                "REQUEST={request} is not supported: the only TAP 1.1 request is doQuery"
            )));
        }
        let lang = match params.get("LANG") {
            None => return Err(DalError::bad_request("the LANG parameter is missing")),
            Some(lang) => parse_lang(lang)?,
        };
        let query = params
            .get("QUERY")
            .filter(|q| !q.trim().is_empty())
            .ok_or_else(|| DalError::bad_request("the QUERY parameter is missing"))?
            .to_owned();
        // TAP 1.1 §2.3.6: RESPONSEFORMAT, with FORMAT kept as its TAP 1.0 synonym.
        let response_format = ResponseFormat::parse(
            params
                .get("RESPONSEFORMAT")
                .or_else(|| params.get("FORMAT")),
            OutputFormat::VotableBinary2,
        )?;
        let maxrec = params::maxrec(params)?;
        let uploads = params
            .values("UPLOAD")
            .filter_map(|value| match value {
                ParamValue::Text(text) => Some(text.as_str()),
                ParamValue::Upload(_) => None,
            })
            .map(parse_upload)
            .collect::<Result<Vec<_>, _>>()?
            .into_iter()
            .flatten()
            .collect();
        Ok(Self {
            query,
            lang,
            response_format,
            maxrec,
            runid: params.get("RUNID").map(str::to_owned),
            uploads,
        })
    }
}

fn parse_lang(lang: &str) -> Result<Lang, DalError> {
    match lang.trim().to_ascii_uppercase().as_str() {
        "ADQL" | "ADQL-2.1" => Ok(Lang::Adql21),
        "ADQL-2.0" => Ok(Lang::Adql20),
        _ => Err(DalError::bad_request(format!(
            "LANG={lang} is not supported; use ADQL, ADQL-2.0 or ADQL-2.1"
        ))),
    }
}

/// `UPLOAD=name,URI[;name,URI…]` (TAP 1.1 §2.5.3).
fn parse_upload(text: &str) -> Result<Vec<UploadSpec>, DalError> {
    text.split(';')
        .filter(|item| !item.trim().is_empty())
        .map(|item| {
            let (table, uri) = item.split_once(',').ok_or_else(|| {
                DalError::bad_request(format!("UPLOAD={item} is not of the form name,URI"))
            })?;
            let table = table.trim();
            let valid_name = table
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic())
                && table.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            if !valid_name {
                return Err(DalError::bad_request(format!(
                    "UPLOAD table name `{table}` must be a regular ADQL identifier"
                )));
            }
            let uri = uri.trim();
            let source = if let Some(part) = uri.strip_prefix("param:") {
                UploadSource::Part(part.to_owned())
            } else if uri.starts_with("http://") || uri.starts_with("https://") {
                UploadSource::Url(uri.to_owned())
            } else {
                return Err(DalError::bad_request(format!(
                    "UPLOAD URI `{uri}` must be param:<part> or an http(s) URL"
                )));
            };
            Ok(UploadSpec {
                table: table.to_owned(),
                source,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> Parameters {
        let mut params = Parameters::new();
        for (name, value) in pairs {
            params.push_text(name, value);
        }
        params
    }

    #[test]
    fn names_are_case_insensitive_and_unknown_parameters_ignored() {
        let request = TapRequest::from_params(&params(&[
            ("lang", "ADQL"),
            ("Query", "SELECT 1 FROM t"),
            ("format", "csv"),
            ("maxrec", "10"),
            ("whatever", "x"),
        ]))
        .unwrap();
        assert_eq!(request.lang, Lang::Adql21);
        assert_eq!(request.response_format.format, OutputFormat::Csv);
        assert_eq!(request.maxrec, Some(10));
    }

    #[test]
    fn responseformat_wins_over_format() {
        let request = TapRequest::from_params(&params(&[
            ("LANG", "ADQL-2.0"),
            ("QUERY", "SELECT 1 FROM t"),
            ("FORMAT", "csv"),
            ("RESPONSEFORMAT", "votable"),
        ]))
        .unwrap();
        assert!(request.response_format.format.is_votable());
        assert_eq!(request.lang, Lang::Adql20);
    }

    #[test]
    fn bad_parameters_are_named() {
        let cases = [
            (
                vec![("QUERY", "SELECT 1 FROM t")],
                "LANG parameter is missing",
            ),
            (vec![("LANG", "SQL"), ("QUERY", "x")], "LANG=SQL"),
            (vec![("LANG", "ADQL")], "QUERY parameter is missing"),
            (
                vec![("LANG", "ADQL"), ("QUERY", "x"), ("MAXREC", "-1")],
                "MAXREC=-1",
            ),
            (
                vec![
                    ("LANG", "ADQL"),
                    ("QUERY", "x"),
                    ("REQUEST", "getCapabilities"),
                ],
                "REQUEST=getCapabilities",
            ),
            (
                vec![
                    ("LANG", "ADQL"),
                    ("QUERY", "x"),
                    ("RESPONSEFORMAT", "image/gif"),
                ],
                "image/gif",
            ),
            (
                vec![("LANG", "ADQL"), ("QUERY", "x"), ("UPLOAD", "t,ftp://h/x")],
                "ftp://h/x",
            ),
        ];
        for (pairs, expected) in cases {
            let err = TapRequest::from_params(&params(&pairs)).unwrap_err();
            assert!(err.to_string().contains(expected), "{err} lacks {expected}");
        }
    }

    #[test]
    fn uploads_list_several_tables() {
        let request = TapRequest::from_params(&params(&[
            ("LANG", "ADQL"),
            ("QUERY", "SELECT 1 FROM t"),
            ("UPLOAD", "mine,param:f1;theirs,https://example.org/t.xml"),
        ]))
        .unwrap();
        assert_eq!(
            request.uploads,
            vec![
                UploadSpec {
                    table: "mine".into(),
                    source: UploadSource::Part("f1".into())
                },
                UploadSpec {
                    table: "theirs".into(),
                    source: UploadSource::Url("https://example.org/t.xml".into())
                },
            ]
        );
    }
}
