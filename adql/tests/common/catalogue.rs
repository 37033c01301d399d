//! The one small catalogue that the ADQL tests (`tests/common`), the benchmark (`benches`) and
//! the fuzz target (`fuzz`) check queries against; the latter two include this file by path.
//!
//! - `cat.stars` (physically `cat."Stars"`) and `cat.other`: sky-indexed stars with units and
//!   UCDs, for name resolution, metadata and translation tests;
//! - `ivoa.obscore`: regions, no sky index;
//! - `gaia.source` (50 columns) and `hip.main`: the benchmark's cone, crossmatch and aggregate;
//! - `s.t` and `s.u`: the fuzz seeds' short table and column names.

use adql::{ColumnInfo, ColumnType, Datatype, QualifiedName, SchemaLookup, SkyIndex, TableInfo};

pub struct Catalogue(pub Vec<TableInfo>);

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

pub fn catalogue() -> Catalogue {
    let stars = table(
        ("cat", "stars"),
        (Some("cat"), "Stars"),
        vec![
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
            scalar("hpx", Datatype::Long),
            ColumnInfo::new("pos", ColumnType::geometry("point")),
        ],
        Some(10),
    );
    let other = TableInfo {
        name: qualified(Some("cat"), "other"),
        physical: qualified(None, "other"),
        ..stars.clone()
    };
    let obscore = table(
        ("ivoa", "obscore"),
        (Some("ivoa"), "obscore"),
        vec![
            ColumnInfo::new("obs_id", ColumnType::string()),
            ColumnInfo::new("dataproduct_type", ColumnType::string()),
            column("s_ra", Datatype::Double, Some("deg"), None),
            column("s_dec", Datatype::Double, Some("deg"), None),
            scalar("t_min", Datatype::Double),
            scalar("em_min", Datatype::Double),
            ColumnInfo::new("s_region", ColumnType::geometry("polygon")),
        ],
        None,
    );
    let mut source: Vec<ColumnInfo> = [
        ("source_id", Datatype::Long),
        ("ra", Datatype::Double),
        ("dec", Datatype::Double),
        ("hpx", Datatype::Long),
        ("parallax", Datatype::Double),
        ("pmra", Datatype::Double),
        ("pmdec", Datatype::Double),
        ("phot_g_mean_mag", Datatype::Float),
        ("bp_rp", Datatype::Float),
    ]
    .into_iter()
    .map(|(name, datatype)| scalar(name, datatype))
    .collect();
    source.push(ColumnInfo::new("designation", ColumnType::string()));
    source.extend((0..40).map(|i| scalar(&format!("extra_{i}"), Datatype::Double)));
    let gaia = table(
        ("gaia", "source"),
        (Some("gaia"), "source"),
        source,
        Some(12),
    );
    let hipparcos = table(
        ("hip", "main"),
        (Some("hip"), "main"),
        vec![
            scalar("hip", Datatype::Int),
            scalar("ra", Datatype::Double),
            scalar("dec", Datatype::Double),
            scalar("hpx", Datatype::Long),
            scalar("vmag", Datatype::Float),
        ],
        Some(12),
    );
    let short = |name: &str| {
        table(
            ("s", name),
            (None, name),
            vec![
                scalar("id", Datatype::Long),
                scalar("ra", Datatype::Double),
                scalar("dec", Datatype::Double),
                scalar("hpx", Datatype::Long),
                ColumnInfo::new("name", ColumnType::string()),
                ColumnInfo::new("p", ColumnType::geometry("point")),
                ColumnInfo::new("s", ColumnType::geometry("polygon")),
            ],
            Some(8),
        )
    };
    Catalogue(vec![
        stars,
        other,
        obscore,
        gaia,
        hipparcos,
        short("t"),
        short("u"),
    ])
}

/// A table named `schema.table` in ADQL, read from `physical`; `sky_order` is the order of its
/// HEALPix index over `ra`/`dec` in the column `hpx`, if it has one.
fn table(
    (schema, name): (&str, &str),
    physical: (Option<&str>, &str),
    columns: Vec<ColumnInfo>,
    sky_order: Option<u8>,
) -> TableInfo {
    TableInfo {
        name: qualified(Some(schema), name),
        physical: qualified(physical.0, physical.1),
        columns,
        sky_index: sky_order.map(|order| SkyIndex {
            ra: "ra".into(),
            dec: "dec".into(),
            healpix_column: "hpx".into(),
            order,
        }),
    }
}

fn qualified(schema: Option<&str>, table: &str) -> QualifiedName {
    QualifiedName {
        schema: schema.map(str::to_string),
        table: table.into(),
    }
}

fn scalar(name: &str, datatype: Datatype) -> ColumnInfo {
    ColumnInfo::new(name, ColumnType::scalar(datatype))
}

fn column(name: &str, datatype: Datatype, unit: Option<&str>, ucd: Option<&str>) -> ColumnInfo {
    let mut c = scalar(name, datatype);
    c.unit = unit.map(str::to_string);
    c.ucd = ucd.map(str::to_string);
    c
}
