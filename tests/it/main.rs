//! Integration tests, in one binary so that DataFusion is linked once.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod cli;
mod demo_data;
mod epntap;
mod features;
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

/// The router over the demo configuration, with its jobs and caches in a folder of its own.
pub async fn demo_app() -> (tempfile::TempDir, axum::Router) {
    let data = tempfile::tempdir().unwrap();
    let mut config = vostok::config::Config::demo().unwrap();
    config.server.data_dir = data.path().to_owned();
    let state = vostok::server::open(config).await.unwrap();
    (data, vostok::server::router(state))
}

/// A free loopback port for a server started by a test.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Percent-encodes a form value.
pub fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// An answer of the in-process router: status, Content-Type and body text.
pub struct Reply {
    pub status: axum::http::StatusCode,
    pub content_type: String,
    pub body: String,
    pub bytes: Vec<u8>,
}

/// GETs `uri` (path and query string) from `app`.
pub async fn http_get(app: &axum::Router, uri: &str) -> Reply {
    use tower::ServiceExt;
    let request = axum::http::Request::get(uri)
        .body(axum::body::Body::empty())
        .unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    let content_type = response
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let status = response.status();
    let body = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    Reply {
        status,
        content_type,
        body: String::from_utf8_lossy(&body).into_owned(),
        bytes: body.to_vec(),
    }
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
