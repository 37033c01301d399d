//! Errors a user can act on: a kind, a message, and where in the query text it happened.

use std::fmt;

/// What went wrong, coarsely: lets the server map errors to protocol codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The text is not ADQL (tokens, grammar, constructs ADQL does not have).
    Syntax,
    /// A table that the catalogue does not have.
    UnknownTable,
    /// A column that no table in scope has.
    UnknownColumn,
    /// A column name that more than one table in scope has.
    AmbiguousColumn,
    /// A function that is neither ADQL nor a supported user-defined function.
    UnknownFunction,
    /// Operands of the wrong type (e.g. AVG of a string).
    Type,
    /// Valid ADQL that this service does not support (e.g. an STC-S union in REGION).
    Unsupported,
}

impl ErrorKind {
    fn label(self) -> &'static str {
        match self {
            ErrorKind::Syntax => "Syntax error",
            ErrorKind::UnknownTable => "Unknown table",
            ErrorKind::UnknownColumn => "Unknown column",
            ErrorKind::AmbiguousColumn => "Ambiguous column",
            ErrorKind::UnknownFunction => "Unknown function",
            ErrorKind::Type => "Type error",
            ErrorKind::Unsupported => "Unsupported",
        }
    }
}

/// A 1-based line and column in the query text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: u64,
    pub column: u64,
}

impl Position {
    /// Converts a sqlparser location; its line 0 means "unknown".
    pub(crate) fn from_location(location: sqlparser::tokenizer::Location) -> Option<Position> {
        (location.line > 0).then_some(Position {
            line: location.line,
            column: location.column,
        })
    }
}

/// Where a parsed node starts in the query text.
pub(crate) fn position_of(node: &impl sqlparser::ast::Spanned) -> Option<Position> {
    Position::from_location(node.span().start)
}

pub(crate) fn ident_position(ident: &sqlparser::ast::Ident) -> Option<Position> {
    Position::from_location(ident.span.start)
}

/// An error in an ADQL query, displayed as
/// `Syntax error at line 1, column 18: unexpected 'FORM', expected FROM`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct AdqlError {
    pub kind: ErrorKind,
    pub message: String,
    pub position: Option<Position>,
}

impl AdqlError {
    pub fn new(kind: ErrorKind, message: impl Into<String>, position: Option<Position>) -> Self {
        AdqlError {
            kind,
            message: message.into(),
            position,
        }
    }

    pub(crate) fn syntax(message: impl Into<String>, position: Option<Position>) -> Self {
        AdqlError::new(ErrorKind::Syntax, message, position)
    }
}

impl fmt::Display for AdqlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.kind.label())?;
        if let Some(Position { line, column }) = self.position {
            write!(f, " at line {line}, column {column}")?;
        }
        write!(f, ": {}", self.message)
    }
}
