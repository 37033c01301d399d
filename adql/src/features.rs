//! Language versions, optional features and the TAPRegExt declaration of what this library
//! supports (ADQL 2.1 §4 and Appendix B; TAPRegExt 1.0 §2.3).
//!
//! Version differences live behind `supports_*` methods rather than scattered comparisons.

/// The ADQL version a query is parsed as. ADQL 2.0 queries keep working under 2.1; choosing
/// 2.0 turns the 2.1 additions off.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Version {
    /// IVOA Recommendation 2008-10-30.
    V2_0,
    /// IVOA Recommendation 2023-12-15.
    #[default]
    V2_1,
}

impl Version {
    /// `OFFSET n` (§4.10).
    pub fn supports_offset(self) -> bool {
        self == Version::V2_1
    }
    /// `WITH name AS (...)` at the top level (§4.5).
    pub fn supports_common_table_expressions(self) -> bool {
        self == Version::V2_1
    }
    /// `UNION`, `EXCEPT`, `INTERSECT` [ALL] (§4.6).
    pub fn supports_set_operators(self) -> bool {
        self == Version::V2_1
    }
    /// `LOWER`, `UPPER`, `ILIKE` (§4.4).
    pub fn supports_string_functions(self) -> bool {
        self == Version::V2_1
    }
    /// `CAST(x AS type)` (§4.7).
    pub fn supports_cast(self) -> bool {
        self == Version::V2_1
    }
    /// `COALESCE(...)` (§4.8).
    pub fn supports_coalesce(self) -> bool {
        self == Version::V2_1
    }
    /// `IN_UNIT(x, 'unit')` (§4.9).
    pub fn supports_in_unit(self) -> bool {
        self == Version::V2_1
    }
    /// Geometry constructors without the coordinate-system argument (§4.2.4).
    pub fn supports_optional_coordsys(self) -> bool {
        self == Version::V2_1
    }
    /// `CIRCLE(POINT, r)`, `BOX(POINT, w, h)`, `POLYGON(POINT, ...)` (§4.2.7, 4.2.5, 4.2.15).
    pub fn supports_point_arguments(self) -> bool {
        self == Version::V2_1
    }
    /// `ORDER BY` on expressions, not only names and positions (Appendix C).
    pub fn supports_order_by_expressions(self) -> bool {
        self == Version::V2_1
    }
}

/// Options of [`crate::parse_with`].
#[derive(Debug, Clone)]
pub struct ParseOptions {
    pub version: Version,
    /// The most operators (arithmetic, comparisons, AND/OR) a query may hold. sqlparser builds
    /// `a OR b OR c ...` as a left-deep tree that later passes (and DataFusion) walk
    /// recursively, so very long chains are refused with a clear error instead of risking the
    /// stack.
    pub max_operators: usize,
    /// The deepest nesting of parentheses a query may have. sqlparser backtracks on `(` in
    /// FROM (subquery or parenthesised join?), which costs time exponential in the nesting
    /// (about 350 ms at depth 30, 4 ms at depth 20), so deeper queries are refused.
    pub max_nesting: usize,
    /// Further user-defined function names the caller accepts at parse time (case-insensitive),
    /// beyond the `ivo_*` functions of [`UDF_SIGNATURES`]. [`crate::check`] still refuses
    /// functions it cannot translate.
    pub extra_functions: Vec<String>,
}

impl Default for ParseOptions {
    fn default() -> Self {
        ParseOptions {
            version: Version::default(),
            max_operators: 400,
            max_nesting: 20,
            extra_functions: Vec::new(),
        }
    }
}

/// TAPRegExt feature type of the geometry functions (no hyphen, for historical reasons: ADQL 2.1
/// §4.2.2).
pub const FEATURES_ADQLGEO: &str = "ivo://ivoa.net/std/TAPRegExt#features-adqlgeo";
/// TAPRegExt feature type of user-defined functions (§4.3.2).
pub const FEATURES_UDF: &str = "ivo://ivoa.net/std/TAPRegExt#features-udf";
/// §4.4 string functions.
pub const FEATURES_STRING: &str = "ivo://ivoa.net/std/TAPRegExt#features-adql-string";
/// §4.5 common table expressions.
pub const FEATURES_COMMON_TABLE: &str = "ivo://ivoa.net/std/TAPRegExt#features-adql-common-table";
/// §4.6 set operators.
pub const FEATURES_SETS: &str = "ivo://ivoa.net/std/TAPRegExt#features-adql-sets";
/// §4.7 type operations.
pub const FEATURES_TYPE: &str = "ivo://ivoa.net/std/TAPRegExt#features-adql-type";
/// §4.8 conditional functions.
pub const FEATURES_CONDITIONAL: &str = "ivo://ivoa.net/std/TAPRegExt#features-adql-conditional";
/// §4.9 unit operations.
pub const FEATURES_UNIT: &str = "ivo://ivoa.net/std/TAPRegExt#features-adql-unit";
/// §4.10 cardinality.
pub const FEATURES_OFFSET: &str = "ivo://ivoa.net/std/TAPRegExt#features-adql-offset";

/// One `<feature>` of a TAPRegExt `<languageFeatures type="...">` group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LanguageFeature {
    /// The `type` attribute of the enclosing `languageFeatures`.
    pub type_uri: &'static str,
    /// The `form` element: a name, or a UDF signature (ADQL 2.1 §4.3.2).
    pub form: &'static str,
    /// The `description` element.
    pub description: &'static str,
}

/// Signatures and descriptions of the `ivo_*` user-defined functions this library translates
/// (Catalogue of ADQL User Defined Functions, Endorsed Note 1.0).
pub const UDF_SIGNATURES: &[(&str, &str)] = &[
    (
        "ivo_healpix_index(hpxOrder INTEGER, long DOUBLE PRECISION, lat DOUBLE PRECISION) -> BIGINT",
        "Index of the HEALPix cell (NESTED numbering) at order hpxOrder containing the point \
         (long, lat) in degrees.",
    ),
    (
        "ivo_healpix_index(hpxOrder INTEGER, p POINT) -> BIGINT",
        "Index of the HEALPix cell (NESTED numbering) at order hpxOrder containing the point p.",
    ),
    (
        "ivo_healpix_center(hpxOrder INTEGER, hpxIndex BIGINT) -> POINT",
        "Centre of the HEALPix cell hpxIndex (NESTED numbering) at order hpxOrder.",
    ),
    (
        "ivo_string_agg(expr VARCHAR, deli VARCHAR) -> VARCHAR",
        "Aggregate: the non-NULL values of expr in the group, concatenated with deli.",
    ),
    (
        "ivo_nocasematch(value VARCHAR, pattern VARCHAR) -> INTEGER",
        "1 if value matches the LIKE pattern case-insensitively, 0 otherwise.",
    ),
    (
        "ivo_hasword(haystack VARCHAR, needle VARCHAR) -> INTEGER",
        "1 if every word of needle (runs of ASCII letters and digits) is a word of haystack, \
         compared case-insensitively; 0 otherwise.",
    ),
    (
        "ivo_hashlist_has(hashlist VARCHAR, item VARCHAR) -> INTEGER",
        "1 if item is one of the '#'-separated words of hashlist, compared case-insensitively; \
         0 otherwise (and 0 whenever item contains '#').",
    ),
    (
        "ivo_interval_overlaps(l1 DOUBLE PRECISION, h1 DOUBLE PRECISION, l2 DOUBLE PRECISION, \
         h2 DOUBLE PRECISION) -> INTEGER",
        "1 if the closed intervals [l1, h1] and [l2, h2] overlap, 0 otherwise; an interval whose \
         lower bound exceeds its upper bound overlaps nothing.",
    ),
];

const GEOMETRY_FUNCTIONS: &[(&str, &str)] = &[
    ("AREA", "Area of a geometry in square degrees."),
    (
        "BOX",
        "A box given by centre, width and height (deprecated in ADQL 2.1).",
    ),
    ("CENTROID", "Centroid of a geometry, as a POINT."),
    ("CIRCLE", "A circle given by centre and radius in degrees."),
    (
        "CONTAINS",
        "1 if the first geometry lies within the second, 0 otherwise.",
    ),
    ("COORD1", "First coordinate of a POINT in degrees."),
    ("COORD2", "Second coordinate of a POINT in degrees."),
    (
        "COORDSYS",
        "Coordinate system of a geometry (deprecated in ADQL 2.1).",
    ),
    (
        "DISTANCE",
        "Great-circle distance in degrees between two points (2 or 4 arguments).",
    ),
    ("INTERSECTS", "1 if two geometries overlap, 0 otherwise."),
    ("POINT", "A point on the sphere, in degrees."),
    ("POLYGON", "A spherical polygon with great-circle edges."),
    (
        "REGION",
        "A geometry from an STC-S literal (Position, Circle, Box, Polygon).",
    ),
];

/// Every optional language feature this library supports, for the TAPRegExt document.
pub fn language_features() -> Vec<LanguageFeature> {
    let mut features: Vec<LanguageFeature> = GEOMETRY_FUNCTIONS
        .iter()
        .map(|&(form, description)| LanguageFeature {
            type_uri: FEATURES_ADQLGEO,
            form,
            description,
        })
        .collect();
    let simple: &[(&str, &str, &str)] = &[
        (FEATURES_STRING, "LOWER", "Lower-case conversion."),
        (FEATURES_STRING, "UPPER", "Upper-case conversion."),
        (FEATURES_STRING, "ILIKE", "Case-insensitive LIKE."),
        (FEATURES_COMMON_TABLE, "WITH", "Common table expressions."),
        (FEATURES_SETS, "UNION", "Union of two query results."),
        (
            FEATURES_SETS,
            "EXCEPT",
            "Rows of the first result not in the second.",
        ),
        (FEATURES_SETS, "INTERSECT", "Rows in both results."),
        (FEATURES_TYPE, "CAST", "Type conversion."),
        (FEATURES_CONDITIONAL, "COALESCE", "First non-NULL argument."),
        (
            FEATURES_UNIT,
            "IN_UNIT",
            "Conversion of a value into another VOUnit.",
        ),
        (
            FEATURES_OFFSET,
            "OFFSET",
            "Skip rows at the start of the result.",
        ),
    ];
    features.extend(
        simple
            .iter()
            .map(|&(type_uri, form, description)| LanguageFeature {
                type_uri,
                form,
                description,
            }),
    );
    features.extend(
        UDF_SIGNATURES
            .iter()
            .map(|&(form, description)| LanguageFeature {
                type_uri: FEATURES_UDF,
                form,
                description,
            }),
    );
    features
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_optional_feature_is_declared_once_under_its_type() {
        let features = language_features();
        let count = |t: &str| features.iter().filter(|f| f.type_uri == t).count();
        assert_eq!(count(FEATURES_ADQLGEO), 13);
        assert_eq!(count(FEATURES_STRING), 3);
        assert_eq!(count(FEATURES_SETS), 3);
        assert_eq!(count(FEATURES_UDF), UDF_SIGNATURES.len());
        for t in [
            FEATURES_COMMON_TABLE,
            FEATURES_TYPE,
            FEATURES_CONDITIONAL,
            FEATURES_UNIT,
            FEATURES_OFFSET,
        ] {
            assert_eq!(count(t), 1, "{t}");
        }
        let mut forms: Vec<(&str, &str)> = features.iter().map(|f| (f.type_uri, f.form)).collect();
        forms.sort();
        forms.dedup();
        assert_eq!(forms.len(), features.len());
    }

    #[test]
    fn udf_signatures_follow_the_adql_grammar_and_parse() {
        for (signature, _) in UDF_SIGNATURES {
            let (call, result) = signature.split_once(" -> ").expect("signature -> type");
            assert!(!result.is_empty());
            let name = call.split('(').next().unwrap_or_default();
            assert!(crate::functions::Func::from_name(name).is_some(), "{name}");
        }
    }
}
