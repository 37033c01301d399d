//! The catalogue (and a query's uploaded tables) as the ADQL checker sees it.

use adql::{ColumnInfo, ColumnType, Datatype, QualifiedName, SchemaLookup, SkyIndex, TableInfo};

use crate::catalog::{self, Catalog};

/// The schema under which TAP uploads appear (TAP 1.1 §2.5.3).
pub const UPLOAD_SCHEMA: &str = "TAP_UPLOAD";

pub struct CatalogLookup<'a> {
    tables: Vec<&'a catalog::TableInfo>,
}

impl<'a> CatalogLookup<'a> {
    /// The catalogue's tables plus `uploads` (described as `TAP_UPLOAD` tables).
    pub fn new(catalog: &'a Catalog, uploads: &'a [catalog::TableInfo]) -> Self {
        Self {
            tables: catalog.tables().chain(uploads.iter()).collect(),
        }
    }
}

impl SchemaLookup for CatalogLookup<'_> {
    fn table(&self, schema: Option<&str>, table: &str) -> Option<TableInfo> {
        let mut matches = self
            .tables
            .iter()
            .filter(|t| t.name == table && schema.is_none_or(|s| s == t.schema));
        let found = matches.next()?;
        // An unqualified name must designate one table only.
        if schema.is_none() && matches.next().is_some() {
            return None;
        }
        Some(describe(found))
    }

    fn table_names(&self) -> Vec<QualifiedName> {
        self.tables
            .iter()
            .map(|t| QualifiedName {
                schema: Some(t.schema.clone()),
                table: t.name.clone(),
            })
            .collect()
    }
}

fn describe(table: &catalog::TableInfo) -> TableInfo {
    let name = QualifiedName {
        schema: Some(table.schema.clone()),
        table: table.name.clone(),
    };
    TableInfo {
        physical: name.clone(),
        name,
        columns: table.columns.iter().filter_map(column).collect(),
        sky_index: match (&table.position, &table.healpix) {
            (Some(position), Some(healpix)) => Some(SkyIndex {
                ra: position.ra.clone(),
                dec: position.dec.clone(),
                healpix_column: healpix.column.clone(),
                order: healpix.order,
            }),
            _ => None,
        },
    }
}

/// A column the catalogue can describe; one without a VOTable mapping was refused when the
/// catalogue opened, so `None` cannot hide a published column.
fn column(column: &catalog::ColumnInfo) -> Option<ColumnInfo> {
    let field = column.field_meta().ok()?;
    let datatype = adql_datatype(field.datatype);
    Some(ColumnInfo {
        name: column.name.clone(),
        description: field.description,
        unit: field.unit,
        ucd: field.ucd,
        utype: field.utype,
        column_type: ColumnType {
            datatype,
            arraysize: field.arraysize,
            xtype: field.xtype,
        },
        principal: column.meta.principal,
        indexed: column.meta.indexed,
        std: column.meta.std,
    })
}

/// The two `Datatype` enums (`adql::Datatype` says why there are two) are mapped here, and only
/// here, both ways.
pub fn adql_datatype(datatype: formats::Datatype) -> Datatype {
    use formats::Datatype as F;
    match datatype {
        F::Boolean => Datatype::Boolean,
        F::Bit => Datatype::Bit,
        F::UnsignedByte => Datatype::UnsignedByte,
        F::Short => Datatype::Short,
        F::Int => Datatype::Int,
        F::Long => Datatype::Long,
        F::Char => Datatype::Char,
        F::UnicodeChar => Datatype::UnicodeChar,
        F::Float => Datatype::Float,
        F::Double => Datatype::Double,
        F::FloatComplex => Datatype::FloatComplex,
        F::DoubleComplex => Datatype::DoubleComplex,
    }
}

/// The inverse of [`adql_datatype`].
pub fn formats_datatype(datatype: Datatype) -> formats::Datatype {
    use formats::Datatype as F;
    match datatype {
        Datatype::Boolean => F::Boolean,
        Datatype::Bit => F::Bit,
        Datatype::UnsignedByte => F::UnsignedByte,
        Datatype::Short => F::Short,
        Datatype::Int => F::Int,
        Datatype::Long => F::Long,
        Datatype::Char => F::Char,
        Datatype::UnicodeChar => F::UnicodeChar,
        Datatype::Float => F::Float,
        Datatype::Double => F::Double,
        Datatype::FloatComplex => F::FloatComplex,
        Datatype::DoubleComplex => F::DoubleComplex,
    }
}
