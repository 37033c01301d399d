//! The functions ADQL knows (ADQL 2.1 §2.3, §4.2–4.9) and the `ivo_*` user-defined functions
//! this library translates.

/// A function recognised by name (case-insensitively).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Func {
    // Mathematical (§2.3, table 1).
    Abs,
    Ceiling,
    Degrees,
    Exp,
    Floor,
    Log,
    Log10,
    Mod,
    Pi,
    Power,
    Radians,
    Sqrt,
    Rand,
    Round,
    Truncate,
    // Trigonometrical (§2.3, table 2).
    Acos,
    Asin,
    Atan,
    Atan2,
    Cos,
    Cot,
    Sin,
    Tan,
    // Aggregates (set functions).
    Count,
    Avg,
    Max,
    Min,
    Sum,
    // Geometry (§4.2).
    Area,
    Box,
    Centroid,
    Circle,
    Contains,
    Coord1,
    Coord2,
    Coordsys,
    Distance,
    Intersects,
    Point,
    Polygon,
    Region,
    // Strings (§4.4), conditional (§4.8), units (§4.9).
    Lower,
    Upper,
    Coalesce,
    InUnit,
    // User-defined functions from the IVOA UDF catalogue.
    IvoHealpixIndex,
    IvoHealpixCenter,
    IvoStringAgg,
    IvoNocasematch,
    IvoHasword,
    IvoHashlistHas,
    IvoIntervalOverlaps,
}

const NAMES: &[(&str, Func)] = &[
    ("ABS", Func::Abs),
    ("CEILING", Func::Ceiling),
    ("DEGREES", Func::Degrees),
    ("EXP", Func::Exp),
    ("FLOOR", Func::Floor),
    ("LOG", Func::Log),
    ("LOG10", Func::Log10),
    ("MOD", Func::Mod),
    ("PI", Func::Pi),
    ("POWER", Func::Power),
    ("RADIANS", Func::Radians),
    ("SQRT", Func::Sqrt),
    ("RAND", Func::Rand),
    ("ROUND", Func::Round),
    ("TRUNCATE", Func::Truncate),
    ("ACOS", Func::Acos),
    ("ASIN", Func::Asin),
    ("ATAN", Func::Atan),
    ("ATAN2", Func::Atan2),
    ("COS", Func::Cos),
    ("COT", Func::Cot),
    ("SIN", Func::Sin),
    ("TAN", Func::Tan),
    ("COUNT", Func::Count),
    ("AVG", Func::Avg),
    ("MAX", Func::Max),
    ("MIN", Func::Min),
    ("SUM", Func::Sum),
    ("AREA", Func::Area),
    ("BOX", Func::Box),
    ("CENTROID", Func::Centroid),
    ("CIRCLE", Func::Circle),
    ("CONTAINS", Func::Contains),
    ("COORD1", Func::Coord1),
    ("COORD2", Func::Coord2),
    ("COORDSYS", Func::Coordsys),
    ("DISTANCE", Func::Distance),
    ("INTERSECTS", Func::Intersects),
    ("POINT", Func::Point),
    ("POLYGON", Func::Polygon),
    ("REGION", Func::Region),
    ("LOWER", Func::Lower),
    ("UPPER", Func::Upper),
    ("COALESCE", Func::Coalesce),
    ("IN_UNIT", Func::InUnit),
    ("IVO_HEALPIX_INDEX", Func::IvoHealpixIndex),
    ("IVO_HEALPIX_CENTER", Func::IvoHealpixCenter),
    ("IVO_STRING_AGG", Func::IvoStringAgg),
    ("IVO_NOCASEMATCH", Func::IvoNocasematch),
    ("IVO_HASWORD", Func::IvoHasword),
    ("IVO_HASHLIST_HAS", Func::IvoHashlistHas),
    ("IVO_INTERVAL_OVERLAPS", Func::IvoIntervalOverlaps),
];

impl Func {
    pub fn from_name(name: &str) -> Option<Func> {
        NAMES
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|&(_, f)| f)
    }

    /// The canonical (upper-case) ADQL name.
    pub fn name(self) -> &'static str {
        NAMES
            .iter()
            .find(|(_, f)| *f == self)
            .map(|&(n, _)| n)
            .unwrap_or("?")
    }

    /// Aggregate (set) functions, including `ivo_string_agg`.
    pub fn is_aggregate(self) -> bool {
        matches!(
            self,
            Func::Count | Func::Avg | Func::Max | Func::Min | Func::Sum | Func::IvoStringAgg
        )
    }

    /// Constructors that take the deprecated coordinate-system string first (§4.2.4).
    pub fn takes_coordsys(self) -> bool {
        matches!(self, Func::Point | Func::Circle | Func::Box | Func::Polygon)
    }

    /// Inclusive bounds on the argument count, for functions whose count does not depend on
    /// the argument types (geometry constructors and DISTANCE are checked separately).
    pub fn arity(self) -> (usize, Option<usize>) {
        use Func::*;
        match self {
            Pi => (0, Some(0)),
            Rand => (0, Some(1)),
            Round | Truncate => (1, Some(2)),
            Mod | Power | Atan2 | Contains | Intersects | InUnit => (2, Some(2)),
            IvoStringAgg | IvoNocasematch | IvoHasword | IvoHashlistHas | IvoHealpixCenter => {
                (2, Some(2))
            }
            IvoHealpixIndex => (2, Some(3)),
            IvoIntervalOverlaps => (4, Some(4)),
            Coalesce => (1, None),
            Distance => (2, Some(4)),
            Point => (2, Some(3)),
            Circle => (2, Some(4)),
            Box => (3, Some(5)),
            Polygon => (3, None),
            _ => (1, Some(1)),
        }
    }
}

/// The `ivo_*` names, for suggestions.
pub fn all_names() -> impl Iterator<Item = &'static str> {
    NAMES.iter().map(|&(n, _)| n)
}
