//! A generic UWS 1.1 job engine: job store, phase state machine, runner pool and HTTP
//! resources. It knows nothing of what a job does: the server supplies that as a
//! [`JobRunner`].
//!
//! ```text
//! let engine = uws::Engine::open(&data_dir, limits, runner, format!("{public_url}/tap/async")).await?;
//! let app = axum::Router::new().nest("/tap/async", uws::routes(engine.clone()));
//! // ... serve; on exit:
//! engine.shutdown().await;
//! ```

mod control;
mod engine;
mod error;
mod execution;
mod filter;
mod http;
mod id;
mod jobfs;
mod limits;
mod phase;
mod recovery;
mod runner;
mod store;
mod time;
mod xml;

pub use engine::{Engine, JobDraft, Served, ServedFile};
pub use error::UwsError;
pub use filter::JobFilter;
pub use http::{JobOwner, routes};
pub use limits::UwsLimits;
pub use phase::Phase;
pub use recovery::INTERRUPTED_MESSAGE;
pub use runner::{
    ErrorContent, ErrorDocument, JobContext, JobFailure, JobFuture, JobResult, JobRunner,
};
pub use store::{ErrorKind, JobError, JobRecord, JobSummary, StoreError, StoredResult};
