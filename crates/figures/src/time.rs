//! Timestamps from the API and the building's local calendar.
//!
//! The API sends UTC instants; analysts read local time. Periods are aligned to the
//! building's local midnight, so a DST day has 23 or 25 hours: every local-day boundary here
//! is computed from a local date through the time zone, never by adding 86 400 s or 3 600 s.

use chrono::{DateTime, Datelike, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, NaiveTime};
use chrono::{TimeZone, Utc};
use chrono_tz::Tz;

/// Parses a `DATE_TIME_START` as an instant. Accepts every RFC 3339 form (`Z`, `+00:00` or
/// any other offset, with or without fractional seconds, `T` or a space between date and
/// time) and, being liberal, a timestamp without an offset, which the API means as UTC.
pub fn parse_utc(text: &str) -> Option<DateTime<Utc>> {
    // Years far outside any data (chrono accepts ±262,143) would overflow date arithmetic.
    parse_any_utc(text).filter(|t| (1900..=9999).contains(&t.year()))
}

fn parse_any_utc(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.with_timezone(&Utc));
    }
    let spaced = text.replacen(' ', "T", 1);
    if let Ok(t) = DateTime::parse_from_rfc3339(&spaced) {
        return Some(t.with_timezone(&Utc));
    }
    // Offsets without a colon (`+0000`) and bare `+00`.
    for fmt in ["%Y-%m-%dT%H:%M:%S%.f%z", "%Y-%m-%dT%H:%M:%S%.f%#z"] {
        if let Ok(t) = DateTime::parse_from_str(&spaced, fmt) {
            return Some(t.with_timezone(&Utc));
        }
    }
    for fmt in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(&spaced, fmt) {
            return Some(t.and_utc());
        }
    }
    None
}

/// An instant in the building's zone, as a fixed offset (what a CSV or the window shows).
pub fn to_local(instant: DateTime<Utc>, tz: Tz) -> DateTime<FixedOffset> {
    instant.with_timezone(&tz).fixed_offset()
}

/// The first instant of a local date. When local midnight does not exist (a DST gap at
/// midnight, e.g. in some South American zones) the day starts at the first local time that
/// does; when it happens twice, at the earlier.
pub fn local_day_start(tz: Tz, date: NaiveDate) -> DateTime<Utc> {
    let mut time = NaiveTime::MIN;
    for _ in 0..(24 * 4) {
        match tz.from_local_datetime(&date.and_time(time)) {
            LocalResult::Single(t) => return t.with_timezone(&Utc),
            LocalResult::Ambiguous(earliest, _) => return earliest.with_timezone(&Utc),
            LocalResult::None => time += chrono::Duration::minutes(15),
        }
    }
    // No real zone skips a whole day at 15-minute resolution; stay total rather than panic.
    date.and_time(NaiveTime::MIN).and_utc()
}

/// Hours in a local day: 24, or 23/25 on DST change days.
pub fn local_day_hours(tz: Tz, date: NaiveDate) -> i64 {
    let next = date.succ_opt().unwrap_or(date);
    (local_day_start(tz, next) - local_day_start(tz, date)).num_hours()
}

/// The local date of an instant.
pub fn local_date(instant: DateTime<Utc>, tz: Tz) -> NaiveDate {
    instant.with_timezone(&tz).date_naive()
}

/// `YYYYMMDD` as an integer: the `DATE_PARTITION` key of a local date.
pub fn date_partition(date: NaiveDate) -> i64 {
    i64::from(date.year()) * 10_000 + i64::from(date.month()) * 100 + i64::from(date.day())
}

/// Parses an IANA zone name.
pub fn parse_tz(name: &str) -> Option<Tz> {
    name.trim().parse::<Tz>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rfc3339_form_and_a_missing_offset_parse_to_the_same_instant() {
        assert_eq!(
            parse_utc("-262143-01-01T00:00:00+0000"),
            None,
            "no overflow later"
        );
        assert_eq!(parse_utc("10000-01-01T00:00:00Z"), None);
        let z = parse_utc("2024-01-01T06:00:00.000Z").unwrap();
        assert_eq!(z.timestamp(), 1_704_088_800);
        for text in [
            "2024-01-01T06:00:00Z",
            "2024-01-01T06:00:00+00:00",
            "2024-01-01T06:00:00.000000+00:00",
            "2024-01-01T00:00:00-06:00",
            "2024-01-01T17:00:00.000+11:00",
            "2024-01-01 06:00:00+00:00",
            "2024-01-01T06:00:00+0000",
            "2024-01-01T06:00:00",
            "2024-01-01T06:00:00.000",
            "2024-01-01 06:00:00",
            " 2024-01-01T06:00:00z ",
        ] {
            assert_eq!(parse_utc(text), Some(z), "{text}");
        }
        assert_eq!(
            parse_utc("2024-01-01T06:00:00.5Z")
                .unwrap()
                .timestamp_millis(),
            1_704_088_800_500
        );
        assert_eq!(parse_utc("yesterday"), None);
        assert_eq!(parse_utc(""), None);
    }

    #[test]
    fn dst_days_have_23_and_25_hours() {
        let chicago = chrono_tz::America::Chicago;
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(local_day_hours(chicago, d(2025, 3, 9)), 23);
        assert_eq!(local_day_hours(chicago, d(2025, 11, 2)), 25);
        assert_eq!(local_day_hours(chicago, d(2025, 6, 1)), 24);
        let sydney = chrono_tz::Australia::Sydney;
        assert_eq!(local_day_hours(sydney, d(2025, 10, 5)), 23);
        assert_eq!(local_day_hours(sydney, d(2025, 4, 6)), 25);
    }

    #[test]
    fn local_conversion_keeps_the_offset() {
        let t = parse_utc("2025-07-01T05:00:00Z").unwrap();
        let local = to_local(t, chrono_tz::America::Chicago);
        assert_eq!(local.to_rfc3339(), "2025-07-01T00:00:00-05:00");
        assert_eq!(
            local_day_start(chrono_tz::America::Chicago, d(2025, 7, 1)),
            t
        );
        assert_eq!(date_partition(d(2025, 7, 1)), 20250701);
        assert_eq!(local_date(t, chrono_tz::Europe::London), d(2025, 7, 1));
        fn d(y: i32, m: u32, day: u32) -> NaiveDate {
            NaiveDate::from_ymd_opt(y, m, day).unwrap()
        }
    }

    #[test]
    fn a_missing_midnight_starts_the_day_at_the_first_real_time() {
        // Santiago springs forward at local midnight (00:00 → 01:00) in September.
        let tz = chrono_tz::America::Santiago;
        let date = NaiveDate::from_ymd_opt(2024, 9, 8).unwrap();
        let start = to_local(local_day_start(tz, date), tz);
        assert_eq!(start.to_rfc3339(), "2024-09-08T01:00:00-03:00");
    }
}
