//! Answers made of features — WFS GetFeature (hits, pages, GetFeatureById) and the OGC API
//! items and item — run over a [`FeatureSource`] and written into an [`AnswerSink`] feature by
//! feature: the features crate, not the server, counts, pages and finds by id.

use std::io::{self, Write};

use ogc_common::{Code, OgcError, OgcResponse};

use crate::collection::Collection;
use crate::encode::geojson::GeoJsonWriter;
use crate::ogcapi::{self, HtmlItemsWriter, ItemPlan, ItemsPlan, Representation};
use crate::query::{FeatureQuery, ResultType};
use crate::service::FeatureServices;
use crate::source::{FeatureIter, FeatureSource, SourceError};
use crate::wfs::{GetFeaturePlan, WfsFormat, error_document};

/// Where an answer goes: either one whole document, or the head of a stream followed by its
/// body through [`Write`]. One of the two is called once, before anything is written.
pub trait AnswerSink: Write {
    fn document(&mut self, document: OgcResponse) -> io::Result<()>;

    /// Starts a 200 streamed body of `content_type`, with extra `headers`.
    fn stream(&mut self, content_type: &str, headers: &[(&'static str, String)]) -> io::Result<()>;
}

/// Why an answer stopped; the sink has then received an error document or a cut-short body.
#[derive(Debug, thiserror::Error)]
pub enum AnswerError {
    /// The source failed before the answer began: an error document went in its place.
    #[error("the source failed: {0}")]
    Source(#[source] SourceError),
    /// The source failed once the body had begun: the body is cut short.
    #[error("the feature stream stopped: {0}")]
    Stream(#[source] SourceError),
    /// Writing failed (the client went away).
    #[error(transparent)]
    Io(#[from] io::Error),
}

/// `query` with its match count when `count` is asked; a page cut short by its limit is ordered
/// by id, so that the following pages (always ordered) neither skip nor repeat features.
fn counted(
    source: &impl FeatureSource,
    collection: &Collection,
    query: &FeatureQuery,
    count: bool,
) -> Result<(FeatureQuery, Option<u64>), SourceError> {
    let matched = if count {
        Some(source.count(collection, query)?)
    } else {
        None
    };
    let mut query = query.clone();
    if matched.is_some_and(|m| m > query.offset + query.limit) {
        query.paged = true;
    }
    Ok((query, matched))
}

/// Feeds every feature to `write`; a source error cuts the body short.
fn each<S: Write>(
    features: FeatureIter<'_>,
    sink: &mut S,
    mut write: impl FnMut(&mut S, crate::Feature) -> io::Result<()>,
) -> Result<(), AnswerError> {
    for feature in features {
        write(sink, feature.map_err(AnswerError::Stream)?)?;
    }
    Ok(())
}

impl FeatureServices {
    fn planned_collection(&self, query: &FeatureQuery) -> Result<&Collection, SourceError> {
        self.collection(&query.collection)
            .ok_or(SourceError::UnknownCollection)
    }

    /// WFS GetFeature: the hits document, a page of features in GML or GeoJSON, or the one
    /// feature of GetFeatureById (NotFound when there is none).
    pub fn get_feature<S: AnswerSink>(
        &self,
        plan: &GetFeaturePlan,
        source: &impl FeatureSource,
        sink: &mut S,
    ) -> Result<(), AnswerError> {
        let failed = |sink: &mut S, error: SourceError| {
            let report = OgcError::new(Code::NoApplicableCode, None, error.to_string());
            sink.document(error_document(&report, plan.version))?;
            Err(AnswerError::Source(error))
        };
        let hits = plan.query.result_type == ResultType::Hits;
        // The GML root element carries the counts, so they are needed before the first feature.
        let count =
            !plan.by_id && (plan.query.paged || hits || matches!(plan.format, WfsFormat::Gml(_)));
        let opened = self
            .planned_collection(&plan.query)
            .and_then(|c| Ok((c, counted(source, c, &plan.query, count)?)));
        let (collection, (query, matched)) = match opened {
            Ok(opened) => opened,
            Err(error) => return failed(sink, error),
        };
        if hits {
            sink.document(plan.hits_document(matched.unwrap_or(0)))?;
            return Ok(());
        }
        let mut features = match source.features(collection, &query) {
            Ok(features) => features,
            Err(error) => return failed(sink, error),
        };
        if plan.by_id {
            let feature = match features.next().transpose() {
                Ok(Some(feature)) => feature,
                Ok(None) => return Ok(sink.document(plan.not_found())?),
                Err(error) => return failed(sink, error),
            };
            sink.stream(plan.format.content_type(), &[])?;
            match plan.format {
                WfsFormat::Gml(version) => plan.gml_writer(self, collection, version).single(
                    sink,
                    feature,
                    &plan.schema_url(),
                )?,
                WfsFormat::GeoJson => {
                    plan.geojson_writer(self, collection)
                        .single(sink, feature, &[])?
                }
            }
            return Ok(());
        }
        sink.stream(plan.format.content_type(), &[])?;
        match plan.format {
            WfsFormat::Gml(version) => {
                let mut writer = plan.gml_writer(self, collection, version);
                writer.begin(sink, &plan.gml_header(matched.unwrap_or(0)))?;
                each(features, sink, |out, f| writer.feature(out, f))?;
                writer.end(sink)?;
            }
            WfsFormat::GeoJson => {
                let mut writer = plan.geojson_writer(self, collection);
                writer.begin(sink)?;
                each(features, sink, |out, f| writer.feature(out, f))?;
                let tail = plan.geojson_tail(matched, writer.returned());
                writer.end(sink, &tail)?;
            }
        }
        Ok(())
    }

    /// OGC API `/collections/{id}/items`: a page of features with its count and links.
    pub fn items<S: AnswerSink>(
        &self,
        plan: &ItemsPlan,
        source: &impl FeatureSource,
        sink: &mut S,
    ) -> Result<(), AnswerError> {
        let opened = self
            .planned_collection(&plan.query)
            .and_then(|c| Ok((c, counted(source, c, &plan.query, true)?)));
        let (collection, (query, matched)) = match opened {
            Ok(opened) => opened,
            Err(error) => return server_error(sink, error),
        };
        let features = match source.features(collection, &query) {
            Ok(features) => features,
            Err(error) => return server_error(sink, error),
        };
        let matched = matched.unwrap_or(0);
        let q = &plan.query;
        let more = q.offset.saturating_add(q.limit) < matched;
        sink.stream(plan.content_type(), &[("content-crs", plan.content_crs())])?;
        match plan.representation {
            Representation::Json => {
                let mut writer = plan.geojson_writer(self, collection);
                writer.begin(sink)?;
                each(features, sink, |out, f| writer.feature(out, f))?;
                writer.end(sink, &plan.tail(Some(matched), more))?;
            }
            Representation::Html => {
                let mut writer = plan.html_writer(collection);
                writer.begin(sink, plan.title())?;
                each(features, sink, |out, f| writer.feature(out, &f))?;
                writer.end(sink, Some(matched), &plan.links(more))?;
            }
        }
        Ok(())
    }

    /// OGC API `/collections/{id}/items/{featureId}`: the feature, or 404.
    pub fn item<S: AnswerSink>(
        &self,
        plan: &ItemPlan,
        source: &impl FeatureSource,
        sink: &mut S,
    ) -> Result<(), AnswerError> {
        let first = self.planned_collection(&plan.query).and_then(|c| {
            let feature = source.features(c, &plan.query)?.next().transpose()?;
            Ok((c, feature))
        });
        let (collection, feature) = match first {
            Ok((c, Some(feature))) => (c, feature),
            Ok((_, None)) => return Ok(sink.document(plan.not_found())?),
            Err(error) => return server_error(sink, error),
        };
        sink.stream(plan.content_type(), &[("content-crs", plan.content_crs())])?;
        let selected = plan.query.selected(collection);
        match plan.representation {
            Representation::Json => {
                let output = self.geometry_output(collection, plan.query.output_crs);
                GeoJsonWriter::new(selected, output, None).single(sink, feature, &plan.links())?;
            }
            Representation::Html => {
                let mut writer = HtmlItemsWriter::new(selected, String::new());
                let title = format!("{} {}", collection.title, plan.feature_id);
                writer.begin(sink, &title)?;
                writer.feature(sink, &feature)?;
                writer.end(sink, None, &plan.links())?;
            }
        }
        Ok(())
    }
}

/// The OGC API answer to a source that failed before the body began.
fn server_error<S: AnswerSink>(sink: &mut S, error: SourceError) -> Result<(), AnswerError> {
    sink.document(ogcapi::error(500, "ServerError", error.to_string()))?;
    Err(AnswerError::Source(error))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collection::{Value, test_collection};
    use crate::config::FeaturesConfig;
    use crate::wfs::WfsResponse;
    use std::cell::RefCell;

    /// Three craters in memory, none matching a filter; remembers the pages it ran.
    struct Craters {
        pages: RefCell<Vec<FeatureQuery>>,
    }

    impl FeatureSource for Craters {
        fn count(&self, _: &Collection, _: &FeatureQuery) -> Result<u64, SourceError> {
            Ok(3)
        }

        fn features<'a>(
            &'a self,
            _: &'a Collection,
            query: &'a FeatureQuery,
        ) -> Result<FeatureIter<'a>, SourceError> {
            self.pages.borrow_mut().push(query.clone());
            if query.filter.is_some() {
                return Ok(Box::new(std::iter::empty()));
            }
            let ids = [1, 2, 3].into_iter().skip(query.offset as usize);
            Ok(Box::new(ids.take(query.limit as usize).map(|id| {
                Ok(crate::Feature {
                    id: Value::Int(id),
                    geometry: None,
                    values: vec![Value::Int(id), Value::Null, Value::Null],
                })
            })))
        }
    }

    #[derive(Default)]
    struct Recorded {
        document: Option<OgcResponse>,
        content_type: Option<String>,
        body: Vec<u8>,
    }

    impl Write for Recorded {
        fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
            self.body.write(bytes)
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    impl AnswerSink for Recorded {
        fn document(&mut self, document: OgcResponse) -> io::Result<()> {
            self.document = Some(document);
            Ok(())
        }

        fn stream(&mut self, content_type: &str, _: &[(&'static str, String)]) -> io::Result<()> {
            self.content_type = Some(content_type.to_owned());
            Ok(())
        }
    }

    fn get_feature(query: &str) -> (Recorded, Vec<FeatureQuery>) {
        let services = FeatureServices::new(
            &FeaturesConfig::default(),
            vec![test_collection()],
            "http://vostok.test",
            "Test",
        )
        .expect("valid limits");
        let WfsResponse::Features(plan) = services.wfs(&ogc_common::Kvp::from_query(query)) else {
            panic!("{query} is no GetFeature");
        };
        let source = Craters {
            pages: RefCell::new(Vec::new()),
        };
        let mut sink = Recorded::default();
        services
            .get_feature(&plan, &source, &mut sink)
            .expect("answered");
        (sink, source.pages.into_inner())
    }

    const WFS: &str = "SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature";

    #[test]
    fn a_page_cut_short_by_its_limit_is_counted_and_ordered_by_id() {
        let (sink, pages) = get_feature(&format!(
            "{WFS}&TYPENAMES=craters&COUNT=2&OUTPUTFORMAT=application/json"
        ));
        assert_eq!(sink.content_type.as_deref(), Some("application/json"));
        let body = String::from_utf8(sink.body).expect("UTF-8");
        assert!(body.contains("\"numberMatched\":3"), "{body}");
        assert!(body.contains("\"numberReturned\":2"), "{body}");
        assert!(pages[0].paged);
    }

    #[test]
    fn hits_are_answered_from_the_count_alone() {
        let (sink, pages) = get_feature(&format!("{WFS}&TYPENAMES=craters&RESULTTYPE=hits"));
        let document = sink.document.expect("a hits document");
        assert!(document.text().contains("numberMatched=\"3\""));
        assert!(pages.is_empty());
    }

    #[test]
    fn get_feature_by_id_without_a_match_is_not_found() {
        let by_id = "STOREDQUERY_ID=urn:ogc:def:query:OGC-WFS::GetFeatureById";
        let (sink, _) = get_feature(&format!("{WFS}&{by_id}&ID=craters.9"));
        let document = sink.document.expect("a NotFound report");
        assert_eq!(document.status, 404);
        assert!(document.text().contains("exceptionCode=\"NotFound\""));
    }
}
