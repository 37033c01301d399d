//! Great circles on the unit sphere: densifying edges of footprints whose vertices are joined
//! by great circles (DALI/ADQL polygons, ObsCore `s_region`), and circles of a given angular
//! radius drawn as polygons.

use super::geometry::{Geometry, Position};

type Vector = [f64; 3];

fn to_vector([lon, lat]: Position) -> Vector {
    let (lon, lat) = (lon.to_radians(), lat.to_radians());
    [lat.cos() * lon.cos(), lat.cos() * lon.sin(), lat.sin()]
}

fn to_position([x, y, z]: Vector) -> Position {
    let lat = z.clamp(-1.0, 1.0).asin().to_degrees();
    let lon = if x == 0.0 && y == 0.0 {
        0.0
    } else {
        y.atan2(x).to_degrees()
    };
    [lon, lat]
}

fn dot(a: Vector, b: Vector) -> f64 {
    a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
}

/// Angular distance in degrees.
pub fn distance(a: Position, b: Position) -> f64 {
    let (va, vb) = (to_vector(a), to_vector(b));
    let cross = [
        va[1] * vb[2] - va[2] * vb[1],
        va[2] * vb[0] - va[0] * vb[2],
        va[0] * vb[1] - va[1] * vb[0],
    ];
    dot(cross, cross).sqrt().atan2(dot(va, vb)).to_degrees()
}

/// Points along the great circle from `a` to `b` (both excluded) no more than `max_deg` apart.
fn between(a: Position, b: Position, max_deg: f64, out: &mut Vec<Position>) {
    let angle = distance(a, b);
    if angle <= max_deg || angle >= 179.999 {
        return;
    }
    let steps = (angle / max_deg).ceil() as usize;
    let (va, vb) = (to_vector(a), to_vector(b));
    let omega = angle.to_radians();
    for i in 1..steps {
        // Spherical linear interpolation.
        let t = i as f64 / steps as f64;
        let (wa, wb) = (((1.0 - t) * omega).sin(), (t * omega).sin());
        let v = [0, 1, 2].map(|k| (wa * va[k] + wb * vb[k]) / omega.sin());
        let mut p = to_position(v);
        // Stay on the same turn of longitude as the edge's start, for the seam code.
        p[0] += 360.0 * ((a[0] - p[0]) / 360.0).round();
        out.push(p);
    }
}

fn densify_points(points: &[Position], max_deg: f64) -> Vec<Position> {
    let mut out = Vec::with_capacity(points.len());
    for (i, &p) in points.iter().enumerate() {
        if i > 0 {
            between(points[i - 1], p, max_deg, &mut out);
        }
        out.push(p);
    }
    out
}

/// Adds vertices along great-circle edges longer than `max_deg`, so that a client drawing
/// straight lines in longitude/latitude shows the footprint's true shape.
pub fn densify(geometry: Geometry, max_deg: f64) -> Geometry {
    let line = |points: Vec<Position>| densify_points(&points, max_deg);
    let rings = |rings: Vec<Vec<Position>>| rings.into_iter().map(line).collect();
    match geometry {
        Geometry::LineString(points) => Geometry::LineString(line(points)),
        Geometry::Polygon(r) => Geometry::Polygon(rings(r)),
        Geometry::MultiLineString(r) => Geometry::MultiLineString(rings(r)),
        Geometry::MultiPolygon(p) => Geometry::MultiPolygon(p.into_iter().map(rings).collect()),
        points => points,
    }
}

/// A closed ring of `vertices` points at angular distance `radius_deg` from `centre`, counter-
/// clockwise seen from outside the sphere, longitudes unwrapped around the centre's.
pub fn circle(centre: Position, radius_deg: f64, vertices: usize) -> Vec<Position> {
    let (lon0, lat0) = (centre[0].to_radians(), centre[1].to_radians());
    let r = radius_deg.to_radians();
    let mut ring: Vec<Position> = (0..vertices)
        .map(|i| {
            // Destination from the centre at bearing θ (clockwise from north): going through
            // bearings backwards draws the ring counter-clockwise.
            let theta = -std::f64::consts::TAU * i as f64 / vertices as f64;
            let lat = (lat0.sin() * r.cos() + lat0.cos() * r.sin() * theta.cos()).asin();
            let lon =
                lon0 + (theta.sin() * r.sin() * lat0.cos()).atan2(r.cos() - lat0.sin() * lat.sin());
            [lon.to_degrees(), lat.to_degrees()]
        })
        .collect();
    if let Some(&first) = ring.first() {
        ring.push(first);
    }
    ring
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_great_circle_edge_bulges_towards_the_pole() {
        let g = Geometry::LineString(vec![[0.0, 45.0], [90.0, 45.0]]);
        let Geometry::LineString(points) = densify(g, 1.0) else {
            panic!()
        };
        assert!(points.len() > 60, "{}", points.len());
        // The great circle through both points passes its highest latitude half way.
        let middle = points[points.len() / 2];
        assert!((middle[0] - 45.0).abs() < 1.0, "{middle:?}");
        assert!(middle[1] > 54.0, "{middle:?}");
        for w in points.windows(2) {
            assert!(distance(w[0], w[1]) <= 1.0 + 1e-9);
        }
    }

    #[test]
    fn short_edges_are_left_alone() {
        let g = Geometry::Polygon(vec![vec![[0.0, 0.0], [0.5, 0.0], [0.5, 0.5], [0.0, 0.0]]]);
        assert_eq!(densify(g.clone(), 1.0), g);
    }

    #[test]
    fn densified_edges_across_the_seam_stay_on_one_turn() {
        let g = Geometry::LineString(vec![[350.0, 0.0], [370.0, 0.0]]);
        let Geometry::LineString(points) = densify(g, 1.0) else {
            panic!()
        };
        assert!(
            points.windows(2).all(|w| (w[1][0] - w[0][0]).abs() < 2.0),
            "{points:?}"
        );
    }

    #[test]
    fn circle_vertices_lie_at_the_radius() {
        let ring = circle([359.5, 70.0], 2.0, 32);
        assert_eq!(ring.len(), 33);
        assert_eq!(ring[0], ring[32]);
        for p in &ring {
            assert!((distance(*p, [359.5, 70.0]) - 2.0).abs() < 1e-9, "{p:?}");
        }
        // Unwrapped around the centre: no jump across 0/360.
        assert!(ring.iter().all(|p| (p[0] - 359.5).abs() < 10.0));
    }
}
