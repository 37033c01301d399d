//! Which tables offer a cone search, and the columns each verbosity returns.

use crate::catalog::{Catalog, ColumnInfo, TableInfo};

/// A table a cone search can serve: SCS 1.03 §3 wants exactly one FIELD each with the UCDs
/// ID_MAIN, POS_EQ_RA_MAIN and POS_EQ_DEC_MAIN.
#[derive(Debug, Clone)]
pub struct ConeTable<'a> {
    pub table: &'a TableInfo,
    pub id: &'a ColumnInfo,
    pub ra: &'a ColumnInfo,
    pub dec: &'a ColumnInfo,
}

impl<'a> ConeTable<'a> {
    /// The table if it has an ICRS sky position (its position columns carry `pos.eq.*` UCDs,
    /// so a Mars longitude/latitude table does not qualify) and one `meta.id;meta.main`
    /// column.
    pub fn of(table: &'a TableInfo) -> Option<Self> {
        let position = table.position.as_ref()?;
        let ra = table.column(&position.ra)?;
        let dec = table.column(&position.dec)?;
        let has = |c: &ColumnInfo, word: &str| {
            c.meta
                .ucd
                .as_deref()
                .is_some_and(|u| u.split(';').any(|w| w.trim().eq_ignore_ascii_case(word)))
        };
        if !has(ra, "pos.eq.ra") || !has(dec, "pos.eq.dec") {
            return None;
        }
        let mut ids = table
            .columns
            .iter()
            .filter(|c| has(c, "meta.id") && has(c, "meta.main"));
        let id = ids.next()?;
        if ids.next().is_some() {
            return None;
        }
        Some(Self { table, id, ra, dec })
    }

    /// Every table of the catalogue with a cone search.
    pub fn all(catalog: &'a Catalog) -> Vec<Self> {
        catalog.tables().filter_map(Self::of).collect()
    }

    /// Finds the table named `schema.table` in a request path.
    pub fn find(catalog: &'a Catalog, name: &str) -> Option<Self> {
        let (schema, table) = name.split_once('.')?;
        catalog.table(schema, table).and_then(Self::of)
    }

    /// The columns of verbosity 1 (the three SCS columns), 2 (plus the principal columns) or 3
    /// (every column), in table order after the three.
    pub fn columns(&self, verb: u8) -> Vec<&'a ColumnInfo> {
        let key = [self.id, self.ra, self.dec];
        let mut columns = key.to_vec();
        if verb >= 2 {
            columns.extend(
                self.table
                    .columns
                    .iter()
                    .filter(|c| verb >= 3 || c.meta.principal)
                    .filter(|c| !key.iter().any(|k| k.name == c.name)),
            );
        }
        columns
    }

    /// Replaces the UCDs of the three SCS columns by the UCD1 words SCS 1.03 requires, and
    /// makes sure no other column claims them.
    pub fn mark_fields(&self, fields: &mut [formats::FieldMeta]) {
        for (i, field) in fields.iter_mut().enumerate() {
            field.ucd = match i {
                0 => Some("ID_MAIN".to_owned()),
                1 => Some("POS_EQ_RA_MAIN".to_owned()),
                2 => Some("POS_EQ_DEC_MAIN".to_owned()),
                _ => field.ucd.take(),
            };
        }
    }
}
