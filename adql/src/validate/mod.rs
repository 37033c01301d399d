//! The strict pass after sqlparser: accepts only what ADQL's grammar allows (a whitelist of node
//! kinds and functions) and applies ADQL's rules; rewrites the few nodes whose sqlparser
//! rendering is not ADQL (`FLOOR(x)` is parsed as a special node) so that printing the AST gives
//! canonical ADQL.

mod expr;
mod function;

use sqlparser::ast::{
    self, Distinct, Expr, GroupByExpr, Ident, JoinConstraint, JoinOperator, LimitClause,
    ObjectName, ObjectNamePart, OffsetRows, OrderByKind, Query, Select, SelectItem,
    SelectItemQualifiedWildcardKind, SetExpr, SetOperator, SetQuantifier, TableFactor, TopQuantity,
    Value,
};

use crate::error::{AdqlError, Position, ident_position, position_of};
use crate::features::ParseOptions;
use crate::reserved::is_reserved;

type Result<T = ()> = std::result::Result<T, AdqlError>;

pub(crate) fn validate(query: &mut Query, options: &ParseOptions) -> Result {
    let validator = Validator { options };
    validator.query(query, true)
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
}
