//! The one neutral form every feature request takes (WFS KVP, FES XML, OGC API parameters,
//! CQL2 text): which collection, which features, in which order, which page, which properties,
//! in which CRS. The server turns it into a query plan; nothing here knows HTTP or the engine.

use super::crs::Crs;

/// A typed value from a request.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    Bool(bool),
    Int(i64),
    Float(f64),
    Text(String),
    /// ISO 8601 date or date-time text.
    DateTime(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// A longitude/latitude box in degrees with `west ≤ east`, both within −180..180: boxes across
/// the antimeridian are split in two before they get here.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LonLatBox {
    pub west: f64,
    pub south: f64,
    pub east: f64,
    pub north: f64,
}

impl FeatureQuery {
    /// A query of every feature of `collection`, first page of `limit`, in `output_crs`.
    pub fn new(collection: &str, limit: u64, output_crs: Crs) -> Self {
        Self {
            collection: collection.to_owned(),
            filter: None,
            sort: Vec::new(),
            offset: 0,
            limit,
            properties: None,
            include_geometry: true,
            result_type: ResultType::Results,
            output_crs,
            paged: true,
        }
    }

    /// The names of the properties each feature carries, in output order.
    pub fn selected<'a>(&'a self, collection: &'a super::collection::Collection) -> Vec<String> {
        collection
            .properties
            .iter()
            .filter(|p| {
                self.properties
                    .as_ref()
                    .is_none_or(|names| names.contains(&p.name))
            })
            .map(|p| p.name.clone())
            .collect()
    }
}

impl LonLatBox {
    pub fn is_whole_turn(&self) -> bool {
        self.east - self.west >= 360.0
    }
}

/// A filter expression; property names are the collection's own (already resolved).
#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    And(Vec<Filter>),
    Or(Vec<Filter>),
    Not(Box<Filter>),
    Compare {
        property: String,
        op: CompareOp,
        value: Literal,
        /// Whether text comparison is case-sensitive (FES `matchCase`).
        match_case: bool,
    },
    /// SQL LIKE pattern: `%` any run, `_` one character, `\` escapes.
    Like {
        property: String,
        pattern: String,
        match_case: bool,
    },
    IsNull(String),
    Between {
        property: String,
        low: Literal,
        high: Literal,
    },
    In {
        property: String,
        values: Vec<Literal>,
    },
    /// The geometry intersects one of the boxes.
    Intersects(Vec<LonLatBox>),
    /// The feature id is one of these.
    Ids(Vec<Literal>),
}

impl Filter {
    /// The conjunction of `filters`, flattened; None when empty.
    pub fn all(filters: Vec<Filter>) -> Option<Filter> {
        let mut flat = Vec::new();
        for f in filters {
            match f {
                Filter::And(inner) => flat.extend(inner),
                other => flat.push(other),
            }
        }
        match flat.len() {
            0 => None,
            1 => flat.pop(),
            _ => Some(Filter::And(flat)),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct SortKey {
    pub property: String,
    pub descending: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultType {
    /// Features.
    Results,
    /// Only their number (WFS RESULTTYPE=hits).
    Hits,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FeatureQuery {
    pub collection: String,
    pub filter: Option<Filter>,
    /// Requested order; the server breaks ties (and orders by default) by the feature id so
    /// that pages neither skip nor repeat features.
    pub sort: Vec<SortKey>,
    pub offset: u64,
    pub limit: u64,
    /// Selected properties, in the collection's order; all of them when None.
    pub properties: Option<Vec<String>>,
    /// Whether features carry their geometry (WFS PROPERTYNAME may leave it out).
    pub include_geometry: bool,
    pub result_type: ResultType,
    /// The CRS coordinates are written in.
    pub output_crs: Crs,
    /// Whether the client asked for a page (WFS COUNT/STARTINDEX, OGC API always): pages are
    /// ordered by id; an unpaged, unsorted WFS response streams in storage order.
    pub paged: bool,
}

/// Turns a request bounding box `[a, b, c, d]` given in `crs` (axis order of that CRS) into
/// longitude/latitude boxes: west > east means the box crosses the antimeridian (OGC API –
/// Features Part 1 §7.15.3), and boxes in 0..360 longitudes are read as such.
pub fn request_bbox(coords: [f64; 4], crs: Crs) -> Result<Vec<LonLatBox>, String> {
    let [a, b, c, d] = coords;
    let (west, south, east, north) = if crs.defines_lat_first() {
        (b, a, d, c)
    } else {
        (a, b, c, d)
    };
    if coords.iter().any(|v| !v.is_finite()) {
        return Err("bbox coordinates must be numbers".into());
    }
    if south > north {
        return Err(format!("bbox south {south} is north of its north {north}"));
    }
    if !(-90.0..=90.0).contains(&south) || !(-90.0..=90.0).contains(&north) {
        return Err("bbox latitudes must lie within -90..90".into());
    }
    let width = if east >= west {
        east - west
    } else {
        east - west + 360.0
    };
    if width >= 360.0 {
        return Ok(vec![LonLatBox {
            west: -180.0,
            south,
            east: 180.0,
            north,
        }]);
    }
    let west = super::seam::wrap(west);
    let west = if west == 180.0 { -180.0 } else { west };
    let east = west + width;
    Ok(if east > 180.0 {
        vec![
            LonLatBox {
                west,
                south,
                east: 180.0,
                north,
            },
            LonLatBox {
                west: -180.0,
                south,
                east: east - 360.0,
                north,
            },
        ]
    } else {
        vec![LonLatBox {
            west,
            south,
            east,
            north,
        }]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn boxes(v: &[LonLatBox]) -> Vec<[f64; 4]> {
        v.iter()
            .map(|b| [b.west, b.south, b.east, b.north])
            .collect()
    }

    #[test]
    fn a_box_across_the_antimeridian_is_split() {
        let b = request_bbox([170.0, -10.0, -170.0, 10.0], Crs::Crs84).unwrap();
        assert_eq!(
            boxes(&b),
            [[170.0, -10.0, 180.0, 10.0], [-180.0, -10.0, -170.0, 10.0]]
        );
    }

    #[test]
    fn a_box_in_east_longitudes_is_understood() {
        let b = request_bbox([350.0, 0.0, 370.0, 5.0], Crs::Crs84).unwrap();
        assert_eq!(boxes(&b), [[-10.0, 0.0, 10.0, 5.0]]);
        let b = request_bbox([170.0, 0.0, 190.0, 5.0], Crs::Crs84).unwrap();
        assert_eq!(
            boxes(&b),
            [[170.0, 0.0, 180.0, 5.0], [-180.0, 0.0, -170.0, 5.0]]
        );
    }

    #[test]
    fn latitude_first_crss_are_read_in_their_order() {
        let b = request_bbox([10.0, 20.0, 11.0, 21.0], Crs::Epsg4326).unwrap();
        assert_eq!(boxes(&b), [[20.0, 10.0, 21.0, 11.0]]);
        assert!(request_bbox([10.0, 20.0, 11.0, 21.0], Crs::Crs84).is_ok());
        assert!(request_bbox([0.0, 100.0, 1.0, 101.0], Crs::Crs84).is_err());
        assert!(request_bbox([0.0, 10.0, 1.0, 5.0], Crs::Crs84).is_err());
    }

    #[test]
    fn a_whole_turn_is_the_whole_range() {
        let b = request_bbox([0.0, -90.0, 360.0, 90.0], Crs::Crs84).unwrap();
        assert!(b[0].is_whole_turn());
    }
}
