//! A small catalogue for checker and translation tests.

// Each test binary uses a different part of this helper.
#![allow(dead_code)]

use adql::{ColumnInfo, ColumnType, Datatype, QualifiedName, SchemaLookup, SkyIndex, TableInfo};

pub struct Catalogue(pub Vec<TableInfo>);

fn column(name: &str, datatype: Datatype, unit: Option<&str>, ucd: Option<&str>) -> ColumnInfo {
    let mut c = ColumnInfo::new(name, ColumnType::scalar(datatype));
    c.unit = unit.map(str::to_string);
    c.ucd = ucd.map(str::to_string);
    c
}

pub fn catalogue() -> Catalogue {
    let stars = TableInfo {
        name: QualifiedName {
            schema: Some("cat".into()),
            table: "stars".into(),
        },
        physical: QualifiedName {
            schema: Some("cat".into()),
            table: "Stars".into(),
        },
        columns: vec![
            column("id", Datatype::Long, None, Some("meta.id;meta.main")),
            column(
                "ra",
                Datatype::Double,
                Some("deg"),
                Some("pos.eq.ra;meta.main"),
            ),
            column(
                "dec",
                Datatype::Double,
                Some("deg"),
                Some("pos.eq.dec;meta.main"),
            ),
            column("mag", Datatype::Float, Some("mag"), Some("phot.mag")),
            ColumnInfo::new("name", ColumnType::string()),
            column("hpx", Datatype::Long, None, None),
            ColumnInfo::new("pos", ColumnType::geometry("point")),
        ],
        sky_index: Some(SkyIndex {
            ra: "ra".into(),
            dec: "dec".into(),
            healpix_column: "hpx".into(),
            order: 10,
        }),
    };
    let mut other = stars.clone();
    other.name = QualifiedName {
        schema: Some("cat".into()),
        table: "other".into(),
    };
    other.physical = QualifiedName {
        schema: None,
        table: "other".into(),
    };
    let regions = TableInfo {
        name: QualifiedName {
            schema: Some("ivoa".into()),
            table: "obscore".into(),
        },
        physical: QualifiedName {
            schema: Some("ivoa".into()),
            table: "obscore".into(),
        },
        columns: vec![
            ColumnInfo::new("obs_id", ColumnType::string()),
            ColumnInfo::new("s_region", ColumnType::geometry("polygon")),
            column("s_ra", Datatype::Double, Some("deg"), None),
            column("s_dec", Datatype::Double, Some("deg"), None),
        ],
        sky_index: None,
    };
    Catalogue(vec![stars, other, regions])
}

impl SchemaLookup for Catalogue {
    fn table(&self, schema: Option<&str>, table: &str) -> Option<TableInfo> {
        self.0
            .iter()
            .find(|t| {
                t.name.table == table && (schema.is_none() || t.name.schema.as_deref() == schema)
            })
            .cloned()
    }

    fn table_names(&self) -> Vec<QualifiedName> {
        self.0.iter().map(|t| t.name.clone()).collect()
    }
}

pub fn translate(adql: &str, max_rows: Option<u64>) -> String {
    translation(adql, max_rows).statement.to_string()
}

pub fn translation(adql: &str, max_rows: Option<u64>) -> adql::Translation {
    let query = adql::parse(adql).unwrap_or_else(|e| panic!("{adql}: {e}"));
    let checked = adql::check(&query, &catalogue()).unwrap_or_else(|e| panic!("{adql}: {e}"));
    let options = adql::TranslateOptions {
        max_rows,
        ..Default::default()
    };
    checked.translation(&options)
}
