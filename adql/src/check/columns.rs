//! Resolving column names through the scopes of the query and its enclosing queries, with
//! "did you mean" suggestions when a name is unknown or ambiguous.

use sqlparser::ast::Ident;

use super::Checker;
use super::scope::{ColumnEntry, matches};
use crate::error::{AdqlError, ErrorKind, ident_position};
use crate::suggest::did_you_mean;

type Result<T> = std::result::Result<T, AdqlError>;

impl Checker<'_> {
    /// Whether a (possibly qualified) name refers to some column in scope, without building
    /// the error (with its suggestions) that [`Checker::column`] would.
    pub(crate) fn has_column(&self, parts: &[Ident]) -> bool {
        let Some((column, qualifier)) = parts.split_last() else {
            return false;
        };
        self.scopes.stack.iter().any(|offer| {
            if qualifier.is_empty() {
                offer.unqualified.iter().any(|c| matches(column, &c.name))
            } else {
                offer.relations.iter().any(|r| {
                    r.name.answers_to(qualifier)
                        && r.columns.iter().any(|c| matches(column, &c.name))
                })
            }
        })
    }

    /// The column a (possibly qualified) name refers to, searching enclosing queries too.
    pub(crate) fn column(&self, parts: &[Ident]) -> Result<ColumnEntry> {
        let Some((column, qualifier)) = parts.split_last() else {
            return Err(AdqlError::syntax("empty column name", None));
        };
        let at = ident_position(&parts[0]);
        if qualifier.is_empty() {
            for offer in self.scopes.stack.iter().rev() {
                let found: Vec<&ColumnEntry> = offer
                    .unqualified
                    .iter()
                    .filter(|c| matches(column, &c.name))
                    .collect();
                match found.as_slice() {
                    [] => continue,
                    [one] => return Ok((*one).clone()),
                    _ => {
                        let tables: Vec<String> = offer
                            .relations
                            .iter()
                            .filter(|r| r.columns.iter().any(|c| matches(column, &c.name)))
                            .map(|r| r.name.display())
                            .collect();
                        return Err(AdqlError::new(
                            ErrorKind::AmbiguousColumn,
                            format!(
                                "'{}' is a column of {}: qualify it, e.g. {}.{}",
                                column.value,
                                tables.join(" and "),
                                tables.first().map(String::as_str).unwrap_or("t"),
                                column.value
                            ),
                            at,
                        ));
                    }
                }
            }
            let candidates: Vec<&str> = self
                .scopes
                .stack
                .iter()
                .flat_map(|o| o.unqualified.iter().map(|c| c.name.as_str()))
                .collect();
            return Err(AdqlError::new(
                ErrorKind::UnknownColumn,
                format!(
                    "no column '{}' in the tables of FROM{}",
                    column.value,
                    did_you_mean(&column.value, candidates)
                ),
                at,
            ));
        }
        for offer in self.scopes.stack.iter().rev() {
            let Some(relation) = offer
                .relations
                .iter()
                .find(|r| r.name.answers_to(qualifier))
            else {
                continue;
            };
            return match relation.columns.iter().find(|c| matches(column, &c.name)) {
                Some(entry) => Ok(entry.clone()),
                None => Err(AdqlError::new(
                    ErrorKind::UnknownColumn,
                    format!(
                        "{} has no column '{}'{}",
                        relation.name.display(),
                        column.value,
                        did_you_mean(
                            &column.value,
                            relation.columns.iter().map(|c| c.name.as_str())
                        )
                    ),
                    ident_position(column),
                )),
            };
        }
        let written: Vec<&str> = qualifier.iter().map(|i| i.value.as_str()).collect();
        let known: Vec<String> = self
            .scopes
            .stack
            .iter()
            .flat_map(|o| o.relations.iter().map(|r| r.name.display()))
            .collect();
        Err(AdqlError::new(
            ErrorKind::UnknownTable,
            format!(
                "'{}' is not a table or alias of FROM{}",
                written.join("."),
                did_you_mean(&written.join("."), known.iter().map(String::as_str))
            ),
            at,
        ))
    }
}
