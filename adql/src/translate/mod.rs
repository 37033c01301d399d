//! Lowering a checked query to DataFusion's SQL AST (sqlparser `Statement`), ready for
//! `SqlToRel`/`statement_to_plan` with DataFusion's default (generic) dialect conventions:
//! every identifier quoted with its exact physical name, every select item aliased with its
//! output name, TOP as LIMIT, ADQL functions as DataFusion functions or our UDFs
//! ([`crate::udf`]). Nothing is pasted into SQL text.
//!
//! ADQL semantics kept where engines differ: LOG is the natural logarithm (DataFusion `ln`),
//! TRUNCATE is `trunc`, MOD is `%` (sign of the dividend, as ADQL 2.1 §2.3 requires), integer
//! division truncates towards zero as in SQL-92 and PostgreSQL, strings compare by code point.

mod geometry;
mod sky;

use sqlparser::ast::{
    self, DataType, Expr, FunctionArg, FunctionArgExpr, FunctionArguments, Ident, ObjectName,
    SelectItem, SetExpr, Statement, TableAlias, TableFactor, TableWithJoins, Value,
};

use crate::check::CheckedQuery;
use crate::check::ir::{
    BinOp, CastTo, JoinKind, Literal, RExpr, RFrom, ROrder, RQuery, RSelect, RSet, SetOp, Typed,
};
use crate::check::types::Ty;
use crate::schema::QualifiedName;

/// Options of [`CheckedQuery::translate`].
#[derive(Debug, Clone, Copy)]
pub struct TranslateOptions {
    /// The most rows the result may have (the caller's MAXREC, or MAXREC + 1 to detect
    /// overflow); combined with TOP by taking the smaller.
    pub max_rows: Option<u64>,
    /// Rewrite positional constraints on HEALPix-indexed tables into index range predicates
    /// (and crossmatches into bucketed equi-joins). On by default.
    pub sky_index: bool,
}

impl Default for TranslateOptions {
    fn default() -> Self {
        TranslateOptions {
            max_rows: None,
            sky_index: true,
        }
    }
}

/// A translated query, with what an engine may want to know about how much it will read.
#[derive(Debug, Clone)]
pub struct Translation {
    pub statement: Statement,
    /// Set when the outermost SELECT reads only a little of its one table.
    pub narrowed: Option<Narrowed>,
}

/// How little of its one table a query reads, when the translator can tell.
#[derive(Debug, Clone, PartialEq)]
pub enum Narrowed {
    /// Rows within sky index ranges covering this fraction of the sky (about the fraction of
    /// the rows, for an evenly spread catalogue).
    Sky {
        table: QualifiedName,
        sky_fraction: f64,
    },
    /// The first `rows` rows in file order: columns only, no condition, grouping or ordering.
    FirstRows { rows: u64 },
}

impl CheckedQuery {
    /// The query as a DataFusion-ready SQL statement.
    pub fn translate(&self, options: &TranslateOptions) -> Statement {
        self.translation(options).statement
    }

    /// The query as a DataFusion-ready SQL statement, and what the sky index narrows it to.
    pub fn translation(&self, options: &TranslateOptions) -> Translation {
        let lower = Lower { options: *options };
        let (query, narrowed) = lower.query_reading(&self.resolved, options.max_rows);
        Translation {
            statement: Statement::Query(Box::new(query)),
            narrowed,
        }
    }
}

pub(crate) struct Lower {
    options: TranslateOptions,
}

pub(crate) fn quoted(name: &str) -> Ident {
    Ident::with_quote('"', name)
}

pub(crate) fn number(text: impl Into<String>) -> Expr {
    Expr::value(Value::Number(text.into(), false))
}

pub(crate) fn float(x: f64) -> Expr {
    let text = format!("{x:?}");
    if x < 0.0 {
        Expr::UnaryOp {
            op: ast::UnaryOperator::Minus,
            expr: Box::new(number(text.trim_start_matches('-'))),
        }
    } else {
        number(text)
    }
}

pub(crate) fn string(text: &str) -> Expr {
    Expr::value(Value::SingleQuotedString(text.to_string()))
}

pub(crate) fn call(name: &str, args: Vec<Expr>) -> Expr {
    Expr::Function(ast::Function {
        name: ObjectName::from(vec![Ident::new(name)]),
        uses_odbc_syntax: false,
        parameters: FunctionArguments::None,
        args: FunctionArguments::List(ast::FunctionArgumentList {
            duplicate_treatment: None,
            args: args
                .into_iter()
                .map(|e| FunctionArg::Unnamed(FunctionArgExpr::Expr(e)))
                .collect(),
            clauses: vec![],
        }),
        filter: None,
        null_treatment: None,
        over: None,
        within_group: vec![],
    })
}

pub(crate) fn binary(left: Expr, op: ast::BinaryOperator, right: Expr) -> Expr {
    Expr::BinaryOp {
        left: Box::new(left),
        op,
        right: Box::new(right),
    }
}

pub(crate) fn and(left: Expr, right: Expr) -> Expr {
    binary(left, ast::BinaryOperator::And, right)
}

fn nested_query(query: ast::Query) -> Box<ast::Query> {
    Box::new(query)
}

fn empty_select() -> ast::Select {
    ast::Select {
        select_token: ast::helpers::attached_token::AttachedToken::empty(),
        optimizer_hints: vec![],
        distinct: None,
        select_modifiers: None,
        top: None,
        top_before_distinct: false,
        projection: vec![],
        exclude: None,
        into: None,
        from: vec![],
        lateral_views: vec![],
        prewhere: None,
        selection: None,
        connect_by: vec![],
        group_by: ast::GroupByExpr::Expressions(vec![], vec![]),
        cluster_by: vec![],
        distribute_by: vec![],
        sort_by: vec![],
        having: None,
        named_window: vec![],
        qualify: None,
        window_before_qualify: false,
        value_table_mode: None,
        flavor: ast::SelectFlavor::Standard,
    }
}

fn plain_query(body: SetExpr) -> ast::Query {
    ast::Query {
        with: None,
        body: Box::new(body),
        order_by: None,
        limit_clause: None,
        fetch: None,
        locks: vec![],
        for_clause: None,
        settings: None,
        format_clause: None,
        pipe_operators: vec![],
    }
}

fn limit_clause(limit: Option<u64>, offset: Option<u64>) -> Option<ast::LimitClause> {
    if limit.is_none() && offset.is_none() {
        return None;
    }
    Some(ast::LimitClause::LimitOffset {
        limit: limit.map(|n| number(n.to_string())),
        offset: offset.map(|n| ast::Offset {
            value: number(n.to_string()),
            rows: ast::OffsetRows::None,
        }),
        limit_by: vec![],
    })
}

fn smaller(a: Option<u64>, b: Option<u64>) -> Option<u64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, None) => a,
        (None, b) => b,
    }
}

/// A plain `SELECT TOP n columns FROM table` stops after its first rows.
fn first_rows(select: &RSelect, limit: Option<u64>, offset: Option<u64>) -> Option<Narrowed> {
    let plain = matches!(select.from.as_slice(), [RFrom::Table { .. }])
        && !select.distinct
        && select.selection.is_none()
        && select.group_by.is_empty()
        && select.having.is_none()
        && select
            .items
            .iter()
            .all(|(typed, _)| matches!(typed.expr, RExpr::Column { .. }));
    plain.then_some(())?;
    Some(Narrowed::FirstRows {
        rows: limit?.saturating_add(offset.unwrap_or(0)),
    })
}

impl Lower {
    /// A query; `max_rows` caps the number of rows it returns.
    fn query(&self, query: &RQuery, max_rows: Option<u64>) -> ast::Query {
        self.query_reading(query, max_rows).0
    }

    /// The query, and what the sky index narrows its body to when that is a plain SELECT.
    fn query_reading(
        &self,
        query: &RQuery,
        max_rows: Option<u64>,
    ) -> (ast::Query, Option<Narrowed>) {
        let with = (!query.with.is_empty()).then(|| ast::With {
            with_token: ast::helpers::attached_token::AttachedToken::empty(),
            recursive: false,
            cte_tables: query
                .with
                .iter()
                .map(|(name, q)| ast::Cte {
                    alias: TableAlias {
                        explicit: false,
                        ..table_alias(name)
                    },
                    query: nested_query(self.query(q, None)),
                    from: None,
                    materialized: None,
                    closing_paren_token: ast::helpers::attached_token::AttachedToken::empty(),
                })
                .collect(),
        });
        // TOP of a plain SELECT body becomes this query's LIMIT: ORDER BY, then OFFSET, then
        // TOP (ADQL 2.1 §2.2 and §4.10) is exactly SQL's LIMIT/OFFSET order.
        let (body, top, narrowed) = match &query.body {
            RSet::Select(select) => {
                let (lowered, narrowed) = self.select_reading(select);
                (SetExpr::Select(Box::new(lowered)), select.top, narrowed)
            }
            other => (self.set(other), None, None),
        };
        let order_by = (!query.order_by.is_empty()).then(|| ast::OrderBy {
            kind: ast::OrderByKind::Expressions(
                query.order_by.iter().map(|o| self.order(o)).collect(),
            ),
            interpolate: None,
        });
        let narrowed = match &query.body {
            _ if with.is_some() => None,
            RSet::Select(select) if narrowed.is_none() && query.order_by.is_empty() => {
                first_rows(select, smaller(top, max_rows), query.offset)
            }
            _ => narrowed,
        };
        let query = ast::Query {
            with,
            body: Box::new(body),
            order_by,
            limit_clause: limit_clause(smaller(top, max_rows), query.offset),
            fetch: None,
            locks: vec![],
            for_clause: None,
            settings: None,
            format_clause: None,
            pipe_operators: vec![],
        };
        (query, narrowed)
    }

    fn order(&self, order: &ROrder) -> ast::OrderByExpr {
        ast::OrderByExpr {
            expr: self.expr(&order.key),
            options: ast::OrderByOptions {
                asc: order.asc,
                nulls_first: None,
            },
            with_fill: None,
        }
    }

    fn set(&self, set: &RSet) -> SetExpr {
        match set {
            RSet::Select(select) => {
                let lowered = SetExpr::Select(Box::new(self.select(select)));
                match select.top {
                    // An operand with TOP becomes a parenthesised query with LIMIT.
                    Some(top) => {
                        let mut q = plain_query(lowered);
                        q.limit_clause = limit_clause(Some(top), None);
                        SetExpr::Query(Box::new(q))
                    }
                    None => lowered,
                }
            }
            RSet::Query(q) => SetExpr::Query(Box::new(self.query(q, None))),
            RSet::SetOp {
                op,
                all,
                left,
                right,
            } => SetExpr::SetOperation {
                left: Box::new(self.set(left)),
                op: match op {
                    SetOp::Union => ast::SetOperator::Union,
                    SetOp::Except => ast::SetOperator::Except,
                    SetOp::Intersect => ast::SetOperator::Intersect,
                },
                set_quantifier: if *all {
                    ast::SetQuantifier::All
                } else {
                    ast::SetQuantifier::None
                },
                right: Box::new(self.set(right)),
            },
        }
    }

    fn select(&self, select: &RSelect) -> ast::Select {
        self.select_reading(select).0
    }

    /// The SELECT, and what the sky index narrows it to when it reads one table.
    fn select_reading(&self, select: &RSelect) -> (ast::Select, Option<Narrowed>) {
        let mut selection = select.selection.as_ref().map(|s| self.expr(s));
        let from = match (select.from.as_slice(), &select.selection) {
            // FROM a, b WHERE <crossmatch>: a bucketed join rather than a cross product.
            ([left, right], Some(condition)) => match self.bucket_join(left, right, condition) {
                Some((directions, bucket)) => {
                    let mut table = self.from(left);
                    table.joins.push(directions);
                    table.joins.push(ast::Join {
                        relation: self.factor(right),
                        global: false,
                        join_operator: ast::JoinOperator::Inner(ast::JoinConstraint::On(bucket)),
                    });
                    vec![table]
                }
                None => select.from.iter().map(|f| self.from(f)).collect(),
            },
            _ => select.from.iter().map(|f| self.from(f)).collect(),
        };
        let mut sky_fraction: Option<f64> = None;
        if self.options.sky_index
            && let Some(condition) = &select.selection
        {
            for p in sky::prune(select, condition) {
                selection = selection.map(|s| and(p.predicate, s));
                sky_fraction = Some(sky_fraction.map_or(p.sky_fraction, |f| p.sky_fraction.min(f)));
            }
        }
        // Through a join the other side may read anything.
        let narrowed = match (select.from.as_slice(), sky_fraction) {
            ([RFrom::Table { physical, .. }], Some(sky_fraction)) => Some(Narrowed::Sky {
                table: physical.clone(),
                sky_fraction,
            }),
            _ => None,
        };
        let projection = select
            .items
            .iter()
            .map(|(typed, name)| SelectItem::ExprWithAlias {
                expr: self.output(typed),
                alias: quoted(name),
            })
            .collect();
        let lowered = ast::Select {
            distinct: select.distinct.then_some(ast::Distinct::Distinct),
            projection,
            from,
            selection,
            group_by: ast::GroupByExpr::Expressions(
                select.group_by.iter().map(|g| self.expr(g)).collect(),
                vec![],
            ),
            having: select.having.as_ref().map(|h| self.expr(h)),
            ..empty_select()
        };
        (lowered, narrowed)
    }

    /// A select item, cast to its inferred type when computed so that the result schema
    /// matches the metadata reported for it.
    fn output(&self, typed: &Typed) -> Expr {
        let expr = self.typed(typed);
        let target = match typed.ty {
            _ if matches!(typed.expr, RExpr::Column { .. }) => None,
            Ty::Null | Ty::String => Some(DataType::Varchar(None)),
            Ty::SmallInt => Some(DataType::SmallInt(None)),
            Ty::Integer => Some(DataType::Int(None)),
            Ty::BigInt => Some(DataType::BigInt(None)),
            Ty::Real => Some(DataType::Real),
            Ty::Double => Some(DataType::Double(ast::ExactNumberInfo::None)),
            _ => None,
        };
        match target {
            Some(data_type) => cast(expr, data_type),
            None => expr,
        }
    }

    /// A FROM item with its joins; crossmatch joins become bucketed equi-joins.
    fn from(&self, item: &RFrom) -> TableWithJoins {
        let RFrom::Join {
            kind,
            left,
            right,
            on,
        } = item
        else {
            return TableWithJoins {
                relation: self.factor(item),
                joins: vec![],
            };
        };
        let mut table = self.from(left);
        let right_table = self.from(right);
        let relation = if right_table.joins.is_empty() {
            right_table.relation
        } else {
            TableFactor::NestedJoin {
                table_with_joins: Box::new(right_table),
                alias: None,
            }
        };
        let mut condition = self.expr(on);
        if *kind == JoinKind::Inner
            && let Some((directions, bucket)) = self.bucket_join(left, right, on)
        {
            table.joins.push(directions);
            condition = and(bucket, Expr::Nested(Box::new(condition)));
        }
        let constraint = ast::JoinConstraint::On(condition);
        let join_operator = match kind {
            JoinKind::Inner => ast::JoinOperator::Inner(constraint),
            JoinKind::Left => ast::JoinOperator::LeftOuter(constraint),
            JoinKind::Right => ast::JoinOperator::RightOuter(constraint),
            JoinKind::Full => ast::JoinOperator::FullOuter(constraint),
        };
        table.joins.push(ast::Join {
            relation,
            global: false,
            join_operator,
        });
        table
    }

    /// For a crossmatch of two indexed tables: the cross join with the 9 directions and the
    /// equality of buckets (see [`sky::Crossmatch`]).
    fn bucket_join(
        &self,
        left: &RFrom,
        right: &RFrom,
        condition: &RExpr,
    ) -> Option<(ast::Join, Expr)> {
        if !self.options.sky_index {
            return None;
        }
        let (
            RFrom::Table {
                alias: a,
                sky_index: Some(ia),
                ..
            },
            RFrom::Table {
                alias: b,
                sky_index: Some(ib),
                ..
            },
        ) = (left, right)
        else {
            return None;
        };
        let sky::Crossmatch { order } = sky::crossmatch(condition, (a, ia), (b, ib))?;
        let directions_alias = format!("{a}_{b}_direction");
        let rows = (0..9)
            .map(|d| ast::Parens {
                opening_token: ast::helpers::attached_token::AttachedToken::empty(),
                content: vec![number(d.to_string())],
                closing_token: ast::helpers::attached_token::AttachedToken::empty(),
            })
            .collect();
        let values = plain_query(SetExpr::Values(ast::Values {
            explicit_row: false,
            value_keyword: false,
            rows,
        }));
        let directions = ast::Join {
            relation: TableFactor::Derived {
                lateral: false,
                subquery: Box::new(values),
                alias: Some(TableAlias {
                    explicit: true,
                    name: quoted(&directions_alias),
                    columns: vec![ast::TableAliasColumnDef {
                        name: quoted("direction"),
                        data_type: None,
                    }],
                    at: None,
                }),
                sample: None,
            },
            global: false,
            join_operator: ast::JoinOperator::CrossJoin(ast::JoinConstraint::None),
        };
        let bucket = |alias: &str, index: &crate::schema::SkyIndex| {
            let column =
                Expr::CompoundIdentifier(vec![quoted(alias), quoted(&index.healpix_column)]);
            let cells = 1u64 << (2 * u32::from(index.order - order));
            if cells == 1 {
                column
            } else {
                Expr::Nested(Box::new(binary(
                    column,
                    ast::BinaryOperator::Divide,
                    number(cells.to_string()),
                )))
            }
        };
        let neighbour = call(
            crate::udf::HEALPIX_NEIGHBOUR,
            vec![
                number(order.to_string()),
                bucket(a, ia),
                Expr::CompoundIdentifier(vec![quoted(&directions_alias), quoted("direction")]),
            ],
        );
        let equal = binary(bucket(b, ib), ast::BinaryOperator::Eq, neighbour);
        Some((directions, equal))
    }

    fn factor(&self, item: &RFrom) -> TableFactor {
        match item {
            RFrom::Table {
                physical, alias, ..
            } => {
                let mut parts = Vec::new();
                if let Some(schema) = &physical.schema {
                    parts.push(quoted(schema));
                }
                parts.push(quoted(&physical.table));
                table_factor(ObjectName::from(parts), alias)
            }
            RFrom::Cte { name, alias } => table_factor(ObjectName::from(vec![quoted(name)]), alias),
            RFrom::Derived { query, alias } => TableFactor::Derived {
                lateral: false,
                subquery: nested_query(self.query(query, None)),
                alias: Some(table_alias(alias)),
                sample: None,
            },
            RFrom::Join { .. } => TableFactor::NestedJoin {
                table_with_joins: Box::new(self.from(item)),
                alias: None,
            },
        }
    }

    fn typed(&self, typed: &Typed) -> Expr {
        match (&typed.expr, &typed.ty) {
            (RExpr::GeoPredicate { .. }, _) => cast(self.expr(&typed.expr), DataType::Int(None)),
            _ => self.expr(&typed.expr),
        }
    }

    pub(crate) fn expr(&self, e: &RExpr) -> Expr {
        use ast::BinaryOperator as B;
        match e {
            RExpr::Column { relation, column } => {
                Expr::CompoundIdentifier(vec![quoted(relation), quoted(column)])
            }
            RExpr::Literal(Literal::Number(n)) => number(n.clone()),
            RExpr::Literal(Literal::String(s)) => string(s),
            RExpr::Literal(Literal::Null) => Expr::value(Value::Null),
            RExpr::Negate(inner) => Expr::UnaryOp {
                op: ast::UnaryOperator::Minus,
                expr: Box::new(self.expr(inner)),
            },
            RExpr::Binary { op, left, right } => {
                if let Some(rewritten) = self.geometric_comparison(*op, left, right) {
                    return rewritten;
                }
                let op = match op {
                    BinOp::Plus => B::Plus,
                    BinOp::Minus => B::Minus,
                    BinOp::Multiply => B::Multiply,
                    BinOp::Divide => B::Divide,
                    BinOp::Modulo => B::Modulo,
                    BinOp::Concat => B::StringConcat,
                    BinOp::Eq => B::Eq,
                    BinOp::NotEq => B::NotEq,
                    BinOp::Lt => B::Lt,
                    BinOp::LtEq => B::LtEq,
                    BinOp::Gt => B::Gt,
                    BinOp::GtEq => B::GtEq,
                    BinOp::And => B::And,
                    BinOp::Or => B::Or,
                };
                binary(self.expr(left), op, self.expr(right))
            }
            RExpr::Not(inner) => Expr::UnaryOp {
                op: ast::UnaryOperator::Not,
                expr: Box::new(self.expr(inner)),
            },
            RExpr::Nested(inner) => Expr::Nested(Box::new(self.expr(inner))),
            RExpr::Call { name, args } | RExpr::Udf { name, args } => {
                call(name, args.iter().map(|a| self.expr(a)).collect())
            }
            RExpr::Aggregate {
                name,
                distinct,
                args,
            } => {
                let args: Vec<FunctionArg> = if args.is_empty() {
                    vec![FunctionArg::Unnamed(FunctionArgExpr::Wildcard)]
                } else {
                    args.iter()
                        .map(|a| FunctionArg::Unnamed(FunctionArgExpr::Expr(self.expr(a))))
                        .collect()
                };
                let Expr::Function(mut function) = call(name, vec![]) else {
                    return Expr::value(Value::Null);
                };
                function.args = FunctionArguments::List(ast::FunctionArgumentList {
                    duplicate_treatment: distinct.then_some(ast::DuplicateTreatment::Distinct),
                    args,
                    clauses: vec![],
                });
                Expr::Function(function)
            }
            RExpr::Cast { expr, to } => {
                let inner = self.expr(expr);
                let data_type = match to {
                    CastTo::SmallInt => DataType::SmallInt(None),
                    CastTo::Integer => DataType::Int(None),
                    CastTo::BigInt => DataType::BigInt(None),
                    CastTo::Real => DataType::Real,
                    CastTo::Double => DataType::Double(ast::ExactNumberInfo::None),
                    CastTo::String => DataType::Varchar(None),
                    CastTo::Timestamp => DataType::Timestamp(None, ast::TimezoneInfo::None),
                    CastTo::Point | CastTo::Circle | CastTo::Polygon => {
                        let kind = match to {
                            CastTo::Point => "point",
                            CastTo::Circle => "circle",
                            _ => "polygon",
                        };
                        return call(crate::udf::GEOMETRY_FROM_TEXT, vec![inner, string(kind)]);
                    }
                };
                cast(inner, data_type)
            }
            RExpr::Like {
                negated,
                case_insensitive,
                expr,
                pattern,
            } => {
                let (expr, pattern) = (Box::new(self.expr(expr)), Box::new(self.expr(pattern)));
                if *case_insensitive {
                    Expr::ILike {
                        negated: *negated,
                        any: false,
                        expr,
                        pattern,
                        escape_char: None,
                    }
                } else {
                    Expr::Like {
                        negated: *negated,
                        any: false,
                        expr,
                        pattern,
                        escape_char: None,
                    }
                }
            }
            RExpr::Between {
                negated,
                expr,
                low,
                high,
            } => Expr::Between {
                expr: Box::new(self.expr(expr)),
                negated: *negated,
                low: Box::new(self.expr(low)),
                high: Box::new(self.expr(high)),
            },
            RExpr::InList {
                negated,
                expr,
                list,
            } => Expr::InList {
                expr: Box::new(self.expr(expr)),
                list: list.iter().map(|e| self.expr(e)).collect(),
                negated: *negated,
            },
            RExpr::InSubquery {
                negated,
                expr,
                query,
            } => Expr::InSubquery {
                expr: Box::new(self.expr(expr)),
                subquery: nested_query(self.query(query, None)),
                negated: *negated,
            },
            RExpr::Exists { negated, query } => Expr::Exists {
                subquery: nested_query(self.query(query, None)),
                negated: *negated,
            },
            RExpr::IsNull { negated, expr } => {
                let inner = Box::new(self.expr(expr));
                if *negated {
                    Expr::IsNotNull(inner)
                } else {
                    Expr::IsNull(inner)
                }
            }
            RExpr::OutputName(name) => Expr::Identifier(quoted(name)),
            RExpr::Position(n) => number(n.to_string()),
            geometric => self.geometry(geometric),
        }
    }
}

pub(crate) fn cast(expr: Expr, data_type: DataType) -> Expr {
    Expr::Cast {
        kind: ast::CastKind::Cast,
        expr: Box::new(expr),
        data_type,
        array: false,
        format: None,
    }
}

fn table_alias(name: &str) -> TableAlias {
    TableAlias {
        explicit: true,
        name: quoted(name),
        columns: vec![],
        at: None,
    }
}

fn table_factor(name: ObjectName, alias: &str) -> TableFactor {
    TableFactor::Table {
        name,
        alias: Some(table_alias(alias)),
        args: None,
        with_hints: vec![],
        version: None,
        with_ordinality: false,
        partitions: vec![],
        json_path: None,
        sample: None,
        index_hints: vec![],
    }
}
