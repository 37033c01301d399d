//! Error answers of the DAL services, as VOTable documents.

use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};

/// Which standard's error document to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorStyle {
    /// DALI 1.1 §4.2: `INFO name="QUERY_STATUS" value="ERROR"` in the results RESOURCE, with
    /// an HTTP error status.
    Dali,
    /// Simple Cone Search 1.03 §3: a VOTable with an `INFO name="Error"` (and, for DALI-aware
    /// clients such as pyvo, QUERY_STATUS=ERROR too), sent with HTTP 200 because 1.03 clients
    /// read the error from the document, not from the status line.
    Scs,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DalError {
    pub status: StatusCode,
    pub message: String,
    pub style: ErrorStyle,
}

impl DalError {
    /// A request the client can fix.
    pub fn bad_request(style: ErrorStyle, message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
            style,
        }
    }

    /// The server failed.
    pub fn internal(style: ErrorStyle, message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message: message.into(),
            style,
        }
    }

    /// Something asked for does not exist (an unknown table, a missing file).
    pub fn not_found(style: ErrorStyle, message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::NOT_FOUND,
            message: message.into(),
            style,
        }
    }
}

impl std::fmt::Display for DalError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DalError {}

impl IntoResponse for DalError {
    fn into_response(self) -> Response {
        if self.status.is_server_error() {
            tracing::error!("{}", self.message);
        }
        let (status, document) = match self.style {
            ErrorStyle::Dali => (self.status, formats::error_document(&self.message)),
            ErrorStyle::Scs => (StatusCode::OK, scs_error_document(&self.message)),
        };
        (
            status,
            [(CONTENT_TYPE, "application/x-votable+xml")],
            document,
        )
            .into_response()
    }
}

/// The DALI error document with SCS 1.03's `INFO name="Error"` added to its results RESOURCE.
pub fn scs_error_document(message: &str) -> String {
    let document = formats::error_document(message);
    let marker = "<RESOURCE type=\"results\">";
    let info = format!(
        "\n<INFO ID=\"Error\" name=\"Error\" value=\"{}\"/>",
        escape_attribute(message)
    );
    match document.find(marker) {
        Some(at) => {
            let end = at + marker.len();
            format!("{}{info}{}", &document[..end], &document[end..])
        }
        None => document,
    }
}

fn escape_attribute(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if (c as u32) < 0x20 => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scs_error_document_names_the_error_twice() {
        let doc = scs_error_document("SR=\"x\" <bad>");
        assert!(
            doc.contains(r#"<INFO ID="Error" name="Error" value="SR=&quot;x&quot; &lt;bad&gt;"/>"#),
            "{doc}"
        );
        assert!(doc.contains("QUERY_STATUS"), "{doc}");
    }
}
