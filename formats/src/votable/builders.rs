//! Arrow column builders fed from VOTable cells: TABLEDATA text, or BINARY/BINARY2 bytes.

use std::borrow::Cow;
use std::sync::Arc;

use arrow_array::ArrayRef;
use arrow_array::builder::{
    BooleanBuilder, Float32Builder, Float64Builder, Int16Builder, Int32Builder, Int64Builder,
    ListBuilder, StringBuilder, UInt8Builder,
};

use crate::field::{ArrayShape, Datatype, FieldMeta, LastDim};

/// How a column's cells are decoded and stored.
pub(crate) struct ColumnReader {
    datatype: Datatype,
    shape: Option<ArrayShape>,
    /// `VALUES null`, for integer columns.
    null: Option<i64>,
    builder: Builder,
}

enum Builder {
    Bool(BooleanBuilder),
    UInt8(UInt8Builder),
    Int16(Int16Builder),
    Int32(Int32Builder),
    Int64(Int64Builder),
    Float32(Float32Builder),
    Float64(Float64Builder),
    Str(StringBuilder),
    ListUInt8(ListBuilder<UInt8Builder>),
    ListInt16(ListBuilder<Int16Builder>),
    ListInt32(ListBuilder<Int32Builder>),
    ListInt64(ListBuilder<Int64Builder>),
    ListFloat32(ListBuilder<Float32Builder>),
    ListFloat64(ListBuilder<Float64Builder>),
}

/// A decoded scalar before it goes into a builder.
#[derive(Clone, Copy)]
enum Scalar {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
}

impl ColumnReader {
    /// The reader for a FIELD, or why it cannot be read.
    pub fn new(field: &FieldMeta, null: Option<i64>) -> Result<Self, String> {
        let shape = field.shape()?;
        let is_array = shape.is_some() && !field.datatype.is_character();
        let builder = match (field.datatype, is_array) {
            (Datatype::Char | Datatype::UnicodeChar, _) => Builder::Str(StringBuilder::new()),
            (Datatype::Boolean | Datatype::Bit, false) => Builder::Bool(BooleanBuilder::new()),
            (Datatype::UnsignedByte, false) => Builder::UInt8(UInt8Builder::new()),
            (Datatype::Short, false) => Builder::Int16(Int16Builder::new()),
            (Datatype::Int, false) => Builder::Int32(Int32Builder::new()),
            (Datatype::Long, false) => Builder::Int64(Int64Builder::new()),
            (Datatype::Float, false) => Builder::Float32(Float32Builder::new()),
            (Datatype::Double, false) => Builder::Float64(Float64Builder::new()),
            (Datatype::UnsignedByte, true) => {
                Builder::ListUInt8(ListBuilder::new(UInt8Builder::new()))
            }
            (Datatype::Short, true) => Builder::ListInt16(ListBuilder::new(Int16Builder::new())),
            (Datatype::Int, true) => Builder::ListInt32(ListBuilder::new(Int32Builder::new())),
            (Datatype::Long, true) => Builder::ListInt64(ListBuilder::new(Int64Builder::new())),
            (Datatype::Float, true) | (Datatype::FloatComplex, _) => {
                Builder::ListFloat32(ListBuilder::new(Float32Builder::new()))
            }
            (Datatype::Double, true) | (Datatype::DoubleComplex, _) => {
                Builder::ListFloat64(ListBuilder::new(Float64Builder::new()))
            }
            (Datatype::Boolean | Datatype::Bit, true) => {
                return Err(format!("arrays of {} are not supported", field.datatype));
            }
        };
        Ok(ColumnReader {
            datatype: field.datatype,
            shape,
            null,
            builder,
        })
    }

    /// Finishes the builder into an Arrow array (the builder starts over).
    pub fn finish(&mut self) -> ArrayRef {
        match &mut self.builder {
            Builder::Bool(b) => Arc::new(b.finish()),
            Builder::UInt8(b) => Arc::new(b.finish()),
            Builder::Int16(b) => Arc::new(b.finish()),
            Builder::Int32(b) => Arc::new(b.finish()),
            Builder::Int64(b) => Arc::new(b.finish()),
            Builder::Float32(b) => Arc::new(b.finish()),
            Builder::Float64(b) => Arc::new(b.finish()),
            Builder::Str(b) => Arc::new(b.finish()),
            Builder::ListUInt8(b) => Arc::new(b.finish()),
            Builder::ListInt16(b) => Arc::new(b.finish()),
            Builder::ListInt32(b) => Arc::new(b.finish()),
            Builder::ListInt64(b) => Arc::new(b.finish()),
            Builder::ListFloat32(b) => Arc::new(b.finish()),
            Builder::ListFloat64(b) => Arc::new(b.finish()),
        }
    }

    /// Appends a null cell.
    pub fn push_null(&mut self) {
        match &mut self.builder {
            Builder::Bool(b) => b.append_null(),
            Builder::UInt8(b) => b.append_null(),
            Builder::Int16(b) => b.append_null(),
            Builder::Int32(b) => b.append_null(),
            Builder::Int64(b) => b.append_null(),
            Builder::Float32(b) => b.append_null(),
            Builder::Float64(b) => b.append_null(),
            Builder::Str(b) => b.append_null(),
            Builder::ListUInt8(b) => b.append_null(),
            Builder::ListInt16(b) => b.append_null(),
            Builder::ListInt32(b) => b.append_null(),
            Builder::ListInt64(b) => b.append_null(),
            Builder::ListFloat32(b) => b.append_null(),
            Builder::ListFloat64(b) => b.append_null(),
        }
    }

    fn push_scalar(&mut self, v: Scalar) -> Result<(), String> {
        let v = match v {
            Scalar::Int(i) if self.null == Some(i) => Scalar::Null,
            v => v,
        };
        let range = |v: i64, t: &str| format!("{v} is out of range for {t}");
        match (&mut self.builder, v) {
            (Builder::Bool(b), Scalar::Bool(x)) => b.append_value(x),
            (Builder::UInt8(b), Scalar::Int(x)) => {
                b.append_value(u8::try_from(x).map_err(|_| range(x, "unsignedByte"))?)
            }
            (Builder::Int16(b), Scalar::Int(x)) => {
                b.append_value(i16::try_from(x).map_err(|_| range(x, "short"))?)
            }
            (Builder::Int32(b), Scalar::Int(x)) => {
                b.append_value(i32::try_from(x).map_err(|_| range(x, "int"))?)
            }
            (Builder::Int64(b), Scalar::Int(x)) => b.append_value(x),
            (Builder::Float32(b), Scalar::Float(x)) => b.append_value(x as f32),
            (Builder::Float64(b), Scalar::Float(x)) => b.append_value(x),
            (_, Scalar::Null) => self.push_null(),
            _ => return Err("value does not match the datatype".into()),
        }
        Ok(())
    }

    /// Appends one element to the list being built (arrays only).
    fn push_element(&mut self, v: Scalar) -> Result<(), String> {
        let v = match v {
            Scalar::Int(i) if self.null == Some(i) => Scalar::Null,
            v => v,
        };
        macro_rules! elem {
            ($b:expr, $conv:expr) => {
                match v {
                    Scalar::Null => $b.values().append_null(),
                    v => $b.values().append_value($conv(v)?),
                }
            };
        }
        let int = |v: Scalar| match v {
            Scalar::Int(i) => Ok(i),
            _ => Err("not an integer".to_string()),
        };
        let float = |v: Scalar| match v {
            Scalar::Float(f) => Ok(f),
            Scalar::Int(i) => Ok(i as f64),
            _ => Err("not a number".to_string()),
        };
        match &mut self.builder {
            Builder::ListUInt8(b) => elem!(b, |v| int(v)
                .and_then(|i: i64| u8::try_from(i).map_err(|_| format!("{i} is out of range")))),
            Builder::ListInt16(b) => elem!(b, |v| int(v)
                .and_then(|i: i64| i16::try_from(i).map_err(|_| format!("{i} is out of range")))),
            Builder::ListInt32(b) => elem!(b, |v| int(v)
                .and_then(|i: i64| i32::try_from(i).map_err(|_| format!("{i} is out of range")))),
            Builder::ListInt64(b) => elem!(b, int),
            Builder::ListFloat32(b) => elem!(b, |v| float(v).map(|f| f as f32)),
            Builder::ListFloat64(b) => elem!(b, float),
            _ => return Err("not an array column".into()),
        }
        Ok(())
    }

    fn end_list(&mut self) {
        match &mut self.builder {
            Builder::ListUInt8(b) => b.append(true),
            Builder::ListInt16(b) => b.append(true),
            Builder::ListInt32(b) => b.append(true),
            Builder::ListInt64(b) => b.append(true),
            Builder::ListFloat32(b) => b.append(true),
            Builder::ListFloat64(b) => b.append(true),
            _ => {}
        }
    }

    fn is_list(&self) -> bool {
        !matches!(
            self.builder,
            Builder::Bool(_)
                | Builder::UInt8(_)
                | Builder::Int16(_)
                | Builder::Int32(_)
                | Builder::Int64(_)
                | Builder::Float32(_)
                | Builder::Float64(_)
                | Builder::Str(_)
        )
    }

    /// Appends a TABLEDATA cell's text (entities already resolved). An empty cell is null
    /// (VOTable 1.4 §5.1).
    pub fn push_text(&mut self, text: &str) -> Result<(), String> {
        if self.datatype.is_character() {
            if text.is_empty() {
                self.push_null();
            } else if let Builder::Str(b) = &mut self.builder {
                b.append_value(text);
            }
            return Ok(());
        }
        let trimmed = text.trim();
        if trimmed.is_empty() {
            self.push_null();
            return Ok(());
        }
        if self.is_list() {
            let values = trimmed
                .split_ascii_whitespace()
                .map(|token| parse_scalar(self.datatype, token))
                .collect::<Result<Vec<_>, _>>()?;
            // A fixed-size float array of NaNs is how writers spell a null point or circle.
            let fixed = self
                .shape
                .as_ref()
                .is_some_and(|s| s.fixed_count().is_some());
            if fixed
                && values
                    .iter()
                    .all(|v| matches!(v, Scalar::Float(f) if f.is_nan()))
            {
                self.push_null();
                return Ok(());
            }
            for v in values {
                self.push_element(v)?;
            }
            self.end_list();
            return Ok(());
        }
        let v = parse_scalar(self.datatype, trimmed)?;
        self.push_scalar(v)
    }

    /// The byte length of this column's next cell at the start of `bytes`, or `None` when
    /// more bytes are needed to know.
    pub fn binary_len(&self, bytes: &[u8]) -> Option<usize> {
        let width = match self.datatype {
            Datatype::Bit => 1,
            d => d.byte_width(),
        };
        match &self.shape {
            None => Some(width),
            Some(shape) => match shape.last {
                LastDim::Fixed(_) => Some(width_of(self.datatype, shape.fixed_count()?)),
                LastDim::Variable(_) => {
                    let count = u32::from_be_bytes(bytes.get(..4)?.try_into().ok()?) as usize;
                    Some(4 + width_of(self.datatype, count * shape.stride()))
                }
            },
        }
    }

    /// Appends a BINARY/BINARY2 cell from exactly [`Self::binary_len`] bytes. In BINARY (no
    /// null flags) NaN floats and empty strings or arrays are nulls, as VOTable 1.4 §5.5
    /// allows; `flagged_null` is BINARY2's flag.
    pub fn push_binary(
        &mut self,
        bytes: &[u8],
        flagged_null: bool,
        binary2: bool,
    ) -> Result<(), String> {
        if flagged_null {
            self.push_null();
            return Ok(());
        }
        let body = match self.shape.as_ref().map(|s| s.last) {
            Some(LastDim::Variable(_)) => &bytes[4..],
            _ => bytes,
        };
        if self.datatype.is_character() {
            let text: Cow<'_, str> = match self.datatype {
                Datatype::UnicodeChar => {
                    let units = body
                        .chunks_exact(2)
                        .map(|c| u16::from_be_bytes([c[0], c[1]]))
                        .take_while(|&u| u != 0);
                    Cow::Owned(
                        char::decode_utf16(units)
                            .map(|c| c.unwrap_or('\u{FFFD}'))
                            .collect(),
                    )
                }
                _ => {
                    let end = body.iter().position(|&b| b == 0).unwrap_or(body.len());
                    String::from_utf8_lossy(&body[..end])
                }
            };
            if text.is_empty() && !binary2 {
                self.push_null();
            } else if let Builder::Str(b) = &mut self.builder {
                b.append_value(text);
            }
            return Ok(());
        }
        if self.is_list() {
            if body.is_empty() && !binary2 {
                self.push_null();
                return Ok(());
            }
            let width = self.datatype.byte_width();
            let element = match self.datatype {
                Datatype::FloatComplex => Datatype::Float,
                Datatype::DoubleComplex => Datatype::Double,
                d => d,
            };
            if let Builder::ListFloat64(b) = &mut self.builder
                && element == Datatype::Double
            {
                // The common case (DALI geometries, spectra): no per-element dispatch.
                let values = body
                    .chunks_exact(8)
                    .map(|c| f64::from_be_bytes(<[u8; 8]>::try_from(c).unwrap_or_default()));
                if !binary2 && values.clone().all(f64::is_nan) {
                    b.append_null();
                    return Ok(());
                }
                for v in values {
                    if v.is_nan() && !binary2 {
                        b.values().append_null();
                    } else {
                        b.values().append_value(v);
                    }
                }
                b.append(true);
                return Ok(());
            }
            let step = if element == self.datatype {
                width
            } else {
                width / 2
            };
            let null = self.null;
            let values = body
                .chunks_exact(step)
                .map(|chunk| match decode_binary(element, chunk, binary2)? {
                    Scalar::Int(i) if null == Some(i) => Ok(Scalar::Null),
                    v => Ok(v),
                })
                .collect::<Result<Vec<_>, String>>()?;
            // BINARY writes a null fixed-size array as null elements (NaN or the magic value).
            if !binary2 && !values.is_empty() && values.iter().all(|v| matches!(v, Scalar::Null)) {
                self.push_null();
                return Ok(());
            }
            for v in values {
                self.push_element(v)?;
            }
            self.end_list();
            return Ok(());
        }
        let v = decode_binary(self.datatype, body, binary2)?;
        self.push_scalar(v)
    }
}

fn width_of(datatype: Datatype, count: usize) -> usize {
    match datatype {
        Datatype::Bit => count.div_ceil(8),
        d => d.byte_width() * count,
    }
}

fn decode_binary(datatype: Datatype, b: &[u8], binary2: bool) -> Result<Scalar, String> {
    let array = |n: usize| -> Result<&[u8], String> {
        b.get(..n).ok_or_else(|| "truncated value".to_string())
    };
    Ok(match datatype {
        Datatype::Boolean => match b.first() {
            Some(b'T' | b't' | b'1') => Scalar::Bool(true),
            Some(b'F' | b'f' | b'0') => Scalar::Bool(false),
            Some(0 | b' ' | b'?') => Scalar::Null,
            other => return Err(format!("bad boolean byte {other:?}")),
        },
        // A scalar bit is the first bit of its byte (§6); astropy sets another bit of the
        // byte, so any set bit counts.
        Datatype::Bit => Scalar::Bool(b.first().is_some_and(|&x| x != 0)),
        Datatype::UnsignedByte => Scalar::Int(i64::from(array(1)?[0])),
        Datatype::Short => Scalar::Int(i64::from(i16::from_be_bytes(
            array(2)?.try_into().map_err(|_| "truncated value")?,
        ))),
        Datatype::Int => Scalar::Int(i64::from(i32::from_be_bytes(
            array(4)?.try_into().map_err(|_| "truncated value")?,
        ))),
        Datatype::Long => Scalar::Int(i64::from_be_bytes(
            array(8)?.try_into().map_err(|_| "truncated value")?,
        )),
        Datatype::Float => {
            let v = f32::from_be_bytes(array(4)?.try_into().map_err(|_| "truncated value")?);
            float_or_null(f64::from(v), binary2)
        }
        Datatype::Double => {
            let v = f64::from_be_bytes(array(8)?.try_into().map_err(|_| "truncated value")?);
            float_or_null(v, binary2)
        }
        Datatype::Char
        | Datatype::UnicodeChar
        | Datatype::FloatComplex
        | Datatype::DoubleComplex => {
            return Err(format!("{datatype} is not a scalar number"));
        }
    })
}

/// BINARY has no null flags: NaN is its null for floating types.
fn float_or_null(v: f64, binary2: bool) -> Scalar {
    if v.is_nan() && !binary2 {
        Scalar::Null
    } else {
        Scalar::Float(v)
    }
}

/// Parses one TABLEDATA value (VOTable 1.4 §6): decimal or `0x` hexadecimal integers, floats
/// with `NaN`/`+Inf`/`-Inf`, booleans as T/F/1/0/true/false (any case), `?` for a null boolean.
fn parse_scalar(datatype: Datatype, token: &str) -> Result<Scalar, String> {
    let bad = || format!("{token:?} is not a valid {datatype}");
    Ok(match datatype {
        Datatype::Boolean | Datatype::Bit => match token.to_ascii_lowercase().as_str() {
            "t" | "1" | "true" => Scalar::Bool(true),
            "f" | "0" | "false" => Scalar::Bool(false),
            "?" => Scalar::Null,
            _ => return Err(bad()),
        },
        Datatype::UnsignedByte | Datatype::Short | Datatype::Int | Datatype::Long => {
            let (negative, digits) = match token.as_bytes().first() {
                Some(b'-') => (true, &token[1..]),
                Some(b'+') => (false, &token[1..]),
                _ => (false, token),
            };
            let magnitude = if let Some(hex) = digits
                .strip_prefix("0x")
                .or_else(|| digits.strip_prefix("0X"))
            {
                // Hex is the two's-complement bit pattern of the type (§6: 1 to 16 digits).
                let raw = u64::from_str_radix(hex, 16).map_err(|_| bad())?;
                let bits = (datatype.byte_width() * 8) as u32;
                let v = if bits < 64
                    && raw >> (bits - 1) & 1 == 1
                    && datatype != Datatype::UnsignedByte
                {
                    raw as i64 - (1i64 << bits)
                } else {
                    raw as i64
                };
                v as i128
            } else {
                digits.parse::<i128>().map_err(|_| bad())?
            };
            let v = if negative { -magnitude } else { magnitude };
            Scalar::Int(i64::try_from(v).map_err(|_| bad())?)
        }
        Datatype::Float | Datatype::Double | Datatype::FloatComplex | Datatype::DoubleComplex => {
            Scalar::Float(token.parse::<f64>().map_err(|_| bad())?)
        }
        Datatype::Char | Datatype::UnicodeChar => return Err(bad()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tabledata_values_parse_per_votable_rules() {
        let p = |d, t| parse_scalar(d, t);
        assert!(matches!(p(Datatype::Int, "0xff"), Ok(Scalar::Int(255))));
        assert!(matches!(p(Datatype::Short, "0xFFFF"), Ok(Scalar::Int(-1))));
        assert!(matches!(
            p(Datatype::Long, "-9223372036854775808"),
            Ok(Scalar::Int(i64::MIN))
        ));
        assert!(matches!(p(Datatype::Long, "+42"), Ok(Scalar::Int(42))));
        assert!(matches!(p(Datatype::Double, "+Inf"), Ok(Scalar::Float(f)) if f == f64::INFINITY));
        assert!(matches!(p(Datatype::Double, "NaN"), Ok(Scalar::Float(f)) if f.is_nan()));
        assert!(matches!(
            p(Datatype::Boolean, "TrUe"),
            Ok(Scalar::Bool(true))
        ));
        assert!(matches!(p(Datatype::Boolean, "?"), Ok(Scalar::Null)));
        assert!(p(Datatype::Int, "1.5").is_err());
        assert!(p(Datatype::Double, "abc").is_err());
    }
}
