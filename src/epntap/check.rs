//! Checking `epn_core` tables against the mandatory columns, before the server starts.

use datafusion::arrow::datatypes::DataType;
use datafusion::common::TableReference;
use datafusion::logical_expr::{Expr, col};

use super::mandatory::{Kind, MANDATORY, TABLE_NAME, Ucd};
use crate::catalog::{Catalog, ColumnInfo, TableInfo};

/// Every `epn_core` table of the catalogue, checked; `Err` lists every problem of every table.
pub async fn check_catalog(catalog: &Catalog) -> anyhow::Result<()> {
    let mut report = Vec::new();
    for table in catalog.tables().filter(|t| t.name == TABLE_NAME) {
        let mut found = problems(table);
        if found.is_empty() {
            found.extend(null_problems(catalog, table).await?);
        }
        report.extend(
            found
                .into_iter()
                .map(|p| format!("  {}: {p}", table.qualified_name())),
        );
    }
    if report.is_empty() {
        Ok(())
    } else {
        anyhow::bail!(
            "EPN-TAP 2.0 requires {} mandatory columns in every epn_core table:\n{}",
            MANDATORY.len(),
            report.join("\n")
        )
    }
}

/// What is wrong with the mandatory columns of `table`: missing columns, wrong types, units
/// or UCDs (the values are checked by [`check_catalog`]).
pub fn problems(table: &TableInfo) -> Vec<String> {
    let mut found = Vec::new();
    for m in &MANDATORY {
        let Some(column) = table.column(m.name) else {
            found.push(format!("column {} is missing", m.name));
            continue;
        };
        if !kind_matches(m.kind, column) {
            found.push(format!(
                "column {} is of type {} where EPN-TAP wants {:?}",
                m.name, column.data_type, m.kind
            ));
        }
        let unit = column.meta.unit.as_deref().filter(|u| !u.is_empty());
        match (m.unit, unit) {
            (Some("*"), _) => {}
            (expected, got) if expected == got => {}
            (expected, got) => found.push(format!(
                "column {} has unit {} where EPN-TAP wants {}",
                m.name,
                got.unwrap_or("(none)"),
                expected.unwrap_or("(none)")
            )),
        }
        let ucd = column.meta.ucd.as_deref().unwrap_or("");
        let ucd_ok = match m.ucd {
            Ucd::Exactly(expected) => ucd.eq_ignore_ascii_case(expected),
            Ucd::Position(stat) => ucd
                .split_once(';')
                .is_some_and(|(first, rest)| first.starts_with("pos.") && rest == stat),
        };
        if !ucd_ok {
            let wanted = match m.ucd {
                Ucd::Exactly(expected) => expected.to_owned(),
                Ucd::Position(stat) => format!("pos.…;{stat}"),
            };
            found.push(format!(
                "column {} has UCD {} where EPN-TAP wants {wanted}",
                m.name,
                if ucd.is_empty() { "(none)" } else { ucd }
            ));
        }
    }
    found
}

fn kind_matches(kind: Kind, column: &ColumnInfo) -> bool {
    let text = matches!(
        column.data_type,
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View
    );
    let xtype = column.meta.xtype.as_deref().map(str::to_ascii_lowercase);
    match kind {
        Kind::Text => text,
        Kind::Double => matches!(column.data_type, DataType::Float64 | DataType::Float32),
        Kind::Integer => matches!(
            column.data_type,
            DataType::Int16 | DataType::Int32 | DataType::Int64
        ),
        Kind::Timestamp => {
            matches!(column.data_type, DataType::Timestamp(..))
                || (text && xtype.as_deref() == Some("timestamp"))
        }
        Kind::Region => {
            (text && matches!(xtype.as_deref(), None | Some("adql:region")))
                || (matches!(column.data_type, DataType::List(_))
                    && matches!(
                        xtype.as_deref(),
                        Some("polygon" | "circle" | "point" | "shape")
                    ))
        }
    }
}

/// The not-null mandatory columns that hold nulls, found by one scan of the table.
async fn null_problems(catalog: &Catalog, table: &TableInfo) -> anyhow::Result<Vec<String>> {
    let mut found = Vec::new();
    let frame = catalog
        .context()
        .table(TableReference::partial(
            table.schema.as_str(),
            table.name.as_str(),
        ))
        .await?;
    let required: Vec<&str> = MANDATORY
        .iter()
        .filter(|m| m.not_null)
        .map(|m| m.name)
        .collect();
    let any_null = required
        .iter()
        .map(|name| col(format!("\"{name}\"")).is_null())
        .reduce(Expr::or);
    let Some(any_null) = any_null else {
        return Ok(found);
    };
    let bad = frame.filter(any_null)?.limit(0, Some(1))?.collect().await?;
    if let Some(batch) = bad.iter().find(|b| b.num_rows() > 0) {
        for name in required {
            if let Some(values) = batch.column_by_name(name)
                && values.is_null(0)
            {
                found.push(format!("column {name} must have a value in every row"));
            }
        }
    }
    Ok(found)
}
