//! EPN-TAP 2.0: the Mars demo table passes the start-up check and carries the standard's
//! utype; a table that breaks the standard stops the server with a list of what is wrong; and
//! ADQL handles features that straddle longitude 0 (c1min > c1max).

use crate::harness::{demo_app, get, urlencode};
use crate::tabledata_rows;

async fn rows(app: &axum::Router, adql: &str) -> Vec<Vec<String>> {
    let reply = get(
        app,
        &format!(
            "/tap/sync?LANG=ADQL&RESPONSEFORMAT=votable/td&QUERY={}",
            urlencode(adql)
        ),
    )
    .await;
    assert_eq!(reply.status, 200, "{adql}: {}", reply.body);
    tabledata_rows(&reply.body)
}

#[tokio::test]
async fn tap_schema_gives_epn_core_the_epntap_utype() {
    let (_data, app) = demo_app().await;
    let found = rows(
        &app,
        "SELECT table_name FROM TAP_SCHEMA.tables WHERE utype = 'ivo://ivoa.net/std/epntap#table-2.0'",
    )
    .await;
    assert_eq!(found, [["mars_features.epn_core"]]);
    let columns = rows(
        &app,
        "SELECT COUNT(*) FROM TAP_SCHEMA.columns WHERE table_name = 'mars_features.epn_core' AND std = 1",
    )
    .await;
    assert_eq!(columns, [["46"]]);
}

#[tokio::test]
async fn features_straddling_longitude_zero_are_found_by_either_side() {
    let (_data, app) = demo_app().await;
    // EPN-TAP 2.0: a longitude range crossing 0 has c1min > c1max; a point lies in it when it
    // is east of c1min or west of c1max.
    let lon = 0.2;
    let adql = format!(
        "SELECT feature_name, c1min, c1max FROM mars_features.epn_core WHERE \
         (c1min <= c1max AND {lon} BETWEEN c1min AND c1max) OR \
         (c1min > c1max AND ({lon} >= c1min OR {lon} <= c1max))"
    );
    let found = rows(&app, &adql).await;
    let names: Vec<&str> = found.iter().map(|r| r[0].as_str()).collect();
    // Airy, Alofi and Davies are centred west of 0° and reach east of it; Wulai (0.99°E,
    // 50.5 km) ends short of it.
    for name in ["Airy", "Alofi", "Davies"] {
        assert!(names.contains(&name), "{name} missing from {names:?}");
    }
    assert!(!names.contains(&"Wulai"), "{names:?}");
    for row in &found {
        let (min, max): (f64, f64) = (row[1].parse().unwrap(), row[2].parse().unwrap());
        let inside = if min <= max {
            (min..=max).contains(&lon)
        } else {
            lon >= min || lon <= max
        };
        assert!(inside, "{row:?}");
    }
    let straddling = rows(
        &app,
        "SELECT COUNT(*) FROM mars_features.epn_core WHERE c1min > c1max",
    )
    .await;
    let n: u64 = straddling[0][0].parse().unwrap();
    assert!(n >= 10, "{n} straddling features");
}

#[tokio::test]
async fn an_epn_core_table_that_breaks_the_standard_stops_the_server_with_the_reasons() {
    let data = tempfile::tempdir().unwrap();
    let mut config = vostok::config::Config::demo().unwrap();
    config.server.data_dir = data.path().to_owned();
    let columns = &mut config
        .schemas
        .get_mut("mars_features")
        .unwrap()
        .tables
        .get_mut("epn_core")
        .unwrap()
        .columns;
    columns.get_mut("time_min").unwrap().unit = Some("s".to_owned());
    columns.get_mut("target_name").unwrap().ucd = Some("meta.id".to_owned());
    let message = match vostok::server::open(config).await {
        Ok(_) => panic!("the server started"),
        Err(e) => e.to_string(),
    };
    assert!(message.contains("46 mandatory columns"), "{message}");
    assert!(
        message.contains("time_min has unit s where EPN-TAP wants d"),
        "{message}"
    );
    assert!(
        message.contains("target_name has UCD meta.id where EPN-TAP wants meta.id;src"),
        "{message}"
    );

    // A table without the columns at all: every missing one is named.
    let mut config = vostok::config::Config::demo().unwrap();
    config.server.data_dir = data.path().to_owned();
    let mut table = config.schemas["mars"].tables["nomenclature"].clone();
    table.columns.clear();
    config
        .schemas
        .get_mut("mars")
        .unwrap()
        .tables
        .insert("epn_core".to_owned(), table);
    let message = match vostok::server::open(config).await {
        Ok(_) => panic!("the server started"),
        Err(e) => e.to_string(),
    };
    assert_eq!(message.matches("is missing").count(), 46, "{message}");
}

#[test]
fn check_config_reports_a_broken_epn_core_table() {
    let dir = tempfile::tempdir().unwrap();
    let demo = crate::repo_root().join("data/demo/mars_nomenclature.parquet");
    let config = dir.path().join("vostok.toml");
    std::fs::write(
        &config,
        format!(
            "[schemas.planets.tables.epn_core]\npath = \"{}\"\n",
            demo.display()
        ),
    )
    .unwrap();
    let output = crate::vostok(&["check-config", config.to_str().unwrap()]);
    assert!(!output.status.success());
    let stderr = crate::stderr(&output);
    assert!(
        stderr.contains("planets.epn_core: column granule_uid is missing"),
        "{stderr}"
    );
}
