//! The committed demo tables are what `data/demo/build.sh` makes from ../shared/data today.

use std::fs::File;
use std::process::Command;

use datafusion::arrow::array::RecordBatch;
use datafusion::parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

use crate::{files_in, repo_root, shared_data};

/// The rows of a Parquet file and the `vostok.*` key-value metadata it carries.
type Content = (Vec<RecordBatch>, Option<Vec<(String, Option<String>)>>);

fn content(path: &std::path::Path) -> Content {
    let builder = ParquetRecordBatchReaderBuilder::try_new(File::open(path).unwrap()).unwrap();
    let key_values = builder
        .metadata()
        .file_metadata()
        .key_value_metadata()
        .map(|kvs| {
            kvs.iter()
                .filter(|kv| kv.key.starts_with("vostok."))
                .map(|kv| (kv.key.clone(), kv.value.clone()))
                .collect()
        });
    let batches = builder.build().unwrap().map(|b| b.unwrap()).collect();
    (batches, key_values)
}

#[test]
fn the_build_script_rebuilds_the_committed_demo_tables() {
    let shared = shared_data();
    let out = tempfile::tempdir().unwrap();
    let status = Command::new(repo_root().join("data/demo/build.sh"))
        .arg(out.path())
        .env("VOSTOK", env!("CARGO_BIN_EXE_vostok"))
        .env("VOSTOK_SHARED", shared.parent().unwrap())
        .env("RUST_LOG", "warn")
        .status()
        .unwrap();
    assert!(status.success());
    let rebuilt: Vec<_> = files_in(out.path())
        .into_iter()
        .filter(|name| name.ends_with(".parquet"))
        .collect();
    assert_eq!(rebuilt.len(), 9, "{rebuilt:?}");
    for name in rebuilt {
        let committed = repo_root().join("data/demo").join(&name);
        assert!(committed.exists(), "{name} is built but not committed");
        assert!(
            content(&out.path().join(&name)) == content(&committed),
            "{name} differs from what build.sh makes now"
        );
    }
}
