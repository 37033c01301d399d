//! What a result document says besides its rows: INFOs, names, and how the result ended.

/// A VOTable INFO element (VOTable 1.4 §4.7).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Info {
    pub name: String,
    pub value: String,
    /// Text content, for a human reader.
    pub content: Option<String>,
}

impl Info {
    /// An INFO with a name and a value.
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        Info {
            name: name.into(),
            value: value.into(),
            content: None,
        }
    }
}

/// The document-level metadata of a result. The encoders write `INFO name="QUERY_STATUS"`
/// themselves; everything else here is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocumentInfo {
    pub resource_name: Option<String>,
    pub resource_description: Option<String>,
    pub table_name: Option<String>,
    pub table_description: Option<String>,
    /// The query text, written as `INFO name="QUERY"` (TAP 1.1 §4.1).
    pub query: Option<String>,
    /// Further INFOs for the results RESOURCE, after QUERY_STATUS and QUERY (e.g. request
    /// parameters, the service's name, citation hints).
    pub infos: Vec<Info>,
}

/// How a result stream ended, told to [`crate::ResultEncoder::finish`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EndStatus {
    /// Every row was written.
    Ok,
    /// MAXREC (or a service limit) truncated the result: DALI 1.1 §4.4.1 OVERFLOW.
    Overflow,
    /// The query failed after the document had begun: DALI 1.1 §4.4.2 trailing ERROR INFO.
    Error(String),
}

impl EndStatus {
    /// The QUERY_STATUS value.
    pub fn query_status(&self) -> &'static str {
        match self {
            EndStatus::Ok => "OK",
            EndStatus::Overflow => "OVERFLOW",
            EndStatus::Error(_) => "ERROR",
        }
    }
}
