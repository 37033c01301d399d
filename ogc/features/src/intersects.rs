//! The exact test behind BBOX and `bbox`: does a geometry intersect a longitude/latitude box?
//! Computed in the plane of unwrapped longitudes (edges straight in lon/lat, as GeoJSON draws
//! them), against the box and its copies one turn east and west, so that a feature stored in
//! 0..360 or across the seam is found by a box in −180..180.

use super::geometry::{Geometry, Position};
use super::query::LonLatBox;
use super::seam;

/// Whether `geometry` touches or overlaps one of `boxes`.
pub fn intersects_boxes(geometry: &Geometry, boxes: &[LonLatBox]) -> bool {
    let parts: Vec<_> = seam::unwrapped_parts(geometry)
        .into_iter()
        .map(|part| (extent(&part), part))
        .collect();
    boxes.iter().any(|b| {
        (-1..=1).any(|turn| {
            let b = shifted(b, turn);
            parts.iter().any(|(extent, part)| {
                // A line or planar polygon lies within the box of its vertices: a box that
                // misses it misses the part, a box that holds it holds a vertex.
                if !overlap(extent, &b) {
                    false
                } else if holds(&b, extent) {
                    true
                } else {
                    part_intersects(part, &b)
                }
            })
        })
    })
}

/// Whether one of `boxes` holds a feature's unwrapped bounding box `[xmin, ymin, xmax, ymax]`:
/// then the feature intersects it, and its geometry need not be read.
pub fn boxes_hold(boxes: &[LonLatBox], [west, south, east, north]: [f64; 4]) -> bool {
    let extent = LonLatBox {
        west,
        south,
        east,
        north,
    };
    boxes
        .iter()
        .any(|b| (-1..=1).any(|turn| holds(&shifted(b, turn), &extent)))
}

/// The box moved by `turn` whole turns east (a whole-turn box: every longitude).
fn shifted(b: &LonLatBox, turn: i32) -> LonLatBox {
    if b.is_whole_turn() {
        LonLatBox {
            west: f64::NEG_INFINITY,
            east: f64::INFINITY,
            ..*b
        }
    } else {
        let shift = 360.0 * f64::from(turn);
        LonLatBox {
            west: b.west + shift,
            east: b.east + shift,
            ..*b
        }
    }
}

/// The box of a part's vertices (west > east when it has none).
fn extent(part: &seam::Part) -> LonLatBox {
    let points: &mut dyn Iterator<Item = &Position> = match part {
        seam::Part::Points(points) | seam::Part::Line(points) => &mut points.iter(),
        seam::Part::Polygon(rings) => &mut rings.iter().flatten(),
    };
    points.fold(
        LonLatBox {
            west: f64::INFINITY,
            south: f64::INFINITY,
            east: f64::NEG_INFINITY,
            north: f64::NEG_INFINITY,
        },
        |e, p| LonLatBox {
            west: e.west.min(p[0]),
            south: e.south.min(p[1]),
            east: e.east.max(p[0]),
            north: e.north.max(p[1]),
        },
    )
}

fn overlap(a: &LonLatBox, b: &LonLatBox) -> bool {
    a.west <= b.east && b.west <= a.east && a.south <= b.north && b.south <= a.north
}

fn holds(outer: &LonLatBox, inner: &LonLatBox) -> bool {
    outer.west <= inner.west
        && inner.east <= outer.east
        && outer.south <= inner.south
        && inner.north <= outer.north
}

fn inside(p: Position, b: &LonLatBox) -> bool {
    (b.west..=b.east).contains(&p[0]) && (b.south..=b.north).contains(&p[1])
}

/// Whether segments `a–b` and `c–d` meet (collinear overlaps included).
fn segments_meet(a: Position, b: Position, c: Position, d: Position) -> bool {
    let orient = |p: Position, q: Position, r: Position| {
        let v = (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0]);
        if v > 0.0 {
            1
        } else if v < 0.0 {
            -1
        } else {
            0
        }
    };
    let on = |p: Position, q: Position, r: Position| {
        r[0] >= p[0].min(q[0])
            && r[0] <= p[0].max(q[0])
            && r[1] >= p[1].min(q[1])
            && r[1] <= p[1].max(q[1])
    };
    let (o1, o2, o3, o4) = (
        orient(a, b, c),
        orient(a, b, d),
        orient(c, d, a),
        orient(c, d, b),
    );
    (o1 != o2 && o3 != o4)
        || (o1 == 0 && on(a, b, c))
        || (o2 == 0 && on(a, b, d))
        || (o3 == 0 && on(c, d, a))
        || (o4 == 0 && on(c, d, b))
}

/// Even–odd point in ring.
fn in_ring(p: Position, ring: &[Position]) -> bool {
    let mut inside = false;
    for w in ring.windows(2) {
        let (a, b) = (w[0], w[1]);
        if (a[1] > p[1]) != (b[1] > p[1]) {
            let x = a[0] + (p[1] - a[1]) / (b[1] - a[1]) * (b[0] - a[0]);
            if p[0] < x {
                inside = !inside;
            }
        }
    }
    inside
}

fn edges_cross_box(points: &[Position], b: &LonLatBox) -> bool {
    if !b.west.is_finite() {
        return points.iter().any(|p| (b.south..=b.north).contains(&p[1]))
            || points
                .windows(2)
                .any(|w| w[0][1].min(w[1][1]) <= b.north && w[0][1].max(w[1][1]) >= b.south);
    }
    let corners = [
        [b.west, b.south],
        [b.east, b.south],
        [b.east, b.north],
        [b.west, b.north],
    ];
    points
        .windows(2)
        .any(|w| (0..4).any(|i| segments_meet(w[0], w[1], corners[i], corners[(i + 1) % 4])))
}

fn part_intersects(part: &seam::Part, b: &LonLatBox) -> bool {
    match part {
        seam::Part::Points(points) => points.iter().any(|p| inside(*p, b)),
        seam::Part::Line(points) => {
            points.iter().any(|p| inside(*p, b)) || edges_cross_box(points, b)
        }
        seam::Part::Polygon(rings) => {
            let Some(exterior) = rings.first() else {
                return false;
            };
            if exterior.iter().any(|p| inside(*p, b)) || rings.iter().any(|r| edges_cross_box(r, b))
            {
                return true;
            }
            // The box lies wholly inside the polygon (and not in a hole).
            let corner = if b.west.is_finite() {
                [b.west, b.south]
            } else {
                [exterior[0][0], b.south]
            };
            in_ring(corner, exterior) && !rings[1..].iter().any(|hole| in_ring(corner, hole))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crs::Crs;
    use crate::query::request_bbox;

    fn bbox(w: f64, s: f64, e: f64, n: f64) -> Vec<LonLatBox> {
        request_bbox([w, s, e, n], Crs::Crs84).unwrap()
    }

    fn square(x: f64, y: f64, size: f64) -> Geometry {
        Geometry::Polygon(vec![vec![
            [x, y],
            [x + size, y],
            [x + size, y + size],
            [x, y + size],
            [x, y],
        ]])
    }

    #[test]
    fn overlap_containment_and_disjointness() {
        let g = square(10.0, 10.0, 10.0);
        assert!(
            intersects_boxes(&g, &bbox(15.0, 15.0, 16.0, 16.0)),
            "box inside the polygon"
        );
        assert!(
            intersects_boxes(&g, &bbox(0.0, 0.0, 50.0, 50.0)),
            "polygon inside the box"
        );
        assert!(
            intersects_boxes(&g, &bbox(19.0, 0.0, 30.0, 11.0)),
            "corners overlap"
        );
        assert!(
            intersects_boxes(&g, &bbox(12.0, 0.0, 13.0, 30.0)),
            "box crosses through, no vertex inside"
        );
        assert!(!intersects_boxes(&g, &bbox(21.0, 0.0, 30.0, 30.0)));
    }

    #[test]
    fn bounding_boxes_held_by_a_box_across_the_seam() {
        let boxes = bbox(170.0, -10.0, -170.0, 10.0);
        assert!(
            boxes_hold(&boxes, [181.0, 0.0, 185.0, 1.0]),
            "unwrapped past 180"
        );
        assert!(boxes_hold(&boxes, [-179.0, 0.0, -175.0, 1.0]));
        assert!(boxes_hold(&boxes, [171.0, 0.0, 175.0, 1.0]));
        assert!(
            !boxes_hold(&boxes, [175.0, 0.0, 195.0, 1.0]),
            "reaches out east"
        );
        assert!(
            !boxes_hold(&boxes, [175.0, 0.0, 179.0, 11.0]),
            "reaches out north"
        );
        assert!(boxes_hold(
            &bbox(-180.0, 60.0, 180.0, 90.0),
            [-180.0, 65.0, 180.0, 90.0]
        ));
    }

    #[test]
    fn a_triangle_whose_bbox_overlaps_but_shape_does_not() {
        let g = Geometry::Polygon(vec![vec![[0.0, 0.0], [10.0, 0.0], [0.0, 10.0], [0.0, 0.0]]]);
        assert!(!intersects_boxes(&g, &bbox(8.0, 8.0, 9.0, 9.0)));
    }

    #[test]
    fn features_in_east_longitudes_are_found_by_boxes_west_of_0() {
        let g = square(350.0, 0.0, 5.0);
        assert!(intersects_boxes(&g, &bbox(-8.0, 1.0, -7.0, 2.0)));
        let across = square(179.0, 0.0, 2.0);
        assert!(intersects_boxes(&across, &bbox(-180.0, 0.0, -179.5, 1.0)));
        assert!(
            intersects_boxes(&across, &bbox(170.0, 0.0, -170.0, 1.0)),
            "antimeridian box"
        );
        assert!(!intersects_boxes(&across, &bbox(0.0, 0.0, 10.0, 1.0)));
    }

    #[test]
    fn points_and_polar_caps() {
        assert!(intersects_boxes(
            &Geometry::Point([359.0, 5.0]),
            &bbox(-2.0, 4.0, 0.0, 6.0)
        ));
        let cap: Vec<Position> = (0..=60).map(|i| [f64::from(i) * 6.0, 65.0]).collect();
        let cap = Geometry::Polygon(vec![cap]);
        assert!(
            intersects_boxes(&cap, &bbox(-100.0, 80.0, -99.0, 81.0)),
            "a box near the pole is inside the cap"
        );
        assert!(!intersects_boxes(&cap, &bbox(-100.0, 50.0, -99.0, 60.0)));
    }
}
