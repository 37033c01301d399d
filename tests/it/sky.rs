//! ADQL sky queries against brute force: every cone, distance, polygon and crossmatch query over
//! generated catalogues returns exactly the rows that plain vector geometry, written here
//! independently of the `adql` crate, selects — at the poles, across ra = 0/360 and for large
//! radii — while the HEALPix ranges skip row groups and crossmatches run as hash joins.

use std::collections::BTreeSet;
use std::fs::File;
use std::path::Path;

use datafusion::arrow::array::{Array, Float64Array, Int64Array};
use datafusion::parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use datafusion::physical_plan::{collect, displayable};
use vostok::catalog::Catalog;

use crate::{stderr, vostok};

/// A star as brute force sees it: its id and unit vector.
struct Star {
    id: i64,
    v: [f64; 3],
}

fn unit(ra: f64, dec: f64) -> [f64; 3] {
    let (ra, dec) = (ra.to_radians(), dec.to_radians());
    [dec.cos() * ra.cos(), dec.cos() * ra.sin(), dec.sin()]
}

fn dot(a: [f64; 3], b: [f64; 3]) -> f64 {
    a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
}

fn cross(a: [f64; 3], b: [f64; 3]) -> [f64; 3] {
    [
        a[1] * b[2] - a[2] * b[1],
        a[2] * b[0] - a[0] * b[2],
        a[0] * b[1] - a[1] * b[0],
    ]
}

/// Angle between two unit vectors, in degrees (atan2 form: exact for small and large angles).
fn separation(a: [f64; 3], b: [f64; 3]) -> f64 {
    let c = cross(a, b);
    dot(c, c).sqrt().atan2(dot(a, b)).to_degrees()
}

fn generate(dir: &Path, name: &str, rows: u32, seed: u32) -> Vec<Star> {
    let out = dir.join(format!("{name}.parquet"));
    let output = vostok(&[
        "gen-catalog",
        "--rows",
        &rows.to_string(),
        "--seed",
        &seed.to_string(),
        "--row-group-rows",
        "4096",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let reader = ParquetRecordBatchReaderBuilder::try_new(File::open(&out).unwrap())
        .unwrap()
        .build()
        .unwrap();
    let mut stars = Vec::new();
    for batch in reader {
        let batch = batch.unwrap();
        let column = |name: &str| batch.column(batch.schema().index_of(name).unwrap()).clone();
        let ids = column("source_id");
        let ids = ids.as_any().downcast_ref::<Int64Array>().unwrap();
        let ra = column("ra");
        let ra = ra.as_any().downcast_ref::<Float64Array>().unwrap();
        let dec = column("dec");
        let dec = dec.as_any().downcast_ref::<Float64Array>().unwrap();
        for i in 0..batch.num_rows() {
            stars.push(Star {
                id: ids.value(i),
                v: unit(ra.value(i), dec.value(i)),
            });
        }
    }
    stars
}

async fn catalog(dir: &Path, tables: &[&str]) -> Catalog {
    let mut text = String::from("[server]\ndata_dir = \"var\"\n");
    for name in tables {
        text += &format!(
            "[schemas.bench.tables.{name}]\npath = \"{name}.parquet\"\nposition = {{ ra = \"ra\", dec = \"dec\" }}\n"
        );
    }
    let config = vostok::config::Config::parse(&text, "test", dir.to_owned()).unwrap();
    vostok::catalog::open_catalog(&config).await.unwrap()
}

/// Runs `adql`; returns the rows' first two int64 columns (the second 0 when absent), the
/// plan as text and the (read, total) row groups of the Parquet scans.
async fn run(catalog: &Catalog, adql: &str) -> (Vec<(i64, i64)>, String, (usize, usize)) {
    let prepared = vostok::query::adql::prepare(catalog, adql, adql::Version::V2_1, &[], None)
        .await
        .unwrap_or_else(|e| panic!("{adql}: {e}"));
    let plan = prepared.frame.create_physical_plan().await.unwrap();
    let batches = collect(plan.clone(), catalog.context().task_ctx())
        .await
        .unwrap();
    let mut rows = Vec::new();
    for batch in &batches {
        let first = batch
            .column(0)
            .as_any()
            .downcast_ref::<Int64Array>()
            .unwrap();
        let second = (batch.num_columns() > 1).then(|| {
            batch
                .column(1)
                .as_any()
                .downcast_ref::<Int64Array>()
                .unwrap()
        });
        for i in 0..batch.num_rows() {
            rows.push((first.value(i), second.map_or(0, |s| s.value(i))));
        }
    }
    let text = displayable(plan.as_ref()).indent(false).to_string();
    (rows, text, vostok::query::metrics::row_groups_read(&plan))
}

/// Compares a query's ids with brute force's, leaving out stars within 1e-9° of the edge,
/// where the two computations may round differently.
fn assert_same(query: &str, got: &[(i64, i64)], expected: &BTreeSet<i64>, edge: &BTreeSet<i64>) {
    let got: BTreeSet<i64> = got
        .iter()
        .map(|r| r.0)
        .filter(|id| !edge.contains(id))
        .collect();
    let expected: BTreeSet<i64> = expected.difference(edge).copied().collect();
    assert!(!expected.is_empty(), "{query}: brute force selects nothing");
    let missing: Vec<_> = expected.difference(&got).take(5).collect();
    let extra: Vec<_> = got.difference(&expected).take(5).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{query}: {} rows, brute force {}; missing {missing:?}, extra {extra:?}",
        got.len(),
        expected.len()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cones_and_distances_match_brute_force_at_poles_across_ra_0_and_for_large_radii() {
    let dir = tempfile::tempdir().unwrap();
    let stars = generate(dir.path(), "stars", 200_000, 11);
    let catalog = catalog(dir.path(), &["stars"]).await;
    let cones = [
        (0.0, 0.0, 1.0),
        (359.8, -3.0, 2.0),
        (0.3, 40.0, 1.5),
        (10.0, 89.5, 3.0),
        (200.0, -89.9, 1.5),
        (123.0, 45.0, 40.0),
        (300.0, -20.0, 100.0),
        (45.0, 10.0, 180.0),
    ];
    for (ra, dec, r) in cones {
        let centre = unit(ra, dec);
        let mut inside = BTreeSet::new();
        let mut edge = BTreeSet::new();
        for star in &stars {
            let s = separation(star.v, centre);
            if (s - r).abs() < 1e-9 {
                edge.insert(star.id);
            } else if s < r {
                inside.insert(star.id);
            }
        }
        let queries = [
            format!(
                "SELECT source_id FROM bench.stars WHERE 1 = CONTAINS(POINT('ICRS', ra, dec), CIRCLE('ICRS', {ra}, {dec}, {r}))"
            ),
            format!(
                "SELECT source_id FROM bench.stars WHERE CONTAINS(POINT(ra, dec), CIRCLE({ra}, {dec}, {r})) = 1"
            ),
            format!(
                "SELECT source_id FROM bench.stars WHERE DISTANCE(POINT('ICRS', ra, dec), POINT('ICRS', {ra}, {dec})) < {r}"
            ),
            format!("SELECT source_id FROM bench.stars WHERE {r} > DISTANCE({ra}, {dec}, ra, dec)"),
        ];
        for query in &queries {
            let (rows, _, (read, total)) = run(&catalog, query).await;
            assert_same(query, &rows, &inside, &edge);
            if r <= 3.0 {
                assert!(
                    read * 4 < total,
                    "{query}: {read} of {total} row groups read; the sky index did not prune"
                );
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn polygons_match_brute_force_around_a_pole_and_across_ra_0() {
    let dir = tempfile::tempdir().unwrap();
    let stars = generate(dir.path(), "stars", 200_000, 12);
    let catalog = catalog(dir.path(), &["stars"]).await;
    // Vertices counter-clockwise as seen from outside the sphere (ADQL 2.1 §4.2.12 leaves
    // the orientation to the service; vostok takes the smaller region, which these are).
    let polygons: [&[(f64, f64)]; 3] = [
        &[(0.0, 80.0), (120.0, 80.0), (240.0, 80.0)],
        &[(358.0, -2.0), (3.0, -2.0), (3.0, 2.0), (358.0, 2.0)],
        &[(10.0, -60.0), (40.0, -55.0), (35.0, -30.0), (12.0, -35.0)],
    ];
    for vertices in polygons {
        let v: Vec<[f64; 3]> = vertices.iter().map(|&(ra, dec)| unit(ra, dec)).collect();
        let normals: Vec<[f64; 3]> = (0..v.len())
            .map(|i| cross(v[i], v[(i + 1) % v.len()]))
            .collect();
        let mut inside = BTreeSet::new();
        let mut edge = BTreeSet::new();
        for star in &stars {
            let sides: Vec<f64> = normals
                .iter()
                .map(|n| dot(*n, star.v) / dot(*n, *n).sqrt())
                .collect();
            if sides.iter().any(|s| s.abs() < 1e-11) {
                edge.insert(star.id);
            } else if sides.iter().all(|s| *s > 0.0) {
                inside.insert(star.id);
            }
        }
        assert!(
            inside.len() < stars.len() / 10,
            "{vertices:?} is not the smaller region"
        );
        let list = vertices
            .iter()
            .map(|(ra, dec)| format!("{ra}, {dec}"))
            .collect::<Vec<_>>()
            .join(", ");
        let query = format!(
            "SELECT source_id FROM bench.stars WHERE 1 = CONTAINS(POINT('ICRS', ra, dec), POLYGON('ICRS', {list}))"
        );
        let (rows, _, (read, total)) = run(&catalog, &query).await;
        assert_same(&query, &rows, &inside, &edge);
        assert!(read < total, "{query}: every row group read");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crossmatch_is_a_hash_join_with_the_pairs_of_brute_force() {
    let dir = tempfile::tempdir().unwrap();
    let left = generate(dir.path(), "a", 50_000, 21);
    let right = generate(dir.path(), "b", 50_000, 22);
    let catalog = catalog(dir.path(), &["a", "b"]).await;
    let radius = 0.2;
    // Brute force over declination bands: every pair closer than the radius.
    let mut by_dec: Vec<(f64, &Star)> = right
        .iter()
        .map(|s| (s.v[2].asin().to_degrees(), s))
        .collect();
    by_dec.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut pairs = BTreeSet::new();
    let mut edge = BTreeSet::new();
    for a in &left {
        let dec = a.v[2].asin().to_degrees();
        let start = by_dec.partition_point(|(d, _)| *d < dec - radius - 1e-6);
        for (d, b) in &by_dec[start..] {
            if *d > dec + radius + 1e-6 {
                break;
            }
            let s = separation(a.v, b.v);
            if (s - radius).abs() < 1e-9 {
                edge.insert((a.id, b.id));
            } else if s < radius {
                pairs.insert((a.id, b.id));
            }
        }
    }
    assert!(pairs.len() > 1000, "{} pairs", pairs.len());
    let query = format!(
        "SELECT a.source_id, b.source_id FROM bench.a AS a JOIN bench.b AS b \
         ON 1 = CONTAINS(POINT('ICRS', a.ra, a.dec), CIRCLE('ICRS', b.ra, b.dec, {radius}))"
    );
    let (rows, plan, _) = run(&catalog, &query).await;
    assert!(
        plan.contains("HashJoinExec") && !plan.contains("NestedLoopJoinExec"),
        "{plan}"
    );
    let unique: BTreeSet<(i64, i64)> = rows.iter().copied().collect();
    assert_eq!(unique.len(), rows.len(), "a pair comes out more than once");
    let got: BTreeSet<(i64, i64)> = unique.into_iter().filter(|p| !edge.contains(p)).collect();
    let expected: BTreeSet<(i64, i64)> = pairs.difference(&edge).copied().collect();
    assert_eq!(got.len(), expected.len(), "pairs found vs brute force");
    assert_eq!(got, expected);
}
