//! In-process requests to the router on the demo configuration.

use axum::http::StatusCode;

use crate::harness::{self, demo_app, get};

/// GETs `path` from the demo router: its status and its text.
async fn get_text(path: &str) -> (StatusCode, String) {
    let (_data, app) = demo_app().await;
    let answer = get(&app, path).await;
    (answer.status, answer.text())
}

#[tokio::test]
async fn the_landing_page_lists_every_demo_table_with_its_row_count() {
    let (status, page) = get_text("/").await;
    assert_eq!(status, StatusCode::OK);
    for (table, rows) in [
        ("stars.hipparcos", 118_216),
        ("stars.bsc", 9_096),
        ("dso.messier", 110),
        ("dso.deep_sky", 15_807),
        ("mars.nomenclature", 1_980),
    ] {
        assert!(
            page.contains(&format!("<td>{table}</td><td>{rows}</td>")),
            "{table} with {rows} rows missing from:\n{page}"
        );
    }
}

#[tokio::test]
async fn health_answers_ok() {
    let (status, body) = get_text("/health").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, r#"{"status":"ok"}"#);
}

#[tokio::test]
async fn markup_in_the_configured_title_is_escaped_on_the_landing_page() {
    let data = tempfile::tempdir().unwrap();
    let mut config = vostok::config::Config::demo().unwrap();
    config.server.data_dir = data.path().to_owned();
    config.server.title = "Tom & Jerry's <b>\"sky\"</b>".into();
    let page = get(&harness::router(config).await, "/").await.text();
    assert!(
        page.contains("<title>Tom &amp; Jerry&apos;s &lt;b&gt;&quot;sky&quot;&lt;/b&gt;</title>"),
        "{page}"
    );
}
