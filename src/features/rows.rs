//! Record batches of a feature query as `ogc-features` features: the id, the geometry decoded from its
//! column(s), and the selected properties as plain values.

use datafusion::arrow::array::{Array, ArrayRef, AsArray, RecordBatch};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Float64Type, Int64Type};
use datafusion::arrow::error::ArrowError;
use datafusion::arrow::util::display::{ArrayFormatter, FormatOptions};
use ogc_features::geometry::Geometry;
use ogc_features::region::{dali_polygon, parse_stcs};
use ogc_features::{Collection, Feature, FeatureQuery, PropertyType, Value};

use super::setup::SourceColumns;

/// One column, cast once per batch to the type its values are read as.
enum Column {
    Int(ArrayRef),
    Float(ArrayRef),
    Bool(ArrayRef),
    Text(ArrayRef),
    /// Dates and timestamps, written as ISO 8601 text.
    Formatted(ArrayRef),
}

impl Column {
    fn new(array: &ArrayRef, kind: PropertyType) -> Result<Self, ArrowError> {
        Ok(match kind {
            PropertyType::Integer => Self::Int(cast(array, &DataType::Int64)?),
            PropertyType::Double => Self::Float(cast(array, &DataType::Float64)?),
            PropertyType::Boolean => Self::Bool(array.clone()),
            PropertyType::Text => Self::Text(cast(array, &DataType::LargeUtf8)?),
            PropertyType::DateTime | PropertyType::Date => Self::Formatted(array.clone()),
        })
    }

    fn value(&self, row: usize) -> Value {
        match self {
            Self::Int(a) if a.is_valid(row) => Value::Int(a.as_primitive::<Int64Type>().value(row)),
            Self::Float(a) if a.is_valid(row) => {
                Value::Float(a.as_primitive::<Float64Type>().value(row))
            }
            Self::Bool(a) if a.is_valid(row) => Value::Bool(a.as_boolean().value(row)),
            Self::Text(a) if a.is_valid(row) => {
                Value::Text(a.as_string::<i64>().value(row).to_owned())
            }
            Self::Formatted(a) if a.is_valid(row) => {
                let options = FormatOptions::default();
                match ArrayFormatter::try_new(a.as_ref(), &options) {
                    Ok(f) => Value::DateTime(f.value(row).to_string()),
                    Err(_) => Value::Null,
                }
            }
            _ => Value::Null,
        }
    }
}

enum GeometryColumns {
    None,
    Wkb(ArrayRef),
    Stcs(ArrayRef),
    Dali(ArrayRef),
    LonLat(ArrayRef, ArrayRef),
}

/// Reads the features of one batch.
pub struct BatchRows {
    id: Column,
    geometry: GeometryColumns,
    properties: Vec<Column>,
    rows: usize,
    /// Rows whose geometry could not be decoded (written without geometry).
    pub bad_geometries: usize,
}

impl BatchRows {
    pub fn new(
        batch: &RecordBatch,
        source: &SourceColumns,
        collection: &Collection,
        query: &FeatureQuery,
    ) -> Result<Self, ArrowError> {
        let column = |name: &str| {
            batch.column_by_name(name).cloned().ok_or_else(|| {
                ArrowError::SchemaError(format!("column `{name}` missing from the result"))
            })
        };
        let id = Column::new(&column(&collection.id_property)?, collection.id_kind)?;
        let geometry = if !query.include_geometry {
            GeometryColumns::None
        } else {
            match source {
                SourceColumns::Wkb(c) => {
                    GeometryColumns::Wkb(cast(&column(c)?, &DataType::LargeBinary)?)
                }
                SourceColumns::SRegion {
                    column: c,
                    is_list: false,
                } => GeometryColumns::Stcs(cast(&column(c)?, &DataType::LargeUtf8)?),
                SourceColumns::SRegion {
                    column: c,
                    is_list: true,
                } => {
                    let item =
                        std::sync::Arc::new(datafusion::arrow::datatypes::Field::new_list_field(
                            DataType::Float64,
                            true,
                        ));
                    GeometryColumns::Dali(cast(&column(c)?, &DataType::LargeList(item))?)
                }
                SourceColumns::LonLat { lon, lat } => GeometryColumns::LonLat(
                    cast(&column(lon)?, &DataType::Float64)?,
                    cast(&column(lat)?, &DataType::Float64)?,
                ),
            }
        };
        let mut properties = Vec::new();
        for name in query.selected(collection) {
            let kind = collection
                .property(&name)
                .map_or(PropertyType::Text, |p| p.kind);
            properties.push(Column::new(&column(&name)?, kind)?);
        }
        Ok(Self {
            id,
            geometry,
            properties,
            rows: batch.num_rows(),
            bad_geometries: 0,
        })
    }

    pub fn len(&self) -> usize {
        self.rows
    }

    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    fn geometry(&mut self, row: usize) -> Option<Geometry> {
        let decoded = match &self.geometry {
            GeometryColumns::None => return None,
            GeometryColumns::Wkb(a) if a.is_valid(row) => {
                Geometry::from_wkb(a.as_binary::<i64>().value(row)).ok()
            }
            GeometryColumns::Stcs(a) if a.is_valid(row) => {
                parse_stcs(a.as_string::<i64>().value(row)).ok()
            }
            GeometryColumns::Dali(a) if a.is_valid(row) => {
                let values = a.as_list::<i64>().value(row);
                dali_polygon(values.as_primitive::<Float64Type>().values()).ok()
            }
            GeometryColumns::LonLat(lon, lat) if lon.is_valid(row) && lat.is_valid(row) => {
                Some(Geometry::Point([
                    lon.as_primitive::<Float64Type>().value(row),
                    lat.as_primitive::<Float64Type>().value(row),
                ]))
            }
            _ => return None,
        };
        if decoded.is_none() {
            self.bad_geometries += 1;
        }
        decoded
    }

    pub fn feature(&mut self, row: usize) -> Feature {
        Feature {
            id: self.id.value(row),
            geometry: self.geometry(row),
            values: self.properties.iter().map(|c| c.value(row)).collect(),
        }
    }
}
