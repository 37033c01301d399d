//! Errors of the encoders and readers.

use std::fmt;

/// An error while encoding a result or reading a table.
#[derive(Debug, thiserror::Error)]
pub enum FormatError {
    /// Writing to the output failed (typically: the client went away).
    #[error("output error: {0}")]
    Io(#[from] std::io::Error),
    /// A column's Arrow type cannot be written in the requested form.
    #[error("column {column:?}: {message}")]
    Unsupported { column: String, message: String },
    /// A value does not fit the declared VOTable datatype (e.g. 300 as unsignedByte).
    #[error("column {column:?}, row {row}: {message}")]
    Value {
        column: String,
        row: u64,
        message: String,
    },
    /// The batch does not match the columns the encoder was created with.
    #[error("batch has {got} columns, the result declares {expected}")]
    ColumnCount { expected: usize, got: usize },
    /// Parquet writer error (VOParquet output).
    #[error("parquet: {0}")]
    Parquet(#[from] parquet::errors::ParquetError),
    /// Arrow error while assembling a batch.
    #[error("arrow: {0}")]
    Arrow(#[from] arrow_schema::ArrowError),
}

/// Where in the input a read error happened.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Location {
    /// The input's name (a file name or an upload's table name), when known.
    pub source: Option<String>,
    /// 1-based data row (VOTable TR, FITS table row), when the error is in the data.
    pub row: Option<u64>,
    /// Byte offset in the input, when that is what locates it best (XML syntax errors).
    pub byte: Option<u64>,
    /// The column's name, when the error is in one cell.
    pub column: Option<String>,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if let Some(s) = &self.source {
            parts.push(s.clone());
        }
        if let Some(r) = self.row {
            parts.push(format!("row {r}"));
        }
        if let Some(c) = &self.column {
            parts.push(format!("column {c:?}"));
        }
        if let Some(b) = self.byte {
            parts.push(format!("byte {b}"));
        }
        if parts.is_empty() {
            f.write_str("input")
        } else {
            f.write_str(&parts.join(", "))
        }
    }
}

/// An error while reading a VOTable or FITS table, naming where it happened.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The input is malformed or does not follow the standard.
    #[error("{at}: {message}")]
    Invalid { at: Location, message: String },
    /// A configured limit (rows or bytes) was passed.
    #[error("{at}: {message}")]
    Limit { at: Location, message: String },
    /// Reading the input failed.
    #[error("{at}: read error: {source}")]
    Io {
        at: Location,
        #[source]
        source: std::io::Error,
    },
    /// Assembling the Arrow batch failed.
    #[error("{at}: {source}")]
    Arrow {
        at: Location,
        #[source]
        source: arrow_schema::ArrowError,
    },
    /// The sink that receives the batches refused one.
    #[error("{0}")]
    Sink(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl ReadError {
    pub(crate) fn invalid(at: Location, message: impl Into<String>) -> Self {
        ReadError::Invalid {
            at,
            message: message.into(),
        }
    }
}
