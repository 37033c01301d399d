//! 16-bit and float rasters with NoData and a value-to-colour stretch; tiled files with
//! overviews. The fixtures are written with vostok's GeoTIFF writer from a synthetic ramp.

#![allow(clippy::unwrap_used)] // tests may unwrap (project rule)

use ogc_maps::config::{MapsConfig, RasterLayerConfig, Resampling, StretchConfig};
use ogc_maps::crs::Crs;
use ogc_maps::raster::write::{GeoTiffSpec, LevelData, PixelData, write_geotiff};
use ogc_maps::raster::{GeoTransform, RasterSource};
use ogc_maps::{Kvp, RasterServices};

const W: u32 = 360;
const H: u32 = 180;

/// Value at (col, row): the column number, except NoData (−9999) in the first 10 rows.
fn value(col: u32, row: u32) -> f32 {
    if row < 10 { -9999.0 } else { col as f32 }
}

fn layer(name: &str, path: &str, stretch: Option<StretchConfig>) -> RasterLayerConfig {
    RasterLayerConfig {
        name: name.into(),
        title: None,
        abstract_text: None,
        path: path.into(),
        crs: None,
        extent: None,
        nodata: None,
        stretch,
        resampling: Resampling::Nearest,
    }
}

fn services() -> (RasterServices, tempfile_dir::Dir) {
    let dir = tempfile_dir::Dir::new();
    let floats: Vec<f32> = (0..H)
        .flat_map(|r| (0..W).map(move |c| value(c, r)))
        .collect();
    let shorts: Vec<u16> = (0..H)
        .flat_map(|r| (0..W).map(move |c| if r < 10 { 0 } else { c as u16 * 100 + 1 }))
        .collect();
    // The overview is marked: its values are 1000 above the full-resolution ones, so that a map
    // drawn from it is all at the top of the stretch.
    let half: Vec<f32> = (0..H / 2)
        .flat_map(|r| {
            (0..W / 2).map(move |c| {
                if r < 5 {
                    -9999.0
                } else {
                    value(2 * c, 2 * r) + 1000.0
                }
            })
        })
        .collect();
    let geo = GeoTransform::from_extent([-180.0, -90.0, 180.0, 90.0], W, H);
    let float_tif = write_geotiff(&GeoTiffSpec {
        bands: 1,
        levels: vec![
            LevelData {
                width: W,
                height: H,
                data: PixelData::F32(&floats),
            },
            LevelData {
                width: W / 2,
                height: H / 2,
                data: PixelData::F32(&half),
            },
        ],
        tile: Some(64),
        geo,
        crs: Crs::Mars49900,
        nodata: Some(-9999.0),
    })
    .unwrap();
    std::fs::write(dir.path().join("float.tif"), float_tif).unwrap();
    let u16_tif = write_geotiff(&GeoTiffSpec {
        bands: 1,
        levels: vec![LevelData {
            width: W,
            height: H,
            data: PixelData::U16(&shorts),
        }],
        tile: None,
        geo,
        crs: Crs::Epsg4326,
        nodata: Some(0.0),
    })
    .unwrap();
    std::fs::write(dir.path().join("u16.tif"), u16_tif).unwrap();
    let ramp = |max: f64| {
        Some(StretchConfig {
            min: 0.0,
            max,
            colors: vec!["#0000ff".into(), "#ff0000".into()],
        })
    };
    let cfg = MapsConfig {
        raster: vec![
            layer("float", "float.tif", ramp(359.0)),
            layer("u16", "u16.tif", ramp(35901.0)),
        ],
        ..MapsConfig::default()
    };
    (
        RasterServices::new(&cfg, dir.path(), "http://t").unwrap(),
        dir,
    )
}

/// A temporary folder removed on drop (std only).
mod tempfile_dir {
    pub struct Dir(std::path::PathBuf);
    impl Dir {
        pub fn new() -> Self {
            let n = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos();
            let p = std::env::temp_dir().join(format!("ogc-types-{}-{n}", std::process::id()));
            std::fs::create_dir_all(&p).unwrap();
            Self(p)
        }
        pub fn path(&self) -> &std::path::Path {
            &self.0
        }
    }
    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

fn map(svc: &RasterServices, layer: &str) -> image::RgbaImage {
    let q = format!(
        "SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS={layer}&STYLES=&CRS=CRS:84&BBOX=-180,-90,180,90&WIDTH=360&HEIGHT=180&FORMAT=image/png&TRANSPARENT=TRUE"
    );
    let r = svc.wms(&Kvp::from_query(&q));
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    image::load_from_memory(&r.body).unwrap().to_rgba8()
}

#[test]
fn float_and_16_bit_values_are_stretched_onto_the_ramp_and_nodata_is_transparent() {
    let (svc, _dir) = services();
    for layer in ["float", "u16"] {
        let img = map(&svc, layer);
        assert_eq!(
            img.get_pixel(0, 5).0[3],
            0,
            "{layer}: NoData rows are transparent"
        );
        assert_eq!(
            img.get_pixel(0, 100).0,
            [0, 0, 255, 255],
            "{layer}: minimum is the first colour"
        );
        assert_eq!(
            img.get_pixel(359, 100).0,
            [255, 0, 0, 255],
            "{layer}: maximum is the last colour"
        );
        let mid = img.get_pixel(180, 100).0;
        assert!(
            (i32::from(mid[0]) - 128).abs() <= 1 && (i32::from(mid[2]) - 127).abs() <= 1,
            "{layer}: {mid:?}"
        );
    }
}

#[test]
fn feature_info_and_wcs_return_the_raw_float_values() {
    let (svc, dir) = services();
    let q = "SERVICE=WMS&VERSION=1.3.0&REQUEST=GetFeatureInfo&LAYERS=float&QUERY_LAYERS=float&STYLES=&CRS=CRS:84&BBOX=-180,-90,180,90&WIDTH=360&HEIGHT=180&I=123&J=50&INFO_FORMAT=text/plain";
    let text = String::from_utf8(svc.wms(&Kvp::from_query(q)).body.to_vec()).unwrap();
    assert!(text.contains("band_1 = 123"), "{text}");
    let r = svc.wcs(&Kvp::from_query("SERVICE=WCS&VERSION=2.0.1&REQUEST=GetCoverage&COVERAGEID=float&SUBSET=Lat(75,85)&SUBSET=Long(0,10)"));
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    std::fs::write(dir.path().join("out.tif"), &r.body).unwrap();
    let out = RasterSource::open_geotiff(9, &dir.path().join("out.tif"), None).unwrap();
    assert_eq!(out.kind, ogc_maps::raster::SampleKind::F32);
    assert_eq!(out.file_nodata, Some(-9999.0));
    assert_eq!((out.width(), out.height()), (10, 10));
    let cache = ogc_maps::raster::new_chunk_cache(1 << 20);
    let mut v = [0f32];
    ogc_maps::raster::PixelReader::new(&out, &cache, 0)
        .read(3, 9, &mut v)
        .unwrap();
    assert_eq!(v[0], 183.0);
    ogc_maps::raster::PixelReader::new(&out, &cache, 0)
        .read(3, 0, &mut v)
        .unwrap();
    assert_eq!(v[0], -9999.0);
}

#[test]
fn tiled_files_expose_their_overviews_and_small_maps_read_them() {
    let (svc, _dir) = services();
    let float = svc.layer("float").unwrap();
    assert_eq!(float.source.levels.len(), 2);
    assert_eq!(
        (
            float.source.levels[1].width,
            float.source.levels[1].chunk_width
        ),
        (180, 64)
    );
    // At 1 source pixel per output pixel the full resolution is drawn (a ramp)...
    let full = map(&svc, "float");
    assert_eq!(full.get_pixel(0, 100).0, [0, 0, 255, 255]);
    // ...at 4 per output pixel the half-size overview, whose marked values all hit the top.
    let q = "SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=float&STYLES=&CRS=CRS:84&BBOX=-180,-90,180,90&WIDTH=90&HEIGHT=45&FORMAT=image/png&TRANSPARENT=TRUE";
    let small = image::load_from_memory(&svc.wms(&Kvp::from_query(q)).body)
        .unwrap()
        .to_rgba8();
    assert!(
        small
            .pixels()
            .filter(|p| p.0[3] == 255)
            .all(|p| p.0 == [255, 0, 0, 255])
    );
    assert!(small.pixels().filter(|p| p.0[3] == 255).count() > 3000);
    // GetFeatureInfo reads the full resolution whatever the map's scale.
    let q = "SERVICE=WMS&VERSION=1.3.0&REQUEST=GetFeatureInfo&LAYERS=float&QUERY_LAYERS=float&STYLES=&CRS=CRS:84&BBOX=-180,-90,180,90&WIDTH=90&HEIGHT=45&I=10&J=20&INFO_FORMAT=text/plain";
    let text = String::from_utf8(svc.wms(&Kvp::from_query(q)).body.to_vec()).unwrap();
    assert!(text.contains("band_1 = 42"), "{text}");
}
