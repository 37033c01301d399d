//! The exact geometry-intersects-boxes test as a DataFusion scalar function over the geometry
//! column (WKB, STC-S text or DALI number lists), so that counts and pages agree with it. With
//! the per-feature bbox columns as further arguments, a feature whose bbox a box holds is
//! accepted without reading its geometry.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, BooleanArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Float64Type};
use datafusion::error::{DataFusionError, Result};
use datafusion::logical_expr::{
    ColumnarValue, Expr, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};
use ogc_features::geometry::Geometry;
use ogc_features::intersects::{boxes_hold, intersects_boxes};
use ogc_features::query::LonLatBox;
use ogc_features::region::{dali_polygon, parse_stcs};

use super::setup::SourceColumns;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Encoding {
    Wkb,
    Stcs,
    Dali,
}

/// `vostok_intersects_boxes(geometry[, xmin, ymin, xmax, ymax])`: the boxes are part of the
/// function (as bit patterns, so that it can be compared and hashed as DataFusion requires).
#[derive(Debug, PartialEq, Eq, Hash)]
struct IntersectsBoxes {
    boxes: Vec<[u64; 4]>,
    encoding: Encoding,
    signature: Signature,
}

pub fn call(
    geometry: Expr,
    bbox: Option<[Expr; 4]>,
    boxes: &[LonLatBox],
    source: &SourceColumns,
) -> Expr {
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
        signature: Signature::variadic_any(Volatility::Immutable),
    };
    let mut args = vec![geometry];
    args.extend(bbox.into_iter().flatten());
    ScalarUDF::new_from_impl(udf).call(args)
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

    /// The test of every row against `boxes`; `held(row)` says a box holds the row's bbox.
    fn test(
        &self,
        column: &ArrayRef,
        boxes: &[LonLatBox],
        held: impl Fn(usize) -> bool,
    ) -> Result<BooleanArray> {
        let hit = |g: Option<Geometry>| g.map(|g| intersects_boxes(&g, boxes));
        Ok(match self.encoding {
            Encoding::Wkb => {
                let binary = cast(column, &DataType::LargeBinary)?;
                let binary = binary.as_binary::<i64>();
                (0..binary.len())
                    .map(|row| match binary.is_valid(row) {
                        true if held(row) => Some(true),
                        true => hit(Geometry::from_wkb(binary.value(row)).ok()),
                        false => None,
                    })
                    .collect()
            }
            Encoding::Stcs => {
                let text = cast(column, &DataType::LargeUtf8)?;
                let text = text.as_string::<i64>();
                (0..text.len())
                    .map(|row| match text.is_valid(row) {
                        true if held(row) => Some(true),
                        true => hit(parse_stcs(text.value(row)).ok()),
                        false => None,
                    })
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
                let list = list.as_list::<i64>();
                (0..list.len())
                    .map(|row| match list.is_valid(row) {
                        true if held(row) => Some(true),
                        true => {
                            let values = list.value(row);
                            let values = values.as_primitive::<Float64Type>().values();
                            hit(dali_polygon(values).ok())
                        }
                        false => None,
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
        let rows = args.number_rows;
        let column = |value: &ColumnarValue| value.to_array(rows);
        let boxes = self.boxes();
        let tested = match &args.args[..] {
            [geometry] => self.test(&column(geometry)?, &boxes, |_| false)?,
            [geometry, bbox @ ..] if bbox.len() == 4 => {
                let mut sides = Vec::with_capacity(4);
                for side in bbox {
                    sides.push(cast(&column(side)?, &DataType::Float64)?);
                }
                let sides: Vec<_> = sides
                    .iter()
                    .map(|a| a.as_primitive::<Float64Type>())
                    .collect();
                self.test(&column(geometry)?, &boxes, |row| {
                    sides.iter().all(|a| a.is_valid(row))
                        && boxes_hold(&boxes, [0, 1, 2, 3].map(|i| sides[i].value(row)))
                })?
            }
            _ => {
                return Err(DataFusionError::Internal(
                    "vostok_intersects_boxes takes a geometry and maybe its bbox".into(),
                ));
            }
        };
        Ok(ColumnarValue::Array(Arc::new(tested)))
    }
}
