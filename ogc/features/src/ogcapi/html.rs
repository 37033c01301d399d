//! The HTML representations (Part 1 §7.3 conformance class "html"): plain pages with the same
//! content and links as the JSON ones; feature pages are streamed row by row.

use std::io::{self, Write};

use crate::collection::{Feature, Value};
use crate::encode::Link;
use ogc_common::OgcResponse;
use ogc_common::xml::escape;

pub fn head(title: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>{0}</title></head>\n<body>\n<h1>{0}</h1>\n",
        escape(title)
    )
}

pub fn page(title: &str, body: &str) -> OgcResponse {
    OgcResponse::ok(
        "text/html; charset=utf-8",
        format!("{}{body}</body>\n</html>\n", head(title)),
    )
}

pub fn link_list(out: &mut String, links: &[Link]) {
    out.push_str("<h2>Links</h2>\n<ul>\n");
    for link in links {
        out.push_str(&format!(
            "<li><a href=\"{}\" rel=\"{}\" type=\"{}\">{}</a></li>\n",
            escape(&link.href),
            escape(&link.rel),
            escape(&link.media_type),
            escape(link.title.as_deref().unwrap_or(&link.rel))
        ));
    }
    out.push_str("</ul>\n");
}

fn cell(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::Bool(b) => b.to_string(),
        Value::Int(v) => v.to_string(),
        Value::Float(v) => v.to_string(),
        Value::Text(t) | Value::DateTime(t) => escape(t).into_owned(),
    }
}

/// A page of features as an HTML table, one row per feature as it comes.
pub struct HtmlItemsWriter {
    names: Vec<String>,
    /// Link to a feature's own page: `{items_url}/{id}?f=html`.
    items_url: String,
    returned: u64,
}

impl HtmlItemsWriter {
    pub fn new(names: Vec<String>, items_url: String) -> Self {
        Self {
            names,
            items_url,
            returned: 0,
        }
    }

    pub fn begin<W: Write>(&mut self, out: &mut W, title: &str) -> io::Result<()> {
        out.write_all(head(title).as_bytes())?;
        out.write_all(b"<table>\n<tr><th>id</th>")?;
        for name in &self.names {
            write!(out, "<th>{}</th>", escape(name))?;
        }
        out.write_all(b"</tr>\n")
    }

    pub fn feature<W: Write>(&mut self, out: &mut W, feature: &Feature) -> io::Result<()> {
        self.returned += 1;
        let id = cell(&feature.id);
        write!(
            out,
            "<tr><td><a href=\"{}/{}?f=html\">{id}</a></td>",
            escape(&self.items_url),
            ogc_common::kvp::encode(&id)
        )?;
        for value in &feature.values {
            write!(out, "<td>{}</td>", cell(value))?;
        }
        out.write_all(b"</tr>\n")
    }

    pub fn returned(&self) -> u64 {
        self.returned
    }

    pub fn end<W: Write>(
        &mut self,
        out: &mut W,
        matched: Option<u64>,
        links: &[Link],
    ) -> io::Result<()> {
        out.write_all(b"</table>\n")?;
        match matched {
            Some(m) => writeln!(out, "<p>{} of {m} features.</p>", self.returned)?,
            None => writeln!(out, "<p>{} features.</p>", self.returned)?,
        }
        let mut list = String::new();
        link_list(&mut list, links);
        out.write_all(list.as_bytes())?;
        out.write_all(b"</body>\n</html>\n")
    }
}
