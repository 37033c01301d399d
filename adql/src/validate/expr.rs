//! Validating expressions: values, search conditions and their predicates, CAST targets.

use sqlparser::ast::{
    self, CastKind, CeilFloorKind, DataType, DateTimeField, Expr, ObjectNamePart, UnaryOperator,
    Value,
};

use super::{Context, Result, Validator, refuse};
use crate::error::{Position, position_of};
use crate::sql_ast;

impl Validator<'_> {
    pub(super) fn expr(&self, expr: &mut Expr, context: Context) -> Result {
        let at = position_of(&*expr);
        if context == Context::Condition {
            return self.condition(expr);
        }
        match expr {
            Expr::Identifier(ident) => self.ident(ident),
            Expr::CompoundIdentifier(idents) => {
                if idents.len() > 4 {
                    return refuse("a column name has at most 4 parts", at);
                }
                idents.iter().try_for_each(|i| self.ident(i))
            }
            Expr::Value(v) => match &v.value {
                Value::Number(_, false) | Value::SingleQuotedString(_) | Value::Null => Ok(()),
                other => refuse(format!("{other} is not an ADQL literal"), at),
            },
            Expr::UnaryOp { op, expr: inner } => match op {
                UnaryOperator::Plus | UnaryOperator::Minus => {
                    // `- -2` would print as `--2`, a comment: keep the inner sign in parentheses.
                    if *op == UnaryOperator::Minus
                        && matches!(
                            **inner,
                            Expr::UnaryOp {
                                op: UnaryOperator::Minus,
                                ..
                            }
                        )
                    {
                        let signed = std::mem::replace(&mut **inner, Expr::value(Value::Null));
                        **inner = Expr::Nested(Box::new(signed));
                    }
                    self.expr(inner, Context::Value)
                }
                _ => refuse(format!("the operator {op} is not ADQL"), at),
            },
            Expr::BinaryOp { left, op, right } => {
                use ast::BinaryOperator as B;
                match op {
                    B::Plus | B::Minus | B::Multiply | B::Divide | B::StringConcat => {
                        self.expr(left, Context::Value)?;
                        self.expr(right, Context::Value)
                    }
                    B::Eq | B::NotEq | B::Lt | B::LtEq | B::Gt | B::GtEq | B::And | B::Or => {
                        refuse(
                            format!("a condition ({op}) cannot stand where a value is expected"),
                            at,
                        )
                    }
                    _ => refuse(format!("the operator {op} is not ADQL"), at),
                }
            }
            Expr::Nested(inner) => self.expr(inner, Context::Value),
            Expr::Function(function) => self.function(function),
            Expr::Floor { expr: inner, field } => {
                if !matches!(
                    field,
                    CeilFloorKind::DateTimeField(DateTimeField::NoDateTime)
                ) {
                    return refuse("FLOOR takes one argument", at);
                }
                self.expr(inner, Context::Value)?;
                let argument = std::mem::replace(&mut **inner, Expr::value(Value::Null));
                *expr = Expr::Function(sql_ast::function("FLOOR", vec![argument]));
                Ok(())
            }
            Expr::Cast {
                kind,
                expr: inner,
                data_type,
                array,
                format,
            } => {
                if *kind != CastKind::Cast || *array || format.is_some() {
                    return refuse("only CAST(x AS type) is ADQL", at);
                }
                if !self.version().supports_cast() {
                    return refuse("CAST needs ADQL 2.1", at);
                }
                cast_target(data_type, at)?;
                self.expr(inner, Context::Value)
            }
            Expr::Like { .. }
            | Expr::ILike { .. }
            | Expr::Between { .. }
            | Expr::InList { .. }
            | Expr::InSubquery { .. }
            | Expr::Exists { .. }
            | Expr::IsNull(_)
            | Expr::IsNotNull(_) => {
                refuse("a condition cannot stand where a value is expected", at)
            }
            Expr::Subquery(_) => refuse("a subquery can only follow IN or EXISTS in ADQL", at),
            other => refuse(format!("'{other}' is not ADQL"), at),
        }
    }

    /// Walks AND/OR/NOT chains with an explicit stack (long generated conditions must not
    /// exhaust the call stack), checking each predicate.
    fn condition(&self, expr: &mut Expr) -> Result {
        let mut pending = vec![expr];
        while let Some(expr) = pending.pop() {
            match expr {
                Expr::BinaryOp {
                    left,
                    op: ast::BinaryOperator::And | ast::BinaryOperator::Or,
                    right,
                } => {
                    pending.push(right);
                    pending.push(left);
                }
                Expr::UnaryOp {
                    op: UnaryOperator::Not,
                    expr: inner,
                }
                | Expr::Nested(inner) => pending.push(inner),
                predicate => self.predicate(predicate)?,
            }
        }
        Ok(())
    }

    fn predicate(&self, expr: &mut Expr) -> Result {
        let at = position_of(&*expr);
        match expr {
            Expr::BinaryOp { left, op, right } => {
                use ast::BinaryOperator as B;
                match op {
                    B::Eq | B::NotEq | B::Lt | B::LtEq | B::Gt | B::GtEq => {
                        self.expr(left, Context::Value)?;
                        self.expr(right, Context::Value)
                    }
                    _ => refuse(
                        "a condition is expected here (a comparison, BETWEEN, IN, LIKE, IS NULL \
                         or EXISTS)",
                        at,
                    ),
                }
            }
            Expr::Between {
                expr: e, low, high, ..
            } => {
                self.expr(e, Context::Value)?;
                self.expr(low, Context::Value)?;
                self.expr(high, Context::Value)
            }
            Expr::InList { expr: e, list, .. } => {
                if list.is_empty() {
                    return refuse("IN needs at least one value", at);
                }
                self.expr(e, Context::Value)?;
                list.iter_mut()
                    .try_for_each(|v| self.expr(v, Context::Value))
            }
            Expr::InSubquery {
                expr: e, subquery, ..
            } => {
                self.expr(e, Context::Value)?;
                self.query(subquery, false)
            }
            Expr::Exists { subquery, .. } => self.query(subquery, false),
            Expr::IsNull(e) | Expr::IsNotNull(e) => self.expr(e, Context::Value),
            Expr::Like {
                any,
                expr: e,
                pattern,
                escape_char,
                ..
            } => {
                if *any || escape_char.is_some() {
                    return refuse("LIKE takes a plain pattern in ADQL", at);
                }
                self.expr(e, Context::Value)?;
                self.expr(pattern, Context::Value)
            }
            Expr::ILike {
                any,
                expr: e,
                pattern,
                escape_char,
                ..
            } => {
                if *any || escape_char.is_some() {
                    return refuse("ILIKE takes a plain pattern in ADQL", at);
                }
                if !self.version().supports_string_functions() {
                    return refuse("ILIKE needs ADQL 2.1", at);
                }
                self.expr(e, Context::Value)?;
                self.expr(pattern, Context::Value)
            }
            _ => refuse(
                "a condition is expected here (a comparison, BETWEEN, IN, LIKE, IS NULL or \
                 EXISTS); geometry predicates are compared with 0 or 1, e.g. \
                 1 = CONTAINS(...)",
                at,
            ),
        }
    }
}

/// ADQL's cast targets (§4.7.1): exact and approximate numbers, CHAR/VARCHAR, TIMESTAMP and the
/// DALI geometries.
fn cast_target(data_type: &DataType, at: Option<Position>) -> Result {
    let ok = match data_type {
        DataType::SmallInt(None)
        | DataType::Integer(None)
        | DataType::BigInt(None)
        | DataType::Real
        | DataType::DoublePrecision
        | DataType::Timestamp(None, ast::TimezoneInfo::None) => true,
        DataType::Char(length) | DataType::Varchar(length) => matches!(
            length,
            None | Some(ast::CharacterLength::IntegerLength { unit: None, .. })
        ),
        DataType::Custom(name, modifiers) => {
            modifiers.is_empty()
                && matches!(name.0.as_slice(), [ObjectNamePart::Identifier(i)]
                    if i.quote_style.is_none()
                        && ["POINT", "CIRCLE", "POLYGON"]
                            .iter()
                            .any(|g| g.eq_ignore_ascii_case(&i.value)))
        }
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        refuse(
            format!(
                "CAST to {data_type} is not ADQL; the targets are SMALLINT, INTEGER, BIGINT, \
                 REAL, DOUBLE PRECISION, CHAR, VARCHAR, TIMESTAMP, POINT, CIRCLE and POLYGON"
            ),
            at,
        )
    }
}
