//! Spherical geometry in degrees, as ADQL and DALI define the shapes (ADQL 2.1 §4.2, DALI 1.1
//! §3.3): used by the UDFs of the server, by query translation, and by tests as brute force.
//!
//! Polygons have great-circle edges; their inside is the smaller of the two regions they bound,
//! whatever the order of the vertices (as pgSphere and most TAP services do).

pub mod stcs;
mod vector;

use vector::Vec3;

/// A position on the sphere in degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SkyPoint {
    pub lon: f64,
    pub lat: f64,
}

impl SkyPoint {
    pub fn new(lon: f64, lat: f64) -> Self {
        SkyPoint { lon, lat }
    }

    fn vector(self) -> Vec3 {
        Vec3::from_lon_lat(self.lon, self.lat)
    }
}

/// A DALI geometry.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    Point(SkyPoint),
    Circle { centre: SkyPoint, radius: f64 },
    Polygon(Vec<SkyPoint>),
}

impl Shape {
    /// Reads a DALI array: 2 numbers are a point, 3 a circle, an even number from 6 a polygon.
    pub fn from_dali(values: &[f64]) -> Option<Shape> {
        if values.iter().any(|v| !v.is_finite()) {
            return None;
        }
        match values {
            [lon, lat] => Some(Shape::Point(SkyPoint::new(*lon, *lat))),
            [lon, lat, radius] => Some(Shape::Circle {
                centre: SkyPoint::new(*lon, *lat),
                radius: *radius,
            }),
            v if v.len() >= 6 && v.len().is_multiple_of(2) => Some(Shape::Polygon(
                v.chunks(2).map(|c| SkyPoint::new(c[0], c[1])).collect(),
            )),
            _ => None,
        }
    }

    /// The DALI serialisation (longitudes normalised to [0, 360)).
    pub fn to_dali(&self) -> Vec<f64> {
        match self {
            Shape::Point(p) => vec![normalize_lon(p.lon), p.lat],
            Shape::Circle { centre, radius } => {
                vec![normalize_lon(centre.lon), centre.lat, *radius]
            }
            Shape::Polygon(vertices) => vertices
                .iter()
                .flat_map(|v| [normalize_lon(v.lon), v.lat])
                .collect(),
        }
    }
}

/// A longitude in [0, 360).
pub fn normalize_lon(lon: f64) -> f64 {
    let l = lon.rem_euclid(360.0);
    if l >= 360.0 { 0.0 } else { l }
}

/// Great-circle distance in degrees (stable at all separations).
pub fn distance(a: SkyPoint, b: SkyPoint) -> f64 {
    a.vector().angle_to(b.vector()).to_degrees()
}

/// Whether `p` is in or on the circle (ADQL 2.1 §4.2.9: the boundary counts).
pub fn point_in_circle(p: SkyPoint, centre: SkyPoint, radius: f64) -> bool {
    distance(p, centre) <= radius
}

/// The vertices of ADQL's BOX (§4.2.5): a cross of arms along the coordinate axes at the
/// centre, half the width and height long, closed by great circles meeting the arm ends at right
/// angles. Order: counter-clockwise as seen from inside the sphere (east of north).
pub fn box_vertices(centre: SkyPoint, width: f64, height: f64) -> Vec<SkyPoint> {
    let c = centre.vector();
    let (east, north) = c.tangent_basis();
    let half_w = (width / 2.0).to_radians();
    let half_h = (height / 2.0).to_radians();
    // Arm ends, and the poles of the great circles through them at right angles to the arms.
    let arm = |dir: Vec3, half: f64| c.scale(half.cos()).add(dir.scale(half.sin()));
    let e = arm(east, half_w);
    let w = arm(east, -half_w);
    let n = arm(north, half_h);
    let s = arm(north, -half_h);
    let pole_e = e.cross(north);
    let pole_w = w.cross(north);
    let pole_n = n.cross(east);
    let pole_s = s.cross(east);
    let corner = |p: Vec3, q: Vec3| {
        let x = p.cross(q).normalized();
        if x.dot(c) < 0.0 { x.scale(-1.0) } else { x }
    };
    [
        corner(pole_n, pole_e),
        corner(pole_n, pole_w),
        corner(pole_s, pole_w),
        corner(pole_s, pole_e),
    ]
    .iter()
    .map(|v| v.to_sky())
    .collect()
}

/// Whether the great-circle arcs a–b and c–d cross (touching counts).
fn arcs_cross(a: Vec3, b: Vec3, c: Vec3, d: Vec3) -> bool {
    let n1 = a.cross(b);
    let n2 = c.cross(d);
    let eps = 1e-15;
    let (sc, sd) = (n1.dot(c), n1.dot(d));
    let (sa, sb) = (n2.dot(a), n2.dot(b));
    if sc * sd > eps || sa * sb > eps {
        return false;
    }
    // The great circles meet at ±x: the arcs cross if one of them lies on both arcs.
    let x = n1.cross(n2);
    if x.norm() < 1e-15 {
        // Same great circle: overlap if an endpoint of one arc lies on the other.
        return on_arc(c, a, b) || on_arc(d, a, b) || on_arc(a, c, d) || on_arc(b, c, d);
    }
    let x = x.normalized();
    [x, x.scale(-1.0)]
        .iter()
        .any(|&p| on_arc(p, a, b) && on_arc(p, c, d))
}

/// Whether `p` (on the great circle of a–b) lies on the minor arc a–b.
fn on_arc(p: Vec3, a: Vec3, b: Vec3) -> bool {
    let ab = a.angle_to(b);
    (a.angle_to(p) + p.angle_to(b) - ab).abs() < 1e-12
}

/// A spherical polygon, prepared for repeated tests.
#[derive(Debug, Clone)]
pub struct Polygon {
    vertices: Vec<Vec3>,
    /// A point known to be on the left of the first edge, and whether the left is the inside.
    reference: Vec3,
    inside_is_left: bool,
    area: f64,
}

impl Polygon {
    /// `None` for fewer than 3 distinct vertices.
    pub fn new(points: &[SkyPoint]) -> Option<Polygon> {
        let mut vertices: Vec<Vec3> = points.iter().map(|p| p.vector()).collect();
        vertices.dedup_by(|a, b| a.angle_to(*b) < 1e-15);
        if vertices.len() > 1 && vertices[0].angle_to(vertices[vertices.len() - 1]) < 1e-15 {
            vertices.pop();
        }
        if vertices.len() < 3 {
            return None;
        }
        let n = vertices.len();
        // Gauss–Bonnet: the region on the left has area 2π − Σ turning angles.
        let mut turning = 0.0;
        for i in 0..n {
            let a = vertices[(i + n - 1) % n];
            let b = vertices[i];
            let c = vertices[(i + 1) % n];
            let n1 = a.cross(b).normalized();
            let n2 = b.cross(c).normalized();
            turning += n1.cross(n2).dot(b).atan2(n1.dot(n2));
        }
        let left_area =
            (2.0 * std::f64::consts::PI - turning).rem_euclid(4.0 * std::f64::consts::PI);
        let inside_is_left = left_area <= 2.0 * std::f64::consts::PI;
        let area = if inside_is_left {
            left_area
        } else {
            4.0 * std::f64::consts::PI - left_area
        };
        let (a, b) = (vertices[0], vertices[1]);
        let left_normal = a.cross(b).normalized();
        let reference = a
            .add(b)
            .normalized()
            .add(left_normal.scale(1e-7))
            .normalized();
        Some(Polygon {
            vertices,
            reference,
            inside_is_left,
            area,
        })
    }

    fn edges(&self) -> impl Iterator<Item = (Vec3, Vec3)> + '_ {
        let n = self.vertices.len();
        (0..n).map(move |i| (self.vertices[i], self.vertices[(i + 1) % n]))
    }

    /// Whether `p` is inside or on the boundary.
    pub fn contains_point(&self, p: SkyPoint) -> bool {
        self.contains_vector(p.vector())
    }

    fn on_boundary(&self, v: Vec3) -> bool {
        self.edges().any(|(a, b)| distance_to_arc(v, a, b) < 1e-12)
    }

    fn contains_vector(&self, v: Vec3) -> bool {
        if self.on_boundary(v) {
            return true;
        }
        // Walk from the reference point to v (avoiding the antipode) and count edge crossings.
        let mut target = self.reference;
        let mut crossings = 0;
        if v.dot(target) < -0.9 {
            // Go through an intermediate point so that every leg is a minor arc.
            let mid = v.cross(target).normalized();
            let mid = if mid.norm() < 0.5 {
                v.orthogonal()
            } else {
                mid
            };
            crossings += self.crossings(target, mid);
            target = mid;
        }
        crossings += self.crossings(target, v);
        let same_side_as_reference = crossings % 2 == 0;
        same_side_as_reference == self.inside_is_left
    }

    fn crossings(&self, from: Vec3, to: Vec3) -> usize {
        self.edges()
            .filter(|&(a, b)| arcs_cross(from, to, a, b))
            .count()
    }

    /// Area in square degrees.
    pub fn area(&self) -> f64 {
        self.area * (180.0 / std::f64::consts::PI).powi(2)
    }

    /// Area-weighted centroid (fan of triangles from the first vertex).
    pub fn centroid(&self) -> SkyPoint {
        let v0 = self.vertices[0];
        let mut sum = Vec3::new(0.0, 0.0, 0.0);
        for w in self.vertices[1..].windows(2) {
            let (a, b) = (w[0], w[1]);
            let weight = v0.dot(a.cross(b));
            sum = sum.add(v0.add(a).add(b).normalized().scale(weight));
        }
        let mut c = sum.normalized();
        if c.norm() < 0.5 {
            c = self
                .vertices
                .iter()
                .fold(Vec3::new(0.0, 0.0, 0.0), |s, v| s.add(*v))
                .normalized();
        }
        if !self.contains_vector(c) && self.contains_vector(c.scale(-1.0)) {
            c = c.scale(-1.0);
        }
        c.to_sky()
    }

    pub fn vertices(&self) -> Vec<SkyPoint> {
        self.vertices.iter().map(|v| v.to_sky()).collect()
    }
}

/// Smallest angle (radians) from `p` to the minor arc a–b.
fn distance_to_arc(p: Vec3, a: Vec3, b: Vec3) -> f64 {
    let n = a.cross(b);
    if n.norm() < 1e-15 {
        return p.angle_to(a);
    }
    let n = n.normalized();
    // Projection of p on the great circle; on the arc if between a and b.
    let proj = p.sub(n.scale(p.dot(n)));
    if proj.norm() > 1e-15 {
        let q = proj.normalized();
        if on_arc(q, a, b) {
            return p.angle_to(q);
        }
    }
    p.angle_to(a).min(p.angle_to(b))
}

fn circle_polygon_distance(centre: Vec3, polygon: &Polygon) -> f64 {
    polygon
        .edges()
        .map(|(a, b)| distance_to_arc(centre, a, b))
        .fold(f64::INFINITY, f64::min)
}

/// Area in square degrees of any shape (0 for a point).
pub fn area(shape: &Shape) -> Option<f64> {
    match shape {
        Shape::Point(_) => Some(0.0),
        Shape::Circle { radius, .. } => {
            let r = radius.to_radians().min(std::f64::consts::PI);
            Some(
                2.0 * std::f64::consts::PI
                    * (1.0 - r.cos())
                    * (180.0 / std::f64::consts::PI).powi(2),
            )
        }
        Shape::Polygon(v) => Polygon::new(v).map(|p| p.area()),
    }
}

/// Centroid of any shape.
pub fn centroid(shape: &Shape) -> Option<SkyPoint> {
    match shape {
        Shape::Point(p) => Some(*p),
        Shape::Circle { centre, .. } => Some(*centre),
        Shape::Polygon(v) => Polygon::new(v).map(|p| p.centroid()),
    }
}

/// CONTAINS(a, b): whether `a` lies wholly within `b` (boundary included). `None` when a
/// polygon is degenerate.
pub fn contains(a: &Shape, b: &Shape) -> Option<bool> {
    Some(match (a, b) {
        (Shape::Point(p), Shape::Point(q)) => distance(*p, *q) < 1e-9,
        (Shape::Point(p), Shape::Circle { centre, radius }) => {
            point_in_circle(*p, *centre, *radius)
        }
        (Shape::Point(p), Shape::Polygon(v)) => Polygon::new(v)?.contains_point(*p),
        (Shape::Circle { .. } | Shape::Polygon(_), Shape::Point(_)) => false,
        (
            Shape::Circle {
                centre: c1,
                radius: r1,
            },
            Shape::Circle {
                centre: c2,
                radius: r2,
            },
        ) => distance(*c1, *c2) + r1 <= *r2,
        (Shape::Polygon(v), Shape::Circle { centre, radius }) => {
            v.iter().all(|p| point_in_circle(*p, *centre, *radius))
        }
        (Shape::Circle { centre, radius }, Shape::Polygon(v)) => {
            let polygon = Polygon::new(v)?;
            polygon.contains_point(*centre)
                && circle_polygon_distance(centre.vector(), &polygon).to_degrees() >= *radius
        }
        (Shape::Polygon(inner), Shape::Polygon(outer)) => {
            let inner = Polygon::new(inner)?;
            let outer = Polygon::new(outer)?;
            inner.vertices.iter().all(|v| outer.contains_vector(*v))
                && !inner.edges().any(|(a, b)| {
                    outer.edges().any(|(c, d)| {
                        arcs_cross(a, b, c, d) && !outer.on_boundary(a) && !outer.on_boundary(b)
                    })
                })
        }
    })
}

/// INTERSECTS(a, b): whether the shapes share at least one point.
pub fn intersects(a: &Shape, b: &Shape) -> Option<bool> {
    Some(match (a, b) {
        (Shape::Point(_), _) => contains(a, b)?,
        (_, Shape::Point(_)) => contains(b, a)?,
        (
            Shape::Circle {
                centre: c1,
                radius: r1,
            },
            Shape::Circle {
                centre: c2,
                radius: r2,
            },
        ) => distance(*c1, *c2) <= r1 + r2,
        (Shape::Circle { centre, radius }, Shape::Polygon(v))
        | (Shape::Polygon(v), Shape::Circle { centre, radius }) => {
            let polygon = Polygon::new(v)?;
            polygon.contains_point(*centre)
                || circle_polygon_distance(centre.vector(), &polygon).to_degrees() <= *radius
        }
        (Shape::Polygon(p), Shape::Polygon(q)) => {
            let p = Polygon::new(p)?;
            let q = Polygon::new(q)?;
            p.vertices.iter().any(|v| q.contains_vector(*v))
                || q.vertices.iter().any(|v| p.contains_vector(*v))
                || p.edges()
                    .any(|(a, b)| q.edges().any(|(c, d)| arcs_cross(a, b, c, d)))
        }
    })
}

#[cfg(test)]
mod tests;
