//! A small XML writer over quick-xml's: elements with attributes, text escaped, two-space
//! indentation, one element per line.

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

pub struct XmlWriter {
    writer: Writer<Vec<u8>>,
    open: Vec<String>,
}

impl Default for XmlWriter {
    fn default() -> Self {
        Self::new()
    }
}

impl XmlWriter {
    /// Starts a document with the XML declaration.
    pub fn new() -> Self {
        let mut writer = Self {
            writer: Writer::new_with_indent(Vec::new(), b' ', 2),
            open: Vec::new(),
        };
        writer.write(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)));
        writer
    }

    /// Writing into a `Vec` cannot fail, so errors have nothing to report.
    fn write(&mut self, event: Event) {
        let _ = self.writer.write_event(event);
    }

    fn tag<'a>(name: &'a str, attributes: &[(&str, &str)]) -> BytesStart<'a> {
        let mut tag = BytesStart::new(name);
        // quick-xml escapes attribute values (tab and line ends too, so that reading keeps them).
        for attribute in attributes {
            tag.push_attribute(*attribute);
        }
        tag
    }

    /// Opens an element that will hold child elements.
    pub fn start(&mut self, name: &str, attributes: &[(&str, &str)]) {
        self.write(Event::Start(Self::tag(name, attributes)));
        self.open.push(name.to_owned());
    }

    /// Closes the innermost open element.
    pub fn end(&mut self) {
        if let Some(name) = self.open.pop() {
            self.write(Event::End(BytesEnd::new(name)));
        }
    }

    /// Writes `<name attributes>text</name>`.
    pub fn leaf(&mut self, name: &str, attributes: &[(&str, &str)], text: &str) {
        self.write(Event::Start(Self::tag(name, attributes)));
        self.write(Event::Text(BytesText::new(text)));
        self.write(Event::End(BytesEnd::new(name)));
    }

    /// Writes a text element when there is a value.
    pub fn optional(&mut self, name: &str, text: Option<&str>) {
        if let Some(text) = text {
            self.leaf(name, &[], text);
        }
    }

    /// Writes `<name attributes/>`.
    pub fn empty(&mut self, name: &str, attributes: &[(&str, &str)]) {
        self.write(Event::Empty(Self::tag(name, attributes)));
    }

    /// Closes every open element and returns the document, ending with a line end.
    pub fn finish(mut self) -> String {
        while !self.open.is_empty() {
            self.end();
        }
        let mut document = self.writer.into_inner();
        document.push(b'\n');
        // Only `&str`s went in, so the bytes are UTF-8.
        String::from_utf8(document)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_attributes_are_escaped() {
        let mut w = XmlWriter::new();
        w.start("a", &[("x", "1 < 2 & \"q\"")]);
        w.leaf("b", &[], "<tag> & more");
        w.empty("c", &[("t", "tab\tline\nend")]);
        let doc = w.finish();
        assert!(
            doc.contains(r#"<a x="1 &lt; 2 &amp; &quot;q&quot;">"#),
            "{doc}"
        );
        assert!(doc.contains("<b>&lt;tag&gt; &amp; more</b>"), "{doc}");
        // Kept as character references, so that attribute-value normalization keeps them.
        assert!(doc.contains(r#"<c t="tab&#9;line&#10;end"/>"#), "{doc}");
        assert!(doc.ends_with("</a>\n"), "{doc}");
    }

    #[test]
    fn elements_nest_two_spaces_deep_one_per_line() {
        let mut w = XmlWriter::new();
        w.start("a", &[("x", "1")]);
        w.leaf("b", &[], "text");
        w.leaf("b", &[("y", "2")], "");
        w.start("c", &[]);
        w.empty("d", &[("z", "3"), ("w", "4")]);
        w.optional("e", Some("more"));
        w.optional("f", None);
        w.end();
        w.start("g", &[]);
        let doc = w.finish();
        assert_eq!(
            doc,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <a x=\"1\">\n  <b>text</b>\n  <b y=\"2\"></b>\n  <c>\n    <d z=\"3\" w=\"4\"/>\n    \
             <e>more</e>\n  </c>\n  <g>\n  </g>\n</a>\n"
        );
    }
}
