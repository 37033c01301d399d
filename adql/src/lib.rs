//! ADQL 2.1 (IVOA Recommendation 2023-12-15): parsing, checking against a catalogue, and
//! translation to DataFusion's SQL AST.
//!
//! ```
//! let query = adql::parse("SELECT TOP 5 ra, dec FROM gaia.source WHERE dec > 0").unwrap();
//! assert_eq!(query.to_string(), "SELECT TOP 5 ra, dec FROM gaia.source WHERE dec > 0");
//! ```
//!
//! The pipeline: [`parse`] (sqlparser with [`AdqlDialect`], then a strict validation of what
//! ADQL allows) → [`check`] against a [`SchemaLookup`] the server implements (names resolved,
//! types inferred, [`OutputColumn`]s described) → [`CheckedQuery::translate`] to a sqlparser
//! `Statement` for DataFusion, calling the UDFs listed in [`udf`] (implemented with
//! [`geometry`] and [`healpix`]). [`features`] lists what to declare in TAPRegExt.
//!
//! A pure library: no HTTP, no async runtime, no DataFusion types.

mod ast;
mod check;
mod dialect;
mod error;
pub mod features;
mod functions;
pub mod geometry;
pub mod healpix;
mod parse;
mod reserved;
mod schema;
mod sql_ast;
mod suggest;
mod translate;
pub mod udf;
mod validate;

pub use ast::Query;
pub use check::{CheckedQuery, check};
pub use dialect::AdqlDialect;
pub use error::{AdqlError, ErrorKind, Position};
pub use features::{ParseOptions, Version};
pub use reserved::is_reserved;
pub use schema::{
    ColumnInfo, ColumnType, Datatype, OutputColumn, QualifiedName, SchemaLookup, SkyIndex,
    TableInfo,
};
pub use translate::{Narrowed, TranslateOptions, Translation};

/// Parses an ADQL 2.1 query.
pub fn parse(text: &str) -> Result<Query, AdqlError> {
    parse_with(text, &ParseOptions::default())
}

/// Parses an ADQL query with a chosen version and extra user-defined function names.
pub fn parse_with(text: &str, options: &ParseOptions) -> Result<Query, AdqlError> {
    let mut inner = parse::parse_sql(text, options)?;
    validate::validate(&mut inner, options)?;
    Ok(Query { inner })
}
