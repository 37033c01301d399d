//! Geometry in translation: values become DALI arrays through UDFs, and predicates are
//! flattened to scalar arguments wherever the shapes are known at check time
//! (`adql_point_in_circle(ra, dec, 10, 20, 0.5)` rather than building arrays per row).

use sqlparser::ast::{self, Expr};

use super::Lower;
use crate::check::ir::{BinOp, GeoFn, Literal, RExpr, Typed};
use crate::check::types::Ty;
use crate::geometry::{SkyPoint, box_vertices};
use crate::sql_ast::{call, float};
use crate::udf;

/// The literal value of a numeric literal (with sign), if it is one.
pub(crate) fn literal_number(e: &RExpr) -> Option<f64> {
    match e {
        RExpr::Literal(Literal::Number(n)) => n.parse().ok(),
        RExpr::Negate(inner) => literal_number(inner).map(|x| -x),
        RExpr::Nested(inner) => literal_number(inner),
        // Constant arithmetic such as `1.0 / 60` (a radius in arcminutes) folds to a literal;
        // a quotient of two integer literals is an integer division, as ADQL evaluates it.
        RExpr::Binary { op, left, right } => {
            let (a, b) = (literal_number(left)?, literal_number(right)?);
            match op {
                BinOp::Plus => Some(a + b),
                BinOp::Minus => Some(a - b),
                BinOp::Multiply => Some(a * b),
                BinOp::Divide if b == 0.0 => None,
                BinOp::Divide if is_integer(left) && is_integer(right) => Some((a / b).trunc()),
                BinOp::Divide => Some(a / b),
                _ => None,
            }
        }
        _ => None,
    }
}

/// Whether a literal expression is an exact integer, as ADQL types numbers without a point or
/// an exponent.
fn is_integer(e: &RExpr) -> bool {
    match e {
        RExpr::Literal(Literal::Number(n)) => n.bytes().all(|b| b.is_ascii_digit()),
        RExpr::Negate(inner) | RExpr::Nested(inner) => is_integer(inner),
        RExpr::Binary { op, left, right } => {
            matches!(
                op,
                BinOp::Plus | BinOp::Minus | BinOp::Multiply | BinOp::Divide
            ) && is_integer(left)
                && is_integer(right)
        }
        _ => false,
    }
}

/// A shape whose vertices are all literals, as a list of points (BOX expanded).
pub(crate) fn literal_polygon(e: &RExpr) -> Option<Vec<SkyPoint>> {
    match e {
        RExpr::Polygon(vertices) => vertices.iter().map(literal_point).collect(),
        RExpr::Box {
            centre,
            width,
            height,
        } => Some(box_vertices(
            literal_point(centre)?,
            literal_number(width)?,
            literal_number(height)?,
        )),
        _ => None,
    }
}

pub(crate) fn literal_point(e: &RExpr) -> Option<SkyPoint> {
    match e {
        RExpr::Point { lon, lat } => {
            Some(SkyPoint::new(literal_number(lon)?, literal_number(lat)?))
        }
        _ => None,
    }
}

impl Lower {
    /// The two coordinates of a POINT-valued expression.
    pub(crate) fn coordinates(&self, point: &RExpr) -> (Expr, Expr) {
        match point {
            RExpr::Point { lon, lat } => (self.expr(lon), self.expr(lat)),
            other => {
                let value = self.expr(other);
                (
                    call(udf::COORD1, vec![value.clone()]),
                    call(udf::COORD2, vec![value]),
                )
            }
        }
    }

    /// Lowers geometry constructors and functions.
    pub(crate) fn geometry(&self, e: &RExpr) -> Expr {
        match e {
            RExpr::Point { lon, lat } => call(udf::POINT, vec![self.expr(lon), self.expr(lat)]),
            RExpr::Circle { centre, radius } => {
                let (lon, lat) = self.coordinates(centre);
                call(udf::CIRCLE, vec![lon, lat, self.expr(radius)])
            }
            RExpr::Polygon(vertices) => call(
                udf::POLYGON,
                vertices
                    .iter()
                    .flat_map(|v| {
                        let (lon, lat) = self.coordinates(v);
                        [lon, lat]
                    })
                    .collect(),
            ),
            RExpr::Box {
                centre,
                width,
                height,
            } => match literal_polygon(e) {
                Some(vertices) => call(udf::POLYGON, flat(&vertices)),
                None => {
                    let (lon, lat) = self.coordinates(centre);
                    call(
                        udf::BOX,
                        vec![lon, lat, self.expr(width), self.expr(height)],
                    )
                }
            },
            RExpr::Distance { left, right } => {
                let (lon1, lat1) = self.coordinates(left);
                let (lon2, lat2) = self.coordinates(right);
                call(udf::DISTANCE, vec![lon1, lat1, lon2, lat2])
            }
            RExpr::GeoFn { func, arg } => match func {
                GeoFn::Coord1 | GeoFn::Coord2 => {
                    let (lon, lat) = self.coordinates(&arg.expr);
                    if *func == GeoFn::Coord1 { lon } else { lat }
                }
                GeoFn::Area => call(udf::AREA, vec![self.expr(&arg.expr)]),
                GeoFn::Centroid => match &arg.expr {
                    RExpr::Point { .. } => self.expr(&arg.expr),
                    RExpr::Circle { centre, .. } => self.expr(centre),
                    other => call(udf::CENTROID, vec![self.expr(other)]),
                },
            },
            RExpr::GeoPredicate {
                intersects,
                left,
                right,
            } => self.predicate(*intersects, left, right),
            _ => Expr::value(ast::Value::Null),
        }
    }

    /// CONTAINS/INTERSECTS as a boolean, flattened when the shapes allow it.
    pub(crate) fn predicate(&self, intersects: bool, left: &Typed, right: &Typed) -> Expr {
        if !intersects && left.ty == Ty::Point {
            if let RExpr::Circle { centre, radius } = &right.expr {
                let (lon, lat) = self.coordinates(&left.expr);
                let (clon, clat) = self.coordinates(centre);
                return call(
                    udf::POINT_IN_CIRCLE,
                    vec![lon, lat, clon, clat, self.expr(radius)],
                );
            }
            if let Some(vertices) = literal_polygon(&right.expr) {
                let (lon, lat) = self.coordinates(&left.expr);
                let mut args = vec![lon, lat];
                args.extend(flat(&vertices));
                return call(udf::POINT_IN_POLYGON, args);
            }
        }
        let name = if intersects {
            udf::INTERSECTS
        } else {
            udf::CONTAINS
        };
        call(name, vec![self.expr(&left.expr), self.expr(&right.expr)])
    }

    /// `1 = CONTAINS(...)`, `CONTAINS(...) = 0`, `<>` ... as the boolean predicate itself.
    pub(crate) fn geometric_comparison(
        &self,
        op: BinOp,
        left: &RExpr,
        right: &RExpr,
    ) -> Option<Expr> {
        let (predicate, value) = match (left, right) {
            (RExpr::GeoPredicate { .. }, other) => (left, literal_number(other)?),
            (other, RExpr::GeoPredicate { .. }) => (right, literal_number(other)?),
            _ => return None,
        };
        let truth = match (op, value) {
            (BinOp::Eq, 1.0) | (BinOp::NotEq, 0.0) => true,
            (BinOp::Eq, 0.0) | (BinOp::NotEq, 1.0) => false,
            _ => return None,
        };
        let test = self.geometry(predicate);
        Some(if truth {
            test
        } else {
            Expr::UnaryOp {
                op: ast::UnaryOperator::Not,
                expr: Box::new(test),
            }
        })
    }
}

pub(crate) fn flat(vertices: &[SkyPoint]) -> Vec<Expr> {
    vertices
        .iter()
        .flat_map(|v| [float(v.lon), float(v.lat)])
        .collect()
}
