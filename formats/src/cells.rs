//! Typed, per-cell access to Arrow columns for the row-oriented encoders, and the text forms
//! of values shared by TABLEDATA, CSV, TSV and JSON.

use arrow_array::cast::AsArray;
use arrow_array::types::{
    TimestampMicrosecondType, TimestampMillisecondType, TimestampNanosecondType,
    TimestampSecondType,
};
use arrow_array::{
    Array, ArrayRef, ArrowPrimitiveType, BinaryArray, BinaryViewArray, BooleanArray, Date32Array,
    Date64Array, Decimal128Array, FixedSizeListArray, Float32Array, Float64Array, Int8Array,
    Int16Array, Int32Array, Int64Array, LargeBinaryArray, LargeListArray, LargeStringArray,
    ListArray, PrimitiveArray, StringArray, StringViewArray, UInt8Array, UInt16Array, UInt32Array,
};
use arrow_buffer::NullBuffer;
use arrow_schema::{DataType, TimeUnit};

use crate::error::FormatError;
use crate::field::nanos_per_unit;

/// One cell's value, borrowed from the batch.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Cell<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Float32(f32),
    Float64(f64),
    Str(&'a str),
    Time(Instant),
    Array(NumArray<'a>),
}

/// A point in time from an Arrow timestamp or date, in UTC.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Instant {
    pub seconds: i64,
    pub nanos: u32,
    /// False for dates: written as `YYYY-MM-DD`.
    pub has_time: bool,
}

/// The elements of one array-valued cell.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NumArray<'a> {
    pub values: NumSlice<'a>,
    /// The values' validity and the offset of this cell's first element in it.
    nulls: Option<(&'a NullBuffer, usize)>,
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum NumSlice<'a> {
    F64(&'a [f64]),
    F32(&'a [f32]),
    I64(&'a [i64]),
    I32(&'a [i32]),
    I16(&'a [i16]),
    I8(&'a [i8]),
    U8(&'a [u8]),
    U16(&'a [u16]),
    U32(&'a [u32]),
}

/// An array element: integers exact, floats as they are.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Num {
    Int(i64),
    Float32(f32),
    Float64(f64),
    Null,
}

impl NumArray<'_> {
    pub fn len(&self) -> usize {
        match self.values {
            NumSlice::F64(s) => s.len(),
            NumSlice::F32(s) => s.len(),
            NumSlice::I64(s) => s.len(),
            NumSlice::I32(s) => s.len(),
            NumSlice::I16(s) => s.len(),
            NumSlice::I8(s) => s.len(),
            NumSlice::U8(s) => s.len(),
            NumSlice::U16(s) => s.len(),
            NumSlice::U32(s) => s.len(),
        }
    }

    pub fn get(&self, i: usize) -> Num {
        if let Some((nulls, offset)) = self.nulls
            && nulls.is_null(offset + i)
        {
            return Num::Null;
        }
        match self.values {
            NumSlice::F64(s) => Num::Float64(s[i]),
            NumSlice::F32(s) => Num::Float32(s[i]),
            NumSlice::I64(s) => Num::Int(s[i]),
            NumSlice::I32(s) => Num::Int(i64::from(s[i])),
            NumSlice::I16(s) => Num::Int(i64::from(s[i])),
            NumSlice::I8(s) => Num::Int(i64::from(s[i])),
            NumSlice::U8(s) => Num::Int(i64::from(s[i])),
            NumSlice::U16(s) => Num::Int(i64::from(s[i])),
            NumSlice::U32(s) => Num::Int(i64::from(s[i])),
        }
    }
}

#[cfg(test)]
impl<'a> NumArray<'a> {
    pub fn for_test(values: &'a [f64]) -> Self {
        NumArray {
            values: NumSlice::F64(values),
            nulls: None,
        }
    }
}

/// Read access to one column of a batch, resolved once per batch.
pub(crate) enum ColumnCells<'a> {
    Bool(&'a BooleanArray),
    Int8(&'a Int8Array),
    Int16(&'a Int16Array),
    Int32(&'a Int32Array),
    Int64(&'a Int64Array),
    UInt8(&'a UInt8Array),
    UInt16(&'a UInt16Array),
    UInt32(&'a UInt32Array),
    Float32(&'a Float32Array),
    Float64(&'a Float64Array),
    Utf8(&'a StringArray),
    LargeUtf8(&'a LargeStringArray),
    Utf8View(&'a StringViewArray),
    Timestamp {
        values: &'a [i64],
        nulls: Option<&'a NullBuffer>,
        nanos_per_unit: i64,
    },
    Date32(&'a Date32Array),
    Date64(&'a Date64Array),
    /// Decimals are written as doubles (VOTable has no decimal type).
    Decimal128(&'a Decimal128Array, f64),
    /// Dictionary-encoded values (as Parquet often gives strings): keys into a values column.
    Dictionary {
        keys: Vec<usize>,
        nulls: Option<&'a NullBuffer>,
        values: Box<ColumnCells<'a>>,
    },
    /// Byte strings (e.g. WKB geometries), written as `unsignedByte` arrays.
    Binary(&'a BinaryArray),
    LargeBinary(&'a LargeBinaryArray),
    BinaryView(&'a BinaryViewArray),
    List(&'a ListArray, ListValues<'a>),
    LargeList(&'a LargeListArray, ListValues<'a>),
    FixedSizeList(&'a FixedSizeListArray, ListValues<'a>),
}

/// The flattened values of a list column.
pub(crate) struct ListValues<'a> {
    values: NumSlice<'a>,
    nulls: Option<&'a NullBuffer>,
}

impl<'a> ListValues<'a> {
    fn new(values: &'a ArrayRef, column: &str) -> Result<Self, FormatError> {
        let slice = match values.data_type() {
            DataType::Float64 => NumSlice::F64(downcast::<Float64Array>(values)?.values()),
            DataType::Float32 => NumSlice::F32(downcast::<Float32Array>(values)?.values()),
            DataType::Int64 => NumSlice::I64(downcast::<Int64Array>(values)?.values()),
            DataType::Int32 => NumSlice::I32(downcast::<Int32Array>(values)?.values()),
            DataType::Int16 => NumSlice::I16(downcast::<Int16Array>(values)?.values()),
            DataType::Int8 => NumSlice::I8(downcast::<Int8Array>(values)?.values()),
            DataType::UInt8 => NumSlice::U8(downcast::<UInt8Array>(values)?.values()),
            DataType::UInt16 => NumSlice::U16(downcast::<UInt16Array>(values)?.values()),
            DataType::UInt32 => NumSlice::U32(downcast::<UInt32Array>(values)?.values()),
            other => {
                return Err(FormatError::Unsupported {
                    column: column.to_string(),
                    message: format!("arrays of {other} are not supported"),
                });
            }
        };
        Ok(ListValues {
            values: slice,
            nulls: values.nulls(),
        })
    }

    fn cell(&self, start: usize, end: usize) -> NumArray<'a> {
        let values = match self.values {
            NumSlice::F64(s) => NumSlice::F64(&s[start..end]),
            NumSlice::F32(s) => NumSlice::F32(&s[start..end]),
            NumSlice::I64(s) => NumSlice::I64(&s[start..end]),
            NumSlice::I32(s) => NumSlice::I32(&s[start..end]),
            NumSlice::I16(s) => NumSlice::I16(&s[start..end]),
            NumSlice::I8(s) => NumSlice::I8(&s[start..end]),
            NumSlice::U8(s) => NumSlice::U8(&s[start..end]),
            NumSlice::U16(s) => NumSlice::U16(&s[start..end]),
            NumSlice::U32(s) => NumSlice::U32(&s[start..end]),
        };
        NumArray {
            values,
            nulls: self.nulls.map(|n| (n, start)),
        }
    }
}

fn downcast<T: 'static>(array: &ArrayRef) -> Result<&T, FormatError> {
    array
        .as_any()
        .downcast_ref::<T>()
        .ok_or_else(|| FormatError::Unsupported {
            column: String::new(),
            message: format!("unexpected Arrow array for {}", array.data_type()),
        })
}

fn timestamp_values<T: ArrowPrimitiveType<Native = i64>>(
    array: &ArrayRef,
) -> Result<&[i64], FormatError> {
    Ok(downcast::<PrimitiveArray<T>>(array)?.values())
}

impl<'a> ColumnCells<'a> {
    /// Resolves the column's Arrow type once, so per-cell access is a match and an index.
    pub fn new(array: &'a ArrayRef, column: &str) -> Result<Self, FormatError> {
        let named = |e: FormatError| match e {
            FormatError::Unsupported { message, .. } => FormatError::Unsupported {
                column: column.to_string(),
                message,
            },
            other => other,
        };
        Ok(match array.data_type() {
            DataType::Boolean => ColumnCells::Bool(downcast(array).map_err(named)?),
            DataType::Int8 => ColumnCells::Int8(downcast(array).map_err(named)?),
            DataType::Int16 => ColumnCells::Int16(downcast(array).map_err(named)?),
            DataType::Int32 => ColumnCells::Int32(downcast(array).map_err(named)?),
            DataType::Int64 => ColumnCells::Int64(downcast(array).map_err(named)?),
            DataType::UInt8 => ColumnCells::UInt8(downcast(array).map_err(named)?),
            DataType::UInt16 => ColumnCells::UInt16(downcast(array).map_err(named)?),
            DataType::UInt32 => ColumnCells::UInt32(downcast(array).map_err(named)?),
            DataType::Float32 => ColumnCells::Float32(downcast(array).map_err(named)?),
            DataType::Float64 => ColumnCells::Float64(downcast(array).map_err(named)?),
            DataType::Utf8 => ColumnCells::Utf8(downcast(array).map_err(named)?),
            DataType::LargeUtf8 => ColumnCells::LargeUtf8(downcast(array).map_err(named)?),
            DataType::Utf8View => ColumnCells::Utf8View(downcast(array).map_err(named)?),
            DataType::Timestamp(unit, _) => {
                let values = match unit {
                    TimeUnit::Second => timestamp_values::<TimestampSecondType>(array),
                    TimeUnit::Millisecond => timestamp_values::<TimestampMillisecondType>(array),
                    TimeUnit::Microsecond => timestamp_values::<TimestampMicrosecondType>(array),
                    TimeUnit::Nanosecond => timestamp_values::<TimestampNanosecondType>(array),
                }
                .map_err(named)?;
                ColumnCells::Timestamp {
                    values,
                    nulls: array.nulls(),
                    nanos_per_unit: nanos_per_unit(unit),
                }
            }
            DataType::Decimal128(_, scale) => ColumnCells::Decimal128(
                downcast(array).map_err(named)?,
                10f64.powi(-i32::from(*scale)),
            ),
            DataType::Dictionary(_, _) => {
                let dict = array.as_any_dictionary_opt().ok_or_else(|| {
                    named(FormatError::Unsupported {
                        column: String::new(),
                        message: "unexpected dictionary array".into(),
                    })
                })?;
                ColumnCells::Dictionary {
                    keys: dict.normalized_keys(),
                    nulls: dict.keys().nulls(),
                    values: Box::new(ColumnCells::new(dict.values(), column)?),
                }
            }
            DataType::Date32 => ColumnCells::Date32(downcast(array).map_err(named)?),
            DataType::Date64 => ColumnCells::Date64(downcast(array).map_err(named)?),
            DataType::Binary => ColumnCells::Binary(downcast(array).map_err(named)?),
            DataType::LargeBinary => ColumnCells::LargeBinary(downcast(array).map_err(named)?),
            DataType::BinaryView => ColumnCells::BinaryView(downcast(array).map_err(named)?),
            DataType::List(_) => {
                let list: &ListArray = downcast(array).map_err(named)?;
                ColumnCells::List(list, ListValues::new(list.values(), column)?)
            }
            DataType::LargeList(_) => {
                let list: &LargeListArray = downcast(array).map_err(named)?;
                ColumnCells::LargeList(list, ListValues::new(list.values(), column)?)
            }
            DataType::FixedSizeList(_, _) => {
                let list: &FixedSizeListArray = downcast(array).map_err(named)?;
                ColumnCells::FixedSizeList(list, ListValues::new(list.values(), column)?)
            }
            other => {
                return Err(FormatError::Unsupported {
                    column: column.to_string(),
                    message: format!("Arrow type {other} cannot be written"),
                });
            }
        })
    }

    /// The value at `row`.
    #[inline]
    pub fn cell(&self, row: usize) -> Cell<'a> {
        macro_rules! prim {
            ($a:expr, $wrap:expr) => {
                if $a.is_null(row) {
                    Cell::Null
                } else {
                    $wrap($a.value(row))
                }
            };
        }
        match self {
            ColumnCells::Bool(a) => prim!(a, Cell::Bool),
            ColumnCells::Int8(a) => prim!(a, |v| Cell::Int(i64::from(v))),
            ColumnCells::Int16(a) => prim!(a, |v| Cell::Int(i64::from(v))),
            ColumnCells::Int32(a) => prim!(a, |v| Cell::Int(i64::from(v))),
            ColumnCells::Int64(a) => prim!(a, Cell::Int),
            ColumnCells::UInt8(a) => prim!(a, |v| Cell::Int(i64::from(v))),
            ColumnCells::UInt16(a) => prim!(a, |v| Cell::Int(i64::from(v))),
            ColumnCells::UInt32(a) => prim!(a, |v| Cell::Int(i64::from(v))),
            ColumnCells::Float32(a) => prim!(a, Cell::Float32),
            ColumnCells::Float64(a) => prim!(a, Cell::Float64),
            ColumnCells::Utf8(a) => prim!(a, Cell::Str),
            ColumnCells::LargeUtf8(a) => prim!(a, Cell::Str),
            ColumnCells::Utf8View(a) => prim!(a, Cell::Str),
            ColumnCells::Timestamp {
                values,
                nulls,
                nanos_per_unit,
            } => {
                if nulls.is_some_and(|n| n.is_null(row)) {
                    return Cell::Null;
                }
                let total = i128::from(values[row]) * i128::from(*nanos_per_unit);
                let seconds = total.div_euclid(1_000_000_000);
                let nanos = total.rem_euclid(1_000_000_000);
                Cell::Time(Instant {
                    seconds: seconds as i64,
                    nanos: nanos as u32,
                    has_time: true,
                })
            }
            ColumnCells::Decimal128(a, unit) => prim!(a, |v: i128| Cell::Float64(v as f64 * unit)),
            ColumnCells::Dictionary {
                keys,
                nulls,
                values,
            } => {
                if nulls.is_some_and(|n| n.is_null(row)) {
                    Cell::Null
                } else {
                    values.cell(keys[row])
                }
            }
            ColumnCells::Date32(a) => prim!(a, |d: i32| Cell::Time(Instant {
                seconds: i64::from(d) * 86_400,
                nanos: 0,
                has_time: false,
            })),
            ColumnCells::Date64(a) => prim!(a, |ms: i64| Cell::Time(Instant {
                seconds: ms.div_euclid(1000),
                nanos: (ms.rem_euclid(1000) * 1_000_000) as u32,
                has_time: ms.rem_euclid(86_400_000) != 0,
            })),
            ColumnCells::Binary(a) => prim!(a, bytes_cell),
            ColumnCells::LargeBinary(a) => prim!(a, bytes_cell),
            ColumnCells::BinaryView(a) => prim!(a, bytes_cell),
            ColumnCells::List(a, v) => {
                if a.is_null(row) {
                    return Cell::Null;
                }
                let offsets = a.value_offsets();
                Cell::Array(v.cell(offsets[row] as usize, offsets[row + 1] as usize))
            }
            ColumnCells::LargeList(a, v) => {
                if a.is_null(row) {
                    return Cell::Null;
                }
                let offsets = a.value_offsets();
                Cell::Array(v.cell(offsets[row] as usize, offsets[row + 1] as usize))
            }
            ColumnCells::FixedSizeList(a, v) => {
                if a.is_null(row) {
                    return Cell::Null;
                }
                let n = a.value_length() as usize;
                let start = (a.offset() + row) * n;
                Cell::Array(v.cell(start, start + n))
            }
        }
    }
}

fn bytes_cell(bytes: &[u8]) -> Cell<'_> {
    Cell::Array(NumArray {
        values: NumSlice::U8(bytes),
        nulls: None,
    })
}

/// Resolves every column of a batch.
pub(crate) fn batch_cells<'a>(
    batch: &'a arrow_array::RecordBatch,
    names: &[String],
) -> Result<Vec<ColumnCells<'a>>, FormatError> {
    if batch.num_columns() != names.len() {
        return Err(FormatError::ColumnCount {
            expected: names.len(),
            got: batch.num_columns(),
        });
    }
    batch
        .columns()
        .iter()
        .zip(names)
        .map(|(a, n)| ColumnCells::new(a, n))
        .collect()
}

/// Appends the shortest text that reads back as the same f64; NaN and infinities as VOTable
/// spells them (§6: `NaN`, `+Inf`, `-Inf`).
pub(crate) fn push_f64(out: &mut Vec<u8>, v: f64) {
    if v.is_finite() {
        out.extend_from_slice(ryu::Buffer::new().format_finite(v).as_bytes());
    } else {
        push_non_finite(out, v.is_nan(), v > 0.0);
    }
}

/// As [`push_f64`] for f32, shortest for the f32 value (so 0.1f32 is `0.1`).
pub(crate) fn push_f32(out: &mut Vec<u8>, v: f32) {
    if v.is_finite() {
        out.extend_from_slice(ryu::Buffer::new().format_finite(v).as_bytes());
    } else {
        push_non_finite(out, v.is_nan(), v > 0.0);
    }
}

fn push_non_finite(out: &mut Vec<u8>, nan: bool, positive: bool) {
    out.extend_from_slice(match (nan, positive) {
        (true, _) => b"NaN",
        (false, true) => b"+Inf",
        (false, false) => b"-Inf",
    });
}

pub(crate) fn push_i64(out: &mut Vec<u8>, v: i64) {
    out.extend_from_slice(itoa::Buffer::new().format(v).as_bytes());
}

/// ISO 8601 as DALI 1.1 §3.3.3 writes timestamps: `YYYY-MM-DDThh:mm:ss[.fff]` (UTC, no zone
/// designator), or `YYYY-MM-DD` for dates.
pub(crate) fn push_instant(out: &mut Vec<u8>, t: Instant) {
    use std::io::Write;
    let days = t.seconds.div_euclid(86_400);
    let secs_of_day = t.seconds.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    // Writing to a Vec cannot fail.
    let _ = write!(out, "{y:04}-{m:02}-{d:02}");
    if !t.has_time {
        return;
    }
    let _ = write!(
        out,
        "T{:02}:{:02}:{:02}",
        secs_of_day / 3600,
        secs_of_day / 60 % 60,
        secs_of_day % 60
    );
    if t.nanos != 0 {
        let mut frac = format!("{:09}", t.nanos);
        while frac.ends_with('0') {
            frac.pop();
        }
        out.push(b'.');
        out.extend_from_slice(frac.as_bytes());
    }
}

/// Proleptic Gregorian date of a day count from 1970-01-01 (H. Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// The plain-text form of a cell for TABLEDATA, CSV and TSV: numbers in their shortest exact
/// form, booleans `T`/`F`, arrays as numbers separated by one space (VOTable 1.4 §5.1), nulls
/// as nothing. Strings are appended raw: escaping is the caller's.
pub(crate) fn push_text(out: &mut Vec<u8>, cell: Cell<'_>) {
    match cell {
        Cell::Null => {}
        Cell::Bool(b) => out.push(if b { b'T' } else { b'F' }),
        Cell::Int(v) => push_i64(out, v),
        Cell::Float32(v) => push_f32(out, v),
        Cell::Float64(v) => push_f64(out, v),
        Cell::Str(s) => out.extend_from_slice(s.as_bytes()),
        Cell::Time(t) => push_instant(out, t),
        Cell::Array(a) => {
            for i in 0..a.len() {
                if i > 0 {
                    out.push(b' ');
                }
                match a.get(i) {
                    Num::Int(v) => push_i64(out, v),
                    Num::Float32(v) => push_f32(out, v),
                    Num::Float64(v) => push_f64(out, v),
                    Num::Null => out.extend_from_slice(b"NaN"),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(cell: Cell<'_>) -> String {
        let mut v = Vec::new();
        push_text(&mut v, cell);
        String::from_utf8(v).unwrap()
    }

    #[test]
    fn numbers_print_shortest_and_exact() {
        assert_eq!(text(Cell::Int(i64::MAX)), "9223372036854775807");
        assert_eq!(text(Cell::Int(i64::MIN)), "-9223372036854775808");
        assert_eq!(text(Cell::Float64(0.1)), "0.1");
        assert_eq!(text(Cell::Float64(1e300)), "1e300");
        assert_eq!(text(Cell::Float32(0.1)), "0.1");
        assert_eq!(text(Cell::Float64(f64::NAN)), "NaN");
        assert_eq!(text(Cell::Float64(f64::INFINITY)), "+Inf");
        assert_eq!(text(Cell::Float32(f32::NEG_INFINITY)), "-Inf");
        assert_eq!(text(Cell::Bool(true)), "T");
        assert_eq!(text(Cell::Null), "");
    }

    #[test]
    fn instants_print_as_dali_timestamps() {
        let t = |seconds, nanos, has_time| {
            text(Cell::Time(Instant {
                seconds,
                nanos,
                has_time,
            }))
        };
        assert_eq!(t(0, 0, true), "1970-01-01T00:00:00");
        assert_eq!(t(951_782_400, 0, false), "2000-02-29");
        assert_eq!(
            t(1_700_000_000, 123_000_000, true),
            "2023-11-14T22:13:20.123"
        );
        assert_eq!(t(-1, 500_000_000, true), "1969-12-31T23:59:59.5");
    }
}
