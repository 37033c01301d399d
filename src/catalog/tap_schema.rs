//! TAP_SCHEMA (TAP 1.1 §4): the catalogue's metadata as five tables, describing itself too,
//! registered in DataFusion so that ADQL queries them like any other table.

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, Int32Array, RecordBatch, StringArray};
use datafusion::arrow::datatypes::{DataType, Field, Schema};
use datafusion::catalog::MemorySchemaProvider;
use datafusion::datasource::MemTable;
use datafusion::prelude::SessionContext;

use super::{CatalogError, ColumnInfo, ForeignKey, SchemaInfo, TableInfo};
use crate::config::ColumnConfig;

pub const SCHEMA: &str = "TAP_SCHEMA";

/// A column of a TAP_SCHEMA table: name, whether it is an integer, and its description.
type Spec = (&'static str, bool, &'static str);

const SCHEMAS: &[Spec] = &[
    (
        "schema_name",
        false,
        "Schema name, as it is used in queries",
    ),
    ("utype", false, "Data-model type of the schema"),
    ("description", false, "Description of the schema"),
    ("schema_index", true, "Suggested order of display"),
];

const TABLES: &[Spec] = &[
    ("schema_name", false, "Schema the table belongs to"),
    (
        "table_name",
        false,
        "Fully qualified table name, as it is used in queries",
    ),
    ("table_type", false, "table or view"),
    ("utype", false, "Data-model type of the table"),
    ("description", false, "Description of the table"),
    ("table_index", true, "Suggested order of display"),
];

const COLUMNS: &[Spec] = &[
    (
        "table_name",
        false,
        "Fully qualified name of the table of the column",
    ),
    (
        "column_name",
        false,
        "Column name, as it is used in queries",
    ),
    ("utype", false, "Data-model type of the column"),
    ("ucd", false, "Unified Content Descriptor of the column"),
    ("unit", false, "Unit of the column's values (VOUnits)"),
    ("description", false, "Description of the column"),
    ("datatype", false, "VOTable datatype of the column"),
    ("arraysize", false, "VOTable arraysize of the column"),
    ("xtype", false, "VOTable/DALI xtype of the column"),
    (
        "size",
        true,
        "Length of fixed-length strings (deprecated in TAP 1.1)",
    ),
    (
        "principal",
        true,
        "1 if the column is among the most useful ones, else 0",
    ),
    ("indexed", true, "1 if the column is indexed, else 0"),
    (
        "std",
        true,
        "1 if the column is defined by a standard, else 0",
    ),
    ("column_index", true, "Suggested order of display"),
];

const KEYS: &[Spec] = &[
    ("key_id", false, "Unique identifier of the foreign key"),
    (
        "from_table",
        false,
        "Fully qualified name of the table holding the key",
    ),
    (
        "target_table",
        false,
        "Fully qualified name of the table the key points to",
    ),
    ("utype", false, "Data-model type of the key"),
    ("description", false, "Description of the key"),
];

const KEY_COLUMNS: &[Spec] = &[
    ("key_id", false, "Identifier of the foreign key"),
    ("from_column", false, "Column of the key in from_table"),
    ("target_column", false, "Column of the key in target_table"),
];

const TABLE_SPECS: &[(&str, &str, &[Spec])] = &[
    ("schemas", "The schemas of this service", SCHEMAS),
    ("tables", "The tables of this service", TABLES),
    (
        "columns",
        "The columns of every table of this service",
        COLUMNS,
    ),
    ("keys", "Foreign keys between tables", KEYS),
    (
        "key_columns",
        "The columns of the foreign keys",
        KEY_COLUMNS,
    ),
];

/// One cell value of a TAP_SCHEMA row.
enum Cell {
    Text(Option<String>),
    Int(Option<i32>),
}

fn text(value: impl Into<String>) -> Cell {
    Cell::Text(Some(value.into()))
}

fn optional(value: &Option<String>) -> Cell {
    Cell::Text(value.clone())
}

fn flag(value: bool) -> Cell {
    Cell::Int(Some(i32::from(value)))
}

fn index(value: usize) -> Cell {
    Cell::Int(Some(i32::try_from(value).unwrap_or(i32::MAX)))
}

/// Describes TAP_SCHEMA itself, then registers its tables, filled from `schemas` and itself.
pub fn register(ctx: &SessionContext, schemas: &mut Vec<SchemaInfo>) -> Result<(), CatalogError> {
    let mut own = SchemaInfo {
        name: SCHEMA.to_owned(),
        description: Some("Metadata of the tables and columns this service publishes".to_owned()),
        tables: TABLE_SPECS
            .iter()
            .map(|(name, description, specs)| table_info(name, description, specs))
            .collect(),
    };
    for (id, from, target, from_column, target_column) in OWN_KEYS {
        if let Some(table) = own.tables.iter_mut().find(|t| t.name == *from) {
            table.foreign_keys.push(ForeignKey {
                id: (*id).to_owned(),
                target_table: format!("{SCHEMA}.{target}"),
                columns: vec![((*from_column).to_owned(), (*target_column).to_owned())],
                description: format!("Each row of {from} refers to a row of {target}"),
            });
        }
    }
    let everything: Vec<&SchemaInfo> = std::iter::once(&own).chain(schemas.iter()).collect();
    let (keys, key_columns) = key_rows(&everything);
    let rows = [
        schema_rows(&everything),
        table_rows(&everything),
        column_rows(&everything)?,
        keys,
        key_columns,
    ];
    let provider = Arc::new(MemorySchemaProvider::new());
    ctx.catalog("datafusion")
        .ok_or_else(|| CatalogError::Table {
            table: SCHEMA.to_owned(),
            message: "DataFusion's default catalogue is missing".to_owned(),
        })?
        .register_schema(SCHEMA, provider)?;
    for (table, rows) in own.tables.iter_mut().zip(rows) {
        let batch = batch(table, &rows)?;
        table.row_count = rows.len() as u64;
        let mem = MemTable::try_new(batch.schema(), vec![vec![batch]])?;
        ctx.register_table(
            datafusion::common::TableReference::partial(SCHEMA, table.name.as_str()),
            Arc::new(mem),
        )?;
    }
    schemas.insert(0, own);
    Ok(())
}

/// TAP_SCHEMA's own foreign keys (TAP 1.1 §4.4 asks services to declare them).
const OWN_KEYS: &[(&str, &str, &str, &str, &str)] = &[
    (
        "tables_schema",
        "tables",
        "schemas",
        "schema_name",
        "schema_name",
    ),
    (
        "columns_table",
        "columns",
        "tables",
        "table_name",
        "table_name",
    ),
    ("keys_from", "keys", "tables", "from_table", "table_name"),
    (
        "keys_target",
        "keys",
        "tables",
        "target_table",
        "table_name",
    ),
    ("key_columns_key", "key_columns", "keys", "key_id", "key_id"),
];

/// The rows of TAP_SCHEMA.keys and TAP_SCHEMA.key_columns for every declared foreign key.
fn key_rows(schemas: &[&SchemaInfo]) -> (Vec<Vec<Cell>>, Vec<Vec<Cell>>) {
    let mut keys = Vec::new();
    let mut key_columns = Vec::new();
    for table in schemas.iter().flat_map(|schema| schema.tables.iter()) {
        for key in &table.foreign_keys {
            keys.push(vec![
                text(&key.id),
                text(table.qualified_name()),
                text(&key.target_table),
                Cell::Text(None),
                text(&key.description),
            ]);
            for (from, target) in &key.columns {
                key_columns.push(vec![text(&key.id), text(from), text(target)]);
            }
        }
    }
    (keys, key_columns)
}

fn table_info(name: &str, description: &str, specs: &[Spec]) -> TableInfo {
    TableInfo {
        schema: SCHEMA.to_owned(),
        name: name.to_owned(),
        description: Some(description.to_owned()),
        utype: None,
        files: Vec::new(),
        columns: specs
            .iter()
            .map(|(column, is_int, description)| ColumnInfo {
                name: (*column).to_owned(),
                data_type: if *is_int {
                    DataType::Int32
                } else {
                    DataType::Utf8
                },
                nullable: true,
                meta: ColumnConfig {
                    description: Some((*description).to_owned()),
                    datatype: (!is_int).then(|| "char".to_owned()),
                    principal: true,
                    std: true,
                    ..ColumnConfig::default()
                },
            })
            .collect(),
        position: None,
        healpix: None,
        row_count: 0,
        foreign_keys: Vec::new(),
    }
}

fn schema_rows(schemas: &[&SchemaInfo]) -> Vec<Vec<Cell>> {
    schemas
        .iter()
        .enumerate()
        .map(|(i, schema)| {
            vec![
                text(&schema.name),
                Cell::Text(None),
                optional(&schema.description),
                index(i),
            ]
        })
        .collect()
}

fn table_rows(schemas: &[&SchemaInfo]) -> Vec<Vec<Cell>> {
    schemas
        .iter()
        .flat_map(|schema| schema.tables.iter())
        .enumerate()
        .map(|(i, table)| {
            vec![
                text(&table.schema),
                text(table.qualified_name()),
                text("table"),
                optional(&table.utype),
                optional(&table.description),
                index(i),
            ]
        })
        .collect()
}

fn column_rows(schemas: &[&SchemaInfo]) -> Result<Vec<Vec<Cell>>, CatalogError> {
    let mut rows = Vec::new();
    for table in schemas.iter().flat_map(|schema| schema.tables.iter()) {
        for (i, column) in table.columns.iter().enumerate() {
            let field = column.field_meta().map_err(|e| CatalogError::Table {
                table: table.qualified_name(),
                message: e.to_string(),
            })?;
            rows.push(vec![
                text(table.qualified_name()),
                text(column.adql_name()),
                optional(&field.utype),
                optional(&field.ucd),
                optional(&field.unit),
                optional(&field.description),
                text(field.datatype.as_str()),
                optional(&field.arraysize),
                optional(&field.xtype),
                Cell::Int(None),
                flag(column.meta.principal),
                flag(column.meta.indexed),
                flag(column.meta.std),
                index(i),
            ]);
        }
    }
    Ok(rows)
}

fn batch(table: &TableInfo, rows: &[Vec<Cell>]) -> Result<RecordBatch, CatalogError> {
    let fields: Vec<Field> = table
        .columns
        .iter()
        .map(|c| Field::new(&c.name, c.data_type.clone(), true))
        .collect();
    let columns = (0..fields.len())
        .map(|i| -> ArrayRef {
            if fields[i].data_type() == &DataType::Int32 {
                Arc::new(Int32Array::from_iter(rows.iter().map(|row| {
                    match &row[i] {
                        Cell::Int(v) => *v,
                        Cell::Text(_) => None,
                    }
                })))
            } else {
                Arc::new(StringArray::from_iter(rows.iter().map(|row| {
                    match &row[i] {
                        Cell::Text(v) => v.clone(),
                        Cell::Int(_) => None,
                    }
                })))
            }
        })
        .collect();
    Ok(RecordBatch::try_new(
        Arc::new(Schema::new(fields)),
        columns,
    )?)
}
