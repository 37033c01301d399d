//! The exact geometry-intersects-boxes test as a DataFusion scalar function over the geometry
//! column (WKB, STC-S text or DALI number lists), so that counts and pages agree with it.

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, AsArray, BooleanArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Float64Type};
use datafusion::error::{DataFusionError, Result};
use datafusion::logical_expr::{
    ColumnarValue, Expr, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};
use ogc::features::geometry::Geometry;
use ogc::features::intersects::intersects_boxes;
use ogc::features::query::LonLatBox;
use ogc::features::region::{dali_polygon, parse_stcs};

use super::setup::SourceColumns;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Encoding {
    Wkb,
    Stcs,
    Dali,
}

/// `vostok_intersects_boxes(geometry)`: the boxes are part of the function (as bit patterns,
/// so that it can be compared and hashed as DataFusion requires).
#[derive(Debug, PartialEq, Eq, Hash)]
struct IntersectsBoxes {
    boxes: Vec<[u64; 4]>,
    encoding: Encoding,
    signature: Signature,
}

pub fn call(geometry: Expr, boxes: &[LonLatBox], source: &SourceColumns) -> Expr {
    let encoding = match source {
        SourceColumns::SRegion { is_list: true, .. } => Encoding::Dali,
        SourceColumns::SRegion { is_list: false, .. } => Encoding::Stcs,
        _ => Encoding::Wkb,
    };
    let udf = IntersectsBoxes {
        boxes: boxes
            .iter()
            .map(|b| [b.west, b.south, b.east, b.north].map(f64::to_bits))
            .collect(),
        encoding,
        signature: Signature::any(1, Volatility::Immutable),
    };
    ScalarUDF::new_from_impl(udf).call(vec![geometry])
}

impl IntersectsBoxes {
    fn boxes(&self) -> Vec<LonLatBox> {
        self.boxes
            .iter()
            .map(|b| {
                let [west, south, east, north] = b.map(f64::from_bits);
                LonLatBox {
                    west,
                    south,
                    east,
                    north,
                }
            })
            .collect()
    }

    fn test(&self, column: &ArrayRef) -> Result<BooleanArray> {
        let boxes = self.boxes();
        let hit = |g: Option<Geometry>| g.map(|g| intersects_boxes(&g, &boxes));
        Ok(match self.encoding {
            Encoding::Wkb => {
                let binary = cast(column, &DataType::LargeBinary)?;
                binary
                    .as_binary::<i64>()
                    .iter()
                    .map(|v| hit(v.and_then(|bytes| Geometry::from_wkb(bytes).ok())))
                    .collect()
            }
            Encoding::Stcs => {
                let text = cast(column, &DataType::LargeUtf8)?;
                text.as_string::<i64>()
                    .iter()
                    .map(|v| hit(v.and_then(|t| parse_stcs(t).ok())))
                    .collect()
            }
            Encoding::Dali => {
                let list = cast(
                    column,
                    &DataType::LargeList(Arc::new(
                        datafusion::arrow::datatypes::Field::new_list_field(
                            DataType::Float64,
                            true,
                        ),
                    )),
                )?;
                list.as_list::<i64>()
                    .iter()
                    .map(|v| {
                        let values = v.map(|a| a.as_primitive::<Float64Type>().values().to_vec());
                        hit(values.and_then(|v| dali_polygon(&v).ok()))
                    })
                    .collect()
            }
        })
    }
}

impl ScalarUDFImpl for IntersectsBoxes {
    fn name(&self) -> &str {
        "vostok_intersects_boxes"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _args: &[DataType]) -> Result<DataType> {
        Ok(DataType::Boolean)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let [geometry] = &args.args[..] else {
            return Err(DataFusionError::Internal(
                "vostok_intersects_boxes takes one argument".into(),
            ));
        };
        let column = geometry.to_array(args.number_rows)?;
        Ok(ColumnarValue::Array(Arc::new(self.test(&column)?)))
    }
}
