//! Rendered maps compared with references made independently by gdalwarp (tests/golden/make.sh).
//!
//! Tolerance: both sides use nearest-neighbour sampling at full resolution, but may round pixel
//! centres lying on a source pixel edge differently, so a few pixels take a neighbouring source
//! value. Required: the coverage (alpha) masks agree on ≥ 99 % of pixels, and where both are
//! opaque the mean absolute RGB difference is ≤ 3 levels and ≥ 97 % of pixels differ by ≤ 16.

#![allow(clippy::unwrap_used)] // tests may unwrap (project rule)

mod common;

use common::*;
use std::path::PathBuf;

fn golden(name: &str) -> image::RgbaImage {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    image::open(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .to_rgba8()
}

fn compare(name: &str, ours: &image::RgbaImage, reference: &image::RgbaImage) {
    assert_eq!(ours.dimensions(), reference.dimensions(), "{name}");
    if let Ok(dir) = std::env::var("OGC_TEST_OUT") {
        ours.save(format!("{dir}/ours_{name}")).unwrap();
    }
    let n = (ours.width() * ours.height()) as usize;
    let (mut mask_agree, mut both, mut close, mut sum) = (0usize, 0usize, 0usize, 0u64);
    for (a, b) in ours.pixels().zip(reference.pixels()) {
        let (oa, ob) = (a.0[3] > 127, b.0[3] > 127);
        mask_agree += usize::from(oa == ob);
        if oa && ob {
            both += 1;
            let d: Vec<u32> = (0..3).map(|k| u32::from(a.0[k].abs_diff(b.0[k]))).collect();
            sum += u64::from(d.iter().sum::<u32>());
            close += usize::from(d.iter().all(|&x| x <= 16));
        }
    }
    let mask = mask_agree as f64 / n as f64;
    let mean = sum as f64 / (3 * both.max(1)) as f64;
    let close = close as f64 / both.max(1) as f64;
    eprintln!(
        "{name}: mask agreement {mask:.4}, mean |ΔRGB| {mean:.2}, within 16: {close:.4} ({both} opaque pixels)"
    );
    assert!(both > n / 4, "{name}: only {both} opaque pixels");
    assert!(mask >= 0.99, "{name}: mask agreement {mask}");
    assert!(mean <= 3.0, "{name}: mean difference {mean}");
    assert!(close >= 0.97, "{name}: {close} of pixels within 16 levels");
}

#[test]
fn earth_tile_in_web_mercator_matches_gdalwarp() {
    let svc = demo_services();
    let ours = image(&svc.tile("earth_relief", 2, 2, 1));
    compare(
        "earth_3857_z2_x2_y1.png",
        &ours,
        &golden("earth_3857_z2_x2_y1.png"),
    );
}

#[test]
fn viking_mosaic_in_south_polar_stereographic_matches_gdalwarp() {
    let svc = demo_services();
    let r = get(
        |k| svc.wms(k),
        "SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=mars_viking&STYLES=&CRS=IAU_2015:49935&BBOX=-2000000,-2000000,2000000,2000000&WIDTH=256&HEIGHT=256&FORMAT=image/png&TRANSPARENT=TRUE",
    );
    compare(
        "viking_49935_south.png",
        &image(&r),
        &golden("viking_49935_south.png"),
    );
}

#[test]
fn a_0_360_request_on_a_minus_180_180_source_matches_gdalwarp() {
    let svc = demo_services();
    let r = get(
        |k| svc.wms(k),
        "SERVICE=WMS&VERSION=1.1.1&REQUEST=GetMap&LAYERS=mars_relief&STYLES=&SRS=EPSG:4326&BBOX=100,-60,260,60&WIDTH=320&HEIGHT=240&FORMAT=image/png&TRANSPARENT=TRUE",
    );
    compare(
        "relief_100-260E.png",
        &image(&r),
        &golden("relief_100-260E.png"),
    );
}
