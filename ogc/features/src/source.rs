//! The data behind feature collections: one trait each backend implements (as martin-core's
//! `Source`), so that the protocol code of [`crate::answer`] — hits, counts, paging and
//! get-by-id — runs alike over any of them.

use crate::collection::{Collection, Feature};
use crate::query::FeatureQuery;

/// Why a source could not answer.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("unknown collection")]
    UnknownCollection,
    /// The backend's own error (query planning or execution, decoding).
    #[error(transparent)]
    Backend(Box<dyn std::error::Error + Send + Sync>),
}

impl SourceError {
    pub fn backend(error: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self::Backend(Box::new(error))
    }
}

/// The features of one page, in order, pulled one at a time.
pub type FeatureIter<'a> = Box<dyn Iterator<Item = Result<Feature, SourceError>> + 'a>;

/// One data source of features. Synchronous: the protocol code calls it on a blocking thread
/// and pulls features as it encodes them, so memory stays flat however many are asked for.
pub trait FeatureSource {
    /// The number of features `query`'s filter matches in `collection`, whatever its page.
    fn count(&self, collection: &Collection, query: &FeatureQuery) -> Result<u64, SourceError>;

    /// The features of `query`'s page (`offset`, `limit`; in id order when `query.paged`), with
    /// the properties it selects, in its output CRS's axis order left to the encoders.
    fn features<'a>(
        &'a self,
        collection: &'a Collection,
        query: &'a FeatureQuery,
    ) -> Result<FeatureIter<'a>, SourceError>;
}
