//! Typing calls of the ADQL functions that are not geometry: mathematical, string, COALESCE,
//! IN_UNIT, the ivo_* extensions, and aggregates (ADQL 2.1 §2.3, §4.8, §4.9).

use sqlparser::ast::{self, Expr, FunctionArguments};

use super::Checker;
use super::geometry::coords;
use super::ir::{BinOp, CastTo, RExpr, Typed, boxed, typed};
use super::types::{Ty, type_error};
use crate::error::{AdqlError, ErrorKind, Position, position_of};
use crate::functions::Func;
use crate::sql_ast::{arguments, function_name};

type Result<T> = std::result::Result<T, AdqlError>;

impl Checker<'_> {
    pub(super) fn function(&mut self, function: &ast::Function) -> Result<Typed> {
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
                    coords(p)
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
