//! Simple Cone Search in-process: the rows of a cone, the three SCS columns, the verbosities,
//! MAXREC, the error documents and the capabilities.

use crate::harness::{demo_app, get, urlencode};
use crate::{field_attribute, field_names, tabledata_rows};

/// Great-circle distance in degrees (haversine), independent of the server's geometry code.
fn distance(ra1: f64, dec1: f64, ra2: f64, dec2: f64) -> f64 {
    let (p1, p2) = (dec1.to_radians(), dec2.to_radians());
    let dp = p2 - p1;
    let dl = (ra2 - ra1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * a.sqrt().asin().to_degrees()
}

#[tokio::test]
async fn a_cone_returns_the_stars_inside_it_and_as_many_as_a_distance_query_counts() {
    let (_data, app) = demo_app().await;
    let reply = get(&app, "/scs/stars.hipparcos?RA=83.82&DEC=-5.39&SR=0.5").await;
    assert_eq!(reply.status, 200);
    assert!(
        reply.content_type.contains("votable"),
        "{}",
        reply.content_type
    );
    let names = field_names(&reply.body);
    assert_eq!(&names[..3], ["hip", "ra", "dec"]);
    let rows = tabledata_rows(&reply.body);
    assert!(rows.len() > 5, "{} rows", rows.len());
    for row in &rows {
        let (ra, dec): (f64, f64) = (row[1].parse().unwrap(), row[2].parse().unwrap());
        assert!(distance(83.82, -5.39, ra, dec) <= 0.5 + 1e-9, "{row:?}");
    }
    // The same cone counted through TAP with DISTANCE (no CONTAINS, no sky-index rewrite).
    let count = get(
        &app,
        &format!(
            "/tap/sync?LANG=ADQL&RESPONSEFORMAT=csv&QUERY={}",
            urlencode(
                "SELECT COUNT(*) AS n FROM stars.hipparcos WHERE DISTANCE(POINT('ICRS', ra, dec), POINT('ICRS', 83.82, -5.39)) <= 0.5"
            )
        ),
    )
    .await;
    let n: usize = count.body.lines().nth(1).unwrap().trim().parse().unwrap();
    assert_eq!(rows.len(), n);
}

#[tokio::test]
async fn the_three_scs_columns_carry_the_ucd1_words_exactly_once() {
    let (_data, app) = demo_app().await;
    for verb in ["1", "2", "3"] {
        let reply = get(
            &app,
            &format!("/scs/stars.bsc?RA=83.82&DEC=-5.39&SR=2&VERB={verb}"),
        )
        .await;
        for ucd in ["ID_MAIN", "POS_EQ_RA_MAIN", "POS_EQ_DEC_MAIN"] {
            let n = reply.body.matches(&format!("ucd=\"{ucd}\"")).count();
            assert_eq!(n, 1, "VERB={verb} {ucd}: {}", reply.body);
        }
        assert_eq!(
            field_attribute(&reply.body, "hr", "ucd").as_deref(),
            Some("ID_MAIN")
        );
    }
}

#[tokio::test]
async fn verb_selects_the_minimal_the_principal_or_every_column() {
    let (_data, app) = demo_app().await;
    let count = |verb: &'static str| {
        let app = app.clone();
        async move {
            let reply = get(
                &app,
                &format!("/scs/stars.bsc?RA=83.82&DEC=-5.39&SR=1&VERB={verb}"),
            )
            .await;
            field_names(&reply.body)
        }
    };
    assert_eq!(count("1").await, ["hr", "ra", "dec"]);
    // Principal columns of the demo configuration: hr, name, ra, dec, vmag.
    assert_eq!(count("2").await, ["hr", "ra", "dec", "name", "vmag"]);
    assert_eq!(count("3").await.len(), 7);
}

#[tokio::test]
async fn maxrec_truncates_with_an_overflow_status() {
    let (_data, app) = demo_app().await;
    let reply = get(
        &app,
        "/scs/stars.hipparcos?RA=83.82&DEC=-5.39&SR=3&MAXREC=4",
    )
    .await;
    assert_eq!(tabledata_rows(&reply.body).len(), 4);
    assert!(reply.body.contains("value=\"OVERFLOW\""), "{}", reply.body);
}

#[tokio::test]
async fn bad_parameters_answer_with_an_scs_error_document() {
    let (_data, app) = demo_app().await;
    let cases = [
        ("DEC=1&SR=1", "RA parameter is missing"),
        ("RA=abc&DEC=1&SR=1", "RA=abc"),
        ("RA=10&DEC=95&SR=1", "DEC=95"),
        ("RA=10&DEC=5&SR=-1", "SR=-1"),
        ("RA=10&DEC=5&SR=45", "maximum search radius"),
        ("RA=10&DEC=5&SR=1&VERB=7", "VERB=7"),
        (
            "RA=10&DEC=5&SR=1&RESPONSEFORMAT=image/png",
            "RESPONSEFORMAT",
        ),
    ];
    for (query, expected) in cases {
        let reply = get(&app, &format!("/scs/stars.hipparcos?{query}")).await;
        assert_eq!(reply.status, 200, "{query}");
        assert!(
            reply.body.contains("name=\"Error\""),
            "{query}: {}",
            reply.body
        );
        assert!(reply.body.contains(expected), "{query}: {}", reply.body);
        assert!(!reply.body.contains("<TABLE"), "{query}");
    }
}

#[tokio::test]
async fn only_sky_tables_with_a_main_identifier_have_a_cone_search() {
    let (_data, app) = demo_app().await;
    for table in ["mars.craters", "nosuch.table", "stars"] {
        let reply = get(&app, &format!("/scs/{table}?RA=1&DEC=1&SR=1")).await;
        assert!(
            reply.body.contains("no cone search named"),
            "{table}: {}",
            reply.body
        );
    }
    for table in [
        "stars.hipparcos",
        "stars.bsc",
        "dso.messier",
        "dso.deep_sky",
    ] {
        let reply = get(&app, &format!("/scs/{table}?RA=1&DEC=1&SR=1")).await;
        assert!(reply.body.contains("<TABLE"), "{table}: {}", reply.body);
    }
}

#[tokio::test]
async fn the_capabilities_declare_the_cone_search_limits() {
    let (_data, app) = demo_app().await;
    let reply = get(&app, "/scs/stars.hipparcos/capabilities").await;
    assert_eq!(reply.status, 200);
    for part in [
        "xsi:type=\"cs:ConeSearch\"",
        "standardID=\"ivo://ivoa.net/std/ConeSearch\"",
        "<maxSR>10</maxSR>",
        "<maxRecords>100000</maxRecords>",
        "<verbosity>true</verbosity>",
        "/scs/stars.hipparcos?</accessURL>",
    ] {
        assert!(reply.body.contains(part), "{part}: {}", reply.body);
    }
    let reply = get(&app, "/scs/stars.hipparcos/availability").await;
    assert!(
        reply.body.contains("<vosi:available>true"),
        "{}",
        reply.body
    );
}
