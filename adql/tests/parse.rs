//! Table-driven parser samples for every grammar rule, each through a round trip
//! (parse → print → parse → equal), and error messages a user can act on.

#![allow(clippy::unwrap_used)] // a test: failures should panic

use adql::{ErrorKind, ParseOptions, Version};

/// Parses, prints, parses the print, and checks both parses are equal; returns the print.
fn verified(adql: &str) -> String {
    let query = adql::parse(adql).unwrap_or_else(|e| panic!("{adql}\n  {e}"));
    let printed = query.to_string();
    let again =
        adql::parse(&printed).unwrap_or_else(|e| panic!("reprint of {adql}\n  {printed}\n  {e}"));
    assert_eq!(again, query, "round trip of {adql} via {printed}");
    assert_eq!(again.to_string(), printed, "printing is not stable");
    printed
}

const VALID: &[&str] = &[
    // SELECT list, quantifiers, TOP.
    "SELECT * FROM t",
    "SELECT ALL a FROM t",
    "SELECT DISTINCT a, b FROM t",
    "SELECT TOP 10 a FROM t",
    "SELECT DISTINCT TOP 5 a FROM t",
    "SELECT TOP 0 a FROM t",
    "SELECT t.* FROM t",
    "SELECT s.t.*, u.x FROM s.t, u",
    "SELECT a AS x, b y, c AS \"Mixed Case\" FROM t",
    "SELECT \"select\", \"_odd\" FROM t",
    "SELECT 'it''s', 42, -2, 3.14, .5, 1., 10e-5, 10E3 FROM t",
    "SELECT NULL FROM t",
    "SELECT a || 'x' || b FROM t",
    "SELECT (a + b) * c / d - e FROM t",
    "SELECT -a, +b FROM t",
    // FROM: schemas, aliases, derived tables, joins.
    "SELECT x FROM cat.sch.tab",
    "SELECT x FROM sch.tab AS a",
    "SELECT x FROM (SELECT x FROM t) AS q",
    "SELECT x FROM (SELECT x FROM t) q",
    "SELECT * FROM a JOIN b ON a.id = b.id",
    "SELECT * FROM a INNER JOIN b USING (id, k)",
    "SELECT * FROM a LEFT JOIN b USING (id)",
    "SELECT * FROM a LEFT OUTER JOIN b USING (id)",
    "SELECT * FROM a RIGHT OUTER JOIN b ON a.x < b.y",
    "SELECT * FROM a FULL OUTER JOIN b USING (id)",
    "SELECT * FROM a NATURAL JOIN b",
    "SELECT * FROM a NATURAL LEFT OUTER JOIN b",
    "SELECT * FROM (a JOIN b USING (id)) JOIN c ON c.k = a.k",
    "SELECT * FROM a, b, c WHERE a.x = b.y",
    // WHERE: every predicate.
    "SELECT a FROM t WHERE a = 1 AND b <> 2 OR NOT c != 3",
    "SELECT a FROM t WHERE a < 1 AND a <= 2 AND a > 0 AND a >= 0",
    "SELECT a FROM t WHERE a BETWEEN 1 AND 2 AND b NOT BETWEEN -1 AND 1",
    "SELECT a FROM t WHERE a IN (1, 2, 3) AND b NOT IN ('x')",
    "SELECT a FROM t WHERE a IN (SELECT b FROM u) AND a NOT IN (SELECT c FROM v)",
    "SELECT a FROM t WHERE EXISTS (SELECT b FROM u WHERE u.b = t.a)",
    "SELECT a FROM t WHERE NOT EXISTS (SELECT b FROM u)",
    "SELECT a FROM t WHERE name LIKE 'NGC%' AND name NOT LIKE '%x'",
    "SELECT a FROM t WHERE name ILIKE 'ngc%' AND name NOT ILIKE 'm_'",
    "SELECT a FROM t WHERE a IS NULL AND b IS NOT NULL",
    "SELECT a FROM t WHERE (a = 1 OR b = 2) AND (c = 3)",
    // GROUP BY, HAVING, aggregates.
    "SELECT type, COUNT(*), AVG(m), MIN(m), MAX(m), SUM(m) FROM t GROUP BY type",
    "SELECT COUNT(DISTINCT name), SUM(ALL x) FROM t",
    "SELECT type FROM t GROUP BY type HAVING COUNT(*) > 10",
    "SELECT type FROM t GROUP BY type, LOWER(name)",
    // ORDER BY, OFFSET.
    "SELECT a, b FROM t ORDER BY a, b DESC",
    "SELECT a, b FROM t ORDER BY 1 ASC, 2 DESC",
    "SELECT a FROM t ORDER BY LOG10(z + 1) DESC, 2 * a",
    "SELECT a FROM t ORDER BY t.a",
    "SELECT a FROM t OFFSET 100",
    "SELECT TOP 10 a FROM t ORDER BY a OFFSET 20",
    // Set operators and WITH.
    "SELECT a FROM t UNION SELECT a FROM u",
    "SELECT a FROM t UNION ALL SELECT a FROM u",
    "SELECT a FROM t EXCEPT SELECT a FROM u",
    "SELECT a FROM t INTERSECT ALL SELECT a FROM u",
    "(SELECT TOP 1 a FROM t ORDER BY a) UNION (SELECT TOP 1 a FROM t ORDER BY a DESC)",
    "SELECT a FROM t UNION SELECT a FROM u ORDER BY a",
    "WITH q AS (SELECT a FROM t), r AS (SELECT b FROM u) SELECT * FROM q, r",
    // Functions.
    "SELECT ABS(x), CEILING(x), DEGREES(x), EXP(x), FLOOR(x), LOG(x), LOG10(x) FROM t",
    "SELECT MOD(x, 2), PI(), POWER(x, 2), RADIANS(x), SQRT(x), RAND(), RAND(5) FROM t",
    "SELECT ROUND(x), ROUND(x, 2), ROUND(x, -1), TRUNCATE(x), TRUNCATE(x, 3) FROM t",
    "SELECT ACOS(x), ASIN(x), ATAN(x), ATAN2(y, x), COS(x), COT(x), SIN(x), TAN(x) FROM t",
    "SELECT LOWER(name), UPPER(name), COALESCE(a, b, 'c') FROM t",
    "SELECT CAST(x AS SMALLINT), CAST(x AS INTEGER), CAST(x AS BIGINT), CAST(x AS REAL) FROM t",
    "SELECT CAST(x AS DOUBLE PRECISION), CAST(x AS CHAR), CAST(x AS CHAR(3)) FROM t",
    "SELECT CAST(x AS VARCHAR), CAST(x AS VARCHAR(30)), CAST('2021-01-14' AS TIMESTAMP) FROM t",
    "SELECT CAST('1 2' AS POINT), CAST('1 2 3' AS CIRCLE), CAST('1 2 3 4 5 6' AS POLYGON) FROM t",
    "SELECT IN_UNIT(ra, 'rad') FROM t",
    "SELECT ivo_healpix_index(6, ra, dec), ivo_hasword(t, 'x'), ivo_nocasematch(t, 'a%') FROM t",
    "SELECT ivo_string_agg(name, ',') FROM t",
    // Geometry.
    "SELECT POINT('ICRS', ra, dec), POINT(ra, dec), POINT(NULL, 1, 2) FROM t",
    "SELECT CIRCLE('ICRS', 1, 2, 3), CIRCLE(1, 2, 3), CIRCLE(POINT(1, 2), 3), CIRCLE(p, 1) FROM t",
    "SELECT BOX('ICRS', 1, 2, 3, 4), BOX(1, 2, 3, 4), BOX(POINT(1, 2), 3, 4) FROM t",
    "SELECT POLYGON('ICRS', 1, 2, 3, 4, 5, 6), POLYGON(1, 2, 3, 4, 5, 6, 7, 8) FROM t",
    "SELECT POLYGON(p1, p2, p3) FROM t",
    "SELECT REGION('Circle ICRS 1 2 3') FROM t",
    "SELECT AREA(c), CENTROID(c), COORD1(p), COORD2(p), COORDSYS(p) FROM t",
    "SELECT DISTANCE(POINT(1, 2), POINT(3, 4)), DISTANCE(ra, dec, 1, 2) FROM t",
    "SELECT a FROM t WHERE 1 = CONTAINS(POINT('ICRS', ra, dec), CIRCLE('ICRS', 1, 2, 0.5))",
    "SELECT a FROM t WHERE CONTAINS(POINT(ra, dec), BOX(1, 2, 3, 4)) = 0",
    "SELECT a FROM t WHERE INTERSECTS(s_region, CIRCLE(1, 2, 3)) = 1",
    "SELECT a FROM t WHERE DISTANCE(POINT(ra, dec), POINT(1, 2)) < 0.1",
    // Identifiers and comments.
    "SELECT Ra, \"Dec\" FROM \"My Schema\".\"Table\"",
    "SELECT a -- a comment\nFROM t -- another\n",
    "SELECT a FROM t;",
];

#[test]
fn every_grammar_rule_round_trips() {
    for adql in VALID {
        verified(adql);
    }
}

#[test]
fn canonical_printing() {
    assert_eq!(verified("select top 3 a from t"), "SELECT TOP 3 a FROM t");
    assert_eq!(
        verified("select a from t where a != 1"),
        "SELECT a FROM t WHERE a <> 1"
    );
    assert_eq!(verified("select floor(x) from t"), "SELECT FLOOR(x) FROM t");
    assert_eq!(verified("select a -- note\nfrom t"), "SELECT a FROM t");
}

/// A query, the error kind, the start of the message, and the (line, column) if checked.
type Invalid = (&'static str, ErrorKind, &'static str, Option<(u64, u64)>);

const INVALID: &[Invalid] = &[
    (
        "SELECT TOP 10 ra FORM t",
        ErrorKind::Syntax,
        "unexpected 'FORM', expected FROM",
        Some((1, 18)),
    ),
    (
        "SELECT ra, dec FORM stars",
        ErrorKind::Syntax,
        "unexpected 'FORM', expected FROM",
        Some((1, 16)),
    ),
    (
        "SELECT a FROM t WEHRE a = 1",
        ErrorKind::Syntax,
        "unexpected 'WEHRE', expected WHERE",
        Some((1, 17)),
    ),
    (
        "SELECT a FROM t ORDER a",
        ErrorKind::Syntax,
        "unexpected 'ORDER', expected end of query",
        Some((1, 17)),
    ),
    (
        "SELECT a FROM",
        ErrorKind::Syntax,
        "unexpected end of query",
        Some((1, 14)),
    ),
    (
        "SELECT a",
        ErrorKind::Syntax,
        "an ADQL query needs a FROM clause",
        Some((1, 1)),
    ),
    ("SELECT FROM t", ErrorKind::Syntax, "", None),
    (
        "SELECT a FROM t LIMIT 10",
        ErrorKind::Syntax,
        "LIMIT is not ADQL: use SELECT TOP n",
        None,
    ),
    (
        "SELECT a::int FROM t",
        ErrorKind::Syntax,
        "unexpected '::'",
        Some((1, 9)),
    ),
    (
        "SELECT a[1] FROM t",
        ErrorKind::Syntax,
        "unexpected '['",
        Some((1, 9)),
    ),
    (
        "SELECT a % 2 FROM t",
        ErrorKind::Syntax,
        "unexpected '%': use MOD(x, y)",
        Some((1, 10)),
    ),
    (
        "SELECT distance FROM t",
        ErrorKind::Syntax,
        "'distance' is a reserved word",
        Some((1, 8)),
    ),
    ("SELECT _x FROM t", ErrorKind::Syntax, "", Some((1, 8))),
    (
        "SELECT a FROM t /* c */",
        ErrorKind::Syntax,
        "ADQL comments start with '--'",
        Some((1, 17)),
    ),
    (
        "SELECT TOP -1 a FROM t",
        ErrorKind::Syntax,
        "unexpected '-'",
        Some((1, 12)),
    ),
    (
        "SELECT a FROM t OFFSET -1",
        ErrorKind::Syntax,
        "OFFSET takes a whole number",
        None,
    ),
    (
        "SELECT a FROM t OFFSET 1.5",
        ErrorKind::Syntax,
        "OFFSET takes a whole number",
        Some((1, 24)),
    ),
    (
        "SELECT ROW_NUMBER() OVER () FROM t",
        ErrorKind::Syntax,
        "ROW_NUMBER: window functions",
        Some((1, 8)),
    ),
    (
        "SELECT foo(a) FROM t",
        ErrorKind::UnknownFunction,
        "'foo' is neither an ADQL function",
        Some((1, 8)),
    ),
    (
        "SELECT lowr(a) FROM t",
        ErrorKind::UnknownFunction,
        "'lowr' is neither",
        Some((1, 8)),
    ),
    (
        "SELECT a FROM t WHERE CONTAINS(p, c)",
        ErrorKind::Syntax,
        "a condition is expected here",
        Some((1, 23)),
    ),
    (
        "SELECT a = 1 FROM t",
        ErrorKind::Syntax,
        "a condition (=) cannot stand",
        Some((1, 8)),
    ),
    (
        "SELECT a FROM t1 INNER JOIN t2",
        ErrorKind::Syntax,
        "a JOIN needs ON, USING or NATURAL",
        None,
    ),
    (
        "SELECT a FROM t1 CROSS JOIN t2",
        ErrorKind::Syntax,
        "CROSS JOIN is not ADQL",
        None,
    ),
    (
        "SELECT a FROM (SELECT a FROM t)",
        ErrorKind::Syntax,
        "a subquery in FROM needs a name",
        None,
    ),
    (
        "SELECT CAST(a AS FLOAT) FROM t",
        ErrorKind::Syntax,
        "CAST to FLOAT is not ADQL",
        Some((1, 13)),
    ),
    (
        "SELECT COALESCE() FROM t",
        ErrorKind::Syntax,
        "COALESCE takes at least 1 argument(s), not 0",
        Some((1, 8)),
    ),
    (
        "SELECT CIRCLE('ICRS', 1, 2) FROM t",
        ErrorKind::Syntax,
        "CIRCLE takes a centre",
        Some((1, 8)),
    ),
    (
        "SELECT POLYGON(1, 2, 3, 4, 5) FROM t",
        ErrorKind::Syntax,
        "POLYGON takes at least 3 vertices",
        Some((1, 8)),
    ),
    (
        "SELECT DISTANCE(1, 2, 3) FROM t",
        ErrorKind::Syntax,
        "DISTANCE takes 2 points or 4 numbers",
        Some((1, 8)),
    ),
    (
        "SELECT REGION(x) FROM t",
        ErrorKind::Syntax,
        "REGION takes a string literal",
        Some((1, 8)),
    ),
    (
        "SELECT COUNT(MAX(a)) FROM t",
        ErrorKind::Syntax,
        "COUNT: aggregate functions cannot be nested",
        Some((1, 14)),
    ),
    (
        "SELECT a FROM t WHERE a = TRUE",
        ErrorKind::Syntax,
        "'TRUE' is a reserved word",
        Some((1, 27)),
    ),
    (
        "SELECT (SELECT 1 FROM u) FROM t",
        ErrorKind::Syntax,
        "a subquery can only follow IN or EXISTS",
        Some((1, 9)),
    ),
    ("SELECT a FROM t WHERE a IN ()", ErrorKind::Syntax, "", None),
    (
        "SELECT a FROM t; SELECT b FROM u",
        ErrorKind::Syntax,
        "unexpected 'SELECT', expected end of query",
        Some((1, 18)),
    ),
    (
        "SELECT a FROM (WITH q AS (SELECT a FROM t) SELECT a FROM q) AS s",
        ErrorKind::Syntax,
        "WITH is allowed only at the start",
        None,
    ),
    (
        "SELECT 'abc FROM t",
        ErrorKind::Syntax,
        "unterminated",
        Some((1, 8)),
    ),
    (
        "SELECT a FROM t WHERE a LIKE 'x' ESCAPE '!'",
        ErrorKind::Syntax,
        "LIKE takes a plain pattern",
        None,
    ),
];

#[test]
fn errors_say_what_and_where() {
    let mut wrong = Vec::new();
    for (adql, kind, message, position) in INVALID {
        let Err(error) = adql::parse(adql) else {
            wrong.push(format!("{adql}: accepted"));
            continue;
        };
        let at = error.position.map(|p| (p.line, p.column));
        if error.kind != *kind
            || !error.message.starts_with(message)
            || (position.is_some() && at != *position)
        {
            wrong.push(format!(
                "{adql}: got {:?} {at:?} «{}»",
                error.kind, error.message
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn error_display_names_line_and_column() {
    let error = adql::parse("SELECT TOP 10 ra FORM t").unwrap_err();
    assert_eq!(
        error.to_string(),
        "Syntax error at line 1, column 18: unexpected 'FORM', expected FROM"
    );
    let error = adql::parse("SELECT a\nFROM t\nWHERE a = = 1").unwrap_err();
    assert_eq!(
        error.position.map(|p| (p.line, p.column)),
        Some((3, 11)),
        "{error}"
    );
}

#[test]
fn adql_2_0_refuses_2_1_features() {
    let v20 = ParseOptions {
        version: Version::V2_0,
        ..Default::default()
    };
    for adql in [
        "SELECT a FROM t OFFSET 1",
        "WITH q AS (SELECT a FROM t) SELECT a FROM q",
        "SELECT a FROM t UNION SELECT a FROM u",
        "SELECT LOWER(a) FROM t",
        "SELECT a FROM t WHERE a ILIKE 'x'",
        "SELECT CAST(a AS REAL) FROM t",
        "SELECT COALESCE(a, 1) FROM t",
        "SELECT IN_UNIT(a, 'deg') FROM t",
        "SELECT POINT(1, 2) FROM t",
        "SELECT a FROM t ORDER BY a + 1",
    ] {
        assert!(adql::parse_with(adql, &v20).is_err(), "2.0 accepted {adql}");
        assert!(adql::parse(adql).is_ok(), "2.1 refused {adql}");
    }
    assert!(adql::parse_with("SELECT POINT('ICRS', 1, 2) FROM t ORDER BY 1", &v20).is_ok());
}

#[test]
fn extra_functions_are_accepted_when_declared() {
    assert!(adql::parse("SELECT gavo_x(a) FROM t").is_err());
    let options = ParseOptions {
        extra_functions: vec!["GAVO_X".into()],
        ..Default::default()
    };
    assert!(adql::parse_with("SELECT gavo_x(a) FROM t", &options).is_ok());
}

#[test]
fn long_operator_chains_are_refused_not_crashing() {
    let long = format!("SELECT a FROM t WHERE {}", vec!["a = 1"; 201].join(" OR "));
    let error = adql::parse(&long).unwrap_err();
    assert!(error.message.contains("more than 400 operators"), "{error}");
    let ok = format!("SELECT a FROM t WHERE {}", vec!["a = 1"; 200].join(" OR "));
    verified(&ok);
    let deep = format!("SELECT {}a{} FROM t", "(".repeat(200), ")".repeat(200));
    assert!(adql::parse(&deep).is_err());
    // Found by fuzzing: nested parentheses in FROM make sqlparser backtrack exponentially.
    let nested = format!("SELECT x FROM {}", "(((SELECT x FROM ".repeat(8));
    let error = adql::parse(&nested).unwrap_err();
    assert!(
        error
            .message
            .contains("nests parentheses more than 20 deep"),
        "{error}"
    );
    verified(&format!(
        "SELECT {}a{} FROM t",
        "(".repeat(20),
        ")".repeat(20)
    ));
}

/// Found by fuzzing: NULs inside a string made sqlparser read `''''` differently on a re-read,
/// so control characters are refused up front; doubled quotes themselves round-trip.
#[test]
fn control_characters_are_refused_and_quotes_round_trip() {
    let error = adql::parse("SELECT 'a\0''''b' FROM t").unwrap_err();
    assert_eq!(error.message, "unexpected control character U+0000");
    assert_eq!(error.position.map(|p| (p.line, p.column)), Some((1, 10)));
    verified("SELECT 'x''''y', '''' FROM t");
    let crash = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fuzz/regressions/crash-16c9df526a1410aba39865142f594508f451b354"
    ))
    .unwrap();
    assert!(adql::parse(std::str::from_utf8(&crash).unwrap()).is_err());
}

/// Found by fuzzing: this input took seconds in sqlparser's backtracking; it is now refused by
/// the nesting limit before sqlparser sees it.
#[test]
fn deeply_nested_from_is_refused_before_parsing() {
    let slow = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fuzz/regressions/timeout-de662bfce3adbd7782b9bcc1efaf4b50647090c4"
    ))
    .unwrap();
    let error = adql::parse(std::str::from_utf8(&slow).unwrap()).unwrap_err();
    assert!(error.message.contains("nests parentheses"), "{error}");
}

/// Found by fuzzing: `- -2` printed as `--2`, which reads back as a comment.
#[test]
fn double_minus_does_not_print_as_a_comment() {
    assert_eq!(
        verified("SELECT - -2, a - -b FROM t"),
        "SELECT -(-2), a - -b FROM t"
    );
    let crash = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fuzz/regressions/crash-ea3e33dac843cb389e53bbee13f4169a53737e1b"
    ))
    .unwrap();
    verified(std::str::from_utf8(&crash).unwrap());
}
