//! ADQL value types (ADQL 2.1 §3) as the checker infers them, and their VOTable form.

use std::sync::Arc;

use crate::error::{AdqlError, ErrorKind, Position};
use crate::schema::{ColumnInfo, ColumnType, Datatype, OutputColumn};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ty {
    /// The NULL literal: fits anywhere.
    Null,
    Boolean,
    SmallInt,
    Integer,
    BigInt,
    Real,
    Double,
    String,
    Timestamp,
    Point,
    Circle,
    Polygon,
    /// Anything else a column may hold (arrays, binary): selectable, not computable.
    Other(ColumnType),
}

impl Ty {
    pub fn from_column(t: &ColumnType) -> Ty {
        let scalar = t.arraysize.is_none() || t.arraysize.as_deref() == Some("1");
        let xtype = t.xtype.as_deref().map(str::to_ascii_lowercase);
        match (t.datatype, scalar, xtype.as_deref()) {
            (Datatype::Double | Datatype::Float, false, Some("point")) => Ty::Point,
            (Datatype::Double | Datatype::Float, false, Some("circle")) => Ty::Circle,
            (Datatype::Double | Datatype::Float, false, Some("polygon")) => Ty::Polygon,
            (Datatype::Char | Datatype::UnicodeChar, _, Some("timestamp")) => Ty::Timestamp,
            (Datatype::Char | Datatype::UnicodeChar, _, _) => Ty::String,
            (Datatype::Boolean | Datatype::Bit, true, _) => Ty::Boolean,
            (Datatype::UnsignedByte | Datatype::Short, true, _) => Ty::SmallInt,
            (Datatype::Int, true, _) => Ty::Integer,
            (Datatype::Long, true, _) => Ty::BigInt,
            (Datatype::Float, true, _) => Ty::Real,
            (Datatype::Double, true, _) => Ty::Double,
            _ => Ty::Other(t.clone()),
        }
    }

    /// Numeric rank for promotion; `None` if not a number.
    fn rank(&self) -> Option<u8> {
        match self {
            Ty::Null => Some(0),
            Ty::SmallInt => Some(1),
            Ty::Integer => Some(2),
            Ty::BigInt => Some(3),
            Ty::Real => Some(4),
            Ty::Double => Some(5),
            _ => None,
        }
    }

    pub fn is_numeric(&self) -> bool {
        self.rank().is_some()
    }

    pub fn is_integer(&self) -> bool {
        matches!(self, Ty::Null | Ty::SmallInt | Ty::Integer | Ty::BigInt)
    }

    pub fn is_string(&self) -> bool {
        matches!(self, Ty::Null | Ty::String)
    }

    pub fn is_geometry(&self) -> bool {
        matches!(self, Ty::Null | Ty::Point | Ty::Circle | Ty::Polygon)
    }

    pub fn is_point(&self) -> bool {
        matches!(self, Ty::Null | Ty::Point)
    }

    /// The type of arithmetic on two numbers: the wider one, and DOUBLE PRECISION when an
    /// integer meets a REAL (no precision is lost that way).
    pub fn promote(&self, other: &Ty) -> Ty {
        let (Some(a), Some(b)) = (self.rank(), other.rank()) else {
            return Ty::Double;
        };
        let (wide, narrow) = if a >= b { (self, b) } else { (other, a) };
        if *wide == Ty::Real && (1..=3).contains(&narrow) {
            Ty::Double
        } else {
            wide.clone()
        }
    }

    /// Whether values of the two types can be compared or unioned.
    pub fn compatible(&self, other: &Ty) -> bool {
        match (self, other) {
            (Ty::Null, _) | (_, Ty::Null) => true,
            (a, b) if a.is_numeric() && b.is_numeric() => true,
            (Ty::String | Ty::Timestamp, Ty::String | Ty::Timestamp) => true,
            (a, b) if a.is_geometry() && b.is_geometry() => true,
            (a, b) => a == b,
        }
    }

    /// A short name for error messages.
    pub fn describe(&self) -> String {
        match self {
            Ty::Null => "NULL".into(),
            Ty::Boolean => "a boolean".into(),
            Ty::SmallInt => "a number (SMALLINT)".into(),
            Ty::Integer => "a number (INTEGER)".into(),
            Ty::BigInt => "a number (BIGINT)".into(),
            Ty::Real => "a number (REAL)".into(),
            Ty::Double => "a number (DOUBLE PRECISION)".into(),
            Ty::String => "a string (VARCHAR)".into(),
            Ty::Timestamp => "a TIMESTAMP".into(),
            Ty::Point => "a POINT".into(),
            Ty::Circle => "a CIRCLE".into(),
            Ty::Polygon => "a POLYGON".into(),
            Ty::Other(t) => format!(
                "a {}[{}] value",
                t.datatype.as_str(),
                t.arraysize.as_deref().unwrap_or("")
            ),
        }
    }

    /// The VOTable type of a computed value of this type.
    pub fn column_type(&self) -> ColumnType {
        match self {
            Ty::Null | Ty::String => ColumnType::string(),
            Ty::Boolean => ColumnType::scalar(Datatype::Boolean),
            Ty::SmallInt => ColumnType::scalar(Datatype::Short),
            Ty::Integer => ColumnType::scalar(Datatype::Int),
            Ty::BigInt => ColumnType::scalar(Datatype::Long),
            Ty::Real => ColumnType::scalar(Datatype::Float),
            Ty::Double => ColumnType::scalar(Datatype::Double),
            Ty::Timestamp => ColumnType {
                datatype: Datatype::Char,
                arraysize: Some("*".into()),
                xtype: Some("timestamp".into()),
            },
            Ty::Point => ColumnType::geometry("point"),
            Ty::Circle => ColumnType::geometry("circle"),
            Ty::Polygon => ColumnType::geometry("polygon"),
            Ty::Other(t) => t.clone(),
        }
    }
}

/// Column metadata carried along with a value: all of a column's for plain column references
/// (and through derived tables), a unit for some computed values (DISTANCE is in degrees).
/// Shared, not copied: most columns of a table are never selected.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Meta {
    #[default]
    Computed,
    Column(Arc<ColumnInfo>),
    Unit(Arc<str>),
}

impl Meta {
    pub fn unit(unit: &str) -> Meta {
        Meta::Unit(unit.into())
    }

    /// The unit, if any.
    pub fn unit_of(&self) -> Option<&str> {
        match self {
            Meta::Computed => None,
            Meta::Column(c) => c.unit.as_deref(),
            Meta::Unit(u) => Some(u),
        }
    }

    pub fn output(&self, name: String, ty: &Ty) -> OutputColumn {
        let column = match self {
            Meta::Column(c) => Some(&**c),
            _ => None,
        };
        let t = column.map_or_else(|| ty.column_type(), |c| c.column_type.clone());
        OutputColumn {
            name,
            datatype: t.datatype,
            arraysize: t.arraysize,
            xtype: t.xtype,
            unit: self.unit_of().map(str::to_string),
            ucd: column.and_then(|c| c.ucd.clone()),
            utype: column.and_then(|c| c.utype.clone()),
            description: column.and_then(|c| c.description.clone()),
        }
    }
}

/// The error of an operand whose type does not fit.
pub(crate) fn type_error<T>(message: String, at: Option<Position>) -> Result<T, AdqlError> {
    Err(AdqlError::new(ErrorKind::Type, message, at))
}
