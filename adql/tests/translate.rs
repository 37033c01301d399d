//! Translated SQL text snapshots: TOP/OFFSET, functions, geometry, pruning, crossmatch.

#![allow(clippy::unwrap_used)] // a test: failures should panic

mod common;
use adql::Narrowed;
use common::{translate, translation};

/// (name, ADQL, max_rows, expected SQL)
type Case = (&'static str, &'static str, Option<u64>, &'static str);

const CASES: &[Case] = &[
    (
        "top_offset",
        "SELECT TOP 5 ra FROM cat.stars ORDER BY mag OFFSET 10",
        Some(100),
        "SELECT \"stars\".\"ra\" AS \"ra\" FROM \"cat\".\"Stars\" AS \"stars\" ORDER BY \"stars\".\"mag\" LIMIT 5 OFFSET 10",
    ),
    (
        "top_in_union_operand",
        "(SELECT TOP 2 id FROM cat.stars ORDER BY mag) UNION ALL SELECT id FROM cat.other",
        Some(1000),
        "(SELECT \"stars\".\"id\" AS \"id\" FROM \"cat\".\"Stars\" AS \"stars\" ORDER BY \"stars\".\"mag\" LIMIT 2) UNION ALL SELECT \"other\".\"id\" AS \"id\" FROM \"other\" AS \"other\" LIMIT 1000",
    ),
    (
        "functions",
        "SELECT LOG(mag), LOG10(mag), MOD(id, 3), TRUNCATE(mag, 1), ROUND(mag), CEILING(mag), RAND(5), id / 2 FROM cat.stars WHERE name ILIKE 'a%'",
        None,
        "SELECT CAST(ln(\"stars\".\"mag\") AS DOUBLE) AS \"log\", CAST(log10(\"stars\".\"mag\") AS DOUBLE) AS \"log10\", CAST((\"stars\".\"id\" % 3) AS BIGINT) AS \"mod\", CAST(trunc(\"stars\".\"mag\", 1) AS DOUBLE) AS \"truncate\", CAST(round(\"stars\".\"mag\") AS DOUBLE) AS \"round\", CAST(ceil(\"stars\".\"mag\") AS DOUBLE) AS \"ceiling\", CAST(random() AS DOUBLE) AS \"rand\", CAST(\"stars\".\"id\" / 2 AS BIGINT) AS \"expr\" FROM \"cat\".\"Stars\" AS \"stars\" WHERE \"stars\".\"name\" ILIKE 'a%'",
    ),
    (
        "geometry_values",
        "SELECT POINT(ra, dec), CIRCLE(ra, dec, 1), COORD1(pos), DISTANCE(pos, POINT(1, 2)), AREA(s_region), CENTROID(s_region) FROM cat.stars, ivoa.obscore",
        None,
        "SELECT adql_point(\"stars\".\"ra\", \"stars\".\"dec\") AS \"point\", adql_circle(\"stars\".\"ra\", \"stars\".\"dec\", 1) AS \"circle\", CAST(adql_coord1(\"stars\".\"pos\") AS DOUBLE) AS \"coord1\", CAST(adql_distance(adql_coord1(\"stars\".\"pos\"), adql_coord2(\"stars\".\"pos\"), 1, 2) AS DOUBLE) AS \"distance\", CAST(adql_area(\"obscore\".\"s_region\") AS DOUBLE) AS \"area\", adql_centroid(\"obscore\".\"s_region\") AS \"centroid\" FROM \"cat\".\"Stars\" AS \"stars\", \"ivoa\".\"obscore\" AS \"obscore\"",
    ),
    (
        "contains_flattened",
        "SELECT id FROM cat.stars WHERE CONTAINS(POINT(ra, dec), POLYGON(10, 10, 12, 10, 11, 12)) = 1",
        None,
        "SELECT \"stars\".\"id\" AS \"id\" FROM \"cat\".\"Stars\" AS \"stars\" WHERE (\"stars\".\"hpx\" BETWEEN 4653016 AND 4653055 OR \"stars\".\"hpx\" BETWEEN 4696708 AND 4697067 OR \"stars\".\"hpx\" BETWEEN 5002516 AND 5004639 OR \"stars\".\"hpx\" BETWEEN 5046272 AND 5048711) AND adql_point_in_polygon(\"stars\".\"ra\", \"stars\".\"dec\", 10.0, 10.0, 12.0, 10.0, 11.0, 12.0)",
    ),
    (
        "contains_zero",
        "SELECT id FROM cat.stars WHERE 0 = CONTAINS(POINT(ra, dec), CIRCLE(10, 10, 1))",
        None,
        "SELECT \"stars\".\"id\" AS \"id\" FROM \"cat\".\"Stars\" AS \"stars\" WHERE NOT adql_point_in_circle(\"stars\".\"ra\", \"stars\".\"dec\", 10, 10, 1)",
    ),
    (
        "intersects_generic",
        "SELECT obs_id FROM ivoa.obscore WHERE INTERSECTS(s_region, CIRCLE('ICRS', 10, 20, 1)) = 1",
        None,
        "SELECT \"obscore\".\"obs_id\" AS \"obs_id\" FROM \"ivoa\".\"obscore\" AS \"obscore\" WHERE adql_intersects(\"obscore\".\"s_region\", adql_circle(10, 20, 1))",
    ),
    (
        "cone_pruned",
        "SELECT id FROM cat.stars WHERE 1 = CONTAINS(POINT('ICRS', ra, dec), CIRCLE('ICRS', 10, 20, 0.01))",
        None,
        "SELECT \"stars\".\"id\" AS \"id\" FROM \"cat\".\"Stars\" AS \"stars\" WHERE (\"stars\".\"hpx\" BETWEEN 5085024 AND 5085024 OR \"stars\".\"hpx\" BETWEEN 5085026 AND 5085026) AND adql_point_in_circle(\"stars\".\"ra\", \"stars\".\"dec\", 10, 20, 0.01)",
    ),
    (
        "distance_pruned",
        "SELECT id FROM cat.stars WHERE DISTANCE(POINT(ra, dec), POINT(0, 90)) <= 0.05",
        None,
        "SELECT \"stars\".\"id\" AS \"id\" FROM \"cat\".\"Stars\" AS \"stars\" WHERE (\"stars\".\"hpx\" BETWEEN 1048573 AND 1048575 OR \"stars\".\"hpx\" BETWEEN 2097149 AND 2097151 OR \"stars\".\"hpx\" BETWEEN 3145725 AND 3145727 OR \"stars\".\"hpx\" BETWEEN 4194301 AND 4194303) AND adql_distance(\"stars\".\"ra\", \"stars\".\"dec\", 0, 90) <= 0.05",
    ),
    (
        "crossmatch_join",
        "SELECT a.id, b.id FROM cat.stars AS a JOIN cat.other AS b ON DISTANCE(POINT(a.ra, a.dec), POINT(b.ra, b.dec)) < 0.001",
        None,
        "SELECT \"a\".\"id\" AS \"id\", \"b\".\"id\" AS \"id_2\" FROM \"cat\".\"Stars\" AS \"a\" CROSS JOIN (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8)) AS \"a_b_direction\" (\"direction\") INNER JOIN \"other\" AS \"b\" ON \"b\".\"hpx\" = adql_healpix_neighbour(10, \"a\".\"hpx\", \"a_b_direction\".\"direction\") AND (adql_distance(\"a\".\"ra\", \"a\".\"dec\", \"b\".\"ra\", \"b\".\"dec\") < 0.001)",
    ),
    (
        "crossmatch_where",
        "SELECT a.id, b.id FROM cat.stars AS a, cat.other AS b WHERE 1 = CONTAINS(POINT(a.ra, a.dec), CIRCLE(b.ra, b.dec, 0.5))",
        None,
        "SELECT \"a\".\"id\" AS \"id\", \"b\".\"id\" AS \"id_2\" FROM \"cat\".\"Stars\" AS \"a\" CROSS JOIN (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8)) AS \"a_b_direction\" (\"direction\") INNER JOIN \"other\" AS \"b\" ON (\"b\".\"hpx\" / 256) = adql_healpix_neighbour(6, (\"a\".\"hpx\" / 256), \"a_b_direction\".\"direction\") WHERE adql_point_in_circle(\"a\".\"ra\", \"a\".\"dec\", \"b\".\"ra\", \"b\".\"dec\", 0.5)",
    ),
    (
        "using_and_star",
        "SELECT * FROM cat.stars a FULL OUTER JOIN (SELECT id, mag AS m FROM cat.other) AS b USING (id)",
        None,
        "SELECT CAST(coalesce(\"a\".\"id\", \"b\".\"id\") AS BIGINT) AS \"id\", \"a\".\"ra\" AS \"ra\", \"a\".\"dec\" AS \"dec\", \"a\".\"mag\" AS \"mag\", \"a\".\"name\" AS \"name\", \"a\".\"hpx\" AS \"hpx\", \"a\".\"pos\" AS \"pos\", \"b\".\"m\" AS \"m\" FROM \"cat\".\"Stars\" AS \"a\" FULL JOIN (SELECT \"other\".\"id\" AS \"id\", \"other\".\"mag\" AS \"m\" FROM \"other\" AS \"other\") AS \"b\" ON \"a\".\"id\" = \"b\".\"id\"",
    ),
    (
        "cte_and_exists",
        "WITH bright AS (SELECT id FROM cat.stars WHERE mag < 3) SELECT s.id FROM cat.stars s WHERE EXISTS (SELECT 1 FROM bright WHERE bright.id = s.id)",
        None,
        "WITH \"bright\" AS (SELECT \"stars\".\"id\" AS \"id\" FROM \"cat\".\"Stars\" AS \"stars\" WHERE \"stars\".\"mag\" < 3) SELECT \"s\".\"id\" AS \"id\" FROM \"cat\".\"Stars\" AS \"s\" WHERE EXISTS (SELECT CAST(1 AS BIGINT) AS \"expr\" FROM \"bright\" AS \"bright_2\" WHERE \"bright_2\".\"id\" = \"s\".\"id\")",
    ),
    (
        "in_unit_and_cast",
        "SELECT IN_UNIT(ra, 'arcmin'), CAST(mag AS INTEGER), CAST('1 2' AS POINT), ivo_nocasematch(name, 'a%') FROM cat.stars",
        None,
        "SELECT CAST(\"stars\".\"ra\" * 6e1 AS DOUBLE) AS \"in_unit\", CAST(CAST(\"stars\".\"mag\" AS INT) AS INT) AS \"cast\", adql_geometry_from_text('1 2', 'point') AS \"cast_2\", CAST(CAST(\"stars\".\"name\" ILIKE 'a%' AS INT) AS INT) AS \"ivo_nocasematch\" FROM \"cat\".\"Stars\" AS \"stars\"",
    ),
];

#[test]
fn translations_match_snapshots() {
    let mut wrong = Vec::new();
    for (name, adql, max_rows, expected) in CASES {
        let sql = translate(adql, *max_rows);
        if sql != *expected {
            wrong.push(format!("{name}:\n  got      {sql}\n  expected {expected}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn every_udf_called_is_documented() {
    for (_, adql, max_rows, _) in CASES {
        let sql = translate(adql, *max_rows);
        for word in sql.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
            if word.starts_with("adql_") {
                assert!(
                    adql::udf::NAMES.contains(&word),
                    "{word} is not in adql::udf::NAMES"
                );
            }
        }
    }
}

/// What the engine is told about how little a query reads (it then skips splitting the scan).
#[test]
fn narrowed_reads_are_reported() {
    let sky = |adql: &str| match translation(adql, Some(1000)).narrowed {
        Some(Narrowed::Sky {
            table,
            sky_fraction,
        }) => {
            assert_eq!(table.table, "Stars", "{adql}");
            Some(sky_fraction)
        }
        other => panic!("{adql}: {other:?}"),
    };
    let cone = |r: f64| {
        sky(&format!(
            "SELECT id FROM cat.stars WHERE 1 = CONTAINS(POINT(ra, dec), CIRCLE(120, 30, {r}))"
        ))
    };
    // The ranges cover the cone (area fraction (1 - cos r) / 2) and not much more.
    for r in [0.5, 2.0, 10.0] {
        let area = (1.0 - f64::cos(f64::to_radians(r))) / 2.0;
        let fraction = cone(r).unwrap();
        assert!(
            fraction >= area && fraction < 40.0 * area,
            "r={r}: {fraction} vs {area}"
        );
    }
    let polygon = "SELECT id FROM cat.stars WHERE 1 = CONTAINS(POINT(ra, dec), POLYGON(10, 10, 12, 10, 11, 12))";
    assert!(sky(polygon).unwrap() < 1e-3);

    let first_rows = |adql: &str, max_rows| translation(adql, max_rows).narrowed;
    assert_eq!(
        first_rows("SELECT TOP 5 id, ra FROM cat.stars", Some(1000)),
        Some(Narrowed::FirstRows { rows: 5 })
    );
    assert_eq!(
        first_rows("SELECT * FROM cat.stars OFFSET 10", Some(100)),
        Some(Narrowed::FirstRows { rows: 110 })
    );
    for reads_more in [
        "SELECT TOP 5 id FROM cat.stars WHERE mag < 3",
        "SELECT TOP 5 id FROM cat.stars ORDER BY mag",
        "SELECT TOP 5 COUNT(*) FROM cat.stars",
        "SELECT DISTINCT TOP 5 mag FROM cat.stars",
        "SELECT TOP 5 a.id FROM cat.stars AS a JOIN cat.other AS b ON a.id = b.id",
        "SELECT TOP 5 a.id FROM cat.stars AS a JOIN cat.other AS b ON a.id = b.id WHERE 1 = CONTAINS(POINT(a.ra, a.dec), CIRCLE(120, 30, 0.5))",
        "WITH b AS (SELECT id FROM cat.stars) SELECT TOP 5 id FROM b",
    ] {
        assert_eq!(first_rows(reads_more, Some(1000)), None, "{reads_more}");
    }
    assert_eq!(first_rows("SELECT id FROM cat.stars", None), None);
}
