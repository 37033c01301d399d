//! XML escaping and the VOTable document skeleton (everything but the rows).

use crate::document::{DocumentInfo, EndStatus, Info};
use crate::field::FieldMeta;

/// The VOTable version we write. 1.4 rather than 1.5: every client in use (astropy, STIL,
/// pyvo) reads 1.4, and 1.5 adds nothing we write (COOSYS refposition).
pub(crate) const VOTABLE_OPEN: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8"?>"#,
    "\n",
    r#"<VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3" "#,
    r#"xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" "#,
    r#"xsi:schemaLocation="http://www.ivoa.net/xml/VOTable/v1.3 "#,
    r#"http://www.ivoa.net/xml/VOTable/VOTable-1.4.xsd">"#,
    "\n"
);

/// Appends `text` escaped for XML character data or a double-quoted attribute.
///
/// Characters XML 1.0 forbids (C0 controls other than tab, LF, CR; U+FFFE, U+FFFF) cannot
/// appear even as character references, so they are replaced by U+FFFD: refusing them would
/// fail a whole result over one stray byte, and the replacement keeps the loss visible.
/// Tab, LF and CR are written as character references so that neither attribute-value
/// normalization nor line-end normalization changes them on reading.
pub(crate) fn push_escaped(out: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    if !bytes.iter().any(|&b| needs_escape(b)) && !text.contains(['\u{FFFE}', '\u{FFFF}']) {
        out.extend_from_slice(bytes);
        return;
    }
    for c in text.chars() {
        match c {
            '&' => out.extend_from_slice(b"&amp;"),
            '<' => out.extend_from_slice(b"&lt;"),
            '>' => out.extend_from_slice(b"&gt;"),
            '"' => out.extend_from_slice(b"&quot;"),
            '\t' => out.extend_from_slice(b"&#9;"),
            '\n' => out.extend_from_slice(b"&#10;"),
            '\r' => out.extend_from_slice(b"&#13;"),
            '\u{0}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}' => {
                out.extend_from_slice("\u{FFFD}".as_bytes())
            }
            c => {
                let mut b = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut b).as_bytes());
            }
        }
    }
}

#[inline]
fn needs_escape(b: u8) -> bool {
    matches!(b, b'&' | b'<' | b'>' | b'"') || b < 0x20
}

fn push_attr(out: &mut Vec<u8>, name: &str, value: Option<&str>) {
    if let Some(v) = value {
        out.push(b' ');
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(b"=\"");
        push_escaped(out, v);
        out.push(b'"');
    }
}

fn push_description(out: &mut Vec<u8>, indent: &str, text: Option<&str>) {
    if let Some(d) = text {
        out.extend_from_slice(indent.as_bytes());
        out.extend_from_slice(b"<DESCRIPTION>");
        push_escaped(out, d);
        out.extend_from_slice(b"</DESCRIPTION>\n");
    }
}

/// Appends an INFO element.
pub(crate) fn push_info(out: &mut Vec<u8>, info: &Info) {
    out.extend_from_slice(b"<INFO");
    push_attr(out, "name", Some(&info.name));
    push_attr(out, "value", Some(&info.value));
    match &info.content {
        Some(c) => {
            out.push(b'>');
            push_escaped(out, c);
            out.extend_from_slice(b"</INFO>\n");
        }
        None => out.extend_from_slice(b"/>\n"),
    }
}

/// The QUERY_STATUS INFO for a status (DALI 1.1 §4.4).
pub(crate) fn status_info(end: &EndStatus) -> Info {
    Info {
        name: "QUERY_STATUS".into(),
        value: end.query_status().into(),
        content: match end {
            EndStatus::Error(m) => Some(m.clone()),
            _ => None,
        },
    }
}

/// Appends the document from the XML declaration to the last FIELD, leaving the TABLE open.
/// `null_values` gives each field's `VALUES null` magic value, if any.
pub(crate) fn push_head(
    out: &mut Vec<u8>,
    fields: &[FieldMeta],
    null_values: &[Option<i64>],
    doc: &DocumentInfo,
    status: &EndStatus,
) {
    out.extend_from_slice(VOTABLE_OPEN.as_bytes());
    out.extend_from_slice(b"<RESOURCE type=\"results\"");
    push_attr(out, "name", doc.resource_name.as_deref());
    out.extend_from_slice(b">\n");
    push_description(out, "", doc.resource_description.as_deref());
    push_info(out, &status_info(status));
    if let Some(q) = &doc.query {
        push_info(out, &Info::new("QUERY", q.as_str()));
    }
    for info in &doc.infos {
        push_info(out, info);
    }
    out.extend_from_slice(b"<TABLE");
    push_attr(out, "name", doc.table_name.as_deref());
    out.extend_from_slice(b">\n");
    push_description(out, "", doc.table_description.as_deref());
    for (field, null) in fields.iter().zip(null_values) {
        push_field(out, field, *null);
    }
}

fn push_field(out: &mut Vec<u8>, f: &FieldMeta, null: Option<i64>) {
    out.extend_from_slice(b"<FIELD");
    push_attr(out, "name", Some(&f.name));
    push_attr(out, "ID", f.id.as_deref());
    push_attr(out, "datatype", Some(f.datatype.as_str()));
    push_attr(out, "arraysize", f.arraysize.as_deref());
    push_attr(out, "xtype", f.xtype.as_deref());
    push_attr(out, "unit", f.unit.as_deref());
    push_attr(out, "ucd", f.ucd.as_deref());
    push_attr(out, "utype", f.utype.as_deref());
    if f.description.is_none() && null.is_none() {
        out.extend_from_slice(b"/>\n");
        return;
    }
    out.extend_from_slice(b">\n");
    push_description(out, " ", f.description.as_deref());
    if let Some(n) = null {
        out.extend_from_slice(b" <VALUES null=\"");
        crate::cells::push_i64(out, n);
        out.extend_from_slice(b"\"/>\n");
    }
    out.extend_from_slice(b"</FIELD>\n");
}

/// Appends the end of the document after `</DATA>` (or after the FIELDs when there is no
/// DATA): the TABLE closes, and for OVERFLOW or ERROR a trailing QUERY_STATUS INFO follows
/// it inside the RESOURCE, where DALI 1.1 §4.4.1 puts it and the VOTable 1.4 schema allows
/// INFO after TABLE.
pub(crate) fn push_tail(out: &mut Vec<u8>, end: Option<&EndStatus>) {
    out.extend_from_slice(b"</TABLE>\n");
    if let Some(end) = end.filter(|e| **e != EndStatus::Ok) {
        push_info(out, &status_info(end));
    }
    out.extend_from_slice(b"</RESOURCE>\n</VOTABLE>\n");
}

/// Which standard's error document to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorStyle {
    /// DALI 1.1 §4.2: `INFO name="QUERY_STATUS" value="ERROR"` in the results RESOURCE.
    Dali,
    /// Simple Cone Search 1.03 §3: the DALI document with an `INFO name="Error"` first, for
    /// 1.03 clients (DALI-aware ones such as pyvo read QUERY_STATUS).
    Scs,
}

/// The error document (DALI 1.1 §4.4.2; TAP 1.1 §3.3): a results RESOURCE whose
/// QUERY_STATUS is ERROR, with the message as the INFO's content.
pub fn error_document(message: &str, style: ErrorStyle) -> String {
    let mut out = Vec::new();
    out.extend_from_slice(VOTABLE_OPEN.as_bytes());
    out.extend_from_slice(b"<RESOURCE type=\"results\">\n");
    if style == ErrorStyle::Scs {
        out.extend_from_slice(b"<INFO ID=\"Error\" name=\"Error\" value=\"");
        push_escaped(&mut out, message);
        out.extend_from_slice(b"\"/>\n");
    }
    push_info(
        &mut out,
        &status_info(&EndStatus::Error(message.to_string())),
    );
    out.extend_from_slice(b"</RESOURCE>\n</VOTABLE>\n");
    // Only UTF-8 went in: input strings and ASCII markup.
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escaped(s: &str) -> String {
        let mut v = Vec::new();
        push_escaped(&mut v, s);
        String::from_utf8(v).unwrap()
    }

    #[test]
    fn markup_and_forbidden_characters_are_escaped() {
        assert_eq!(escaped("plain"), "plain");
        assert_eq!(escaped("a<b & \"c\">"), "a&lt;b &amp; &quot;c&quot;&gt;");
        assert_eq!(escaped("t\tn\nr\r"), "t&#9;n&#10;r&#13;");
        assert_eq!(escaped("bell\u{7}nul\u{0}"), "bell\u{FFFD}nul\u{FFFD}");
        assert_eq!(escaped("x\u{FFFE}"), "x\u{FFFD}");
        assert_eq!(escaped("Λ CDM ☃"), "Λ CDM ☃");
    }

    #[test]
    fn error_document_carries_the_message() {
        let doc = error_document("bad <query> & worse", ErrorStyle::Dali);
        assert!(doc.contains(
            r#"<INFO name="QUERY_STATUS" value="ERROR">bad &lt;query&gt; &amp; worse</INFO>"#
        ));
        assert!(doc.contains(r#"<RESOURCE type="results">"#));
        assert!(doc.ends_with("</VOTABLE>\n"));
        assert!(!doc.contains(r#"name="Error""#));
    }

    #[test]
    fn the_scs_error_document_names_the_error_twice() {
        let doc = error_document("SR=\"x\" <bad>", ErrorStyle::Scs);
        assert!(
            doc.contains(concat!(
                "<RESOURCE type=\"results\">\n",
                r#"<INFO ID="Error" name="Error" value="SR=&quot;x&quot; &lt;bad&gt;"/>"#,
                "\n<INFO name=\"QUERY_STATUS\" value=\"ERROR\">"
            )),
            "{doc}"
        );
    }
}
