//! XML for OGC documents: the one text escape, and a small writer over quick-xml's that builds
//! documents with the declaration, nesting, two-space indentation and the escaping of text and
//! attribute values done in one place.

use std::borrow::Cow;

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

/// `text` with `<`, `>`, `&`, `'` and `"` escaped, borrowed when nothing needs escaping.
pub fn escape(text: &str) -> Cow<'_, str> {
    quick_xml::escape::escape(text)
}

/// An XML document written into memory, element by element.
pub struct XmlWriter {
    inner: Writer<Vec<u8>>,
}

impl XmlWriter {
    /// A document opened by `<?xml version="1.0" encoding="UTF-8"?>`.
    pub fn document() -> Self {
        let mut writer = Self {
            inner: Writer::new_with_indent(Vec::new(), b' ', 2),
        };
        writer.event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)));
        writer
    }

    /// A document opened by the declaration and a newline, its elements written on one line.
    pub fn compact() -> Self {
        let mut writer = Self {
            inner: Writer::new(Vec::new()),
        };
        writer.event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)));
        writer.inner.get_mut().push(b'\n');
        writer
    }

    // Writing into a Vec<u8> cannot fail: quick-xml's io::Result is always Ok here.
    fn event(&mut self, event: Event<'_>) {
        let _ = self.inner.write_event(event);
    }

    fn element<'a>(name: &'a str, attributes: &[(&'a str, &'a str)]) -> BytesStart<'a> {
        BytesStart::new(name).with_attributes(attributes.iter().copied())
    }

    /// `<!DOCTYPE text>`, `text` written as given.
    pub fn doctype(&mut self, text: &str) -> &mut Self {
        self.event(Event::DocType(BytesText::from_escaped(text)));
        self
    }

    /// Opens `<name attributes…>`; [`XmlWriter::end`] closes it.
    pub fn start(&mut self, name: &str, attributes: &[(&str, &str)]) -> &mut Self {
        self.event(Event::Start(Self::element(name, attributes)));
        self
    }

    pub fn end(&mut self, name: &str) -> &mut Self {
        self.event(Event::End(BytesEnd::new(name)));
        self
    }

    /// `<name attributes…/>`.
    pub fn empty(&mut self, name: &str, attributes: &[(&str, &str)]) -> &mut Self {
        self.event(Event::Empty(Self::element(name, attributes)));
        self
    }

    /// `<name attributes…>text</name>` on one line.
    pub fn text(&mut self, name: &str, attributes: &[(&str, &str)], text: &str) -> &mut Self {
        self.event(Event::Start(Self::element(name, attributes)));
        self.event(Event::Text(BytesText::new(text)));
        self.event(Event::End(BytesEnd::new(name)));
        self
    }

    /// `fragment` written as given, already escaped: line breaks between elements of a compact
    /// document, or markup made elsewhere.
    pub fn raw(&mut self, fragment: &str) -> &mut Self {
        self.event(Event::Text(BytesText::from_escaped(fragment)));
        self
    }

    /// The elements `build` writes, on one line of their own at the current indentation (the
    /// documents' short groups, such as a bounding box, read better whole).
    pub fn line(&mut self, build: impl FnOnce(&mut XmlWriter)) -> &mut Self {
        let fragment = Self::fragment(build);
        let _ = self.inner.write_indent();
        self.inner.get_mut().extend_from_slice(&fragment);
        self
    }

    /// Opens `<name attributes…>` with the elements `build` writes right after it on the same
    /// line; the children written next go on lines of their own, and [`XmlWriter::end`] closes it.
    pub fn start_with_line(
        &mut self,
        name: &str,
        attributes: &[(&str, &str)],
        build: impl FnOnce(&mut XmlWriter),
    ) -> &mut Self {
        let fragment = Self::fragment(build);
        self.start(name, attributes);
        self.inner.get_mut().extend_from_slice(&fragment);
        self
    }

    /// What `build` writes, without declaration or line breaks.
    fn fragment(build: impl FnOnce(&mut XmlWriter)) -> Vec<u8> {
        let mut fragment = Self {
            inner: Writer::new(Vec::new()),
        };
        build(&mut fragment);
        fragment.inner.into_inner()
    }

    /// The document, ending with a newline.
    pub fn finish(self) -> String {
        let mut bytes = self.inner.into_inner();
        bytes.push(b'\n');
        // Only &str went in, so the bytes are UTF-8.
        String::from_utf8(bytes)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_documents_keep_their_elements_on_one_line() {
        let mut doc = XmlWriter::compact();
        doc.start("a", &[])
            .text("b", &[], "c")
            .empty("d", &[])
            .end("a");
        assert_eq!(
            doc.finish(),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a><b>c</b><d/></a>\n"
        );
    }

    #[test]
    fn raw_fragments_are_written_unescaped() {
        let mut doc = XmlWriter::compact();
        doc.start("a", &[])
            .raw("\n")
            .text("b", &[], "&")
            .raw("<c/>")
            .end("a");
        assert_eq!(
            doc.finish(),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a>\n<b>&amp;</b><c/></a>\n"
        );
    }

    #[test]
    fn lines_keep_their_elements_together_at_the_indentation() {
        let mut doc = XmlWriter::document();
        doc.start("a", &[])
            .line(|l| {
                l.start("b", &[])
                    .text("c", &[], "1 & 2")
                    .empty("d", &[])
                    .end("b");
            })
            .start_with_line("e", &[("f", "g")], |l| {
                l.text("h", &[], "i");
            })
            .text("j", &[], "k")
            .end("e")
            .end("a");
        assert_eq!(
            doc.finish(),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a>\n  <b><c>1 &amp; 2</c><d/></b>\n  \
             <e f=\"g\"><h>i</h>\n    <j>k</j>\n  </e>\n</a>\n"
        );
    }

    #[test]
    fn a_doctype_follows_the_declaration() {
        let mut doc = XmlWriter::document();
        doc.doctype("R SYSTEM \"http://example.org/r.dtd\"").text(
            "R",
            &[("version", "1")],
            "m & n",
        );
        assert_eq!(
            doc.finish(),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE R SYSTEM \
             \"http://example.org/r.dtd\">\n<R version=\"1\">m &amp; n</R>\n"
        );
    }

    #[test]
    fn documents_are_declared_indented_and_escaped() {
        let mut doc = XmlWriter::document();
        doc.start("a", &[("href", "x?b=1&c=\"2\"")])
            .text("b", &[], "1 < 2")
            .empty("c", &[("d", "e")])
            .end("a");
        assert_eq!(
            doc.finish(),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a href=\"x?b=1&amp;c=&quot;2&quot;\">\n  \
             <b>1 &lt; 2</b>\n  <c d=\"e\"/>\n</a>\n"
        );
    }
}
