//! Sky-index benchmarks (issue 3), on catalogues written by `vostok gen-catalog`:
//! - cone r = 0.5° on 10 million rows: latency (parse, check, translate, plan, execute) and the
//!   fraction of Parquet row groups the HEALPix ranges leave to read (target < 2 %);
//! - crossmatch of 1e6 × 1e6 rows at 1″ as a HEALPix-bucketed join, against the baseline of a
//!   full scan of both tables in the same run.
//!
//! `cargo bench --bench sky`. The catalogues are generated once into `target/bench-data`
//! (VOSTOK_BENCH_ROWS overrides the 10 million).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use datafusion::physical_plan::{ExecutionPlan, collect};
use vostok::config::Config;
use vostok::query::adql::prepare;

fn bench_data() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    std::fs::create_dir_all(&dir).expect("bench data folder");
    dir
}

/// `rows` generated stars with `seed`, written once and reused by later runs.
fn generated(name: &str, rows: u64, seed: u64) -> PathBuf {
    let path = bench_data().join(format!("{name}-{rows}-{seed}.parquet"));
    if !path.exists() {
        let status = Command::new(env!("CARGO_BIN_EXE_vostok"))
            .args(["gen-catalog", "--rows", &rows.to_string(), "--seed"])
            .arg(seed.to_string())
            .arg("--out")
            .arg(&path)
            .status()
            .expect("vostok gen-catalog runs");
        assert!(status.success(), "gen-catalog failed");
    }
    path
}

fn config(tables: &[(&str, &Path)]) -> Config {
    let mut text = String::from("[server]\ndata_dir = \"var\"\n");
    for (name, path) in tables {
        text += &format!(
            "[schemas.bench.tables.{name}]\npath = \"{}\"\nposition = {{ ra = \"ra\", dec = \"dec\" }}\n",
            path.display()
        );
    }
    Config::parse(&text, "bench", bench_data()).expect("bench configuration")
}

async fn run(catalog: &vostok::catalog::Catalog, adql: &str) -> (usize, Arc<dyn ExecutionPlan>) {
    let prepared = prepare(catalog, adql, adql::Version::V2_1, &[], None)
        .await
        .expect("query prepares");
    let plan = prepared
        .frame
        .create_physical_plan()
        .await
        .expect("physical plan");
    let batches = collect(plan.clone(), catalog.context().task_ctx())
        .await
        .expect("query runs");
    (batches.iter().map(|b| b.num_rows()).sum(), plan)
}

/// Cone centres spread over the sky, poles and ra = 0 included.
fn centres() -> Vec<(f64, f64)> {
    let mut centres = vec![(0.0, 0.0), (359.9, 10.0), (12.0, 89.8), (200.0, -89.9)];
    let golden = 137.507_764_050_037_85_f64;
    for i in 0..60 {
        let z = 1.0 - 2.0 * (f64::from(i) + 0.5) / 60.0;
        centres.push(((f64::from(i) * golden) % 360.0, z.asin().to_degrees()));
    }
    centres
}

fn cone(c: &mut Criterion) {
    let rows = std::env::var("VOSTOK_BENCH_ROWS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(10_000_000);
    let stars = generated("stars", rows, 1);
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let catalog = runtime
        .block_on(vostok::catalog::open_catalog(&config(&[("stars", &stars)])))
        .expect("catalogue opens");
    let query = |(ra, dec): (f64, f64)| {
        format!(
            "SELECT source_id, ra, dec, mag_g FROM bench.stars \
             WHERE 1 = CONTAINS(POINT('ICRS', ra, dec), CIRCLE('ICRS', {ra}, {dec}, 0.5))"
        )
    };
    let (mut read, mut total, mut found) = (0, 0, 0);
    for centre in centres() {
        let (n, plan) = runtime.block_on(run(&catalog, &query(centre)));
        let (m, t) = vostok::query::metrics::row_groups_read(&plan);
        read += m;
        total += t;
        found += n;
    }
    assert!(total > 0, "the plans report no row-group pruning metrics");
    let cones = centres().len();
    println!(
        "cone r=0.5° over {rows} rows, {cones} centres: {:.2} % of row groups read \
         ({read} of {total}), {:.0} rows per cone",
        100.0 * read as f64 / total as f64,
        found as f64 / cones as f64
    );
    let mut centres = centres().into_iter().cycle();
    c.bench_function(&format!("cone r=0.5 deg, {rows} rows"), |b| {
        b.iter(|| runtime.block_on(run(&catalog, &query(centres.next().unwrap_or((0.0, 0.0))))))
    });
}

fn crossmatch(c: &mut Criterion) {
    let left = generated("left", 1_000_000, 2);
    let right = generated("right", 1_000_000, 3);
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let catalog = runtime
        .block_on(vostok::catalog::open_catalog(&config(&[
            ("l", &left),
            ("r", &right),
        ])))
        .expect("catalogue opens");
    let join = "SELECT COUNT(*) FROM bench.l AS a JOIN bench.r AS b \
                ON 1 = CONTAINS(POINT('ICRS', a.ra, a.dec), CIRCLE('ICRS', b.ra, b.dec, 1.0/3600))";
    let scan = "SELECT COUNT(*), SUM(ra), SUM(dec) FROM bench.l UNION ALL \
                SELECT COUNT(*), SUM(ra), SUM(dec) FROM bench.r";
    let mut group = c.benchmark_group("crossmatch 1e6 x 1e6 at 1 arcsec");
    group.sample_size(10);
    group.bench_function("bucketed join", |b| {
        b.iter(|| runtime.block_on(run(&catalog, join)))
    });
    group.bench_function("baseline: full scan of both tables", |b| {
        b.iter(|| runtime.block_on(run(&catalog, scan)))
    });
    group.finish();
}

criterion_group!(benches, cone, crossmatch);
criterion_main!(benches);
