//! Longitudes across the seam: geometries whose edges cross ±180° (or 0° in data stored as
//! 0..360 east) are cut there and written in −180..180, as RFC 7946 §3.1.9 asks ("Antimeridian
//! Cutting"); rings around a pole are closed along the pole; and bounding boxes are computed on
//! unwrapped longitudes so that one box per feature describes it whichever way it is stored.
//!
//! The rule that makes this possible: consecutive vertices are less than 180° of longitude apart,
//! so an edge always takes the shorter way round (densify longer edges before storing them). An
//! edge along a pole (both ends at ±90°) is the pole itself and is kept as written.

use super::geometry::{Geometry, Position, Ring};

/// Rewrites `points` so that consecutive longitudes differ by at most 180°; returns the net
/// longitude travelled (±360 for a ring that goes round a pole, 0 otherwise).
fn unwrap(points: &mut [Position]) -> f64 {
    for i in 1..points.len() {
        let [x0, y0] = points[i - 1];
        let [x, y] = points[i];
        if y0.abs() == 90.0 && y.abs() == 90.0 {
            continue;
        }
        let mut dx = x - x0;
        dx -= 360.0 * (dx / 360.0).round();
        points[i][0] = x0 + dx;
    }
    match (points.first(), points.last()) {
        (Some(first), Some(last)) => last[0] - first[0],
        _ => 0.0,
    }
}

/// A ring around a pole, unwrapped, turned into an ordinary lon/lat polygon by running along
/// the pole: the one nearer the ring's mean latitude.
fn close_around_pole(ring: &mut Ring) {
    let mean_lat = ring.iter().map(|p| p[1]).sum::<f64>() / ring.len().max(1) as f64;
    let pole = if mean_lat >= 0.0 { 90.0 } else { -90.0 };
    if let (Some(&[x_first, _]), Some(&[x_last, _])) = (ring.first(), ring.last()) {
        ring.push([x_last, pole]);
        ring.push([x_first, pole]);
        if let Some(&first) = ring.first() {
            ring.push(first);
        }
    }
}

/// Unwraps a polygon's rings; each hole is moved by whole turns next to the exterior.
fn unwrap_polygon(rings: &mut [Ring]) {
    let mut exterior_x = None;
    for ring in rings.iter_mut() {
        let travelled = unwrap(ring);
        if travelled.abs() > 180.0 {
            close_around_pole(ring);
        }
        let Some(&[x0, _]) = ring.first() else {
            continue;
        };
        match exterior_x {
            None => exterior_x = Some(x0),
            Some(reference) => {
                let turns = ((reference - x0) / 360.0).round();
                ring.iter_mut().for_each(|p| p[0] += 360.0 * turns);
            }
        }
    }
}

fn span(points: &[Position]) -> (f64, f64) {
    points
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| {
            (lo.min(p[0]), hi.max(p[0]))
        })
}

/// The feature's bounding box `[xmin, ymin, xmax, ymax]` on unwrapped longitudes: xmin ≤ xmax
/// always, and the box may reach past the storage convention's ends (e.g. 359..361) so that one
/// box describes a feature across the seam. Rings around a pole span −180..180 and reach it.
pub fn unwrapped_bbox(geometry: &Geometry) -> Option<[f64; 4]> {
    let mut bbox = [
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    ];
    let mut add = |points: &[Position]| {
        for p in points {
            bbox = [
                bbox[0].min(p[0]),
                bbox[1].min(p[1]),
                bbox[2].max(p[0]),
                bbox[3].max(p[1]),
            ];
        }
    };
    let mut polygon = |rings: &[Ring]| {
        let mut rings = rings.to_vec();
        unwrap_polygon(&mut rings);
        for ring in &rings {
            let (lo, hi) = span(ring);
            if hi - lo >= 360.0 {
                add(&[[-180.0, ring[0][1]], [180.0, ring[0][1]]]);
            }
        }
        rings.iter().for_each(|r| add(r));
    };
    match geometry {
        Geometry::Point(p) => add(&[*p]),
        Geometry::MultiPoint(points) => add(points),
        Geometry::LineString(points) => {
            let mut points = points.clone();
            unwrap(&mut points);
            add(&points);
        }
        Geometry::MultiLineString(lines) => {
            for line in lines {
                let mut line = line.clone();
                unwrap(&mut line);
                add(&line);
            }
        }
        Geometry::Polygon(rings) => polygon(rings),
        Geometry::MultiPolygon(polygons) => polygons.iter().for_each(|p| polygon(p)),
    }
    if bbox[2] - bbox[0] >= 360.0 {
        bbox[0] = -180.0;
        bbox[2] = 180.0;
    }
    bbox.iter().all(|v| v.is_finite()).then_some(bbox)
}

/// One part of a geometry, longitudes unwrapped (rings round a pole closed along it).
#[derive(Debug, Clone, PartialEq)]
pub enum Part {
    Points(Vec<Position>),
    Line(Vec<Position>),
    Polygon(Vec<Ring>),
}

/// The parts of `geometry` with unwrapped longitudes, for tests in the lon/lat plane.
pub fn unwrapped_parts(geometry: &Geometry) -> Vec<Part> {
    let line = |points: &[Position]| {
        let mut points = points.to_vec();
        unwrap(&mut points);
        Part::Line(points)
    };
    let polygon = |rings: &[Ring]| {
        let mut rings = rings.to_vec();
        unwrap_polygon(&mut rings);
        Part::Polygon(rings)
    };
    match geometry {
        Geometry::Point(p) => vec![Part::Points(vec![*p])],
        Geometry::MultiPoint(points) => vec![Part::Points(points.clone())],
        Geometry::LineString(points) => vec![line(points)],
        Geometry::MultiLineString(lines) => lines.iter().map(|l| line(l)).collect(),
        Geometry::Polygon(rings) => vec![polygon(rings)],
        Geometry::MultiPolygon(polygons) => polygons.iter().map(|p| polygon(p)).collect(),
    }
}

/// Wraps a longitude into −180..180 (180 itself is kept).
pub fn wrap(x: f64) -> f64 {
    if (-180.0..=180.0).contains(&x) {
        x
    } else {
        (x + 180.0).rem_euclid(360.0) - 180.0
    }
}

/// Whether a line or ring can be written as it is: inside −180..180 with no edge that jumps.
fn already_cut(points: &[Position]) -> bool {
    points.iter().all(|p| (-180.0..=180.0).contains(&p[0]))
        && points.windows(2).all(|w| {
            (w[1][0] - w[0][0]).abs() <= 180.0 || (w[0][1].abs() == 90.0 && w[1][1].abs() == 90.0)
        })
}

/// Indices `k` of the strips `[360k − 180, 360k + 180]` that `lo..hi` touches with some width.
fn strips(lo: f64, hi: f64) -> std::ops::RangeInclusive<i64> {
    let first = ((lo + 180.0) / 360.0).floor() as i64;
    let last = ((hi + 180.0) / 360.0).ceil() as i64 - 1;
    first..=last.max(first)
}

/// Sutherland–Hodgman clipping of a closed ring against the half plane `x ≥ c` (`keep_above`)
/// or `x ≤ c`.
fn clip_ring(ring: &[Position], c: f64, keep_above: bool) -> Ring {
    let inside = |p: &Position| if keep_above { p[0] >= c } else { p[0] <= c };
    let cross = |a: &Position, b: &Position| {
        let t = (c - a[0]) / (b[0] - a[0]);
        [c, a[1] + t * (b[1] - a[1])]
    };
    let mut out = Vec::with_capacity(ring.len() + 4);
    for edge in ring.windows(2) {
        let (a, b) = (&edge[0], &edge[1]);
        match (inside(a), inside(b)) {
            (true, true) => out.push(*b),
            (true, false) => out.push(cross(a, b)),
            (false, true) => {
                out.push(cross(a, b));
                out.push(*b);
            }
            (false, false) => {}
        }
    }
    if let Some(&first) = out.first() {
        out.push(first);
    }
    out
}

fn area(ring: &[Position]) -> f64 {
    ring.windows(2)
        .map(|w| w[0][0] * w[1][1] - w[1][0] * w[0][1])
        .sum::<f64>()
        / 2.0
}

/// The part of a ring in strip `k`, moved into −180..180; None when nothing with area is left.
fn ring_in_strip(ring: &[Position], k: i64) -> Option<Ring> {
    let centre = 360.0 * k as f64;
    let clipped = clip_ring(
        &clip_ring(ring, centre - 180.0, true),
        centre + 180.0,
        false,
    );
    if clipped.len() < 4 || area(&clipped).abs() < 1e-12 {
        return None;
    }
    Some(clipped.into_iter().map(|[x, y]| [x - centre, y]).collect())
}

fn cut_polygon(mut rings: Vec<Ring>, out: &mut Vec<Vec<Ring>>) {
    if rings.iter().all(|r| already_cut(r)) {
        out.push(rings);
        return;
    }
    unwrap_polygon(&mut rings);
    let Some(exterior) = rings.first() else {
        return;
    };
    let (lo, hi) = span(exterior);
    let strips = strips(lo, hi);
    if strips.start() == strips.end() && area(exterior).abs() >= 1e-12 {
        // Within one strip (e.g. stored in 0..360 east): moved whole, nothing to cut.
        let shift = 360.0 * *strips.start() as f64;
        for ring in &mut rings {
            ring.iter_mut().for_each(|p| p[0] -= shift);
        }
        out.push(rings);
        return;
    }
    for k in strips {
        let Some(shell) = ring_in_strip(exterior, k) else {
            continue;
        };
        let mut polygon = vec![shell];
        polygon.extend(rings[1..].iter().filter_map(|hole| ring_in_strip(hole, k)));
        out.push(polygon);
    }
}

fn cut_line(points: &[Position], out: &mut Vec<Vec<Position>>) {
    if already_cut(points) {
        out.push(points.to_vec());
        return;
    }
    let mut points = points.to_vec();
    unwrap(&mut points);
    let mut piece: Vec<Position> = Vec::new();
    let strip = |x: f64| ((x + 180.0) / 360.0).floor() as i64;
    for (i, &p) in points.iter().enumerate() {
        if i > 0 {
            let a = points[i - 1];
            let (ka, kb) = (strip(a[0]), strip(p[0]));
            if ka != kb {
                // Crosses the seam between the strips: end here, start again on the other side.
                let seam = 360.0 * ka.max(kb) as f64 - 180.0;
                let t = (seam - a[0]) / (p[0] - a[0]);
                let y = a[1] + t * (p[1] - a[1]);
                let (end, start) = if kb > ka {
                    (180.0, -180.0)
                } else {
                    (-180.0, 180.0)
                };
                piece.push([end, y]);
                out.push(std::mem::take(&mut piece));
                piece.push([start, y]);
            }
        }
        piece.push([wrap(p[0]), p[1]]);
    }
    if piece.len() > 1 {
        out.push(piece);
    }
}

/// The geometry with longitudes in −180..180, cut where it crosses the seam: a polygon that
/// crosses becomes a MultiPolygon, a line a MultiLineString (RFC 7946 §3.1.9).
pub fn cut_at_antimeridian(geometry: Geometry) -> Geometry {
    match geometry {
        Geometry::Point([x, y]) => Geometry::Point([wrap(x), y]),
        Geometry::MultiPoint(points) => {
            Geometry::MultiPoint(points.into_iter().map(|[x, y]| [wrap(x), y]).collect())
        }
        Geometry::LineString(points) => {
            let mut lines = Vec::new();
            cut_line(&points, &mut lines);
            match lines.len() {
                1 => Geometry::LineString(lines.remove(0)),
                _ => Geometry::MultiLineString(lines),
            }
        }
        Geometry::MultiLineString(lines) => {
            let mut out = Vec::new();
            lines.iter().for_each(|line| cut_line(line, &mut out));
            Geometry::MultiLineString(out)
        }
        Geometry::Polygon(rings) => {
            let mut polygons = Vec::new();
            cut_polygon(rings, &mut polygons);
            match polygons.len() {
                1 => Geometry::Polygon(polygons.remove(0)),
                _ => Geometry::MultiPolygon(polygons),
            }
        }
        Geometry::MultiPolygon(polygons) => {
            let mut out = Vec::new();
            polygons.into_iter().for_each(|p| cut_polygon(p, &mut out));
            Geometry::MultiPolygon(out)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> Ring {
        vec![[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]
    }

    fn polygons(g: &Geometry) -> Vec<Vec<Ring>> {
        match g {
            Geometry::Polygon(rings) => vec![rings.clone()],
            Geometry::MultiPolygon(p) => p.clone(),
            other => panic!("not polygonal: {other:?}"),
        }
    }

    fn x_span(ring: &Ring) -> (f64, f64) {
        span(ring)
    }

    #[test]
    fn a_polygon_inside_the_range_is_left_alone() {
        let g = Geometry::Polygon(vec![rect(10.0, 0.0, 20.0, 10.0)]);
        assert_eq!(cut_at_antimeridian(g.clone()), g);
    }

    #[test]
    fn a_polygon_over_180_in_0_360_data_is_cut_in_two() {
        let g = Geometry::Polygon(vec![rect(170.0, -10.0, 190.0, 10.0)]);
        let parts = polygons(&cut_at_antimeridian(g));
        assert_eq!(parts.len(), 2);
        assert_eq!(x_span(&parts[0][0]), (170.0, 180.0));
        assert_eq!(x_span(&parts[1][0]), (-180.0, -170.0));
        let total: f64 = parts.iter().map(|p| area(&p[0]).abs()).sum();
        assert!((total - 400.0).abs() < 1e-9, "{total}");
    }

    #[test]
    fn a_polygon_written_with_a_jump_over_180_is_cut_in_two() {
        // −180..180 data: the ring jumps from 175 to −175, i.e. crosses the antimeridian.
        let ring = vec![
            [175.0, 0.0],
            [-175.0, 0.0],
            [-175.0, 5.0],
            [175.0, 5.0],
            [175.0, 0.0],
        ];
        let parts = polygons(&cut_at_antimeridian(Geometry::Polygon(vec![ring])));
        assert_eq!(parts.len(), 2);
        let spans: Vec<_> = parts.iter().map(|p| x_span(&p[0])).collect();
        assert!(spans.contains(&(175.0, 180.0)), "{spans:?}");
        assert!(spans.contains(&(-180.0, -175.0)), "{spans:?}");
    }

    #[test]
    fn a_polygon_over_0_in_0_360_data_becomes_one_polygon_around_0() {
        // 0..360 data: 358 → 2 crosses the prime meridian, the storage convention's seam.
        let ring = vec![
            [358.0, 0.0],
            [2.0, 0.0],
            [2.0, 4.0],
            [358.0, 4.0],
            [358.0, 0.0],
        ];
        let parts = polygons(&cut_at_antimeridian(Geometry::Polygon(vec![ring])));
        assert_eq!(parts.len(), 1);
        assert_eq!(x_span(&parts[0][0]), (-2.0, 2.0));
    }

    #[test]
    fn a_polygon_on_the_far_side_is_moved_whole() {
        let g = Geometry::Polygon(vec![rect(300.0, 30.0, 360.0, 65.0)]);
        let parts = polygons(&cut_at_antimeridian(g));
        assert_eq!(parts.len(), 1);
        assert_eq!(x_span(&parts[0][0]), (-60.0, 0.0));
    }

    #[test]
    fn a_polygon_touching_180_from_the_east_leaves_no_sliver() {
        let g = Geometry::Polygon(vec![rect(180.0, 0.0, 225.0, 30.0)]);
        let parts = polygons(&cut_at_antimeridian(g));
        assert_eq!(parts.len(), 1);
        assert_eq!(x_span(&parts[0][0]), (-180.0, -135.0));
    }

    #[test]
    fn a_ring_round_the_north_pole_is_closed_along_it() {
        let ring: Ring = (0..=60).map(|i| [f64::from(i) * 6.0, 65.0]).collect();
        let parts = polygons(&cut_at_antimeridian(Geometry::Polygon(vec![ring.clone()])));
        assert_eq!(parts.len(), 2, "0..360 round the pole: two halves");
        let total: f64 = parts.iter().map(|p| area(&p[0]).abs()).sum();
        assert!((total - 360.0 * 25.0).abs() < 1e-6, "{total}");
        assert!(parts.iter().all(|p| p[0].iter().any(|q| q[1] == 90.0)));
        let bbox = unwrapped_bbox(&Geometry::Polygon(vec![ring])).unwrap();
        assert_eq!(bbox, [-180.0, 65.0, 180.0, 90.0]);
    }

    #[test]
    fn a_cap_written_as_a_rectangle_with_a_pole_edge_stays_whole() {
        let mut ring: Ring = (0..=60)
            .map(|i| [-180.0 + f64::from(i) * 6.0, -65.0])
            .collect();
        ring.extend([[180.0, -90.0], [-180.0, -90.0], [-180.0, -65.0]]);
        let g = Geometry::Polygon(vec![ring]);
        assert_eq!(cut_at_antimeridian(g.clone()), g);
        assert_eq!(unwrapped_bbox(&g).unwrap(), [-180.0, -90.0, 180.0, -65.0]);
    }

    #[test]
    fn bboxes_of_features_across_the_seam_are_unwrapped() {
        let ring = vec![
            [359.0, 0.0],
            [1.0, 0.0],
            [1.0, 1.0],
            [359.0, 1.0],
            [359.0, 0.0],
        ];
        let bbox = unwrapped_bbox(&Geometry::Polygon(vec![ring])).unwrap();
        assert_eq!(bbox, [359.0, 0.0, 361.0, 1.0]);
    }

    #[test]
    fn a_line_across_the_antimeridian_becomes_two() {
        let g = Geometry::LineString(vec![[170.0, 0.0], [190.0, 10.0]]);
        let Geometry::MultiLineString(lines) = cut_at_antimeridian(g) else {
            panic!()
        };
        assert_eq!(
            lines,
            vec![
                vec![[170.0, 0.0], [180.0, 5.0]],
                vec![[-180.0, 5.0], [-170.0, 10.0]]
            ]
        );
    }

    #[test]
    fn points_are_wrapped() {
        assert_eq!(
            cut_at_antimeridian(Geometry::Point([350.0, 1.0])),
            Geometry::Point([-10.0, 1.0])
        );
        assert_eq!(wrap(180.0), 180.0);
        assert_eq!(wrap(540.0), -180.0);
    }
}
