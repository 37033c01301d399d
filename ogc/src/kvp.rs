//! Key-value-pair request parameters, with case-insensitive names.
//!
//! WMS 1.3.0 §6.8.1 and OWS Common §11.5.2: parameter names are case-insensitive, values are not.

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
            .map(|(k, v)| (k.into().to_ascii_uppercase(), v.into()))
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
}
