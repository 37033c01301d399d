//! Sky-index pruning: positional constraints on a table with a HEALPix index column also get a
//! range predicate on that column, so that Parquet row-group and page statistics (the files are
//! sorted by the index) skip what cannot match. The exact test stays: the ranges only narrow.

use sqlparser::ast::Expr;

use super::geometry::{literal_number, literal_point, literal_polygon};
use crate::check::ir::{BinOp, RExpr, RFrom, RSelect};
use crate::geometry::{SkyPoint, distance};
use crate::schema::SkyIndex;
use crate::sql_ast::{binary, number, quoted};

/// The most ranges a coverage is computed with; coarser cells are used beyond.
const FINE_RANGES: usize = 64;

/// The most ranges a predicate lists: planning, pruning and the row filter all cost in
/// proportion to it, so the finest coverage is merged across its smallest gaps down to this.
const MAX_RANGES: usize = 4;

/// A cone known at check time on the indexed position of one table.
struct Cone {
    alias: String,
    index: SkyIndex,
    centre: SkyPoint,
    radius: f64,
}

/// An index range predicate, and the fraction of the sky its ranges cover.
pub(crate) struct Pruning {
    pub predicate: Expr,
    pub sky_fraction: f64,
}

/// Range predicates for every top-level conjunct of `condition` that bounds an indexed
/// position to a cone, polygon or box.
pub(crate) fn prune(select: &RSelect, condition: &RExpr) -> Vec<Pruning> {
    let tables = indexed_tables(&select.from);
    conjuncts(condition)
        .into_iter()
        .filter_map(|c| cone(c, &tables))
        .filter_map(|cone| ranges(&cone))
        .collect()
}

/// The terms of `condition` joined by AND, through any parentheses.
fn conjuncts(condition: &RExpr) -> Vec<&RExpr> {
    let mut terms = Vec::new();
    let mut pending = vec![condition];
    while let Some(c) = pending.pop() {
        match c {
            RExpr::Binary {
                op: BinOp::And,
                left,
                right,
            } => {
                pending.push(left);
                pending.push(right);
            }
            RExpr::Nested(inner) => pending.push(inner),
            other => terms.push(other),
        }
    }
    terms
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
    tables.iter().find(|(alias, index)| {
        **alias == **r1 && **alias == **r2 && *index.ra == **c1 && *index.dec == **c2
    })
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
fn ranges(cone: &Cone) -> Option<Pruning> {
    let column = Expr::CompoundIdentifier(vec![
        quoted(&cone.alias),
        quoted(&cone.index.healpix_column),
    ]);
    let ranges = cone_ranges(cone.index.order, cone.centre, cone.radius)?;
    let cells: u64 = ranges.iter().map(|(low, high)| high - low + 1).sum();
    let sky_fraction = cells as f64 / cdshealpix::n_hash(cone.index.order.min(29)) as f64;
    let mut terms = ranges.into_iter().map(|(low, high)| Expr::Between {
        expr: Box::new(column.clone()),
        negated: false,
        low: Box::new(number(low.to_string())),
        high: Box::new(number(high.to_string())),
    });
    let first = terms.next()?;
    let any = terms.fold(first, |acc, t| {
        binary(acc, sqlparser::ast::BinaryOperator::Or, t)
    });
    Some(Pruning {
        predicate: Expr::Nested(Box::new(any)),
        sky_fraction,
    })
}

/// At most [`MAX_RANGES`] inclusive ranges of NESTED indices at `order` covering every cell
/// that touches the cone.
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
    // Start where a few cells cover the cone and refine while the list stays short: the cost
    // of a coverage grows with the number of cells, so never start at the index's own order.
    let coverage =
        |depth| cdshealpix::nested::cone_coverage_approx(depth, lon, lat, radius).to_ranges();
    let start = if cdshealpix::has_best_starting_depth(radius) {
        cdshealpix::best_starting_depth(radius)
    } else {
        0
    };
    let mut depth = start.min(order);
    let mut ranges = coverage(depth);
    while depth < order {
        let finer = coverage(depth + 1);
        if finer.len() > FINE_RANGES {
            break;
        }
        ranges = finer;
        depth += 1;
    }
    // The ranges are at `depth`: each cell there holds 4^(order - depth) cells at `order`.
    let shift = 2 * u32::from(order - depth);
    let ranges = ranges
        .iter()
        .filter(|r| r.end > r.start)
        .map(|r| (r.start << shift, (r.end << shift) - 1))
        .collect();
    Some(merge_smallest_gaps(ranges, MAX_RANGES))
}

/// Joins neighbouring ranges across the smallest gaps until at most `max` remain: in a file
/// sorted by the index, a small gap costs a few rows read, a range costs planning time.
fn merge_smallest_gaps(mut ranges: Vec<(u64, u64)>, max: usize) -> Vec<(u64, u64)> {
    while ranges.len() > max.max(1) {
        let narrowest = (1..ranges.len())
            .min_by_key(|&i| ranges[i].0 - ranges[i - 1].1)
            .expect("at least two ranges");
        ranges[narrowest - 1].1 = ranges[narrowest].1;
        ranges.remove(narrowest);
    }
    ranges
}

/// A crossmatch between the indexed positions of two tables: a join whose condition (or a
/// WHERE over a comma join) holds `1 = CONTAINS(POINT(a.ra, a.dec), CIRCLE(b.ra, b.dec, r))`,
/// `DISTANCE(POINT(a.ra, a.dec), POINT(b.ra, b.dec)) < r` or a mirrored form, with `r` a literal.
///
/// Strategy: at the HEALPix order `order` ([`crate::healpix::crossmatch_order`]) every point
/// within `r` of a point lies in that point's cell or one of its 8 neighbours. The left table is
/// joined with the 9 directions 0..=8 (a cross product with a 9-row VALUES list), and the right
/// table is equi-joined on
/// `right.hpx / 4^(right order - order) = adql_healpix_neighbour(order, left.hpx / 4^(left
/// order - order), direction)`, which DataFusion runs as a hash join; the exact test then keeps
/// the true pairs. Each neighbour appears under one direction only, so no pair is duplicated,
/// and none is lost (proved on synthetic points near cell edges in the tests below).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Crossmatch {
    pub order: u8,
}

/// The crossmatch between `a` and `b` that `condition` contains among its top-level conjuncts.
pub(crate) fn crossmatch(
    condition: &RExpr,
    a: (&str, &SkyIndex),
    b: (&str, &SkyIndex),
) -> Option<Crossmatch> {
    let tables = [
        (a.0.to_string(), a.1.clone()),
        (b.0.to_string(), b.1.clone()),
    ];
    let radius = conjuncts(condition)
        .into_iter()
        .find_map(|c| pair_radius(c, &tables))?;
    let order = crate::healpix::crossmatch_order(radius)?
        .min(a.1.order)
        .min(b.1.order);
    Some(Crossmatch { order })
}

/// The radius of a conjunct relating the indexed points of the two tables.
fn pair_radius(condition: &RExpr, tables: &[(String, SkyIndex)]) -> Option<f64> {
    let RExpr::Binary { op, left, right } = condition else {
        return None;
    };
    let both = |p: &RExpr, q: &RExpr| {
        let (x, y) = (indexed_point(p, tables)?, indexed_point(q, tables)?);
        (x.0 != y.0).then_some(())
    };
    if let (BinOp::Eq, p @ RExpr::GeoPredicate { .. }, v)
    | (BinOp::Eq, v, p @ RExpr::GeoPredicate { .. }) = (*op, &**left, &**right)
        && literal_number(v) == Some(1.0)
        && let RExpr::GeoPredicate {
            intersects: false,
            left: point,
            right: shape,
        } = p
        && let RExpr::Circle { centre, radius } = &shape.expr
    {
        both(&point.expr, centre)?;
        return literal_number(radius);
    }
    let (d, limit) = match (op, &**left, &**right) {
        (BinOp::Lt | BinOp::LtEq, d @ RExpr::Distance { .. }, r) => (d, r),
        (BinOp::Gt | BinOp::GtEq, r, d @ RExpr::Distance { .. }) => (d, r),
        _ => return None,
    };
    let RExpr::Distance { left: p, right: q } = d else {
        return None;
    };
    both(p, q)?;
    literal_number(limit)
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
                    let hash =
                        cdshealpix::nested::hash(order, p.lon.to_radians(), p.lat.to_radians());
                    assert!(
                        ranges.iter().any(|(lo, hi)| (*lo..=*hi).contains(&hash)),
                        "order {order}: {p:?} of cone {centre:?} r={radius} lost"
                    );
                }
                assert!(inside > 1000);
            }
        }
    }

    /// The bucket join keeps every pair closer than the radius, for points spread over the
    /// sky and points just inside and outside the cells' edges and corners.
    #[test]
    fn crossmatch_buckets_never_lose_a_pair() {
        let mut rng = Rng(0x1234_5678_9abc_def1);
        for (radius, order_a, order_b) in [
            (1.0 / 3600.0, 12u8, 10u8),
            (0.05, 10, 10),
            (1.0, 8, 6),
            (10.0, 10, 12),
        ] {
            let k = crate::healpix::crossmatch_order(radius)
                .unwrap()
                .min(order_a)
                .min(order_b);
            let bucket = |p: SkyPoint, order: u8| {
                let h = crate::healpix::index(i64::from(order), p.lon, p.lat).unwrap();
                h >> (2 * u32::from(order - k))
            };
            let mut pairs = 0;
            for i in 0..20_000 {
                // Alternately anywhere, near a corner of a cell at `k`, near the poles.
                let a = match i % 3 {
                    0 => SkyPoint::new(
                        360.0 * rng.next(),
                        (2.0 * rng.next() - 1.0).asin().to_degrees(),
                    ),
                    1 => {
                        let cell = (rng.next() * cdshealpix::nested::n_hash(k) as f64) as u64;
                        let corners = cdshealpix::nested::vertices(k, cell);
                        let (lon, lat) = corners[(rng.next() * 4.0) as usize % 4];
                        destination(
                            SkyPoint::new(lon.to_degrees(), lat.to_degrees()),
                            radius * rng.next(),
                            360.0 * rng.next(),
                        )
                    }
                    _ => SkyPoint::new(
                        360.0 * rng.next(),
                        89.0 + rng.next() * (if rng.next() < 0.5 { 1.0 } else { -1.0 })
                            - if rng.next() < 0.5 { 0.0 } else { 178.0 },
                    ),
                };
                let b = destination(a, radius * (0.999 + 0.001 * rng.next()), 360.0 * rng.next());
                if distance(a, b) > radius {
                    continue;
                }
                pairs += 1;
                let ka = bucket(a, order_a) as i64;
                let kb = bucket(b, order_b);
                let found = (0..9)
                    .filter(|d| crate::healpix::neighbour(i64::from(k), ka, *d) == Some(kb))
                    .count();
                assert_eq!(
                    found, 1,
                    "pair {a:?} {b:?} r={radius} k={k}: found under {found} directions"
                );
            }
            assert!(pairs > 10_000);
        }
    }

    /// The point at `d` degrees from `from` on the bearing (degrees east of north).
    fn destination(from: SkyPoint, d: f64, bearing: f64) -> SkyPoint {
        let (lat1, lon1) = (from.lat.to_radians(), from.lon.to_radians());
        let (d, b) = (d.to_radians(), bearing.to_radians());
        let lat2 = (lat1.sin() * d.cos() + lat1.cos() * d.sin() * b.cos()).asin();
        let lon2 = lon1 + (b.sin() * d.sin() * lat1.cos()).atan2(d.cos() - lat1.sin() * lat2.sin());
        SkyPoint::new(
            crate::geometry::normalize_lon(lon2.to_degrees()),
            lat2.to_degrees(),
        )
    }

    /// Brute force for BOX and POLYGON: every point inside (exact test) is in the ranges of
    /// the bounding cone, including shapes at the pole and across ra = 0/360.
    #[test]
    fn polygon_and_box_ranges_never_lose_a_point() {
        let mut rng = Rng(0x0bad_cafe_1234_5678);
        let shapes: Vec<Vec<SkyPoint>> = vec![
            crate::geometry::box_vertices(SkyPoint::new(0.0, 0.0), 2.0, 1.0),
            crate::geometry::box_vertices(SkyPoint::new(45.0, 89.5), 3.0, 3.0),
            [(350.0, -5.0), (10.0, -5.0), (10.0, 5.0), (350.0, 5.0)]
                .map(|(l, b)| SkyPoint::new(l, b))
                .to_vec(),
            [(0.0, 80.0), (270.0, 80.0), (180.0, 80.0), (90.0, 80.0)]
                .map(|(l, b)| SkyPoint::new(l, b))
                .to_vec(),
            [(10.0, 10.0), (12.0, 10.0), (11.0, 12.0)]
                .map(|(l, b)| SkyPoint::new(l, b))
                .to_vec(),
        ];
        for vertices in shapes {
            let polygon = crate::geometry::Polygon::new(&vertices).unwrap();
            let (centre, radius) = bounding_cone(&vertices).unwrap();
            let ranges = cone_ranges(10, centre, radius).unwrap();
            let mut inside = 0;
            for _ in 0..20_000 {
                let p = destination(centre, radius * 1.1 * rng.next().sqrt(), 360.0 * rng.next());
                if !polygon.contains_point(p) {
                    continue;
                }
                inside += 1;
                let hash = cdshealpix::nested::hash(10, p.lon.to_radians(), p.lat.to_radians());
                assert!(
                    ranges.iter().any(|(lo, hi)| (*lo..=*hi).contains(&hash)),
                    "{p:?} of {vertices:?} lost"
                );
            }
            assert!(inside > 1000, "{inside}");
        }
    }

    #[test]
    fn no_ranges_for_useless_or_invalid_cones() {
        assert!(cone_ranges(10, SkyPoint::new(0.0, 0.0), 120.0).is_none());
        assert!(cone_ranges(10, SkyPoint::new(f64::NAN, 0.0), 1.0).is_none());
        assert!(cone_ranges(10, SkyPoint::new(0.0, 95.0), 1.0).is_none());
        assert!(cone_ranges(10, SkyPoint::new(0.0, 0.0), -1.0).is_none());
    }
}
