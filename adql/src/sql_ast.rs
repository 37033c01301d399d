//! Small builders and readers of sqlparser AST nodes, shared by validation (which rewrites a
//! few nodes into canonical ADQL), checking (which reads validated calls) and translation
//! (which builds DataFusion's statement), so that each node is spelled out in one place.

use sqlparser::ast::{
    self, DataType, Expr, FunctionArg, FunctionArgExpr, FunctionArguments, Ident, ObjectName,
    ObjectNamePart, SetExpr, TableAlias, TableFactor, Value,
};

/// A delimited identifier: the exact (physical or output) name, whatever its case.
pub(crate) fn quoted(name: &str) -> Ident {
    Ident::with_quote('"', name)
}

pub(crate) fn number(text: impl Into<String>) -> Expr {
    Expr::value(Value::Number(text.into(), false))
}

/// A float literal; negative values as a minus sign before a positive number, as ADQL and
/// SQL spell them.
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

/// A plain call `name(args...)`: no DISTINCT, FILTER, OVER or other decoration.
pub(crate) fn function(name: &str, args: Vec<Expr>) -> ast::Function {
    ast::Function {
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
    }
}

/// [`function`] as an expression.
pub(crate) fn call(name: &str, args: Vec<Expr>) -> Expr {
    Expr::Function(function(name, args))
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

pub(crate) fn cast(expr: Expr, data_type: DataType) -> Expr {
    Expr::Cast {
        kind: ast::CastKind::Cast,
        expr: Box::new(expr),
        data_type,
        array: false,
        format: None,
    }
}

/// A SELECT with every clause empty, to fill with struct update syntax.
pub(crate) fn empty_select() -> ast::Select {
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

/// A query of just `body`: no WITH, ORDER BY or LIMIT.
pub(crate) fn plain_query(body: SetExpr) -> ast::Query {
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

/// `LIMIT n OFFSET m`, either part optional; `None` when both are.
pub(crate) fn limit_clause(limit: Option<u64>, offset: Option<u64>) -> Option<ast::LimitClause> {
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

/// `AS "name"` after a FROM item.
pub(crate) fn table_alias(name: &str) -> TableAlias {
    TableAlias {
        explicit: true,
        name: quoted(name),
        columns: vec![],
        at: None,
    }
}

/// A table of FROM with its alias.
pub(crate) fn table_factor(name: ObjectName, alias: &str) -> TableFactor {
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

/// The plain arguments of a validated function call.
pub(crate) fn arguments(function: &ast::Function) -> Vec<&Expr> {
    match &function.args {
        FunctionArguments::List(list) => list
            .args
            .iter()
            .filter_map(|a| match a {
                FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => Some(e),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The name of a validated function call, as written.
pub(crate) fn function_name(function: &ast::Function) -> String {
    match function.name.0.first() {
        Some(ObjectNamePart::Identifier(i)) => i.value.clone(),
        _ => function.name.to_string(),
    }
}

pub(crate) fn is_string_literal(expr: &Expr) -> bool {
    matches!(expr, Expr::Value(v) if matches!(v.value, Value::SingleQuotedString(_)))
}

pub(crate) fn is_null_literal(expr: &Expr) -> bool {
    matches!(expr, Expr::Value(v) if matches!(v.value, Value::Null))
}
