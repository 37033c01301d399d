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

/// `hpx BETWEEN a AND b OR ...` covering the cone. Nothing for cones too large to be worth it.
fn ranges(cone: &Cone) -> Option<Expr> {
    let column = Expr::CompoundIdentifier(vec![
        quoted(&cone.alias),
        quoted(&cone.index.healpix_column),
    ]);
    let mut terms = cone_ranges(cone.index.order, cone.centre, cone.radius)?
        .into_iter()
        .map(|(low, high)| Expr::Between {
            expr: Box::new(column.clone()),
            negated: false,
            low: Box::new(number(low.to_string())),
            high: Box::new(number(high.to_string())),
        });
    let first = terms.next()?;
    let any = terms.fold(first, |acc, t| binary(acc, sqlparser::ast::BinaryOperator::Or, t));
    Some(Expr::Nested(Box::new(any)))
}

/// Inclusive ranges of NESTED indices at `order` covering every cell that touches the cone,
/// using coarser cells when the list would exceed [`MAX_RANGES`].
pub(crate) fn cone_ranges(order: u8, centre: SkyPoint, radius: f64) -> Option<Vec<(u64, u64)>> {
    let usable = radius.is_finite()
        && (0.0..60.0).contains(&radius)
        && centre.lon.is_finite()
        && (-90.0..=90.0).contains(&centre.lat);
    if !usable {
        return None;
    }
    let order = order.min(29);
    // A small margin: the ranges must never lose a row on the boundary.
    let radius = (radius * (1.0 + 1e-9) + 1e-9).to_radians();
    let lon = crate::geometry::normalize_lon(centre.lon).to_radians();
    let lat = centre.lat.to_radians();
    let mut depth = order;
    let ranges = loop {
        let moc = cdshealpix::nested::cone_coverage_approx(depth, lon, lat, radius);
        let ranges = moc.to_ranges();
        if ranges.len() <= MAX_RANGES || depth == 0 {
            break ranges;
        }
        depth -= 1;
    };
    // The ranges are at `depth`: each cell there holds 4^(order - depth) cells at `order`.
    let shift = 2 * u32::from(order - depth);
    Some(
        ranges
            .iter()
            .filter(|r| r.end > r.start)
            .map(|r| (r.start << shift, (r.end << shift) - 1))
            .collect(),
    )
}

/// Crossmatch joins: see the module documentation of the bucketed join (phase 2).
pub(crate) fn crossmatch(_left: &RFrom, _right: &RFrom, _on: &RExpr) -> Option<Expr> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> f64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 >> 11) as f64 / (1u64 << 53) as f64
        }
    }

    /// Brute force: every point of the cone (found with the exact distance) has its HEALPix
    /// index in the ranges, at the poles, across ra = 0/360 and for large radii.
    #[test]
    fn cone_ranges_never_lose_a_point() {
        let mut rng = Rng(0x2545_f491_4f6c_dd1d);
        let cones = [
            (SkyPoint::new(0.0, 90.0), 1.0),
            (SkyPoint::new(180.0, -89.9), 0.5),
            (SkyPoint::new(359.95, 0.0), 0.3),
            (SkyPoint::new(0.01, -45.0), 2.0),
            (SkyPoint::new(123.4, 56.7), 0.01),
            (SkyPoint::new(200.0, 10.0), 30.0),
            (SkyPoint::new(90.0, 41.8), 59.0),
        ];
        for order in [6u8, 10, 14] {
            for (centre, radius) in cones {
                let ranges = cone_ranges(order, centre, radius).unwrap();
                assert!(ranges.len() <= MAX_RANGES, "{} ranges", ranges.len());
                let mut inside = 0;
                for _ in 0..20_000 {
                    // Points sampled in and around the cone.
                    let d = radius * 1.2 * rng.next().sqrt();
                    let bearing = 360.0 * rng.next();
                    let p = destination(centre, d, bearing);
                    if distance(p, centre) > radius {
                        continue;
                    }
                    inside += 1;
                    let hash = cdshealpix::nested::hash(order, p.lon.to_radians(), p.lat.to_radians());
                    assert!(
                        ranges.iter().any(|(lo, hi)| (*lo..=*hi).contains(&hash)),
                        "order {order}: {p:?} of cone {centre:?} r={radius} lost"
                    );
                }
                assert!(inside > 1000);
            }
        }
    }

    /// The point at `d` degrees from `from` on the bearing (degrees east of north).
    fn destination(from: SkyPoint, d: f64, bearing: f64) -> SkyPoint {
        let (lat1, lon1) = (from.lat.to_radians(), from.lon.to_radians());
        let (d, b) = (d.to_radians(), bearing.to_radians());
        let lat2 = (lat1.sin() * d.cos() + lat1.cos() * d.sin() * b.cos()).asin();
        let lon2 = lon1
            + (b.sin() * d.sin() * lat1.cos()).atan2(d.cos() - lat1.sin() * lat2.sin());
        SkyPoint::new(crate::geometry::normalize_lon(lon2.to_degrees()), lat2.to_degrees())
    }

    #[test]
    fn no_ranges_for_useless_or_invalid_cones() {
        assert!(cone_ranges(10, SkyPoint::new(0.0, 0.0), 120.0).is_none());
        assert!(cone_ranges(10, SkyPoint::new(f64::NAN, 0.0), 1.0).is_none());
        assert!(cone_ranges(10, SkyPoint::new(0.0, 95.0), 1.0).is_none());
        assert!(cone_ranges(10, SkyPoint::new(0.0, 0.0), -1.0).is_none());
    }
}
