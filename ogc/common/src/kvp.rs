//! Key-value-pair request parameters, with case-insensitive names.
//!
//! WMS 1.3.0 §6.8.1, OWS Common 1.1 §11.5.2 and WFS 2.0 §6.2.5.2: parameter names are
//! case-insensitive, values are not. Names are kept as sent, so links that repeat a request
//! (OGC API – Features paging) spell them as the client did.

/// Parameters of one request. The first occurrence of a repeated name wins.
#[derive(Debug, Clone, Default)]
pub struct Kvp {
    pairs: Vec<(String, String)>,
}

impl Kvp {
    /// Parses a raw (percent-encoded) query string, `a=1&b=2`.
    pub fn from_query(query: &str) -> Self {
        Self::from_pairs(form_urlencoded::parse(query.as_bytes()).into_owned())
    }

    pub fn from_pairs<K: Into<String>, V: Into<String>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        let pairs = pairs
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        Self { pairs }
    }

    /// The value of `name` (any case), if present.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// All values of a repeatable parameter such as WCS 2.0 `SUBSET`.
    pub fn get_all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.pairs
            .iter()
            .filter(move |(k, _)| k.eq_ignore_ascii_case(name))
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
    fn names_are_case_insensitive_and_values_decoded() {
        let kvp =
            Kvp::from_query("service=WMS&Request=GetMap&layers=a%2Cb&STYLES=&bbox=0,-90,180,90");
        assert_eq!(kvp.get("SERVICE"), Some("WMS"));
        assert_eq!(kvp.get("request"), Some("GetMap"));
        assert_eq!(kvp.get("LAYERS"), Some("a,b"));
        assert_eq!(kvp.get("styles"), Some(""));
        assert_eq!(kvp.non_empty("styles"), None);
        assert_eq!(kvp.get("missing"), None);
    }

    #[test]
    fn repeated_parameters_are_all_kept() {
        let kvp = Kvp::from_query("SUBSET=Lat(0,10)&subset=Long(20,30)");
        let all: Vec<_> = kvp.get_all("Subset").collect();
        assert_eq!(all, ["Lat(0,10)", "Long(20,30)"]);
        assert_eq!(kvp.get("SUBSET"), Some("Lat(0,10)"));
    }

    #[test]
    fn links_keep_the_other_names_as_sent() {
        let kvp = Kvp::from_pairs([("typeNames", "vostok:a"), ("COUNT", "5")]);
        assert_eq!(kvp.non_empty("count"), Some("5"));
        assert_eq!(
            query_string(&kvp.without(&["count"])),
            "typeNames=vostok%3Aa"
        );
    }
}
