//! TAP in-process, as clients call it: /sync with each parameter form and output format,
//! errors, TAP_SCHEMA, uploads, limits, /async, and the examples.

use std::time::Duration;

use axum::http::StatusCode;

use crate::harness::{demo_app, get_query, post, post_multipart};

fn csv_rows(body: &str) -> Vec<&str> {
    body.lines().skip(1).collect()
}

#[tokio::test]
async fn sync_answers_get_and_post_with_case_insensitive_names() {
    let (_data, app) = demo_app().await;
    let query = "SELECT TOP 3 hip FROM stars.hipparcos ORDER BY hip";
    let by_get = get_query(
        &app,
        "/tap/sync",
        &[("lang", "ADQL"), ("Query", query), ("format", "csv")],
    )
    .await;
    let by_post = post(
        &app,
        "/tap/sync",
        &[
            ("REQUEST", "doQuery"),
            ("LANG", "ADQL-2.1"),
            ("QUERY", query),
            ("RESPONSEFORMAT", "text/csv"),
            ("UNKNOWN", "x"),
        ],
    )
    .await;
    assert_eq!(by_get.status, StatusCode::OK);
    assert_eq!(by_get.body, "hip\r\n1\r\n2\r\n3\r\n");
    assert_eq!(by_post.body, by_get.body);
    assert_eq!(by_get.content_type, "text/csv;header=present");
    assert_eq!(by_post.content_type, "text/csv");
}

#[tokio::test]
async fn each_format_has_its_content_type_and_the_same_rows() {
    let (_data, app) = demo_app().await;
    let query =
        "SELECT TOP 4 hr, name, sao FROM stars.bsc WHERE hr BETWEEN 5459 AND 5462 ORDER BY hr";
    let cases = [
        ("votable", "application/x-votable+xml;serialization=BINARY2"),
        (
            "votable/td",
            "application/x-votable+xml;serialization=TABLEDATA",
        ),
        (
            "votable/b",
            "application/x-votable+xml;serialization=BINARY",
        ),
        ("csv", "text/csv;header=present"),
        ("tsv", "text/tab-separated-values"),
        ("json", "application/json"),
        ("parquet", "application/vnd.apache.parquet"),
    ];
    for (format, content_type) in cases {
        let answer = get_query(
            &app,
            "/tap/sync",
            &[
                ("LANG", "ADQL"),
                ("QUERY", query),
                ("RESPONSEFORMAT", format),
            ],
        )
        .await;
        assert_eq!(answer.status, StatusCode::OK, "{format}");
        assert_eq!(answer.content_type, content_type, "{format}");
    }
    let td = get_query(
        &app,
        "/tap/sync",
        &[
            ("LANG", "ADQL"),
            ("QUERY", query),
            ("RESPONSEFORMAT", "votable/td"),
        ],
    )
    .await;
    // HR 5460 (Alpha² Centauri) has no SAO number: an empty cell.
    assert!(
        td.body
            .contains("<TR><TD>5460</TD><TD>Alp2Cen</TD><TD/></TR>"),
        "{}",
        td.body
    );
    assert!(
        td.body
            .contains(r#"<INFO name="QUERY_STATUS" value="OK"/>"#)
    );
}

#[tokio::test]
async fn maxrec_truncates_with_overflow_and_zero_gives_metadata_only() {
    let (_data, app) = demo_app().await;
    let query = "SELECT hr FROM stars.bsc";
    let five = get_query(
        &app,
        "/tap/sync",
        &[
            ("LANG", "ADQL"),
            ("QUERY", query),
            ("MAXREC", "5"),
            ("FORMAT", "votable/td"),
        ],
    )
    .await;
    assert_eq!(five.body.matches("<TR>").count(), 5);
    assert!(
        five.body.contains(
            r#"</TABLE>
<INFO name="QUERY_STATUS" value="OVERFLOW"/>"#
        ),
        "{}",
        five.body
    );
    let zero = get_query(
        &app,
        "/tap/sync",
        &[
            ("LANG", "ADQL"),
            ("QUERY", query),
            ("MAXREC", "0"),
            ("FORMAT", "votable/td"),
        ],
    )
    .await;
    assert_eq!(zero.body.matches("<TR>").count(), 0);
    assert!(zero.body.contains(r#"<FIELD name="hr""#), "{}", zero.body);
    let exact = get_query(
        &app,
        "/tap/sync",
        &[
            ("LANG", "ADQL"),
            ("QUERY", "SELECT TOP 5 hr FROM stars.bsc"),
            ("MAXREC", "5"),
            ("FORMAT", "votable/td"),
        ],
    )
    .await;
    assert!(
        !exact.body.contains("OVERFLOW"),
        "TOP 5 with MAXREC=5 is complete: {}",
        exact.body
    );
}

#[tokio::test]
async fn bad_requests_get_votable_errors_with_a_400() {
    let (_data, app) = demo_app().await;
    let cases = [
        (
            vec![
                ("LANG", "ADQL"),
                ("QUERY", "SELECT hip FORM stars.hipparcos"),
            ],
            "Syntax error at line 1, column 12: unexpected 'FORM', expected FROM",
        ),
        (
            vec![
                ("LANG", "ADQL"),
                ("QUERY", "SELECT hipp FROM stars.hipparcos"),
            ],
            "did you mean 'hip'?",
        ),
        (
            vec![("LANG", "ADQL"), ("QUERY", "SELECT x FROM stars.hiparcos")],
            "stars.hiparcos",
        ),
        (vec![("LANG", "PQL"), ("QUERY", "SELECT 1")], "LANG=PQL"),
        (vec![("LANG", "ADQL")], "QUERY parameter is missing"),
        (
            vec![
                ("LANG", "ADQL"),
                ("QUERY", "SELECT hr FROM stars.bsc"),
                ("MAXREC", "many"),
            ],
            "MAXREC=many",
        ),
    ];
    for (pairs, message) in cases {
        let answer = get_query(&app, "/tap/sync", &pairs).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{message}");
        assert_eq!(answer.content_type, "application/x-votable+xml");
        assert!(
            answer
                .body
                .contains(r#"<INFO name="QUERY_STATUS" value="ERROR">"#),
            "{}",
            answer.body
        );
        assert!(
            answer.body.contains(message),
            "{message} not in {}",
            answer.body
        );
    }
}

#[tokio::test]
async fn tap_schema_describes_the_catalogue_and_itself() {
    let (_data, app) = demo_app().await;
    let count = |query: &'static str| {
        let app = app.clone();
        async move {
            let answer = get_query(
                &app,
                "/tap/sync",
                &[("LANG", "ADQL"), ("QUERY", query), ("FORMAT", "csv")],
            )
            .await;
            csv_rows(&answer.body).join(",")
        }
    };
    assert_eq!(
        count("SELECT COUNT(*) FROM TAP_SCHEMA.columns WHERE table_name = 'stars.hipparcos'").await,
        "5"
    );
    assert_eq!(count("SELECT unit FROM tap_schema.columns WHERE table_name = 'stars.hipparcos' AND column_name = 'ra'").await, "deg");
    assert_eq!(
        count("SELECT COUNT(*) FROM TAP_SCHEMA.tables WHERE schema_name = 'TAP_SCHEMA'").await,
        "5"
    );
    assert_eq!(count("SELECT column_name FROM TAP_SCHEMA.columns WHERE table_name = 'TAP_SCHEMA.columns' AND column_index = 9").await, "\"\"\"size\"\"\"");
    assert_eq!(
        count("SELECT COUNT(*) FROM TAP_SCHEMA.key_columns").await,
        "5"
    );
}

const UPLOAD: &str = r#"<?xml version="1.0"?>
<VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3">
<RESOURCE type="results"><TABLE>
<FIELD name="id" datatype="int"/>
<FIELD name="ra" datatype="double" unit="deg" ucd="pos.eq.ra;meta.main"/>
<FIELD name="dec" datatype="double" unit="deg" ucd="pos.eq.dec;meta.main"/>
<DATA><TABLEDATA>
<TR><TD>1</TD><TD>101.2872</TD><TD>-16.7161</TD></TR>
<TR><TD>2</TD><TD>213.9153</TD><TD>19.1824</TD></TR>
<TR><TD>3</TD><TD>10.0</TD><TD>89.0</TD></TR>
</TABLEDATA></DATA></TABLE></RESOURCE></VOTABLE>"#;

#[tokio::test]
async fn an_upload_joins_a_catalogue_through_the_sky_index() {
    let (_data, app) = demo_app().await;
    let query = "SELECT u.id, h.hip FROM TAP_UPLOAD.mine AS u JOIN stars.hipparcos AS h \
                 ON 1 = CONTAINS(POINT('ICRS', h.ra, h.dec), CIRCLE('ICRS', u.ra, u.dec, 0.01)) ORDER BY u.id";
    let answer = post_multipart(
        &app,
        "/tap/sync",
        &[
            ("LANG", "ADQL"),
            ("QUERY", query),
            ("UPLOAD", "mine,param:table1"),
            ("FORMAT", "csv"),
        ],
        ("table1", UPLOAD),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(csv_rows(&answer.body), ["1,32349", "2,69673"]);
}

#[tokio::test]
async fn upload_urls_are_refused_unless_their_host_is_allowed() {
    let (_data, app) = demo_app().await;
    let answer = get_query(
        &app,
        "/tap/sync",
        &[
            ("LANG", "ADQL"),
            ("QUERY", "SELECT * FROM TAP_UPLOAD.t"),
            ("UPLOAD", "t,http://169.254.169.254/latest/meta-data"),
        ],
    )
    .await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert!(
        answer.body.contains("tap.upload_url_hosts"),
        "{}",
        answer.body
    );
}

#[tokio::test]
async fn an_async_job_runs_and_gives_the_sync_result() {
    let (_data, app) = demo_app().await;
    let query = "SELECT type, COUNT(*) AS n FROM dso.messier GROUP BY type ORDER BY type";
    let created = post(
        &app,
        "/tap/async",
        &[
            ("LANG", "ADQL"),
            ("QUERY", query),
            ("FORMAT", "csv"),
            ("PHASE", "RUN"),
        ],
    )
    .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER);
    let job = created.location.unwrap();
    let path = job.trim_start_matches("http://127.0.0.1:8080");
    let waited = get_query(&app, path, &[("WAIT", "30")]).await;
    assert!(
        waited.body.contains("<uws:phase>COMPLETED</uws:phase>"),
        "{}",
        waited.body
    );
    let result = get_query(&app, &format!("{path}/results/result"), &[]).await;
    let sync = get_query(
        &app,
        "/tap/sync",
        &[("LANG", "ADQL"), ("QUERY", query), ("FORMAT", "csv")],
    )
    .await;
    assert_eq!(result.content_type, "text/csv;header=present");
    assert_eq!(result.body, sync.body);
    assert!(csv_rows(&result.body).contains(&"gc,29"), "{}", result.body);
}

#[tokio::test]
async fn an_async_job_with_a_bad_query_ends_in_error_with_a_votable() {
    let (_data, app) = demo_app().await;
    let created = post(
        &app,
        "/tap/async",
        &[
            ("LANG", "ADQL"),
            ("QUERY", "SELECT nothing FROM nowhere.at_all"),
            ("PHASE", "RUN"),
        ],
    )
    .await;
    let path = created
        .location
        .unwrap()
        .trim_start_matches("http://127.0.0.1:8080")
        .to_owned();
    let waited = get_query(&app, &path, &[("WAIT", "30")]).await;
    assert!(
        waited.body.contains("<uws:phase>ERROR</uws:phase>"),
        "{}",
        waited.body
    );
    let error = get_query(&app, &format!("{path}/error"), &[]).await;
    assert_eq!(error.content_type, "application/x-votable+xml");
    assert!(error.body.contains("nowhere.at_all"), "{}", error.body);
}

#[tokio::test]
async fn a_sync_query_past_its_time_limit_ends_with_an_error_info() {
    let data = tempfile::tempdir().unwrap();
    let mut config = vostok::config::Config::demo().unwrap();
    config.server.data_dir = data.path().to_owned();
    config.tap.sync_timeout_s = 1;
    let app = vostok::server::router(vostok::server::open(config).await.unwrap());
    // A billion-row cross join streamed out: far more than a second of work, batch by batch.
    let query = "SELECT a.hr, b.hip FROM stars.bsc AS a, stars.hipparcos AS b";
    let started = std::time::Instant::now();
    let answer = get_query(
        &app,
        "/tap/sync",
        &[
            ("LANG", "ADQL"),
            ("QUERY", query),
            ("MAXREC", "50000000"),
            ("FORMAT", "votable/td"),
        ],
    )
    .await;
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "took {:?}",
        started.elapsed()
    );
    assert!(
        answer
            .body
            .contains(r#"<INFO name="QUERY_STATUS" value="ERROR">the query was stopped after 1 s"#),
        "{}",
        answer.body
    );
}

#[tokio::test]
async fn every_example_runs() {
    let (_data, app) = demo_app().await;
    let config = vostok::config::Config::demo().unwrap();
    assert!(config.tap.examples.len() >= 5);
    let page = get_query(&app, "/tap/examples", &[]).await;
    for example in &config.tap.examples {
        assert!(
            page.body
                .contains(&format!("<h2 property=\"name\">{}</h2>", example.name))
        );
        let answer = get_query(
            &app,
            "/tap/sync",
            &[
                ("LANG", "ADQL"),
                ("QUERY", &example.query),
                ("FORMAT", "csv"),
            ],
        )
        .await;
        assert_eq!(
            answer.status,
            StatusCode::OK,
            "{}: {}",
            example.name,
            answer.body
        );
        assert!(
            !csv_rows(&answer.body).is_empty(),
            "{} returned no rows",
            example.name
        );
    }
}
