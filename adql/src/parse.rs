//! Text → sqlparser AST: tokenizing with the ADQL dialect, refusing tokens ADQL does not have,
//! parsing one query, and turning sqlparser's errors into ones a user can act on.

use sqlparser::ast;
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::{Location, Token, TokenWithSpan, Tokenizer, Whitespace};

use crate::dialect::AdqlDialect;
use crate::error::{AdqlError, Position};
use crate::features::ParseOptions;
use crate::reserved::CLAUSE_KEYWORDS;

/// Nesting sqlparser may recurse into before giving up (its own guard against stack overflow).
const RECURSION_LIMIT: usize = 48;

/// Tokenizes and parses `text` as one ADQL query, without ADQL's semantic restrictions.
pub(crate) fn parse_sql(text: &str, options: &ParseOptions) -> Result<ast::Query, AdqlError> {
    let tokens = tokenize(text, options)?;
    parse_tokens(tokens).map_err(|error| {
        // Errors are rare: tokenizing again for the hint beats copying every token up front.
        let hint = tokenize(text, options)
            .ok()
            .and_then(|tokens| misspelt_keyword(&tokens, &error));
        hint.unwrap_or(error)
    })
}

fn tokenize(text: &str, options: &ParseOptions) -> Result<Vec<TokenWithSpan>, AdqlError> {
    let max_operators = options.max_operators;
    refuse_control_characters(text)?;
    let tokens = Tokenizer::new(&AdqlDialect, text)
        // Literals keep their doubled quotes: sqlparser prints values verbatim when their quotes
        // are doubled but guesses otherwise, so only raw values round-trip (see `unescape`).
        .with_unescape(false)
        .tokenize_with_location()
        .map_err(|e| {
            let message = e.message.replace("Unterminated", "unterminated");
            AdqlError::syntax(message, Position::from_location(e.location))
        })?;
    let mut operators = 0usize;
    let mut depth = 0usize;
    for token in &tokens {
        check_token(token)?;
        if is_operator(&token.token) {
            operators += 1;
        }
        match token.token {
            Token::LParen => depth += 1,
            Token::RParen => depth = depth.saturating_sub(1),
            _ => {}
        }
        if depth > options.max_nesting {
            return Err(AdqlError::syntax(
                format!(
                    "the query nests parentheses more than {} deep; simplify it",
                    options.max_nesting
                ),
                Position::from_location(token.span.start),
            ));
        }
    }
    if operators > max_operators {
        return Err(AdqlError::syntax(
            format!("the query has more than {max_operators} operators; simplify it"),
            None,
        ));
    }
    Ok(tokens)
}

/// Control characters other than tab and line ends have no place in a query (ADQL 2.1 §2.1.1),
/// and sqlparser's tokenizer does not read them consistently.
fn refuse_control_characters(text: &str) -> Result<(), AdqlError> {
    for (line, content) in text.split('\n').enumerate() {
        if let Some((column, c)) = content
            .chars()
            .enumerate()
            .find(|(_, c)| c.is_control() && !matches!(c, '\t' | '\r'))
        {
            return Err(AdqlError::syntax(
                format!("unexpected control character U+{:04X}", u32::from(c)),
                Some(Position {
                    line: line as u64 + 1,
                    column: column as u64 + 1,
                }),
            ));
        }
    }
    Ok(())
}

/// The value of a literal or delimited identifier kept raw by the tokenizer: doubled quote
/// characters stand for one (ADQL 2.1 §2.1.6 and §2.1.8).
pub(crate) fn unescape(raw: &str, quote: char) -> String {
    let doubled: String = [quote, quote].iter().collect();
    raw.replace(&doubled, &quote.to_string())
}

fn is_operator(token: &Token) -> bool {
    match token {
        Token::Word(w) if w.quote_style.is_none() => {
            let v = w.value.as_str();
            v.eq_ignore_ascii_case("AND") || v.eq_ignore_ascii_case("OR")
        }
        Token::Plus
        | Token::Minus
        | Token::Mul
        | Token::Div
        | Token::StringConcat
        | Token::Eq
        | Token::Neq
        | Token::Lt
        | Token::Gt
        | Token::LtEq
        | Token::GtEq => true,
        _ => false,
    }
}

/// Refuses the tokens sqlparser knows but ADQL does not have (ADQL 2.1 §2.1.1, §2.1.11).
fn check_token(token: &TokenWithSpan) -> Result<(), AdqlError> {
    let position = Position::from_location(token.span.start);
    let refuse = |what: String| Err(AdqlError::syntax(what, position));
    match &token.token {
        Token::EOF
        | Token::Word(_)
        | Token::Number(_, _)
        | Token::SingleQuotedString(_)
        | Token::Comma
        | Token::Eq
        | Token::Neq
        | Token::Lt
        | Token::Gt
        | Token::LtEq
        | Token::GtEq
        | Token::Plus
        | Token::Minus
        | Token::Mul
        | Token::Div
        | Token::StringConcat
        | Token::LParen
        | Token::RParen
        | Token::Period
        | Token::SemiColon => Ok(()),
        Token::Whitespace(Whitespace::MultiLineComment(_)) => {
            refuse("ADQL comments start with '--' and end at the end of the line".into())
        }
        Token::Whitespace(Whitespace::SingleLineComment { prefix, .. }) if prefix != "--" => {
            refuse(format!(
                "unexpected '{prefix}': ADQL comments start with '--'"
            ))
        }
        Token::Whitespace(_) => Ok(()),
        Token::DoubleQuotedString(_) => refuse("unexpected string in double quotes".into()),
        Token::Char(c) => refuse(format!("unexpected character '{c}'")),
        Token::DoubleColon => refuse("unexpected '::': use CAST(x AS type)".into()),
        Token::Mod => refuse("unexpected '%': use MOD(x, y)".into()),
        other => refuse(format!("unexpected '{other}'")),
    }
}

fn parse_tokens(tokens: Vec<TokenWithSpan>) -> Result<ast::Query, AdqlError> {
    // The end-of-input token carries no location: errors there point just past the last token.
    let end = tokens
        .iter()
        .rev()
        .find_map(|t| Position::from_location(t.span.end));
    let dialect = AdqlDialect;
    let mut parser = Parser::new(&dialect)
        .with_recursion_limit(RECURSION_LIMIT)
        .with_tokens_with_locations(tokens);
    let query = parser.parse_query().map_err(|e| {
        let mut error = parser_error(e);
        if error.position.is_none() && error.message.starts_with("unexpected end of query") {
            error.position = end;
        }
        error
    })?;
    while parser.consume_token(&Token::SemiColon) {}
    let next = parser.peek_token();
    if next.token != Token::EOF {
        return Err(AdqlError::syntax(
            format!(
                "unexpected {}, expected end of query",
                describe(&next.token)
            ),
            Position::from_location(next.span.start),
        ));
    }
    Ok(*query)
}

fn describe(token: &Token) -> String {
    match token {
        Token::EOF => "end of query".to_string(),
        other => format!("'{other}'"),
    }
}

/// Rewrites sqlparser's "Expected: X, found: Y at Line: l, Column: c".
fn parser_error(error: ParserError) -> AdqlError {
    let text = match error {
        ParserError::RecursionLimitExceeded => {
            return AdqlError::syntax("the query nests too deeply", None);
        }
        ParserError::ParserError(text) | ParserError::TokenizerError(text) => text,
    };
    let (body, position) = split_location(&text);
    let message = match body
        .strip_prefix("Expected: ")
        .and_then(|r| r.split_once(", found: "))
    {
        Some((expected, found)) => {
            let expected = expected.replace("end of statement", "end of query");
            let found = if found == "EOF" {
                "end of query".to_string()
            } else {
                format!("'{found}'")
            };
            format!("unexpected {found}, expected {expected}")
        }
        None => body.to_string(),
    };
    AdqlError::syntax(message, position)
}

fn split_location(text: &str) -> (&str, Option<Position>) {
    let Some(at) = text.rfind(" at Line: ") else {
        return (text, None);
    };
    let tail = &text[at + " at Line: ".len()..];
    let parsed = tail.split_once(", Column: ").and_then(|(line, column)| {
        Some(Location::new(
            line.trim().parse().ok()?,
            column.trim().parse().ok()?,
        ))
    });
    match parsed.and_then(Position::from_location) {
        Some(position) => (&text[..at], Some(position)),
        None => (text, None),
    }
}

/// When a word near the error is a misspelt clause keyword and the query parses with the
/// keyword in its place, says so: `unexpected 'FORM', expected FROM`.
fn misspelt_keyword(tokens: &[TokenWithSpan], error: &AdqlError) -> Option<AdqlError> {
    let error_at = error.position?;
    let candidates = tokens
        .iter()
        .enumerate()
        .rev()
        .filter(|(_, t)| Position::from_location(t.span.start).is_some_and(|p| p <= error_at));
    for (index, token) in candidates.take(8) {
        let Token::Word(word) = &token.token else {
            continue;
        };
        if word.quote_style.is_some() {
            continue;
        }
        let Some(keyword) = nearest_keyword(&word.value) else {
            continue;
        };
        let mut fixed = tokens.to_vec();
        fixed[index].token = Token::make_keyword(keyword);
        let improves = match parse_tokens(fixed) {
            Ok(_) => true,
            Err(later) => later.position > error.position,
        };
        if improves {
            return Some(AdqlError::syntax(
                format!("unexpected '{}', expected {keyword}", word.value),
                Position::from_location(token.span.start),
            ));
        }
    }
    None
}

fn nearest_keyword(word: &str) -> Option<&'static str> {
    if word.len() < 4 {
        return None;
    }
    let upper = word.to_ascii_uppercase();
    if CLAUSE_KEYWORDS.contains(&upper.as_str()) {
        return None;
    }
    CLAUSE_KEYWORDS
        .iter()
        .copied()
        .find(|k| crate::suggest::edit_distance(&upper, k) == 1)
}
