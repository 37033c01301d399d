//! One cell in the BINARY / BINARY2 layout (VOTable 1.4 §5.3, §5.4, §6): big-endian
//! primitives, a 4-byte element count before variable-length arrays, strings as char arrays.
//!
//! Nulls: BINARY2 flags them in the row's bitmap and fills the cell with NaN (floats), zero
//! bytes (others) or a zero count (variable arrays), as §5.4 recommends. BINARY has no flags:
//! floats become NaN, variable arrays and strings empty, and integer columns that may hold
//! nulls declare a `VALUES null` magic value — the type's minimum (255 for unsignedByte) —
//! that is written in their place. A real value equal to the magic value would read back as
//! null; that is the BINARY serialization's own limit and the reason BINARY2 is the default.

use crate::cells::{Cell, Num, NumArray, push_text};
use crate::error::FormatError;
use crate::field::{ArrayShape, Datatype, FieldMeta, LastDim};

/// How one column is laid out in BINARY/BINARY2.
pub(crate) struct BinaryColumn {
    name: String,
    datatype: Datatype,
    shape: Option<ArrayShape>,
    /// The magic value written for a null integer (BINARY only).
    null_magic: Option<i64>,
    /// Whether the row carries null flags (BINARY2).
    flagged: bool,
}

/// The `VALUES null` magic value for a nullable integer column in BINARY.
pub(crate) fn binary_null_magic(field: &FieldMeta) -> Option<i64> {
    if !field.nullable {
        return None;
    }
    match field.datatype {
        Datatype::UnsignedByte => Some(255),
        Datatype::Short => Some(i64::from(i16::MIN)),
        Datatype::Int => Some(i64::from(i32::MIN)),
        Datatype::Long => Some(i64::MIN),
        _ => None,
    }
}

impl BinaryColumn {
    pub fn new(
        field: &FieldMeta,
        null_magic: Option<i64>,
        flagged: bool,
    ) -> Result<Self, FormatError> {
        let shape = field.shape().map_err(|message| FormatError::Unsupported {
            column: field.name.clone(),
            message,
        })?;
        if matches!(
            field.datatype,
            Datatype::Bit | Datatype::FloatComplex | Datatype::DoubleComplex
        ) {
            return Err(FormatError::Unsupported {
                column: field.name.clone(),
                message: format!("writing datatype {} is not supported", field.datatype),
            });
        }
        Ok(BinaryColumn {
            name: field.name.clone(),
            datatype: field.datatype,
            shape,
            null_magic,
            flagged,
        })
    }

    fn value_error(&self, row: u64, message: impl Into<String>) -> FormatError {
        FormatError::Value {
            column: self.name.clone(),
            row,
            message: message.into(),
        }
    }

    /// Appends the cell's bytes; `row` only names the row in errors.
    pub fn write(&self, out: &mut Vec<u8>, cell: Cell<'_>, row: u64) -> Result<(), FormatError> {
        if self.datatype.is_character() {
            return self.write_chars(out, cell, row);
        }
        match (&self.shape, cell) {
            (None, Cell::Array(_)) => Err(self.value_error(row, "array value in a scalar column")),
            (None, Cell::Null)
                if self.datatype.is_integer() && self.null_magic.is_none() && !self.flagged =>
            {
                Err(self.value_error(
                    row,
                    "null in a column declared not nullable: BINARY has no way to write it",
                ))
            }
            (None, cell) => self.write_scalar(out, cell, row),
            (Some(shape), Cell::Null) => {
                match shape.last {
                    LastDim::Variable(_) => out.extend_from_slice(&0u32.to_be_bytes()),
                    LastDim::Fixed(_) => {
                        for _ in 0..shape.fixed_count().unwrap_or(0) {
                            self.write_scalar(out, Cell::Null, row)?;
                        }
                    }
                }
                Ok(())
            }
            (Some(shape), Cell::Array(values)) => self.write_array(out, shape, values, row),
            (Some(_), _) => Err(self.value_error(row, "scalar value in an array column")),
        }
    }

    fn write_array(
        &self,
        out: &mut Vec<u8>,
        shape: &ArrayShape,
        values: NumArray<'_>,
        row: u64,
    ) -> Result<(), FormatError> {
        let n = values.len();
        match (shape.fixed_count(), shape.max_count()) {
            (Some(fixed), _) if n != fixed => {
                return Err(self.value_error(
                    row,
                    format!("array of {n} elements, arraysize requires {fixed}"),
                ));
            }
            (None, Some(max)) if n > max => {
                return Err(self.value_error(
                    row,
                    format!("array of {n} elements, arraysize allows at most {max}"),
                ));
            }
            (None, _) => {
                if !n.is_multiple_of(shape.stride()) {
                    return Err(self.value_error(
                        row,
                        format!(
                            "array of {n} elements is not a multiple of {}",
                            shape.stride()
                        ),
                    ));
                }
                out.extend_from_slice(&((n / shape.stride()) as u32).to_be_bytes());
            }
            _ => {}
        }
        for i in 0..n {
            let cell = match values.get(i) {
                Num::Int(v) => Cell::Int(v),
                Num::Float32(v) => Cell::Float32(v),
                Num::Float64(v) => Cell::Float64(v),
                Num::Null => Cell::Null,
            };
            self.write_scalar(out, cell, row)?;
        }
        Ok(())
    }

    fn write_scalar(&self, out: &mut Vec<u8>, cell: Cell<'_>, row: u64) -> Result<(), FormatError> {
        match self.datatype {
            Datatype::Boolean => {
                out.push(match cell {
                    Cell::Bool(true) => b'T',
                    Cell::Bool(false) => b'F',
                    Cell::Null => b'?',
                    _ => return Err(self.value_error(row, "non-boolean value")),
                });
            }
            Datatype::Float => {
                let v = match cell {
                    Cell::Null => f32::NAN,
                    Cell::Float32(v) => v,
                    Cell::Float64(v) => v as f32,
                    Cell::Int(v) => v as f32,
                    _ => return Err(self.value_error(row, "non-numeric value")),
                };
                out.extend_from_slice(&v.to_be_bytes());
            }
            Datatype::Double => {
                let v = match cell {
                    Cell::Null => f64::NAN,
                    Cell::Float32(v) => f64::from(v),
                    Cell::Float64(v) => v,
                    Cell::Int(v) => v as f64,
                    _ => return Err(self.value_error(row, "non-numeric value")),
                };
                out.extend_from_slice(&v.to_be_bytes());
            }
            Datatype::UnsignedByte | Datatype::Short | Datatype::Int | Datatype::Long => {
                let v = match cell {
                    Cell::Null => self.null_magic.unwrap_or_default(),
                    Cell::Int(v) => v,
                    Cell::Float32(v) => self.integral(f64::from(v), row)?,
                    Cell::Float64(v) => self.integral(v, row)?,
                    _ => return Err(self.value_error(row, "non-numeric value")),
                };
                self.push_int(out, v, row)?;
            }
            // Filtered out by `new` and by the character branch of `write`.
            Datatype::Bit
            | Datatype::FloatComplex
            | Datatype::DoubleComplex
            | Datatype::Char
            | Datatype::UnicodeChar => {
                return Err(self.value_error(row, "datatype cannot hold this value"));
            }
        }
        Ok(())
    }

    fn integral(&self, v: f64, row: u64) -> Result<i64, FormatError> {
        if v.fract() == 0.0 && v >= -(2f64.powi(63)) && v < 2f64.powi(63) {
            Ok(v as i64)
        } else {
            Err(self.value_error(row, format!("{v} is not an integer")))
        }
    }

    fn push_int(&self, out: &mut Vec<u8>, v: i64, row: u64) -> Result<(), FormatError> {
        let range = || self.value_error(row, format!("{v} is out of range for {}", self.datatype));
        match self.datatype {
            Datatype::UnsignedByte => out.push(u8::try_from(v).map_err(|_| range())?),
            Datatype::Short => {
                out.extend_from_slice(&i16::try_from(v).map_err(|_| range())?.to_be_bytes())
            }
            Datatype::Int => {
                out.extend_from_slice(&i32::try_from(v).map_err(|_| range())?.to_be_bytes())
            }
            _ => out.extend_from_slice(&v.to_be_bytes()),
        }
        Ok(())
    }

    /// Strings: char as UTF-8 bytes, unicodeChar as UTF-16BE code units (BMP only: others
    /// become U+FFFD, which VOTable 1.4 §2.1 cannot represent otherwise). Too long values are
    /// cut at a character boundary to a bounded arraysize; fixed sizes are padded with NULs.
    fn write_chars(&self, out: &mut Vec<u8>, cell: Cell<'_>, row: u64) -> Result<(), FormatError> {
        let mut scratch = Vec::new();
        let text: &str = match cell {
            Cell::Null => "",
            Cell::Str(s) => s,
            Cell::Array(_) => return Err(self.value_error(row, "array value in a string column")),
            other => {
                push_text(&mut scratch, other);
                std::str::from_utf8(&scratch).unwrap_or_default()
            }
        };
        let (fixed, max) = match &self.shape {
            // A scalar char holds one character.
            None => (Some(1), Some(1)),
            Some(s) => (s.fixed_count(), s.max_count()),
        };
        let unit = self.datatype.byte_width();
        let start = out.len();
        if fixed.is_none() {
            out.extend_from_slice(&[0u8; 4]);
        }
        let body = out.len();
        match self.datatype {
            Datatype::UnicodeChar => {
                for c in text.chars() {
                    let c = if (c as u32) > 0xFFFF { '\u{FFFD}' } else { c };
                    if max.is_some_and(|m| (out.len() - body) / unit >= m) {
                        break;
                    }
                    out.extend_from_slice(&(c as u16).to_be_bytes());
                }
            }
            _ => {
                let cut = match max {
                    Some(m) if text.len() > m => floor_char_boundary(text, m),
                    _ => text.len(),
                };
                out.extend_from_slice(&text.as_bytes()[..cut]);
            }
        }
        let count = (out.len() - body) / unit;
        match fixed {
            Some(n) => out.resize(body + n * unit, 0),
            None => out[start..body].copy_from_slice(&(count as u32).to_be_bytes()),
        }
        Ok(())
    }
}

/// The largest index ≤ `max` on a character boundary.
pub(crate) fn floor_char_boundary(s: &str, max: usize) -> usize {
    let mut i = max.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes(field: FieldMeta, magic: Option<i64>, cell: Cell<'_>) -> Vec<u8> {
        let col = BinaryColumn::new(&field, magic, false).unwrap();
        let mut out = Vec::new();
        col.write(&mut out, cell, 1).unwrap();
        out
    }

    #[test]
    fn scalars_are_big_endian() {
        let long = FieldMeta::new("l", Datatype::Long);
        assert_eq!(
            bytes(long.clone(), None, Cell::Int(0x0102_0304_0506_0708)),
            [1, 2, 3, 4, 5, 6, 7, 8]
        );
        assert_eq!(
            bytes(long, Some(i64::MIN), Cell::Null),
            i64::MIN.to_be_bytes()
        );
        assert_eq!(
            bytes(FieldMeta::new("s", Datatype::Short), None, Cell::Int(-2)),
            [0xFF, 0xFE]
        );
        assert_eq!(
            bytes(
                FieldMeta::new("d", Datatype::Double),
                None,
                Cell::Float64(1.0)
            ),
            1.0f64.to_be_bytes()
        );
        let nan = bytes(FieldMeta::new("f", Datatype::Float), None, Cell::Null);
        assert!(f32::from_be_bytes(nan.try_into().unwrap()).is_nan());
        assert_eq!(
            bytes(FieldMeta::new("b", Datatype::Boolean), None, Cell::Null),
            b"?"
        );
    }

    #[test]
    fn binary_refuses_a_null_it_cannot_write() {
        let mut declared = FieldMeta::new("n", Datatype::Int);
        declared.nullable = false;
        let binary = BinaryColumn::new(&declared, binary_null_magic(&declared), false).unwrap();
        let err = binary.write(&mut Vec::new(), Cell::Null, 3).unwrap_err();
        assert!(err.to_string().contains("row 3"), "{err}");
        let binary2 = BinaryColumn::new(&declared, None, true).unwrap();
        let mut out = Vec::new();
        binary2.write(&mut out, Cell::Null, 3).unwrap();
        assert_eq!(out, [0, 0, 0, 0]);
    }

    #[test]
    fn out_of_range_values_are_refused() {
        let col = BinaryColumn::new(&FieldMeta::new("s", Datatype::Short), None, true).unwrap();
        let err = col
            .write(&mut Vec::new(), Cell::Int(70_000), 7)
            .unwrap_err();
        assert!(err.to_string().contains("row 7"), "{err}");
        let col = BinaryColumn::new(&FieldMeta::new("i", Datatype::Int), None, true).unwrap();
        assert!(col.write(&mut Vec::new(), Cell::Float64(1.5), 1).is_err());
    }

    #[test]
    fn strings_carry_a_count_or_are_padded() {
        let var = FieldMeta::new("v", Datatype::Char).with_arraysize("*");
        assert_eq!(
            bytes(var.clone(), None, Cell::Str("ab")),
            [0, 0, 0, 2, b'a', b'b']
        );
        assert_eq!(bytes(var, None, Cell::Null), [0, 0, 0, 0]);
        let fixed = FieldMeta::new("f", Datatype::Char).with_arraysize("4");
        assert_eq!(
            bytes(fixed.clone(), None, Cell::Str("ab")),
            [b'a', b'b', 0, 0]
        );
        // Cut at a character boundary: "Λ" takes two bytes.
        assert_eq!(bytes(fixed, None, Cell::Str("abcΛ")), [b'a', b'b', b'c', 0]);
        let uni = FieldMeta::new("u", Datatype::UnicodeChar).with_arraysize("*");
        assert_eq!(bytes(uni, None, Cell::Str("Λ")), [0, 0, 0, 1, 0x03, 0x9B]);
    }

    #[test]
    fn arrays_follow_the_arraysize() {
        let values = [1.0f64, 2.0];
        let array = NumArray::for_test(&values);
        let point = FieldMeta::new("p", Datatype::Double).with_arraysize("2");
        let mut expected = 1.0f64.to_be_bytes().to_vec();
        expected.extend_from_slice(&2.0f64.to_be_bytes());
        assert_eq!(bytes(point, None, Cell::Array(array)), expected);
        let poly = FieldMeta::new("p", Datatype::Double).with_arraysize("*");
        let mut counted = vec![0, 0, 0, 2];
        counted.extend_from_slice(&expected);
        assert_eq!(bytes(poly, None, Cell::Array(array)), counted);
        let circle = BinaryColumn::new(
            &FieldMeta::new("c", Datatype::Double).with_arraysize("3"),
            None,
            true,
        )
        .unwrap();
        assert!(
            circle
                .write(&mut Vec::new(), Cell::Array(array), 1)
                .is_err()
        );
    }
}
