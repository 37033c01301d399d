//! `[ogc.features.collections.*]` resolved against the catalogue: each collection's table,
//! id, geometry and bbox columns checked, its properties typed, its extent computed.

use std::sync::Arc;

use anyhow::{Context, bail};
use datafusion::arrow::array::{Array, AsArray};
use datafusion::arrow::datatypes::{DataType, Float64Type};
use datafusion::common::TableReference;
use datafusion::functions_aggregate::expr_fn::{max, min};
use datafusion::logical_expr::{cast, ident};
use ogc_features::{
    Collection, CollectionConfig, FeatureServices, GeometryKind, GeometrySource, Property,
    PropertyType, parse_geographic,
};

use crate::catalog::{Catalog, TableInfo};
use crate::config::Config;

/// Per-feature bounding box columns written by ingest (`bbox_xmin` …): Parquet statistics on
/// them let a bbox query skip row groups. Flat columns rather than a GeoParquet 1.1 `bbox`
/// struct: DataFusion prunes on plain columns, and ADQL users can query them.
pub const BBOX_COLUMNS: [&str; 4] = ["bbox_xmin", "bbox_ymin", "bbox_xmax", "bbox_ymax"];

/// Where a collection's geometry comes from, as columns of its table.
#[derive(Debug, Clone)]
pub enum SourceColumns {
    Wkb(String),
    /// STC-S text, or a DALI polygon as a list of numbers.
    SRegion {
        column: String,
        is_list: bool,
    },
    LonLat {
        lon: String,
        lat: String,
    },
}

/// How one collection is read.
#[derive(Debug, Clone)]
pub struct Source {
    pub table: TableReference,
    pub geometry: SourceColumns,
    /// Whether the table has the per-feature bbox columns.
    pub bbox_columns: bool,
    /// Arrow types of the published properties, by name.
    pub types: Vec<(String, DataType)>,
}

/// The feature services with the sources of their collections.
pub struct Features {
    pub services: FeatureServices,
    sources: Vec<(String, Source)>,
}

impl Features {
    pub fn source(&self, collection: &str) -> Option<&Source> {
        self.sources
            .iter()
            .find(|(id, _)| id == collection)
            .map(|(_, s)| s)
    }

    pub fn is_empty(&self) -> bool {
        self.sources.is_empty()
    }

    pub async fn open(
        config: &Config,
        catalog: &Catalog,
        base_url: &str,
    ) -> anyhow::Result<Arc<Self>> {
        let features = &config.ogc.features;
        let mut collections = Vec::new();
        let mut sources = Vec::new();
        for (id, collection_config) in &features.collections {
            let (collection, source) = resolve(id, collection_config, catalog)
                .await
                .with_context(|| format!("[ogc.features.collections.{id}]"))?;
            collections.push(collection);
            sources.push((id.clone(), source));
        }
        let services = FeatureServices::new(features, collections, base_url, &config.server.title)?;
        Ok(Arc::new(Self { services, sources }))
    }
}

/// WFS type names and XML element names must be NCNames; OGC API ids go into URLs.
fn is_ncname(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

fn property_type(data_type: &DataType) -> Option<PropertyType> {
    Some(match data_type {
        DataType::Boolean => PropertyType::Boolean,
        t if t.is_integer() => PropertyType::Integer,
        t if t.is_floating()
            || matches!(t, DataType::Decimal128(..) | DataType::Decimal256(..)) =>
        {
            PropertyType::Double
        }
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => PropertyType::Text,
        DataType::Timestamp(..) => PropertyType::DateTime,
        DataType::Date32 | DataType::Date64 => PropertyType::Date,
        _ => return None,
    })
}

async fn resolve(
    id: &str,
    config: &CollectionConfig,
    catalog: &Catalog,
) -> anyhow::Result<(Collection, Source)> {
    if !is_ncname(id) {
        bail!(
            "the collection id `{id}` must start with a letter and hold only letters, digits, `_`, `-` and `.`"
        );
    }
    let (schema, name) = config
        .table
        .split_once('.')
        .with_context(|| format!("table `{}` must be schema.table", config.table))?;
    let table = catalog
        .table(schema, name)
        .with_context(|| format!("no table `{}` in [schemas]", config.table))?;
    let column_type = |name: &str| -> anyhow::Result<&DataType> {
        table
            .column(name)
            .map(|c| &c.data_type)
            .with_context(|| format!("no column `{name}` in {}", table.qualified_name()))
    };
    let id_type = column_type(&config.id)?;
    let id_kind = match property_type(id_type) {
        Some(kind @ (PropertyType::Integer | PropertyType::Text)) => kind,
        _ => bail!(
            "the id column `{}` must hold integers or text, not {id_type}",
            config.id
        ),
    };
    let crs = parse_geographic(&config.crs)?;
    let bbox_columns = BBOX_COLUMNS
        .iter()
        .all(|c| table.column(c).is_some_and(|c| c.data_type.is_floating()));
    let (geometry, hidden, geometry_name, kind) = match &config.geometry {
        GeometrySource::Wkb { wkb } => {
            let t = column_type(wkb)?;
            if !matches!(
                t,
                DataType::Binary | DataType::LargeBinary | DataType::BinaryView
            ) {
                bail!("the WKB column `{wkb}` must be binary, not {t}");
            }
            let kind = geoparquet_kind(table, wkb);
            (
                SourceColumns::Wkb(wkb.clone()),
                vec![wkb.clone()],
                wkb.clone(),
                kind,
            )
        }
        GeometrySource::SRegion { s_region } => {
            let is_list = match column_type(s_region)? {
                DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => false,
                DataType::List(item) | DataType::LargeList(item)
                    if item.data_type().is_numeric() =>
                {
                    true
                }
                other => bail!(
                    "the s_region column `{s_region}` must be text (STC-S) or a list of numbers (DALI), not {other}"
                ),
            };
            let source = SourceColumns::SRegion {
                column: s_region.clone(),
                is_list,
            };
            (
                source,
                vec![s_region.clone()],
                s_region.clone(),
                GeometryKind::Polygon,
            )
        }
        GeometrySource::LonLat { lon, lat } => {
            for c in [lon, lat] {
                if !column_type(c)?.is_numeric() {
                    bail!("the position column `{c}` must be numeric");
                }
            }
            let source = SourceColumns::LonLat {
                lon: lon.clone(),
                lat: lat.clone(),
            };
            (
                source,
                Vec::new(),
                "geometry".to_owned(),
                GeometryKind::Point,
            )
        }
    };
    let is_hidden = |name: &str| {
        hidden.iter().any(|h| h == name) || (bbox_columns && BBOX_COLUMNS.contains(&name))
    };
    let mut properties = Vec::new();
    let mut types = Vec::new();
    for column in &table.columns {
        if is_hidden(&column.name) || column.name == geometry_name || !is_ncname(&column.name) {
            continue;
        }
        let Some(kind) = property_type(&column.data_type) else {
            continue;
        };
        properties.push(Property {
            name: column.name.clone(),
            kind,
            description: column.meta.description.clone(),
            unit: column.meta.unit.clone(),
        });
        types.push((column.name.clone(), column.data_type.clone()));
    }
    if let Some(datetime) = &config.datetime
        && !matches!(
            property_type(column_type(datetime)?),
            Some(PropertyType::DateTime | PropertyType::Date)
        )
    {
        bail!("the datetime column `{datetime}` must hold timestamps or dates");
    }
    let table_ref = TableReference::partial(table.schema.as_str(), table.name.as_str());
    let source = Source {
        table: table_ref,
        geometry,
        bbox_columns,
        types,
    };
    let extent = extent(catalog, &source).await?;
    let collection = Collection {
        id: id.to_owned(),
        title: config
            .title
            .clone()
            .or_else(|| table.description.clone())
            .unwrap_or_else(|| id.to_owned()),
        description: config
            .description
            .clone()
            .or_else(|| table.description.clone())
            .unwrap_or_default(),
        crs,
        edges: config.edges(),
        geometry_kind: kind,
        geometry_name,
        id_property: config.id.clone(),
        id_kind,
        properties,
        extent,
        datetime: config.datetime.clone(),
    };
    Ok((collection, source))
}

/// The geometry kind the GeoParquet metadata (`geo` key, `geometry_types`) declares.
fn geoparquet_kind(table: &TableInfo, column: &str) -> GeometryKind {
    let Some(file) = table.files.first() else {
        return GeometryKind::Any;
    };
    let Ok(reader) = std::fs::File::open(file) else {
        return GeometryKind::Any;
    };
    let Ok(metadata) =
        datafusion::parquet::file::metadata::ParquetMetaDataReader::new().parse_and_finish(&reader)
    else {
        return GeometryKind::Any;
    };
    let geo = metadata
        .file_metadata()
        .key_value_metadata()
        .and_then(|kvs| kvs.iter().find(|kv| kv.key == "geo"))
        .and_then(|kv| kv.value.as_deref())
        .and_then(|v| serde_json::from_str::<serde_json::Value>(v).ok());
    let types: Vec<String> = geo
        .as_ref()
        .and_then(|g| g["columns"][column]["geometry_types"].as_array())
        .map(|a| {
            a.iter()
                .filter_map(|t| t.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    if types.is_empty() {
        GeometryKind::Any
    } else if types.iter().all(|t| t == "Polygon" || t == "MultiPolygon") {
        GeometryKind::Polygon
    } else if types.iter().all(|t| t == "Point") {
        GeometryKind::Point
    } else {
        GeometryKind::Any
    }
}

/// The collection's longitude/latitude extent in −180..180, from its bbox (or position)
/// columns; None when the geometry has no such columns.
async fn extent(catalog: &Catalog, source: &Source) -> anyhow::Result<Option<[f64; 4]>> {
    let names: [String; 4] = match &source.geometry {
        SourceColumns::LonLat { lon, lat } => [lon.clone(), lat.clone(), lon.clone(), lat.clone()],
        _ if source.bbox_columns => BBOX_COLUMNS.map(str::to_owned),
        _ => return Ok(None),
    };
    let [xmin, ymin, xmax, ymax] = names;
    let f64_of = |name: &str| cast(ident(name), DataType::Float64);
    let batches = catalog
        .context()
        .table(source.table.clone())
        .await?
        .aggregate(
            vec![],
            vec![
                min(f64_of(&xmin)).alias("xmin"),
                min(f64_of(&ymin)).alias("ymin"),
                max(f64_of(&xmax)).alias("xmax"),
                max(f64_of(&ymax)).alias("ymax"),
            ],
        )?
        .collect()
        .await?;
    let Some(batch) = batches.first().filter(|b| b.num_rows() == 1) else {
        return Ok(None);
    };
    let mut v = [0.0; 4];
    for (i, slot) in v.iter_mut().enumerate() {
        let column = batch.column(i).as_primitive::<Float64Type>();
        if column.is_null(0) {
            return Ok(None);
        }
        *slot = column.value(0);
    }
    let [w, s, e, n] = v;
    Ok(Some(if w >= -180.0 && e <= 180.0 {
        [w, s, e, n]
    } else {
        [-180.0, s, 180.0, n]
    }))
}
