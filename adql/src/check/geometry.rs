//! Typing the geometry functions (ADQL 2.1 §4.2).

use sqlparser::ast::{Expr, Value};

use crate::check::Checker;
use crate::check::ir::{GeoFn, Literal, RExpr, Typed, boxed, typed};
use crate::check::types::{Ty, type_error};
use crate::error::{AdqlError, ErrorKind, Position};
use crate::functions::Func;
use crate::sql_ast::{arguments, is_null_literal, is_string_literal};

type Result<T> = std::result::Result<T, AdqlError>;

impl Checker<'_> {
    pub(crate) fn geometry_function(
        &mut self,
        func: Func,
        name: &str,
        args: &[&Expr],
        at: Option<Position>,
    ) -> Result<Typed> {
        let skip = usize::from(
            func.takes_coordsys()
                && args
                    .first()
                    .is_some_and(|e| is_string_literal(e) || is_null_literal(e)),
        );
        let rest = &args[skip..];
        Ok(match func {
            Func::Point => {
                let lon = self.numeric(rest[0], "POINT")?;
                let lat = self.numeric(rest[1], "POINT")?;
                typed(
                    RExpr::Point {
                        lon: boxed(lon),
                        lat: boxed(lat),
                    },
                    Ty::Point,
                )
            }
            Func::Circle | Func::Box => {
                let sizes_wanted = if func == Func::Circle { 1 } else { 2 };
                let (centre, sizes) = self.centre(name, rest, sizes_wanted, at)?;
                let mut sizes = sizes.into_iter();
                if func == Func::Circle {
                    let radius = sizes.next().unwrap_or(RExpr::Literal(Literal::Null));
                    typed(
                        RExpr::Circle {
                            centre: Box::new(centre),
                            radius: Box::new(radius),
                        },
                        Ty::Circle,
                    )
                } else {
                    let width = sizes.next().unwrap_or(RExpr::Literal(Literal::Null));
                    let height = sizes.next().unwrap_or(RExpr::Literal(Literal::Null));
                    typed(
                        RExpr::Box {
                            centre: Box::new(centre),
                            width: Box::new(width),
                            height: Box::new(height),
                        },
                        Ty::Polygon,
                    )
                }
            }
            Func::Polygon => {
                let first = self.expr(rest[0])?;
                let mut vertices = Vec::new();
                if first.ty == Ty::Point {
                    for arg in rest {
                        vertices.push(self.point(arg, "POLYGON")?.expr);
                    }
                } else {
                    if !rest.len().is_multiple_of(2) || rest.len() < 6 {
                        return type_error(
                            "POLYGON takes at least 3 pairs of coordinates or 3 POINTs".into(),
                            at,
                        );
                    }
                    for pair in rest.chunks(2) {
                        let lon = self.numeric(pair[0], "POLYGON")?;
                        let lat = self.numeric(pair[1], "POLYGON")?;
                        vertices.push(RExpr::Point {
                            lon: boxed(lon),
                            lat: boxed(lat),
                        });
                    }
                }
                typed(RExpr::Polygon(vertices), Ty::Polygon)
            }
            Func::Region => {
                let Expr::Value(v) = args[0] else {
                    return type_error("REGION takes a string literal".into(), at);
                };
                let Value::SingleQuotedString(text) = &v.value else {
                    return type_error("REGION takes a string literal".into(), at);
                };
                let shape = crate::geometry::stcs::parse(&crate::parse::unescape(text, '\''))
                    .map_err(|m| AdqlError::new(ErrorKind::Unsupported, m, at))?;
                region_expr(&shape)
            }
            Func::Centroid | Func::Area => {
                let g = self.geometry(args[0], name)?;
                let (f, ty) = if func == Func::Area {
                    (GeoFn::Area, Ty::Double)
                } else {
                    (GeoFn::Centroid, Ty::Point)
                };
                typed(
                    RExpr::GeoFn {
                        func: f,
                        arg: Box::new(g),
                    },
                    ty,
                )
            }
            Func::Coord1 | Func::Coord2 => {
                let p = self.point(args[0], name)?;
                let (lon, lat) = coords(p);
                typed(if func == Func::Coord1 { lon } else { lat }, Ty::Double)
            }
            Func::Coordsys => {
                let system = match args[0] {
                    Expr::Function(f) => match arguments(f).first() {
                        Some(Expr::Value(v)) => match &v.value {
                            Value::SingleQuotedString(s) if !s.is_empty() => {
                                Some(crate::parse::unescape(s, '\''))
                            }
                            _ => None,
                        },
                        _ => None,
                    },
                    _ => None,
                };
                self.geometry(args[0], name)?;
                // Columns carry no coordinate system here; the deprecated COORDSYS
                // (ADQL 2.1 §4.2.11) answers with the literal it was given, else UNKNOWN.
                typed(
                    RExpr::Literal(Literal::String(system.unwrap_or_else(|| "UNKNOWN".into()))),
                    Ty::String,
                )
            }
            Func::Distance => {
                let (left, right) = if args.len() == 4 {
                    let mut c = Vec::new();
                    for arg in args {
                        c.push(self.numeric(arg, "DISTANCE")?);
                    }
                    let mut c = c.into_iter();
                    let mut point = || {
                        let lon = c.next().map(boxed);
                        let lat = c.next().map(boxed);
                        RExpr::Point {
                            lon: lon.unwrap_or_else(|| Box::new(RExpr::Literal(Literal::Null))),
                            lat: lat.unwrap_or_else(|| Box::new(RExpr::Literal(Literal::Null))),
                        }
                    };
                    (point(), point())
                } else {
                    (
                        self.point(args[0], "DISTANCE")?.expr,
                        self.point(args[1], "DISTANCE")?.expr,
                    )
                };
                typed(
                    RExpr::Distance {
                        left: Box::new(left),
                        right: Box::new(right),
                    },
                    Ty::Double,
                )
            }
            _ => {
                // CONTAINS and INTERSECTS.
                let a = self.geometry(args[0], name)?;
                let b = self.geometry(args[1], name)?;
                let intersects = func == Func::Intersects;
                // A POINT in INTERSECTS means CONTAINS with the point first (ADQL 2.1 §4.2.14).
                let (intersects, left, right) = match (intersects, &a.ty, &b.ty) {
                    (true, _, Ty::Point) => (false, b, a),
                    (true, Ty::Point, _) => (false, a, b),
                    _ => (intersects, a, b),
                };
                typed(
                    RExpr::GeoPredicate {
                        intersects,
                        left: Box::new(left),
                        right: Box::new(right),
                    },
                    Ty::Integer,
                )
            }
        })
    }

    /// The centre of CIRCLE/BOX (2 numbers or a POINT) and the `wanted` numbers after it.
    fn centre(
        &mut self,
        name: &str,
        rest: &[&Expr],
        wanted: usize,
        at: Option<Position>,
    ) -> Result<(RExpr, Vec<RExpr>)> {
        let first = self.expr(rest[0])?;
        let (centre, used) = if first.ty == Ty::Point {
            (first.expr, 1)
        } else if rest.len() < 2 {
            return type_error(
                format!("{name} needs a centre: a POINT or 2 coordinates"),
                at,
            );
        } else {
            let lon = self.numeric(rest[0], name)?;
            let lat = self.numeric(rest[1], name)?;
            (
                RExpr::Point {
                    lon: boxed(lon),
                    lat: boxed(lat),
                },
                2,
            )
        };
        if rest.len() != used + wanted {
            return type_error(
                format!("{name} takes a centre (a POINT or 2 coordinates) and {wanted} size(s)"),
                at,
            );
        }
        let mut sizes = Vec::new();
        for e in &rest[used..] {
            sizes.push(self.numeric(e, name)?.expr);
        }
        Ok((centre, sizes))
    }
}

/// The two coordinates of a POINT-typed expression.
pub(crate) fn coords(p: Typed) -> (RExpr, RExpr) {
    match p.expr {
        RExpr::Point { lon, lat } => (*lon, *lat),
        other => {
            let arg = Box::new(typed(other, Ty::Point));
            (
                RExpr::GeoFn {
                    func: GeoFn::Coord1,
                    arg: arg.clone(),
                },
                RExpr::GeoFn {
                    func: GeoFn::Coord2,
                    arg,
                },
            )
        }
    }
}

fn number(x: f64) -> RExpr {
    RExpr::Literal(Literal::Number(format!("{x:?}")))
}

fn point_literal(lon: f64, lat: f64) -> RExpr {
    RExpr::Point {
        lon: Box::new(number(lon)),
        lat: Box::new(number(lat)),
    }
}

fn region_expr(shape: &crate::geometry::Shape) -> Typed {
    use crate::geometry::Shape;
    match shape {
        Shape::Point(p) => typed(point_literal(p.lon, p.lat), Ty::Point),
        Shape::Circle { centre, radius } => typed(
            RExpr::Circle {
                centre: Box::new(point_literal(centre.lon, centre.lat)),
                radius: Box::new(number(*radius)),
            },
            Ty::Circle,
        ),
        Shape::Polygon(vertices) => typed(
            RExpr::Polygon(
                vertices
                    .iter()
                    .map(|v| point_literal(v.lon, v.lat))
                    .collect(),
            ),
            Ty::Polygon,
        ),
    }
}
