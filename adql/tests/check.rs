//! Checking against a catalogue: names resolved with suggestions, type errors explained, output
//! column metadata inferred.

#![allow(clippy::unwrap_used)] // a test: failures should panic

mod common;

use adql::{Datatype, ErrorKind};
use common::catalogue;

fn error(adql: &str) -> adql::AdqlError {
    let query = adql::parse(adql).unwrap_or_else(|e| panic!("{adql}: {e}"));
    adql::check(&query, &catalogue()).expect_err(adql)
}

fn columns(adql: &str) -> Vec<adql::OutputColumn> {
    let query = adql::parse(adql).unwrap_or_else(|e| panic!("{adql}: {e}"));
    let checked = adql::check(&query, &catalogue()).unwrap_or_else(|e| panic!("{adql}: {e}"));
    checked.columns().to_vec()
}

#[test]
fn unknown_names_are_located_with_suggestions() {
    let e = error("SELECT ra FROM cat.starz");
    assert_eq!(e.kind, ErrorKind::UnknownTable);
    assert_eq!(
        e.to_string(),
        "Unknown table at line 1, column 16: no table 'cat.starz'; did you mean 'cat.stars'?"
    );
    let e = error("SELECT ra, mga FROM cat.stars");
    assert_eq!(e.kind, ErrorKind::UnknownColumn);
    assert_eq!(
        e.to_string(),
        "Unknown column at line 1, column 12: no column 'mga' in the tables of FROM; did you mean 'mag'?"
    );
    let e = error("SELECT s.magg FROM cat.stars AS s");
    assert_eq!(e.message, "s has no column 'magg'; did you mean 'mag'?");
    let e = error("SELECT x.ra FROM cat.stars AS s");
    assert_eq!(e.kind, ErrorKind::UnknownTable);
    assert!(
        e.message.starts_with("'x' is not a table or alias of FROM"),
        "{e}"
    );
    let e = error("SELECT id FROM cat.stars, cat.other");
    assert_eq!(e.kind, ErrorKind::AmbiguousColumn);
    assert!(
        e.message.contains("stars and cat.other") || e.message.contains("cat.stars and cat.other"),
        "{e}"
    );
    let e = error("SELECT id FROM stars JOIN nothing USING (id)");
    assert_eq!(e.kind, ErrorKind::UnknownTable);
}

#[test]
fn regular_names_fold_case_and_delimited_ones_do_not() {
    assert_eq!(columns("SELECT RA, Dec FROM CAT.STARS")[0].name, "ra");
    assert!(
        adql::check(
            &adql::parse("SELECT \"RA\" FROM cat.stars").unwrap(),
            &catalogue()
        )
        .is_err()
    );
    assert_eq!(
        columns("SELECT \"ra\" FROM \"cat\".\"stars\"")[0].name,
        "ra"
    );
    // Unqualified table names are found when unique.
    assert_eq!(columns("SELECT obs_id FROM obscore")[0].name, "obs_id");
}

#[test]
fn type_errors_are_explained() {
    let e = error("SELECT AVG(name) FROM cat.stars");
    assert_eq!(e.kind, ErrorKind::Type);
    assert_eq!(
        e.message,
        "AVG needs numbers, but 'name' is a string (VARCHAR)"
    );
    let e = error("SELECT ra + name FROM cat.stars");
    assert_eq!(
        e.message,
        "'+' needs a number, but 'name' is a string (VARCHAR)"
    );
    let e = error("SELECT id FROM cat.stars WHERE name > 3");
    assert_eq!(
        e.message,
        "'>' compares a string (VARCHAR) with a number (BIGINT)"
    );
    let e = error("SELECT DISTANCE(pos, mag) FROM cat.stars");
    assert!(
        e.message
            .starts_with("DISTANCE needs a POINT, but 'mag' is a number"),
        "{e}"
    );
    let e = error("SELECT id FROM cat.stars WHERE CONTAINS(POINT(ra, dec), name) = 1");
    assert!(e.message.contains("needs a geometry"), "{e}");
    let e = error("SELECT IN_UNIT(mag + 1, 'deg') FROM cat.stars");
    assert!(e.message.contains("expressions carry no unit"), "{e}");
    let e = error("SELECT IN_UNIT(ra, 'kg') FROM cat.stars");
    assert_eq!(e.message, "IN_UNIT: 'deg' cannot be converted into 'kg'");
    let e = error("SELECT id FROM cat.stars UNION SELECT name FROM cat.other");
    assert!(e.message.contains("pairs column 'id'"), "{e}");
    let e = error("SELECT CIRCLE(ra, 1) FROM cat.stars");
    assert!(e.message.starts_with("CIRCLE takes a centre"), "{e}");
    let e = error("SELECT REGION('Union ICRS (Circle 1 2 3 Circle 4 5 6)') FROM cat.stars");
    assert_eq!(e.kind, ErrorKind::Unsupported);
}

#[test]
fn output_columns_have_unique_names_and_metadata() {
    let cols = columns(
        "SELECT ra, ra, mag AS m, COUNT(*), DISTANCE(POINT(ra, dec), POINT(0, 0)), \
         POINT(ra, dec), pos, ra * 2, LOWER(name) FROM cat.stars GROUP BY ra, dec, mag, pos, name",
    );
    let names: Vec<&str> = cols.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "ra", "ra_2", "m", "count", "distance", "point", "pos", "expr", "lower"
        ]
    );
    assert_eq!(cols[0].unit.as_deref(), Some("deg"));
    assert_eq!(cols[0].ucd.as_deref(), Some("pos.eq.ra;meta.main"));
    let aggregates = columns("SELECT MAX(mag), AVG(ra), COUNT(ra) FROM cat.stars");
    assert_eq!(aggregates[0].unit.as_deref(), Some("mag"));
    assert_eq!(aggregates[0].ucd, None);
    assert_eq!(aggregates[1].unit.as_deref(), Some("deg"));
    assert_eq!(aggregates[2].unit, None);
    assert_eq!(cols[2].datatype, Datatype::Float);
    assert_eq!(cols[2].unit.as_deref(), Some("mag"));
    assert_eq!(cols[3].datatype, Datatype::Long);
    assert_eq!(cols[4].datatype, Datatype::Double);
    assert_eq!(cols[4].unit.as_deref(), Some("deg"));
    assert_eq!(
        (cols[5].xtype.as_deref(), cols[5].arraysize.as_deref()),
        (Some("point"), Some("2"))
    );
    assert_eq!(cols[6].xtype.as_deref(), Some("point"));
    assert_eq!(cols[7].datatype, Datatype::Double);
    assert_eq!(
        (cols[8].datatype, cols[8].arraysize.as_deref()),
        (Datatype::Char, Some("*"))
    );
}

#[test]
fn stars_follow_joins_and_derived_tables() {
    let cols = columns(
        "SELECT * FROM cat.stars a JOIN (SELECT id, mag AS m FROM cat.other) AS b USING (id)",
    );
    let names: Vec<&str> = cols.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["id", "ra", "dec", "mag", "name", "hpx", "pos", "m"]);
    assert_eq!(cols[7].unit.as_deref(), Some("mag"));
    let cols = columns("SELECT b.* FROM cat.stars a NATURAL JOIN cat.other b");
    assert_eq!(cols.len(), 7);
    let cols = columns("SELECT s_region FROM ivoa.obscore");
    assert_eq!(cols[0].xtype.as_deref(), Some("polygon"));
    let cols = columns("WITH q AS (SELECT ra AS alpha FROM cat.stars) SELECT alpha FROM q");
    assert_eq!(cols[0].unit.as_deref(), Some("deg"));
}

#[test]
fn order_by_names_positions_and_expressions() {
    assert_eq!(
        columns("SELECT mag AS m FROM cat.stars ORDER BY m").len(),
        1
    );
    assert_eq!(
        columns("SELECT mag FROM cat.stars ORDER BY 1 DESC").len(),
        1
    );
    assert_eq!(
        columns("SELECT mag FROM cat.stars ORDER BY ra * 2").len(),
        1
    );
    let e = error("SELECT mag FROM cat.stars ORDER BY 2");
    assert_eq!(e.message, "ORDER BY 2: the query has 1 output column(s)");
    let e = error("SELECT id FROM cat.stars UNION SELECT id FROM cat.other ORDER BY ra");
    assert!(e.message.starts_with("ORDER BY of UNION"), "{e}");
}

#[test]
fn correlated_subqueries_see_the_outer_query() {
    assert_eq!(
        columns("SELECT id FROM cat.stars s WHERE mag < (1) AND EXISTS (SELECT id FROM cat.other o WHERE o.id = s.id)").len(),
        1
    );
    assert_eq!(
        columns("SELECT id FROM cat.stars WHERE id IN (SELECT id FROM cat.other)").len(),
        1
    );
    let e = error("SELECT id FROM cat.stars WHERE id IN (SELECT id, ra FROM cat.other)");
    assert!(e.message.contains("must select one column"), "{e}");
}
