//! XYZ tiles and WMTS against the real Mars rasters.

#![allow(clippy::unwrap_used)] // tests may unwrap (project rule)

mod common;

use common::*;

#[test]
fn xyz_tiles_are_cached_with_validators() {
    let svc = mars_services();
    let first = svc.tile("mars_viking", 1, 2, 0);
    let img = image(&first);
    assert_eq!((img.width(), img.height()), (256, 256));
    let etag = first.header("ETag").unwrap().to_string();
    assert!(
        first
            .header("Cache-Control")
            .unwrap()
            .contains("max-age=3600")
    );
    let second = svc.tile("mars_viking", 1, 2, 0);
    assert_eq!(second.header("ETag"), Some(etag.as_str()));
    assert_eq!(first.body, second.body);
    // A different tile has a different validator.
    assert_ne!(
        svc.tile("mars_viking", 1, 0, 0).header("ETag"),
        Some(etag.as_str())
    );
}

#[test]
fn mars_xyz_tiles_follow_the_equirectangular_quad() {
    let svc = mars_services();
    // Zoom 0 has 2×1 tiles: the eastern one equals a WMS map of 0..180°E.
    let tile = image(&svc.tile("mars_viking", 0, 1, 0));
    let map = image(&get(
        |k| svc.wms(k),
        "SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=mars_viking&STYLES=&CRS=CRS:84&BBOX=0,-90,180,90&WIDTH=256&HEIGHT=256&FORMAT=image/png&TRANSPARENT=TRUE",
    ));
    assert_eq!(tile.as_raw(), map.as_raw());
    assert_eq!(svc.tile("mars_viking", 0, 2, 0).status, 404);
    assert_eq!(svc.tile("nope", 0, 0, 0).status, 404);
}

#[test]
fn wmts_kvp_and_rest_return_the_same_tile() {
    let svc = mars_services();
    let caps = text(&get(
        |k| svc.wmts(k),
        "SERVICE=WMTS&REQUEST=GetCapabilities&VERSION=1.0.0",
    ));
    if let Ok(dir) = std::env::var("OGC_TEST_OUT") {
        std::fs::write(format!("{dir}/wmts.xml"), &caps).unwrap();
    }
    assert!(caps.contains("<ows:Identifier>MarsGeographicQuad</ows:Identifier>"));
    assert!(caps.contains("<TopLeftCorner>-180 90</TopLeftCorner>"));
    let kvp = get(
        |k| svc.wmts(k),
        "SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=mars_relief&STYLE=default&FORMAT=image/png&TILEMATRIXSET=MarsGeographicQuad&TILEMATRIX=1&TILEROW=0&TILECOL=3",
    );
    let rest = svc.wmts_rest_tile("mars_relief", "MarsGeographicQuad", "1", 0, 3, "png");
    assert_eq!(image(&kvp).as_raw(), image(&rest).as_raw());
    let out = get(
        |k| svc.wmts(k),
        "SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=mars_relief&STYLE=default&FORMAT=image/png&TILEMATRIXSET=MarsGeographicQuad&TILEMATRIX=1&TILEROW=5&TILECOL=0",
    );
    assert!(text(&out).contains("exceptionCode=\"TileOutOfRange\""));
    let wrong_set = svc.wmts_rest_tile("mars_relief", "WebMercatorQuad", "1", 0, 0, "png");
    assert!(text(&wrong_set).contains("locator=\"TILEMATRIXSET\""));
}
