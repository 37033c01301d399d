//! What an executed plan read, from DataFusion's metrics.

use std::sync::Arc;

use datafusion::physical_plan::ExecutionPlan;
use datafusion::physical_plan::metrics::MetricValue;

/// (row groups left to read, row groups in the files) of every Parquet scan in `plan`, after
/// it ran: how much the statistics (and so the HEALPix ranges) pruned.
pub fn row_groups_read(plan: &Arc<dyn ExecutionPlan>) -> (usize, usize) {
    let (mut read, mut total) = (0, 0);
    for metric in plan.metrics().iter().flat_map(|m| m.iter()) {
        if let MetricValue::PruningMetrics {
            name,
            pruning_metrics,
        } = metric.value()
            && name == "row_groups_pruned_statistics"
        {
            read += pruning_metrics.matched();
            total += pruning_metrics.matched() + pruning_metrics.pruned();
        }
    }
    for child in plan.children() {
        let (r, t) = row_groups_read(child);
        read += r;
        total += t;
    }
    (read, total)
}
