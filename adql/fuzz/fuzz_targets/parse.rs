//! Any text through the whole pipeline: parsing never panics; what parses prints as ADQL that
//! parses back to the same query; checking and translating never panic either.

#![no_main]

use adql::{ColumnInfo, ColumnType, Datatype, QualifiedName, SchemaLookup, SkyIndex, TableInfo};
use libfuzzer_sys::fuzz_target;

struct Catalogue(Vec<TableInfo>);

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

fn catalogue() -> Catalogue {
    let columns = vec![
        ColumnInfo::new("id", ColumnType::scalar(Datatype::Long)),
        ColumnInfo::new("ra", ColumnType::scalar(Datatype::Double)),
        ColumnInfo::new("dec", ColumnType::scalar(Datatype::Double)),
        ColumnInfo::new("hpx", ColumnType::scalar(Datatype::Long)),
        ColumnInfo::new("name", ColumnType::string()),
        ColumnInfo::new("p", ColumnType::geometry("point")),
        ColumnInfo::new("s", ColumnType::geometry("polygon")),
    ];
    let t = |name: &str| TableInfo {
        name: QualifiedName {
            schema: Some("s".into()),
            table: name.into(),
        },
        physical: QualifiedName {
            schema: None,
            table: name.into(),
        },
        columns: columns.clone(),
        sky_index: Some(SkyIndex {
            ra: "ra".into(),
            dec: "dec".into(),
            healpix_column: "hpx".into(),
            order: 8,
        }),
    };
    Catalogue(vec![t("t"), t("u")])
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(query) = adql::parse(text) else {
        return;
    };
    let printed = query.to_string();
    let again = adql::parse(&printed).unwrap_or_else(|e| panic!("reprint fails: {printed}: {e}"));
    assert_eq!(again, query, "round trip differs: {printed}");
    if let Ok(checked) = adql::check(&query, &catalogue()) {
        let _ = checked.translate(&Default::default());
    }
});
