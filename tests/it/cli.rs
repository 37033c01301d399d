//! The command line as a user runs it: real processes, real files.

use std::fs::File;

use datafusion::arrow::array::{AsArray, RecordBatch};
use datafusion::arrow::datatypes::Int64Type;
use datafusion::parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

use crate::{files_in, stderr, vostok};

#[test]
fn a_csv_with_a_short_line_names_it_and_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.csv");
    std::fs::write(&input, "id,ra,dec\n1,10.5,20\n2,11,21\n3,12\n4,13,23\n").unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let output = vostok(&[
        "ingest",
        input.to_str().unwrap(),
        "--format",
        "csv",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(!output.status.success());
    let message = stderr(&output);
    assert!(message.contains("in.csv"), "{message}");
    assert!(message.contains("line 4"), "{message}");
    assert!(files_in(&out).is_empty(), "{:?}", files_in(&out));
}

#[test]
fn a_bad_declination_late_in_a_large_csv_names_its_line_and_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("big.csv");
    let mut text = String::from("id,ra,dec\n");
    for i in 0..150_000 {
        let dec = if i == 123_456 {
            95.0
        } else {
            (i % 180) as f64 - 89.5
        };
        text.push_str(&format!("{i},{},{dec}\n", (i % 3600) as f64 / 10.0));
    }
    std::fs::write(&input, text).unwrap();
    let out = dir.path().join("big.parquet");
    let output = vostok(&[
        "ingest",
        input.to_str().unwrap(),
        "--format",
        "csv",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("line 123458, column `dec`: 95 is outside -90..90 degrees"),
        "{}",
        stderr(&output)
    );
    assert_eq!(files_in(dir.path()), ["big.csv"]);
}

#[test]
fn a_misspelt_configuration_key_is_named_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("vostok.toml");
    std::fs::write(
        &config,
        "[server]\ntitle = \"t\"\n\n[schemas.s]\ndescriptoin = \"x\"\n",
    )
    .unwrap();
    let output = vostok(&["check-config", config.to_str().unwrap()]);
    assert!(!output.status.success());
    let message = stderr(&output);
    assert!(message.contains("descriptoin"), "{message}");
    assert!(message.contains("line 5"), "{message}");
}

#[test]
fn check_config_names_a_configured_column_missing_from_the_data() {
    let dir = tempfile::tempdir().unwrap();
    let data = crate::repo_root().join("data/demo/messier.parquet");
    let config = dir.path().join("vostok.toml");
    std::fs::write(
        &config,
        format!(
            "[schemas.dso.tables.messier]\npath = {:?}\n[schemas.dso.tables.messier.columns.magnitude]\nunit = \"mag\"\n",
            data.to_str().unwrap()
        ),
    )
    .unwrap();
    let output = vostok(&["check-config", config.to_str().unwrap()]);
    assert!(!output.status.success());
    let message = stderr(&output);
    assert!(
        message.contains("`magnitude` is configured but not in the data"),
        "{message}"
    );
}

#[test]
fn check_config_refuses_raster_layers_and_feature_collections_that_serve_refuses() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "[[ogc.raster]]\nname = \"m\"\npath = \"nowhere.tif\"\n",
            "nowhere.tif",
        ),
        (
            "[ogc.features.collections.c]\ntable = \"s.missing\"\nid = \"id\"\n\
             geometry = { lon = \"lon\", lat = \"lat\" }\n",
            "s.missing",
        ),
    ];
    for (section, named) in cases {
        let config = dir.path().join("vostok.toml");
        std::fs::write(&config, section).unwrap();
        let output = vostok(&["check-config", config.to_str().unwrap()]);
        assert!(!output.status.success(), "{section} was accepted");
        let message = stderr(&output);
        assert!(message.contains(named), "{section}: {message}");
    }
}

#[test]
fn check_config_names_a_missing_file() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("vostok.toml");
    std::fs::write(
        &config,
        "[schemas.s.tables.t]\npath = \"nowhere.parquet\"\n",
    )
    .unwrap();
    let output = vostok(&["check-config", config.to_str().unwrap()]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("nowhere.parquet"),
        "{}",
        stderr(&output)
    );
}

fn read_all(path: &std::path::Path) -> Vec<RecordBatch> {
    ParquetRecordBatchReaderBuilder::try_new(File::open(path).unwrap())
        .unwrap()
        .build()
        .unwrap()
        .map(|b| b.unwrap())
        .collect()
}

#[test]
fn gen_catalog_is_deterministic_sorted_by_the_sky_index_and_keeps_int64_ids_exact() {
    let dir = tempfile::tempdir().unwrap();
    let run = |name: &str| {
        let out = dir.path().join(name);
        let output = vostok(&[
            "gen-catalog",
            "--rows",
            "20000",
            "--seed",
            "42",
            "--row-group-rows",
            "4096",
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(output.status.success(), "{}", stderr(&output));
        read_all(&out)
    };
    let first = run("a.parquet");
    assert_eq!(first, run("b.parquet"));
    let rows: usize = first.iter().map(|b| b.num_rows()).sum();
    assert_eq!(rows, 20_000);
    let schema = first[0].schema();
    let index_column = schema.index_of("_healpix").unwrap();
    let index: Vec<i64> = first
        .iter()
        .flat_map(|b| {
            b.column(index_column)
                .as_primitive::<Int64Type>()
                .values()
                .to_vec()
        })
        .collect();
    assert!(
        index.windows(2).all(|w| w[0] <= w[1]),
        "not sorted by the sky index"
    );
    let ids = first[0].column(schema.index_of("source_id").unwrap());
    assert!(
        ids.as_primitive::<Int64Type>()
            .values()
            .iter()
            .all(|&id| id > 1 << 53)
    );
    let metadata =
        ParquetRecordBatchReaderBuilder::try_new(File::open(dir.path().join("a.parquet")).unwrap())
            .unwrap()
            .metadata()
            .clone();
    assert_eq!(metadata.num_row_groups(), 5, "20000 rows in groups of 4096");
    assert!(
        dir.path().join("a.toml").exists(),
        "the configuration snippet is written"
    );
}

/// The cone, crossmatch and aggregate examples of the README answer rows on the demo data.
#[test]
fn the_readme_query_examples_answer_rows() {
    let readme = std::fs::read_to_string(crate::repo_root().join("README.md")).unwrap();
    let queries: Vec<&str> = readme
        .lines()
        .filter_map(|l| l.strip_prefix("vostok query \""))
        .filter_map(|l| l.strip_suffix('"'))
        .collect();
    assert_eq!(queries.len(), 3, "{queries:?}");
    for query in queries {
        let output = vostok(&["query", query]);
        assert!(output.status.success(), "{query}: {}", stderr(&output));
        let rows = String::from_utf8(output.stdout).unwrap().lines().count() - 1;
        assert!(rows > 0, "{query}: no rows");
    }
}
