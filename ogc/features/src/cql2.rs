//! A basic CQL2 text parser (OGC 21-065r2) for the OGC API `filter` parameter: the Basic CQL2
//! class (AND, OR, NOT, `= <> < <= > >=`, IS [NOT] NULL, on properties and string, number,
//! boolean, TIMESTAMP and DATE literals), the Advanced Comparison Operators class (LIKE,
//! BETWEEN, IN), and `S_INTERSECTS(geometry, BBOX(…))` from Basic Spatial Functions.

use super::collection::Collection;
use super::crs::Crs;
use super::query::{CompareOp, Filter, Literal, request_bbox};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid CQL2 filter: {0}")]
pub struct Cql2Error(pub String);

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Word(String),
    Quoted(String),
    Text(String),
    Number(String),
    Symbol(&'static str),
}

fn tokens(text: &str) -> Result<Vec<Token>, Cql2Error> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            c if c.is_whitespace() => i += 1,
            '(' | ')' | ',' => {
                out.push(Token::Symbol(match c {
                    '(' => "(",
                    ')' => ")",
                    _ => ",",
                }));
                i += 1;
            }
            '=' => {
                out.push(Token::Symbol("="));
                i += 1;
            }
            '<' | '>' => {
                let next = chars.get(i + 1).copied();
                let symbol = match (c, next) {
                    ('<', Some('=')) => "<=",
                    ('<', Some('>')) => "<>",
                    ('>', Some('=')) => ">=",
                    ('<', _) => "<",
                    _ => ">",
                };
                i += symbol.len();
                out.push(Token::Symbol(symbol));
            }
            '\'' | '"' => {
                // '' (or "") inside a literal stands for one quote.
                let mut value = String::new();
                i += 1;
                loop {
                    match chars.get(i) {
                        None => return Err(Cql2Error("an unclosed quote".into())),
                        Some(&q) if q == c && chars.get(i + 1) == Some(&c) => {
                            value.push(c);
                            i += 2;
                        }
                        Some(&q) if q == c => {
                            i += 1;
                            break;
                        }
                        Some(&other) => {
                            value.push(other);
                            i += 1;
                        }
                    }
                }
                out.push(if c == '\'' {
                    Token::Text(value)
                } else {
                    Token::Quoted(value)
                });
            }
            c if c.is_ascii_digit() || c == '-' || c == '+' || c == '.' => {
                let start = i;
                i += 1;
                while i < chars.len()
                    && (chars[i].is_ascii_alphanumeric()
                        || chars[i] == '.'
                        || ((chars[i] == '-' || chars[i] == '+')
                            && matches!(chars[i - 1], 'e' | 'E')))
                {
                    i += 1;
                }
                out.push(Token::Number(chars[start..i].iter().collect()));
            }
            c if c.is_alphabetic() || c == '_' => {
                let start = i;
                while i < chars.len()
                    && (chars[i].is_alphanumeric() || matches!(chars[i], '_' | ':' | '.'))
                {
                    i += 1;
                }
                out.push(Token::Word(chars[start..i].iter().collect()));
            }
            other => return Err(Cql2Error(format!("unexpected `{other}`"))),
        }
    }
    Ok(out)
}

/// Parses `text` for `collection`; BBOX coordinates are in `filter_crs`.
pub fn parse(text: &str, collection: &Collection, filter_crs: Crs) -> Result<Filter, Cql2Error> {
    let mut parser = Parser {
        tokens: tokens(text)?,
        at: 0,
        collection,
        filter_crs,
        depth: 0,
    };
    let filter = parser.or()?;
    match parser.tokens.get(parser.at) {
        None => Ok(filter),
        Some(t) => Err(Cql2Error(format!("unexpected {t:?} after the expression"))),
    }
}

struct Parser<'a> {
    tokens: Vec<Token>,
    at: usize,
    collection: &'a Collection,
    filter_crs: Crs,
    depth: usize,
}

impl Parser<'_> {
    fn peek_word(&self, word: &str) -> bool {
        matches!(self.tokens.get(self.at), Some(Token::Word(w)) if w.eq_ignore_ascii_case(word))
    }

    fn eat_word(&mut self, word: &str) -> bool {
        let found = self.peek_word(word);
        self.at += usize::from(found);
        found
    }

    fn expect(&mut self, symbol: &'static str) -> Result<(), Cql2Error> {
        match self.tokens.get(self.at) {
            Some(Token::Symbol(s)) if *s == symbol => {
                self.at += 1;
                Ok(())
            }
            other => Err(Cql2Error(format!("expected `{symbol}`, found {other:?}"))),
        }
    }

    fn next(&mut self) -> Result<Token, Cql2Error> {
        let token = self
            .tokens
            .get(self.at)
            .cloned()
            .ok_or_else(|| Cql2Error("the filter ends too early".into()))?;
        self.at += 1;
        Ok(token)
    }

    fn or(&mut self) -> Result<Filter, Cql2Error> {
        self.depth += 1;
        if self.depth > 64 {
            return Err(Cql2Error("the filter nests too deeply".into()));
        }
        let mut terms = vec![self.and()?];
        while self.eat_word("OR") {
            terms.push(self.and()?);
        }
        self.depth -= 1;
        Ok(if terms.len() == 1 {
            terms.remove(0)
        } else {
            Filter::Or(terms)
        })
    }

    fn and(&mut self) -> Result<Filter, Cql2Error> {
        let mut factors = vec![self.not()?];
        while self.eat_word("AND") {
            factors.push(self.not()?);
        }
        Ok(if factors.len() == 1 {
            factors.remove(0)
        } else {
            Filter::And(factors)
        })
    }

    fn not(&mut self) -> Result<Filter, Cql2Error> {
        if self.eat_word("NOT") {
            return Ok(Filter::Not(Box::new(self.not()?)));
        }
        if self.tokens.get(self.at) == Some(&Token::Symbol("(")) {
            self.at += 1;
            let inner = self.or()?;
            self.expect(")")?;
            return Ok(inner);
        }
        self.predicate()
    }

    fn property(&self, name: &str) -> Result<String, Cql2Error> {
        self.collection
            .resolve(name)
            .map(|p| p.name.clone())
            .ok_or_else(|| {
                Cql2Error(format!(
                    "`{name}` is not a queryable of {}",
                    self.collection.id
                ))
            })
    }

    fn literal(&mut self, property: &str) -> Result<Literal, Cql2Error> {
        let p = self
            .collection
            .property(property)
            .ok_or_else(|| Cql2Error(format!("`{property}` is not a property")))?;
        let text = match self.next()? {
            Token::Text(t) | Token::Number(t) => t,
            Token::Word(w) if w.eq_ignore_ascii_case("TRUE") || w.eq_ignore_ascii_case("FALSE") => {
                w.to_ascii_lowercase()
            }
            Token::Word(w)
                if w.eq_ignore_ascii_case("TIMESTAMP") || w.eq_ignore_ascii_case("DATE") =>
            {
                self.expect("(")?;
                let Token::Text(t) = self.next()? else {
                    return Err(Cql2Error(format!("{w}(…) takes a quoted value")));
                };
                self.expect(")")?;
                t
            }
            other => return Err(Cql2Error(format!("expected a literal, found {other:?}"))),
        };
        self.collection.literal(p, &text).map_err(Cql2Error)
    }

    fn predicate(&mut self) -> Result<Filter, Cql2Error> {
        if self.eat_word("S_INTERSECTS") {
            return self.intersects();
        }
        let name = match self.next()? {
            Token::Word(w) | Token::Quoted(w) => w,
            other => return Err(Cql2Error(format!("expected a property, found {other:?}"))),
        };
        let property = self.property(&name)?;
        let negated = self.eat_word("NOT");
        let filter = if self.eat_word("LIKE") {
            let Token::Text(pattern) = self.next()? else {
                return Err(Cql2Error("LIKE takes a quoted pattern".into()));
            };
            Filter::Like {
                property,
                pattern,
                match_case: true,
            }
        } else if self.eat_word("BETWEEN") {
            let low = self.literal(&property)?;
            if !self.eat_word("AND") {
                return Err(Cql2Error("BETWEEN needs AND".into()));
            }
            let high = self.literal(&property)?;
            Filter::Between {
                property,
                low,
                high,
            }
        } else if self.eat_word("IN") {
            self.expect("(")?;
            let mut values = vec![self.literal(&property)?];
            while self.tokens.get(self.at) == Some(&Token::Symbol(",")) {
                self.at += 1;
                values.push(self.literal(&property)?);
            }
            self.expect(")")?;
            Filter::In { property, values }
        } else if negated {
            return Err(Cql2Error(
                "NOT here must be followed by LIKE, BETWEEN or IN".into(),
            ));
        } else if self.eat_word("IS") {
            let not_null = self.eat_word("NOT");
            if !self.eat_word("NULL") {
                return Err(Cql2Error("IS must be followed by [NOT] NULL".into()));
            }
            let is_null = Filter::IsNull(property);
            return Ok(if not_null {
                Filter::Not(Box::new(is_null))
            } else {
                is_null
            });
        } else {
            let op = match self.next()? {
                Token::Symbol("=") => CompareOp::Eq,
                Token::Symbol("<>") => CompareOp::Ne,
                Token::Symbol("<") => CompareOp::Lt,
                Token::Symbol("<=") => CompareOp::Le,
                Token::Symbol(">") => CompareOp::Gt,
                Token::Symbol(">=") => CompareOp::Ge,
                other => return Err(Cql2Error(format!("expected a comparison, found {other:?}"))),
            };
            let value = self.literal(&property)?;
            Filter::Compare {
                property,
                op,
                value,
                match_case: true,
            }
        };
        Ok(if negated {
            Filter::Not(Box::new(filter))
        } else {
            filter
        })
    }

    /// `S_INTERSECTS(geometry, BBOX(x1, y1, x2, y2))`, either argument first.
    fn intersects(&mut self) -> Result<Filter, Cql2Error> {
        self.expect("(")?;
        let mut boxes = None;
        for i in 0..2 {
            if i == 1 {
                self.expect(",")?;
            }
            if self.eat_word("BBOX") {
                self.expect("(")?;
                let mut numbers = Vec::new();
                loop {
                    match self.next()? {
                        Token::Number(n) => numbers.push(
                            n.parse::<f64>()
                                .map_err(|_| Cql2Error(format!("`{n}` is not a number")))?,
                        ),
                        other => {
                            return Err(Cql2Error(format!("expected a number, found {other:?}")));
                        }
                    }
                    match self.next()? {
                        Token::Symbol(",") => continue,
                        Token::Symbol(")") => break,
                        other => {
                            return Err(Cql2Error(format!("expected `,` or `)`, found {other:?}")));
                        }
                    }
                }
                let coords = match numbers[..] {
                    [a, b, c, d] => [a, b, c, d],
                    [a, b, _, d, e, _] => [a, b, d, e],
                    _ => return Err(Cql2Error("BBOX takes four (or six) numbers".into())),
                };
                boxes = Some(request_bbox(coords, self.filter_crs).map_err(Cql2Error)?);
            } else {
                let name = match self.next()? {
                    Token::Word(w) | Token::Quoted(w) => w,
                    other => {
                        return Err(Cql2Error(format!(
                            "expected the geometry property, found {other:?}"
                        )));
                    }
                };
                if !self.collection.is_geometry(&name) {
                    return Err(Cql2Error(format!(
                        "`{name}` is not the geometry of {}",
                        self.collection.id
                    )));
                }
            }
        }
        self.expect(")")?;
        boxes
            .map(Filter::Intersects)
            .ok_or_else(|| Cql2Error("S_INTERSECTS takes the geometry and a BBOX".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collection::test_collection;

    fn cql(text: &str) -> Result<Filter, Cql2Error> {
        parse(text, &test_collection(), Crs::Crs84)
    }

    #[test]
    fn precedence_and_comparisons() {
        let f = cql("diameter_km > 100 AND name = 'O''Brien' OR NOT (name IS NULL)").unwrap();
        let Filter::Or(terms) = f else {
            panic!("{f:?}")
        };
        assert_eq!(terms.len(), 2);
        assert_eq!(
            terms[0],
            Filter::And(vec![
                Filter::Compare {
                    property: "diameter_km".into(),
                    op: CompareOp::Gt,
                    value: Literal::Float(100.0),
                    match_case: true
                },
                Filter::Compare {
                    property: "name".into(),
                    op: CompareOp::Eq,
                    value: Literal::Text("O'Brien".into()),
                    match_case: true
                },
            ])
        );
        assert_eq!(
            terms[1],
            Filter::Not(Box::new(Filter::IsNull("name".into())))
        );
    }

    #[test]
    fn advanced_comparisons_and_spatial() {
        assert!(matches!(
            cql("name LIKE 'Ga%'").unwrap(),
            Filter::Like { .. }
        ));
        assert!(matches!(
            cql("name NOT LIKE 'Ga%'").unwrap(),
            Filter::Not(_)
        ));
        assert!(matches!(
            cql("diameter_km BETWEEN 10 AND 20").unwrap(),
            Filter::Between { .. }
        ));
        let Filter::In { values, .. } = cql("feature_id IN (1, 2, 3)").unwrap() else {
            panic!()
        };
        assert_eq!(values.len(), 3);
        let Filter::Intersects(boxes) =
            cql("S_INTERSECTS(geometry, BBOX(170, -10, -170, 10))").unwrap()
        else {
            panic!()
        };
        assert_eq!(boxes.len(), 2);
        assert!(
            matches!(cql("diameter_km <= -1.5e3").unwrap(), Filter::Compare { value: Literal::Float(v), .. } if v == -1500.0)
        );
    }

    #[test]
    fn errors_name_the_problem() {
        assert!(
            cql("colour = 'red'")
                .unwrap_err()
                .0
                .contains("not a queryable")
        );
        assert!(cql("name = 'open").unwrap_err().0.contains("unclosed"));
        assert!(
            cql("diameter_km > 'big'")
                .unwrap_err()
                .0
                .contains("not a valid value")
        );
        assert!(cql("name = 'a' name").is_err());
        assert!(
            cql(&format!("{}name = 'a'{}", "(".repeat(100), ")".repeat(100)))
                .unwrap_err()
                .0
                .contains("deeply")
        );
    }
}
