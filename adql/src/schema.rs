//! What the library needs to know about the catalogue, injected by the server through
//! [`SchemaLookup`], and what it tells back about each output column ([`OutputColumn`]).

/// A VOTable primitive datatype (VOTable 1.4 §2.1).
///
/// The same twelve values as `formats::Datatype`, on purpose: this library must stay usable
/// without the server, and `formats` brings Arrow with it, so `adql` cannot depend on it. The
/// server maps one onto the other in one place, `vostok::query::lookup` (both directions);
/// both spell each value as VOTable does ([`Datatype::as_str`]).
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
    /// The VOTable spelling (`double`, `unicodeChar`, ...).
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
}

/// A column's type as TAP_SCHEMA and VOTable give it: datatype, arraysize, xtype.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ColumnType {
    pub datatype: Datatype,
    /// `None` for scalars; otherwise the VOTable arraysize (`2`, `*`, `32*`, ...).
    pub arraysize: Option<String>,
    /// DALI/VOTable xtype (`point`, `circle`, `polygon`, `timestamp`, ...).
    pub xtype: Option<String>,
}

impl ColumnType {
    pub fn scalar(datatype: Datatype) -> Self {
        ColumnType {
            datatype,
            arraysize: None,
            xtype: None,
        }
    }

    /// A string column (`char`, arraysize `*`).
    pub fn string() -> Self {
        ColumnType {
            datatype: Datatype::Char,
            arraysize: Some("*".into()),
            xtype: None,
        }
    }

    /// A DALI geometry (`double` array with xtype `point`, `circle` or `polygon`).
    pub fn geometry(xtype: &str) -> Self {
        let arraysize = match xtype {
            "point" => "2",
            "circle" => "3",
            _ => "*",
        };
        ColumnType {
            datatype: Datatype::Double,
            arraysize: Some(arraysize.into()),
            xtype: Some(xtype.into()),
        }
    }
}

/// One column of a table in the catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnInfo {
    /// The exact name, both in ADQL (TAP_SCHEMA.columns.column_name) and in the DataFusion
    /// table the server registered.
    pub name: String,
    pub description: Option<String>,
    pub unit: Option<String>,
    pub ucd: Option<String>,
    pub utype: Option<String>,
    pub column_type: ColumnType,
    pub principal: bool,
    pub indexed: bool,
    pub std: bool,
}

impl ColumnInfo {
    /// A column with a name and type and no further metadata.
    pub fn new(name: impl Into<String>, column_type: ColumnType) -> Self {
        ColumnInfo {
            name: name.into(),
            description: None,
            unit: None,
            ucd: None,
            utype: None,
            column_type,
            principal: false,
            indexed: false,
            std: false,
        }
    }
}

/// A table name, schema-qualified or not.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct QualifiedName {
    pub schema: Option<String>,
    pub table: String,
}

/// The HEALPix index ingest wrote for a table: the NESTED index at `order` of the position
/// (`ra`, `dec`) in degrees, as Int64 in `healpix_column`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkyIndex {
    pub ra: String,
    pub dec: String,
    pub healpix_column: String,
    pub order: u8,
}

/// A table of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableInfo {
    /// The ADQL name (TAP_SCHEMA.tables), exact spelling.
    pub name: QualifiedName,
    /// The table as registered in DataFusion (exact case; emitted quoted).
    pub physical: QualifiedName,
    pub columns: Vec<ColumnInfo>,
    pub sky_index: Option<SkyIndex>,
}

/// The catalogue, as the server knows it.
///
/// `table` is an exact lookup: the library calls it with a name spelled as the user wrote it
/// and, failing that, with each name from `table_names` that matches under ADQL's rules
/// (case-insensitively for regular identifiers, exactly for delimited ones, ADQL 2.1 §2.1.7).
pub trait SchemaLookup {
    fn table(&self, schema: Option<&str>, table: &str) -> Option<TableInfo>;
    fn table_names(&self) -> Vec<QualifiedName>;
}

/// What a result document says about one output column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputColumn {
    /// Unique within the result, in order: the column name, the alias, or the function name in
    /// lower case, with `_2`, `_3`... appended to repeats.
    pub name: String,
    pub datatype: Datatype,
    pub arraysize: Option<String>,
    pub xtype: Option<String>,
    pub unit: Option<String>,
    pub ucd: Option<String>,
    pub utype: Option<String>,
    pub description: Option<String>,
}
