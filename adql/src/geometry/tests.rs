//! Geometry against independent formulas: haversine distances, closed-form box corners,
//! half-space tests for convex polygons, areas of known shapes; at the poles, across ra = 0/360
//! and for large radii.

use super::*;

/// A small deterministic generator (xorshift), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform on the sphere.
    fn point(&mut self) -> SkyPoint {
        SkyPoint::new(
            360.0 * self.next(),
            (2.0 * self.next() - 1.0).asin().to_degrees(),
        )
    }
}

fn haversine(a: SkyPoint, b: SkyPoint) -> f64 {
    let (lat1, lat2) = (a.lat.to_radians(), b.lat.to_radians());
    let dlat = lat2 - lat1;
    let dlon = (b.lon - a.lon).to_radians();
    let h = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * h.sqrt().min(1.0).asin().to_degrees()
}

const SQ_DEG_PER_SR: f64 = (180.0 / std::f64::consts::PI) * (180.0 / std::f64::consts::PI);

#[test]
fn distance_agrees_with_haversine_everywhere() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for _ in 0..20_000 {
        let (a, b) = (rng.point(), rng.point());
        assert!(
            (distance(a, b) - haversine(a, b)).abs() < 1e-9,
            "{a:?} {b:?}"
        );
    }
    // Poles, the ra = 0/360 seam, antipodes.
    assert!((distance(SkyPoint::new(0.0, 90.0), SkyPoint::new(180.0, 89.0)) - 1.0).abs() < 1e-12);
    assert!((distance(SkyPoint::new(359.5, 0.0), SkyPoint::new(0.5, 0.0)) - 1.0).abs() < 1e-12);
    assert!((distance(SkyPoint::new(-0.5, 10.0), SkyPoint::new(359.5, 10.0))).abs() < 1e-12);
    assert!(
        (distance(SkyPoint::new(10.0, 20.0), SkyPoint::new(190.0, -20.0)) - 180.0).abs() < 1e-9
    );
}

#[test]
fn circles_at_poles_seam_and_large_radii() {
    assert!(point_in_circle(
        SkyPoint::new(0.2, 0.0),
        SkyPoint::new(359.9, 0.0),
        0.5
    ));
    assert!(point_in_circle(
        SkyPoint::new(359.8, 0.1),
        SkyPoint::new(0.1, 0.0),
        0.5
    ));
    assert!(!point_in_circle(
        SkyPoint::new(1.0, 0.0),
        SkyPoint::new(359.9, 0.0),
        0.5
    ));
    assert!(point_in_circle(
        SkyPoint::new(123.0, 89.5),
        SkyPoint::new(0.0, 90.0),
        1.0
    ));
    assert!(point_in_circle(
        SkyPoint::new(300.0, -89.1),
        SkyPoint::new(120.0, -89.1),
        1.81
    ));
    assert!(!point_in_circle(
        SkyPoint::new(300.0, -89.1),
        SkyPoint::new(120.0, -89.1),
        1.79
    ));
    let centre = SkyPoint::new(40.0, -30.0);
    let mut rng = Rng(7);
    for _ in 0..5000 {
        let p = rng.point();
        let d = haversine(p, centre);
        for r in [0.01, 1.0, 45.0, 90.0, 135.0, 179.0] {
            if (d - r).abs() > 1e-9 {
                assert_eq!(point_in_circle(p, centre, r), d < r, "{p:?} r={r}");
            }
        }
    }
}

#[test]
fn box_corners_match_the_closed_form_at_the_equator() {
    // Edges through the ends of the north/south arms, at right angles to them, are great
    // circles tan(lat) = tan(h/2) cos(lon); the east/west edges are the meridians ±w/2.
    for (w, h) in [(10.0_f64, 4.0_f64), (2.0, 30.0), (60.0, 60.0)] {
        let corners = box_vertices(SkyPoint::new(0.0, 0.0), w, h);
        let lat = ((h / 2.0).to_radians().tan() * (w / 2.0).to_radians().cos())
            .atan()
            .to_degrees();
        for expected in [
            SkyPoint::new(w / 2.0, lat),
            SkyPoint::new(360.0 - w / 2.0, lat),
            SkyPoint::new(360.0 - w / 2.0, -lat),
            SkyPoint::new(w / 2.0, -lat),
        ] {
            assert!(
                corners.iter().any(|c| distance(*c, expected) < 1e-9),
                "{expected:?} not in {corners:?}"
            );
        }
    }
    // A box around the pole is still a box of the requested size.
    let polar = box_vertices(SkyPoint::new(0.0, 90.0), 2.0, 2.0);
    for c in &polar {
        assert!((distance(*c, SkyPoint::new(0.0, 90.0)) - 2f64.sqrt()).abs() < 1e-3);
    }
}

#[test]
fn polygon_area_and_orientation() {
    let octant = [
        SkyPoint::new(0.0, 0.0),
        SkyPoint::new(90.0, 0.0),
        SkyPoint::new(0.0, 90.0),
    ];
    let expected = 4.0 * std::f64::consts::PI / 8.0 * SQ_DEG_PER_SR;
    let mut reversed = octant;
    reversed.reverse();
    for vertices in [&octant[..], &reversed[..]] {
        let p = Polygon::new(vertices).unwrap();
        assert!((p.area() - expected).abs() < 1e-6, "{}", p.area());
        assert!(p.contains_point(SkyPoint::new(30.0, 30.0)));
        assert!(!p.contains_point(SkyPoint::new(100.0, 30.0)));
        assert!(!p.contains_point(SkyPoint::new(-30.0, 30.0)));
        assert!(!p.contains_point(SkyPoint::new(210.0, -30.0)));
    }
    let hemisphere = area(&Shape::Circle {
        centre: SkyPoint::new(0.0, 0.0),
        radius: 90.0,
    })
    .unwrap();
    assert!((hemisphere - 2.0 * std::f64::consts::PI * SQ_DEG_PER_SR).abs() < 1e-6);
}

#[test]
fn polygons_around_the_poles_and_across_the_seam() {
    // ESO's "CCW north polygon" and its reverse: the smaller region holds the north pole.
    let cap =
        [(0.0, 80.0), (270.0, 80.0), (180.0, 80.0), (90.0, 80.0)].map(|(l, b)| SkyPoint::new(l, b));
    let mut reversed = cap;
    reversed.reverse();
    for vertices in [&cap[..], &reversed[..]] {
        let p = Polygon::new(vertices).unwrap();
        assert!(p.contains_point(SkyPoint::new(0.0, 90.0)));
        assert!(p.contains_point(SkyPoint::new(45.0, 85.0)));
        assert!(!p.contains_point(SkyPoint::new(0.0, -90.0)));
        assert!(!p.contains_point(SkyPoint::new(45.0, 70.0)));
    }
    let seam =
        [(350.0, -5.0), (10.0, -5.0), (10.0, 5.0), (350.0, 5.0)].map(|(l, b)| SkyPoint::new(l, b));
    let p = Polygon::new(&seam).unwrap();
    assert!(p.contains_point(SkyPoint::new(0.0, 0.0)));
    assert!(p.contains_point(SkyPoint::new(355.0, 1.0)));
    assert!(p.contains_point(SkyPoint::new(-5.0, 1.0)));
    assert!(!p.contains_point(SkyPoint::new(180.0, 0.0)));
    assert!(!p.contains_point(SkyPoint::new(20.0, 0.0)));
}

/// For a convex polygon smaller than a hemisphere, a point is inside iff it is on the inner side
/// of every edge's great circle.
#[test]
fn point_in_polygon_agrees_with_half_spaces() {
    let mut rng = Rng(42);
    for _ in 0..200 {
        let centre = rng.point();
        let radius = 0.5 + 40.0 * rng.next();
        let n = 3 + (rng.next() * 6.0) as usize;
        // A regular polygon inscribed in a circle: convex.
        let c = centre.vector();
        let (east, north) = c.tangent_basis();
        let vertices: Vec<SkyPoint> = (0..n)
            .map(|i| {
                let angle = 2.0 * std::f64::consts::PI * i as f64 / n as f64;
                let dir = east.scale(angle.cos()).add(north.scale(angle.sin()));
                c.scale(radius.to_radians().cos())
                    .add(dir.scale(radius.to_radians().sin()))
                    .to_sky()
            })
            .collect();
        let polygon = Polygon::new(&vertices).unwrap();
        let v: Vec<_> = vertices.iter().map(|p| p.vector()).collect();
        let side = |p: vector::Vec3, i: usize| v[i].cross(v[(i + 1) % n]).dot(p);
        let inner: Vec<f64> = (0..n).map(|i| side(c, i).signum()).collect();
        for _ in 0..200 {
            // Points near the polygon, so that both answers occur.
            let p = {
                let q = rng.point().vector();
                c.add(q.scale(radius.to_radians() * 1.5)).normalized()
            };
            let margins: Vec<f64> = (0..n).map(|i| side(p, i) * inner[i]).collect();
            if margins.iter().any(|m| m.abs() < 1e-9) {
                continue;
            }
            let expected = margins.iter().all(|m| *m > 0.0);
            assert_eq!(polygon.contains_vector(p), expected, "{:?}", p.to_sky());
        }
    }
}

#[test]
fn shape_relations() {
    let small = Shape::Circle {
        centre: SkyPoint::new(359.9, 0.0),
        radius: 0.5,
    };
    let big = Shape::Circle {
        centre: SkyPoint::new(0.0, 0.0),
        radius: 2.0,
    };
    assert_eq!(contains(&small, &big), Some(true));
    assert_eq!(contains(&big, &small), Some(false));
    assert_eq!(intersects(&big, &small), Some(true));
    let square = Shape::Polygon(box_vertices(SkyPoint::new(0.0, 0.0), 1.0, 1.0));
    assert_eq!(contains(&square, &big), Some(true));
    assert_eq!(contains(&big, &square), Some(false));
    let far = Shape::Polygon(box_vertices(SkyPoint::new(180.0, 0.0), 1.0, 1.0));
    assert_eq!(intersects(&square, &far), Some(false));
    let overlapping = Shape::Polygon(box_vertices(SkyPoint::new(0.8, 0.0), 1.0, 1.0));
    assert_eq!(intersects(&square, &overlapping), Some(true));
    assert_eq!(contains(&square, &overlapping), Some(false));
    let point = Shape::Point(SkyPoint::new(0.1, 0.1));
    assert_eq!(contains(&point, &square), Some(true));
    assert_eq!(intersects(&square, &point), Some(true));
    assert_eq!(area(&point), Some(0.0));
    let c = centroid(&square).unwrap();
    assert!(distance(c, SkyPoint::new(0.0, 0.0)) < 1e-9, "{c:?}");
}

#[test]
fn dali_round_trip() {
    let shape = Shape::from_dali(&[-10.0, 20.0, 1.5]).unwrap();
    assert_eq!(shape.to_dali(), vec![350.0, 20.0, 1.5]);
    assert!(Shape::from_dali(&[1.0, 2.0, 3.0, 4.0]).is_none());
    assert!(Shape::from_dali(&[1.0, f64::NAN]).is_none());
    assert_eq!(
        Shape::from_dali(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]),
        Some(Shape::Polygon(vec![
            SkyPoint::new(1.0, 2.0),
            SkyPoint::new(3.0, 4.0),
            SkyPoint::new(5.0, 6.0)
        ]))
    );
}
