//! An OAI-PMH request read from its arguments (OAI-PMH 2.0 §3.1.1, §4): which verb, with which
//! arguments, or the error the protocol prescribes for a malformed one.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

use super::{ErrorCode, OaiError};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    Identify,
    ListMetadataFormats {
        identifier: Option<String>,
    },
    ListSets {
        resumption_token: Option<String>,
    },
    GetRecord {
        identifier: String,
        metadata_prefix: String,
    },
    /// ListIdentifiers (`records == false`) or ListRecords.
    List {
        records: bool,
        selection: ListSelection,
    },
}

/// What a list request asks for: either fresh arguments or a resumption token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListSelection {
    Arguments(ListArguments),
    Resume(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListArguments {
    pub metadata_prefix: String,
    /// Inclusive bounds (OAI-PMH 2.0 §3.3.1).
    pub from: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    pub set: Option<String>,
}

/// The granularities a date argument may have (we support seconds, OAI-PMH 2.0 §3.3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Granularity {
    Day,
    Seconds,
}

impl Request {
    /// Reads a request from its (decoded) arguments, in the order they came.
    pub fn parse(arguments: &[(String, String)]) -> Result<Self, OaiError> {
        let verbs: Vec<&str> = arguments
            .iter()
            .filter(|(k, _)| k == "verb")
            .map(|(_, v)| v.as_str())
            .collect();
        let verb = match verbs.as_slice() {
            [verb] => *verb,
            [] => {
                return Err(OaiError::new(
                    ErrorCode::BadVerb,
                    "the verb argument is missing",
                ));
            }
            _ => {
                return Err(OaiError::new(
                    ErrorCode::BadVerb,
                    "the verb argument is repeated",
                ));
            }
        };
        let allowed: &[&str] = match verb {
            "Identify" => &[],
            "ListMetadataFormats" => &["identifier"],
            "ListSets" => &["resumptionToken"],
            "GetRecord" => &["identifier", "metadataPrefix"],
            "ListIdentifiers" | "ListRecords" => {
                &["metadataPrefix", "from", "until", "set", "resumptionToken"]
            }
            other => {
                return Err(OaiError::new(
                    ErrorCode::BadVerb,
                    format!("`{other}` is not an OAI-PMH verb"),
                ));
            }
        };
        let args = Arguments::new(arguments, allowed)?;
        match verb {
            "Identify" => Ok(Request::Identify),
            "ListMetadataFormats" => Ok(Request::ListMetadataFormats {
                identifier: args.get("identifier"),
            }),
            "ListSets" => Ok(Request::ListSets {
                resumption_token: args.get("resumptionToken"),
            }),
            "GetRecord" => Ok(Request::GetRecord {
                identifier: args.required("identifier")?,
                metadata_prefix: args.prefix()?,
            }),
            _ => Ok(Request::List {
                records: verb == "ListRecords",
                selection: list_selection(&args)?,
            }),
        }
    }
}

fn list_selection(args: &Arguments) -> Result<ListSelection, OaiError> {
    if let Some(token) = args.get("resumptionToken") {
        // §3.5: the resumption token is an exclusive argument.
        if args.count() > 1 {
            return Err(OaiError::new(
                ErrorCode::BadArgument,
                "resumptionToken is exclusive: no other argument may come with it",
            ));
        }
        return Ok(ListSelection::Resume(token));
    }
    let from = args
        .get("from")
        .map(|v| parse_date(&v, false))
        .transpose()?;
    let until = args
        .get("until")
        .map(|v| parse_date(&v, true))
        .transpose()?;
    if let (Some((from, from_granularity)), Some((until, until_granularity))) = (from, until) {
        if from_granularity != until_granularity {
            return Err(OaiError::new(
                ErrorCode::BadArgument,
                "from and until must have the same granularity (OAI-PMH 2.0 §3.3.1)",
            ));
        }
        if from > until {
            return Err(OaiError::new(
                ErrorCode::BadArgument,
                "from is later than until (OAI-PMH 2.0 §3.3.1)",
            ));
        }
    }
    let set = args.get("set");
    if let Some(set) = &set
        && !set.split(':').all(is_spec_part)
    {
        return Err(OaiError::new(
            ErrorCode::BadArgument,
            format!("`{set}` is not a setSpec"),
        ));
    }
    Ok(ListSelection::Arguments(ListArguments {
        metadata_prefix: args.prefix()?,
        from: from.map(|(d, _)| d),
        until: until.map(|(d, _)| d),
        set,
    }))
}

/// A UTCdatetime argument, at day or second granularity (OAI-PMH 2.0 §3.3.1). A day as `until` means its
/// last second, so that the bound stays inclusive.
fn parse_date(value: &str, end_of_day: bool) -> Result<(DateTime<Utc>, Granularity), OaiError> {
    if let Ok(dt) = NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M:%SZ")
        && value.len() == 20
    {
        return Ok((dt.and_utc(), Granularity::Seconds));
    }
    if value.len() == 10
        && let Ok(day) = NaiveDate::parse_from_str(value, "%Y-%m-%d")
    {
        let time = if end_of_day {
            day.and_hms_opt(23, 59, 59)
        } else {
            day.and_hms_opt(0, 0, 0)
        };
        if let Some(time) = time {
            return Ok((time.and_utc(), Granularity::Day));
        }
    }
    Err(OaiError::new(
        ErrorCode::BadArgument,
        format!("`{value}` is not a date as YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ"),
    ))
}

/// The characters OAI-PMH.xsd allows in a metadataPrefix and in each part of a setSpec.
fn is_spec_part(text: &str) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.!~*'()".contains(c))
}

/// The arguments other than the verb, each at most once and each one the verb accepts.
struct Arguments<'a> {
    values: Vec<(&'a str, &'a str)>,
}

impl<'a> Arguments<'a> {
    fn new(arguments: &'a [(String, String)], allowed: &[&str]) -> Result<Self, OaiError> {
        let mut values: Vec<(&str, &str)> = Vec::new();
        for (key, value) in arguments.iter().filter(|(k, _)| k != "verb") {
            if !allowed.contains(&key.as_str()) {
                return Err(OaiError::new(
                    ErrorCode::BadArgument,
                    format!("`{key}` is not an argument of this verb"),
                ));
            }
            if values.iter().any(|(k, _)| k == key) {
                return Err(OaiError::new(
                    ErrorCode::BadArgument,
                    format!("`{key}` is repeated"),
                ));
            }
            values.push((key, value));
        }
        Ok(Self { values })
    }

    fn get(&self, key: &str) -> Option<String> {
        self.values
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| (*v).to_owned())
    }

    fn required(&self, key: &str) -> Result<String, OaiError> {
        self.get(key).ok_or_else(|| {
            OaiError::new(
                ErrorCode::BadArgument,
                format!("the required argument `{key}` is missing"),
            )
        })
    }

    /// The metadataPrefix, which must have the syntax of OAI-PMH.xsd's `metadataPrefixType`
    /// (the response echoes it, and must stay valid).
    fn prefix(&self) -> Result<String, OaiError> {
        let prefix = self.required("metadataPrefix")?;
        if is_spec_part(&prefix) {
            Ok(prefix)
        } else {
            Err(OaiError::new(
                ErrorCode::BadArgument,
                format!("`{prefix}` is not a metadataPrefix"),
            ))
        }
    }

    fn count(&self) -> usize {
        self.values.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(query: &[(&str, &str)]) -> Result<Request, OaiError> {
        let args: Vec<(String, String)> = query
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Request::parse(&args)
    }

    fn code(query: &[(&str, &str)]) -> ErrorCode {
        parse(query).unwrap_err().code
    }

    #[test]
    fn verbs_missing_repeated_or_unknown_are_bad_verbs() {
        assert_eq!(code(&[]), ErrorCode::BadVerb);
        assert_eq!(
            code(&[("verb", "Identify"), ("verb", "Identify")]),
            ErrorCode::BadVerb
        );
        assert_eq!(code(&[("verb", "Explode")]), ErrorCode::BadVerb);
    }

    #[test]
    fn arguments_unknown_repeated_or_missing_are_bad_arguments() {
        assert_eq!(
            code(&[("verb", "Identify"), ("x", "1")]),
            ErrorCode::BadArgument
        );
        assert_eq!(
            code(&[("verb", "GetRecord"), ("identifier", "ivo://a")]),
            ErrorCode::BadArgument
        );
        assert_eq!(
            code(&[
                ("verb", "ListMetadataFormats"),
                ("identifier", "a"),
                ("identifier", "b")
            ]),
            ErrorCode::BadArgument
        );
        assert_eq!(code(&[("verb", "ListRecords")]), ErrorCode::BadArgument);
        assert_eq!(
            code(&[("verb", "ListRecords"), ("metadataPrefix", "")]),
            ErrorCode::BadArgument
        );
        assert_eq!(
            code(&[
                ("verb", "ListRecords"),
                ("metadataPrefix", "ivo_vor"),
                ("set", "a b")
            ]),
            ErrorCode::BadArgument
        );
        assert_eq!(
            code(&[
                ("verb", "ListRecords"),
                ("resumptionToken", "t"),
                ("metadataPrefix", "ivo_vor")
            ]),
            ErrorCode::BadArgument
        );
    }

    #[test]
    fn dates_need_one_supported_granularity_and_order() {
        let list = |from: &str, until: &str| {
            parse(&[
                ("verb", "ListIdentifiers"),
                ("metadataPrefix", "ivo_vor"),
                ("from", from),
                ("until", until),
            ])
        };
        assert!(list("2026-01-01", "2026-01-02").is_ok());
        assert!(list("2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z").is_ok());
        assert_eq!(
            list("2026-01-01", "2026-01-01T00:00:00Z").unwrap_err().code,
            ErrorCode::BadArgument
        );
        assert_eq!(
            list("2026-01-02", "2026-01-01").unwrap_err().code,
            ErrorCode::BadArgument
        );
        assert_eq!(
            list("2026-13-01", "2026-12-01").unwrap_err().code,
            ErrorCode::BadArgument
        );
        assert_eq!(
            list("2026-01-01T00:00:00.5Z", "2026-01-02T00:00:00Z")
                .unwrap_err()
                .code,
            ErrorCode::BadArgument
        );
    }

    #[test]
    fn a_day_as_until_includes_the_whole_day() {
        let Ok(Request::List {
            selection: ListSelection::Arguments(args),
            ..
        }) = parse(&[
            ("verb", "ListRecords"),
            ("metadataPrefix", "ivo_vor"),
            ("until", "2026-03-04"),
        ])
        else {
            panic!("not a list request");
        };
        assert_eq!(
            args.until.unwrap().format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            "2026-03-04T23:59:59Z"
        );
    }
}
