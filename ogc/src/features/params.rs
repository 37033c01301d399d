//! Request parameters with case-insensitive names (OWS Common 1.1 §11.5.2, WFS 2.0 §6.2.5.2):
//! names match in any case, values are kept as sent. A minimal private copy until the raster
//! side's `ogc::kvp::Kvp` is merged; the two do the same.

#[derive(Debug, Clone, Default)]
pub struct Params {
    pairs: Vec<(String, String)>,
}

impl Params {
    pub fn from_pairs(pairs: impl IntoIterator<Item = (String, String)>) -> Self {
        Self {
            pairs: pairs.into_iter().collect(),
        }
    }

    /// The first value of `name`, in any case.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The value of `name` when present and not blank.
    pub fn non_empty(&self, name: &str) -> Option<&str> {
        self.get(name).map(str::trim).filter(|v| !v.is_empty())
    }

    /// The pairs, minus those named in `without` (any case): for links that change a few.
    pub fn without(&self, without: &[&str]) -> Vec<(String, String)> {
        self.pairs
            .iter()
            .filter(|(k, _)| !without.iter().any(|w| k.eq_ignore_ascii_case(w)))
            .cloned()
            .collect()
    }
}

/// `pairs` as a percent-encoded query string.
pub fn query_string(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_in_any_case_and_links_keep_the_rest() {
        let p = Params::from_pairs([
            ("typeNames".to_owned(), "vostok:a".to_owned()),
            ("COUNT".to_owned(), "5".to_owned()),
        ]);
        assert_eq!(p.get("TYPENAMES"), Some("vostok:a"));
        assert_eq!(p.non_empty("count"), Some("5"));
        assert_eq!(query_string(&p.without(&["count"])), "typeNames=vostok%3Aa");
    }
}
