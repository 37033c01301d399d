//! Escaping of XML (and HTML) text and attribute values: the one escape every OGC document uses.

use std::borrow::Cow;

/// `text` with `<`, `>`, `&`, `'` and `"` escaped, borrowed when nothing needs escaping.
pub fn escape(text: &str) -> Cow<'_, str> {
    quick_xml::escape::escape(text)
}
