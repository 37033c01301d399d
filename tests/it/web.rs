//! In-process requests to the router on the demo configuration.

use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode};
use tower::ServiceExt;
async fn get(path: &str) -> (StatusCode, String) {
    let (_data, app) = crate::demo_app().await;
    let response = app
        .oneshot(Request::get(path).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let body = to_bytes(response.into_body(), usize::MAX).await.unwrap();
    (status, String::from_utf8(body.to_vec()).unwrap())
}

#[tokio::test]
async fn the_landing_page_lists_every_demo_table_with_its_row_count() {
    let (status, page) = get("/").await;
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
    let (status, body) = get("/health").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, r#"{"status":"ok"}"#);
}
