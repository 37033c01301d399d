//! The DataFusion session every query and ingest runs in: memory limited, spilling to disk.

use std::path::Path;
use std::sync::Arc;

use datafusion::error::Result;
use datafusion::execution::disk_manager::{DiskManagerBuilder, DiskManagerMode};
use datafusion::execution::memory_pool::FairSpillPool;
use datafusion::execution::runtime_env::RuntimeEnvBuilder;
use datafusion::prelude::{SessionConfig, SessionContext};

/// A session whose operators share `memory_bytes` and spill under `spill_dir`.
pub fn session(memory_bytes: usize, spill_dir: &Path) -> Result<SessionContext> {
    let runtime = RuntimeEnvBuilder::new()
        .with_memory_pool(Arc::new(FairSpillPool::new(memory_bytes)))
        .with_disk_manager_builder(
            DiskManagerBuilder::default()
                .with_mode(DiskManagerMode::Directories(vec![spill_dir.to_owned()])),
        )
        .build_arc()?;
    let mut config = SessionConfig::new().with_information_schema(false);
    let options = config.options_mut();
    // Evaluate filters while decoding Parquet so that pages the sky index rules out are skipped.
    options.execution.parquet.pushdown_filters = true;
    options.execution.parquet.reorder_filters = true;
    options.execution.parquet.enable_page_index = true;
    let ctx = SessionContext::new_with_config_rt(config, runtime);
    super::udf::register(&ctx);
    Ok(ctx)
}
