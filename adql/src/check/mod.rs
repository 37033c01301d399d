//! Checking a parsed query against the catalogue: every name resolved (with "did you mean"
//! suggestions), every expression typed, and the metadata of every output column inferred.

mod expr;
mod geometry;
pub(crate) mod ir;
mod scope;
pub(crate) mod types;
mod units;

use std::collections::HashSet;
use std::sync::Arc;

use sqlparser::ast::{self, Distinct, Expr, Ident, JoinConstraint, JoinOperator, SelectItem};

use crate::ast::Query;
use crate::error::{AdqlError, ErrorKind};
use crate::schema::{OutputColumn, QualifiedName, SchemaLookup, TableInfo};
use crate::suggest::did_you_mean;
use crate::validate::{ident_position, position_of};
use ir::{JoinKind, RExpr, RFrom, ROrder, RQuery, RSelect, RSet, SetOp, Typed};
use scope::{ColumnEntry, Offer, Relation, RelationName, Scopes, matches};
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
                            crate::functions::Func::from_name(&expr::function_name(f)),
                            Some(
                                crate::functions::Func::Min
                                    | crate::functions::Func::Max
                                    | crate::functions::Func::Avg
                                    | crate::functions::Func::Sum
                            )
                        ) =>
                    {
                        match expr::arguments(f).as_slice() {
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
                    (_, None, Expr::Function(f)) => expr::function_name(f).to_lowercase(),
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

    fn joins(
        &mut self,
        mut from: RFrom,
        mut offer: Offer,
        joins: &[ast::Join],
    ) -> Result<(RFrom, Offer)> {
        for join in joins {
            let (right, right_offer) = self.table_factor(&join.relation)?;
            let (kind, constraint) = match &join.join_operator {
                JoinOperator::Join(c) | JoinOperator::Inner(c) => (JoinKind::Inner, c),
                JoinOperator::Left(c) | JoinOperator::LeftOuter(c) => (JoinKind::Left, c),
                JoinOperator::Right(c) | JoinOperator::RightOuter(c) => (JoinKind::Right, c),
                JoinOperator::FullOuter(c) => (JoinKind::Full, c),
                _ => {
                    return Err(AdqlError::syntax(
                        "this kind of join is not ADQL",
                        position_of(&join.relation),
                    ));
                }
            };
            let (on, next) = match constraint {
                JoinConstraint::On(condition) => {
                    let combined = offer.clone().cross(right_offer);
                    self.scopes.stack.push(combined.clone());
                    let on = self.condition(condition);
                    self.scopes.stack.pop();
                    (on?, combined)
                }
                JoinConstraint::Using(names) => {
                    let columns: Vec<Ident> = names
                        .iter()
                        .filter_map(|n| n.0.first().and_then(|p| p.as_ident().cloned()))
                        .collect();
                    self.merge(&offer, right_offer, &columns, kind)?
                }
                JoinConstraint::Natural => {
                    let common: Vec<Ident> = offer
                        .unqualified
                        .iter()
                        .filter(|l| {
                            right_offer
                                .unqualified
                                .iter()
                                .any(|r| r.name.eq_ignore_ascii_case(&l.name))
                        })
                        .map(|l| Ident::with_quote('"', l.name.clone()))
                        .collect();
                    if common.is_empty() {
                        // No common column: the cross product.
                        let one = RExpr::Literal(ir::Literal::Number("1".into()));
                        let always = RExpr::Binary {
                            op: ir::BinOp::Eq,
                            left: Box::new(one.clone()),
                            right: Box::new(one),
                        };
                        (always, offer.clone().cross(right_offer))
                    } else {
                        self.merge(&offer, right_offer, &common, kind)?
                    }
                }
                JoinConstraint::None => {
                    return Err(AdqlError::syntax(
                        "a JOIN needs ON, USING or NATURAL",
                        position_of(&join.relation),
                    ));
                }
            };
            from = RFrom::Join {
                kind,
                left: Box::new(from),
                right: Box::new(right),
                on,
            };
            offer = next;
        }
        Ok((from, offer))
    }

    /// USING / NATURAL: equalities on the common columns, which then appear once.
    fn merge(
        &mut self,
        left: &Offer,
        right: Offer,
        columns: &[Ident],
        kind: JoinKind,
    ) -> Result<(RExpr, Offer)> {
        let mut on: Option<RExpr> = None;
        let mut merged = Vec::new();
        for column in columns {
            let find = |offer: &Offer, side: &str| -> Result<ColumnEntry> {
                let found: Vec<&ColumnEntry> = offer
                    .unqualified
                    .iter()
                    .filter(|c| matches(column, &c.name))
                    .collect();
                match found.as_slice() {
                    [one] => Ok((*one).clone()),
                    [] => Err(AdqlError::new(
                        ErrorKind::UnknownColumn,
                        format!(
                            "USING ({}): the {side} side has no such column{}",
                            column.value,
                            did_you_mean(
                                &column.value,
                                offer.unqualified.iter().map(|c| c.name.as_str())
                            )
                        ),
                        ident_position(column),
                    )),
                    _ => Err(AdqlError::new(
                        ErrorKind::AmbiguousColumn,
                        format!("USING ({}): the {side} side has it twice", column.value),
                        ident_position(column),
                    )),
                }
            };
            let l = find(left, "left")?;
            let r = find(&right, "right")?;
            if !l.ty.compatible(&r.ty) {
                return Err(AdqlError::new(
                    ErrorKind::Type,
                    format!(
                        "USING ({}) joins {} with {}",
                        column.value,
                        l.ty.describe(),
                        r.ty.describe()
                    ),
                    ident_position(column),
                ));
            }
            let equal = RExpr::Binary {
                op: ir::BinOp::Eq,
                left: Box::new(l.expr.clone()),
                right: Box::new(r.expr.clone()),
            };
            on = Some(match on {
                None => equal,
                Some(acc) => RExpr::Binary {
                    op: ir::BinOp::And,
                    left: Box::new(acc),
                    right: Box::new(equal),
                },
            });
            let expr = match kind {
                JoinKind::Inner | JoinKind::Left => l.expr.clone(),
                JoinKind::Right => r.expr.clone(),
                JoinKind::Full => RExpr::Call {
                    name: "coalesce",
                    args: vec![l.expr.clone(), r.expr.clone()],
                },
            };
            merged.push(ColumnEntry::new(scope::ColumnData {
                name: l.name.clone(),
                ty: l.ty.clone(),
                meta: l.meta.clone(),
                expr,
            }));
        }
        let on = on.ok_or_else(|| AdqlError::syntax("USING needs at least one column", None))?;
        Ok((on, left.clone().merge(right, merged)))
    }

    fn table_factor(&mut self, factor: &ast::TableFactor) -> Result<(RFrom, Offer)> {
        match factor {
            ast::TableFactor::Table { name, alias, .. } => {
                let parts: Vec<Ident> = name
                    .0
                    .iter()
                    .filter_map(|p| p.as_ident().cloned())
                    .collect();
                let alias_ident = alias.as_ref().map(|a| a.name.clone());
                if let [single] = parts.as_slice()
                    && let Some(cte) = self.ctes.iter().rev().find(|c| {
                        if single.quote_style.is_some() || c.name.quote_style.is_some() {
                            c.name.value == single.value
                        } else {
                            c.name.value.eq_ignore_ascii_case(&single.value)
                        }
                    })
                {
                    let cte_unique = cte.unique.clone();
                    let outputs = cte.outputs.clone();
                    let base = alias_ident
                        .as_ref()
                        .map(|a| a.value.clone())
                        .unwrap_or_else(|| single.value.clone());
                    let unique = self.unique_alias(&base);
                    let relation = derived_relation(
                        RelationName {
                            alias: Some(alias_ident.unwrap_or_else(|| single.clone())),
                            schema: None,
                            table: single.value.clone(),
                        },
                        &unique,
                        &outputs,
                    );
                    return Ok((
                        RFrom::Cte {
                            name: cte_unique,
                            alias: unique,
                        },
                        Offer::relation(relation),
                    ));
                }
                let info = self.lookup_table(&parts, name)?;
                let base = alias_ident
                    .as_ref()
                    .map(|a| a.value.clone())
                    .unwrap_or_else(|| info.name.table.clone());
                let unique = self.unique_alias(&base);
                let relation_name: Arc<str> = unique.as_str().into();
                let columns = info
                    .columns
                    .into_iter()
                    .map(|c| {
                        ColumnEntry::new(scope::ColumnData {
                            name: c.name.clone(),
                            ty: Ty::from_column(&c.column_type),
                            expr: RExpr::Column {
                                relation: relation_name.clone(),
                                column: c.name.as_str().into(),
                            },
                            meta: Meta::Column(Arc::new(c)),
                        })
                    })
                    .collect();
                let relation = Relation {
                    name: RelationName {
                        alias: alias_ident,
                        schema: info.name.schema.clone(),
                        table: info.name.table.clone(),
                    },
                    columns,
                };
                Ok((
                    RFrom::Table {
                        physical: info.physical.clone(),
                        alias: unique,
                        sky_index: info.sky_index,
                    },
                    Offer::relation(relation),
                ))
            }
            ast::TableFactor::Derived {
                subquery, alias, ..
            } => {
                let Some(alias) = alias else {
                    return Err(AdqlError::syntax(
                        "a subquery in FROM needs a name",
                        position_of(&**subquery),
                    ));
                };
                // A derived table does not see the FROM it stands in (no LATERAL in ADQL).
                let saved = std::mem::take(&mut self.scopes.stack);
                let result = self.query(subquery);
                self.scopes.stack = saved;
                let (query, outputs) = result?;
                let unique = self.unique_alias(&alias.name.value);
                let relation = derived_relation(
                    RelationName {
                        alias: Some(alias.name.clone()),
                        schema: None,
                        table: alias.name.value.clone(),
                    },
                    &unique,
                    &outputs,
                );
                Ok((
                    RFrom::Derived {
                        query: Box::new(query),
                        alias: unique,
                    },
                    Offer::relation(relation),
                ))
            }
            ast::TableFactor::NestedJoin {
                table_with_joins, ..
            } => {
                let (f, o) = self.table_factor(&table_with_joins.relation)?;
                self.joins(f, o, &table_with_joins.joins)
            }
            other => Err(AdqlError::syntax(
                format!("'{other}' is not ADQL"),
                position_of(other),
            )),
        }
    }

    /// Finds a table: the spelling as written first, then by ADQL's case rules.
    fn lookup_table(&mut self, parts: &[Ident], name: &ast::ObjectName) -> Result<TableInfo> {
        let (schema, table) = match parts {
            [table] => (None, table),
            [.., schema, table] => (Some(schema), table),
            [] => return Err(AdqlError::syntax("empty table name", position_of(name))),
        };
        if let Some(info) = self
            .schema
            .table(schema.map(|s| s.value.as_str()), &table.value)
        {
            return Ok(info);
        }
        let schema_source = self.schema;
        let names = self
            .table_names
            .get_or_insert_with(|| schema_source.table_names());
        let found: Vec<&QualifiedName> = names
            .iter()
            .filter(|n| {
                matches(table, &n.table)
                    && match (schema, &n.schema) {
                        (None, _) => true,
                        (Some(s), Some(ns)) => matches(s, ns),
                        (Some(_), None) => false,
                    }
            })
            .collect();
        let display = |n: &QualifiedName| match &n.schema {
            Some(s) => format!("{s}.{}", n.table),
            None => n.table.clone(),
        };
        match found.as_slice() {
            [one] => {
                let one = (*one).clone();
                self.schema
                    .table(one.schema.as_deref(), &one.table)
                    .ok_or_else(|| {
                        AdqlError::new(
                            ErrorKind::UnknownTable,
                            format!("the table {} is listed but cannot be read", display(&one)),
                            position_of(name),
                        )
                    })
            }
            [] => {
                let all: Vec<String> = names.iter().map(display).collect();
                Err(AdqlError::new(
                    ErrorKind::UnknownTable,
                    format!(
                        "no table '{name}'{}",
                        did_you_mean(&name.to_string(), all.iter().map(String::as_str))
                    ),
                    position_of(name),
                ))
            }
            several => {
                let list: Vec<String> = several.iter().map(|n| display(n)).collect();
                Err(AdqlError::new(
                    ErrorKind::UnknownTable,
                    format!("'{name}' could be {}: add the schema", list.join(" or ")),
                    position_of(name),
                ))
            }
        }
    }
}

fn derived_relation(name: RelationName, unique: &str, outputs: &[Out]) -> Relation {
    let relation: Arc<str> = unique.into();
    Relation {
        name,
        columns: outputs
            .iter()
            .map(|o| {
                ColumnEntry::new(scope::ColumnData {
                    name: o.name.clone(),
                    ty: o.ty.clone(),
                    meta: o.meta.clone(),
                    expr: RExpr::Column {
                        relation: relation.clone(),
                        column: o.name.as_str().into(),
                    },
                })
            })
            .collect(),
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
