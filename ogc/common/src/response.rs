//! The response every OGC operation returns: status, media type, extra headers and body.

use bytes::Bytes;

/// An HTTP-free response: the server's handler copies it onto the wire.
#[derive(Debug, Clone, PartialEq)]
pub struct OgcResponse {
    pub status: u16,
    pub content_type: String,
    /// Extra headers such as ETag and Cache-Control.
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
}

impl OgcResponse {
    pub fn new(status: u16, content_type: &str, body: impl Into<Bytes>) -> Self {
        Self {
            status,
            content_type: content_type.into(),
            headers: Vec::new(),
            body: body.into(),
        }
    }

    pub fn ok(content_type: &str, body: impl Into<Bytes>) -> Self {
        Self::new(200, content_type, body)
    }

    /// A 200 `application/xml` document.
    pub fn xml(body: impl Into<Bytes>) -> Self {
        Self::ok("application/xml", body)
    }

    pub fn with_header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as text (lossy for binary bodies): for tests and logs.
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.body)
    }
}
