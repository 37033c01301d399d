//! Typing search conditions: AND/OR/NOT, comparisons, BETWEEN, IN, EXISTS, IS NULL, LIKE.

use sqlparser::ast::{self, Expr, UnaryOperator};

use super::Checker;
use super::ir::{BinOp, Literal, RExpr, Typed, boxed, typed};
use super::types::{Ty, type_error};
use crate::error::{AdqlError, Position, position_of};

type Result<T> = std::result::Result<T, AdqlError>;

impl Checker<'_> {
    /// A search condition; AND/OR chains are walked without recursion.
    pub(crate) fn condition(&mut self, e: &Expr) -> Result<RExpr> {
        if let Expr::BinaryOp {
            op: op @ (ast::BinaryOperator::And | ast::BinaryOperator::Or),
            ..
        } = e
        {
            // Collect the left-deep chain of this operator, then fold it back.
            let mut operands = Vec::new();
            let mut cursor = e;
            while let Expr::BinaryOp { left, op: o, right } = cursor
                && o == op
            {
                operands.push(&**right);
                cursor = left;
            }
            operands.push(cursor);
            let bin = if *op == ast::BinaryOperator::And {
                BinOp::And
            } else {
                BinOp::Or
            };
            let mut result: Option<RExpr> = None;
            for operand in operands.into_iter().rev() {
                let c = self.condition(operand)?;
                result = Some(match result {
                    None => c,
                    Some(acc) => RExpr::Binary {
                        op: bin,
                        left: Box::new(acc),
                        right: Box::new(c),
                    },
                });
            }
            return result.ok_or_else(|| AdqlError::syntax("empty condition", position_of(e)));
        }
        let at = position_of(e);
        match e {
            Expr::BinaryOp { left, op, right } => self.condition_binary(left, op, right, at),
            Expr::UnaryOp {
                op: UnaryOperator::Not,
                expr,
            } => Ok(RExpr::Not(Box::new(self.condition(expr)?))),
            Expr::Nested(inner) => Ok(RExpr::Nested(Box::new(self.condition(inner)?))),
            Expr::Between {
                expr,
                negated,
                low,
                high,
            } => {
                let v = self.expr(expr)?;
                let lo = self.expr(low)?;
                let hi = self.expr(high)?;
                for bound in [&lo, &hi] {
                    self.comparable(&v, bound, "BETWEEN", at)?;
                }
                Ok(RExpr::Between {
                    negated: *negated,
                    expr: boxed(v),
                    low: boxed(lo),
                    high: boxed(hi),
                })
            }
            Expr::InList {
                expr,
                list,
                negated,
            } => {
                let v = self.expr(expr)?;
                let mut items = Vec::with_capacity(list.len());
                for item in list {
                    let t = self.expr(item)?;
                    self.comparable(&v, &t, "IN", position_of(item))?;
                    items.push(t.expr);
                }
                Ok(RExpr::InList {
                    negated: *negated,
                    expr: boxed(v),
                    list: items,
                })
            }
            Expr::InSubquery {
                expr,
                subquery,
                negated,
            } => {
                let v = self.expr(expr)?;
                let (query, outputs) = self.subquery(subquery)?;
                let [only] = outputs.as_slice() else {
                    return type_error(
                        format!(
                            "the subquery after IN must select one column, not {}",
                            outputs.len()
                        ),
                        at,
                    );
                };
                let column = typed(RExpr::Literal(Literal::Null), only.ty.clone());
                self.comparable(&v, &column, "IN", at)?;
                Ok(RExpr::InSubquery {
                    negated: *negated,
                    expr: boxed(v),
                    query: Box::new(query),
                })
            }
            Expr::Exists { subquery, negated } => {
                let (query, _) = self.subquery(subquery)?;
                Ok(RExpr::Exists {
                    negated: *negated,
                    query: Box::new(query),
                })
            }
            Expr::IsNull(inner) | Expr::IsNotNull(inner) => {
                let v = self.expr(inner)?;
                Ok(RExpr::IsNull {
                    negated: matches!(e, Expr::IsNotNull(_)),
                    expr: boxed(v),
                })
            }
            Expr::Like {
                negated,
                expr,
                pattern,
                ..
            }
            | Expr::ILike {
                negated,
                expr,
                pattern,
                ..
            } => {
                let keyword = if matches!(e, Expr::Like { .. }) {
                    "LIKE"
                } else {
                    "ILIKE"
                };
                let v = self.string(expr, keyword)?;
                let p = self.string(pattern, keyword)?;
                Ok(RExpr::Like {
                    negated: *negated,
                    case_insensitive: matches!(e, Expr::ILike { .. }),
                    expr: boxed(v),
                    pattern: boxed(p),
                })
            }
            other => Err(AdqlError::syntax(
                format!("'{other}' is not a condition"),
                at,
            )),
        }
    }

    fn comparable(&self, a: &Typed, b: &Typed, what: &str, at: Option<Position>) -> Result<()> {
        if a.ty.compatible(&b.ty) && !matches!(a.ty, Ty::Other(_)) {
            Ok(())
        } else {
            type_error(
                format!(
                    "{what} compares {} with {}",
                    a.ty.describe(),
                    b.ty.describe()
                ),
                at,
            )
        }
    }

    pub(super) fn condition_binary(
        &mut self,
        left: &Expr,
        op: &ast::BinaryOperator,
        right: &Expr,
        at: Option<Position>,
    ) -> Result<RExpr> {
        use ast::BinaryOperator as B;
        let bin = match op {
            B::Eq => BinOp::Eq,
            B::NotEq => BinOp::NotEq,
            B::Lt => BinOp::Lt,
            B::LtEq => BinOp::LtEq,
            B::Gt => BinOp::Gt,
            B::GtEq => BinOp::GtEq,
            other => {
                return Err(AdqlError::syntax(
                    format!("'{other}' is not a comparison"),
                    at,
                ));
            }
        };
        let l = self.expr(left)?;
        let r = self.expr(right)?;
        let geometric =
            l.ty.is_geometry() && r.ty.is_geometry() && l.ty != Ty::Null && r.ty != Ty::Null;
        if geometric {
            return type_error(
                "geometries cannot be compared; use CONTAINS or INTERSECTS".into(),
                at,
            );
        }
        self.comparable(&l, &r, &format!("'{op}'"), at)?;
        Ok(RExpr::Binary {
            op: bin,
            left: boxed(l),
            right: boxed(r),
        })
    }
}
