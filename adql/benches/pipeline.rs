//! Parse + check + translate of typical queries (target: under 100 µs each).

#[path = "../tests/common/catalogue.rs"]
mod catalogue;

use adql::TranslateOptions;
use catalogue::catalogue;
use criterion::{Criterion, criterion_group, criterion_main};

const QUERIES: &[(&str, &str)] = &[
    (
        "cone",
        "SELECT TOP 100 source_id, ra, dec, phot_g_mean_mag FROM gaia.source WHERE 1 = CONTAINS(POINT('ICRS', ra, dec), CIRCLE('ICRS', 266.4, -29.0, 0.5)) ORDER BY phot_g_mean_mag",
    ),
    (
        "crossmatch",
        "SELECT h.hip, g.source_id, DISTANCE(POINT(h.ra, h.dec), POINT(g.ra, g.dec)) AS sep FROM hip.main AS h JOIN gaia.source AS g ON DISTANCE(POINT(h.ra, h.dec), POINT(g.ra, g.dec)) < 1.0/3600 WHERE h.vmag < 6",
    ),
    (
        "aggregate",
        "SELECT ROUND(phot_g_mean_mag, 0) AS g, COUNT(*) AS n, AVG(parallax) FROM gaia.source WHERE parallax > 10 GROUP BY ROUND(phot_g_mean_mag, 0) HAVING COUNT(*) > 5 ORDER BY g",
    ),
    (
        "obscore",
        "SELECT obs_id, dataproduct_type, s_region FROM ivoa.obscore WHERE INTERSECTS(s_region, POLYGON('ICRS', 13.0, -71.6, 18.0, -71.2, 18.6, -72.8, 14.5, -73.8, 9.3, -74.2, 7.1, -73.2)) = 1 AND dataproduct_type = 'cube' ORDER BY t_min",
    ),
    (
        "star",
        "SELECT * FROM gaia.source WHERE source_id IN (SELECT source_id FROM gaia.source WHERE bp_rp > 2) OFFSET 10",
    ),
];

fn pipeline(c: &mut Criterion) {
    let schema = catalogue();
    let options = TranslateOptions {
        max_rows: Some(2000),
        ..Default::default()
    };
    for (name, adql) in QUERIES {
        // Baseline in the same run (the machine is shared): sqlparser alone, generic dialect.
        c.bench_function(&format!("baseline-sqlparser/{name}"), |b| {
            let dialect = sqlparser::dialect::GenericDialect {};
            b.iter(|| {
                sqlparser::parser::Parser::new(&dialect)
                    .try_with_sql(std::hint::black_box(adql))
                    .and_then(|mut p| p.parse_query())
                    .expect("parses")
            })
        });
        // Each stage alone, then the whole.
        c.bench_function(&format!("parse/{name}"), |b| {
            b.iter(|| adql::parse(std::hint::black_box(adql)).expect("parses"))
        });
        let query = adql::parse(adql).expect("parses");
        c.bench_function(&format!("check/{name}"), |b| {
            b.iter(|| adql::check(std::hint::black_box(&query), &schema).expect("checks"))
        });
        let checked = adql::check(&query, &schema).expect("checks");
        c.bench_function(&format!("translate/{name}"), |b| {
            b.iter(|| std::hint::black_box(&checked).translate(&options))
        });
        c.bench_function(&format!("parse+check+translate/{name}"), |b| {
            b.iter(|| {
                let query = adql::parse(std::hint::black_box(adql)).expect("parses");
                let checked = adql::check(&query, &schema).expect("checks");
                checked.translate(&options)
            })
        });
    }
}

criterion_group!(benches, pipeline);
criterion_main!(benches);
