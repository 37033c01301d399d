//! FITS headers (FITS Standard 4.0 §4): 80-character cards in 2880-byte blocks, up to END.
//!
//! Our own rather than `fitsrs`: that crate hands out table data one enum per element, has no
//! column-wise access, and brings async, serde and WCS dependencies; the card syntax is small.

use std::io::Read;

/// Bytes in a FITS block.
pub const BLOCK: usize = 2880;
const CARD: usize = 80;

/// A keyword's value (FITS 4.0 §4.2).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Logical(bool),
    Integer(i64),
    Real(f64),
    /// A character string, trailing blanks removed (§4.2.1.1), CONTINUE cards joined.
    Text(String),
    Complex(f64, f64),
    /// A value indicator with an empty value field.
    Undefined,
}

/// One header card. Commentary cards (COMMENT, HISTORY, blank) have no value.
#[derive(Debug, Clone, PartialEq)]
pub struct Card {
    pub keyword: String,
    pub value: Option<Value>,
    pub comment: Option<String>,
}

/// A parsed header.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Header {
    cards: Vec<Card>,
}

impl Header {
    /// Parses header text: either 80-byte cards back to back (as in a FITS file) or one card
    /// per line (as in a `.hdr` text file). Stops at END; a missing END is accepted for text.
    pub fn parse(text: &[u8]) -> Result<Header, String> {
        let lines: Vec<&[u8]> = if text.contains(&b'\n') {
            text.split(|&b| b == b'\n')
                .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
                .collect()
        } else {
            text.chunks(CARD).collect()
        };
        let mut header = Header::default();
        for (i, line) in lines.iter().enumerate() {
            if header
                .push_card(line)
                .map_err(|m| format!("card {}: {m}", i + 1))?
            {
                break;
            }
        }
        Ok(header)
    }

    /// Reads one header from a FITS stream, block by block. `Ok(None)` at a clean end of
    /// the stream (no further HDU).
    pub fn read_from(input: &mut impl Read) -> Result<Option<Header>, String> {
        let mut header = Header::default();
        let mut block = vec![0u8; BLOCK];
        let mut first = true;
        loop {
            match read_block(input, &mut block) {
                Ok(true) => {}
                Ok(false) if first => return Ok(None),
                Ok(false) => return Err("the file ends inside a header".into()),
                Err(e) => return Err(format!("read error: {e}")),
            }
            first = false;
            for card in block.chunks(CARD) {
                if header.push_card(card)? {
                    return Ok(Some(header));
                }
            }
        }
    }

    /// Adds one card; true at END.
    fn push_card(&mut self, raw: &[u8]) -> Result<bool, String> {
        let line = String::from_utf8_lossy(raw);
        let line = line.trim_end_matches(['\0']);
        let keyword = line.get(..8.min(line.len())).unwrap_or_default().trim_end();
        if keyword == "END" {
            return Ok(true);
        }
        if keyword == "CONTINUE" {
            let (value, comment) = parse_value(line.get(8..).unwrap_or_default())?;
            if let (Some(Value::Text(tail)), Some(last)) = (&value, self.cards.last_mut())
                && let Some(Value::Text(head)) = &mut last.value
                && head.ends_with('&')
            {
                head.pop();
                head.push_str(tail);
                if let Some(c) = comment {
                    last.comment = Some(c);
                }
                return Ok(false);
            }
        }
        if keyword == "HIERARCH" {
            // ESO convention: `HIERARCH A B C = value`.
            let rest = line.get(9..).unwrap_or_default();
            if let Some((name, value)) = rest.split_once('=') {
                let (value, comment) = parse_value(value)?;
                self.cards.push(Card {
                    keyword: name.trim().to_string(),
                    value,
                    comment,
                });
                return Ok(false);
            }
        }
        let has_value = line.get(8..10) == Some("= ");
        let card = if has_value {
            let (value, comment) = parse_value(&line[10..])?;
            Card {
                keyword: keyword.to_string(),
                value: value.or(Some(Value::Undefined)),
                comment,
            }
        } else {
            Card {
                keyword: keyword.to_string(),
                value: None,
                comment: line.get(8..).map(|c| c.trim_end().to_string()),
            }
        };
        if !card.keyword.is_empty() || card.comment.as_deref().is_some_and(|c| !c.is_empty()) {
            self.cards.push(card);
        }
        Ok(false)
    }

    /// Every card, in order.
    pub fn cards(&self) -> &[Card] {
        &self.cards
    }

    /// The value of the first card with this keyword.
    pub fn get(&self, keyword: &str) -> Option<&Value> {
        self.cards
            .iter()
            .find(|c| c.keyword == keyword)
            .and_then(|c| c.value.as_ref())
    }

    pub fn text(&self, keyword: &str) -> Option<&str> {
        match self.get(keyword) {
            Some(Value::Text(s)) => Some(s),
            _ => None,
        }
    }

    pub fn integer(&self, keyword: &str) -> Option<i64> {
        match self.get(keyword) {
            Some(Value::Integer(i)) => Some(*i),
            _ => None,
        }
    }

    /// A real value; integers are accepted (`CRPIX1 = 100`).
    pub fn real(&self, keyword: &str) -> Option<f64> {
        match self.get(keyword) {
            Some(Value::Real(f)) => Some(*f),
            Some(Value::Integer(i)) => Some(*i as f64),
            _ => None,
        }
    }

    pub fn logical(&self, keyword: &str) -> Option<bool> {
        match self.get(keyword) {
            Some(Value::Logical(b)) => Some(*b),
            _ => None,
        }
    }

    /// The size of the data unit that follows this header, padded to whole blocks
    /// (FITS 4.0 §4.4.1.1, §7.3.1: `|BITPIX|/8 × GCOUNT × (PCOUNT + NAXIS1 × … × NAXISn)`).
    pub fn data_bytes(&self) -> Result<u64, String> {
        let bitpix = self.integer("BITPIX").ok_or("no BITPIX")?;
        let naxis = self.integer("NAXIS").ok_or("no NAXIS")?;
        if naxis == 0 {
            return Ok(0);
        }
        let mut elements: u64 = 1;
        // Random groups (NAXIS1 = 0 in the primary HDU) skip the first axis.
        let groups = self.integer("NAXIS1") == Some(0) && self.logical("GROUPS") == Some(true);
        for i in 1..=naxis {
            let n = self
                .integer(&format!("NAXIS{i}"))
                .ok_or(format!("no NAXIS{i}"))?;
            if i == 1 && groups {
                continue;
            }
            elements = elements
                .checked_mul(u64::try_from(n).map_err(|_| format!("negative NAXIS{i}"))?)
                .ok_or("data size overflows")?;
        }
        let pcount = self.integer("PCOUNT").unwrap_or(0) as u64;
        let gcount = self.integer("GCOUNT").unwrap_or(1) as u64;
        let bytes = (bitpix.unsigned_abs() / 8)
            .checked_mul(gcount)
            .and_then(|b| b.checked_mul(pcount + elements))
            .ok_or("data size overflows")?;
        Ok(bytes.div_ceil(BLOCK as u64) * BLOCK as u64)
    }
}

/// Fills `block`; false at a clean end of input before any byte.
fn read_block(input: &mut impl Read, block: &mut [u8]) -> std::io::Result<bool> {
    let mut filled = 0;
    while filled < block.len() {
        let n = input.read(&mut block[filled..])?;
        if n == 0 {
            if filled == 0 {
                return Ok(false);
            }
            return Err(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                "the file ends inside a block",
            ));
        }
        filled += n;
    }
    Ok(true)
}

/// Skips `n` bytes of input.
pub(crate) fn skip(input: &mut impl Read, n: u64) -> std::io::Result<()> {
    let copied = std::io::copy(&mut input.take(n), &mut std::io::sink())?;
    if copied < n {
        return Err(std::io::Error::new(
            std::io::ErrorKind::UnexpectedEof,
            "the file ends inside a data unit",
        ));
    }
    Ok(())
}

/// Parses a value field (the text after `= `): value, then an optional `/ comment`.
fn parse_value(field: &str) -> Result<(Option<Value>, Option<String>), String> {
    let trimmed = field.trim_start();
    if let Some(rest) = trimmed.strip_prefix('\'') {
        // A string: '' is an escaped quote; the closing quote is a lone one.
        let mut value = String::new();
        let mut chars = rest.char_indices().peekable();
        let mut end = None;
        while let Some((i, c)) = chars.next() {
            if c == '\'' {
                if chars.peek().map(|&(_, n)| n) == Some('\'') {
                    value.push('\'');
                    chars.next();
                } else {
                    end = Some(i + 1);
                    break;
                }
            } else {
                value.push(c);
            }
        }
        let end = end.ok_or("unterminated string")?;
        let comment = rest[end..]
            .trim()
            .strip_prefix('/')
            .map(|c| c.trim().to_string());
        let value = value.trim_end().to_string();
        return Ok((Some(Value::Text(value)), comment));
    }
    let (value_text, comment) = match trimmed.split_once('/') {
        Some((v, c)) => (v.trim(), Some(c.trim().to_string())),
        None => (trimmed.trim(), None),
    };
    let value = match value_text {
        "" => Value::Undefined,
        "T" => Value::Logical(true),
        "F" => Value::Logical(false),
        v if v.starts_with('(') => {
            let inner = v.trim_start_matches('(').trim_end_matches(')');
            let (re, im) = inner
                .split_once(',')
                .ok_or(format!("bad complex value {v:?}"))?;
            Value::Complex(parse_real(re.trim())?, parse_real(im.trim())?)
        }
        v => match v.parse::<i64>() {
            Ok(i) => Value::Integer(i),
            Err(_) => Value::Real(parse_real(v)?),
        },
    };
    Ok((Some(value), comment))
}

/// A FITS real: Fortran `D` exponents allowed.
fn parse_real(v: &str) -> Result<f64, String> {
    v.replace(['D', 'd'], "E")
        .parse()
        .map_err(|_| format!("bad numeric value {v:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(text: &str) -> Vec<u8> {
        format!("{text:<80}").into_bytes()
    }

    #[test]
    fn values_of_every_kind_parse() {
        let mut raw = Vec::new();
        for c in [
            "SIMPLE  =                    T / conforms",
            "BITPIX  =                  -32",
            "NAXIS   =                    0",
            "CRVAL1  =       1.2345678D+02 / Fortran exponent",
            "OBJECT  = 'M 31 ''core''   ' / quoted quote",
            "BLANK   =",
            "CPLX    = (1.5, -2.0)",
            "COMMENT   a comment card",
            "LONG    = 'abc&'",
            "CONTINUE  'def'",
            "HIERARCH ESO DET NAME = 'detector one' / ESO style",
            "END",
            "AFTER   =                    1",
        ] {
            raw.extend(card(c));
        }
        let h = Header::parse(&raw).unwrap();
        assert_eq!(h.logical("SIMPLE"), Some(true));
        assert_eq!(h.integer("BITPIX"), Some(-32));
        assert_eq!(h.real("CRVAL1"), Some(123.45678));
        assert_eq!(h.real("NAXIS"), Some(0.0));
        assert_eq!(h.text("OBJECT"), Some("M 31 'core'"));
        assert_eq!(h.get("BLANK"), Some(&Value::Undefined));
        assert_eq!(h.get("CPLX"), Some(&Value::Complex(1.5, -2.0)));
        assert_eq!(h.text("LONG"), Some("abcdef"));
        assert_eq!(h.text("ESO DET NAME"), Some("detector one"));
        assert_eq!(h.get("AFTER"), None, "cards after END are ignored");
        assert_eq!(h.cards()[0].comment.as_deref(), Some("conforms"));
        assert!(h.cards().iter().any(|c| c.keyword == "COMMENT"));
    }

    #[test]
    fn data_size_is_padded_to_blocks() {
        let mut raw = Vec::new();
        for c in [
            "BITPIX  = 16",
            "NAXIS   = 2",
            "NAXIS1  = 300",
            "NAXIS2  = 300",
        ] {
            raw.extend(card(c));
        }
        let h = Header::parse(&raw).unwrap();
        // 300 × 300 × 2 = 180000 bytes → 63 blocks.
        assert_eq!(h.data_bytes().unwrap(), 63 * 2880);
    }

    #[test]
    fn bad_cards_are_errors() {
        assert!(Header::parse(&card("OBJECT  = 'open")).is_err());
        assert!(Header::parse(&card("X       = 1.2.3")).is_err());
    }
}
