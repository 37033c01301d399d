//! Integration tests, in one binary so that DataFusion is linked once.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod cli;
mod demo_data;
mod features;
mod jobs_crash;
mod ogc;
mod registry;
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
