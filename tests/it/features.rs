//! WFS and OGC API – Features over the demo's Mars collections, in-process.

use std::collections::BTreeSet;

use axum::http::StatusCode;
use vostok::config::Config;

use crate::harness::{self, Answer};
use crate::xmllint;

/// GETs `path` from the router over `config`. Every features document is text: a stray byte
/// must fail the test rather than turn into U+FFFD.
async fn get_with(config: Config, path: &str) -> Answer {
    let answer = harness::get(&harness::router(config).await, path).await;
    assert!(
        std::str::from_utf8(&answer.bytes).is_ok(),
        "{path}: the body is not UTF-8"
    );
    answer
}

async fn get(path: &str) -> Answer {
    get_with(Config::demo().unwrap(), path).await
}

async fn json(path: &str) -> serde_json::Value {
    let answer = get(path).await;
    assert_eq!(answer.status, StatusCode::OK, "{path}: {}", answer.body);
    serde_json::from_str(&answer.body).unwrap()
}

const CAPABILITIES: &str = "/wfs?SERVICE=WFS&REQUEST=GetCapabilities";

#[tokio::test]
async fn wfs_capabilities_are_valid_and_list_the_mars_collections_with_honest_constraints() {
    let answer = get(CAPABILITIES).await;
    assert_eq!(answer.status, StatusCode::OK);
    let doc = answer.body;
    for name in [
        "vostok:mars_craters",
        "vostok:mars_quadrangles",
        "vostok:mars_features",
        "vostok:mars_epn_core",
    ] {
        assert!(
            doc.contains(&format!("<wfs:Name>{name}</wfs:Name>")),
            "{name} missing"
        );
    }
    assert!(doc.contains("<wfs:DefaultCRS>urn:ogc:def:crs:IAU:2015:49900</wfs:DefaultCRS>"));
    assert!(doc.contains("name=\"ImplementsResultPaging\"><ows:NoValues/><ows:DefaultValue>TRUE"));
    assert!(
        doc.contains("name=\"ImplementsTransactionalWFS\"><ows:NoValues/><ows:DefaultValue>FALSE")
    );
    assert!(doc.contains("name=\"CountDefault\"><ows:NoValues/><ows:DefaultValue>10000"));
    assert!(doc.contains("<ows:Value>application/json</ows:Value>"));
    xmllint("ogc/wfs/2.0/wfs.xsd", &[("capabilities.xml", &doc)], &[]);
}

#[tokio::test]
async fn describe_feature_type_and_gml_features_are_valid_against_their_schemas() {
    let schema = get("/wfs?SERVICE=WFS&VERSION=2.0.0&REQUEST=DescribeFeatureType&TYPENAMES=vostok:mars_craters,vostok:mars_features").await;
    assert_eq!(schema.status, StatusCode::OK);
    assert!(
        schema.body.contains("<xsd:element name=\"mars_craters\""),
        "{}",
        schema.body
    );
    let craters = get("/wfs?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=vostok:mars_craters&COUNT=5&STARTINDEX=10").await;
    assert_eq!(craters.status, StatusCode::OK);
    assert!(
        craters.content_type.starts_with("application/gml+xml"),
        "{}",
        craters.content_type
    );
    assert!(
        craters
            .body
            .contains("numberMatched=\"1179\" numberReturned=\"5\""),
        "{}",
        &craters.body[..600]
    );
    let points = get(
        "/wfs?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=vostok:mars_features&COUNT=3",
    )
    .await;
    let wrapper = r#"<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema">
        <xsd:import namespace="http://www.opengis.net/wfs/2.0" schemaLocation="http://schemas.opengis.net/wfs/2.0/wfs.xsd"/>
        <xsd:import namespace="urn:x-vostok:features" schemaLocation="features.xsd"/></xsd:schema>"#;
    xmllint(
        "wrapper.xsd",
        &[("craters.xml", &craters.body), ("points.xml", &points.body)],
        &[("wrapper.xsd", wrapper), ("features.xsd", &schema.body)],
    );
}

fn ids_of_gml(doc: &str) -> Vec<String> {
    doc.match_indices("<vostok:mars_craters gml:id=\"")
        .map(|(at, m)| doc[at + m.len()..].split('"').next().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn paging_through_wfs_returns_every_feature_exactly_once() {
    let mut seen = Vec::new();
    let mut url =
        "/wfs?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=vostok:mars_craters&COUNT=250"
            .to_owned();
    let mut pages = 0;
    loop {
        let page = get(&url).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        seen.extend(ids_of_gml(&page.body));
        pages += 1;
        let Some(at) = page.body.find(" next=\"") else {
            break;
        };
        let next = page.body[at + 7..]
            .split('"')
            .next()
            .unwrap()
            .replace("&amp;", "&");
        url = next.trim_start_matches("http://127.0.0.1:8080").to_owned();
        assert!(pages < 10, "too many pages");
    }
    assert_eq!(pages, 5, "1179 features in pages of 250");
    let unique: BTreeSet<_> = seen.iter().collect();
    assert_eq!(seen.len(), 1179);
    assert_eq!(unique.len(), 1179, "a feature came twice");
}

#[tokio::test]
async fn paging_through_ogc_api_next_links_returns_every_feature_exactly_once() {
    let mut ids = Vec::new();
    let mut url = "/ogcapi/collections/mars_craters/items?limit=100".to_owned();
    loop {
        let page = json(&url).await;
        assert_eq!(page["numberMatched"], 1179);
        ids.extend(
            page["features"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f["id"].as_i64().unwrap()),
        );
        let next = page["links"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["rel"] == "next");
        match next {
            Some(link) => {
                url = link["href"]
                    .as_str()
                    .unwrap()
                    .trim_start_matches("http://127.0.0.1:8080")
                    .to_owned()
            }
            None => break,
        }
    }
    let unique: BTreeSet<_> = ids.iter().collect();
    assert_eq!((ids.len(), unique.len()), (1179, 1179));
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "pages are in id order");
}

fn longitudes(feature: &serde_json::Value) -> Vec<f64> {
    let geometry = &feature["geometry"];
    let polygons = match geometry["type"].as_str().unwrap() {
        "MultiPolygon" => geometry["coordinates"].as_array().unwrap().clone(),
        _ => vec![geometry["coordinates"].clone()],
    };
    polygons
        .iter()
        .flat_map(|p| {
            p[0].as_array()
                .unwrap()
                .iter()
                .map(|c| c[0].as_f64().unwrap())
                .collect::<Vec<_>>()
        })
        .collect()
}

#[tokio::test]
async fn an_antimeridian_bbox_returns_features_on_both_sides_cut_at_180() {
    let page = json("/ogcapi/collections/mars_craters/items?bbox=175,-90,-175,90&limit=1000").await;
    let features = page["features"].as_array().unwrap();
    let names: BTreeSet<&str> = features
        .iter()
        .map(|f| f["properties"]["name"].as_str().unwrap())
        .collect();
    // Castril at 175.3°E, Very at 183.0°E (−177.0°), Richardson and Suess across 180°.
    assert!(
        ["Castril", "Very", "Richardson", "Suess"]
            .iter()
            .all(|n| names.contains(n)),
        "{names:?}"
    );
    assert!(
        features
            .iter()
            .any(|f| longitudes(f).iter().all(|x| *x > 170.0)),
        "east of the seam"
    );
    assert!(
        features
            .iter()
            .any(|f| longitudes(f).iter().all(|x| *x < -170.0)),
        "west of the seam"
    );
    let richardson = features
        .iter()
        .find(|f| f["properties"]["name"] == "Richardson")
        .unwrap();
    assert_eq!(
        richardson["geometry"]["type"], "MultiPolygon",
        "cut at 180° (RFC 7946 §3.1.9)"
    );
    assert!(
        longitudes(richardson)
            .iter()
            .all(|x| (-180.0..=180.0).contains(x))
    );
    // The same box in east longitudes (175..185) finds the same craters.
    let east = json("/ogcapi/collections/mars_craters/items?bbox=175,-90,185,90&limit=1000").await;
    assert_eq!(east["numberMatched"].as_u64(), Some(features.len() as u64));
}

#[tokio::test]
async fn wfs_bbox_follows_the_axis_order_of_its_crs() {
    // Jezero crater (18.41°N, 77.69°E): latitude first in IAU_2015:49900 and EPSG:4326 (taken
    // as Mars degrees), longitude first in CRS84.
    for bbox in [
        "18,77,19,78,urn:ogc:def:crs:IAU:2015:49900",
        "18,77,19,78",
        "77,18,78,19,urn:ogc:def:crs:OGC:1.3:CRS84",
    ] {
        let answer = get(&format!(
            "/wfs?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=vostok:mars_craters&BBOX={bbox}&OUTPUTFORMAT=application/json"
        ))
        .await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
        let doc: serde_json::Value = serde_json::from_str(&answer.body).unwrap();
        let names: Vec<&str> = doc["features"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["properties"]["name"].as_str().unwrap())
            .collect();
        assert!(names.contains(&"Jezero"), "{bbox}: {names:?}");
        assert!(
            doc["features"][0]["id"]
                .as_str()
                .unwrap()
                .starts_with("mars_craters.")
        );
    }
}

#[tokio::test]
async fn hits_filters_sorting_and_properties() {
    let hits = get("/wfs?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=vostok:mars_craters&RESULTTYPE=hits").await;
    assert!(
        hits.body
            .contains("numberMatched=\"1179\" numberReturned=\"0\""),
        "{}",
        hits.body
    );
    let filter = "<fes:Filter xmlns:fes=\"http://www.opengis.net/fes/2.0\"><fes:And>\
        <fes:PropertyIsGreaterThan><fes:ValueReference>diameter_km</fes:ValueReference><fes:Literal>200</fes:Literal></fes:PropertyIsGreaterThan>\
        <fes:PropertyIsLike wildCard=\"*\" singleChar=\".\" escapeChar=\"!\"><fes:ValueReference>name</fes:ValueReference><fes:Literal>S*</fes:Literal></fes:PropertyIsLike>\
        </fes:And></fes:Filter>";
    let url = format!(
        "/wfs?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=vostok:mars_craters&OUTPUTFORMAT=application/json&SORTBY=diameter_km%20DESC&PROPERTYNAME=name,diameter_km&FILTER={}",
        ogc_common::kvp::encode(filter)
    );
    let doc: serde_json::Value = serde_json::from_str(&get(&url).await.body).unwrap();
    let features = doc["features"].as_array().unwrap();
    assert!(!features.is_empty());
    let diameters: Vec<f64> = features
        .iter()
        .map(|f| f["properties"]["diameter_km"].as_f64().unwrap())
        .collect();
    assert!(diameters.windows(2).all(|w| w[0] >= w[1]), "{diameters:?}");
    assert!(diameters.iter().all(|d| *d > 200.0));
    assert!(
        features
            .iter()
            .all(|f| f["properties"]["name"].as_str().unwrap().starts_with('S'))
    );
    assert_eq!(
        features[0]["properties"].as_object().unwrap().len(),
        2,
        "only the asked properties"
    );
    let by_id =
        get("/wfs?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&RESOURCEID=mars_craters.15029")
            .await;
    assert_eq!(ids_of_gml(&by_id.body), ["mars_craters.15029"]);
}

#[tokio::test]
async fn wfs_errors_are_exception_reports_with_code_locator_and_status() {
    for (query, status, code, locator) in [
        (
            "SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature",
            400,
            "MissingParameterValue",
            "TYPENAMES",
        ),
        (
            "SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=vostok:nothing",
            400,
            "InvalidParameterValue",
            "TYPENAMES",
        ),
        (
            "SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=vostok:mars_craters&BBOX=1,2,x,4",
            400,
            "InvalidParameterValue",
            "BBOX",
        ),
        (
            "SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=vostok:mars_craters&FILTER=%3CFilter%3E",
            400,
            "InvalidParameterValue",
            "FILTER",
        ),
        (
            "SERVICE=WFS&VERSION=2.0.0&REQUEST=Transaction",
            501,
            "OperationNotSupported",
            "REQUEST",
        ),
        (
            "SERVICE=WFS&REQUEST=GetCapabilities&ACCEPTVERSIONS=3.0.0",
            400,
            "VersionNegotiationFailed",
            "AcceptVersions",
        ),
        (
            "SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&STOREDQUERY_ID=urn:ogc:def:query:OGC-WFS::GetFeatureById&ID=mars_craters.1",
            404,
            "NotFound",
            "ID",
        ),
    ] {
        let answer = get(&format!("/wfs?{query}")).await;
        assert_eq!(answer.status.as_u16(), status, "{query}: {}", answer.body);
        assert!(
            answer
                .body
                .contains(&format!("exceptionCode=\"{code}\" locator=\"{locator}\"")),
            "{query}: {}",
            answer.body
        );
        xmllint(
            "ogc/ows/1.1.0/owsExceptionReport.xsd",
            &[("exception.xml", &answer.body)],
            &[],
        );
    }
}

#[tokio::test]
async fn stored_queries_and_get_feature_by_id() {
    let list = get("/wfs?SERVICE=WFS&VERSION=2.0.0&REQUEST=ListStoredQueries").await;
    let describe = get("/wfs?SERVICE=WFS&VERSION=2.0.0&REQUEST=DescribeStoredQueries").await;
    xmllint(
        "ogc/wfs/2.0/wfs.xsd",
        &[("list.xml", &list.body), ("describe.xml", &describe.body)],
        &[],
    );
    assert!(
        list.body
            .contains("urn:ogc:def:query:OGC-WFS::GetFeatureById")
    );
    let feature = get("/wfs?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&STOREDQUERY_ID=urn:ogc:def:query:OGC-WFS::GetFeatureById&ID=mars_craters.15029").await;
    assert_eq!(feature.status, StatusCode::OK);
    assert!(
        feature.body.contains("<vostok:mars_craters xmlns:wfs"),
        "the feature alone: {}",
        &feature.body[..300]
    );
    assert!(feature.body.contains("<vostok:name>Cayon</vostok:name>"));
}

#[tokio::test]
async fn wfs_110_answers_in_gml_311() {
    let caps = get("/wfs?SERVICE=WFS&REQUEST=GetCapabilities&VERSION=1.1.0").await;
    assert!(caps.body.contains("version=\"1.1.0\"") && caps.body.contains("<wfs:DefaultSRS>"));
    let features = get("/wfs?SERVICE=WFS&VERSION=1.1.0&REQUEST=GetFeature&TYPENAME=vostok:mars_quadrangles&MAXFEATURES=2").await;
    assert!(
        features.body.contains("numberOfFeatures=\"2\""),
        "{}",
        features.body
    );
    assert!(
        features
            .body
            .contains("<gml:featureMember><vostok:mars_quadrangles gml:id=\"mars_quadrangles.1\">")
    );
}

#[tokio::test]
async fn ogc_api_landing_conformance_collections_and_api() {
    let landing = json("/ogcapi").await;
    let rels: Vec<&str> = landing["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["rel"].as_str().unwrap())
        .collect();
    for rel in ["self", "service-desc", "conformance", "data"] {
        assert!(rels.contains(&rel), "{rel} missing from {rels:?}");
    }
    let conformance = json("/ogcapi/conformance").await;
    assert!(
        conformance["conformsTo"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c == "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs")
    );
    let collection = json("/ogcapi/collections/mars_craters").await;
    assert_eq!(
        collection["storageCrs"],
        "http://www.opengis.net/def/crs/IAU/2015/49900"
    );
    assert_eq!(
        collection["crs"][0],
        "http://www.opengis.net/def/crs/IAU/2015/49900"
    );
    assert_eq!(
        collection["extent"]["spatial"]["bbox"][0]
            .as_array()
            .unwrap()
            .len(),
        4
    );
    let api = get("/ogcapi/api").await;
    assert!(
        api.content_type
            .starts_with("application/vnd.oai.openapi+json")
    );
    let api: serde_json::Value = serde_json::from_str(&api.body).unwrap();
    let limit = api["paths"]["/collections/{collectionId}/items"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "limit")
        .unwrap()
        .clone();
    assert_eq!(
        (
            limit["schema"]["default"].as_u64(),
            limit["schema"]["maximum"].as_u64()
        ),
        (Some(100), Some(10_000))
    );
    let html = get("/ogcapi/collections?f=html").await;
    assert!(html.content_type.starts_with("text/html") && html.body.contains("mars_quadrangles"));
    let items_html = get("/ogcapi/collections/mars_quadrangles/items?f=html").await;
    assert!(
        items_html.body.contains("Mare Australe"),
        "{}",
        items_html.body
    );
}

#[tokio::test]
async fn ogc_api_items_limits_crs_and_single_features() {
    let page = get("/ogcapi/collections/mars_craters/items").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.content_type, "application/geo+json");
    assert_eq!(
        page.header("content-crs"),
        Some("<http://www.opengis.net/def/crs/OGC/1.3/CRS84>")
    );
    let doc: serde_json::Value = serde_json::from_str(&page.body).unwrap();
    assert_eq!(
        (
            doc["numberReturned"].as_u64(),
            doc["numberMatched"].as_u64()
        ),
        (Some(100), Some(1179))
    );
    // Latitude first in the Mars CRS.
    let mars = get("/ogcapi/collections/mars_craters/items/15029?crs=http://www.opengis.net/def/crs/IAU/2015/49900").await;
    assert_eq!(
        mars.header("content-crs"),
        Some("<http://www.opengis.net/def/crs/IAU/2015/49900>")
    );
    let feature: serde_json::Value = serde_json::from_str(&mars.body).unwrap();
    let first = &feature["geometry"]["coordinates"][0][0];
    assert!(
        (first[0].as_f64().unwrap() + 35.7).abs() < 0.5
            && (first[1].as_f64().unwrap() - 113.6).abs() < 0.5,
        "{first}"
    );
    assert_eq!(
        get("/ogcapi/collections/mars_craters/items/1").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get("/ogcapi/collections/nothing/items").await.status,
        StatusCode::NOT_FOUND
    );
    for bad in [
        "limit=0",
        "bbox=1,2,3",
        "crs=EPSG:3857",
        "colour=red",
        "bbox=0,10,1,5",
    ] {
        assert_eq!(
            get(&format!("/ogcapi/collections/mars_craters/items?{bad}"))
                .await
                .status,
            StatusCode::BAD_REQUEST,
            "{bad}"
        );
    }
    let capped = json("/ogcapi/collections/mars_features/items?limit=100000").await;
    assert_eq!(
        capped["numberReturned"], 1980,
        "a limit above the maximum is not an error"
    );
}

/// An ObsCore-like table: STC-S footprints with great-circle edges, and observation times.
fn obscore_like_config(dir: &std::path::Path) -> Config {
    use datafusion::arrow::array::{ArrayRef, RecordBatch, StringArray, TimestampSecondArray};
    use std::sync::Arc;
    let regions = [
        (
            "a",
            "Polygon ICRS 170 10 190 10 190 40 170 40",
            1_600_000_000,
        ),
        ("b", "Polygon ICRS 10 -5 12 -5 12 -3", 1_700_000_000),
        ("c", "Circle ICRS 100 50 1", 1_650_000_000),
    ];
    let columns: Vec<(&str, ArrayRef)> = vec![
        (
            "obs_id",
            Arc::new(StringArray::from_iter_values(regions.iter().map(|r| r.0))),
        ),
        (
            "s_region",
            Arc::new(StringArray::from_iter_values(regions.iter().map(|r| r.1))),
        ),
        (
            "t_min",
            Arc::new(TimestampSecondArray::from_iter_values(
                regions.iter().map(|r| r.2),
            )),
        ),
    ];
    let batch = RecordBatch::try_from_iter(columns).unwrap();
    let file = std::fs::File::create(dir.join("obs.parquet")).unwrap();
    let mut writer =
        datafusion::parquet::arrow::ArrowWriter::try_new(file, batch.schema(), None).unwrap();
    writer.write(&batch).unwrap();
    writer.close().unwrap();
    let text = "[schemas.ivoa.tables.obs]\npath = \"obs.parquet\"\n\
        [ogc.features]\ndensify_deg = 1.0\n\
        [ogc.features.collections.obs]\ntable = \"ivoa.obs\"\nid = \"obs_id\"\ngeometry = { s_region = \"s_region\" }\ndatetime = \"t_min\"\n";
    Config::parse(text, "test", dir.to_owned()).unwrap()
}

#[tokio::test]
async fn s_region_footprints_are_densified_along_great_circles_and_cut_at_the_seam() {
    let dir = tempfile::tempdir().unwrap();
    let answer = get_with(
        obscore_like_config(dir.path()),
        "/ogcapi/collections/obs/items?bbox=-179,35,-178,45",
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let doc: serde_json::Value = serde_json::from_str(&answer.body).unwrap();
    assert_eq!(doc["numberMatched"], 1, "{doc}");
    let feature = &doc["features"][0];
    assert_eq!(feature["id"], "a");
    assert_eq!(feature["geometry"]["type"], "MultiPolygon", "crosses 180°");
    // The great circle from (170, 40) to (190, 40) bulges north of the parallel: half way it
    // reaches atan(tan 40° / cos 10°) = 40.43°.
    let highest = feature["geometry"]["coordinates"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| {
            p[0].as_array()
                .unwrap()
                .iter()
                .map(|c| c[1].as_f64().unwrap())
                .collect::<Vec<_>>()
        })
        .fold(f64::MIN, f64::max);
    assert!((highest - 40.4325).abs() < 0.001, "{highest}");
    assert!(longitudes(feature).len() > 40, "densified every degree");
}

#[tokio::test]
async fn datetime_filters_on_the_configured_column() {
    let dir = tempfile::tempdir().unwrap();
    let answer = get_with(
        obscore_like_config(dir.path()),
        "/ogcapi/collections/obs/items?datetime=2022-01-01T00:00:00Z/..",
    )
    .await;
    let doc: serde_json::Value = serde_json::from_str(&answer.body).unwrap();
    let ids: Vec<&str> = doc["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["b", "c"], "{doc}");
}

#[tokio::test]
async fn cql2_text_filters_and_queryables() {
    let queryables = json("/ogcapi/collections/mars_craters/queryables").await;
    assert_eq!(queryables["properties"]["diameter_km"]["type"], "number");
    assert_eq!(
        queryables["properties"]["geometry"]["x-ogc-role"],
        "primary-geometry"
    );
    let filter = ogc_common::kvp::encode(
        "diameter_km BETWEEN 150 AND 160 AND name LIKE 'G%' AND S_INTERSECTS(geometry, BBOX(0, -90, 180, 90))",
    );
    let page = json(&format!(
        "/ogcapi/collections/mars_craters/items?filter={filter}&limit=1000"
    ))
    .await;
    let features = page["features"].as_array().unwrap();
    assert!(!features.is_empty());
    for f in features {
        let p = &f["properties"];
        let d = p["diameter_km"].as_f64().unwrap();
        assert!(
            (150.0..=160.0).contains(&d) && p["name"].as_str().unwrap().starts_with('G'),
            "{p}"
        );
        assert!((0.0..=180.0).contains(&p["lon"].as_f64().unwrap()), "{p}");
    }
    let names: Vec<&str> = features
        .iter()
        .map(|f| f["properties"]["name"].as_str().unwrap())
        .collect();
    // Gale (154 km, 137.8°E), Graff (154 km, 153.8°E) and Gusev (158 km, 175.5°E).
    assert_eq!(names, ["Gale", "Graff", "Gusev"]);
    let bad = get(&format!(
        "/ogcapi/collections/mars_craters/items?filter={}",
        ogc_common::kvp::encode("colour = 'red'")
    ))
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("not a queryable"), "{}", bad.body);
}

#[tokio::test]
async fn a_small_bbox_reads_few_row_groups_thanks_to_the_bbox_columns() {
    let dir = tempfile::tempdir().unwrap();
    let parquet = dir.path().join("footprints.parquet");
    let output = crate::vostok(&[
        "gen-footprints",
        "--rows",
        "40000",
        "--row-group-rows",
        "2000",
        "--out",
        parquet.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", crate::stderr(&output));
    let text = "[schemas.bench.tables.footprints]\npath = \"footprints.parquet\"\n\
        [ogc.features.collections.footprints]\ntable = \"bench.footprints\"\nid = \"footprint_id\"\ngeometry = { wkb = \"geometry\" }\n";
    let config = Config::parse(text, "test", dir.path().to_owned()).unwrap();
    let state = vostok::server::open(config).await.unwrap();
    let services = &state.features.services;
    let collection = services.collection("footprints").unwrap();
    let source = state.features.source("footprints").unwrap();
    let mut query = ogc_features::FeatureQuery::new("footprints", 1000, ogc_features::Crs::Crs84);
    query.filter = Some(ogc_features::Filter::Intersects(
        ogc_features::query::request_bbox([10.0, 10.0, 12.0, 12.0], ogc_features::Crs::Crs84)
            .unwrap(),
    ));
    let frame =
        vostok::features::plan::filtered(state.catalog.context(), source, collection, &query)
            .await
            .unwrap();
    let explained = frame.explain(false, true).unwrap().collect().await.unwrap();
    let text = datafusion::arrow::util::pretty::pretty_format_batches(&explained)
        .unwrap()
        .to_string();
    let pruning = text
        .split("row_groups_pruned_statistics=")
        .nth(1)
        .expect("row group pruning metrics in the plan")
        .split(" matched")
        .next()
        .unwrap()
        .to_owned();
    // "20 total → N matched": statistics on the bbox columns skip most row groups. A row group
    // holds neighbouring HEALPix cells, whose boxes overlap; those that straddle 0° (the seam of
    // these 0..360 longitudes) span every longitude, and only their latitudes prune them.
    let numbers: Vec<u64> = pruning
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect();
    assert_eq!(numbers[0], 20, "{pruning}");
    assert!(
        (1..=5).contains(&numbers[1]),
        "{pruning}: more row groups read than the box touches"
    );
}
