//! Resolving FROM: catalogue tables (by ADQL's case rules), common table expressions,
//! derived tables and joins (ON, USING, NATURAL), each offering its columns to the SELECT.

use std::sync::Arc;

use sqlparser::ast::{self, Ident, JoinConstraint, JoinOperator};

use super::ir::{self, JoinKind, RExpr, RFrom};
use super::scope::{self, ColumnEntry, Offer, Relation, RelationName, matches};
use super::types::{Meta, Ty};
use super::{Checker, Out};
use crate::error::{AdqlError, ErrorKind, ident_position, position_of};
use crate::schema::{QualifiedName, TableInfo};
use crate::suggest::did_you_mean;

type Result<T> = std::result::Result<T, AdqlError>;

impl Checker<'_> {
    /// A FROM item and the joins that follow it, left to right.
    pub(super) fn joins(
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

    pub(super) fn table_factor(&mut self, factor: &ast::TableFactor) -> Result<(RFrom, Offer)> {
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
