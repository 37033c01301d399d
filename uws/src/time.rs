//! Instants as UWS writes and reads them: ISO 8601 in UTC with a 'Z' (UWS 1.1 §2.2.1),
//! stored as milliseconds since the Unix epoch.

use chrono::{DateTime, NaiveDate, NaiveDateTime, SecondsFormat, Utc};

/// Milliseconds since 1970-01-01T00:00:00Z.
pub type Millis = i64;

pub fn now() -> Millis {
    Utc::now().timestamp_millis()
}

/// `2024-05-01T12:00:00.000Z`.
pub fn format(ms: Millis) -> String {
    DateTime::<Utc>::from_timestamp_millis(ms)
        .unwrap_or_default()
        .to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Reads an ISO 8601 instant. A value without a zone is taken as UTC, as DALI 1.1 §3.3.3
/// says of timestamps; a date alone means its midnight.
pub fn parse(text: &str) -> Result<Millis, String> {
    let text = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(t.timestamp_millis());
    }
    if let Ok(t) = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f") {
        return Ok(t.and_utc().timestamp_millis());
    }
    if let Ok(t) = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M") {
        return Ok(t.and_utc().timestamp_millis());
    }
    if let Ok(d) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Ok(d
            .and_hms_opt(0, 0, 0)
            .unwrap_or_default()
            .and_utc()
            .timestamp_millis());
    }
    Err(format!(
        "'{text}' is not an ISO 8601 instant such as 2024-05-01T12:00:00Z"
    ))
}

/// Seconds as milliseconds, saturating instead of overflowing.
pub fn secs_to_ms(secs: u64) -> Millis {
    i64::try_from(secs)
        .unwrap_or(i64::MAX / 1000)
        .saturating_mul(1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_in_utc_with_milliseconds() {
        assert_eq!(format(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(format(1_514_768_400_123), "2018-01-01T01:00:00.123Z");
    }

    #[test]
    fn parses_the_forms_clients_send() {
        let t = 1_410_343_262_000;
        assert_eq!(parse("2014-09-10T10:01:02.000Z"), Ok(t));
        assert_eq!(parse("2014-09-10T10:01:02Z"), Ok(t));
        assert_eq!(parse("2014-09-10T10:01:02"), Ok(t));
        assert_eq!(parse("2014-09-10T12:01:02+02:00"), Ok(t));
        assert_eq!(parse("2014-09-10"), Ok(t - (10 * 3600 + 62) * 1000));
        assert!(parse("yesterday").unwrap_err().contains("yesterday"));
    }
}
