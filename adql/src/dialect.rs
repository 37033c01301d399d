//! The ADQL dialect for sqlparser: ADQL's characters, identifiers and literals (ADQL 2.1 §2.1).
//! Whatever the tokenizer and parser still let through that ADQL does not have is refused by
//! [`crate::validate`].

use sqlparser::dialect::Dialect;

#[derive(Debug, Default, Clone, Copy)]
pub struct AdqlDialect;

impl Dialect for AdqlDialect {
    /// Regular identifiers begin with a Latin letter (§2.1.5).
    fn is_identifier_start(&self, ch: char) -> bool {
        ch.is_ascii_alphabetic()
    }

    /// ... and go on with Latin letters, digits or underscores (§2.1.5).
    fn is_identifier_part(&self, ch: char) -> bool {
        ch.is_ascii_alphanumeric() || ch == '_'
    }

    /// Delimited identifiers use double quotes only (§2.1.6).
    fn is_delimited_identifier_start(&self, ch: char) -> bool {
        ch == '"'
    }

    fn identifier_quote_style(&self, _identifier: &str) -> Option<char> {
        Some('"')
    }

    /// `TOP` follows `ALL`/`DISTINCT` (§2.2: `SELECT [ALL|DISTINCT] [TOP n]`).
    fn supports_top_before_distinct(&self) -> bool {
        false
    }

    /// `TRUE` and `FALSE` are reserved words, not literals (§2.1.3).
    fn supports_boolean_literals(&self) -> bool {
        false
    }

    fn supports_nested_comments(&self) -> bool {
        false
    }

    fn supports_filter_during_aggregation(&self) -> bool {
        false
    }

    fn supports_string_literal_backslash_escape(&self) -> bool {
        false
    }

    fn supports_numeric_literal_underscores(&self) -> bool {
        false
    }

    fn supports_left_associative_joins_without_parens(&self) -> bool {
        true
    }
}
