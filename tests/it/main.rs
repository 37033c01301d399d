//! Integration tests, in one binary so that DataFusion is linked once. HTTP requests go through
//! `harness`; the helpers here run the binary, find the shared data and read VOTables.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod cli;
mod demo_data;
mod epntap;
mod features;
mod harness;
mod jobs_crash;
mod ogc;
mod registry;
mod scs;
mod sia;
mod sky;
mod tap;
mod web;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs the vostok binary that Cargo built for these tests.
pub fn vostok(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vostok"))
        .args(args)
        .env("RUST_LOG", "warn")
        .output()
        .expect("the vostok binary runs")
}

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The shared real data beside the project (`../shared/data`).
pub fn shared_data() -> PathBuf {
    let path = std::env::var_os("VOSTOK_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("../shared"))
        .join("data");
    assert!(
        path.is_dir(),
        "the shared data folder {} is missing: set VOSTOK_SHARED",
        path.display()
    );
    // Canonical, so that a schema named by path and the same schema reached through the XML
    // catalogue are one file to xmllint (otherwise it loads it twice and fails).
    path.canonicalize().unwrap()
}

/// Validates `documents` (name, text) with xmllint against `schema` (a path under
/// ../shared/schemas, or a file written beside the documents), resolving imports through the
/// shared XML catalog. xmllint missing is a failure.
pub fn xmllint(schema: &str, documents: &[(&str, &str)], extra_files: &[(&str, &str)]) {
    let schemas = shared_data().parent().unwrap().join("schemas");
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in documents.iter().chain(extra_files) {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let schema_path = if dir.path().join(schema).exists() {
        dir.path().join(schema)
    } else {
        schemas.join(schema)
    };
    let output = Command::new("xmllint")
        .arg("--nonet")
        .arg("--noout")
        .arg("--schema")
        .arg(&schema_path)
        .args(documents.iter().map(|(name, _)| dir.path().join(name)))
        .env("XML_CATALOG_FILES", schemas.join("catalog.xml"))
        .output()
        .expect("xmllint runs (Debian package libxml2-utils)");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The cells of each TABLEDATA row of a VOTable, as text.
pub fn tabledata_rows(votable: &str) -> Vec<Vec<String>> {
    votable
        .split("<TR>")
        .skip(1)
        .map(|row| {
            let row = row.split("</TR>").next().unwrap_or_default();
            row.split("<TD")
                .skip(1)
                .map(|cell| {
                    let cell = cell.split("</TD>").next().unwrap_or_default();
                    match cell.split_once('>') {
                        Some((_, text)) => text.to_owned(),
                        None => String::new(),
                    }
                })
                .collect()
        })
        .collect()
}

/// The `name` attributes of the FIELDs of a VOTable, in order.
pub fn field_names(votable: &str) -> Vec<String> {
    votable
        .split("<FIELD ")
        .skip(1)
        .filter_map(|field| {
            let start = field.find("name=\"")? + 6;
            let end = field[start..].find('"')? + start;
            Some(field[start..end].to_owned())
        })
        .collect()
}

/// The value of `attribute` in the FIELD called `name`.
pub fn field_attribute(votable: &str, name: &str, attribute: &str) -> Option<String> {
    let field = votable
        .split("<FIELD ")
        .skip(1)
        .find(|f| f.contains(&format!("name=\"{name}\"")))?;
    let field = field.split('>').next()?;
    let key = format!(" {attribute}=\"");
    let start = field.find(&key).map(|i| i + key.len()).or_else(|| {
        let key = format!("{attribute}=\"");
        field.starts_with(&key).then_some(key.len())
    })?;
    let end = field[start..].find('"')? + start;
    Some(field[start..end].to_owned())
}
