//! Resumption tokens (OAI-PMH 2.0 §3.5): the whole state of a list request — its arguments and
//! where the next page starts — so the server keeps none. The generation ties a token to the
//! record list it was cut from; a token from another list (a restart with changed records) is
//! refused as `badResumptionToken` rather than silently skipping or repeating records.

use chrono::{DateTime, Utc};

use super::request::ListArguments;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub arguments: ListArguments,
    /// Index of the first record of the next page.
    pub offset: usize,
    pub generation: u64,
}

impl Token {
    /// Hex of `offset|prefix|from|until|set|generation`: opaque, and safe in a URL unescaped.
    pub fn encode(&self) -> String {
        let seconds = |d: Option<DateTime<Utc>>| d.map(|d| d.timestamp().to_string());
        let plain = format!(
            "{}|{}|{}|{}|{}|{}",
            self.offset,
            self.arguments.metadata_prefix,
            seconds(self.arguments.from).unwrap_or_default(),
            seconds(self.arguments.until).unwrap_or_default(),
            self.arguments.set.as_deref().unwrap_or(""),
            self.generation
        );
        plain.bytes().map(|b| format!("{b:02x}")).collect()
    }

    /// `None` for anything `encode` did not write.
    pub fn decode(token: &str) -> Option<Self> {
        if !token.len().is_multiple_of(2) || !token.is_ascii() {
            return None;
        }
        let bytes = (0..token.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&token[i..i + 2], 16).ok())
            .collect::<Option<Vec<u8>>>()?;
        let plain = String::from_utf8(bytes).ok()?;
        let fields: Vec<&str> = plain.split('|').collect();
        let [offset, prefix, from, until, set, generation] = fields.as_slice() else {
            return None;
        };
        let date = |s: &str| -> Option<Option<DateTime<Utc>>> {
            if s.is_empty() {
                Some(None)
            } else {
                DateTime::from_timestamp(s.parse().ok()?, 0).map(Some)
            }
        };
        Some(Self {
            offset: offset.parse().ok()?,
            arguments: ListArguments {
                metadata_prefix: (*prefix).to_owned(),
                from: date(from)?,
                until: date(until)?,
                set: (!set.is_empty()).then(|| (*set).to_owned()),
            },
            generation: generation.parse().ok()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_round_trips_and_garbage_does_not_decode() {
        let token = Token {
            arguments: ListArguments {
                metadata_prefix: "ivo_vor".to_owned(),
                from: DateTime::from_timestamp(1_700_000_000, 0),
                until: None,
                set: Some("ivo_managed".to_owned()),
            },
            offset: 20,
            generation: 42,
        };
        let encoded = token.encode();
        assert!(encoded.chars().all(|c| c.is_ascii_hexdigit()), "{encoded}");
        assert_eq!(Token::decode(&encoded), Some(token));
        for garbage in ["", "zz", "abc", "7c7c", "not a token at all"] {
            assert_eq!(Token::decode(garbage), None, "{garbage}");
        }
    }
}
