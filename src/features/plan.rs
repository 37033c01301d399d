//! A `FeatureQuery` as a DataFusion plan over the collection's table: filters as `Expr`s (never
//! SQL text), bbox tests as range predicates on the per-feature bbox (or position) columns so
//! that Parquet statistics skip row groups, the exact geometry test after them, and the order
//! by id that makes pages stable.

use datafusion::arrow::datatypes::DataType;
use datafusion::dataframe::DataFrame;
use datafusion::error::{DataFusionError, Result};
use datafusion::functions::string::expr_fn::lower;
use datafusion::logical_expr::expr::Like;
use datafusion::logical_expr::{Expr, cast, ident, lit};
use datafusion::prelude::SessionContext;
use ogc_features::query::{CompareOp, LonLatBox};
use ogc_features::{Collection, FeatureQuery, Filter, Literal};

use super::intersects_udf;
use super::setup::{BBOX_COLUMNS, Source, SourceColumns};

/// The filtered table (no order, no paging): what counts run on.
pub async fn filtered(
    ctx: &SessionContext,
    source: &Source,
    collection: &Collection,
    query: &FeatureQuery,
) -> Result<DataFrame> {
    let frame = ctx.table(source.table.clone()).await?;
    match &query.filter {
        Some(filter) => frame.filter(expression(filter, source, collection)?),
        None => Ok(frame),
    }
}

/// The page of features: ordered, offset, limited, with the columns the encoders read.
pub fn page(
    frame: DataFrame,
    source: &Source,
    collection: &Collection,
    query: &FeatureQuery,
) -> Result<DataFrame> {
    let mut frame = frame;
    if query.paged || !query.sort.is_empty() {
        let mut keys: Vec<_> = query
            .sort
            .iter()
            .map(|k| ident(&k.property).sort(!k.descending, false))
            .collect();
        keys.push(ident(&collection.id_property).sort(true, false));
        frame = frame.sort(keys)?;
    }
    let frame = frame.limit(
        usize::try_from(query.offset).unwrap_or(usize::MAX),
        Some(usize::try_from(query.limit).unwrap_or(usize::MAX)),
    )?;
    frame.select(output_columns(source, collection, query))
}

/// id, geometry columns (when asked for), selected properties; each once.
pub fn output_columns(source: &Source, collection: &Collection, query: &FeatureQuery) -> Vec<Expr> {
    let mut names = vec![collection.id_property.clone()];
    if query.include_geometry {
        match &source.geometry {
            SourceColumns::Wkb(c) | SourceColumns::SRegion { column: c, .. } => {
                names.push(c.clone())
            }
            SourceColumns::LonLat { lon, lat } => names.extend([lon.clone(), lat.clone()]),
        }
    }
    for name in query.selected(collection) {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names.into_iter().map(ident).collect()
}

fn column_type<'a>(source: &'a Source, property: &str) -> Result<&'a DataType> {
    source
        .types
        .iter()
        .find(|(name, _)| name == property)
        .map(|(_, t)| t)
        .ok_or_else(|| DataFusionError::Plan(format!("`{property}` is not a property")))
}

/// A request literal as an expression of the column's type.
fn literal(value: &Literal, data_type: &DataType) -> Expr {
    match value {
        Literal::Bool(b) => lit(*b),
        Literal::Int(i) => lit(*i),
        Literal::Float(f) => lit(*f),
        Literal::Text(t) => lit(t.clone()),
        Literal::DateTime(t) => cast(lit(t.clone()), data_type.clone()),
    }
}

fn is_text(data_type: &DataType) -> bool {
    matches!(
        data_type,
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View
    )
}

fn expression(filter: &Filter, source: &Source, collection: &Collection) -> Result<Expr> {
    let all = |filters: &[Filter]| -> Result<Vec<Expr>> {
        filters
            .iter()
            .map(|f| expression(f, source, collection))
            .collect()
    };
    Ok(match filter {
        Filter::And(filters) => all(filters)?
            .into_iter()
            .reduce(Expr::and)
            .unwrap_or(lit(true)),
        Filter::Or(filters) => all(filters)?
            .into_iter()
            .reduce(Expr::or)
            .unwrap_or(lit(false)),
        Filter::Not(inner) => !expression(inner, source, collection)?,
        Filter::Compare {
            property,
            op,
            value,
            match_case,
        } => {
            let data_type = column_type(source, property)?;
            let (left, right) = if is_text(data_type) && !match_case {
                (lower(ident(property)), lower(literal(value, data_type)))
            } else {
                (ident(property), literal(value, data_type))
            };
            match op {
                CompareOp::Eq => left.eq(right),
                CompareOp::Ne => left.not_eq(right),
                CompareOp::Lt => left.lt(right),
                CompareOp::Le => left.lt_eq(right),
                CompareOp::Gt => left.gt(right),
                CompareOp::Ge => left.gt_eq(right),
            }
        }
        Filter::Like {
            property,
            pattern,
            match_case,
        } => {
            let data_type = column_type(source, property)?;
            let column = if is_text(data_type) {
                ident(property)
            } else {
                cast(ident(property), DataType::Utf8)
            };
            Expr::Like(Like::new(
                false,
                Box::new(column),
                Box::new(lit(pattern.clone())),
                Some('\\'),
                !match_case,
            ))
        }
        Filter::IsNull(property) => ident(property).is_null(),
        Filter::Between {
            property,
            low,
            high,
        } => {
            let data_type = column_type(source, property)?;
            ident(property).between(literal(low, data_type), literal(high, data_type))
        }
        Filter::In { property, values } => {
            let data_type = column_type(source, property)?;
            ident(property).in_list(
                values.iter().map(|v| literal(v, data_type)).collect(),
                false,
            )
        }
        Filter::Ids(ids) if ids.is_empty() => lit(false),
        Filter::Ids(ids) => {
            let data_type = column_type(source, &collection.id_property)?;
            ident(&collection.id_property)
                .in_list(ids.iter().map(|v| literal(v, data_type)).collect(), false)
        }
        Filter::Intersects(boxes) => intersects(boxes, source),
    })
}

/// The box test: range predicates Parquet statistics can prune with, then (for footprints) the
/// exact test. Each box is tried as given and one turn east and west, because stored longitudes
/// may be 0..360 or run past the seam (see `ogc_features::seam`).
fn intersects(boxes: &[LonLatBox], source: &Source) -> Expr {
    let f = |name: &str| ident(name);
    let ranges = boxes
        .iter()
        .flat_map(|b| {
            let turns: &[f64] = if b.is_whole_turn() {
                &[0.0]
            } else {
                &[-360.0, 0.0, 360.0]
            };
            turns.iter().map(move |shift| (b, *shift))
        })
        .map(|(b, shift)| {
            let (west, east) = (b.west + shift, b.east + shift);
            let (lon_test, lat_test) = match &source.geometry {
                SourceColumns::LonLat { lon, lat } => (
                    f(lon).between(lit(west), lit(east)),
                    f(lat).between(lit(b.south), lit(b.north)),
                ),
                _ => {
                    let [xmin, ymin, xmax, ymax] = BBOX_COLUMNS;
                    (
                        f(xmin).lt_eq(lit(east)).and(f(xmax).gt_eq(lit(west))),
                        f(ymin).lt_eq(lit(b.north)).and(f(ymax).gt_eq(lit(b.south))),
                    )
                }
            };
            if b.is_whole_turn() {
                lat_test
            } else {
                lon_test.and(lat_test)
            }
        })
        .reduce(Expr::or)
        .unwrap_or(lit(false));
    match &source.geometry {
        SourceColumns::LonLat { .. } => ranges,
        SourceColumns::Wkb(column) | SourceColumns::SRegion { column, .. } => {
            if source.bbox_columns {
                let bbox = BBOX_COLUMNS.map(ident);
                ranges.and(intersects_udf::call(
                    ident(column),
                    Some(bbox),
                    boxes,
                    &source.geometry,
                ))
            } else {
                intersects_udf::call(ident(column), None, boxes, &source.geometry)
            }
        }
    }
}
