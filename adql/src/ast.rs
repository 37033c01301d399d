//! The parsed query: sqlparser's AST after ADQL validation, printed as canonical ADQL.

use std::fmt;

use sqlparser::ast;

/// A syntactically valid ADQL query.
///
/// `Display` prints canonical ADQL (keywords upper case, `TOP` rather than `LIMIT`, comments
/// dropped); parsing that text again gives an equal `Query`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    pub(crate) inner: ast::Query,
}

impl Query {
    /// The underlying sqlparser AST (validated: it holds only ADQL constructs).
    pub fn sql_ast(&self) -> &ast::Query {
        &self.inner
    }
}

impl fmt::Display for Query {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.fmt(f)
    }
}
