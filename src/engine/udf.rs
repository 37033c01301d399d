//! The scalar functions that translated ADQL calls, registered in DataFusion under the names
//! and signatures `adql::udf` documents; the geometry itself is `adql::geometry`.

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use adql::geometry::{self, Polygon, Shape, SkyPoint};
use datafusion::arrow::array::{
    Array, ArrayRef, AsArray, BooleanArray, Float64Array, Float64Builder, Int32Array, Int64Array,
    ListBuilder,
};
use datafusion::arrow::datatypes::{DataType, Field, Float64Type, Int64Type};
use datafusion::common::ScalarValue;
use datafusion::error::{DataFusionError, Result};
use datafusion::logical_expr::{
    ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, TypeSignature,
    Volatility,
};
use datafusion::prelude::SessionContext;

type Eval = fn(&[ColumnarValue], usize) -> Result<ArrayRef>;

/// One ADQL function: a name, the argument types DataFusion coerces to, and its evaluation.
#[derive(Debug)]
struct AdqlUdf {
    name: &'static str,
    signature: Signature,
    returns: DataType,
    eval: Eval,
}

impl PartialEq for AdqlUdf {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Eq for AdqlUdf {}

impl Hash for AdqlUdf {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.name.hash(state);
    }
}

impl ScalarUDFImpl for AdqlUdf {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(self.returns.clone())
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        (self.eval)(&args.args, args.number_rows).map(ColumnarValue::Array)
    }
}

fn dali_type() -> DataType {
    DataType::List(Arc::new(Field::new("item", DataType::Float64, true)))
}

fn doubles(n: usize) -> Signature {
    Signature::uniform(n, vec![DataType::Float64], Volatility::Immutable)
}

fn exact(types: Vec<DataType>) -> Signature {
    Signature::exact(types, Volatility::Immutable)
}

fn variadic_doubles() -> Signature {
    Signature::one_of(
        vec![TypeSignature::Variadic(vec![DataType::Float64])],
        Volatility::Immutable,
    )
}

/// Registers every function `adql::udf::NAMES` lists.
pub fn register(ctx: &SessionContext) {
    use adql::udf as name;
    let list = dali_type;
    let udfs = [
        (
            name::DISTANCE,
            doubles(4),
            DataType::Float64,
            distance as Eval,
        ),
        (
            name::POINT_IN_CIRCLE,
            doubles(5),
            DataType::Boolean,
            point_in_circle,
        ),
        (
            name::POINT_IN_POLYGON,
            variadic_doubles(),
            DataType::Boolean,
            point_in_polygon,
        ),
        (name::POINT, doubles(2), list(), point),
        (name::CIRCLE, doubles(3), list(), circle),
        (name::POLYGON, variadic_doubles(), list(), polygon),
        (name::BOX, doubles(4), list(), box_polygon),
        (
            name::CONTAINS,
            exact(vec![list(), list()]),
            DataType::Boolean,
            contains,
        ),
        (
            name::INTERSECTS,
            exact(vec![list(), list()]),
            DataType::Boolean,
            intersects,
        ),
        (name::AREA, exact(vec![list()]), DataType::Float64, area),
        (name::CENTROID, exact(vec![list()]), list(), centroid),
        (name::COORD1, exact(vec![list()]), DataType::Float64, coord1),
        (name::COORD2, exact(vec![list()]), DataType::Float64, coord2),
        (
            name::GEOMETRY_FROM_TEXT,
            exact(vec![DataType::Utf8, DataType::Utf8]),
            list(),
            geometry_from_text,
        ),
        (
            name::HEALPIX_INDEX,
            exact(vec![DataType::Int64, DataType::Float64, DataType::Float64]),
            DataType::Int64,
            healpix_index,
        ),
        (
            name::HEALPIX_CENTER,
            exact(vec![DataType::Int64, DataType::Int64]),
            list(),
            healpix_center,
        ),
        (
            name::HEALPIX_NEIGHBOUR,
            exact(vec![DataType::Int64, DataType::Int64, DataType::Int64]),
            DataType::Int64,
            healpix_neighbour,
        ),
        (
            name::HASWORD,
            exact(vec![DataType::Utf8, DataType::Utf8]),
            DataType::Int32,
            hasword,
        ),
        (
            name::HASHLIST_HAS,
            exact(vec![DataType::Utf8, DataType::Utf8]),
            DataType::Int32,
            hashlist_has,
        ),
    ];
    for (name, signature, returns, eval) in udfs {
        ctx.register_udf(ScalarUDF::new_from_impl(AdqlUdf {
            name,
            signature,
            returns,
            eval,
        }));
    }
}

/// Every argument as an array of `rows` values.
fn arrays(args: &[ColumnarValue], rows: usize) -> Result<Vec<ArrayRef>> {
    args.iter().map(|a| a.to_array(rows)).collect()
}

fn float_args(args: &[ColumnarValue], rows: usize) -> Result<Vec<Float64Array>> {
    arrays(args, rows)?
        .iter()
        .map(|a| {
            a.as_primitive_opt::<Float64Type>()
                .cloned()
                .ok_or_else(|| type_error("Float64", a.data_type()))
        })
        .collect()
}

fn type_error(expected: &str, found: &DataType) -> DataFusionError {
    DataFusionError::Internal(format!("ADQL function expected {expected}, found {found}"))
}

/// The values of row `row` across `columns`, or `None` if any is NULL.
fn row(columns: &[Float64Array], row: usize) -> Option<Vec<f64>> {
    columns
        .iter()
        .map(|c| (!c.is_null(row)).then(|| c.value(row)))
        .collect()
}

fn map_floats<T>(
    args: &[ColumnarValue],
    rows: usize,
    f: impl Fn(&[f64]) -> Option<T>,
) -> Result<Vec<Option<T>>> {
    let columns = float_args(args, rows)?;
    Ok((0..rows)
        .map(|i| row(&columns, i).and_then(|v| f(&v)))
        .collect())
}

fn distance(args: &[ColumnarValue], rows: usize) -> Result<ArrayRef> {
    let values = map_floats(args, rows, |v| {
        Some(geometry::distance(
            SkyPoint::new(v[0], v[1]),
            SkyPoint::new(v[2], v[3]),
        ))
    })?;
    Ok(Arc::new(Float64Array::from(values)))
}

fn point_in_circle(args: &[ColumnarValue], rows: usize) -> Result<ArrayRef> {
    let values = map_floats(args, rows, |v| {
        Some(geometry::point_in_circle(
            SkyPoint::new(v[0], v[1]),
            SkyPoint::new(v[2], v[3]),
            v[4],
        ))
    })?;
    Ok(Arc::new(BooleanArray::from(values)))
}

fn point_in_polygon(args: &[ColumnarValue], rows: usize) -> Result<ArrayRef> {
    if args.len() < 8 || !args.len().is_multiple_of(2) {
        return Err(DataFusionError::Plan(format!(
            "{} takes a point and at least 3 vertices",
            adql::udf::POINT_IN_POLYGON
        )));
    }
    // The vertices are nearly always literals: build the polygon once for the whole batch.
    let literal: Option<Vec<f64>> = args[2..]
        .iter()
        .map(|a| match a {
            ColumnarValue::Scalar(ScalarValue::Float64(v)) => *v,
            _ => None,
        })
        .collect();
    if let Some(vertices) = literal {
        let polygon = Polygon::new(&points(&vertices));
        let values = map_floats(&args[..2], rows, |v| {
            polygon
                .as_ref()
                .map(|p| p.contains_point(SkyPoint::new(v[0], v[1])))
        })?;
        return Ok(Arc::new(BooleanArray::from(values)));
    }
    let values = map_floats(args, rows, |v| {
        Polygon::new(&points(&v[2..])).map(|p| p.contains_point(SkyPoint::new(v[0], v[1])))
    })?;
    Ok(Arc::new(BooleanArray::from(values)))
}

fn points(values: &[f64]) -> Vec<SkyPoint> {
    values
        .chunks_exact(2)
        .map(|c| SkyPoint::new(c[0], c[1]))
        .collect()
}

fn build_list(values: impl Iterator<Item = Option<Vec<f64>>>) -> ArrayRef {
    let mut builder = ListBuilder::new(Float64Builder::new());
    for value in values {
        match value {
            Some(v) => {
                builder.values().append_slice(&v);
                builder.append(true);
            }
            None => builder.append(false),
        }
    }
    Arc::new(builder.finish())
}

fn shape_of(values: &[f64]) -> Option<Vec<f64>> {
    Shape::from_dali(values).map(|s| s.to_dali())
}

fn point(args: &[ColumnarValue], rows: usize) -> Result<ArrayRef> {
    Ok(build_list(map_floats(args, rows, shape_of)?.into_iter()))
}

fn circle(args: &[ColumnarValue], rows: usize) -> Result<ArrayRef> {
    Ok(build_list(map_floats(args, rows, shape_of)?.into_iter()))
}

fn polygon(args: &[ColumnarValue], rows: usize) -> Result<ArrayRef> {
    Ok(build_list(map_floats(args, rows, shape_of)?.into_iter()))
}

fn box_polygon(args: &[ColumnarValue], rows: usize) -> Result<ArrayRef> {
    let values = map_floats(args, rows, |v| {
        let vertices = geometry::box_vertices(SkyPoint::new(v[0], v[1]), v[2], v[3]);
        Some(Shape::Polygon(vertices).to_dali())
    })?;
    Ok(build_list(values.into_iter()))
}

/// Each row of a List<Float64> argument as a shape (`None` for NULL or malformed arrays).
fn shapes(array: &ArrayRef) -> Result<Vec<Option<Shape>>> {
    let list = array
        .as_list_opt::<i32>()
        .ok_or_else(|| type_error("List<Float64>", array.data_type()))?;
    Ok((0..list.len())
        .map(|i| {
            if list.is_null(i) {
                return None;
            }
            let item = list.value(i);
            let values = item.as_primitive_opt::<Float64Type>()?;
            if values.null_count() > 0 {
                return None;
            }
            Shape::from_dali(values.values())
        })
        .collect())
}

fn shape_pairs(
    args: &[ColumnarValue],
    rows: usize,
    f: fn(&Shape, &Shape) -> Option<bool>,
) -> Result<ArrayRef> {
    let arrays = arrays(args, rows)?;
    let (a, b) = (shapes(&arrays[0])?, shapes(&arrays[1])?);
    let values: BooleanArray = a
        .iter()
        .zip(&b)
        .map(|(a, b)| match (a, b) {
            (Some(a), Some(b)) => f(a, b),
            _ => None,
        })
        .collect();
    Ok(Arc::new(values))
}

fn contains(args: &[ColumnarValue], rows: usize) -> Result<ArrayRef> {
    shape_pairs(args, rows, geometry::contains)
}

fn intersects(args: &[ColumnarValue], rows: usize) -> Result<ArrayRef> {
    shape_pairs(args, rows, geometry::intersects)
}

fn map_shapes<T>(
    args: &[ColumnarValue],
    rows: usize,
    f: impl Fn(&Shape) -> Option<T>,
) -> Result<Vec<Option<T>>> {
    let arrays = arrays(args, rows)?;
    Ok(shapes(&arrays[0])?
        .iter()
        .map(|s| s.as_ref().and_then(&f))
        .collect())
}

fn area(args: &[ColumnarValue], rows: usize) -> Result<ArrayRef> {
    Ok(Arc::new(Float64Array::from(map_shapes(
        args,
        rows,
        geometry::area,
    )?)))
}

fn centroid(args: &[ColumnarValue], rows: usize) -> Result<ArrayRef> {
    let values = map_shapes(args, rows, |s| {
        geometry::centroid(s).map(|p| Shape::Point(p).to_dali())
    })?;
    Ok(build_list(values.into_iter()))
}

fn coord(args: &[ColumnarValue], rows: usize, first: bool) -> Result<ArrayRef> {
    let values = map_shapes(args, rows, |s| match s {
        Shape::Point(p) => Some(if first { p.lon } else { p.lat }),
        _ => None,
    })?;
    Ok(Arc::new(Float64Array::from(values)))
}

fn coord1(args: &[ColumnarValue], rows: usize) -> Result<ArrayRef> {
    coord(args, rows, true)
}

fn coord2(args: &[ColumnarValue], rows: usize) -> Result<ArrayRef> {
    coord(args, rows, false)
}

fn string_pairs(args: &[ColumnarValue], rows: usize) -> Result<Vec<Option<(String, String)>>> {
    let arrays = arrays(args, rows)?;
    let (a, b) = (
        arrays[0]
            .as_string_opt::<i32>()
            .ok_or_else(|| type_error("Utf8", arrays[0].data_type()))?,
        arrays[1]
            .as_string_opt::<i32>()
            .ok_or_else(|| type_error("Utf8", arrays[1].data_type()))?,
    );
    Ok(a.iter()
        .zip(b.iter())
        .map(|(a, b)| Some((a?.to_owned(), b?.to_owned())))
        .collect())
}

fn geometry_from_text(args: &[ColumnarValue], rows: usize) -> Result<ArrayRef> {
    let values = string_pairs(args, rows)?.into_iter().map(|pair| {
        let (text, kind) = pair?;
        let numbers: Vec<f64> = text
            .split_whitespace()
            .map(str::parse)
            .collect::<std::result::Result<_, _>>()
            .ok()?;
        let fits = match kind.as_str() {
            "point" => numbers.len() == 2,
            "circle" => numbers.len() == 3,
            "polygon" => numbers.len() >= 6 && numbers.len().is_multiple_of(2),
            _ => false,
        };
        fits.then(|| shape_of(&numbers)).flatten()
    });
    Ok(build_list(values))
}

fn int64_args(args: &[ColumnarValue], rows: usize) -> Result<Vec<Int64Array>> {
    arrays(args, rows)?
        .iter()
        .map(|a| {
            a.as_primitive_opt::<Int64Type>()
                .cloned()
                .ok_or_else(|| type_error("Int64", a.data_type()))
        })
        .collect()
}

fn healpix_index(args: &[ColumnarValue], rows: usize) -> Result<ArrayRef> {
    let order = int64_args(&args[..1], rows)?.remove(0);
    let position = float_args(&args[1..], rows)?;
    let values: Int64Array = (0..rows)
        .map(|i| {
            let order = (!order.is_null(i)).then(|| order.value(i))?;
            let v = row(&position, i)?;
            adql::healpix::index(order, v[0], v[1]).and_then(|h| i64::try_from(h).ok())
        })
        .collect();
    Ok(Arc::new(values))
}

fn int64_rows(args: &[ColumnarValue], rows: usize) -> Result<Vec<Option<Vec<i64>>>> {
    let columns = int64_args(args, rows)?;
    Ok((0..rows)
        .map(|i| {
            columns
                .iter()
                .map(|c| (!c.is_null(i)).then(|| c.value(i)))
                .collect()
        })
        .collect())
}

fn healpix_center(args: &[ColumnarValue], rows: usize) -> Result<ArrayRef> {
    let values = int64_rows(args, rows)?.into_iter().map(|v| {
        let v = v?;
        adql::healpix::center(v[0], v[1]).map(|p| Shape::Point(p).to_dali())
    });
    Ok(build_list(values))
}

fn healpix_neighbour(args: &[ColumnarValue], rows: usize) -> Result<ArrayRef> {
    let values: Int64Array = int64_rows(args, rows)?
        .into_iter()
        .map(|v| {
            let v = v?;
            adql::healpix::neighbour(v[0], v[1], v[2]).and_then(|h| i64::try_from(h).ok())
        })
        .collect();
    Ok(Arc::new(values))
}

/// Maximal runs of ASCII letters and digits, lower-cased.
fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
}

fn hasword(args: &[ColumnarValue], rows: usize) -> Result<ArrayRef> {
    let values: Int32Array = string_pairs(args, rows)?
        .into_iter()
        .map(|pair| {
            let (haystack, needle) = pair?;
            let present: Vec<String> = words(&haystack).collect();
            Some(i32::from(words(&needle).all(|w| present.contains(&w))))
        })
        .collect();
    Ok(Arc::new(values))
}

fn hashlist_has(args: &[ColumnarValue], rows: usize) -> Result<ArrayRef> {
    let values: Int32Array = string_pairs(args, rows)?
        .into_iter()
        .map(|pair| {
            let (list, item) = pair?;
            let found =
                !item.contains('#') && list.split('#').any(|word| word.eq_ignore_ascii_case(&item));
            Some(i32::from(found))
        })
        .collect();
    Ok(Arc::new(values))
}
