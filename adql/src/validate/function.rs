//! Validating function calls: known names, the ADQL version that has them, arity, and the
//! literal arguments some of them need (ADQL 2.1 §2.3, §4.2).

use sqlparser::ast::{
    self, Expr, FunctionArg, FunctionArgExpr, FunctionArguments, ObjectNamePart, UnaryOperator,
    Value,
};

use super::{Context, Result, Validator, refuse};
use crate::error::{AdqlError, ErrorKind, Position, position_of};
use crate::functions::Func;
use crate::sql_ast::{is_null_literal, is_string_literal};

impl Validator<'_> {
    pub(super) fn function(&self, function: &mut ast::Function) -> Result {
        let at = position_of(&*function);
        let name = match function.name.0.as_slice() {
            [ObjectNamePart::Identifier(ident)] if ident.quote_style.is_none() => {
                ident.value.clone()
            }
            _ => return refuse(format!("'{}' is not a function name", function.name), at),
        };
        if function.uses_odbc_syntax
            || !matches!(function.parameters, FunctionArguments::None)
            || function.filter.is_some()
            || function.null_treatment.is_some()
            || function.over.is_some()
            || !function.within_group.is_empty()
        {
            return refuse(
                format!("{name}: window functions, FILTER and WITHIN GROUP are not ADQL"),
                at,
            );
        }
        let FunctionArguments::List(list) = &mut function.args else {
            return refuse(format!("{name} needs parentheses"), at);
        };
        if !list.clauses.is_empty() {
            return refuse(format!("{name}: only plain arguments are ADQL"), at);
        }
        let func = Func::from_name(&name);
        let is_extra = self
            .options
            .extra_functions
            .iter()
            .any(|f| f.eq_ignore_ascii_case(&name));
        let Some(func) = func else {
            if is_extra {
                return self.plain_arguments(&name, &mut list.args, false);
            }
            return Err(AdqlError::new(
                ErrorKind::UnknownFunction,
                format!(
                    "'{name}' is neither an ADQL function nor a supported user-defined function{}",
                    crate::suggest::did_you_mean(&name, crate::functions::all_names())
                ),
                at,
            ));
        };
        self.function_allowed(func, at)?;
        if list.duplicate_treatment.is_some() && !func.is_aggregate() {
            return refuse(format!("{name} takes no DISTINCT or ALL"), at);
        }
        let count_star = func == Func::Count
            && list.args.len() == 1
            && matches!(
                list.args[0],
                FunctionArg::Unnamed(FunctionArgExpr::Wildcard)
            );
        if count_star {
            if list.duplicate_treatment.is_some() {
                return refuse("COUNT(DISTINCT *) is not ADQL", at);
            }
            return Ok(());
        }
        self.plain_arguments(&name, &mut list.args, func.is_aggregate())?;
        let args: Vec<&Expr> = list
            .args
            .iter()
            .filter_map(|a| match a {
                FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => Some(e),
                _ => None,
            })
            .collect();
        self.arity(func, &name, &args, at)
    }

    fn function_allowed(&self, func: Func, at: Option<Position>) -> Result {
        let version = self.version();
        let allowed = match func {
            Func::Lower | Func::Upper => version.supports_string_functions(),
            Func::Coalesce => version.supports_coalesce(),
            Func::InUnit => version.supports_in_unit(),
            _ => true,
        };
        if allowed {
            Ok(())
        } else {
            refuse(format!("{} needs ADQL 2.1", func.name()), at)
        }
    }

    fn plain_arguments(&self, name: &str, args: &mut [FunctionArg], aggregate: bool) -> Result {
        for arg in args {
            match arg {
                FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => {
                    if aggregate && contains_aggregate_call(e) {
                        return refuse(
                            format!("{name}: aggregate functions cannot be nested"),
                            position_of(&*e),
                        );
                    }
                    self.expr(e, Context::Value)?
                }
                other => {
                    return refuse(
                        format!("{name}: '{other}' is not an ADQL argument"),
                        position_of(&*other),
                    );
                }
            }
        }
        Ok(())
    }

    fn arity(&self, func: Func, name: &str, args: &[&Expr], at: Option<Position>) -> Result {
        let (min, max) = func.arity();
        let count = args.len();
        if count < min || max.is_some_and(|m| count > m) {
            let wanted = match max {
                Some(m) if m == min => format!("{min}"),
                Some(m) => format!("{min} to {m}"),
                None => format!("at least {min}"),
            };
            return refuse(
                format!("{name} takes {wanted} argument(s), not {count}"),
                at,
            );
        }
        if func.takes_coordsys() {
            return self.geometry_constructor(func, name, args, at);
        }
        match func {
            Func::Region | Func::InUnit => {
                let literal = args.last().is_some_and(|e| is_string_literal(e));
                if !literal {
                    return refuse(
                        format!("{name} takes a string literal as its last argument"),
                        at,
                    );
                }
            }
            Func::Distance if count == 3 => {
                return refuse("DISTANCE takes 2 points or 4 numbers", at);
            }
            Func::Round | Func::Truncate if count == 2 && !is_signed_integer(args[1]) => {
                return refuse(
                    format!("the second argument of {name} is a whole number of places"),
                    position_of(args[1]),
                );
            }
            _ => {}
        }
        Ok(())
    }

    /// POINT, CIRCLE, BOX, POLYGON: an optional coordinate system literal (or NULL), then
    /// numbers or POINTs (§4.2.4).
    fn geometry_constructor(
        &self,
        func: Func,
        name: &str,
        args: &[&Expr],
        at: Option<Position>,
    ) -> Result {
        let has_coordsys = args
            .first()
            .is_some_and(|e| is_string_literal(e) || is_null_literal(e));
        if !has_coordsys && !self.version().supports_optional_coordsys() {
            return refuse(
                format!("{name} needs a coordinate system first in ADQL 2.0"),
                at,
            );
        }
        let rest = &args[usize::from(has_coordsys)..];
        if let Some(bad) = rest.iter().find(|e| is_string_literal(e)) {
            return refuse(
                format!("{name} takes numbers or points after the coordinate system"),
                position_of(*bad),
            );
        }
        let n = rest.len();
        // The 2.1 forms CIRCLE(POINT, r) and BOX(POINT, w, h): the centre cannot be a number.
        let point_centre = self.version().supports_point_arguments()
            && rest.first().is_some_and(|e| !is_obviously_numeric(e));
        let ok = match func {
            Func::Point => n == 2,
            Func::Circle => n == 3 || (n == 2 && point_centre),
            Func::Box => n == 4 || (n == 3 && point_centre),
            Func::Polygon => {
                let numeric = rest.iter().any(|e| is_obviously_numeric(e));
                if numeric {
                    n >= 6 && n.is_multiple_of(2)
                } else {
                    n >= 3
                }
            }
            _ => true,
        };
        if ok {
            Ok(())
        } else {
            let wanted = match func {
                Func::Point => "2 coordinates",
                Func::Circle => "a centre (2 coordinates or a POINT) and a radius",
                Func::Box => "a centre (2 coordinates or a POINT), a width and a height",
                _ => "at least 3 vertices (pairs of coordinates or POINTs)",
            };
            refuse(format!("{name} takes {wanted}"), at)
        }
    }
}

fn is_signed_integer(expr: &Expr) -> bool {
    match expr {
        Expr::Value(v) => matches!(&v.value, Value::Number(n, _) if n.parse::<u64>().is_ok()),
        Expr::UnaryOp {
            op: UnaryOperator::Minus | UnaryOperator::Plus,
            expr,
        } => is_signed_integer(expr),
        _ => false,
    }
}

/// Numeric literals and arithmetic: certainly not POINTs.
fn is_obviously_numeric(expr: &Expr) -> bool {
    match expr {
        Expr::Value(v) => matches!(v.value, Value::Number(..)),
        Expr::UnaryOp { .. } | Expr::BinaryOp { .. } => true,
        Expr::Nested(inner) => is_obviously_numeric(inner),
        _ => false,
    }
}

fn contains_aggregate_call(expr: &Expr) -> bool {
    match expr {
        Expr::Function(f) => {
            let direct = f
                .name
                .0
                .first()
                .and_then(|p| p.as_ident())
                .and_then(|i| Func::from_name(&i.value))
                .is_some_and(Func::is_aggregate);
            direct
                || match &f.args {
                    FunctionArguments::List(list) => list.args.iter().any(|a| {
                        matches!(a, FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) if contains_aggregate_call(e))
                    }),
                    _ => false,
                }
        }
        Expr::BinaryOp { left, right, .. } => {
            contains_aggregate_call(left) || contains_aggregate_call(right)
        }
        Expr::UnaryOp { expr, .. } | Expr::Nested(expr) | Expr::Cast { expr, .. } => {
            contains_aggregate_call(expr)
        }
        _ => false,
    }
}
