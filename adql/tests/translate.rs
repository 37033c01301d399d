//! Translated SQL text snapshots.

#![allow(clippy::unwrap_used)] // a test: failures should panic

mod common;
use common::translate;

#[test]
fn top_becomes_limit_combined_with_max_rows() {
    assert_eq!(
        translate(
            "SELECT TOP 5 ra FROM cat.stars ORDER BY mag OFFSET 10",
            Some(100)
        ),
        "SELECT \"stars\".\"ra\" AS \"ra\" FROM \"cat\".\"Stars\" AS \"stars\" ORDER BY \"stars\".\"mag\" LIMIT 5 OFFSET 10"
    );
    assert_eq!(
        translate("SELECT TOP 500 ra FROM cat.stars", Some(100)),
        "SELECT \"stars\".\"ra\" AS \"ra\" FROM \"cat\".\"Stars\" AS \"stars\" LIMIT 100"
    );
}

#[test]
fn print_some() {
    for q in [
        "SELECT COUNT(*), AVG(mag) FROM cat.stars s WHERE 1 = CONTAINS(POINT('ICRS', s.ra, s.dec), CIRCLE('ICRS', 10, 20, 0.5))",
        "SELECT DISTANCE(POINT(ra, dec), POINT(0, 90)) AS d, POINT(ra, dec) FROM cat.stars WHERE DISTANCE(POINT(ra, dec), POINT(359.9, 89.9)) < 0.2",
        "SELECT * FROM cat.stars a JOIN cat.other b USING (id)",
        "SELECT LOG(mag), MOD(id, 3), TRUNCATE(mag, 1) FROM cat.stars WHERE name ILIKE 'a%'",
    ] {
        println!("{}", translate(q, None));
    }
}
