//! Sky-index pruning: positional constraints on a table with a HEALPix index column also get a
//! range predicate on that column, so that Parquet row-group and page statistics (the files are
//! sorted by the index) skip what cannot match. The exact test stays: the ranges only narrow.

use sqlparser::ast::Expr;

use super::geometry::{literal_number, literal_point, literal_polygon};
use super::{binary, number, quoted};
use crate::check::ir::{BinOp, RExpr, RFrom, RSelect};
use crate::geometry::{SkyPoint, distance};
use crate::schema::SkyIndex;

/// The most ranges a predicate lists; coarser cells are used beyond.
const MAX_RANGES: usize = 24;

/// A cone known at check time on the indexed position of one table.
struct Cone {
    alias: String,
    index: SkyIndex,
    centre: SkyPoint,
    radius: f64,
}

/// Range predicates for every top-level conjunct of `condition` that bounds an indexed
/// position to a cone, polygon or box.
pub(crate) fn prune(select: &RSelect, condition: &RExpr) -> Vec<Expr> {
    let tables = indexed_tables(&select.from);
    let mut predicates = Vec::new();
    let mut conjuncts = vec![condition];
    while let Some(c) = conjuncts.pop() {
        match c {
            RExpr::Binary {
                op: BinOp::And,
                left,
                right,
            } => {
                conjuncts.push(left);
                conjuncts.push(right);
            }
            RExpr::Nested(inner) => conjuncts.push(inner),
            other => {
                if let Some(cone) = cone(other, &tables) {
                    predicates.extend(ranges(&cone));
                }
            }
        }
    }
    predicates
}

fn indexed_tables(from: &[RFrom]) -> Vec<(String, SkyIndex)> {
    let mut tables = Vec::new();
    let mut pending: Vec<&RFrom> = from.iter().collect();
    while let Some(item) = pending.pop() {
        match item {
            RFrom::Table {
                alias,
                sky_index: Some(index),
                ..
            } => tables.push((alias.clone(), index.clone())),
            // Only inner joins keep a WHERE constraint equivalent to a filter on each side.
            RFrom::Join {
                kind: crate::check::ir::JoinKind::Inner,
                left,
                right,
                ..
            } => {
                pending.push(left);
                pending.push(right);
            }
            _ => {}
        }
    }
    tables
}

/// The table whose indexed (ra, dec) a POINT expression is, if any.
fn indexed_point<'a>(
    point: &RExpr,
    tables: &'a [(String, SkyIndex)],
) -> Option<&'a (String, SkyIndex)> {
    let RExpr::Point { lon, lat } = point else {
        return None;
    };
    let (
        RExpr::Column {
            relation: r1,
            column: c1,
        },
        RExpr::Column {
            relation: r2,
            column: c2,
        },
    ) = (&**lon, &**lat)
    else {
        return None;
    };
    tables
        .iter()
        .find(|(alias, index)| alias == r1 && alias == r2 && &index.ra == c1 && &index.dec == c2)
}

fn cone(condition: &RExpr, tables: &[(String, SkyIndex)]) -> Option<Cone> {
    let RExpr::Binary { op, left, right } = condition else {
        return None;
    };
    // 1 = CONTAINS(POINT(ra, dec), shape), CONTAINS(...) = 1
    let predicate = match (&**left, &**right) {
        (p @ RExpr::GeoPredicate { .. }, v) | (v, p @ RExpr::GeoPredicate { .. })
            if *op == BinOp::Eq && literal_number(v) == Some(1.0) =>
        {
            Some(p)
        }
        _ => None,
    };
    if let Some(RExpr::GeoPredicate {
        intersects: false,
        left: point,
        right: shape,
    }) = predicate
    {
        let (alias, index) = indexed_point(&point.expr, tables)?;
        let (centre, radius) = match &shape.expr {
            RExpr::Circle { centre, radius } => (literal_point(centre)?, literal_number(radius)?),
            other => bounding_cone(&literal_polygon(other)?)?,
        };
        return Some(Cone {
            alias: alias.clone(),
            index: index.clone(),
            centre,
            radius,
        });
    }
    // DISTANCE(POINT(ra, dec), POINT(a, b)) < r, and mirrored forms.
    let (distance_expr, limit) = match (op, &**left, &**right) {
        (BinOp::Lt | BinOp::LtEq, d @ RExpr::Distance { .. }, r) => (d, literal_number(r)?),
        (BinOp::Gt | BinOp::GtEq, r, d @ RExpr::Distance { .. }) => (d, literal_number(r)?),
        _ => return None,
    };
    let RExpr::Distance { left: a, right: b } = distance_expr else {
        return None;
    };
    let (table, centre) = match (indexed_point(a, tables), indexed_point(b, tables)) {
        (Some(t), None) => (t, literal_point(b)?),
        (None, Some(t)) => (t, literal_point(a)?),
        _ => return None,
    };
    Some(Cone {
        alias: table.0.clone(),
        index: table.1.clone(),
        centre,
        radius: limit,
    })
}

/// A cone containing every vertex (and so the polygon, when smaller than a hemisphere).
fn bounding_cone(vertices: &[SkyPoint]) -> Option<(SkyPoint, f64)> {
    let polygon = crate::geometry::Polygon::new(vertices)?;
    let centre = polygon.centroid();
    let radius = vertices
        .iter()
        .map(|v| distance(centre, *v))
        .fold(0.0, f64::max);
    (radius < 90.0).then_some((centre, radius))
}

/// `hpx BETWEEN a AND b OR ...` covering the cone at the index order (coarser cells when the
/// list would be long). Nothing for cones too large to be worth it.
fn ranges(cone: &Cone) -> Option<Expr> {
    let usable = cone.radius.is_finite()
        && (0.0..60.0).contains(&cone.radius)
        && cone.centre.lon.is_finite()
        && (-90.0..=90.0).contains(&cone.centre.lat);
    if !usable {
        return None;
    }
    let order = cone.index.order.min(29);
    // A small margin: the ranges must never lose a row on the boundary.
    let radius = (cone.radius * (1.0 + 1e-9) + 1e-9).to_radians();
    let lon = crate::geometry::normalize_lon(cone.centre.lon).to_radians();
    let lat = cone.centre.lat.to_radians();
    let mut depth = order;
    let ranges = loop {
        let moc = cdshealpix::nested::cone_coverage_approx(depth, lon, lat, radius);
        let ranges = moc.to_ranges();
        if ranges.len() <= MAX_RANGES || depth == 0 {
            break ranges;
        }
        depth -= 1;
    };
    // Ranges at `depth` expressed at the index order.
    let shift = 2 * u32::from(order - depth.min(order));
    let column = Expr::CompoundIdentifier(vec![
        quoted(&cone.alias),
        quoted(&cone.index.healpix_column),
    ]);
    let terms: Vec<Expr> = ranges
        .iter()
        .map(|r| {
            let start = r.start << shift;
            let end = r.end << shift;
            Expr::Between {
                expr: Box::new(column.clone()),
                negated: false,
                low: Box::new(number(start.to_string())),
                high: Box::new(number((end.saturating_sub(1)).to_string())),
            }
        })
        .collect();
    let mut terms = terms.into_iter();
    let first = terms.next()?;
    let any = terms.fold(first, |acc, t| {
        binary(acc, sqlparser::ast::BinaryOperator::Or, t)
    });
    Some(Expr::Nested(Box::new(any)))
}

/// Crossmatch joins: see the module documentation of the bucketed join (phase 2).
pub(crate) fn crossmatch(_left: &RFrom, _right: &RFrom, _on: &RExpr) -> Option<Expr> {
    None
}
