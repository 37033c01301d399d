//! The result formats, their media types and the RESPONSEFORMAT values that select them
//! (DALI 1.1 §3.3.4 table, TAP 1.1 §2.7.1, VOTable 1.4 §8 `serialization` parameter,
//! TAPRegExt 1.0 §2.4 for the `ivo-id`s).
//!
//! FITS output (`application/fits`) is not offered: a BINTABLE header must state the row
//! count and every string column's width before the first row, so a streamed result would
//! have to be spooled whole to disk first; FITS strings are ASCII only, and variable-length
//! arrays (polygons) need a heap written after the table. VOTable BINARY2 and VOParquet carry
//! the same data without those costs.

/// A result format the encoders can write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OutputFormat {
    /// VOTable with TABLEDATA.
    VotableTabledata,
    /// VOTable with BINARY in a base64 STREAM.
    VotableBinary,
    /// VOTable with BINARY2 in a base64 STREAM: the default for `votable`, compact and with
    /// explicit nulls.
    VotableBinary2,
    /// `text/csv;header=present` (RFC 4180).
    Csv,
    /// `text/tab-separated-values`.
    Tsv,
    /// A JSON document: column metadata and rows as arrays.
    Json,
    /// Parquet carrying the VOTable metadata (IVOA Note "Parquet in the VO", VOParquet 1.0).
    Parquet,
}

impl OutputFormat {
    /// Every format, in the order the capabilities list them.
    pub const ALL: [OutputFormat; 7] = [
        OutputFormat::VotableBinary2,
        OutputFormat::VotableTabledata,
        OutputFormat::VotableBinary,
        OutputFormat::Csv,
        OutputFormat::Tsv,
        OutputFormat::Json,
        OutputFormat::Parquet,
    ];

    /// The canonical media type, as sent in Content-Type when the client asked with a short
    /// form, and as declared in TAPRegExt `outputFormat/mime`.
    pub fn mime(self) -> &'static str {
        match self {
            OutputFormat::VotableTabledata => "application/x-votable+xml;serialization=TABLEDATA",
            OutputFormat::VotableBinary => "application/x-votable+xml;serialization=BINARY",
            OutputFormat::VotableBinary2 => "application/x-votable+xml;serialization=BINARY2",
            OutputFormat::Csv => "text/csv;header=present",
            OutputFormat::Tsv => "text/tab-separated-values",
            OutputFormat::Json => "application/json",
            OutputFormat::Parquet => "application/vnd.apache.parquet",
        }
    }

    /// The other RESPONSEFORMAT values accepted for this format (TAPRegExt `alias`).
    pub fn aliases(self) -> &'static [&'static str] {
        match self {
            OutputFormat::VotableTabledata => &["votable/td", "votabletd"],
            OutputFormat::VotableBinary => &["votable/b", "votableb"],
            OutputFormat::VotableBinary2 => &[
                "votable",
                "votable/b2",
                "votableb2",
                "application/x-votable+xml",
                "text/xml",
            ],
            OutputFormat::Csv => &["csv", "text/csv"],
            OutputFormat::Tsv => &["tsv"],
            OutputFormat::Json => &["json"],
            OutputFormat::Parquet => &["parquet", "voparquet"],
        }
    }

    /// The TAPRegExt `ivo-id` for the VOTable serializations.
    pub fn ivo_id(self) -> Option<&'static str> {
        match self {
            OutputFormat::VotableTabledata => {
                Some("ivo://ivoa.net/std/TAPRegExt#output-votable-td")
            }
            OutputFormat::VotableBinary => {
                Some("ivo://ivoa.net/std/TAPRegExt#output-votable-binary")
            }
            OutputFormat::VotableBinary2 => {
                Some("ivo://ivoa.net/std/TAPRegExt#output-votable-binary2")
            }
            _ => None,
        }
    }

    /// True for the VOTable serializations.
    pub fn is_votable(self) -> bool {
        matches!(
            self,
            OutputFormat::VotableTabledata
                | OutputFormat::VotableBinary
                | OutputFormat::VotableBinary2
        )
    }

    /// The format a RESPONSEFORMAT (or FORMAT) value selects, case-insensitively; media type
    /// parameters are compared after removing white space. `None` when unsupported (including
    /// `text/csv;header=absent`, since the CSV always has a header).
    pub fn from_param(value: &str) -> Option<Self> {
        let normalized: String = value
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        let mut parts = normalized.split(';');
        let base = parts.next().unwrap_or_default();
        let mut params: Vec<(&str, &str)> = Vec::new();
        for p in parts.filter(|p| !p.is_empty()) {
            let (k, v) = p.split_once('=')?;
            params.push((k, v.trim_matches('"')));
        }
        let param = |name: &str| params.iter().find(|(k, _)| *k == name).map(|(_, v)| *v);
        // Parameters that do not change the bytes we write.
        let known = |allowed: &[&str]| params.iter().all(|(k, _)| allowed.contains(k));
        match base {
            "application/x-votable+xml" | "text/xml" => {
                if !known(&["serialization", "charset", "content"]) || !charset_ok(param("charset"))
                {
                    return None;
                }
                match param("serialization") {
                    None | Some("binary2") => Some(OutputFormat::VotableBinary2),
                    Some("tabledata") => Some(OutputFormat::VotableTabledata),
                    Some("binary") => Some(OutputFormat::VotableBinary),
                    Some(_) => None,
                }
            }
            "text/csv" => {
                let header_ok = matches!(param("header"), None | Some("present"));
                (known(&["header", "charset"]) && header_ok && charset_ok(param("charset")))
                    .then_some(OutputFormat::Csv)
            }
            "text/tab-separated-values" => {
                (known(&["charset"]) && charset_ok(param("charset"))).then_some(OutputFormat::Tsv)
            }
            "application/json" => params.is_empty().then_some(OutputFormat::Json),
            "application/vnd.apache.parquet" | "application/x-parquet" => {
                params.is_empty().then_some(OutputFormat::Parquet)
            }
            short if params.is_empty() => OutputFormat::ALL
                .into_iter()
                .find(|f| f.aliases().contains(&short)),
            _ => None,
        }
    }

    /// The Content-Type of a response to `requested`: per DALI 1.1 §3.3.4, a client that asked
    /// with a media type gets that media type back; a short form gets the canonical one.
    pub fn content_type(self, requested: &str) -> String {
        if requested.contains('/') && !requested.to_ascii_lowercase().starts_with("votable/") {
            requested.trim().to_string()
        } else {
            self.mime().to_string()
        }
    }
}

/// We only write UTF-8.
fn charset_ok(charset: Option<&str>) -> bool {
    matches!(charset, None | Some("utf-8") | Some("utf8"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn responseformat_values_select_formats() {
        let cases = [
            ("votable", Some(OutputFormat::VotableBinary2)),
            ("VOTable", Some(OutputFormat::VotableBinary2)),
            ("votable/td", Some(OutputFormat::VotableTabledata)),
            ("votable/b", Some(OutputFormat::VotableBinary)),
            ("votable/b2", Some(OutputFormat::VotableBinary2)),
            (
                "application/x-votable+xml",
                Some(OutputFormat::VotableBinary2),
            ),
            ("text/xml", Some(OutputFormat::VotableBinary2)),
            (
                "application/x-votable+xml;serialization=BINARY2",
                Some(OutputFormat::VotableBinary2),
            ),
            (
                "application/x-votable+xml; serialization=tabledata",
                Some(OutputFormat::VotableTabledata),
            ),
            (
                "application/x-votable+xml;serialization=binary",
                Some(OutputFormat::VotableBinary),
            ),
            ("application/x-votable+xml;serialization=FITS", None),
            ("csv", Some(OutputFormat::Csv)),
            ("text/csv", Some(OutputFormat::Csv)),
            ("text/csv;header=present", Some(OutputFormat::Csv)),
            ("text/csv;header=absent", None),
            ("tsv", Some(OutputFormat::Tsv)),
            ("text/tab-separated-values", Some(OutputFormat::Tsv)),
            ("json", Some(OutputFormat::Json)),
            ("application/json", Some(OutputFormat::Json)),
            ("parquet", Some(OutputFormat::Parquet)),
            (
                "application/vnd.apache.parquet",
                Some(OutputFormat::Parquet),
            ),
            ("fits", None),
            ("text/html", None),
            ("", None),
        ];
        for (value, expected) in cases {
            assert_eq!(OutputFormat::from_param(value), expected, "{value:?}");
        }
    }

    #[test]
    fn every_declared_mime_and_alias_is_accepted() {
        for f in OutputFormat::ALL {
            assert_eq!(OutputFormat::from_param(f.mime()), Some(f), "{}", f.mime());
            for a in f.aliases() {
                assert_eq!(OutputFormat::from_param(a), Some(f), "{a}");
            }
        }
    }

    #[test]
    fn content_type_echoes_requested_media_types() {
        let f = OutputFormat::VotableBinary2;
        assert_eq!(f.content_type("text/xml"), "text/xml");
        assert_eq!(f.content_type("votable"), f.mime());
        assert_eq!(f.content_type("votable/b2"), f.mime());
        assert_eq!(
            OutputFormat::Csv.content_type("csv"),
            "text/csv;header=present"
        );
    }
}
