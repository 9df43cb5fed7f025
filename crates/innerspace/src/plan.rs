//! Splitting a range of local dates into chunks whose rows fit comfortably in one page.

use chrono::{Datelike, NaiveDate, Weekday};
use chrono_tz::Tz;

use super::query::Granularity;
use occudesk_figures::time::local_day_hours;

/// An inclusive range of building-local dates fetched with one request (plus pages if the
/// server surprises us).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DateChunk {
    pub first: NaiveDate,
    pub last: NaiveDate,
}

/// Chunks of `[from, to]` such that the most rows a chunk can hold (periods per local day for
/// `granularity`, 25-hour days included, times `series`: entities × metrics for long tables)
/// stay within `target_rows`. Chunks are of even length so concurrent requests finish together.
pub fn plan_chunks(
    from: NaiveDate,
    to: NaiveDate,
    granularity: Granularity,
    series: usize,
    target_rows: usize,
) -> Vec<DateChunk> {
    if from > to {
        return Vec::new();
    }
    let total_days = (to - from).num_days() + 1;
    let series = series.max(1) as i64;
    let target = target_rows.max(1) as i64;
    // The longest chunk that fits (at least one day, even if a day alone is bigger).
    let mut fit = 1i64;
    let (mut lo, mut hi) = (1i64, total_days);
    while lo <= hi {
        let mid = lo + (hi - lo) / 2;
        if granularity.max_periods(mid) * series <= target {
            fit = mid;
            lo = mid + 1;
        } else {
            hi = mid - 1;
        }
    }
    let count = (total_days + fit - 1) / fit;
    let even = (total_days + count - 1) / count;
    let mut chunks = Vec::with_capacity(count as usize);
    let mut first = from;
    while first <= to {
        let last = (first + chrono::Duration::days(even - 1)).min(to);
        chunks.push(DateChunk { first, last });
        match last.succ_opt() {
            Some(next) => first = next,
            None => break,
        }
    }
    chunks
}

/// The exact number of periods of one series starting within `chunk`, counted on the local
/// calendar (23- and 25-hour days included; weeks start on Monday, months on the 1st). Real
/// data may have gaps, so this is a prediction, used only to verify a page early.
pub fn expected_periods(chunk: DateChunk, granularity: Granularity, tz: Tz) -> usize {
    let days = chunk.first.iter_days().take_while(|d| *d <= chunk.last);
    let n: i64 = match granularity {
        Granularity::Pt15m => days.map(|d| 4 * local_day_hours(tz, d)).sum(),
        Granularity::Pt1h => days.map(|d| local_day_hours(tz, d)).sum(),
        Granularity::P1d => days.count() as i64,
        Granularity::P1w => days.filter(|d| d.weekday() == Weekday::Mon).count() as i64,
        Granularity::P1m => days.filter(|d| d.day() == 1).count() as i64,
    };
    usize::try_from(n).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn covers(chunks: &[DateChunk], from: NaiveDate, to: NaiveDate) {
        assert_eq!(chunks.first().unwrap().first, from);
        assert_eq!(chunks.last().unwrap().last, to);
        for pair in chunks.windows(2) {
            assert_eq!(
                pair[0].last.succ_opt().unwrap(),
                pair[1].first,
                "no gap, no overlap"
            );
        }
    }

    #[test]
    fn a_year_of_hours_is_six_even_chunks() {
        let chunks = plan_chunks(
            d("2025-01-01"),
            d("2025-12-31"),
            Granularity::Pt1h,
            1,
            1_600,
        );
        assert_eq!(chunks.len(), 6);
        covers(&chunks, d("2025-01-01"), d("2025-12-31"));
        for c in &chunks {
            let days = (c.last - c.first).num_days() + 1;
            assert!(days * 25 <= 1_600, "{c:?}");
        }
    }

    #[test]
    fn rows_per_chunk_scale_with_series_and_granularity() {
        let (from, to) = (d("2024-11-23"), d("2026-11-22"));
        let q = plan_chunks(from, to, Granularity::Pt15m, 1, 1_600);
        covers(&q, from, to);
        assert!(
            q.iter()
                .all(|c| ((c.last - c.first).num_days() + 1) * 100 <= 1_600)
        );
        let zones = plan_chunks(from, to, Granularity::Pt1h, 18, 1_600);
        assert!(
            zones
                .iter()
                .all(|c| ((c.last - c.first).num_days() + 1) * 25 * 18 <= 1_600)
        );
        assert_eq!(plan_chunks(from, to, Granularity::P1d, 1, 1_600).len(), 1);
        assert_eq!(plan_chunks(from, to, Granularity::P1m, 1, 1_600).len(), 1);
        // A day that alone exceeds the target is still one chunk per day.
        let big = plan_chunks(
            d("2025-01-01"),
            d("2025-01-03"),
            Granularity::Pt15m,
            100,
            1_600,
        );
        assert_eq!(big.len(), 3);
    }

    #[test]
    fn expected_periods_count_local_hours() {
        let chunk = |a: &str, b: &str| DateChunk {
            first: d(a),
            last: d(b),
        };
        let chicago = chrono_tz::America::Chicago;
        assert_eq!(
            expected_periods(
                chunk("2025-03-09", "2025-03-09"),
                Granularity::Pt1h,
                chicago
            ),
            23
        );
        assert_eq!(
            expected_periods(
                chunk("2025-11-02", "2025-11-02"),
                Granularity::Pt15m,
                chicago
            ),
            100
        );
        assert_eq!(
            expected_periods(
                chunk("2025-01-01", "2025-12-31"),
                Granularity::Pt1h,
                chicago
            ),
            8_760
        );
        assert_eq!(
            expected_periods(chunk("2025-01-01", "2025-01-31"), Granularity::P1w, chicago),
            4
        );
        assert_eq!(
            expected_periods(chunk("2025-01-15", "2025-03-01"), Granularity::P1m, chicago),
            2
        );
    }

    #[test]
    fn single_day_and_reversed_ranges() {
        let one = plan_chunks(
            d("2025-03-09"),
            d("2025-03-09"),
            Granularity::Pt1h,
            1,
            1_600,
        );
        assert_eq!(
            one,
            [DateChunk {
                first: d("2025-03-09"),
                last: d("2025-03-09")
            }]
        );
        assert!(
            plan_chunks(
                d("2025-03-10"),
                d("2025-03-09"),
                Granularity::Pt1h,
                1,
                1_600
            )
            .is_empty()
        );
    }
}
