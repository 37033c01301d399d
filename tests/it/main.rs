//! Integration tests, in one binary so that DataFusion is linked once.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod cli;
mod demo_data;
mod features;
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
    path
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
