//! Name resolution: the relations a SELECT sees and the columns they offer (ADQL 2.1 §2.1.7:
//! regular identifiers match case-insensitively, delimited ones exactly).

use std::sync::Arc;

use sqlparser::ast::Ident;

use crate::check::ir::RExpr;
use crate::check::types::{Meta, Ty};

/// Whether a name written in the query matches a catalogue name.
pub fn matches(written: &Ident, actual: &str) -> bool {
    if written.quote_style.is_some() {
        name_of(written) == actual
    } else {
        written.value.eq_ignore_ascii_case(actual)
    }
}

/// The name an identifier stands for (delimited ones have their doubled quotes undone).
pub fn name_of(ident: &Ident) -> String {
    match ident.quote_style {
        Some(q) => crate::parse::unescape(&ident.value, q),
        None => ident.value.clone(),
    }
}

/// A column as a scope offers it, shared between the lists of a scope.
pub type ColumnEntry = Arc<ColumnData>;

#[derive(Debug)]
pub struct ColumnData {
    pub name: String,
    pub ty: Ty,
    pub meta: Meta,
    /// How translation refers to it.
    pub expr: RExpr,
}

/// How a relation is named in the query: by its alias, else by its (schema-qualified) name.
#[derive(Debug, Clone)]
pub struct RelationName {
    pub alias: Option<Ident>,
    pub schema: Option<String>,
    pub table: String,
}

impl RelationName {
    /// Whether `qualifier` (the parts before the column name) designates this relation.
    pub fn answers_to(&self, qualifier: &[Ident]) -> bool {
        if let Some(alias) = &self.alias {
            return match qualifier {
                [single] => {
                    // An alias is a name the user wrote: compare the two spellings by ADQL rules.
                    if single.quote_style.is_some() || alias.quote_style.is_some() {
                        single.value == alias.value
                    } else {
                        single.value.eq_ignore_ascii_case(&alias.value)
                    }
                }
                _ => false,
            };
        }
        match qualifier {
            [table] => matches(table, &self.table),
            [.., schema, table] => {
                matches(table, &self.table)
                    && self.schema.as_deref().is_some_and(|s| matches(schema, s))
            }
            [] => false,
        }
    }

    pub fn display(&self) -> String {
        match (&self.alias, &self.schema) {
            (Some(alias), _) => alias.value.clone(),
            (None, Some(schema)) => format!("{schema}.{}", self.table),
            (None, None) => self.table.clone(),
        }
    }
}

/// One table, derived table or CTE reference in FROM.
#[derive(Debug, Clone)]
pub struct Relation {
    pub name: RelationName,
    pub columns: Vec<ColumnEntry>,
}

/// What a FROM clause (or one of its joins) offers.
#[derive(Debug, Clone, Default)]
pub struct Offer {
    pub relations: Vec<Relation>,
    /// Columns in `*` order (USING/NATURAL columns once, first).
    pub star: Vec<ColumnEntry>,
    /// Columns an unqualified name may refer to.
    pub unqualified: Vec<ColumnEntry>,
}

impl Offer {
    pub fn relation(relation: Relation) -> Offer {
        Offer {
            star: relation.columns.clone(),
            unqualified: relation.columns.clone(),
            relations: vec![relation],
        }
    }

    /// The cross product (a comma, or a join with ON).
    pub fn cross(mut self, other: Offer) -> Offer {
        self.relations.extend(other.relations);
        self.star.extend(other.star);
        self.unqualified.extend(other.unqualified);
        self
    }

    /// A join on common columns: `merged` replaces, by name, the columns of both sides.
    pub fn merge(self, other: Offer, merged: Vec<ColumnEntry>) -> Offer {
        let is_merged =
            |c: &ColumnEntry| merged.iter().any(|m| m.name.eq_ignore_ascii_case(&c.name));
        let mut star = merged.clone();
        star.extend(self.star.iter().filter(|c| !is_merged(c)).cloned());
        star.extend(other.star.iter().filter(|c| !is_merged(c)).cloned());
        let mut unqualified = merged.clone();
        unqualified.extend(self.unqualified.iter().filter(|c| !is_merged(c)).cloned());
        unqualified.extend(other.unqualified.iter().filter(|c| !is_merged(c)).cloned());
        let mut relations = self.relations;
        relations.extend(other.relations);
        Offer {
            relations,
            star,
            unqualified,
        }
    }
}

/// The scopes of a SELECT and of the queries around it (for correlated subqueries).
#[derive(Debug, Default)]
pub struct Scopes {
    pub stack: Vec<Offer>,
}
