//! The publishing registry in-process: OAI-PMH verbs, errors and resumption, the records of the
//! declared services and table collections (valid against the registry schemas), deleted
//! records across restarts, VOSI capabilities per service, and the coverage MOCs.

use std::collections::BTreeSet;
use std::path::Path;

use axum::http::{StatusCode, header};
use vostok::config::Config;

use crate::harness::{self, Answer, demo_app};
use crate::xmllint;

const OAI_SCHEMA: &str = "ivoa/all-oai-registry.xsd";

async fn app(config: Config, data_dir: &Path) -> axum::Router {
    let mut config = config;
    config.server.data_dir = data_dir.to_owned();
    harness::router(config).await
}

async fn request(app: &axum::Router, path: &str, accept: Option<&str>) -> Answer {
    let extra = accept.map(|accept| (header::ACCEPT, accept));
    harness::get_with(app, path, extra.as_slice()).await
}

async fn oai(app: &axum::Router, query: &str) -> String {
    let answer = request(app, &format!("/oai?{query}"), None).await;
    // OAI-PMH errors too are 200 OK (OAI-PMH 2.0 §3.6).
    assert_eq!(answer.status, StatusCode::OK, "{query}");
    assert!(answer.content_type.starts_with("text/xml"), "{query}");
    answer.text()
}

/// The text of every `<name>…</name>` in a document.
fn all(doc: &str, name: &str) -> Vec<String> {
    let open = format!("<{name}>");
    let close = format!("</{name}>");
    doc.split(&open)
        .skip(1)
        .filter_map(|rest| rest.split(&close).next())
        .map(str::to_owned)
        .collect()
}

fn error_code(doc: &str) -> Option<String> {
    let start = doc.find("<error code=\"")? + "<error code=\"".len();
    Some(doc[start..].split('"').next()?.to_owned())
}

fn resumption_token(doc: &str) -> Option<String> {
    let start = doc.find("<resumptionToken")?;
    let rest = &doc[start..];
    let open_end = rest.find('>')?;
    if rest[..open_end].ends_with('/') {
        return None;
    }
    Some(rest[open_end + 1..].split('<').next()?.to_owned())
}

/// Follows resumption tokens to the end; returns every page.
async fn harvest(app: &axum::Router, verb: &str, arguments: &str) -> Vec<String> {
    let mut pages = vec![oai(app, &format!("verb={verb}&{arguments}")).await];
    while let Some(token) = resumption_token(pages.last().unwrap()) {
        assert!(pages.len() < 100, "the resumption tokens do not end");
        pages.push(oai(app, &format!("verb={verb}&resumptionToken={token}")).await);
    }
    pages
}

fn identifiers(pages: &[String]) -> Vec<String> {
    pages
        .iter()
        .flat_map(|page| {
            // Headers of deleted records carry a status attribute.
            page.split("<header")
                .skip(1)
                .filter_map(|rest| rest.split("</header>").next())
                .flat_map(|header| all(header, "identifier"))
                .collect::<Vec<_>>()
        })
        .collect()
}

#[tokio::test]
async fn a_harvest_across_resumption_tokens_returns_every_service_and_collection_once_all_valid() {
    let (_data, app) = demo_app().await;
    let pages = harvest(&app, "ListRecords", "metadataPrefix=ivo_vor").await;
    assert!(
        pages.len() > 1,
        "the demo's page size should split the list"
    );
    let ids = identifiers(&pages);
    let unique: BTreeSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "a record came twice: {ids:?}");
    let expected = [
        "ivo://vostok.demo",
        "ivo://vostok.demo/registry",
        "ivo://vostok.demo/tap",
        "ivo://vostok.demo/wms",
        "ivo://vostok.demo/wmts",
        "ivo://vostok.demo/wcs",
        "ivo://vostok.demo/wfs",
        "ivo://vostok.demo/ogcapi",
        "ivo://vostok.demo/stars",
        "ivo://vostok.demo/dso",
        "ivo://vostok.demo/mars",
        "ivo://vostok.demo/mars_features",
        "ivo://vostok.demo/ivoa",
        "ivo://vostok.demo/sia",
        "ivo://vostok.demo/scs-stars.hipparcos",
        "ivo://vostok.demo/scs-stars.bsc",
        "ivo://vostok.demo/scs-dso.messier",
        "ivo://vostok.demo/scs-dso.deep_sky",
    ];
    let expected: BTreeSet<String> = expected.iter().map(|s| (*s).to_owned()).collect();
    assert_eq!(ids.iter().cloned().collect::<BTreeSet<_>>(), expected);
    // The last page closes the list with an empty token that still counts the records.
    let last = pages.last().unwrap();
    assert!(
        last.contains(&format!("completeListSize=\"{}\"", ids.len())),
        "{last}"
    );
    let documents: Vec<(String, &str)> = pages
        .iter()
        .enumerate()
        .map(|(i, p)| (format!("page{i}.xml"), p.as_str()))
        .collect();
    let documents: Vec<(&str, &str)> = documents.iter().map(|(n, d)| (n.as_str(), *d)).collect();
    xmllint(OAI_SCHEMA, &documents, &[]);

    let dc = harvest(&app, "ListRecords", "metadataPrefix=oai_dc").await;
    assert_eq!(identifiers(&dc).len(), ids.len());
    let dc_documents: Vec<(String, &str)> = dc
        .iter()
        .enumerate()
        .map(|(i, p)| (format!("dc{i}.xml"), p.as_str()))
        .collect();
    let dc_documents: Vec<(&str, &str)> =
        dc_documents.iter().map(|(n, d)| (n.as_str(), *d)).collect();
    xmllint(OAI_SCHEMA, &dc_documents, &[]);
}

#[tokio::test]
async fn the_tap_record_is_a_catalog_service_with_table_access_tables_and_sky_coverage() {
    let (_data, app) = demo_app().await;
    let doc = oai(
        &app,
        "verb=GetRecord&metadataPrefix=ivo_vor&identifier=ivo://vostok.demo/tap",
    )
    .await;
    assert!(doc.contains("xsi:type=\"vs:CatalogService\""), "{doc}");
    assert!(doc.contains("xsi:type=\"tr:TableAccess\""), "{doc}");
    assert!(doc.contains("<name>stars.hipparcos</name>"), "{doc}");
    assert!(doc.contains("<spatial>"), "{doc}");
    let stars = oai(
        &app,
        "verb=GetRecord&metadataPrefix=ivo_vor&identifier=ivo://vostok.demo/stars",
    )
    .await;
    assert!(
        stars.contains("standardID=\"ivo://ivoa.net/std/TAP#aux\""),
        "{stars}"
    );
    assert!(stars.contains("<name>stars.bsc</name>"), "{stars}");
    assert!(!stars.contains("<name>dso.messier</name>"), "{stars}");
    assert!(stars.contains("/moc/stars.fits</footprint>"), "{stars}");
    // The Mars tables are indexed by body-fixed positions: no sky coverage.
    let mars = oai(
        &app,
        "verb=GetRecord&metadataPrefix=ivo_vor&identifier=ivo://vostok.demo/mars",
    )
    .await;
    assert!(!mars.contains("<coverage>"), "{mars}");
    // WFS serves the Mars footprint tables: their description goes with its record.
    let wfs = oai(
        &app,
        "verb=GetRecord&metadataPrefix=ivo_vor&identifier=ivo://vostok.demo/wfs",
    )
    .await;
    assert!(wfs.contains("xsi:type=\"vs:CatalogService\""), "{wfs}");
    assert!(wfs.contains("<name>mars.craters</name>"), "{wfs}");
    assert!(!wfs.contains("<name>stars.bsc</name>"), "{wfs}");
    let identify = oai(&app, "verb=Identify").await;
    assert!(identify.contains("xsi:type=\"vg:Registry\""), "{identify}");
    assert!(identify.contains("<managedAuthority>vostok.demo</managedAuthority>"));
    xmllint(
        OAI_SCHEMA,
        &[
            ("tap.xml", &doc),
            ("mars.xml", &mars),
            ("identify.xml", &identify),
        ],
        &[],
    );
}

#[tokio::test]
async fn every_oai_pmh_error_condition_answers_its_code() {
    let (_data, app) = demo_app().await;
    let cases = [
        ("", "badVerb"),
        ("verb=Explode", "badVerb"),
        ("verb=Identify&verb=Identify", "badVerb"),
        ("verb=Identify&colour=blue", "badArgument"),
        ("verb=ListRecords", "badArgument"),
        (
            "verb=GetRecord&identifier=ivo://vostok.demo/tap",
            "badArgument",
        ),
        (
            "verb=ListRecords&metadataPrefix=ivo_vor&from=yesterday",
            "badArgument",
        ),
        (
            "verb=ListRecords&metadataPrefix=ivo_vor&from=2020-01-01&until=2021-01-01T00:00:00Z",
            "badArgument",
        ),
        (
            "verb=ListRecords&metadataPrefix=ivo_vor&from=2021-01-01&until=2020-01-01",
            "badArgument",
        ),
        (
            "verb=ListRecords&metadataPrefix=ivo_vor&metadataPrefix=oai_dc",
            "badArgument",
        ),
        (
            "verb=ListRecords&metadataPrefix=bad%20prefix",
            "badArgument",
        ),
        (
            "verb=GetRecord&identifier=ivo://vostok.demo/tap&metadataPrefix=",
            "badArgument",
        ),
        (
            "verb=ListRecords&metadataPrefix=ivo_vor&set=%3Cset%3E",
            "badArgument",
        ),
        (
            "verb=ListRecords&metadataPrefix=marc21",
            "cannotDisseminateFormat",
        ),
        (
            "verb=GetRecord&metadataPrefix=ivo_vor&identifier=not%20a%20%3Curi%3E",
            "idDoesNotExist",
        ),
        (
            "verb=GetRecord&identifier=ivo://vostok.demo/tap&metadataPrefix=marc21",
            "cannotDisseminateFormat",
        ),
        (
            "verb=GetRecord&identifier=ivo://elsewhere/x&metadataPrefix=ivo_vor",
            "idDoesNotExist",
        ),
        (
            "verb=ListMetadataFormats&identifier=ivo://elsewhere/x",
            "idDoesNotExist",
        ),
        (
            "verb=ListRecords&metadataPrefix=ivo_vor&from=2999-01-01",
            "noRecordsMatch",
        ),
        (
            "verb=ListIdentifiers&metadataPrefix=ivo_vor&until=1990-01-01",
            "noRecordsMatch",
        ),
        (
            "verb=ListRecords&metadataPrefix=ivo_vor&set=no_such_set",
            "noRecordsMatch",
        ),
        (
            "verb=ListRecords&resumptionToken=0123abcd",
            "badResumptionToken",
        ),
        (
            "verb=ListIdentifiers&resumptionToken=not-a-token",
            "badResumptionToken",
        ),
        (
            "verb=ListSets&resumptionToken=anything",
            "badResumptionToken",
        ),
    ];
    let mut documents = Vec::new();
    for (query, code) in cases {
        let doc = oai(&app, query).await;
        assert_eq!(error_code(&doc).as_deref(), Some(code), "{query}:\n{doc}");
        // §3.2: after badVerb and badArgument, the request element echoes no arguments.
        if code == "badVerb" || code == "badArgument" {
            assert!(doc.contains("<request>"), "{query}:\n{doc}");
        }
        documents.push((format!("{}.xml", documents.len()), doc));
    }
    let documents: Vec<(&str, &str)> = documents
        .iter()
        .map(|(n, d)| (n.as_str(), d.as_str()))
        .collect();
    xmllint(OAI_SCHEMA, &documents, &[]);
}

#[tokio::test]
async fn selective_harvesting_by_date_and_set_and_post_requests_work() {
    let (_data, app) = demo_app().await;
    let all_ids = identifiers(&harvest(&app, "ListIdentifiers", "metadataPrefix=ivo_vor").await);
    let managed = identifiers(
        &harvest(
            &app,
            "ListIdentifiers",
            "metadataPrefix=ivo_vor&set=ivo_managed",
        )
        .await,
    );
    assert_eq!(all_ids, managed);
    let since = identifiers(
        &harvest(
            &app,
            "ListIdentifiers",
            "metadataPrefix=ivo_vor&from=2000-01-01&until=2999-12-31",
        )
        .await,
    );
    assert_eq!(all_ids, since);
    let doc = harness::post_form(
        &app,
        "/oai",
        "verb=GetRecord&metadataPrefix=oai_dc&identifier=ivo%3A%2F%2Fvostok.demo%2Ftap",
    )
    .await
    .text();
    assert!(
        doc.contains("<dc:identifier>ivo://vostok.demo/tap</dc:identifier>"),
        "{doc}"
    );
}

#[tokio::test]
async fn services_removed_from_the_configuration_are_reported_as_deleted_after_a_restart() {
    let data = tempfile::tempdir().unwrap();
    let first = app(Config::demo().unwrap(), data.path()).await;
    let before = oai(
        &first,
        "verb=GetRecord&metadataPrefix=ivo_vor&identifier=ivo://vostok.demo/wms",
    )
    .await;
    assert!(!before.contains("status=\"deleted\""), "{before}");
    drop(first);

    let mut config = Config::demo().unwrap();
    config.ogc.raster.clear();
    let second = app(config, data.path()).await;
    let ids = identifiers(&harvest(&second, "ListIdentifiers", "metadataPrefix=ivo_vor").await);
    assert!(ids.contains(&"ivo://vostok.demo/wms".to_owned()), "{ids:?}");
    for key in ["wms", "wmts", "wcs"] {
        let doc = oai(
            &second,
            &format!("verb=GetRecord&metadataPrefix=ivo_vor&identifier=ivo://vostok.demo/{key}"),
        )
        .await;
        assert!(doc.contains("<header status=\"deleted\">"), "{doc}");
        assert!(!doc.contains("<metadata>"), "{doc}");
        xmllint(OAI_SCHEMA, &[("deleted.xml", &doc)], &[]);
    }
    let tap = oai(
        &second,
        "verb=GetRecord&metadataPrefix=ivo_vor&identifier=ivo://vostok.demo/tap",
    )
    .await;
    assert!(!tap.contains("status=\"deleted\""), "{tap}");
    // The removed service is gone from the router and the landing page too.
    assert_eq!(
        request(&second, "/wms", None).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn every_registered_service_has_valid_vosi_capabilities_whose_urls_route() {
    let (_data, app) = demo_app().await;
    let mut documents = Vec::new();
    for path in [
        "/tap/capabilities",
        "/vosi/wms/capabilities",
        "/vosi/wmts/capabilities",
        "/vosi/wcs/capabilities",
        "/vosi/wfs/capabilities",
        "/vosi/ogcapi/capabilities",
        "/vosi/registry/capabilities",
    ] {
        let answer = request(&app, path, None).await;
        assert_eq!(answer.status, StatusCode::OK, "{path}");
        let doc = answer.text();
        // Base URLs take parameters (the conformance check asks each protocol's own question).
        let full_urls = doc
            .split("<accessURL use=\"full\">")
            .skip(1)
            .filter_map(|rest| rest.split('<').next());
        for url in full_urls.flat_map(|u| u.split("http://").nth(1)) {
            let local = &url[url.find('/').unwrap()..];
            let status = request(&app, local, None).await.status;
            assert_eq!(status, StatusCode::OK, "{path}: {local}");
        }
        documents.push((format!("{}.xml", documents.len()), doc));
    }
    assert_eq!(
        request(&app, "/vosi/nothing/capabilities", None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let documents: Vec<(&str, &str)> = documents
        .iter()
        .map(|(n, d)| (n.as_str(), d.as_str()))
        .collect();
    // The shared VOSI umbrella lacks VORegistry (the registry's vg:Harvest): one that adds it.
    let ivoa = crate::shared_data().parent().unwrap().join("schemas/ivoa");
    let umbrella = format!(
        r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:include schemaLocation="{0}/all-vosi-capabilities.xsd"/>
  <xs:import namespace="http://www.ivoa.net/xml/VORegistry/v1.0" schemaLocation="{0}/VORegistry-v1.0.xsd"/>
</xs:schema>"#,
        ivoa.display()
    );
    xmllint("umbrella.xsd", &documents, &[("umbrella.xsd", &umbrella)]);
}

#[tokio::test]
async fn the_moc_of_a_catalogue_holds_its_objects_in_every_serialisation() {
    let (_data, app) = demo_app().await;
    // M1, the Crab nebula (RA 83.63°, Dec +22.01°), at the served MOC order.
    let depth = vostok::coverage::MOC_DEPTH;
    let cell = cdshealpix::nested::hash(depth, 83.633_f64.to_radians(), 22.0145_f64.to_radians());
    let ascii = request(&app, "/moc/dso.messier.txt", None).await;
    assert_eq!(ascii.status, StatusCode::OK);
    let text = ascii.text();
    assert!(
        moc_ascii_contains(&text, depth, cell),
        "cell {cell} missing from:\n{text}"
    );
    // A cell far from any Messier object: the south celestial pole.
    let pole = cdshealpix::nested::hash(depth, 0.0, (-89.9_f64).to_radians());
    assert!(!moc_ascii_contains(&text, depth, pole), "{text}");

    let fits = request(&app, "/moc/dso.messier", Some("application/fits")).await;
    assert_eq!(fits.content_type, "application/fits");
    assert!(fits.bytes.starts_with(b"SIMPLE  ="), "not FITS");
    assert_eq!(
        fits.bytes.len() % 2880,
        0,
        "FITS files are 2880-byte blocks"
    );
    let json = request(&app, "/moc/dso.messier", Some("application/json")).await;
    assert!(json.content_type.starts_with("application/json"));
    let json: serde_json::Value = serde_json::from_slice(&json.bytes).unwrap();
    let cells = json[depth.to_string()].as_array().unwrap();
    assert!(cells.iter().any(|c| c.as_u64() == Some(cell)), "{json}");
    let union = request(&app, "/moc/dso.txt", None).await;
    assert!(moc_ascii_contains(&union.text(), depth, cell));
    assert_eq!(
        request(&app, "/moc/mars.craters", None).await.status,
        StatusCode::NOT_FOUND
    );
}

/// Whether a MOC in ASCII serialisation (`depth/cell cell-cell …`) covers `cell` at `depth`.
fn moc_ascii_contains(text: &str, depth: u8, cell: u64) -> bool {
    let mut current_depth = 0_u8;
    for token in text.split_whitespace() {
        let token = match token.split_once('/') {
            Some((d, rest)) => {
                current_depth = d.parse().unwrap();
                rest
            }
            None => token,
        };
        if token.is_empty() || current_depth > depth {
            continue;
        }
        let shift = 2 * u32::from(depth - current_depth);
        let (start, end) = match token.split_once('-') {
            Some((a, b)) => (a.parse::<u64>().unwrap(), b.parse::<u64>().unwrap()),
            None => (token.parse().unwrap(), token.parse().unwrap()),
        };
        if (start << shift..(end + 1) << shift).contains(&cell) {
            return true;
        }
    }
    false
}

#[tokio::test]
async fn mocs_are_cached_under_the_data_directory_and_recomputed_when_their_key_changes() {
    let data = tempfile::tempdir().unwrap();
    let first = app(Config::demo().unwrap(), data.path()).await;
    let messier = request(&first, "/moc/dso.messier.txt", None).await.text();
    let bsc = request(&first, "/moc/stars.bsc.txt", None).await.text();
    assert_ne!(messier, bsc);
    drop(first);
    let cache = data.path().join("moc");
    for name in [
        "dso.messier",
        "stars.bsc",
        "stars.hipparcos",
        "dso.deep_sky",
    ] {
        assert!(cache.join(format!("{name}.fits")).is_file(), "{name}");
        assert!(cache.join(format!("{name}.key")).is_file(), "{name}");
    }

    // A restart reads the cache: a planted MOC under a valid key is what gets served.
    std::fs::copy(cache.join("stars.bsc.fits"), cache.join("dso.messier.fits")).unwrap();
    let second = app(Config::demo().unwrap(), data.path()).await;
    assert_eq!(
        request(&second, "/moc/dso.messier.txt", None).await.text(),
        bsc
    );
    drop(second);

    // A key that no longer describes the table's files is a miss: the MOC is computed again.
    std::fs::write(cache.join("dso.messier.key"), "stale").unwrap();
    let third = app(Config::demo().unwrap(), data.path()).await;
    assert_eq!(
        request(&third, "/moc/dso.messier.txt", None).await.text(),
        messier
    );
}

#[tokio::test]
async fn without_an_authority_there_is_no_registry_but_the_mocs_are_served() {
    let data = tempfile::tempdir().unwrap();
    let mut config = Config::demo().unwrap();
    config.registry.authority = None;
    let app = app(config, data.path()).await;
    assert_eq!(
        request(&app, "/oai?verb=Identify", None).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        request(&app, "/vosi/registry/capabilities", None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // The other services keep their VOSI capabilities.
    assert_eq!(
        request(&app, "/vosi/wms/capabilities", None).await.status,
        StatusCode::OK
    );
    let landing = request(&app, "/", None).await.text();
    assert!(!landing.contains("/oai"), "{landing}");
    assert!(landing.contains("/moc"), "{landing}");
    assert_eq!(
        request(&app, "/moc/stars.bsc.fits", None).await.status,
        StatusCode::OK
    );
    assert!(!data.path().join("registry").exists());
}
