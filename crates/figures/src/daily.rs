//! Daily figures for drawing a long range: per building-local day its `daily_peak` (as
//! planning defines it, so a sum of zones uses its peak hour: peaks never add up), its
//! `daily_mean` (as the anomalies define it) and its lowest period mean, the floor of the
//! day's range.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::InsightResult;
use super::anomalies::daily_means;
use super::columns::{MEAN_COLUMN, column_index, value_at};
use super::planning::daily_peaks;

/// One local day's figures; a figure the day has no value for is `None`.
#[derive(Clone, Debug, PartialEq)]
pub struct DayFigures {
    pub date: NaiveDate,
    pub peak: Option<f64>,
    pub mean: Option<f64>,
    /// The lowest `OCCUPANCY_MEAN` of the day's periods.
    pub low: Option<f64>,
}

/// The daily figures of every local day with data, in date order.
pub fn daily_figures(result: &InsightResult) -> Vec<DayFigures> {
    let mut days: BTreeMap<NaiveDate, DayFigures> = BTreeMap::new();
    fn day(days: &mut BTreeMap<NaiveDate, DayFigures>, date: NaiveDate) -> &mut DayFigures {
        days.entry(date).or_insert(DayFigures {
            date,
            peak: None,
            mean: None,
            low: None,
        })
    }
    for peak in daily_peaks(result) {
        day(&mut days, peak.date).peak = Some(peak.daily_peak);
    }
    for (date, mean) in daily_means(result) {
        day(&mut days, date).mean = Some(mean);
    }
    if let Some(col) = column_index(result, MEAN_COLUMN) {
        for row in &result.rows {
            if let Some(v) = value_at(&row.values, col) {
                let d = day(&mut days, row.start_local.date_naive());
                d.low = Some(d.low.map_or(v, |low| low.min(v)));
            }
        }
    }
    days.into_values().collect()
}

#[cfg(test)]
mod tests {
    use chrono_tz::America::Chicago;

    use super::*;
    use crate::planning::fixtures::result;

    #[test]
    fn each_local_day_has_its_peak_mean_and_lowest_mean() {
        // 23:00 and 00:00 Chicago are different days; a null is left out.
        let r = result(
            Chicago,
            &["OCCUPANCY_MEAN", "OCCUPANCY_MAX"],
            &[
                ((2026, 3, 2), 22, vec![Some(2.0), Some(5.0)]),
                ((2026, 3, 2), 23, vec![Some(4.0), Some(9.0)]),
                ((2026, 3, 3), 0, vec![Some(1.0), Some(3.0)]),
                ((2026, 3, 3), 1, vec![None, None]),
            ],
        );
        let days = daily_figures(&r);
        assert_eq!(days.len(), 2);
        assert_eq!(days[0].date.to_string(), "2026-03-02");
        assert_eq!(
            (days[0].peak, days[0].mean, days[0].low),
            (Some(9.0), Some(3.0), Some(2.0))
        );
        assert_eq!(
            (days[1].peak, days[1].mean, days[1].low),
            (Some(3.0), Some(1.0), Some(1.0))
        );
    }
}
