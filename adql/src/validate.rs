//! The strict pass after sqlparser: accepts only what ADQL's grammar allows (a whitelist of node
//! kinds and functions) and applies ADQL's rules; rewrites the few nodes whose sqlparser
//! rendering is not ADQL (`FLOOR(x)` is parsed as a special node) so that printing the AST gives
//! canonical ADQL.

use sqlparser::ast::{
    self, CastKind, CeilFloorKind, DataType, DateTimeField, Distinct, Expr, FunctionArg,
    FunctionArgExpr, FunctionArguments, GroupByExpr, Ident, JoinConstraint, JoinOperator,
    LimitClause, ObjectName, ObjectNamePart, OffsetRows, OrderByKind, Query, Select, SelectItem,
    SelectItemQualifiedWildcardKind, SetExpr, SetOperator, SetQuantifier, Spanned, TableFactor,
    TopQuantity, UnaryOperator, Value,
};

use crate::error::{AdqlError, ErrorKind, Position};
use crate::features::ParseOptions;
use crate::functions::Func;
use crate::reserved::is_reserved;

type Result<T = ()> = std::result::Result<T, AdqlError>;

pub(crate) fn validate(query: &mut Query, options: &ParseOptions) -> Result {
    let validator = Validator { options };
    validator.query(query, true)
}

pub(crate) fn position_of(node: &impl Spanned) -> Option<Position> {
    Position::from_location(node.span().start)
}

pub(crate) fn ident_position(ident: &Ident) -> Option<Position> {
    Position::from_location(ident.span.start)
}

fn refuse<T>(what: impl Into<String>, at: Option<Position>) -> Result<T> {
    Err(AdqlError::syntax(what, at))
}

struct Validator<'a> {
    options: &'a ParseOptions,
}

/// Whether an expression stands where ADQL wants a value or a search condition.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    Value,
    Condition,
}

impl Validator<'_> {
    fn version(&self) -> crate::features::Version {
        self.options.version
    }

    fn query(&self, query: &mut Query, top_level: bool) -> Result {
        let at = position_of(query);
        if let Some(with) = &mut query.with {
            if !top_level {
                return refuse(
                    "WITH is allowed only at the start of the main query (ADQL 2.1 §4.5)",
                    at,
                );
            }
            if !self.version().supports_common_table_expressions() {
                return refuse("WITH needs ADQL 2.1", at);
            }
            if with.recursive {
                return refuse("recursive common table expressions are not ADQL", at);
            }
            for cte in &mut with.cte_tables {
                self.ident(&cte.alias.name)?;
                if !cte.alias.columns.is_empty() || cte.materialized.is_some() || cte.from.is_some()
                {
                    return refuse(
                        "a common table expression is written name AS (SELECT ...)",
                        ident_position(&cte.alias.name),
                    );
                }
                self.query(&mut cte.query, false)?;
            }
        }
        if query.fetch.is_some()
            || !query.locks.is_empty()
            || query.for_clause.is_some()
            || query.settings.is_some()
            || query.format_clause.is_some()
            || !query.pipe_operators.is_empty()
        {
            return refuse("this clause is not ADQL", at);
        }
        self.set_expr(&mut query.body)?;
        if let Some(order_by) = &mut query.order_by {
            let OrderByKind::Expressions(items) = &mut order_by.kind else {
                return refuse("ORDER BY ALL is not ADQL", at);
            };
            if order_by.interpolate.is_some() {
                return refuse("INTERPOLATE is not ADQL", at);
            }
            for item in items {
                if item.options.nulls_first.is_some() || item.with_fill.is_some() {
                    return refuse(
                        "ORDER BY takes only ASC or DESC after an expression",
                        position_of(&item.expr),
                    );
                }
                self.order_by_expr(&mut item.expr)?;
            }
        }
        if let Some(limit) = &mut query.limit_clause {
            self.limit(limit)?;
        }
        Ok(())
    }

    fn order_by_expr(&self, expr: &mut Expr) -> Result {
        if let Expr::Value(v) = expr
            && let Value::Number(n, _) = &v.value
        {
            return match n.parse::<u64>() {
                Ok(0) | Err(_) => refuse(
                    "ORDER BY positions are whole numbers from 1",
                    position_of(expr),
                ),
                Ok(_) => Ok(()),
            };
        }
        let simple = matches!(expr, Expr::Identifier(_) | Expr::CompoundIdentifier(_));
        if !simple && !self.version().supports_order_by_expressions() {
            return refuse(
                "ADQL 2.0 orders by column names or positions only",
                position_of(expr),
            );
        }
        self.expr(expr, Context::Value)
    }

    fn limit(&self, limit: &mut LimitClause) -> Result {
        let LimitClause::LimitOffset {
            limit: None,
            offset: Some(offset),
            limit_by,
        } = limit
        else {
            return refuse("LIMIT is not ADQL: use SELECT TOP n", None);
        };
        let at = position_of(&offset.value);
        if !limit_by.is_empty() || offset.rows != OffsetRows::None {
            return refuse("OFFSET takes a whole number only", at);
        }
        if !self.version().supports_offset() {
            return refuse("OFFSET needs ADQL 2.1", at);
        }
        match &offset.value {
            Expr::Value(v) if matches!(&v.value, Value::Number(n, _) if n.parse::<u64>().is_ok()) => {
                Ok(())
            }
            _ => refuse(
                "OFFSET takes a whole number of rows, not negative (ADQL 2.1 §4.10)",
                at,
            ),
        }
    }

    fn set_expr(&self, body: &mut SetExpr) -> Result {
        match body {
            SetExpr::Select(select) => self.select(select),
            SetExpr::Query(query) => self.query(query, false),
            SetExpr::SetOperation {
                left,
                op,
                set_quantifier,
                right,
            } => {
                if !self.version().supports_set_operators() {
                    return refuse("UNION, EXCEPT and INTERSECT need ADQL 2.1", None);
                }
                if *op == SetOperator::Minus {
                    return refuse("MINUS is not ADQL: use EXCEPT", None);
                }
                if !matches!(set_quantifier, SetQuantifier::None | SetQuantifier::All) {
                    return refuse(format!("{op} {set_quantifier} is not ADQL"), None);
                }
                self.set_expr(left)?;
                self.set_expr(right)
            }
            other => refuse("only SELECT queries are ADQL", position_of(&*other)),
        }
    }

    fn select(&self, select: &mut Select) -> Result {
        let at = Position::from_location(select.select_token.0.span.start);
        let extra = !select.optimizer_hints.is_empty()
            || select.select_modifiers.is_some()
            || select.exclude.is_some()
            || select.into.is_some()
            || !select.lateral_views.is_empty()
            || select.prewhere.is_some()
            || !select.connect_by.is_empty()
            || !select.cluster_by.is_empty()
            || !select.distribute_by.is_empty()
            || !select.sort_by.is_empty()
            || !select.named_window.is_empty()
            || select.qualify.is_some()
            || select.value_table_mode.is_some()
            || select.flavor != ast::SelectFlavor::Standard;
        if extra {
            return refuse("this SELECT clause is not ADQL", at);
        }
        if let Some(Distinct::On(_)) = select.distinct {
            return refuse("DISTINCT ON is not ADQL", at);
        }
        if let Some(top) = &select.top
            && (top.percent
                || top.with_ties
                || !matches!(top.quantity, Some(TopQuantity::Constant(_))))
        {
            return refuse("TOP takes a whole number of rows", at);
        }
        if select.projection.is_empty() {
            return refuse("SELECT needs at least one column", at);
        }
        if select.from.is_empty() {
            return refuse("an ADQL query needs a FROM clause", at);
        }
        for item in &mut select.projection {
            self.select_item(item)?;
        }
        for table in &mut select.from {
            self.table_factor(&mut table.relation)?;
            for join in &mut table.joins {
                self.join(join)?;
            }
        }
        if let Some(selection) = &mut select.selection {
            self.expr(selection, Context::Condition)?;
        }
        match &mut select.group_by {
            GroupByExpr::All(_) => return refuse("GROUP BY ALL is not ADQL", at),
            GroupByExpr::Expressions(exprs, modifiers) => {
                if !modifiers.is_empty() {
                    return refuse("GROUP BY modifiers are not ADQL", at);
                }
                for e in exprs {
                    self.expr(e, Context::Value)?;
                }
            }
        }
        if let Some(having) = &mut select.having {
            self.expr(having, Context::Condition)?;
        }
        Ok(())
    }

    fn select_item(&self, item: &mut SelectItem) -> Result {
        match item {
            SelectItem::UnnamedExpr(e) => self.expr(e, Context::Value),
            SelectItem::ExprWithAlias { expr, alias } => {
                self.ident(alias)?;
                self.expr(expr, Context::Value)
            }
            SelectItem::QualifiedWildcard(kind, options) => {
                self.wildcard_options(options)?;
                match kind {
                    SelectItemQualifiedWildcardKind::ObjectName(name) => self.object_name(name, 4),
                    SelectItemQualifiedWildcardKind::Expr(e) => {
                        refuse("only a table name may precede '.*'", position_of(&*e))
                    }
                }
            }
            SelectItem::Wildcard(options) => self.wildcard_options(options),
            SelectItem::ExprWithAliases { expr, .. } => {
                refuse("a column takes one alias", position_of(&*expr))
            }
        }
    }

    fn wildcard_options(&self, options: &ast::WildcardAdditionalOptions) -> Result {
        let plain = options.opt_ilike.is_none()
            && options.opt_exclude.is_none()
            && options.opt_except.is_none()
            && options.opt_replace.is_none()
            && options.opt_rename.is_none()
            && options.opt_alias.is_none();
        if plain {
            Ok(())
        } else {
            refuse(
                "'*' takes no options in ADQL",
                Position::from_location(options.wildcard_token.0.span.start),
            )
        }
    }

    fn table_factor(&self, factor: &mut TableFactor) -> Result {
        match factor {
            TableFactor::Table {
                name,
                alias,
                args,
                with_hints,
                version,
                with_ordinality,
                partitions,
                json_path,
                sample,
                index_hints,
            } => {
                if args.is_some()
                    || !with_hints.is_empty()
                    || version.is_some()
                    || *with_ordinality
                    || !partitions.is_empty()
                    || json_path.is_some()
                    || sample.is_some()
                    || !index_hints.is_empty()
                {
                    return refuse("only plain table names are ADQL", position_of(&*name));
                }
                self.object_name(name, 3)?;
                if let Some(alias) = alias {
                    self.table_alias(alias)?;
                }
                Ok(())
            }
            TableFactor::Derived {
                lateral,
                subquery,
                alias,
                sample,
            } => {
                let at = position_of(&**subquery);
                if *lateral || sample.is_some() {
                    return refuse("LATERAL and TABLESAMPLE are not ADQL", at);
                }
                let Some(alias) = alias else {
                    return refuse("a subquery in FROM needs a name: (SELECT ...) AS name", at);
                };
                self.table_alias(alias)?;
                self.query(subquery, false)
            }
            TableFactor::NestedJoin {
                table_with_joins,
                alias,
            } => {
                if let Some(alias) = alias {
                    return refuse(
                        "a parenthesised join takes no alias",
                        ident_position(&alias.name),
                    );
                }
                self.table_factor(&mut table_with_joins.relation)?;
                for join in &mut table_with_joins.joins {
                    self.join(join)?;
                }
                Ok(())
            }
            other => refuse(
                "only tables, subqueries and joins are ADQL",
                position_of(&*other),
            ),
        }
    }

    fn table_alias(&self, alias: &ast::TableAlias) -> Result {
        if !alias.columns.is_empty() {
            return refuse(
                "column aliases after a table alias are not ADQL",
                ident_position(&alias.name),
            );
        }
        self.ident(&alias.name)
    }

    fn join(&self, join: &mut ast::Join) -> Result {
        let at = position_of(&join.relation);
        if join.global {
            return refuse("GLOBAL JOIN is not ADQL", at);
        }
        self.table_factor(&mut join.relation)?;
        let constraint = match &mut join.join_operator {
            JoinOperator::Join(c)
            | JoinOperator::Inner(c)
            | JoinOperator::Left(c)
            | JoinOperator::LeftOuter(c)
            | JoinOperator::Right(c)
            | JoinOperator::RightOuter(c)
            | JoinOperator::FullOuter(c) => c,
            JoinOperator::CrossJoin(_) => {
                return refuse("CROSS JOIN is not ADQL: list the tables with commas", at);
            }
            _ => return refuse("this kind of join is not ADQL", at),
        };
        match constraint {
            JoinConstraint::On(condition) => self.expr(condition, Context::Condition),
            JoinConstraint::Using(columns) => {
                for column in columns.iter() {
                    self.object_name(column, 1)?;
                }
                Ok(())
            }
            JoinConstraint::Natural => Ok(()),
            JoinConstraint::None => {
                refuse("a JOIN needs ON, USING or NATURAL (ADQL 2.1 §2.2.2)", at)
            }
        }
    }

    /// A qualified name of at most `max_parts` identifiers.
    fn object_name(&self, name: &ObjectName, max_parts: usize) -> Result {
        if name.0.len() > max_parts {
            return refuse(format!("'{name}' has too many parts"), position_of(name));
        }
        for part in &name.0 {
            match part {
                ObjectNamePart::Identifier(ident) => self.ident(ident)?,
                ObjectNamePart::Function(_) => {
                    return refuse(format!("'{name}' is not a name"), position_of(name));
                }
            }
        }
        Ok(())
    }

    /// Regular identifiers may not be reserved words; delimited ones are free (§2.1.5, 2.1.6).
    fn ident(&self, ident: &Ident) -> Result {
        match ident.quote_style {
            None if is_reserved(&ident.value) => refuse(
                format!(
                    "'{}' is a reserved word; write \"{}\" to use it as a name",
                    ident.value, ident.value
                ),
                ident_position(ident),
            ),
            None | Some('"') => {
                if ident.value.is_empty() {
                    refuse("empty names are not allowed", ident_position(ident))
                } else {
                    Ok(())
                }
            }
            Some(_) => refuse("names are quoted with double quotes", ident_position(ident)),
        }
    }

    fn expr(&self, expr: &mut Expr, context: Context) -> Result {
        let at = position_of(&*expr);
        if context == Context::Condition {
            return self.condition(expr);
        }
        match expr {
            Expr::Identifier(ident) => self.ident(ident),
            Expr::CompoundIdentifier(idents) => {
                if idents.len() > 4 {
                    return refuse("a column name has at most 4 parts", at);
                }
                idents.iter().try_for_each(|i| self.ident(i))
            }
            Expr::Value(v) => match &v.value {
                Value::Number(_, false) | Value::SingleQuotedString(_) | Value::Null => Ok(()),
                other => refuse(format!("{other} is not an ADQL literal"), at),
            },
            Expr::UnaryOp { op, expr: inner } => match op {
                UnaryOperator::Plus | UnaryOperator::Minus => {
                    // `- -2` would print as `--2`, a comment: keep the inner sign in parentheses.
                    if *op == UnaryOperator::Minus
                        && matches!(
                            **inner,
                            Expr::UnaryOp {
                                op: UnaryOperator::Minus,
                                ..
                            }
                        )
                    {
                        let signed = std::mem::replace(&mut **inner, Expr::value(Value::Null));
                        **inner = Expr::Nested(Box::new(signed));
                    }
                    self.expr(inner, Context::Value)
                }
                _ => refuse(format!("the operator {op} is not ADQL"), at),
            },
            Expr::BinaryOp { left, op, right } => {
                use ast::BinaryOperator as B;
                match op {
                    B::Plus | B::Minus | B::Multiply | B::Divide | B::StringConcat => {
                        self.expr(left, Context::Value)?;
                        self.expr(right, Context::Value)
                    }
                    B::Eq | B::NotEq | B::Lt | B::LtEq | B::Gt | B::GtEq | B::And | B::Or => {
                        refuse(
                            format!("a condition ({op}) cannot stand where a value is expected"),
                            at,
                        )
                    }
                    _ => refuse(format!("the operator {op} is not ADQL"), at),
                }
            }
            Expr::Nested(inner) => self.expr(inner, Context::Value),
            Expr::Function(function) => self.function(function),
            Expr::Floor { expr: inner, field } => {
                if !matches!(
                    field,
                    CeilFloorKind::DateTimeField(DateTimeField::NoDateTime)
                ) {
                    return refuse("FLOOR takes one argument", at);
                }
                self.expr(inner, Context::Value)?;
                let argument = std::mem::replace(&mut **inner, Expr::value(Value::Null));
                *expr = Expr::Function(plain_function("FLOOR", vec![argument]));
                Ok(())
            }
            Expr::Cast {
                kind,
                expr: inner,
                data_type,
                array,
                format,
            } => {
                if *kind != CastKind::Cast || *array || format.is_some() {
                    return refuse("only CAST(x AS type) is ADQL", at);
                }
                if !self.version().supports_cast() {
                    return refuse("CAST needs ADQL 2.1", at);
                }
                cast_target(data_type, at)?;
                self.expr(inner, Context::Value)
            }
            Expr::Like { .. }
            | Expr::ILike { .. }
            | Expr::Between { .. }
            | Expr::InList { .. }
            | Expr::InSubquery { .. }
            | Expr::Exists { .. }
            | Expr::IsNull(_)
            | Expr::IsNotNull(_) => {
                refuse("a condition cannot stand where a value is expected", at)
            }
            Expr::Subquery(_) => refuse("a subquery can only follow IN or EXISTS in ADQL", at),
            other => refuse(format!("'{other}' is not ADQL"), at),
        }
    }

    /// Walks AND/OR/NOT chains with an explicit stack (long generated conditions must not
    /// exhaust the call stack), checking each predicate.
    fn condition(&self, expr: &mut Expr) -> Result {
        let mut pending = vec![expr];
        while let Some(expr) = pending.pop() {
            match expr {
                Expr::BinaryOp {
                    left,
                    op: ast::BinaryOperator::And | ast::BinaryOperator::Or,
                    right,
                } => {
                    pending.push(right);
                    pending.push(left);
                }
                Expr::UnaryOp {
                    op: UnaryOperator::Not,
                    expr: inner,
                }
                | Expr::Nested(inner) => pending.push(inner),
                predicate => self.predicate(predicate)?,
            }
        }
        Ok(())
    }

    fn predicate(&self, expr: &mut Expr) -> Result {
        let at = position_of(&*expr);
        match expr {
            Expr::BinaryOp { left, op, right } => {
                use ast::BinaryOperator as B;
                match op {
                    B::Eq | B::NotEq | B::Lt | B::LtEq | B::Gt | B::GtEq => {
                        self.expr(left, Context::Value)?;
                        self.expr(right, Context::Value)
                    }
                    _ => refuse(
                        "a condition is expected here (a comparison, BETWEEN, IN, LIKE, IS NULL \
                         or EXISTS)",
                        at,
                    ),
                }
            }
            Expr::Between {
                expr: e, low, high, ..
            } => {
                self.expr(e, Context::Value)?;
                self.expr(low, Context::Value)?;
                self.expr(high, Context::Value)
            }
            Expr::InList { expr: e, list, .. } => {
                if list.is_empty() {
                    return refuse("IN needs at least one value", at);
                }
                self.expr(e, Context::Value)?;
                list.iter_mut()
                    .try_for_each(|v| self.expr(v, Context::Value))
            }
            Expr::InSubquery {
                expr: e, subquery, ..
            } => {
                self.expr(e, Context::Value)?;
                self.query(subquery, false)
            }
            Expr::Exists { subquery, .. } => self.query(subquery, false),
            Expr::IsNull(e) | Expr::IsNotNull(e) => self.expr(e, Context::Value),
            Expr::Like {
                any,
                expr: e,
                pattern,
                escape_char,
                ..
            } => {
                if *any || escape_char.is_some() {
                    return refuse("LIKE takes a plain pattern in ADQL", at);
                }
                self.expr(e, Context::Value)?;
                self.expr(pattern, Context::Value)
            }
            Expr::ILike {
                any,
                expr: e,
                pattern,
                escape_char,
                ..
            } => {
                if *any || escape_char.is_some() {
                    return refuse("ILIKE takes a plain pattern in ADQL", at);
                }
                if !self.version().supports_string_functions() {
                    return refuse("ILIKE needs ADQL 2.1", at);
                }
                self.expr(e, Context::Value)?;
                self.expr(pattern, Context::Value)
            }
            _ => refuse(
                "a condition is expected here (a comparison, BETWEEN, IN, LIKE, IS NULL or \
                 EXISTS); geometry predicates are compared with 0 or 1, e.g. \
                 1 = CONTAINS(...)",
                at,
            ),
        }
    }

    fn function(&self, function: &mut ast::Function) -> Result {
        let at = position_of(&*function);
        let name = match function.name.0.as_slice() {
            [ObjectNamePart::Identifier(ident)] if ident.quote_style.is_none() => {
                ident.value.clone()
            }
            _ => return refuse(format!("'{}' is not a function name", function.name), at),
        };
        if function.uses_odbc_syntax
            || !matches!(function.parameters, FunctionArguments::None)
            || function.filter.is_some()
            || function.null_treatment.is_some()
            || function.over.is_some()
            || !function.within_group.is_empty()
        {
            return refuse(
                format!("{name}: window functions, FILTER and WITHIN GROUP are not ADQL"),
                at,
            );
        }
        let FunctionArguments::List(list) = &mut function.args else {
            return refuse(format!("{name} needs parentheses"), at);
        };
        if !list.clauses.is_empty() {
            return refuse(format!("{name}: only plain arguments are ADQL"), at);
        }
        let func = Func::from_name(&name);
        let is_extra = self
            .options
            .extra_functions
            .iter()
            .any(|f| f.eq_ignore_ascii_case(&name));
        let Some(func) = func else {
            if is_extra {
                return self.plain_arguments(&name, &mut list.args, false);
            }
            return Err(AdqlError::new(
                ErrorKind::UnknownFunction,
                format!(
                    "'{name}' is neither an ADQL function nor a supported user-defined function{}",
                    crate::suggest::did_you_mean(&name, crate::functions::all_names())
                ),
                at,
            ));
        };
        self.function_allowed(func, at)?;
        if list.duplicate_treatment.is_some() && !func.is_aggregate() {
            return refuse(format!("{name} takes no DISTINCT or ALL"), at);
        }
        let count_star = func == Func::Count
            && list.args.len() == 1
            && matches!(
                list.args[0],
                FunctionArg::Unnamed(FunctionArgExpr::Wildcard)
            );
        if count_star {
            if list.duplicate_treatment.is_some() {
                return refuse("COUNT(DISTINCT *) is not ADQL", at);
            }
            return Ok(());
        }
        self.plain_arguments(&name, &mut list.args, func.is_aggregate())?;
        let args: Vec<&Expr> = list
            .args
            .iter()
            .filter_map(|a| match a {
                FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => Some(e),
                _ => None,
            })
            .collect();
        self.arity(func, &name, &args, at)
    }

    fn function_allowed(&self, func: Func, at: Option<Position>) -> Result {
        let version = self.version();
        let allowed = match func {
            Func::Lower | Func::Upper => version.supports_string_functions(),
            Func::Coalesce => version.supports_coalesce(),
            Func::InUnit => version.supports_in_unit(),
            _ => true,
        };
        if allowed {
            Ok(())
        } else {
            refuse(format!("{} needs ADQL 2.1", func.name()), at)
        }
    }

    fn plain_arguments(&self, name: &str, args: &mut [FunctionArg], aggregate: bool) -> Result {
        for arg in args {
            match arg {
                FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => {
                    if aggregate && contains_aggregate_call(e) {
                        return refuse(
                            format!("{name}: aggregate functions cannot be nested"),
                            position_of(&*e),
                        );
                    }
                    self.expr(e, Context::Value)?
                }
                other => {
                    return refuse(
                        format!("{name}: '{other}' is not an ADQL argument"),
                        position_of(&*other),
                    );
                }
            }
        }
        Ok(())
    }

    fn arity(&self, func: Func, name: &str, args: &[&Expr], at: Option<Position>) -> Result {
        let (min, max) = func.arity();
        let count = args.len();
        if count < min || max.is_some_and(|m| count > m) {
            let wanted = match max {
                Some(m) if m == min => format!("{min}"),
                Some(m) => format!("{min} to {m}"),
                None => format!("at least {min}"),
            };
            return refuse(
                format!("{name} takes {wanted} argument(s), not {count}"),
                at,
            );
        }
        if func.takes_coordsys() {
            return self.geometry_constructor(func, name, args, at);
        }
        match func {
            Func::Region | Func::InUnit => {
                let literal = args.last().is_some_and(|e| is_string_literal(e));
                if !literal {
                    return refuse(
                        format!("{name} takes a string literal as its last argument"),
                        at,
                    );
                }
            }
            Func::Distance if count == 3 => {
                return refuse("DISTANCE takes 2 points or 4 numbers", at);
            }
            Func::Round | Func::Truncate if count == 2 && !is_signed_integer(args[1]) => {
                return refuse(
                    format!("the second argument of {name} is a whole number of places"),
                    position_of(args[1]),
                );
            }
            _ => {}
        }
        Ok(())
    }

    /// POINT, CIRCLE, BOX, POLYGON: an optional coordinate system literal (or NULL), then
    /// numbers or POINTs (§4.2.4).
    fn geometry_constructor(
        &self,
        func: Func,
        name: &str,
        args: &[&Expr],
        at: Option<Position>,
    ) -> Result {
        let has_coordsys = args
            .first()
            .is_some_and(|e| is_string_literal(e) || is_null(e));
        if !has_coordsys && !self.version().supports_optional_coordsys() {
            return refuse(
                format!("{name} needs a coordinate system first in ADQL 2.0"),
                at,
            );
        }
        let rest = &args[usize::from(has_coordsys)..];
        if let Some(bad) = rest.iter().find(|e| is_string_literal(e)) {
            return refuse(
                format!("{name} takes numbers or points after the coordinate system"),
                position_of(*bad),
            );
        }
        let n = rest.len();
        // The 2.1 forms CIRCLE(POINT, r) and BOX(POINT, w, h): the centre cannot be a number.
        let point_centre = self.version().supports_point_arguments()
            && rest.first().is_some_and(|e| !is_obviously_numeric(e));
        let ok = match func {
            Func::Point => n == 2,
            Func::Circle => n == 3 || (n == 2 && point_centre),
            Func::Box => n == 4 || (n == 3 && point_centre),
            Func::Polygon => {
                let numeric = rest.iter().any(|e| is_obviously_numeric(e));
                if numeric {
                    n >= 6 && n.is_multiple_of(2)
                } else {
                    n >= 3
                }
            }
            _ => true,
        };
        if ok {
            Ok(())
        } else {
            let wanted = match func {
                Func::Point => "2 coordinates",
                Func::Circle => "a centre (2 coordinates or a POINT) and a radius",
                Func::Box => "a centre (2 coordinates or a POINT), a width and a height",
                _ => "at least 3 vertices (pairs of coordinates or POINTs)",
            };
            refuse(format!("{name} takes {wanted}"), at)
        }
    }
}

fn plain_function(name: &str, args: Vec<Expr>) -> ast::Function {
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

fn is_string_literal(expr: &Expr) -> bool {
    matches!(expr, Expr::Value(v) if matches!(v.value, Value::SingleQuotedString(_)))
}

fn is_null(expr: &Expr) -> bool {
    matches!(expr, Expr::Value(v) if matches!(v.value, Value::Null))
}

fn is_signed_integer(expr: &Expr) -> bool {
    match expr {
        Expr::Value(v) => matches!(&v.value, Value::Number(n, _) if n.parse::<u64>().is_ok()),
        Expr::UnaryOp {
            op: UnaryOperator::Minus | UnaryOperator::Plus,
            expr,
        } => is_signed_integer(expr),
        _ => false,
    }
}

/// Numeric literals and arithmetic: certainly not POINTs.
fn is_obviously_numeric(expr: &Expr) -> bool {
    match expr {
        Expr::Value(v) => matches!(v.value, Value::Number(..)),
        Expr::UnaryOp { .. } | Expr::BinaryOp { .. } => true,
        Expr::Nested(inner) => is_obviously_numeric(inner),
        _ => false,
    }
}

fn contains_aggregate_call(expr: &Expr) -> bool {
    match expr {
        Expr::Function(f) => {
            let direct = f
                .name
                .0
                .first()
                .and_then(|p| p.as_ident())
                .and_then(|i| Func::from_name(&i.value))
                .is_some_and(Func::is_aggregate);
            direct
                || match &f.args {
                    FunctionArguments::List(list) => list.args.iter().any(|a| {
                        matches!(a, FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) if contains_aggregate_call(e))
                    }),
                    _ => false,
                }
        }
        Expr::BinaryOp { left, right, .. } => {
            contains_aggregate_call(left) || contains_aggregate_call(right)
        }
        Expr::UnaryOp { expr, .. } | Expr::Nested(expr) | Expr::Cast { expr, .. } => {
            contains_aggregate_call(expr)
        }
        _ => false,
    }
}

/// ADQL's cast targets (§4.7.1): exact and approximate numbers, CHAR/VARCHAR, TIMESTAMP and the
/// DALI geometries.
fn cast_target(data_type: &DataType, at: Option<Position>) -> Result {
    let ok = match data_type {
        DataType::SmallInt(None)
        | DataType::Integer(None)
        | DataType::BigInt(None)
        | DataType::Real
        | DataType::DoublePrecision
        | DataType::Timestamp(None, ast::TimezoneInfo::None) => true,
        DataType::Char(length) | DataType::Varchar(length) => matches!(
            length,
            None | Some(ast::CharacterLength::IntegerLength { unit: None, .. })
        ),
        DataType::Custom(name, modifiers) => {
            modifiers.is_empty()
                && matches!(name.0.as_slice(), [ObjectNamePart::Identifier(i)]
                    if i.quote_style.is_none()
                        && ["POINT", "CIRCLE", "POLYGON"]
                            .iter()
                            .any(|g| g.eq_ignore_ascii_case(&i.value)))
        }
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        refuse(
            format!(
                "CAST to {data_type} is not ADQL; the targets are SMALLINT, INTEGER, BIGINT, \
                 REAL, DOUBLE PRECISION, CHAR, VARCHAR, TIMESTAMP, POINT, CIRCLE and POLYGON"
            ),
            at,
        )
    }
}
