//! Typing and resolving expressions.

use sqlparser::ast::{
    self, DataType, Expr, FunctionArg, FunctionArgExpr, FunctionArguments, Ident, ObjectNamePart,
    UnaryOperator, Value,
};

use crate::check::Checker;
use crate::check::ir::{BinOp, CastTo, GeoFn, Literal, RExpr, Typed};
use crate::check::scope::{ColumnEntry, matches};
use crate::check::types::{Meta, Ty};
use crate::error::{AdqlError, ErrorKind, Position};
use crate::functions::Func;
use crate::suggest::did_you_mean;
use crate::validate::{ident_position, position_of};

type Result<T> = std::result::Result<T, AdqlError>;

pub(crate) fn type_error<T>(message: String, at: Option<Position>) -> Result<T> {
    Err(AdqlError::new(ErrorKind::Type, message, at))
}

pub(crate) fn typed(expr: RExpr, ty: Ty) -> Typed {
    Typed { expr, ty }
}

pub(crate) fn boxed(t: Typed) -> Box<RExpr> {
    Box::new(t.expr)
}

/// Arguments of a validated function call.
pub(crate) fn arguments(function: &ast::Function) -> Vec<&Expr> {
    match &function.args {
        FunctionArguments::List(list) => list
            .args
            .iter()
            .filter_map(|a| match a {
                FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => Some(e),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

pub(crate) fn function_name(function: &ast::Function) -> String {
    match function.name.0.first() {
        Some(ObjectNamePart::Identifier(i)) => i.value.clone(),
        _ => function.name.to_string(),
    }
}

pub(crate) fn is_string_literal(e: &Expr) -> bool {
    matches!(e, Expr::Value(v) if matches!(v.value, Value::SingleQuotedString(_)))
}

pub(crate) fn is_null_literal(e: &Expr) -> bool {
    matches!(e, Expr::Value(v) if matches!(v.value, Value::Null))
}

impl Checker<'_> {
    /// Whether a (possibly qualified) name refers to some column in scope, without building
    /// the error (with its suggestions) that [`Checker::column`] would.
    pub(crate) fn has_column(&self, parts: &[Ident]) -> bool {
        let Some((column, qualifier)) = parts.split_last() else {
            return false;
        };
        self.scopes.stack.iter().any(|offer| {
            if qualifier.is_empty() {
                offer.unqualified.iter().any(|c| matches(column, &c.name))
            } else {
                offer.relations.iter().any(|r| {
                    r.name.answers_to(qualifier)
                        && r.columns.iter().any(|c| matches(column, &c.name))
                })
            }
        })
    }

    /// The column a (possibly qualified) name refers to, searching enclosing queries too.
    pub(crate) fn column(&self, parts: &[Ident]) -> Result<ColumnEntry> {
        let Some((column, qualifier)) = parts.split_last() else {
            return Err(AdqlError::syntax("empty column name", None));
        };
        let at = ident_position(&parts[0]);
        if qualifier.is_empty() {
            for offer in self.scopes.stack.iter().rev() {
                let found: Vec<&ColumnEntry> = offer
                    .unqualified
                    .iter()
                    .filter(|c| matches(column, &c.name))
                    .collect();
                match found.as_slice() {
                    [] => continue,
                    [one] => return Ok((*one).clone()),
                    _ => {
                        let tables: Vec<String> = offer
                            .relations
                            .iter()
                            .filter(|r| r.columns.iter().any(|c| matches(column, &c.name)))
                            .map(|r| r.name.display())
                            .collect();
                        return Err(AdqlError::new(
                            ErrorKind::AmbiguousColumn,
                            format!(
                                "'{}' is a column of {}: qualify it, e.g. {}.{}",
                                column.value,
                                tables.join(" and "),
                                tables.first().map(String::as_str).unwrap_or("t"),
                                column.value
                            ),
                            at,
                        ));
                    }
                }
            }
            let candidates: Vec<&str> = self
                .scopes
                .stack
                .iter()
                .flat_map(|o| o.unqualified.iter().map(|c| c.name.as_str()))
                .collect();
            return Err(AdqlError::new(
                ErrorKind::UnknownColumn,
                format!(
                    "no column '{}' in the tables of FROM{}",
                    column.value,
                    did_you_mean(&column.value, candidates)
                ),
                at,
            ));
        }
        for offer in self.scopes.stack.iter().rev() {
            let Some(relation) = offer
                .relations
                .iter()
                .find(|r| r.name.answers_to(qualifier))
            else {
                continue;
            };
            return match relation.columns.iter().find(|c| matches(column, &c.name)) {
                Some(entry) => Ok(entry.clone()),
                None => Err(AdqlError::new(
                    ErrorKind::UnknownColumn,
                    format!(
                        "{} has no column '{}'{}",
                        relation.name.display(),
                        column.value,
                        did_you_mean(
                            &column.value,
                            relation.columns.iter().map(|c| c.name.as_str())
                        )
                    ),
                    ident_position(column),
                )),
            };
        }
        let written: Vec<&str> = qualifier.iter().map(|i| i.value.as_str()).collect();
        let known: Vec<String> = self
            .scopes
            .stack
            .iter()
            .flat_map(|o| o.relations.iter().map(|r| r.name.display()))
            .collect();
        Err(AdqlError::new(
            ErrorKind::UnknownTable,
            format!(
                "'{}' is not a table or alias of FROM{}",
                written.join("."),
                did_you_mean(&written.join("."), known.iter().map(String::as_str))
            ),
            at,
        ))
    }

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

    fn condition_binary(
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

    fn function(&mut self, function: &ast::Function) -> Result<Typed> {
        let at = position_of(function);
        let name = function_name(function);
        let args = arguments(function);
        let Some(func) = Func::from_name(&name) else {
            return Err(AdqlError::new(
                ErrorKind::UnknownFunction,
                format!("the function '{name}' is not supported by this service"),
                at,
            ));
        };
        let distinct = matches!(
            &function.args,
            FunctionArguments::List(l) if l.duplicate_treatment == Some(ast::DuplicateTreatment::Distinct)
        );
        if func.is_aggregate() {
            return self.aggregate(func, &name, &args, distinct, at);
        }
        if func.takes_coordsys()
            || matches!(
                func,
                Func::Region
                    | Func::Centroid
                    | Func::Area
                    | Func::Coord1
                    | Func::Coord2
                    | Func::Coordsys
                    | Func::Distance
                    | Func::Contains
                    | Func::Intersects
            )
        {
            return self.geometry_function(func, &name, &args, at);
        }
        use Func::*;
        let double =
            |name: &'static str, args: Vec<RExpr>| typed(RExpr::Call { name, args }, Ty::Double);
        Ok(match func {
            Abs | Ceiling | Degrees | Exp | Floor | Log | Log10 | Radians | Sqrt | Acos | Asin
            | Atan | Cos | Cot | Sin | Tan => {
                let x = self.numeric(args[0], &name)?;
                let target = match func {
                    Abs => "abs",
                    Ceiling => "ceil",
                    Degrees => "degrees",
                    Exp => "exp",
                    Floor => "floor",
                    Log => "ln",
                    Log10 => "log10",
                    Radians => "radians",
                    Sqrt => "sqrt",
                    Acos => "acos",
                    Asin => "asin",
                    Atan => "atan",
                    Cos => "cos",
                    Cot => "cot",
                    Sin => "sin",
                    _ => "tan",
                };
                double(target, vec![x.expr])
            }
            Atan2 | Power => {
                let a = self.numeric(args[0], &name)?;
                let b = self.numeric(args[1], &name)?;
                double(
                    if func == Atan2 { "atan2" } else { "power" },
                    vec![a.expr, b.expr],
                )
            }
            Mod => {
                let a = self.numeric(args[0], "MOD")?;
                let b = self.numeric(args[1], "MOD")?;
                let ty = a.ty.promote(&b.ty);
                typed(
                    RExpr::Nested(std::boxed::Box::new(RExpr::Binary {
                        op: BinOp::Modulo,
                        left: boxed(a),
                        right: boxed(b),
                    })),
                    ty,
                )
            }
            Pi => double("pi", vec![]),
            // The argument of RAND has undefined semantics (ADQL 2.1 §2.3): it is checked, not used.
            Rand => {
                if let Some(seed) = args.first() {
                    self.numeric(seed, "RAND")?;
                }
                double("random", vec![])
            }
            Round | Truncate => {
                let x = self.numeric(args[0], &name)?;
                let mut call = vec![x.expr];
                if let Some(places) = args.get(1) {
                    call.push(self.numeric(places, &name)?.expr);
                }
                double(if func == Round { "round" } else { "trunc" }, call)
            }
            Lower | Upper => {
                let s = self.string(args[0], &name)?;
                typed(
                    RExpr::Call {
                        name: if func == Lower { "lower" } else { "upper" },
                        args: vec![s.expr],
                    },
                    Ty::String,
                )
            }
            Coalesce => {
                let mut ty = Ty::Null;
                let mut values = Vec::new();
                for arg in &args {
                    let t = self.expr(arg)?;
                    if !ty.compatible(&t.ty) {
                        return type_error(
                            format!(
                                "COALESCE mixes {} and {} (ADQL 2.1 §4.8.1: all arguments have one type)",
                                ty.describe(),
                                t.ty.describe()
                            ),
                            position_of(*arg),
                        );
                    }
                    ty = match (&ty, &t.ty) {
                        (Ty::Null, other) => other.clone(),
                        (a, b) if a.is_numeric() && b.is_numeric() => a.promote(b),
                        (a, _) => a.clone(),
                    };
                    values.push(t.expr);
                }
                typed(
                    RExpr::Call {
                        name: "coalesce",
                        args: values,
                    },
                    ty,
                )
            }
            InUnit => self.in_unit(args[0], args[1], at)?,
            IvoHealpixIndex => {
                let order = self.integer(args[0], &name)?;
                let (lon, lat) = if args.len() == 3 {
                    (
                        self.numeric(args[1], &name)?.expr,
                        self.numeric(args[2], &name)?.expr,
                    )
                } else {
                    let p = self.point(args[1], &name)?;
                    super::geometry::coords(p)
                };
                typed(
                    RExpr::Udf {
                        name: crate::udf::HEALPIX_INDEX,
                        args: vec![order.expr, lon, lat],
                    },
                    Ty::BigInt,
                )
            }
            IvoHealpixCenter => {
                let order = self.integer(args[0], &name)?;
                let index = self.integer(args[1], &name)?;
                typed(
                    RExpr::Udf {
                        name: crate::udf::HEALPIX_CENTER,
                        args: vec![order.expr, index.expr],
                    },
                    Ty::Point,
                )
            }
            IvoNocasematch => {
                let v = self.string(args[0], &name)?;
                let p = self.string(args[1], &name)?;
                typed(
                    RExpr::Cast {
                        expr: std::boxed::Box::new(RExpr::Like {
                            negated: false,
                            case_insensitive: true,
                            expr: boxed(v),
                            pattern: boxed(p),
                        }),
                        to: CastTo::Integer,
                    },
                    Ty::Integer,
                )
            }
            IvoHasword | IvoHashlistHas => {
                let a = self.string(args[0], &name)?;
                let b = self.string(args[1], &name)?;
                let udf = if func == IvoHasword {
                    crate::udf::HASWORD
                } else {
                    crate::udf::HASHLIST_HAS
                };
                typed(
                    RExpr::Udf {
                        name: udf,
                        args: vec![a.expr, b.expr],
                    },
                    Ty::Integer,
                )
            }
            IvoIntervalOverlaps => {
                let mut v = Vec::new();
                for arg in &args {
                    v.push(self.numeric(arg, &name)?.expr);
                }
                let le = |a: &RExpr, b: &RExpr| RExpr::Binary {
                    op: BinOp::LtEq,
                    left: std::boxed::Box::new(a.clone()),
                    right: std::boxed::Box::new(b.clone()),
                };
                let and = |a: RExpr, b: RExpr| RExpr::Binary {
                    op: BinOp::And,
                    left: std::boxed::Box::new(a),
                    right: std::boxed::Box::new(b),
                };
                let overlaps = and(
                    and(le(&v[0], &v[1]), le(&v[2], &v[3])),
                    and(le(&v[0], &v[3]), le(&v[2], &v[1])),
                );
                typed(
                    RExpr::Cast {
                        expr: std::boxed::Box::new(RExpr::Nested(std::boxed::Box::new(overlaps))),
                        to: CastTo::Integer,
                    },
                    Ty::Integer,
                )
            }
            _ => {
                return Err(AdqlError::new(
                    ErrorKind::Unsupported,
                    format!("{name} is not supported here"),
                    at,
                ));
            }
        })
    }

    fn integer(&mut self, e: &Expr, role: &str) -> Result<Typed> {
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

    fn aggregate(
        &mut self,
        func: Func,
        name: &str,
        args: &[&Expr],
        distinct: bool,
        at: Option<Position>,
    ) -> Result<Typed> {
        let aggregate = |name: &'static str, args: Vec<RExpr>, ty: Ty| {
            typed(
                RExpr::Aggregate {
                    name,
                    distinct,
                    args,
                },
                ty,
            )
        };
        if args.is_empty() {
            // COUNT(*)
            return Ok(aggregate("count", vec![], Ty::BigInt));
        }
        Ok(match func {
            Func::Count => {
                let v = self.expr(args[0])?;
                aggregate("count", vec![v.expr], Ty::BigInt)
            }
            Func::Sum | Func::Avg => {
                let v = self.expr(args[0])?;
                if !v.ty.is_numeric() {
                    return type_error(
                        format!(
                            "{} needs numbers, but '{}' is {}",
                            name.to_uppercase(),
                            args[0],
                            v.ty.describe()
                        ),
                        at,
                    );
                }
                let ty = if func == Func::Avg || !v.ty.is_integer() {
                    Ty::Double
                } else {
                    Ty::BigInt
                };
                let target = if func == Func::Sum { "sum" } else { "avg" };
                aggregate(target, vec![v.expr], ty)
            }
            Func::Min | Func::Max => {
                let v = self.expr(args[0])?;
                if !(v.ty.is_numeric() || matches!(v.ty, Ty::String | Ty::Timestamp)) {
                    return type_error(
                        format!(
                            "{} needs numbers, strings or timestamps, but '{}' is {}",
                            name.to_uppercase(),
                            args[0],
                            v.ty.describe()
                        ),
                        at,
                    );
                }
                let target = if func == Func::Min { "min" } else { "max" };
                aggregate(target, vec![v.expr], v.ty)
            }
            _ => {
                let v = self.string(args[0], name)?;
                let d = self.string(args[1], name)?;
                aggregate("string_agg", vec![v.expr, d.expr], Ty::String)
            }
        })
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
