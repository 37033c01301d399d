//! The configuration snippet ingest writes beside the Parquet file: the table's declaration with
//! the column metadata the input carried, ready to paste into a configuration.

use std::collections::BTreeMap;
use std::path::PathBuf;

use toml::{Table, Value};

use super::{IngestError, IngestOptions};
use crate::config::ColumnConfig;

pub fn write(
    options: &IngestOptions,
    position: (&str, &str),
    metadata: &BTreeMap<String, ColumnConfig>,
    utype: Option<&str>,
) -> Result<PathBuf, IngestError> {
    let path = options.out.with_extension("toml");
    let file_name = options
        .out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let text = format!(
        "# Written by `vostok ingest` from {}; `path` is relative to this file's folder.\n{}",
        options.input_name,
        render(&options.table, &file_name, position, metadata, utype)
    );
    std::fs::write(&path, text).map_err(|e| IngestError::io(&path, e))?;
    Ok(path)
}

fn render(
    (schema, table): &(String, String),
    file_name: &str,
    (ra, dec): (&str, &str),
    metadata: &BTreeMap<String, ColumnConfig>,
    utype: Option<&str>,
) -> String {
    let mut declaration = Table::new();
    declaration.insert("path".into(), file_name.into());
    if let Some(utype) = utype {
        declaration.insert("utype".into(), utype.into());
    }
    let mut position = Table::new();
    position.insert("ra".into(), ra.into());
    position.insert("dec".into(), dec.into());
    declaration.insert("position".into(), Value::Table(position));
    let columns: Table = metadata
        .iter()
        .map(|(name, meta)| (name.clone(), Value::Table(column(meta))))
        .filter(|(_, meta)| meta.as_table().is_some_and(|t| !t.is_empty()))
        .collect();
    if !columns.is_empty() {
        declaration.insert("columns".into(), Value::Table(columns));
    }
    let nest = |key: &str, inner: Table| {
        let mut outer = Table::new();
        outer.insert(key.to_owned(), Value::Table(inner));
        outer
    };
    let document = nest(
        "schemas",
        nest(schema, nest("tables", nest(table, declaration))),
    );
    document.to_string()
}

fn column(meta: &ColumnConfig) -> Table {
    let mut table = Table::new();
    let texts = [
        ("description", &meta.description),
        ("unit", &meta.unit),
        ("ucd", &meta.ucd),
        ("utype", &meta.utype),
        ("xtype", &meta.xtype),
    ];
    for (key, value) in texts {
        if let Some(value) = value {
            table.insert(key.to_owned(), value.clone().into());
        }
    }
    let flags = [
        ("principal", meta.principal),
        ("indexed", meta.indexed),
        ("std", meta.std),
        ("base_url", meta.base_url),
    ];
    for (key, value) in flags {
        if value {
            table.insert(key.to_owned(), true.into());
        }
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::ingest::Layout;

    #[test]
    fn the_snippet_is_a_valid_configuration_with_the_input_metadata() {
        let options = IngestOptions {
            input_name: "in.vot".into(),
            ra: "ra".into(),
            dec: "dec".into(),
            renames: vec![],
            out: "stars.parquet".into(),
            table: ("demo".into(), "stars".into()),
            layout: Layout {
                order: 29,
                row_group_rows: 1000,
            },
            memory_bytes: 1 << 20,
        };
        let metadata = BTreeMap::from([(
            "ra".to_owned(),
            ColumnConfig {
                unit: Some("deg".into()),
                ucd: Some("pos.eq.ra;meta.main".into()),
                ..ColumnConfig::default()
            },
        )]);
        let text = render(
            &options.table,
            "stars.parquet",
            ("ra", "dec"),
            &metadata,
            None,
        );
        let config = Config::parse(&text, "snippet", PathBuf::new()).unwrap();
        let table = &config.schemas["demo"].tables["stars"];
        assert_eq!(table.path, "stars.parquet");
        assert_eq!(
            table.columns["ra"].ucd.as_deref(),
            Some("pos.eq.ra;meta.main")
        );
    }
}
