//! A view that is a sum of zones: a site or floor read as every zone on it, or a building's
//! zones added up. Figures for sums are defined for sums (api.md §1.3):
//!
//! - **Means add up**: the view's `OCCUPANCY_MEAN` of a period is the sum of its zones'.
//! - **Peaks do not**: zones peak at different times, so adding their `OCCUPANCY_MAX` gives
//!   a number that may never have happened. The view's peak of a period is the largest
//!   per-hour sum of the zones' means over the hours that overlap the period
//!   ([`SUMMED_PEAK_COLUMN`]). It is exact for what it measures (the busiest hour of the
//!   zones together, averaged over the hour) and a lower bound of the true instantaneous peak;
//!   the sum of the zones' `OCCUPANCY_MAX` would be an upper bound, never shown as a peak.
//!   Hours are the basis at every granularity of an hour or more, so a site's peak for a
//!   month is the same whether the month was loaded by the day or by the hour; quarter-hour
//!   views use their own quarters (a quarter's peak is never below its own mean).
//! - Positive means and percentages of capacity are not defined by a sum of zones' values:
//!   they are left out of a summed view.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Duration, Months, Utc};
use chrono_tz::Tz;

use super::columns::{MEAN_COLUMN, SUMMED_PEAK_COLUMN, column_index, value_at};
use super::time::{local_date, local_day_start, parse_tz};
use super::{InsightResult, InsightRow};

/// Whether `result` holds several entities in one period (so it must be summed to be one
/// series).
pub fn is_sum(result: &InsightResult) -> bool {
    let mut seen: BTreeMap<i64, &InsightRow> = BTreeMap::new();
    result.rows.iter().any(
        |row| match seen.insert(row.start_utc.timestamp_millis(), row) {
            Some(other) => other.key() != row.key(),
            None => false,
        },
    )
}

/// The sum of the means per period: `(start, sum)` in time order. Periods whose zones have
/// no mean at all are left out.
pub(crate) fn mean_sums(result: &InsightResult) -> BTreeMap<DateTime<Utc>, f64> {
    let mut sums = BTreeMap::new();
    let Some(mean) = column_index(result, MEAN_COLUMN) else {
        return sums;
    };
    for row in &result.rows {
        if let Some(v) = value_at(&row.values, mean) {
            *sums.entry(row.start_utc).or_insert(0.0) += v;
        }
    }
    sums
}

/// The end of the period that starts at `start` (local calendar for days, weeks, months).
fn period_end(start: DateTime<Utc>, granularity: &str, tz: Tz) -> DateTime<Utc> {
    let day = local_date(start, tz);
    let next_day = |d: chrono::NaiveDate, n: u64| d.checked_add_days(chrono::Days::new(n));
    let end_date = match granularity {
        "PT15M" => return start + Duration::minutes(15),
        "PT1H" => return start + Duration::hours(1),
        "P1W" => next_day(day, 7),
        "P1M" => day
            .with_day(1)
            .and_then(|first| first.checked_add_months(Months::new(1))),
        _ => next_day(day, 1),
    };
    end_date.map_or(start + Duration::days(1), |d| local_day_start(tz, d))
}

/// `result` (several zones per period) as one series: its summed mean, and, when `hourly`
/// (the same zones by the hour) is given, the peak of each period as defined in the module
/// notes. Every other column is left out. A result of one entity per period is returned as
/// it is.
pub fn sum_of_zones(result: &InsightResult, hourly: Option<&InsightResult>) -> InsightResult {
    if !is_sum(result) {
        return result.clone();
    }
    let tz = parse_tz(&result.time_zone).unwrap_or(Tz::UTC);
    let sums = mean_sums(result);
    let hours: Vec<(DateTime<Utc>, f64)> = hourly
        .map(|h| mean_sums(h).into_iter().collect())
        .unwrap_or_default();
    // The basis is hours, or the result's own quarters when it is finer than that.
    let step = match hourly.map(|h| h.granularity.as_str()) {
        Some("PT15M") => Duration::minutes(15),
        _ => Duration::hours(1),
    };
    let mut columns = vec![MEAN_COLUMN.to_owned()];
    if hourly.is_some() {
        columns.push(SUMMED_PEAK_COLUMN.to_owned());
    }
    let mut by_start: BTreeMap<DateTime<Utc>, InsightRow> = BTreeMap::new();
    for row in &result.rows {
        by_start.entry(row.start_utc).or_insert_with(|| {
            let mut values = vec![sums.get(&row.start_utc).copied()];
            if hourly.is_some() {
                let end = period_end(row.start_utc, &result.granularity, tz);
                // Basis periods overlapping [start, end): one for an hour, all of a day's hours.
                let first = hours.partition_point(|(h, _)| *h + step <= row.start_utc);
                let peak = hours[first..]
                    .iter()
                    .take_while(|(h, _)| *h < end)
                    .map(|(_, v)| *v)
                    .fold(None, |best: Option<f64>, v| {
                        Some(best.map_or(v, |b| b.max(v)))
                    });
                values.push(peak);
            }
            InsightRow {
                zone_id: None,
                zone_type: None,
                values,
                ..row.clone()
            }
        });
    }
    InsightResult {
        columns,
        rows: by_start.into_values().collect(),
        ..result.clone()
    }
}

#[cfg(test)]
mod tests {
    use chrono_tz::America::Chicago;

    use super::*;
    use crate::planning::fixtures::result;

    /// Two zones: zone 1 busy at 09:00, zone 2 at 10:00, on 2 March 2026 (Chicago).
    fn two_zones(granularity: &str) -> InsightResult {
        let rows = match granularity {
            "PT1H" => vec![
                ((2026, 3, 2), 9, vec![Some(10.0), Some(12.0)]),
                ((2026, 3, 2), 9, vec![Some(1.0), Some(2.0)]),
                ((2026, 3, 2), 10, vec![Some(2.0), Some(3.0)]),
                ((2026, 3, 2), 10, vec![Some(8.0), Some(11.0)]),
            ],
            _ => vec![
                ((2026, 3, 2), 0, vec![Some(0.5), Some(12.0)]),
                ((2026, 3, 2), 0, vec![Some(0.375), Some(11.0)]),
            ],
        };
        let mut r = result(Chicago, &["OCCUPANCY_MEAN", "OCCUPANCY_MAX"], &rows);
        for (i, row) in r.rows.iter_mut().enumerate() {
            row.zone_id = Some(1 + (i as i64 % 2));
        }
        r.granularity = granularity.to_owned();
        r
    }

    #[test]
    fn means_add_up_and_peaks_are_the_busiest_hour_of_the_sum() {
        let hourly = two_zones("PT1H");
        let summed = sum_of_zones(&hourly, Some(&hourly));
        assert_eq!(summed.columns, [MEAN_COLUMN, SUMMED_PEAK_COLUMN]);
        assert_eq!(summed.rows.len(), 2);
        assert_eq!(summed.rows[0].values, [Some(11.0), Some(11.0)]);
        assert_eq!(summed.rows[1].values, [Some(10.0), Some(10.0)]);
        assert_eq!(summed.rows[0].zone_id, None);

        // The day: its mean is the sum of the zones' daily means, its peak the busiest hour of
        // the sum (11), never the sum of the zones' maxima (23).
        let daily = sum_of_zones(&two_zones("P1D"), Some(&hourly));
        assert_eq!(daily.rows.len(), 1);
        assert_eq!(daily.rows[0].values, [Some(0.875), Some(11.0)]);
    }

    #[test]
    fn one_entity_is_left_as_it_is_and_without_hours_there_is_no_peak() {
        let mut one = two_zones("PT1H");
        one.rows.retain(|r| r.zone_id == Some(1));
        assert!(!is_sum(&one));
        assert_eq!(sum_of_zones(&one, None), one);
        let means_only = sum_of_zones(&two_zones("P1D"), None);
        assert_eq!(means_only.columns, [MEAN_COLUMN]);
        assert_eq!(means_only.rows[0].values, [Some(0.875)]);
    }

    #[test]
    fn periods_end_on_the_local_calendar() {
        let start = local_day_start(Chicago, "2026-03-01".parse().unwrap());
        // March 2026 in Chicago: 31 days, one of them 23 hours long.
        let end = period_end(start, "P1M", Chicago);
        assert_eq!((end - start).num_hours(), 31 * 24 - 1);
        let monday = local_day_start(Chicago, "2026-03-02".parse().unwrap());
        assert_eq!(
            (period_end(monday, "P1W", Chicago) - monday).num_hours(),
            7 * 24 - 1
        );
        assert_eq!(
            (period_end(start, "PT15M", Chicago) - start).num_minutes(),
            15
        );
    }
}
