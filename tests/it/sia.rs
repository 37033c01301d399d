//! SIA 2.0 over the demo ObsCore table, in-process: each kind of constraint finds the images
//! it should, values are ORed and parameters ANDed, errors are DALI documents, and access_url
//! downloads the very file.

use crate::harness::{demo_app, get};
use crate::{field_attribute, repo_root, tabledata_rows};

/// The obs_id column (4th) of every row of a TABLEDATA answer, sorted.
async fn ids(app: &axum::Router, query: &str) -> Vec<String> {
    let reply = get(
        app,
        &format!("/sia/query?RESPONSEFORMAT=votable/td&{query}"),
    )
    .await;
    assert_eq!(reply.status, 200, "{query}: {}", reply.body);
    let mut ids: Vec<String> = tabledata_rows(&reply.body)
        .into_iter()
        .map(|row| row[3].clone())
        .collect();
    ids.sort();
    ids
}

#[tokio::test]
async fn pos_band_and_time_find_the_expected_images() {
    let (_data, app) = demo_app().await;
    // M13's image is 0.083° wide around (250.4226, 36.4602).
    assert_eq!(
        ids(&app, "POS=CIRCLE%20250.42%2036.46%200.01").await,
        ["m13"]
    );
    assert!(
        ids(&app, "POS=CIRCLE%20250.42%2037.5%200.5")
            .await
            .is_empty()
    );
    // The AZP test image covers about 272..305° RA, −73..−59° Dec.
    assert_eq!(
        ids(&app, "POS=CIRCLE%20290%20-65%201").await,
        ["1904-66_AZP"]
    );
    assert_eq!(
        ids(
            &app,
            "POS=POLYGON%20249%2035%20252%2035%20252%2038%20249%2038"
        )
        .await,
        ["m13"]
    );
    assert_eq!(ids(&app, "POS=RANGE%20250%20251%2036%2037").await, ["m13"]);
    // The ACS exposure, F606W: pivot 591.8 nm ± 67.2 nm.
    assert_eq!(ids(&app, "BAND=6.0e-7%206.1e-7").await, ["j94f05bgq_flt"]);
    assert!(ids(&app, "BAND=1e-6%20+Inf").await.is_empty());
    // 2005-03-07 06:51 UT is MJD 53436.286.
    assert_eq!(ids(&app, "TIME=53436%2053437").await, ["j94f05bgq_flt"]);
    assert_eq!(ids(&app, "TIME=-Inf%2053000").await, Vec::<String>::new());
    assert_eq!(ids(&app, "EXPTIME=300%20500").await, ["j94f05bgq_flt"]);
    assert_eq!(ids(&app, "FOV=10%20+Inf").await, ["1904-66_AZP"]);
    assert_eq!(ids(&app, "INSTRUMENT=ACS").await, ["j94f05bgq_flt"]);
    assert_eq!(
        ids(&app, "TARGET=NGC104&FACILITY=HST&DPTYPE=image").await,
        ["j94f05bgq_flt"]
    );
    assert_eq!(ids(&app, "CALIB=1&COLLECTION=demo_images").await.len(), 3);
    assert!(ids(&app, "CALIB=3").await.is_empty());
    assert_eq!(ids(&app, "FORMAT=image/fits").await.len(), 3);
}

#[tokio::test]
async fn repeated_values_are_ored_and_different_parameters_anded() {
    let (_data, app) = demo_app().await;
    let both = ids(
        &app,
        "POS=CIRCLE%20250.42%2036.46%200.01&POS=CIRCLE%20290%20-65%201",
    )
    .await;
    assert_eq!(both, ["1904-66_AZP", "m13"]);
    let anded = ids(
        &app,
        "POS=CIRCLE%20250.42%2036.46%200.01&POS=CIRCLE%20290%20-65%201&FOV=10%20+Inf",
    )
    .await;
    assert_eq!(anded, ["1904-66_AZP"]);
}

#[tokio::test]
async fn the_results_carry_the_obscore_metadata_and_maxrec_overflows() {
    let (_data, app) = demo_app().await;
    let reply = get(&app, "/sia/query?RESPONSEFORMAT=votable/td&MAXREC=1").await;
    assert_eq!(tabledata_rows(&reply.body).len(), 1);
    assert!(reply.body.contains("value=\"OVERFLOW\""), "{}", reply.body);
    assert_eq!(
        field_attribute(&reply.body, "s_region", "xtype").as_deref(),
        Some("adql:REGION")
    );
    assert_eq!(
        field_attribute(&reply.body, "s_footprint", "xtype").as_deref(),
        Some("polygon")
    );
    assert_eq!(
        field_attribute(&reply.body, "access_url", "utype").as_deref(),
        Some("obscore:Access.Reference")
    );
}

#[tokio::test]
async fn bad_parameters_answer_with_dali_errors() {
    let (_data, app) = demo_app().await;
    for (query, expected) in [
        ("POS=CIRCLE%2010", "POS=CIRCLE 10"),
        ("BAND=2%201", "lower bound"),
        ("TIME=yesterday", "not a number"),
        ("CALIB=9", "CALIB=9"),
        ("MAXREC=-1", "MAXREC"),
        ("RESPONSEFORMAT=application/x-nothing", "RESPONSEFORMAT"),
    ] {
        let reply = get(&app, &format!("/sia/query?{query}")).await;
        assert_eq!(reply.status, 400, "{query}");
        assert!(
            reply.body.contains("value=\"ERROR\""),
            "{query}: {}",
            reply.body
        );
        assert!(reply.body.contains(expected), "{query}: {}", reply.body);
    }
}

#[tokio::test]
async fn access_url_downloads_the_file_and_nothing_outside_the_folder() {
    let (_data, app) = demo_app().await;
    let reply = get(
        &app,
        "/sia/query?RESPONSEFORMAT=votable/td&ID=ivo://vostok.invalid/demo_images?m13",
    )
    .await;
    let rows = tabledata_rows(&reply.body);
    assert_eq!(rows.len(), 1, "{}", reply.body);
    let url = &rows[0][5];
    let path = url.strip_prefix("http://127.0.0.1:8080").unwrap();
    assert_eq!(path, "/data/m13.fits");
    let file = get(&app, path).await;
    assert_eq!(file.status, 200);
    assert_eq!(file.content_type, "image/fits");
    let expected = std::fs::read(repo_root().join("data/demo/images/m13.fits")).unwrap();
    assert!(file.bytes == expected, "the download differs from the file");
    for bad in [
        "/data/..%2Fvostok.toml",
        "/data/.hidden",
        "/data/nothing.fits",
    ] {
        assert_eq!(get(&app, bad).await.status, 404, "{bad}");
    }
}

#[tokio::test]
async fn the_sia_capabilities_point_at_the_query_endpoint() {
    let (_data, app) = demo_app().await;
    let reply = get(&app, "/sia/capabilities").await;
    for part in [
        "standardID=\"ivo://ivoa.net/std/SIA#query-2.0\"",
        "/sia/query</accessURL>",
    ] {
        assert!(reply.body.contains(part), "{part}: {}", reply.body);
    }
}
