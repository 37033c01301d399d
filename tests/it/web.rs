//! In-process requests to the router on the demo configuration.

use axum::http::StatusCode;

use crate::harness::{demo_app, get};

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
