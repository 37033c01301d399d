//! Checking a parsed query against the catalogue: every name resolved (with "did you mean"
//! suggestions), every expression typed, and the metadata of every output column inferred.

mod columns;
mod condition;
mod expr;
mod from;
mod function;
mod geometry;
pub(crate) mod ir;
mod scope;
pub(crate) mod types;
mod units;

use std::collections::HashSet;

use sqlparser::ast::{self, Distinct, Expr, Ident, SelectItem};

use crate::ast::Query;
use crate::error::{AdqlError, ErrorKind, position_of};
use crate::schema::{OutputColumn, QualifiedName, SchemaLookup};
use crate::sql_ast::{arguments, function_name};
use crate::suggest::did_you_mean;
use ir::{RExpr, ROrder, RQuery, RSelect, RSet, SetOp, Typed};
use scope::{ColumnEntry, Offer, Scopes, matches};
use types::{Meta, Ty};

type Result<T> = std::result::Result<T, AdqlError>;

/// A query whose names are resolved and whose output columns are described.
#[derive(Debug, Clone)]
pub struct CheckedQuery {
    pub(crate) query: Query,
    pub(crate) resolved: RQuery,
    pub(crate) columns: Vec<OutputColumn>,
}

impl CheckedQuery {
    /// The output columns, in order, with unique names and their metadata.
    pub fn columns(&self) -> &[OutputColumn] {
        &self.columns
    }

    /// The ADQL query that was checked.
    pub fn query(&self) -> &Query {
        &self.query
    }
}

/// Resolves every name of `query` against `schema` and infers the output columns.
pub fn check(query: &Query, schema: &dyn SchemaLookup) -> Result<CheckedQuery> {
    let mut checker = Checker {
        schema,
        scopes: Scopes::default(),
        aliases: HashSet::new(),
        ctes: Vec::new(),
        table_names: None,
    };
    let (resolved, outputs) = checker.query(query.sql_ast())?;
    let columns = outputs
        .iter()
        .map(|o| o.meta.output(o.name.clone(), &o.ty))
        .collect();
    Ok(CheckedQuery {
        query: query.clone(),
        resolved,
        columns,
    })
}

/// An output column while checking.
#[derive(Debug, Clone)]
pub(crate) struct Out {
    pub name: String,
    pub ty: Ty,
    pub meta: Meta,
}

/// A common table expression in scope.
struct Cte {
    name: Ident,
    unique: String,
    outputs: Vec<Out>,
}

pub(crate) struct Checker<'a> {
    schema: &'a dyn SchemaLookup,
    pub(crate) scopes: Scopes,
    aliases: HashSet<String>,
    ctes: Vec<Cte>,
    table_names: Option<Vec<QualifiedName>>,
}

impl Checker<'_> {
    /// A relation alias no other relation of the query uses.
    fn unique_alias(&mut self, base: &str) -> String {
        let mut candidate = base.to_string();
        let mut n = 1;
        while !self.aliases.insert(candidate.to_lowercase()) {
            n += 1;
            candidate = format!("{base}_{n}");
        }
        candidate
    }

    fn query(&mut self, query: &ast::Query) -> Result<(RQuery, Vec<Out>)> {
        let mut with = Vec::new();
        let ctes_before = self.ctes.len();
        if let Some(w) = &query.with {
            for cte in &w.cte_tables {
                let (resolved, outputs) = self.query(&cte.query)?;
                let unique = self.unique_alias(&cte.alias.name.value);
                with.push((unique.clone(), resolved));
                self.ctes.push(Cte {
                    name: cte.alias.name.clone(),
                    unique,
                    outputs,
                });
            }
        }
        let (body, outputs, scope_pushed) = match query.body.as_ref() {
            ast::SetExpr::Select(select) => {
                let (select, outputs) = self.select(select)?;
                (RSet::Select(Box::new(select)), outputs, true)
            }
            other => {
                let (set, outputs) = self.set_expr(other)?;
                (set, outputs, false)
            }
        };
        let mut order_by = Vec::new();
        if let Some(order) = &query.order_by
            && let ast::OrderByKind::Expressions(items) = &order.kind
        {
            for item in items {
                let key = self.order_key(&item.expr, &outputs, scope_pushed)?;
                order_by.push(ROrder {
                    key,
                    asc: item.options.asc,
                });
            }
        }
        if scope_pushed {
            self.scopes.stack.pop();
        }
        let offset = match &query.limit_clause {
            Some(ast::LimitClause::LimitOffset {
                offset: Some(offset),
                ..
            }) => match &offset.value {
                Expr::Value(v) => match &v.value {
                    ast::Value::Number(n, _) => n.parse().ok(),
                    _ => None,
                },
                _ => None,
            },
            _ => None,
        };
        self.ctes.truncate(ctes_before);
        Ok((
            RQuery {
                with,
                body,
                order_by,
                offset,
            },
            outputs,
        ))
    }

    /// A subquery (IN, EXISTS, derived table): sees the enclosing scopes.
    pub(crate) fn subquery(&mut self, query: &ast::Query) -> Result<(RQuery, Vec<Out>)> {
        self.query(query)
    }

    /// ORDER BY: a position, an output name, or (for a plain SELECT) an expression.
    fn order_key(&mut self, e: &Expr, outputs: &[Out], has_scope: bool) -> Result<RExpr> {
        let at = position_of(e);
        if let Expr::Value(v) = e
            && let ast::Value::Number(n, _) = &v.value
        {
            let position: u64 = n.parse().unwrap_or(0);
            if position == 0 || position as usize > outputs.len() {
                return Err(AdqlError::new(
                    ErrorKind::UnknownColumn,
                    format!(
                        "ORDER BY {position}: the query has {} output column(s)",
                        outputs.len()
                    ),
                    at,
                ));
            }
            return Ok(RExpr::Position(position));
        }
        if let Expr::Identifier(ident) = e {
            let named: Vec<&Out> = outputs.iter().filter(|o| matches(ident, &o.name)).collect();
            if let [one] = named.as_slice() {
                // Prefer a column of FROM when the name is both (SQL resolves it that way too).
                let is_input = has_scope && self.has_column(std::slice::from_ref(ident));
                if !is_input {
                    return Ok(RExpr::OutputName(one.name.clone()));
                }
            }
        }
        if !has_scope {
            return Err(AdqlError::new(
                ErrorKind::UnknownColumn,
                format!(
                    "ORDER BY of UNION, EXCEPT or INTERSECT names an output column or position; \
                     '{e}' is neither{}",
                    did_you_mean(&e.to_string(), outputs.iter().map(|o| o.name.as_str()))
                ),
                at,
            ));
        }
        Ok(self.expr(e)?.expr)
    }

    fn set_expr(&mut self, body: &ast::SetExpr) -> Result<(RSet, Vec<Out>)> {
        match body {
            ast::SetExpr::Select(select) => {
                let (select, outputs) = self.select(select)?;
                self.scopes.stack.pop();
                Ok((RSet::Select(Box::new(select)), outputs))
            }
            ast::SetExpr::Query(query) => {
                let (q, outputs) = self.query(query)?;
                Ok((RSet::Query(Box::new(q)), outputs))
            }
            ast::SetExpr::SetOperation {
                left,
                op,
                set_quantifier,
                right,
            } => {
                let at = position_of(body);
                let (l, left_out) = self.set_expr(left)?;
                let (r, right_out) = self.set_expr(right)?;
                if left_out.len() != right_out.len() {
                    return Err(AdqlError::new(
                        ErrorKind::Type,
                        format!(
                            "{op} needs the same number of columns on both sides, not {} and {} \
                             (ADQL 2.1 §4.6)",
                            left_out.len(),
                            right_out.len()
                        ),
                        at,
                    ));
                }
                for (a, b) in left_out.iter().zip(&right_out) {
                    if !a.ty.compatible(&b.ty) {
                        return Err(AdqlError::new(
                            ErrorKind::Type,
                            format!(
                                "{op} pairs column '{}' ({}) with '{}' ({})",
                                a.name,
                                a.ty.describe(),
                                b.name,
                                b.ty.describe()
                            ),
                            at,
                        ));
                    }
                }
                let op = match op {
                    ast::SetOperator::Union => SetOp::Union,
                    ast::SetOperator::Except => SetOp::Except,
                    _ => SetOp::Intersect,
                };
                // Metadata comes from the left operand (ADQL 2.1 §4.6).
                Ok((
                    RSet::SetOp {
                        op,
                        all: *set_quantifier == ast::SetQuantifier::All,
                        left: Box::new(l),
                        right: Box::new(r),
                    },
                    left_out,
                ))
            }
            other => Err(AdqlError::syntax(
                format!("'{other}' is not ADQL"),
                position_of(other),
            )),
        }
    }

    /// Checks a SELECT and leaves its scope on the stack (ORDER BY still needs it).
    fn select(&mut self, select: &ast::Select) -> Result<(RSelect, Vec<Out>)> {
        let mut offer = Offer::default();
        let mut from = Vec::new();
        for table in &select.from {
            let (f, o) = self.table_factor(&table.relation)?;
            let (f, o) = self.joins(f, o, &table.joins)?;
            from.push(f);
            offer = offer.cross(o);
        }
        self.scopes.stack.push(offer);
        let mut items: Vec<(Typed, String, Meta)> = Vec::new();
        for item in &select.projection {
            self.select_item(item, &mut items)?;
        }
        let selection = match &select.selection {
            Some(e) => Some(self.condition(e)?),
            None => None,
        };
        let mut group_by = Vec::new();
        if let ast::GroupByExpr::Expressions(exprs, _) = &select.group_by {
            for e in exprs {
                group_by.push(self.group_key(e, &items)?);
            }
        }
        let having = match &select.having {
            Some(e) => Some(self.condition(e)?),
            None => None,
        };
        let names = unique_names(items.iter().map(|(_, n, _)| n.as_str()));
        let outputs = items
            .iter()
            .zip(&names)
            .map(|((t, _, meta), name)| Out {
                name: name.clone(),
                ty: t.ty.clone(),
                meta: meta.clone(),
            })
            .collect();
        let top = select.top.as_ref().and_then(|t| match t.quantity {
            Some(ast::TopQuantity::Constant(n)) => Some(n),
            _ => None,
        });
        Ok((
            RSelect {
                distinct: matches!(select.distinct, Some(Distinct::Distinct)),
                top,
                items: items.into_iter().map(|(t, _, _)| t).zip(names).collect(),
                from,
                selection,
                group_by,
                having,
            },
            outputs,
        ))
    }

    /// GROUP BY an expression, or a select-list alias when no column has that name.
    fn group_key(&mut self, e: &Expr, items: &[(Typed, String, Meta)]) -> Result<RExpr> {
        if let Expr::Identifier(ident) = e
            && !self.has_column(std::slice::from_ref(ident))
            && let Some((t, _, _)) = items.iter().find(|(_, name, _)| matches(ident, name))
        {
            return Ok(t.expr.clone());
        }
        Ok(self.expr(e)?.expr)
    }

    fn select_item(
        &mut self,
        item: &SelectItem,
        items: &mut Vec<(Typed, String, Meta)>,
    ) -> Result<()> {
        let star = |entries: &[ColumnEntry], items: &mut Vec<(Typed, String, Meta)>| {
            for c in entries {
                items.push((
                    Typed {
                        expr: c.expr.clone(),
                        ty: c.ty.clone(),
                    },
                    c.name.clone(),
                    c.meta.clone(),
                ));
            }
        };
        match item {
            SelectItem::Wildcard(_) => {
                let entries = self
                    .scopes
                    .stack
                    .last()
                    .map(|o| o.star.clone())
                    .unwrap_or_default();
                star(&entries, items);
            }
            SelectItem::QualifiedWildcard(
                ast::SelectItemQualifiedWildcardKind::ObjectName(name),
                _,
            ) => {
                let parts: Vec<Ident> = name
                    .0
                    .iter()
                    .filter_map(|p| p.as_ident().cloned())
                    .collect();
                let offer = self.scopes.stack.last().cloned().unwrap_or_default();
                let Some(relation) = offer.relations.iter().find(|r| r.name.answers_to(&parts))
                else {
                    let known: Vec<String> =
                        offer.relations.iter().map(|r| r.name.display()).collect();
                    return Err(AdqlError::new(
                        ErrorKind::UnknownTable,
                        format!(
                            "'{name}' is not a table or alias of FROM{}",
                            did_you_mean(&name.to_string(), known.iter().map(String::as_str))
                        ),
                        position_of(name),
                    ));
                };
                star(&relation.columns, items);
            }
            SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } => {
                let column = match e {
                    Expr::Identifier(i) => Some(self.column(std::slice::from_ref(i))?),
                    Expr::CompoundIdentifier(parts) => Some(self.column(parts)?),
                    _ => None,
                };
                let aggregated = match e {
                    Expr::Function(f)
                        if matches!(
                            crate::functions::Func::from_name(&function_name(f)),
                            Some(
                                crate::functions::Func::Min
                                    | crate::functions::Func::Max
                                    | crate::functions::Func::Avg
                                    | crate::functions::Func::Sum
                            )
                        ) =>
                    {
                        match arguments(f).as_slice() {
                            [Expr::Identifier(i)] => self.column(std::slice::from_ref(i)).ok(),
                            [Expr::CompoundIdentifier(parts)] => self.column(parts).ok(),
                            _ => None,
                        }
                    }
                    _ => None,
                };
                let t = self.expr(e)?;
                let meta = expr::item_meta(&t, column.as_ref(), aggregated.as_ref());
                let name = match (item, &column, e) {
                    (SelectItem::ExprWithAlias { alias, .. }, _, _) => scope::name_of(alias),
                    (_, Some(c), _) => c.name.clone(),
                    (_, None, Expr::Function(f)) => function_name(f).to_lowercase(),
                    (_, None, Expr::Cast { .. }) => "cast".to_string(),
                    _ => "expr".to_string(),
                };
                items.push((t, name, meta));
            }
            other => {
                return Err(AdqlError::syntax(format!("'{other}' is not ADQL"), None));
            }
        }
        Ok(())
    }
}

/// Output names made unique (case-insensitively) by appending `_2`, `_3`, ...
fn unique_names<'a>(names: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut used: HashSet<String> = HashSet::new();
    let mut result = Vec::new();
    for name in names {
        let mut candidate = name.to_string();
        let mut n = 1;
        while !used.insert(candidate.to_lowercase()) {
            n += 1;
            candidate = format!("{name}_{n}");
        }
        result.push(candidate);
    }
    result
}
