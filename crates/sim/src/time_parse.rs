//! Lenient parsing of timestamp literals, as Postgres (behind Hasura) accepts them.

use chrono::{DateTime, NaiveDate, NaiveDateTime};

/// Parses RFC 3339 (`Z` or an offset, with or without fractions), a naive
/// date-time (taken as UTC, with `T` or a space), or a bare date (UTC midnight).
pub fn parse_timestamp_ms(s: &str) -> Option<i64> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.timestamp_millis());
    }
    let spaced = s.replacen(' ', "T", 1);
    if let Ok(t) = DateTime::parse_from_rfc3339(&spaced) {
        return Some(t.timestamp_millis());
    }
    for fmt in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(&spaced, fmt) {
            return Some(t.and_utc().timestamp_millis());
        }
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc().timestamp_millis())
}

#[cfg(test)]
mod tests {
    use super::parse_timestamp_ms;

    #[test]
    fn accepts_common_forms() {
        let z = parse_timestamp_ms("2024-01-01T06:00:00.000Z");
        assert_eq!(z, Some(1_704_088_800_000));
        assert_eq!(parse_timestamp_ms("2024-01-01T06:00:00Z"), z);
        assert_eq!(parse_timestamp_ms("2024-01-01T06:00:00+00:00"), z);
        assert_eq!(parse_timestamp_ms("2024-01-01T00:00:00-06:00"), z);
        assert_eq!(parse_timestamp_ms("2024-01-01 06:00:00"), z);
        assert_eq!(parse_timestamp_ms("2024-01-01"), Some(1_704_067_200_000));
        assert_eq!(parse_timestamp_ms("yesterday"), None);
    }
}
