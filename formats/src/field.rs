//! Column metadata as VOTable FIELDs (VOTable 1.4 §4), with the default mapping from Arrow.

use std::fmt;
use std::str::FromStr;

use arrow_schema::{DataType, Field, TimeUnit};

use crate::error::FormatError;

/// A VOTable primitive datatype (VOTable 1.4 §2.1, table 1). Bit and the complex types are
/// read but never produced from Arrow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Datatype {
    Boolean,
    Bit,
    UnsignedByte,
    Short,
    Int,
    Long,
    Char,
    UnicodeChar,
    Float,
    Double,
    FloatComplex,
    DoubleComplex,
}

impl Datatype {
    /// The attribute value, as spelled in VOTable.
    pub fn as_str(self) -> &'static str {
        match self {
            Datatype::Boolean => "boolean",
            Datatype::Bit => "bit",
            Datatype::UnsignedByte => "unsignedByte",
            Datatype::Short => "short",
            Datatype::Int => "int",
            Datatype::Long => "long",
            Datatype::Char => "char",
            Datatype::UnicodeChar => "unicodeChar",
            Datatype::Float => "float",
            Datatype::Double => "double",
            Datatype::FloatComplex => "floatComplex",
            Datatype::DoubleComplex => "doubleComplex",
        }
    }

    /// Bytes per primitive in the BINARY serializations (bit: handled apart).
    pub fn byte_width(self) -> usize {
        match self {
            Datatype::Boolean | Datatype::Bit | Datatype::UnsignedByte | Datatype::Char => 1,
            Datatype::Short | Datatype::UnicodeChar => 2,
            Datatype::Int | Datatype::Float => 4,
            Datatype::Long | Datatype::Double | Datatype::FloatComplex => 8,
            Datatype::DoubleComplex => 16,
        }
    }

    /// True for char and unicodeChar, whose arrays are strings.
    pub fn is_character(self) -> bool {
        matches!(self, Datatype::Char | Datatype::UnicodeChar)
    }

    /// True for the integer types that can carry a `VALUES null` magic value.
    pub fn is_integer(self) -> bool {
        matches!(
            self,
            Datatype::UnsignedByte | Datatype::Short | Datatype::Int | Datatype::Long
        )
    }
}

impl fmt::Display for Datatype {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Datatype {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "boolean" => Datatype::Boolean,
            "bit" => Datatype::Bit,
            "unsignedByte" => Datatype::UnsignedByte,
            "short" => Datatype::Short,
            "int" => Datatype::Int,
            "long" => Datatype::Long,
            "char" => Datatype::Char,
            "unicodeChar" => Datatype::UnicodeChar,
            "float" => Datatype::Float,
            "double" => Datatype::Double,
            "floatComplex" => Datatype::FloatComplex,
            "doubleComplex" => Datatype::DoubleComplex,
            other => return Err(format!("unknown VOTable datatype {other:?}")),
        })
    }
}

/// A parsed `arraysize` (VOTable 1.4 §2.2): dimensions, first changing fastest; only the last
/// may be variable (`*`, or `N*` for "at most N").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArrayShape {
    /// The fixed dimensions before the last one.
    pub leading: Vec<usize>,
    /// The last dimension.
    pub last: LastDim,
}

/// The last dimension of an [`ArrayShape`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LastDim {
    Fixed(usize),
    /// Variable length, with an optional upper bound (`12*`).
    Variable(Option<usize>),
}

impl ArrayShape {
    /// Parses an arraysize attribute such as `*`, `12`, `12*`, `3x*`, `64x64x10*`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let dims: Vec<&str> = text.trim().split('x').collect();
        let mut leading = Vec::new();
        let (last_text, head) = dims.split_last().ok_or("empty arraysize")?;
        for d in head {
            leading.push(
                d.parse::<usize>()
                    .map_err(|_| format!("bad arraysize {text:?}"))?,
            );
        }
        let last = if let Some(bound) = last_text.strip_suffix('*') {
            if bound.is_empty() {
                LastDim::Variable(None)
            } else {
                LastDim::Variable(Some(
                    bound
                        .parse()
                        .map_err(|_| format!("bad arraysize {text:?}"))?,
                ))
            }
        } else {
            LastDim::Fixed(
                last_text
                    .parse()
                    .map_err(|_| format!("bad arraysize {text:?}"))?,
            )
        };
        Ok(ArrayShape { leading, last })
    }

    /// Product of the leading dimensions: how many primitives one step of the last dimension
    /// holds.
    pub fn stride(&self) -> usize {
        self.leading.iter().product()
    }

    /// The number of primitives in every cell, when that is fixed.
    pub fn fixed_count(&self) -> Option<usize> {
        match self.last {
            LastDim::Fixed(n) => Some(n * self.stride()),
            LastDim::Variable(_) => None,
        }
    }

    /// The largest number of primitives a cell may hold, when bounded.
    pub fn max_count(&self) -> Option<usize> {
        match self.last {
            LastDim::Fixed(n) | LastDim::Variable(Some(n)) => Some(n * self.stride()),
            LastDim::Variable(None) => None,
        }
    }
}

/// One output (or input) column, as a VOTable FIELD.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldMeta {
    pub name: String,
    pub id: Option<String>,
    pub datatype: Datatype,
    /// `arraysize` attribute; `None` for scalars.
    pub arraysize: Option<String>,
    pub xtype: Option<String>,
    pub unit: Option<String>,
    pub ucd: Option<String>,
    pub utype: Option<String>,
    pub description: Option<String>,
    /// Whether the column may hold nulls. In the BINARY serialization an integer column that
    /// may hold nulls gets a `VALUES null` magic value (see `votable::binary`).
    pub nullable: bool,
}

impl FieldMeta {
    /// A scalar field of the given name and datatype, nullable, with no other metadata.
    pub fn new(name: impl Into<String>, datatype: Datatype) -> Self {
        FieldMeta {
            name: name.into(),
            id: None,
            datatype,
            arraysize: None,
            xtype: None,
            unit: None,
            ucd: None,
            utype: None,
            description: None,
            nullable: true,
        }
    }

    /// Sets `arraysize`.
    pub fn with_arraysize(mut self, arraysize: impl Into<String>) -> Self {
        self.arraysize = Some(arraysize.into());
        self
    }

    /// Sets `xtype`.
    pub fn with_xtype(mut self, xtype: impl Into<String>) -> Self {
        self.xtype = Some(xtype.into());
        self
    }

    /// The default VOTable FIELD for an Arrow field.
    ///
    /// Strings become `unicodeChar` with `arraysize="*"`: VOTable 1.4 §2.1 allows only ASCII
    /// in `char`, an Arrow string column may hold any text, and astropy 8 fails outright on
    /// UTF-8 bytes in a BINARY/BINARY2 `char` cell (and warns, W55, in TABLEDATA). The cost is
    /// two bytes per character in the binary serializations, and characters outside the Basic
    /// Multilingual Plane, which UCS-2 cannot hold, are written as U+FFFD there. A catalogue
    /// that knows a column is ASCII (identifiers, TAP_SCHEMA) declares it `char`; a `char`
    /// column is written as UTF-8 bytes, which VOTable 1.6 makes the meaning of `char`.
    ///
    /// Geometry values (DALI 1.1 §3.3.5-3.3.7) are lists of doubles: point `arraysize="2"`,
    /// circle `"3"`, polygon `"*"`; the server sets their `xtype`. Timestamps and dates are
    /// ISO 8601 strings (ASCII, so `char`) with `xtype="timestamp"` (DALI 1.1 §3.3.3).
    pub fn from_arrow(field: &Field) -> Result<Self, FormatError> {
        let unsupported = |what: &str| FormatError::Unsupported {
            column: field.name().clone(),
            message: format!("no VOTable mapping for Arrow type {what}"),
        };
        let mut meta = match field.data_type() {
            DataType::Boolean => FieldMeta::new(field.name(), Datatype::Boolean),
            DataType::Int8 | DataType::Int16 => FieldMeta::new(field.name(), Datatype::Short),
            DataType::UInt8 => FieldMeta::new(field.name(), Datatype::UnsignedByte),
            DataType::UInt16 | DataType::Int32 => FieldMeta::new(field.name(), Datatype::Int),
            DataType::UInt32 | DataType::Int64 => FieldMeta::new(field.name(), Datatype::Long),
            DataType::Float32 => FieldMeta::new(field.name(), Datatype::Float),
            DataType::Float64 | DataType::Decimal128(_, _) => {
                FieldMeta::new(field.name(), Datatype::Double)
            }
            DataType::Dictionary(_, values) => {
                let plain = Field::new(field.name(), values.as_ref().clone(), field.is_nullable());
                return FieldMeta::from_arrow(&plain);
            }
            DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => {
                FieldMeta::new(field.name(), Datatype::UnicodeChar).with_arraysize("*")
            }
            DataType::Binary | DataType::LargeBinary | DataType::BinaryView => {
                FieldMeta::new(field.name(), Datatype::UnsignedByte).with_arraysize("*")
            }
            DataType::Timestamp(_, _) | DataType::Date32 | DataType::Date64 => {
                FieldMeta::new(field.name(), Datatype::Char)
                    .with_arraysize("*")
                    .with_xtype("timestamp")
            }
            DataType::List(inner) | DataType::LargeList(inner) => {
                let element = element_datatype(inner.data_type())
                    .ok_or_else(|| unsupported(&field.data_type().to_string()))?;
                FieldMeta::new(field.name(), element).with_arraysize("*")
            }
            DataType::FixedSizeList(inner, n) => {
                let element = element_datatype(inner.data_type())
                    .ok_or_else(|| unsupported(&field.data_type().to_string()))?;
                FieldMeta::new(field.name(), element).with_arraysize(n.to_string())
            }
            other => return Err(unsupported(&other.to_string())),
        };
        meta.nullable = field.is_nullable();
        Ok(meta)
    }

    /// The parsed `arraysize`, `None` for scalars.
    pub fn shape(&self) -> Result<Option<ArrayShape>, String> {
        self.arraysize.as_deref().map(ArrayShape::parse).transpose()
    }

    /// The Arrow type a reader produces for this field, and the VOParquet writer uses for an
    /// empty result: strings for character arrays, lists for other arrays.
    pub fn arrow_type(&self) -> DataType {
        let scalar = scalar_arrow_type(self.datatype);
        let complex = matches!(
            self.datatype,
            Datatype::FloatComplex | Datatype::DoubleComplex
        );
        if self.datatype.is_character() || (self.arraysize.is_none() && !complex) {
            scalar
        } else {
            DataType::List(std::sync::Arc::new(Field::new("item", scalar, true)))
        }
    }

    /// An Arrow field for [`FieldMeta::arrow_type`].
    pub fn arrow_field(&self) -> Field {
        Field::new(&self.name, self.arrow_type(), true)
    }
}

fn element_datatype(t: &DataType) -> Option<Datatype> {
    Some(match t {
        DataType::Int8 | DataType::Int16 => Datatype::Short,
        DataType::UInt8 => Datatype::UnsignedByte,
        DataType::UInt16 | DataType::Int32 => Datatype::Int,
        DataType::UInt32 | DataType::Int64 => Datatype::Long,
        DataType::Float32 => Datatype::Float,
        DataType::Float64 => Datatype::Double,
        _ => return None,
    })
}

fn scalar_arrow_type(d: Datatype) -> DataType {
    match d {
        Datatype::Boolean | Datatype::Bit => DataType::Boolean,
        Datatype::UnsignedByte => DataType::UInt8,
        Datatype::Short => DataType::Int16,
        Datatype::Int => DataType::Int32,
        Datatype::Long => DataType::Int64,
        Datatype::Char | Datatype::UnicodeChar => DataType::Utf8,
        Datatype::Float | Datatype::FloatComplex => DataType::Float32,
        Datatype::Double | Datatype::DoubleComplex => DataType::Float64,
    }
}

/// The number of nanoseconds in one unit of an Arrow timestamp.
pub(crate) fn nanos_per_unit(unit: &TimeUnit) -> i64 {
    match unit {
        TimeUnit::Second => 1_000_000_000,
        TimeUnit::Millisecond => 1_000_000,
        TimeUnit::Microsecond => 1_000,
        TimeUnit::Nanosecond => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn arraysize_forms_parse() {
        assert_eq!(
            ArrayShape::parse("*").unwrap(),
            ArrayShape {
                leading: vec![],
                last: LastDim::Variable(None)
            }
        );
        assert_eq!(ArrayShape::parse("12").unwrap().fixed_count(), Some(12));
        assert_eq!(ArrayShape::parse("12*").unwrap().max_count(), Some(12));
        let s = ArrayShape::parse("3x*").unwrap();
        assert_eq!(s.stride(), 3);
        assert_eq!(s.fixed_count(), None);
        assert_eq!(
            ArrayShape::parse("64x64x10*").unwrap().max_count(),
            Some(40960)
        );
        assert!(ArrayShape::parse("x").is_err());
        assert!(ArrayShape::parse("a*").is_err());
    }

    #[test]
    fn arrow_types_map_to_votable_defaults() {
        let cases = [
            (DataType::Int8, Datatype::Short, None, None),
            (DataType::Int64, Datatype::Long, None, None),
            (DataType::UInt8, Datatype::UnsignedByte, None, None),
            (DataType::Float32, Datatype::Float, None, None),
            (DataType::Boolean, Datatype::Boolean, None, None),
            (DataType::Utf8View, Datatype::UnicodeChar, Some("*"), None),
            (
                DataType::Timestamp(TimeUnit::Microsecond, None),
                Datatype::Char,
                Some("*"),
                Some("timestamp"),
            ),
            (
                DataType::Date32,
                Datatype::Char,
                Some("*"),
                Some("timestamp"),
            ),
            (
                DataType::List(Arc::new(Field::new("item", DataType::Float64, true))),
                Datatype::Double,
                Some("*"),
                None,
            ),
            (
                DataType::FixedSizeList(Arc::new(Field::new("item", DataType::Float64, true)), 2),
                Datatype::Double,
                Some("2"),
                None,
            ),
        ];
        for (arrow, datatype, arraysize, xtype) in cases {
            let meta = FieldMeta::from_arrow(&Field::new("c", arrow.clone(), false)).unwrap();
            assert_eq!(meta.datatype, datatype, "{arrow}");
            assert_eq!(meta.arraysize.as_deref(), arraysize, "{arrow}");
            assert_eq!(meta.xtype.as_deref(), xtype, "{arrow}");
            assert!(!meta.nullable);
        }
        let bytes = FieldMeta::from_arrow(&Field::new("wkb", DataType::BinaryView, true)).unwrap();
        assert_eq!(
            (bytes.datatype, bytes.arraysize.as_deref()),
            (Datatype::UnsignedByte, Some("*"))
        );
        let duration = DataType::Duration(TimeUnit::Second);
        let err = FieldMeta::from_arrow(&Field::new("d", duration, true)).unwrap_err();
        assert!(err.to_string().contains("\"d\""), "{err}");
    }

    #[test]
    fn datatype_names_round_trip() {
        for d in [
            Datatype::Boolean,
            Datatype::Bit,
            Datatype::UnsignedByte,
            Datatype::Short,
            Datatype::Int,
            Datatype::Long,
            Datatype::Char,
            Datatype::UnicodeChar,
            Datatype::Float,
            Datatype::Double,
            Datatype::FloatComplex,
            Datatype::DoubleComplex,
        ] {
            assert_eq!(d.as_str().parse::<Datatype>().unwrap(), d);
        }
        assert!("string".parse::<Datatype>().is_err());
    }
}
