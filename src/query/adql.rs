//! ADQL text → checked query → DataFusion plan, with the description of every output column.

use std::sync::Arc;

use adql::{OutputColumn, ParseOptions, TranslateOptions, Version};
use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::datatypes::{DataType, Field};
use datafusion::catalog::{
    CatalogProvider, CatalogProviderList, MemoryCatalogProvider, MemoryCatalogProviderList,
    MemorySchemaProvider,
};
use datafusion::common::TableReference;
use datafusion::dataframe::DataFrame;
use datafusion::datasource::MemTable;
use datafusion::execution::SessionStateBuilder;
use datafusion::prelude::SessionContext;
use formats::FieldMeta;

use super::lookup::{CatalogLookup, UPLOAD_SCHEMA, formats_datatype};
use crate::catalog::{self, Catalog};

/// A table a client uploaded for one query, already read into memory.
pub struct Upload {
    pub table: catalog::TableInfo,
    pub batches: Vec<RecordBatch>,
}

/// A query ready to run.
pub struct Prepared {
    pub frame: DataFrame,
    pub fields: Vec<FieldMeta>,
}

#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    /// The query is not valid ADQL, or not valid against this catalogue.
    #[error("{0}")]
    Adql(#[from] adql::AdqlError),
    /// The query is valid ADQL but cannot be planned or described.
    #[error("{0}")]
    Plan(String),
}

impl From<datafusion::error::DataFusionError> for QueryError {
    fn from(e: datafusion::error::DataFusionError) -> Self {
        Self::Plan(e.to_string())
    }
}

/// Parses, checks and plans `text`; the plan yields at most `max_rows` rows.
pub async fn prepare(
    catalog: &Catalog,
    text: &str,
    version: Version,
    uploads: &[Upload],
    max_rows: Option<u64>,
) -> Result<Prepared, QueryError> {
    let options = ParseOptions {
        version,
        ..ParseOptions::default()
    };
    let query = adql::parse_with(text, &options)?;
    let upload_tables: Vec<catalog::TableInfo> = uploads.iter().map(|u| u.table.clone()).collect();
    let checked = adql::check(&query, &CatalogLookup::new(catalog, &upload_tables))?;
    let translation = checked.translation(&TranslateOptions {
        max_rows,
        ..TranslateOptions::default()
    });
    let statement = translation.statement;
    tracing::debug!("ADQL translated to: {statement}");
    let ctx = if uploads.is_empty() {
        catalog.context().clone()
    } else {
        with_uploads(catalog.context(), uploads)?
    };
    let mut state = ctx.state();
    if translation
        .narrowed
        .is_some_and(|n| estimated_rows(catalog, &n) < ONE_SCAN_ROWS)
    {
        // Each part of a split file sets up its own scan (metadata, pruning predicates) and
        // reads its own first pages: one part is faster when only a few row groups matter.
        state
            .config_mut()
            .options_mut()
            .optimizer
            .repartition_file_scans = false;
    }
    let plan = state
        .statement_to_plan(datafusion::sql::parser::Statement::Statement(Box::new(
            statement,
        )))
        .await?;
    let frame = DataFrame::new(state, plan);
    let fields = describe(frame.schema().fields(), checked.columns())?;
    Ok(Prepared { frame, fields })
}

/// Below this many rows a narrowed query reads its table in one scan, not one per core.
const ONE_SCAN_ROWS: f64 = 100_000.0;

/// The rows a narrowed query reads (for a sky region, as if the table's rows were spread
/// evenly over the sky).
fn estimated_rows(catalog: &Catalog, narrowed: &adql::Narrowed) -> f64 {
    let row_count = |name: &adql::QualifiedName| {
        catalog
            .table(name.schema.as_deref().unwrap_or_default(), &name.table)
            .map_or(f64::INFINITY, |t| t.row_count as f64)
    };
    match narrowed {
        adql::Narrowed::Sky {
            table,
            sky_fraction,
        } => row_count(table) * sky_fraction,
        adql::Narrowed::FirstRows { rows, .. } => *rows as f64,
    }
}

/// A context seeing the catalogue's schemas plus a `TAP_UPLOAD` schema with `uploads`, so that
/// concurrent queries never see each other's uploads.
fn with_uploads(shared: &SessionContext, uploads: &[Upload]) -> Result<SessionContext, QueryError> {
    let catalogs = Arc::new(MemoryCatalogProviderList::new());
    let catalog = Arc::new(MemoryCatalogProvider::new());
    if let Some(existing) = shared.catalog("datafusion") {
        for name in existing.schema_names() {
            if let Some(schema) = existing.schema(&name) {
                catalog.register_schema(&name, schema)?;
            }
        }
    }
    catalog.register_schema(UPLOAD_SCHEMA, Arc::new(MemorySchemaProvider::new()))?;
    catalogs.register_catalog("datafusion".to_owned(), catalog);
    let state = SessionStateBuilder::new_from_existing(shared.state())
        .with_catalog_list(catalogs)
        .build();
    let ctx = SessionContext::new_with_state(state);
    for upload in uploads {
        let schema = upload
            .batches
            .first()
            .map(|b| b.schema())
            .unwrap_or_else(|| Arc::new(upload_schema(&upload.table)));
        let table = MemTable::try_new(schema, vec![upload.batches.clone()])?;
        ctx.register_table(
            TableReference::partial(UPLOAD_SCHEMA, upload.table.name.as_str()),
            Arc::new(table),
        )?;
    }
    Ok(ctx)
}

fn upload_schema(table: &catalog::TableInfo) -> datafusion::arrow::datatypes::Schema {
    datafusion::arrow::datatypes::Schema::new(
        table
            .columns
            .iter()
            .map(|c| Field::new(&c.name, c.data_type.clone(), true))
            .collect::<Vec<_>>(),
    )
}

/// The FIELD of each output column: its type from what DataFusion produces, its metadata
/// (and the encoding of strings and the shape of geometries) from the ADQL checker.
fn describe(
    arrow: &datafusion::arrow::datatypes::Fields,
    columns: &[OutputColumn],
) -> Result<Vec<FieldMeta>, QueryError> {
    if arrow.len() != columns.len() {
        return Err(QueryError::Plan(format!(
            "the plan has {} columns where the query describes {}",
            arrow.len(),
            columns.len()
        )));
    }
    arrow
        .iter()
        .zip(columns)
        .map(|(field, column)| {
            let mut meta =
                FieldMeta::from_arrow(field).map_err(|e| QueryError::Plan(e.to_string()))?;
            meta.name.clone_from(&column.name);
            let checked = formats_datatype(column.datatype);
            if meta.datatype.is_character() && checked.is_character() {
                meta.datatype = checked;
            }
            if matches!(
                field.data_type(),
                DataType::List(_) | DataType::LargeList(_)
            ) && column.arraysize.is_some()
            {
                meta.arraysize.clone_from(&column.arraysize);
            }
            if column.xtype.is_some() {
                meta.xtype.clone_from(&column.xtype);
            }
            meta.unit.clone_from(&column.unit);
            meta.ucd.clone_from(&column.ucd);
            meta.utype.clone_from(&column.utype);
            meta.description.clone_from(&column.description);
            Ok(meta)
        })
        .collect()
}
