//! Local-time calendar arithmetic: granularities, local midnights, history window.
//!
//! Every period is aligned to the building's local midnight (weeks start on
//! Monday, months on the 1st), so a DST day has 23 or 25 hours. Periods are
//! computed from local dates and converted to UTC, never by adding 86 400 s.

use chrono::{Datelike, Duration, Months, NaiveDate, NaiveTime, TimeZone};
use chrono_tz::Tz;

/// ISO 8601 durations the APIs use for `GRANULARITY`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Granularity {
    Pt15m,
    Pt1h,
    P1d,
    P1w,
    P1m,
}

impl Granularity {
    pub const ALL: [Granularity; 5] = [
        Granularity::Pt15m,
        Granularity::Pt1h,
        Granularity::P1d,
        Granularity::P1w,
        Granularity::P1m,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Granularity::Pt15m => "PT15M",
            Granularity::Pt1h => "PT1H",
            Granularity::P1d => "P1D",
            Granularity::P1w => "P1W",
            Granularity::P1m => "P1M",
        }
    }
}

/// Seconds since the Unix epoch of the first instant of `date` in `tz`.
///
/// When local midnight does not exist (a DST gap at midnight), the day starts
/// at the first local time that does.
pub fn local_day_start(tz: Tz, date: NaiveDate) -> i64 {
    let mut time = NaiveTime::MIN;
    for _ in 0..(24 * 4) {
        match tz.from_local_datetime(&date.and_time(time)) {
            chrono::LocalResult::Single(t) => return t.timestamp(),
            chrono::LocalResult::Ambiguous(earliest, _) => return earliest.timestamp(),
            chrono::LocalResult::None => time += Duration::minutes(15),
        }
    }
    // Unreachable for real zones; fall back to UTC midnight rather than panic.
    date.and_time(NaiveTime::MIN).and_utc().timestamp()
}

/// Local date of an instant.
pub fn local_date(tz: Tz, unix_secs: i64) -> Option<NaiveDate> {
    chrono::DateTime::from_timestamp(unix_secs, 0).map(|t| t.with_timezone(&tz).date_naive())
}

/// `YYYYMMDD` as an integer, the `DATE_PARTITION` key.
pub fn date_partition(date: NaiveDate) -> i64 {
    i64::from(date.year()) * 10_000 + i64::from(date.month()) * 100 + i64::from(date.day())
}

/// Inverse of [`date_partition`], clamping out-of-range parts so that range
/// bounds like `20250100` still order correctly.
pub fn partition_to_date(p: i64) -> Option<NaiveDate> {
    let y = i32::try_from(p / 10_000).ok()?;
    let m = ((p / 100) % 100).clamp(1, 12) as u32;
    let d = (p % 100).clamp(1, 31) as u32;
    let first = NaiveDate::from_ymd_opt(y, m, 1)?;
    let last = first.checked_add_months(Months::new(1))?.pred_opt()?;
    Some(first.with_day(d).unwrap_or(last))
}

/// The published history: two years up to the day before "today".
#[derive(Clone, Copy, Debug)]
pub struct History {
    pub first: NaiveDate,
    pub last: NaiveDate,
}

impl History {
    pub fn new(today: NaiveDate) -> History {
        let first = today.checked_sub_months(Months::new(24)).unwrap_or(today);
        let last = today.pred_opt().unwrap_or(today);
        History { first, last }
    }
}

/// A period of one granularity starting on a local date (PT15M/PT1H periods
/// are produced from days, so only day-or-longer periods are listed here).
#[derive(Clone, Copy, Debug)]
pub struct DayRange {
    pub first: NaiveDate,
    pub last: NaiveDate,
}

impl DayRange {
    pub fn days(self) -> impl Iterator<Item = NaiveDate> {
        self.first.iter_days().take_while(move |d| *d <= self.last)
    }
}

/// Start dates of the complete periods of `g` (P1D, P1W or P1M) that lie inside
/// `history` and start within `within`.
pub fn period_starts(
    g: Granularity,
    history: History,
    within: DayRange,
) -> Vec<(NaiveDate, NaiveDate)> {
    let mut out = Vec::new();
    let lo = within.first.max(history.first);
    let hi = within.last.min(history.last);
    if lo > hi {
        return out;
    }
    match g {
        Granularity::Pt15m | Granularity::Pt1h | Granularity::P1d => {
            for d in (DayRange {
                first: lo,
                last: hi,
            })
            .days()
            {
                out.push((d, d));
            }
        }
        Granularity::P1w => {
            let offset = i64::from(lo.weekday().num_days_from_monday());
            let mut start = if offset == 0 {
                lo
            } else {
                lo + Duration::days(7 - offset)
            };
            while start <= hi {
                let end = start + Duration::days(6);
                if end <= history.last {
                    out.push((start, end));
                }
                start += Duration::days(7);
            }
        }
        Granularity::P1m => {
            let mut start = if lo.day() == 1 {
                Some(lo)
            } else {
                lo.with_day(1)
                    .and_then(|d| d.checked_add_months(Months::new(1)))
            };
            while let Some(s) = start.filter(|s| *s <= hi) {
                let next = s.checked_add_months(Months::new(1));
                if let Some(end) = next.and_then(|n| n.pred_opt())
                    && end <= history.last
                {
                    out.push((s, end));
                }
                start = next;
            }
        }
    }
    out
}
