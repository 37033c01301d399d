//! Lowering FROM: tables under their physical names, CTEs, derived tables and joins, and the
//! bucketed equi-join that a crossmatch of two sky-indexed tables becomes.

use sqlparser::ast::{self, Expr, ObjectName, SetExpr, TableAlias, TableFactor, TableWithJoins};

use super::{Lower, sky};
use crate::check::ir::{JoinKind, RExpr, RFrom};
use crate::sql_ast::{and, binary, call, number, plain_query, quoted, table_alias, table_factor};

impl Lower {
    /// A FROM item with its joins; crossmatch joins become bucketed equi-joins.
    pub(super) fn from(&self, item: &RFrom) -> TableWithJoins {
        let RFrom::Join {
            kind,
            left,
            right,
            on,
        } = item
        else {
            return TableWithJoins {
                relation: self.factor(item),
                joins: vec![],
            };
        };
        let mut table = self.from(left);
        let right_table = self.from(right);
        let relation = if right_table.joins.is_empty() {
            right_table.relation
        } else {
            TableFactor::NestedJoin {
                table_with_joins: Box::new(right_table),
                alias: None,
            }
        };
        let mut condition = self.expr(on);
        if *kind == JoinKind::Inner
            && let Some((directions, bucket)) = self.bucket_join(left, right, on)
        {
            table.joins.push(directions);
            condition = and(bucket, Expr::Nested(Box::new(condition)));
        }
        let constraint = ast::JoinConstraint::On(condition);
        let join_operator = match kind {
            JoinKind::Inner => ast::JoinOperator::Inner(constraint),
            JoinKind::Left => ast::JoinOperator::LeftOuter(constraint),
            JoinKind::Right => ast::JoinOperator::RightOuter(constraint),
            JoinKind::Full => ast::JoinOperator::FullOuter(constraint),
        };
        table.joins.push(ast::Join {
            relation,
            global: false,
            join_operator,
        });
        table
    }

    /// For a crossmatch of two indexed tables: the cross join with the 9 directions and the
    /// equality of buckets (see [`sky::Crossmatch`]).
    pub(super) fn bucket_join(
        &self,
        left: &RFrom,
        right: &RFrom,
        condition: &RExpr,
    ) -> Option<(ast::Join, Expr)> {
        if !self.options.sky_index {
            return None;
        }
        let (
            RFrom::Table {
                alias: a,
                sky_index: Some(ia),
                ..
            },
            RFrom::Table {
                alias: b,
                sky_index: Some(ib),
                ..
            },
        ) = (left, right)
        else {
            return None;
        };
        let sky::Crossmatch { order } = sky::crossmatch(condition, (a, ia), (b, ib))?;
        let directions_alias = format!("{a}_{b}_direction");
        let rows = (0..9)
            .map(|d| ast::Parens {
                opening_token: ast::helpers::attached_token::AttachedToken::empty(),
                content: vec![number(d.to_string())],
                closing_token: ast::helpers::attached_token::AttachedToken::empty(),
            })
            .collect();
        let values = plain_query(SetExpr::Values(ast::Values {
            explicit_row: false,
            value_keyword: false,
            rows,
        }));
        let directions = ast::Join {
            relation: TableFactor::Derived {
                lateral: false,
                subquery: Box::new(values),
                alias: Some(TableAlias {
                    explicit: true,
                    name: quoted(&directions_alias),
                    columns: vec![ast::TableAliasColumnDef {
                        name: quoted("direction"),
                        data_type: None,
                    }],
                    at: None,
                }),
                sample: None,
            },
            global: false,
            join_operator: ast::JoinOperator::CrossJoin(ast::JoinConstraint::None),
        };
        let bucket = |alias: &str, index: &crate::schema::SkyIndex| {
            let column =
                Expr::CompoundIdentifier(vec![quoted(alias), quoted(&index.healpix_column)]);
            let cells = 1u64 << (2 * u32::from(index.order - order));
            if cells == 1 {
                column
            } else {
                Expr::Nested(Box::new(binary(
                    column,
                    ast::BinaryOperator::Divide,
                    number(cells.to_string()),
                )))
            }
        };
        let neighbour = call(
            crate::udf::HEALPIX_NEIGHBOUR,
            vec![
                number(order.to_string()),
                bucket(a, ia),
                Expr::CompoundIdentifier(vec![quoted(&directions_alias), quoted("direction")]),
            ],
        );
        let equal = binary(bucket(b, ib), ast::BinaryOperator::Eq, neighbour);
        Some((directions, equal))
    }

    pub(super) fn factor(&self, item: &RFrom) -> TableFactor {
        match item {
            RFrom::Table {
                physical, alias, ..
            } => {
                let mut parts = Vec::new();
                if let Some(schema) = &physical.schema {
                    parts.push(quoted(schema));
                }
                parts.push(quoted(&physical.table));
                table_factor(ObjectName::from(parts), alias)
            }
            RFrom::Cte { name, alias } => table_factor(ObjectName::from(vec![quoted(name)]), alias),
            RFrom::Derived { query, alias } => TableFactor::Derived {
                lateral: false,
                subquery: Box::new(self.query(query, None)),
                alias: Some(table_alias(alias)),
                sample: None,
            },
            RFrom::Join { .. } => TableFactor::NestedJoin {
                table_with_joins: Box::new(self.from(item)),
                alias: None,
            },
        }
    }
}
