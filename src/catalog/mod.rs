//! The catalogue: every published table registered in one DataFusion `SessionContext`, with the
//! metadata from which TAP_SCHEMA, VOSI tables and VOTable FIELDs are produced.

mod parquet_files;
pub mod tap_schema;

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use datafusion::arrow::datatypes::{DataType, Field};
use datafusion::catalog::MemorySchemaProvider;
use datafusion::catalog::TableProvider;
use datafusion::common::Column;
use datafusion::common::TableReference;
use datafusion::datasource::file_format::parquet::ParquetFormat;
use datafusion::datasource::listing::{
    ListingOptions, ListingTable, ListingTableConfig, ListingTableUrl,
};
use datafusion::functions::string::expr_fn::concat;
use datafusion::logical_expr::{Expr, col, lit};
use datafusion::prelude::SessionContext;
use formats::{Datatype, FieldMeta};

use crate::config::{ColumnConfig, Config, PositionColumns};

pub use parquet_files::{HEALPIX_COLUMN_KEY, HEALPIX_ORDER_KEY};

#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Parquet { path: PathBuf, message: String },
    #[error("table {table}: {message}")]
    Table { table: String, message: String },
    #[error("DataFusion: {0}")]
    DataFusion(#[from] datafusion::error::DataFusionError),
    #[error("Arrow: {0}")]
    Arrow(#[from] datafusion::arrow::error::ArrowError),
}

/// The HEALPix index column that `vostok ingest` adds and sorts by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HealpixIndex {
    pub column: String,
    /// NESTED order of the index values.
    pub order: u8,
}

#[derive(Debug, Clone)]
pub struct SchemaInfo {
    pub name: String,
    pub description: Option<String>,
    pub tables: Vec<TableInfo>,
}

#[derive(Debug, Clone)]
pub struct TableInfo {
    pub schema: String,
    pub name: String,
    pub description: Option<String>,
    /// The data model the table implements (TAP_SCHEMA.tables.utype).
    pub utype: Option<String>,
    pub files: Vec<PathBuf>,
    /// Published columns, in Parquet order; the HEALPix index column is not among them.
    pub columns: Vec<ColumnInfo>,
    pub position: Option<PositionColumns>,
    pub healpix: Option<HealpixIndex>,
    pub row_count: u64,
    pub foreign_keys: Vec<ForeignKey>,
}

/// A foreign key from a table to another (TAP_SCHEMA.keys, VODataService `foreignKey`).
#[derive(Debug, Clone)]
pub struct ForeignKey {
    pub id: String,
    /// The qualified name of the table the key points to.
    pub target_table: String,
    /// (column of this table, column of the target table)
    pub columns: Vec<(String, String)>,
    pub description: String,
}

impl TableInfo {
    pub fn qualified_name(&self) -> String {
        format!("{}.{}", self.schema, self.name)
    }

    pub fn column(&self, name: &str) -> Option<&ColumnInfo> {
        self.columns.iter().find(|c| c.name == name)
    }
}

#[derive(Debug, Clone)]
pub struct ColumnInfo {
    pub name: String,
    pub data_type: DataType,
    pub nullable: bool,
    pub meta: ColumnConfig,
}

impl ColumnInfo {
    /// The name as ADQL queries write it: delimited when it is not a regular identifier or is
    /// a reserved word (TAP 1.1 §4.3: TAP_SCHEMA.columns gives it so).
    pub fn adql_name(&self) -> String {
        let mut chars = self.name.chars();
        let regular = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
        if regular && !adql::is_reserved(&self.name) {
            self.name.clone()
        } else {
            format!("\"{}\"", self.name.replace('"', "\"\""))
        }
    }

    /// The column as a VOTable FIELD: the type from Arrow, the rest from the metadata.
    pub fn field_meta(&self) -> Result<FieldMeta, formats::FormatError> {
        let field = Field::new(&self.name, self.data_type.clone(), self.nullable);
        let mut meta = FieldMeta::from_arrow(&field)?;
        if let Some(datatype) = &self.meta.datatype {
            meta.datatype = string_datatype(datatype, &self.data_type).map_err(|message| {
                formats::FormatError::Unsupported {
                    column: self.name.clone(),
                    message,
                }
            })?;
        }
        meta.unit.clone_from(&self.meta.unit);
        meta.ucd.clone_from(&self.meta.ucd);
        meta.utype.clone_from(&self.meta.utype);
        meta.description.clone_from(&self.meta.description);
        if self.meta.xtype.is_some() {
            meta.xtype.clone_from(&self.meta.xtype);
        }
        Ok(meta)
    }
}

/// The configured datatype of a string column, which may only choose how text is encoded.
fn string_datatype(declared: &str, data_type: &DataType) -> Result<Datatype, String> {
    let is_string = matches!(
        data_type,
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View
    );
    match declared {
        "char" if is_string => Ok(Datatype::Char),
        "unicodeChar" if is_string => Ok(Datatype::UnicodeChar),
        _ => Err(format!(
            "datatype `{declared}` cannot be declared for a column of type {data_type}: only string columns may choose `char` or `unicodeChar`"
        )),
    }
}

/// The catalogue of a configuration, with its query session spilling under the data folder.
pub async fn open_catalog(config: &Config) -> anyhow::Result<Catalog> {
    let spill_dir = config.data_dir().join("spill");
    std::fs::create_dir_all(&spill_dir)
        .with_context(|| format!("cannot create {}", spill_dir.display()))?;
    let ctx = crate::engine::session(config.limits.query_memory_mib << 20, &spill_dir)?;
    Ok(Catalog::open(config, ctx).await?)
}

/// The published tables and the DataFusion context that queries them.
pub struct Catalog {
    ctx: SessionContext,
    schemas: Vec<SchemaInfo>,
}

impl Catalog {
    /// Reads every table's Parquet footers, checks the configuration against them and registers
    /// each table as `schema.table` in `ctx`.
    pub async fn open(config: &Config, ctx: SessionContext) -> Result<Self, CatalogError> {
        let mut schemas = Vec::new();
        for (schema_name, schema_config) in &config.schemas {
            let provider = Arc::new(MemorySchemaProvider::new());
            ctx.catalog("datafusion")
                .ok_or_else(|| CatalogError::Table {
                    table: schema_name.clone(),
                    message: "DataFusion's default catalogue is missing".to_owned(),
                })?
                .register_schema(schema_name, provider)?;
            let mut tables = Vec::new();
            for (table_name, table_config) in &schema_config.tables {
                let location = config.resolve(&table_config.path);
                let facts = parquet_files::read_facts(&location)?;
                let table = TableInfo {
                    schema: schema_name.clone(),
                    name: table_name.clone(),
                    description: table_config.description.clone(),
                    // EPN-TAP clients find epn_core tables by this utype (EPN-TAP 2.0 §2).
                    utype: table_config.utype.clone().or_else(|| {
                        (table_name == crate::epntap::TABLE_NAME)
                            .then(|| crate::epntap::TABLE_UTYPE.to_owned())
                    }),
                    columns: published_columns(&facts.schema, facts.healpix.as_ref()),
                    files: facts.files,
                    position: table_config.position.clone(),
                    healpix: facts.healpix,
                    row_count: facts.row_count,
                    foreign_keys: Vec::new(),
                };
                let table = with_configured_metadata(table, &table_config.columns)?;
                register(&ctx, &table, &location, facts.schema, &config.base_url()).await?;
                tables.push(table);
            }
            schemas.push(SchemaInfo {
                name: schema_name.clone(),
                description: schema_config.description.clone(),
                tables,
            });
        }
        tap_schema::register(&ctx, &mut schemas)?;
        Ok(Self { ctx, schemas })
    }

    pub fn context(&self) -> &SessionContext {
        &self.ctx
    }

    pub fn schemas(&self) -> &[SchemaInfo] {
        &self.schemas
    }

    pub fn tables(&self) -> impl Iterator<Item = &TableInfo> {
        self.schemas.iter().flat_map(|s| s.tables.iter())
    }

    /// Finds a table by ADQL name; regular identifiers are case-insensitive.
    pub fn table(&self, schema: &str, name: &str) -> Option<&TableInfo> {
        self.tables()
            .find(|t| t.schema.eq_ignore_ascii_case(schema) && t.name.eq_ignore_ascii_case(name))
    }
}

fn published_columns(
    schema: &datafusion::arrow::datatypes::Schema,
    healpix: Option<&HealpixIndex>,
) -> Vec<ColumnInfo> {
    schema
        .fields()
        .iter()
        .filter(|field| healpix.is_none_or(|h| &h.column != field.name()))
        .map(|field| ColumnInfo {
            name: field.name().clone(),
            data_type: field.data_type().clone(),
            nullable: field.is_nullable(),
            meta: ColumnConfig::default(),
        })
        .collect()
}

/// Attaches the configured column metadata; a configured column missing from the data is an
/// error, so that a typo in the configuration cannot silently drop a unit or a UCD.
fn with_configured_metadata(
    mut table: TableInfo,
    configured: &std::collections::BTreeMap<String, ColumnConfig>,
) -> Result<TableInfo, CatalogError> {
    let qualified_name = table.qualified_name();
    let table_error = |message: String| CatalogError::Table {
        table: qualified_name.clone(),
        message,
    };
    for (name, meta) in configured {
        let Some(column) = table.columns.iter_mut().find(|c| &c.name == name) else {
            return Err(table_error(format!(
                "column `{name}` is configured but not in the data (columns: {})",
                table
                    .columns
                    .iter()
                    .map(|c| c.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        };
        column.meta = meta.clone();
    }
    for column in &table.columns {
        column
            .field_meta()
            .map_err(|e| table_error(e.to_string()))?;
    }
    if let Some(position) = &table.position {
        for name in [&position.ra, &position.dec] {
            let numeric = table.column(name).map(|c| c.data_type.is_numeric());
            match numeric {
                Some(true) => {}
                Some(false) => {
                    return Err(table_error(format!(
                        "position column `{name}` is not numeric"
                    )));
                }
                None => {
                    return Err(table_error(format!(
                        "position column `{name}` is not in the data"
                    )));
                }
            }
        }
    }
    Ok(table)
}

async fn register(
    ctx: &SessionContext,
    table: &TableInfo,
    location: &std::path::Path,
    schema: datafusion::arrow::datatypes::SchemaRef,
    base_url: &str,
) -> Result<(), CatalogError> {
    let mut url = location.display().to_string();
    if location.is_dir() && !url.ends_with('/') {
        url.push('/');
    }
    let url = ListingTableUrl::parse(&url)?;
    let mut options =
        ListingOptions::new(Arc::new(ParquetFormat::default())).with_file_extension(".parquet");
    if let Some(healpix) = &table.healpix {
        // Files written by ingest are sorted by the index; telling DataFusion lets it skip sorts.
        options = options
            .with_file_sort_order(vec![vec![col(healpix.column.as_str()).sort(true, false)]]);
    }
    let config = ListingTableConfig::new(url)
        .with_listing_options(options)
        .with_schema(schema);
    // Without the session's statistics cache every query would decode the footers again.
    let statistics_cache = ctx.runtime_env().cache_manager.get_file_statistic_cache();
    let provider: Arc<dyn TableProvider> =
        Arc::new(ListingTable::try_new(config)?.with_cache(statistics_cache));
    let provider = with_base_url(ctx, table, provider, base_url)?;
    ctx.register_table(
        TableReference::partial(table.schema.as_str(), table.name.as_str()),
        provider,
    )?;
    Ok(())
}

/// Columns configured with `base_url = true` hold paths under the server's URL; the table is
/// published as a view that prefixes them, so that the files on disk never name a host and a
/// server moved elsewhere still answers with links that work. Filters on other columns still
/// reach the Parquet scan through the view's projection.
fn with_base_url(
    ctx: &SessionContext,
    table: &TableInfo,
    provider: Arc<dyn TableProvider>,
    base_url: &str,
) -> Result<Arc<dyn TableProvider>, CatalogError> {
    if !table.columns.iter().any(|c| c.meta.base_url) {
        return Ok(provider);
    }
    let frame = ctx.read_table(provider.clone())?;
    let exprs: Vec<_> = frame
        .schema()
        .fields()
        .iter()
        .map(|field| {
            let column = Expr::Column(Column::from_name(field.name()));
            match table.column(field.name()) {
                Some(c) if c.meta.base_url => {
                    concat(vec![lit(base_url.to_owned()), column]).alias(field.name())
                }
                _ => column,
            }
        })
        .collect();
    Ok(frame.select(exprs)?.into_view())
}
