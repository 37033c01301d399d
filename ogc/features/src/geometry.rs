//! Two-dimensional geometries in longitude/latitude degrees, and their well-known binary form
//! (OGC 06-103r4 Simple Features §8.2; GeoParquet stores geometries this way).
//!
//! Written here rather than taken from a crate: six geometry types in two dimensions take fewer
//! lines than the adapters a generic WKB reader would need, and the seam and densification code
//! works on these plain vectors.

/// A position: `[x, y]`, longitude then latitude in storage.
pub type Position = [f64; 2];
/// A closed ring: its last position repeats its first.
pub type Ring = Vec<Position>;

#[derive(Debug, Clone, PartialEq)]
pub enum Geometry {
    Point(Position),
    LineString(Vec<Position>),
    /// Exterior ring, then holes.
    Polygon(Vec<Ring>),
    MultiPoint(Vec<Position>),
    MultiLineString(Vec<Vec<Position>>),
    MultiPolygon(Vec<Vec<Ring>>),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid WKB: {0}")]
pub struct WkbError(pub String);

impl Geometry {
    /// The GeoJSON / Simple Features type name.
    pub fn type_name(&self) -> &'static str {
        match self {
            Self::Point(_) => "Point",
            Self::LineString(_) => "LineString",
            Self::Polygon(_) => "Polygon",
            Self::MultiPoint(_) => "MultiPoint",
            Self::MultiLineString(_) => "MultiLineString",
            Self::MultiPolygon(_) => "MultiPolygon",
        }
    }

    /// Calls `f` on every position, in order.
    pub fn for_each_position(&self, f: &mut impl FnMut(Position)) {
        match self {
            Self::Point(p) => f(*p),
            Self::LineString(points) | Self::MultiPoint(points) => {
                points.iter().copied().for_each(f)
            }
            Self::Polygon(rings) | Self::MultiLineString(rings) => {
                rings.iter().flatten().copied().for_each(f)
            }
            Self::MultiPolygon(polygons) => {
                polygons.iter().flatten().flatten().copied().for_each(f)
            }
        }
    }

    /// Applies `f` to every position.
    pub fn map_positions(&mut self, f: &mut impl FnMut(Position) -> Position) {
        let mut apply = |points: &mut Vec<Position>| points.iter_mut().for_each(|p| *p = f(*p));
        match self {
            Self::Point(p) => *p = f(*p),
            Self::LineString(points) | Self::MultiPoint(points) => apply(points),
            Self::Polygon(rings) | Self::MultiLineString(rings) => rings.iter_mut().for_each(apply),
            Self::MultiPolygon(polygons) => polygons.iter_mut().flatten().for_each(apply),
        }
    }

    /// Reads WKB in either byte order; Z and M ordinates (ISO codes 1001…3007) are dropped.
    pub fn from_wkb(bytes: &[u8]) -> Result<Self, WkbError> {
        let mut reader = WkbReader { bytes, at: 0 };
        let geometry = reader.geometry()?;
        Ok(geometry)
    }

    /// Writes little-endian WKB.
    pub fn to_wkb(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(64);
        write_wkb(self, &mut out);
        out
    }
}

struct WkbReader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl WkbReader<'_> {
    fn take<const N: usize>(&mut self) -> Result<[u8; N], WkbError> {
        let end = self.at + N;
        let slice = self
            .bytes
            .get(self.at..end)
            .ok_or_else(|| WkbError(format!("truncated at byte {}", self.at)))?;
        self.at = end;
        let mut out = [0; N];
        out.copy_from_slice(slice);
        Ok(out)
    }

    fn u32(&mut self, little: bool) -> Result<u32, WkbError> {
        let b = self.take::<4>()?;
        Ok(if little {
            u32::from_le_bytes(b)
        } else {
            u32::from_be_bytes(b)
        })
    }

    fn f64(&mut self, little: bool) -> Result<f64, WkbError> {
        let b = self.take::<8>()?;
        Ok(if little {
            f64::from_le_bytes(b)
        } else {
            f64::from_be_bytes(b)
        })
    }

    fn header(&mut self) -> Result<(bool, u32, usize), WkbError> {
        let little = match self.take::<1>()?[0] {
            0 => false,
            1 => true,
            other => return Err(WkbError(format!("byte order {other}"))),
        };
        let code = self.u32(little)?;
        if code & 0xE000_0000 != 0 {
            return Err(WkbError("EWKB flags are not supported".into()));
        }
        let dimensions = match code / 1000 {
            0 => 2,
            1 | 2 => 3,
            3 => 4,
            _ => return Err(WkbError(format!("geometry type {code}"))),
        };
        Ok((little, code % 1000, dimensions))
    }

    fn count(&mut self, little: bool) -> Result<usize, WkbError> {
        let n = self.u32(little)? as usize;
        // Every element takes at least 8 bytes: a count beyond that is corrupt, not a reason to
        // reserve gigabytes.
        if n > self.bytes.len() / 8 + 1 {
            return Err(WkbError(format!("count {n} exceeds the data")));
        }
        Ok(n)
    }

    fn position(&mut self, little: bool, dimensions: usize) -> Result<Position, WkbError> {
        let x = self.f64(little)?;
        let y = self.f64(little)?;
        for _ in 2..dimensions {
            self.f64(little)?;
        }
        Ok([x, y])
    }

    // Filled with push, not collected: a collect through `Result` cannot size the vector.
    fn positions(&mut self, little: bool, dimensions: usize) -> Result<Vec<Position>, WkbError> {
        let n = self.count(little)?;
        let mut points = Vec::with_capacity(n);
        for _ in 0..n {
            points.push(self.position(little, dimensions)?);
        }
        Ok(points)
    }

    fn rings(&mut self, little: bool, dimensions: usize) -> Result<Vec<Ring>, WkbError> {
        let n = self.count(little)?;
        let mut rings = Vec::with_capacity(n);
        for _ in 0..n {
            rings.push(self.positions(little, dimensions)?);
        }
        Ok(rings)
    }

    /// A member of a multi-geometry: its own header, of the expected type.
    fn member(&mut self, expected: u32) -> Result<(bool, usize), WkbError> {
        let (little, kind, dimensions) = self.header()?;
        if kind != expected {
            return Err(WkbError(format!(
                "member of type {kind} where {expected} is expected"
            )));
        }
        Ok((little, dimensions))
    }

    fn geometry(&mut self) -> Result<Geometry, WkbError> {
        let (little, kind, dimensions) = self.header()?;
        Ok(match kind {
            1 => Geometry::Point(self.position(little, dimensions)?),
            2 => Geometry::LineString(self.positions(little, dimensions)?),
            3 => Geometry::Polygon(self.rings(little, dimensions)?),
            4 => {
                let n = self.count(little)?;
                let mut points = Vec::with_capacity(n);
                for _ in 0..n {
                    let (little, dimensions) = self.member(1)?;
                    points.push(self.position(little, dimensions)?);
                }
                Geometry::MultiPoint(points)
            }
            5 => {
                let n = self.count(little)?;
                let mut lines = Vec::with_capacity(n);
                for _ in 0..n {
                    let (little, dimensions) = self.member(2)?;
                    lines.push(self.positions(little, dimensions)?);
                }
                Geometry::MultiLineString(lines)
            }
            6 => {
                let n = self.count(little)?;
                let mut polygons = Vec::with_capacity(n);
                for _ in 0..n {
                    let (little, dimensions) = self.member(3)?;
                    polygons.push(self.rings(little, dimensions)?);
                }
                Geometry::MultiPolygon(polygons)
            }
            other => return Err(WkbError(format!("geometry type {other} is not supported"))),
        })
    }
}

fn write_header(out: &mut Vec<u8>, kind: u32) {
    out.push(1);
    out.extend_from_slice(&kind.to_le_bytes());
}

fn write_positions(out: &mut Vec<u8>, points: &[Position]) {
    out.extend_from_slice(&(points.len() as u32).to_le_bytes());
    for [x, y] in points {
        out.extend_from_slice(&x.to_le_bytes());
        out.extend_from_slice(&y.to_le_bytes());
    }
}

fn write_rings(out: &mut Vec<u8>, rings: &[Ring]) {
    out.extend_from_slice(&(rings.len() as u32).to_le_bytes());
    for ring in rings {
        write_positions(out, ring);
    }
}

fn write_wkb(geometry: &Geometry, out: &mut Vec<u8>) {
    match geometry {
        Geometry::Point([x, y]) => {
            write_header(out, 1);
            out.extend_from_slice(&x.to_le_bytes());
            out.extend_from_slice(&y.to_le_bytes());
        }
        Geometry::LineString(points) => {
            write_header(out, 2);
            write_positions(out, points);
        }
        Geometry::Polygon(rings) => {
            write_header(out, 3);
            write_rings(out, rings);
        }
        Geometry::MultiPoint(points) => {
            write_header(out, 4);
            out.extend_from_slice(&(points.len() as u32).to_le_bytes());
            for point in points {
                write_wkb(&Geometry::Point(*point), out);
            }
        }
        Geometry::MultiLineString(lines) => {
            write_header(out, 5);
            out.extend_from_slice(&(lines.len() as u32).to_le_bytes());
            for line in lines {
                write_header(out, 2);
                write_positions(out, line);
            }
        }
        Geometry::MultiPolygon(polygons) => {
            write_header(out, 6);
            out.extend_from_slice(&(polygons.len() as u32).to_le_bytes());
            for rings in polygons {
                write_header(out, 3);
                write_rings(out, rings);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(x: f64) -> Ring {
        vec![[x, 0.0], [x + 1.0, 0.0], [x + 1.0, 1.0], [x, 1.0], [x, 0.0]]
    }

    #[test]
    fn every_type_survives_a_round_trip() {
        for geometry in [
            Geometry::Point([1.5, -2.25]),
            Geometry::LineString(vec![[0.0, 0.0], [1.0, 1.0]]),
            Geometry::Polygon(vec![square(0.0), square(0.25)]),
            Geometry::MultiPoint(vec![[1.0, 2.0], [3.0, 4.0]]),
            Geometry::MultiLineString(vec![
                vec![[0.0, 0.0], [1.0, 1.0]],
                vec![[2.0, 2.0], [3.0, 3.0]],
            ]),
            Geometry::MultiPolygon(vec![vec![square(0.0)], vec![square(10.0)]]),
        ] {
            assert_eq!(Geometry::from_wkb(&geometry.to_wkb()), Ok(geometry));
        }
    }

    #[test]
    fn big_endian_and_z_coordinates_are_read() {
        // POINT Z (1 2 3), big-endian, ISO code 1001.
        let mut bytes = vec![0u8];
        bytes.extend_from_slice(&1001u32.to_be_bytes());
        for v in [1.0f64, 2.0, 3.0] {
            bytes.extend_from_slice(&v.to_be_bytes());
        }
        assert_eq!(Geometry::from_wkb(&bytes), Ok(Geometry::Point([1.0, 2.0])));
    }

    #[test]
    fn corrupt_input_is_an_error_not_a_panic() {
        let wkb = Geometry::Polygon(vec![square(0.0)]).to_wkb();
        for cut in 0..wkb.len() {
            assert!(Geometry::from_wkb(&wkb[..cut]).is_err(), "cut at {cut}");
        }
        let mut huge = wkb.clone();
        huge[5..9].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(Geometry::from_wkb(&huge).is_err());
        assert!(Geometry::from_wkb(&[7, 1, 0, 0, 0]).is_err());
    }
}
