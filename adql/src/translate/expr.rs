//! Lowering expressions: operators, ADQL functions as DataFusion functions or our UDFs,
//! casts and predicates (geometry is in [`super::geometry`]).

use sqlparser::ast::{
    self, DataType, Expr, FunctionArg, FunctionArgExpr, FunctionArguments, Value,
};

use super::Lower;
use crate::check::ir::{BinOp, CastTo, Literal, RExpr, Typed};
use crate::sql_ast::{self, binary, call, cast, number, quoted, string};

impl Lower {
    pub(super) fn typed(&self, typed: &Typed) -> Expr {
        match (&typed.expr, &typed.ty) {
            (RExpr::GeoPredicate { .. }, _) => cast(self.expr(&typed.expr), DataType::Int(None)),
            _ => self.expr(&typed.expr),
        }
    }

    pub(crate) fn expr(&self, e: &RExpr) -> Expr {
        use ast::BinaryOperator as B;
        match e {
            RExpr::Column { relation, column } => {
                Expr::CompoundIdentifier(vec![quoted(relation), quoted(column)])
            }
            RExpr::Literal(Literal::Number(n)) => number(n.clone()),
            RExpr::Literal(Literal::String(s)) => string(s),
            RExpr::Literal(Literal::Null) => Expr::value(Value::Null),
            RExpr::Negate(inner) => Expr::UnaryOp {
                op: ast::UnaryOperator::Minus,
                expr: Box::new(self.expr(inner)),
            },
            RExpr::Binary { op, left, right } => {
                if let Some(rewritten) = self.geometric_comparison(*op, left, right) {
                    return rewritten;
                }
                let op = match op {
                    BinOp::Plus => B::Plus,
                    BinOp::Minus => B::Minus,
                    BinOp::Multiply => B::Multiply,
                    BinOp::Divide => B::Divide,
                    BinOp::Modulo => B::Modulo,
                    BinOp::Concat => B::StringConcat,
                    BinOp::Eq => B::Eq,
                    BinOp::NotEq => B::NotEq,
                    BinOp::Lt => B::Lt,
                    BinOp::LtEq => B::LtEq,
                    BinOp::Gt => B::Gt,
                    BinOp::GtEq => B::GtEq,
                    BinOp::And => B::And,
                    BinOp::Or => B::Or,
                };
                binary(self.expr(left), op, self.expr(right))
            }
            RExpr::Not(inner) => Expr::UnaryOp {
                op: ast::UnaryOperator::Not,
                expr: Box::new(self.expr(inner)),
            },
            RExpr::Nested(inner) => Expr::Nested(Box::new(self.expr(inner))),
            RExpr::Call { name, args } | RExpr::Udf { name, args } => {
                call(name, args.iter().map(|a| self.expr(a)).collect())
            }
            RExpr::Aggregate {
                name,
                distinct,
                args,
            } => {
                let args: Vec<FunctionArg> = if args.is_empty() {
                    vec![FunctionArg::Unnamed(FunctionArgExpr::Wildcard)]
                } else {
                    args.iter()
                        .map(|a| FunctionArg::Unnamed(FunctionArgExpr::Expr(self.expr(a))))
                        .collect()
                };
                let mut function = sql_ast::function(name, vec![]);
                function.args = FunctionArguments::List(ast::FunctionArgumentList {
                    duplicate_treatment: distinct.then_some(ast::DuplicateTreatment::Distinct),
                    args,
                    clauses: vec![],
                });
                Expr::Function(function)
            }
            RExpr::Cast { expr, to } => {
                let inner = self.expr(expr);
                let data_type = match to {
                    CastTo::SmallInt => DataType::SmallInt(None),
                    CastTo::Integer => DataType::Int(None),
                    CastTo::BigInt => DataType::BigInt(None),
                    CastTo::Real => DataType::Real,
                    CastTo::Double => DataType::Double(ast::ExactNumberInfo::None),
                    CastTo::String => DataType::Varchar(None),
                    CastTo::Timestamp => DataType::Timestamp(None, ast::TimezoneInfo::None),
                    CastTo::Point | CastTo::Circle | CastTo::Polygon => {
                        let kind = match to {
                            CastTo::Point => "point",
                            CastTo::Circle => "circle",
                            _ => "polygon",
                        };
                        return call(crate::udf::GEOMETRY_FROM_TEXT, vec![inner, string(kind)]);
                    }
                };
                cast(inner, data_type)
            }
            RExpr::Like {
                negated,
                case_insensitive,
                expr,
                pattern,
            } => {
                let (expr, pattern) = (Box::new(self.expr(expr)), Box::new(self.expr(pattern)));
                if *case_insensitive {
                    Expr::ILike {
                        negated: *negated,
                        any: false,
                        expr,
                        pattern,
                        escape_char: None,
                    }
                } else {
                    Expr::Like {
                        negated: *negated,
                        any: false,
                        expr,
                        pattern,
                        escape_char: None,
                    }
                }
            }
            RExpr::Between {
                negated,
                expr,
                low,
                high,
            } => Expr::Between {
                expr: Box::new(self.expr(expr)),
                negated: *negated,
                low: Box::new(self.expr(low)),
                high: Box::new(self.expr(high)),
            },
            RExpr::InList {
                negated,
                expr,
                list,
            } => Expr::InList {
                expr: Box::new(self.expr(expr)),
                list: list.iter().map(|e| self.expr(e)).collect(),
                negated: *negated,
            },
            RExpr::InSubquery {
                negated,
                expr,
                query,
            } => Expr::InSubquery {
                expr: Box::new(self.expr(expr)),
                subquery: Box::new(self.query(query, None)),
                negated: *negated,
            },
            RExpr::Exists { negated, query } => Expr::Exists {
                subquery: Box::new(self.query(query, None)),
                negated: *negated,
            },
            RExpr::IsNull { negated, expr } => {
                let inner = Box::new(self.expr(expr));
                if *negated {
                    Expr::IsNotNull(inner)
                } else {
                    Expr::IsNull(inner)
                }
            }
            RExpr::OutputName(name) => Expr::Identifier(quoted(name)),
            RExpr::Position(n) => number(n.to_string()),
            geometric => self.geometry(geometric),
        }
    }
}
