//! Unit vectors on the sphere.

use super::SkyPoint;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Vec3 {
    x: f64,
    y: f64,
    z: f64,
}

impl Vec3 {
    pub fn new(x: f64, y: f64, z: f64) -> Self {
        Vec3 { x, y, z }
    }

    pub fn from_lon_lat(lon: f64, lat: f64) -> Self {
        let (lon, lat) = (lon.to_radians(), lat.to_radians());
        Vec3::new(lat.cos() * lon.cos(), lat.cos() * lon.sin(), lat.sin())
    }

    pub fn to_sky(self) -> SkyPoint {
        let lat = self.z.clamp(-1.0, 1.0).asin().to_degrees();
        let lon = if self.x == 0.0 && self.y == 0.0 {
            0.0
        } else {
            super::normalize_lon(self.y.atan2(self.x).to_degrees())
        };
        SkyPoint::new(lon, lat)
    }

    pub fn dot(self, o: Vec3) -> f64 {
        self.x * o.x + self.y * o.y + self.z * o.z
    }

    pub fn cross(self, o: Vec3) -> Vec3 {
        Vec3::new(
            self.y * o.z - self.z * o.y,
            self.z * o.x - self.x * o.z,
            self.x * o.y - self.y * o.x,
        )
    }

    pub fn add(self, o: Vec3) -> Vec3 {
        Vec3::new(self.x + o.x, self.y + o.y, self.z + o.z)
    }

    pub fn sub(self, o: Vec3) -> Vec3 {
        Vec3::new(self.x - o.x, self.y - o.y, self.z - o.z)
    }

    pub fn scale(self, k: f64) -> Vec3 {
        Vec3::new(self.x * k, self.y * k, self.z * k)
    }

    pub fn norm(self) -> f64 {
        self.dot(self).sqrt()
    }

    /// The unit vector along this one (the zero vector stays zero).
    pub fn normalized(self) -> Vec3 {
        let n = self.norm();
        if n == 0.0 { self } else { self.scale(1.0 / n) }
    }

    /// Angle between two directions, accurate at all separations.
    pub fn angle_to(self, o: Vec3) -> f64 {
        self.cross(o).norm().atan2(self.dot(o))
    }

    /// Unit vectors towards increasing longitude and latitude at this point (at the poles,
    /// east is taken along longitude 90°).
    pub fn tangent_basis(self) -> (Vec3, Vec3) {
        let z = Vec3::new(0.0, 0.0, 1.0);
        let east = z.cross(self);
        let east = if east.norm() < 1e-12 {
            Vec3::new(0.0, 1.0, 0.0)
        } else {
            east.normalized()
        };
        let north = self.cross(east).normalized();
        (east, north)
    }

    /// Some unit vector orthogonal to this one.
    pub fn orthogonal(self) -> Vec3 {
        let axis = if self.x.abs() < 0.9 {
            Vec3::new(1.0, 0.0, 0.0)
        } else {
            Vec3::new(0.0, 1.0, 0.0)
        };
        self.cross(axis).normalized()
    }
}
