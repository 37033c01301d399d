//! Lowering a checked query to DataFusion's SQL AST (sqlparser `Statement`), ready for
//! `SqlToRel`/`statement_to_plan` with DataFusion's default (generic) dialect conventions:
//! every identifier quoted with its exact physical name, every select item aliased with its
//! output name, TOP as LIMIT, ADQL functions as DataFusion functions or our UDFs
//! ([`crate::udf`]). Nothing is pasted into SQL text.
//!
//! ADQL semantics kept where engines differ: LOG is the natural logarithm (DataFusion `ln`),
//! TRUNCATE is `trunc`, MOD is `%` (sign of the dividend, as ADQL 2.1 §2.3 requires), integer
//! division truncates towards zero as in SQL-92 and PostgreSQL, strings compare by code point.

mod expr;
mod from;
mod geometry;
mod sky;

use sqlparser::ast::{self, DataType, Expr, SelectItem, SetExpr, Statement, TableAlias};

use crate::check::CheckedQuery;
use crate::check::ir::{RExpr, RFrom, ROrder, RQuery, RSelect, RSet, SetOp, Typed};
use crate::check::types::Ty;
use crate::schema::QualifiedName;
use crate::sql_ast::{and, cast, empty_select, limit_clause, plain_query, quoted, table_alias};

/// Options of [`CheckedQuery::translate`].
#[derive(Debug, Clone, Copy)]
pub struct TranslateOptions {
    /// The most rows the result may have (the caller's MAXREC, or MAXREC + 1 to detect
    /// overflow); combined with TOP by taking the smaller.
    pub max_rows: Option<u64>,
    /// Rewrite positional constraints on HEALPix-indexed tables into index range predicates
    /// (and crossmatches into bucketed equi-joins). On by default.
    pub sky_index: bool,
}

impl Default for TranslateOptions {
    fn default() -> Self {
        TranslateOptions {
            max_rows: None,
            sky_index: true,
        }
    }
}

/// A translated query, with what an engine may want to know about how much it will read.
#[derive(Debug, Clone)]
pub struct Translation {
    pub statement: Statement,
    /// Set when the outermost SELECT reads only a little of its one table.
    pub narrowed: Option<Narrowed>,
}

/// How little of its one table a query reads, when the translator can tell.
#[derive(Debug, Clone, PartialEq)]
pub enum Narrowed {
    /// Rows within sky index ranges covering this fraction of the sky (about the fraction of
    /// the rows, for an evenly spread catalogue).
    Sky {
        table: QualifiedName,
        sky_fraction: f64,
    },
    /// The first `rows` rows in file order: columns only, no condition, grouping or ordering.
    FirstRows { rows: u64 },
}

impl CheckedQuery {
    /// The query as a DataFusion-ready SQL statement.
    pub fn translate(&self, options: &TranslateOptions) -> Statement {
        self.translation(options).statement
    }

    /// The query as a DataFusion-ready SQL statement, and what the sky index narrows it to.
    pub fn translation(&self, options: &TranslateOptions) -> Translation {
        let lower = Lower { options: *options };
        let (query, narrowed) = lower.query_reading(&self.resolved, options.max_rows);
        Translation {
            statement: Statement::Query(Box::new(query)),
            narrowed,
        }
    }
}

pub(crate) struct Lower {
    options: TranslateOptions,
}

fn smaller(a: Option<u64>, b: Option<u64>) -> Option<u64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, None) => a,
        (None, b) => b,
    }
}

/// A plain `SELECT TOP n columns FROM table` stops after its first rows.
fn first_rows(select: &RSelect, limit: Option<u64>, offset: Option<u64>) -> Option<Narrowed> {
    let plain = matches!(select.from.as_slice(), [RFrom::Table { .. }])
        && !select.distinct
        && select.selection.is_none()
        && select.group_by.is_empty()
        && select.having.is_none()
        && select
            .items
            .iter()
            .all(|(typed, _)| matches!(typed.expr, RExpr::Column { .. }));
    plain.then_some(())?;
    Some(Narrowed::FirstRows {
        rows: limit?.saturating_add(offset.unwrap_or(0)),
    })
}

impl Lower {
    /// A query; `max_rows` caps the number of rows it returns.
    fn query(&self, query: &RQuery, max_rows: Option<u64>) -> ast::Query {
        self.query_reading(query, max_rows).0
    }

    /// The query, and what the sky index narrows its body to when that is a plain SELECT.
    fn query_reading(
        &self,
        query: &RQuery,
        max_rows: Option<u64>,
    ) -> (ast::Query, Option<Narrowed>) {
        let with = (!query.with.is_empty()).then(|| ast::With {
            with_token: ast::helpers::attached_token::AttachedToken::empty(),
            recursive: false,
            cte_tables: query
                .with
                .iter()
                .map(|(name, q)| ast::Cte {
                    alias: TableAlias {
                        explicit: false,
                        ..table_alias(name)
                    },
                    query: Box::new(self.query(q, None)),
                    from: None,
                    materialized: None,
                    closing_paren_token: ast::helpers::attached_token::AttachedToken::empty(),
                })
                .collect(),
        });
        // TOP of a plain SELECT body becomes this query's LIMIT: ORDER BY, then OFFSET, then
        // TOP (ADQL 2.1 §2.2 and §4.10) is exactly SQL's LIMIT/OFFSET order.
        let (body, top, narrowed) = match &query.body {
            RSet::Select(select) => {
                let (lowered, narrowed) = self.select_reading(select);
                (SetExpr::Select(Box::new(lowered)), select.top, narrowed)
            }
            other => (self.set(other), None, None),
        };
        let order_by = (!query.order_by.is_empty()).then(|| ast::OrderBy {
            kind: ast::OrderByKind::Expressions(
                query.order_by.iter().map(|o| self.order(o)).collect(),
            ),
            interpolate: None,
        });
        let narrowed = match &query.body {
            _ if with.is_some() => None,
            RSet::Select(select) if narrowed.is_none() && query.order_by.is_empty() => {
                first_rows(select, smaller(top, max_rows), query.offset)
            }
            _ => narrowed,
        };
        let query = ast::Query {
            with,
            body: Box::new(body),
            order_by,
            limit_clause: limit_clause(smaller(top, max_rows), query.offset),
            fetch: None,
            locks: vec![],
            for_clause: None,
            settings: None,
            format_clause: None,
            pipe_operators: vec![],
        };
        (query, narrowed)
    }

    fn order(&self, order: &ROrder) -> ast::OrderByExpr {
        ast::OrderByExpr {
            expr: self.expr(&order.key),
            options: ast::OrderByOptions {
                asc: order.asc,
                nulls_first: None,
            },
            with_fill: None,
        }
    }

    fn set(&self, set: &RSet) -> SetExpr {
        match set {
            RSet::Select(select) => {
                let lowered = SetExpr::Select(Box::new(self.select(select)));
                match select.top {
                    // An operand with TOP becomes a parenthesised query with LIMIT.
                    Some(top) => {
                        let mut q = plain_query(lowered);
                        q.limit_clause = limit_clause(Some(top), None);
                        SetExpr::Query(Box::new(q))
                    }
                    None => lowered,
                }
            }
            RSet::Query(q) => SetExpr::Query(Box::new(self.query(q, None))),
            RSet::SetOp {
                op,
                all,
                left,
                right,
            } => SetExpr::SetOperation {
                left: Box::new(self.set(left)),
                op: match op {
                    SetOp::Union => ast::SetOperator::Union,
                    SetOp::Except => ast::SetOperator::Except,
                    SetOp::Intersect => ast::SetOperator::Intersect,
                },
                set_quantifier: if *all {
                    ast::SetQuantifier::All
                } else {
                    ast::SetQuantifier::None
                },
                right: Box::new(self.set(right)),
            },
        }
    }

    fn select(&self, select: &RSelect) -> ast::Select {
        self.select_reading(select).0
    }

    /// The SELECT, and what the sky index narrows it to when it reads one table.
    fn select_reading(&self, select: &RSelect) -> (ast::Select, Option<Narrowed>) {
        let mut selection = select.selection.as_ref().map(|s| self.expr(s));
        let from = match (select.from.as_slice(), &select.selection) {
            // FROM a, b WHERE <crossmatch>: a bucketed join rather than a cross product.
            ([left, right], Some(condition)) => match self.bucket_join(left, right, condition) {
                Some((directions, bucket)) => {
                    let mut table = self.from(left);
                    table.joins.push(directions);
                    table.joins.push(ast::Join {
                        relation: self.factor(right),
                        global: false,
                        join_operator: ast::JoinOperator::Inner(ast::JoinConstraint::On(bucket)),
                    });
                    vec![table]
                }
                None => select.from.iter().map(|f| self.from(f)).collect(),
            },
            _ => select.from.iter().map(|f| self.from(f)).collect(),
        };
        let mut sky_fraction: Option<f64> = None;
        if self.options.sky_index
            && let Some(condition) = &select.selection
        {
            for p in sky::prune(select, condition) {
                selection = selection.map(|s| and(p.predicate, s));
                sky_fraction = Some(sky_fraction.map_or(p.sky_fraction, |f| p.sky_fraction.min(f)));
            }
        }
        // Through a join the other side may read anything.
        let narrowed = match (select.from.as_slice(), sky_fraction) {
            ([RFrom::Table { physical, .. }], Some(sky_fraction)) => Some(Narrowed::Sky {
                table: physical.clone(),
                sky_fraction,
            }),
            _ => None,
        };
        let projection = select
            .items
            .iter()
            .map(|(typed, name)| SelectItem::ExprWithAlias {
                expr: self.output(typed),
                alias: quoted(name),
            })
            .collect();
        let lowered = ast::Select {
            distinct: select.distinct.then_some(ast::Distinct::Distinct),
            projection,
            from,
            selection,
            group_by: ast::GroupByExpr::Expressions(
                select.group_by.iter().map(|g| self.expr(g)).collect(),
                vec![],
            ),
            having: select.having.as_ref().map(|h| self.expr(h)),
            ..empty_select()
        };
        (lowered, narrowed)
    }

    /// A select item, cast to its inferred type when computed so that the result schema
    /// matches the metadata reported for it.
    fn output(&self, typed: &Typed) -> Expr {
        let expr = self.typed(typed);
        let target = match typed.ty {
            _ if matches!(typed.expr, RExpr::Column { .. }) => None,
            Ty::Null | Ty::String => Some(DataType::Varchar(None)),
            Ty::SmallInt => Some(DataType::SmallInt(None)),
            Ty::Integer => Some(DataType::Int(None)),
            Ty::BigInt => Some(DataType::BigInt(None)),
            Ty::Real => Some(DataType::Real),
            Ty::Double => Some(DataType::Double(ast::ExactNumberInfo::None)),
            _ => None,
        };
        match target {
            Some(data_type) => cast(expr, data_type),
            None => expr,
        }
    }
}
