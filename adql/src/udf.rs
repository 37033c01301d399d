//! The scalar UDFs that translated queries call. The server registers each one in DataFusion
//! under exactly this name, with exactly this signature (argument Arrow types in order, return
//! Arrow type) and semantics; the geometry is [`crate::geometry`].
//!
//! Conventions for all of them:
//! - angles in degrees; geometries as DALI arrays, Arrow `List<Float64>` (item field nullable):
//!   a point is `[lon, lat]`, a circle `[lon, lat, radius]`, a polygon
//!   `[lon1, lat1, lon2, lat2, ...]` (at least 3 vertices); [`crate::geometry::Shape::from_dali`]
//!   reads them and [`crate::geometry::Shape::to_dali`] writes them;
//! - a NULL argument gives a NULL result; a malformed geometry array gives NULL;
//! - numeric arguments are `Float64` unless said otherwise: DataFusion coerces integer
//!   arguments when the UDF signature is declared with `Signature::exact`/`coercible` over
//!   Float64 (or the server casts);
//! - all are immutable (same input, same output) except none.

/// `adql_distance(lon1: Float64, lat1: Float64, lon2: Float64, lat2: Float64) -> Float64`:
/// great-circle distance in degrees ([`crate::geometry::distance`]).
pub const DISTANCE: &str = "adql_distance";

/// `adql_point_in_circle(lon: Float64, lat: Float64, clon: Float64, clat: Float64,
/// radius: Float64) -> Boolean`: distance from (lon, lat) to the centre ≤ radius
/// ([`crate::geometry::point_in_circle`]).
pub const POINT_IN_CIRCLE: &str = "adql_point_in_circle";

/// `adql_point_in_polygon(lon: Float64, lat: Float64, lon1: Float64, lat1: Float64, ...,
/// lonN: Float64, latN: Float64) -> Boolean` (variadic, N ≥ 3 vertex pairs): the point is inside
/// or on the polygon with great-circle edges, inside being the smaller region
/// ([`crate::geometry::Polygon::contains_point`]). The vertices are usually literals: build the
/// polygon once per batch when they are scalar.
pub const POINT_IN_POLYGON: &str = "adql_point_in_polygon";

/// `adql_point(lon: Float64, lat: Float64) -> List<Float64>`: the DALI point `[lon, lat]`
/// (longitude normalised to [0, 360)).
pub const POINT: &str = "adql_point";

/// `adql_circle(lon: Float64, lat: Float64, radius: Float64) -> List<Float64>`: the DALI circle.
pub const CIRCLE: &str = "adql_circle";

/// `adql_polygon(lon1: Float64, lat1: Float64, ..., lonN: Float64, latN: Float64) ->
/// List<Float64>` (variadic, N ≥ 3): the DALI polygon.
pub const POLYGON: &str = "adql_polygon";

/// `adql_box(lon: Float64, lat: Float64, width: Float64, height: Float64) -> List<Float64>`:
/// ADQL's BOX as a DALI polygon of 4 vertices ([`crate::geometry::box_vertices`]).
pub const BOX: &str = "adql_box";

/// `adql_contains(a: List<Float64>, b: List<Float64>) -> Boolean`: CONTAINS(a, b), a wholly
/// within b ([`crate::geometry::contains`]); NULL when either array is malformed.
pub const CONTAINS: &str = "adql_contains";

/// `adql_intersects(a: List<Float64>, b: List<Float64>) -> Boolean`
/// ([`crate::geometry::intersects`]).
pub const INTERSECTS: &str = "adql_intersects";

/// `adql_area(g: List<Float64>) -> Float64`: area in square degrees ([`crate::geometry::area`]).
pub const AREA: &str = "adql_area";

/// `adql_centroid(g: List<Float64>) -> List<Float64>`: the centroid as a DALI point
/// ([`crate::geometry::centroid`]).
pub const CENTROID: &str = "adql_centroid";

/// `adql_coord1(p: List<Float64>) -> Float64`: the first element of a DALI point.
pub const COORD1: &str = "adql_coord1";

/// `adql_coord2(p: List<Float64>) -> Float64`: the second element of a DALI point.
pub const COORD2: &str = "adql_coord2";

/// `adql_geometry_from_text(text: Utf8, kind: Utf8) -> List<Float64>`: CAST of a DALI string
/// (numbers separated by blanks) to `kind` = 'point' (2 numbers), 'circle' (3) or 'polygon'
/// (even, ≥ 6); NULL if the count does not fit. `kind` is always a literal.
pub const GEOMETRY_FROM_TEXT: &str = "adql_geometry_from_text";

/// `adql_healpix_index(order: Int64, lon: Float64, lat: Float64) -> Int64`: the NESTED index of
/// the cell containing (lon, lat) at `order` (0..=29): [`crate::healpix::index`]
/// (ivo_healpix_index of the IVOA UDF catalogue). NULL for invalid arguments.
pub const HEALPIX_INDEX: &str = "adql_healpix_index";

/// `adql_healpix_center(order: Int64, index: Int64) -> List<Float64>`: the centre of a NESTED
/// cell as a DALI point: [`crate::healpix::center`] (ivo_healpix_center).
pub const HEALPIX_CENTER: &str = "adql_healpix_center";

/// `adql_healpix_neighbour(order: Int64, index: Int64, direction: Int64) -> Int64`: the cell
/// itself (direction 0) or its neighbour in direction 1..=8, NULL where there is none:
/// [`crate::healpix::neighbour`]. Used by crossmatch translation.
pub const HEALPIX_NEIGHBOUR: &str = "adql_healpix_neighbour";

/// `adql_hasword(haystack: Utf8, needle: Utf8) -> Int32`: 1 if every word of `needle` (maximal
/// runs of ASCII letters and digits) is a word of `haystack`, compared ASCII-case-insensitively,
/// else 0 (ivo_hasword).
pub const HASWORD: &str = "adql_hasword";

/// `adql_hashlist_has(hashlist: Utf8, item: Utf8) -> Int32`: 1 if `item` equals, ignoring ASCII
/// case, one of the '#'-separated words of `hashlist`; 0 otherwise, and 0 whenever `item`
/// contains '#' (ivo_hashlist_has).
pub const HASHLIST_HAS: &str = "adql_hashlist_has";

/// Every UDF name above, for registration checks.
pub const NAMES: &[&str] = &[
    DISTANCE,
    POINT_IN_CIRCLE,
    POINT_IN_POLYGON,
    POINT,
    CIRCLE,
    POLYGON,
    BOX,
    CONTAINS,
    INTERSECTS,
    AREA,
    CENTROID,
    COORD1,
    COORD2,
    GEOMETRY_FROM_TEXT,
    HEALPIX_INDEX,
    HEALPIX_CENTER,
    HEALPIX_NEIGHBOUR,
    HASWORD,
    HASHLIST_HAS,
];
