//! Job parameters: names (case-insensitive, stored lower-case) with possibly repeated values,
//! some of which are files uploaded inline in a multipart POST (UWS 1.1 §2.2.3.1.1).

use serde::{Deserialize, Serialize};

/// The value of one parameter occurrence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ParamValue {
    Text(String),
    /// A file part of a multipart POST, stored under the job's uploads directory.
    Upload(Upload),
}

/// A file uploaded inline with a job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Upload {
    /// File name under the job's uploads directory (chosen by the engine, never the client).
    pub stored_as: String,
    /// The file name the client gave, if any.
    pub client_file_name: Option<String>,
    /// The content type the client gave, if any.
    pub content_type: Option<String>,
    pub size: u64,
}

/// Parameters in the order they were given; a name may repeat.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Parameters {
    entries: Vec<(String, ParamValue)>,
}

impl Parameters {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one occurrence; the name is lower-cased (DALI 1.1 §3: names are case-insensitive).
    pub fn push(&mut self, name: &str, value: ParamValue) {
        self.entries.push((name.to_ascii_lowercase(), value));
    }

    pub fn push_text(&mut self, name: &str, value: &str) {
        self.push(name, ParamValue::Text(value.to_owned()));
    }

    /// Every occurrence, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &ParamValue)> {
        self.entries.iter().map(|(n, v)| (n.as_str(), v))
    }

    /// Every value given for `name` (any case).
    pub fn values(&self, name: &str) -> impl Iterator<Item = &ParamValue> {
        let name = name.to_ascii_lowercase();
        self.entries
            .iter()
            .filter(move |(n, _)| *n == name)
            .map(|(_, v)| v)
    }

    /// The first text value given for `name` (any case).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.values(name).find_map(|v| match v {
            ParamValue::Text(t) => Some(t.as_str()),
            ParamValue::Upload(_) => None,
        })
    }

    /// The upload given as `name` (any case).
    pub fn upload(&self, name: &str) -> Option<&Upload> {
        self.values(name).find_map(|v| match v {
            ParamValue::Upload(u) => Some(u),
            ParamValue::Text(_) => None,
        })
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Takes out every occurrence of `name` (any case), returning the values.
    pub fn remove(&mut self, name: &str) -> Vec<ParamValue> {
        let (taken, kept) = std::mem::take(&mut self.entries)
            .into_iter()
            .partition(|(n, _)| n.eq_ignore_ascii_case(name));
        self.entries = kept;
        taken.into_iter().map(|(_, v)| v).collect()
    }

    /// Replaces the values of every name present in `update` by its values there; other
    /// names are kept. Returns the values replaced.
    pub fn update(&mut self, update: Parameters) -> Vec<ParamValue> {
        let mut replaced = Vec::new();
        let mut seen: Vec<String> = Vec::new();
        for (name, _) in &update.entries {
            if !seen.contains(name) {
                replaced.extend(self.remove(name));
                seen.push(name.clone());
            }
        }
        self.entries.extend(update.entries);
        replaced
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_case_insensitive_and_values_repeat() {
        let mut p = Parameters::new();
        p.push_text("QUERY", "SELECT 1");
        p.push_text("Upload", "a,param:a");
        p.push_text("upload", "b,param:b");
        assert_eq!(p.get("query"), Some("SELECT 1"));
        assert_eq!(p.get("Query"), Some("SELECT 1"));
        assert_eq!(p.values("UPLOAD").count(), 2);
        assert_eq!(p.iter().next().map(|(n, _)| n), Some("query"));
    }

    #[test]
    fn update_replaces_every_value_of_the_names_given() {
        let mut p = Parameters::new();
        p.push_text("query", "SELECT 1");
        p.push_text("upload", "a,param:a");
        p.push_text("upload", "b,param:b");
        let mut u = Parameters::new();
        u.push_text("UPLOAD", "c,param:c");
        u.push_text("maxrec", "10");
        let replaced = p.update(u);
        assert_eq!(replaced.len(), 2);
        assert_eq!(p.get("upload"), Some("c,param:c"));
        assert_eq!(p.values("upload").count(), 1);
        assert_eq!(p.get("maxrec"), Some("10"));
        assert_eq!(p.get("query"), Some("SELECT 1"));
    }
}
