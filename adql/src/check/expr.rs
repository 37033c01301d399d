//! Typing value expressions: columns, literals, arithmetic, CAST, and the expected types
//! (number, string, geometry) of operands; calls and conditions have their own modules.

use sqlparser::ast::{self, DataType, Expr, UnaryOperator, Value};

use super::Checker;
use super::ir::{BinOp, CastTo, GeoFn, Literal, RExpr, Typed, boxed, typed};
use super::scope::ColumnEntry;
use super::types::{Meta, Ty, type_error};
use crate::error::{AdqlError, Position, position_of};

type Result<T> = std::result::Result<T, AdqlError>;

impl Checker<'_> {
    pub(crate) fn expr(&mut self, e: &Expr) -> Result<Typed> {
        let at = position_of(e);
        match e {
            Expr::Identifier(ident) => {
                let entry = self.column(std::slice::from_ref(ident))?;
                Ok(typed(entry.expr.clone(), entry.ty.clone()))
            }
            Expr::CompoundIdentifier(parts) => {
                let entry = self.column(parts)?;
                Ok(typed(entry.expr.clone(), entry.ty.clone()))
            }
            Expr::Value(v) => Ok(match &v.value {
                Value::Number(n, _) => {
                    let integer = n.bytes().all(|b| b.is_ascii_digit());
                    let ty = if integer { Ty::BigInt } else { Ty::Double };
                    typed(RExpr::Literal(Literal::Number(n.clone())), ty)
                }
                Value::SingleQuotedString(s) => typed(
                    RExpr::Literal(Literal::String(crate::parse::unescape(s, '\''))),
                    Ty::String,
                ),
                _ => typed(RExpr::Literal(Literal::Null), Ty::Null),
            }),
            Expr::UnaryOp { op, expr } => {
                let inner = self.numeric(expr, "a sign")?;
                Ok(match op {
                    UnaryOperator::Minus => typed(RExpr::Negate(boxed(inner.clone())), inner.ty),
                    _ => inner,
                })
            }
            Expr::Nested(inner) => {
                let t = self.expr(inner)?;
                Ok(typed(RExpr::Nested(Box::new(t.expr)), t.ty))
            }
            Expr::BinaryOp { left, op, right } => self.binary(left, op, right, at),
            Expr::Function(function) => self.function(function),
            Expr::Cast {
                expr, data_type, ..
            } => {
                let value = self.expr(expr)?;
                let (to, ty) = cast_target(data_type);
                let geometry = matches!(to, CastTo::Point | CastTo::Circle | CastTo::Polygon);
                if geometry && !value.ty.is_string() {
                    return type_error(
                        format!(
                            "CAST to {data_type} takes a DALI string, not {}",
                            value.ty.describe()
                        ),
                        at,
                    );
                }
                if matches!(value.ty, Ty::Point | Ty::Circle | Ty::Polygon) && !geometry {
                    return type_error(
                        format!("{} cannot be cast to {data_type}", value.ty.describe()),
                        at,
                    );
                }
                Ok(typed(
                    RExpr::Cast {
                        expr: boxed(value),
                        to,
                    },
                    ty,
                ))
            }
            _ => self.condition(e).map(|c| typed(c, Ty::Boolean)),
        }
    }

    pub(crate) fn numeric(&mut self, e: &Expr, role: &str) -> Result<Typed> {
        let t = self.expr(e)?;
        if t.ty.is_numeric() {
            Ok(t)
        } else {
            type_error(
                format!("{role} needs a number, but '{e}' is {}", t.ty.describe()),
                position_of(e),
            )
        }
    }

    pub(crate) fn string(&mut self, e: &Expr, role: &str) -> Result<Typed> {
        let t = self.expr(e)?;
        if t.ty.is_string() {
            Ok(t)
        } else {
            type_error(
                format!("{role} needs a string, but '{e}' is {}", t.ty.describe()),
                position_of(e),
            )
        }
    }

    pub(crate) fn geometry(&mut self, e: &Expr, role: &str) -> Result<Typed> {
        let t = self.expr(e)?;
        if t.ty.is_geometry() {
            Ok(t)
        } else {
            type_error(
                format!("{role} needs a geometry, but '{e}' is {}", t.ty.describe()),
                position_of(e),
            )
        }
    }

    pub(crate) fn point(&mut self, e: &Expr, role: &str) -> Result<Typed> {
        let t = self.expr(e)?;
        if t.ty.is_point() {
            Ok(t)
        } else {
            type_error(
                format!("{role} needs a POINT, but '{e}' is {}", t.ty.describe()),
                position_of(e),
            )
        }
    }

    fn binary(
        &mut self,
        left: &Expr,
        op: &ast::BinaryOperator,
        right: &Expr,
        at: Option<Position>,
    ) -> Result<Typed> {
        use ast::BinaryOperator as B;
        let (bin, arithmetic) = match op {
            B::Plus => (BinOp::Plus, true),
            B::Minus => (BinOp::Minus, true),
            B::Multiply => (BinOp::Multiply, true),
            B::Divide => (BinOp::Divide, true),
            B::StringConcat => (BinOp::Concat, false),
            _ => {
                return self
                    .condition_binary(left, op, right, at)
                    .map(|c| typed(c, Ty::Boolean));
            }
        };
        if arithmetic {
            let role = format!("'{op}'");
            let l = self.numeric(left, &role)?;
            let r = self.numeric(right, &role)?;
            let ty = l.ty.promote(&r.ty);
            return Ok(typed(
                RExpr::Binary {
                    op: bin,
                    left: boxed(l),
                    right: boxed(r),
                },
                ty,
            ));
        }
        let l = self.string(left, "'||'")?;
        let r = self.string(right, "'||'")?;
        Ok(typed(
            RExpr::Binary {
                op: bin,
                left: boxed(l),
                right: boxed(r),
            },
            Ty::String,
        ))
    }

    pub(super) fn integer(&mut self, e: &Expr, role: &str) -> Result<Typed> {
        let t = self.expr(e)?;
        if t.ty.is_integer() {
            Ok(t)
        } else {
            type_error(
                format!(
                    "{role} needs a whole number, but '{e}' is {}",
                    t.ty.describe()
                ),
                position_of(e),
            )
        }
    }
}

/// The ADQL CAST target of a validated data type, and the resulting value type.
fn cast_target(data_type: &DataType) -> (CastTo, Ty) {
    match data_type {
        DataType::SmallInt(_) => (CastTo::SmallInt, Ty::SmallInt),
        DataType::Integer(_) => (CastTo::Integer, Ty::Integer),
        DataType::BigInt(_) => (CastTo::BigInt, Ty::BigInt),
        DataType::Real => (CastTo::Real, Ty::Real),
        DataType::DoublePrecision => (CastTo::Double, Ty::Double),
        DataType::Timestamp(..) => (CastTo::Timestamp, Ty::Timestamp),
        DataType::Custom(name, _) => {
            let name = name.to_string().to_ascii_uppercase();
            match name.as_str() {
                "POINT" => (CastTo::Point, Ty::Point),
                "CIRCLE" => (CastTo::Circle, Ty::Circle),
                _ => (CastTo::Polygon, Ty::Polygon),
            }
        }
        _ => (CastTo::String, Ty::String),
    }
}

/// Metadata of a select item: a column keeps its own; geometry measures are in degrees.
/// `aggregated` is the column under MIN, MAX, AVG or SUM, whose unit the result keeps.
pub(crate) fn item_meta(
    expr: &Typed,
    column: Option<&ColumnEntry>,
    aggregated: Option<&ColumnEntry>,
) -> Meta {
    if let Some(column) = column {
        return column.meta.clone();
    }
    if let Some(aggregated) = aggregated {
        return match aggregated.meta.unit_of() {
            Some(unit) => Meta::unit(unit),
            None => Meta::Computed,
        };
    }
    match &expr.expr {
        RExpr::Distance { .. } => Meta::unit("deg"),
        RExpr::GeoFn {
            func: GeoFn::Area, ..
        } => Meta::unit("deg**2"),
        RExpr::GeoFn {
            func: GeoFn::Coord1 | GeoFn::Coord2,
            ..
        } => Meta::unit("deg"),
        _ => Meta::default(),
    }
}
