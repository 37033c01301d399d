//! The checked query: every name resolved to a physical table and column, every expression
//! typed. Translation lowers this to DataFusion's SQL AST.

use std::sync::Arc;

use crate::check::types::Ty;
use crate::schema::{QualifiedName, SkyIndex};

#[derive(Debug, Clone, PartialEq)]
pub struct RQuery {
    /// Common table expressions: (unique name, query).
    pub with: Vec<(String, RQuery)>,
    pub body: RSet,
    pub order_by: Vec<ROrder>,
    pub offset: Option<u64>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum RSet {
    Select(Box<RSelect>),
    Query(Box<RQuery>),
    SetOp {
        op: SetOp,
        all: bool,
        left: Box<RSet>,
        right: Box<RSet>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetOp {
    Union,
    Except,
    Intersect,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RSelect {
    pub distinct: bool,
    pub top: Option<u64>,
    /// Output expressions with their unique output names.
    pub items: Vec<(Typed, String)>,
    pub from: Vec<RFrom>,
    pub selection: Option<RExpr>,
    pub group_by: Vec<RExpr>,
    pub having: Option<RExpr>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum RFrom {
    Table {
        physical: QualifiedName,
        alias: String,
        sky_index: Option<SkyIndex>,
    },
    Derived {
        query: Box<RQuery>,
        alias: String,
    },
    /// A reference to a common table expression.
    Cte {
        name: String,
        alias: String,
    },
    Join {
        kind: JoinKind,
        left: Box<RFrom>,
        right: Box<RFrom>,
        /// USING and NATURAL joins arrive here as explicit equalities.
        on: RExpr,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JoinKind {
    Inner,
    Left,
    Right,
    Full,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ROrder {
    pub key: RExpr,
    pub asc: Option<bool>,
}

/// An expression with its type.
#[derive(Debug, Clone, PartialEq)]
pub struct Typed {
    pub expr: RExpr,
    pub ty: Ty,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Plus,
    Minus,
    Multiply,
    Divide,
    /// MOD(x, y): the remainder with the sign of x (ADQL 2.1 §2.3).
    Modulo,
    Concat,
    Eq,
    NotEq,
    Lt,
    LtEq,
    Gt,
    GtEq,
    And,
    Or,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    /// A numeric literal as written (`42`, `1e-3`, `.5`).
    Number(String),
    String(String),
    Null,
}

/// Geometry functions that are not constructors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GeoFn {
    Area,
    Centroid,
    Coord1,
    Coord2,
}

#[derive(Debug, Clone, PartialEq)]
pub enum RExpr {
    /// `"alias"."column"`, exact names.
    Column {
        relation: Arc<str>,
        column: Arc<str>,
    },
    Literal(Literal),
    Negate(Box<RExpr>),
    Binary {
        op: BinOp,
        left: Box<RExpr>,
        right: Box<RExpr>,
    },
    Not(Box<RExpr>),
    Nested(Box<RExpr>),
    /// A DataFusion built-in scalar function.
    Call {
        name: &'static str,
        args: Vec<RExpr>,
    },
    /// A DataFusion aggregate; `arg` is `None` for `COUNT(*)`.
    Aggregate {
        name: &'static str,
        distinct: bool,
        args: Vec<RExpr>,
    },
    /// One of our UDFs (see [`crate::udf`]).
    Udf {
        name: &'static str,
        args: Vec<RExpr>,
    },
    Cast {
        expr: Box<RExpr>,
        to: CastTo,
    },
    Like {
        negated: bool,
        case_insensitive: bool,
        expr: Box<RExpr>,
        pattern: Box<RExpr>,
    },
    Between {
        negated: bool,
        expr: Box<RExpr>,
        low: Box<RExpr>,
        high: Box<RExpr>,
    },
    InList {
        negated: bool,
        expr: Box<RExpr>,
        list: Vec<RExpr>,
    },
    InSubquery {
        negated: bool,
        expr: Box<RExpr>,
        query: Box<RQuery>,
    },
    Exists {
        negated: bool,
        query: Box<RQuery>,
    },
    IsNull {
        negated: bool,
        expr: Box<RExpr>,
    },
    /// A geometry value built from parts, kept apart so that translation can flatten it.
    Point {
        lon: Box<RExpr>,
        lat: Box<RExpr>,
    },
    Circle {
        centre: Box<RExpr>,
        radius: Box<RExpr>,
    },
    Polygon(Vec<RExpr>),
    /// BOX with a centre point, width and height (converted to a polygon on translation).
    Box {
        centre: Box<RExpr>,
        width: Box<RExpr>,
        height: Box<RExpr>,
    },
    /// CONTAINS (`intersects: false`) or INTERSECTS of two geometries, as 1/0.
    GeoPredicate {
        intersects: bool,
        left: Box<Typed>,
        right: Box<Typed>,
    },
    Distance {
        left: Box<RExpr>,
        right: Box<RExpr>,
    },
    GeoFn {
        func: GeoFn,
        arg: Box<Typed>,
    },
    /// An output column of the enclosing query, by name (ORDER BY alias).
    OutputName(String),
    /// An output column by 1-based position (ORDER BY 2).
    Position(u64),
}

/// CAST targets (ADQL 2.1 §4.7).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CastTo {
    SmallInt,
    Integer,
    BigInt,
    Real,
    Double,
    String,
    Timestamp,
    Point,
    Circle,
    Polygon,
}

pub(crate) fn typed(expr: RExpr, ty: Ty) -> Typed {
    Typed { expr, ty }
}

pub(crate) fn boxed(t: Typed) -> Box<RExpr> {
    Box::new(t.expr)
}
