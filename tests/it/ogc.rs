//! In-process requests to the OGC raster routes on the demo configuration.

use axum::http::{StatusCode, header};

use crate::harness::{Answer, demo_app, get_with};

async fn request(path: &str, if_none_match: Option<&str>) -> Answer {
    let (_data, app) = demo_app().await;
    let extra = if_none_match.map(|tag| (header::IF_NONE_MATCH, tag));
    get_with(&app, path, extra.as_slice()).await
}

#[tokio::test]
async fn wms_capabilities_list_the_demo_raster_layers() {
    let response = request(
        "/wms?service=WMS&request=GetCapabilities&version=1.3.0",
        None,
    )
    .await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.headers[header::CONTENT_TYPE], "text/xml");
    let text = response.text();
    for layer in ["mars_viking", "mars_relief", "earth_relief"] {
        assert!(
            text.contains(&format!("<Name>{layer}</Name>")),
            "{layer} missing"
        );
    }
}

#[tokio::test]
async fn the_psup_request_returns_a_png() {
    let response = request(
        "/wms?SERVICE=WMS&VERSION=1.1.1&REQUEST=GetMap&LAYERS=mars_viking&SRS=EPSG:4326&BBOX=0,-90,180,90&WIDTH=1500&HEIGHT=750&FORMAT=image/png&STYLES=&TRANSPARENT=false",
        None,
    )
    .await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.headers[header::CONTENT_TYPE], "image/png");
    let png = response.bytes;
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    assert_eq!(u32::from_be_bytes(png[16..20].try_into().unwrap()), 1500);
}

#[tokio::test]
async fn tiles_carry_validators_and_answer_304_to_a_matching_if_none_match() {
    let first = request("/tiles/mars_viking/1/2/0.png", None).await;
    assert_eq!(first.status, StatusCode::OK);
    assert!(
        first.headers[header::CACHE_CONTROL]
            .to_str()
            .unwrap()
            .contains("max-age")
    );
    let etag = first.headers[header::ETAG].to_str().unwrap().to_string();
    let again = request("/tiles/mars_viking/1/2/0.png", Some(&etag)).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.bytes.is_empty());
    assert_eq!(
        request("/tiles/mars_viking/1/9/0.png", None).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        request("/tiles/mars_viking/a/b/c.png", None).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn wmts_rest_and_wcs_errors_use_their_statuses() {
    let tile = request(
        "/wmts/1.0.0/earth_relief/default/WebMercatorQuad/1/0/1.png",
        None,
    )
    .await;
    assert_eq!(tile.status, StatusCode::OK);
    assert_eq!(tile.headers[header::CONTENT_TYPE], "image/png");
    let missing = request(
        "/wcs?SERVICE=WCS&VERSION=2.0.1&REQUEST=GetCoverage&COVERAGEID=nope",
        None,
    )
    .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let text = missing.text();
    assert!(text.contains("NoSuchCoverage"), "{text}");
}
