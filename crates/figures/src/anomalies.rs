//! Unusual days: each working day's mean occupancy against the same weekday in the eight weeks
//! before it, judged with the modified z-score (Iglewicz and Hoaglin). Defined in one line each
//! in the README ("Anomalies").

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate};
use serde::Serialize;

use super::columns::{MEAN_COLUMN, column_index};
use super::planning::percentile;
use super::result::InsightResult;

/// How many weeks back the baseline looks.
pub const BASELINE_WEEKS: i64 = 8;
/// Fewer same-weekday days than this in the baseline: no verdict.
pub const MIN_BASELINE_DAYS: usize = 4;
/// |z| at or above this is flagged.
pub const THRESHOLD: f64 = 3.5;

/// One flagged day, with exactly the key names the CLI's JSON promises.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Anomaly {
    pub date: NaiveDate,
    pub daily_mean: f64,
    /// The usual value: the median of the baseline days' means.
    pub median: f64,
    pub z: f64,
    /// 100 × (daily_mean − median) / median; `None` when the median is 0.
    pub change_pct: Option<f64>,
    /// "above" or "below" the usual value.
    pub direction: &'static str,
}

impl Anomaly {
    /// A sentence for tooltips and text output.
    pub fn explain(&self) -> String {
        let weekday = self.date.format("%A");
        let change = match self.change_pct {
            Some(pct) => format!(" ({pct:+.0} %)"),
            None => String::new(),
        };
        format!(
            "{} {}: mean occupancy {:.1}, {} the usual {:.1} for a {weekday}{change}; z = {:.1}.",
            weekday, self.date, self.daily_mean, self.direction, self.median, self.z
        )
    }
}

/// `daily_mean` for each local day with data = the mean of `OCCUPANCY_MEAN` over that day's
/// periods (nulls and NaN left out).
pub fn daily_means(result: &InsightResult) -> BTreeMap<NaiveDate, f64> {
    let Some(col) = column_index(result, MEAN_COLUMN) else {
        return BTreeMap::new();
    };
    let mut sums: BTreeMap<NaiveDate, (f64, u32)> = BTreeMap::new();
    for row in &result.rows {
        if let Some(v) = row
            .values
            .get(col)
            .copied()
            .flatten()
            .filter(|v| v.is_finite())
        {
            let entry = sums.entry(row.start_local.date_naive()).or_default();
            entry.0 += v;
            entry.1 += 1;
        }
    }
    sums.into_iter()
        .map(|(day, (sum, n))| (day, sum / f64::from(n)))
        .collect()
}

/// The local days a result of `from..=to` must reach back to for its baselines.
pub fn history_start(from: NaiveDate) -> NaiveDate {
    from - Duration::weeks(BASELINE_WEEKS)
}

/// The flagged days among ISO weekdays 1–5 in `from..=to` (closed days included: a building
/// shut on a weekday is the most common anomaly). `result` must also hold the eight weeks
/// before `from` (see [`history_start`]).
pub fn anomalies(result: &InsightResult, from: NaiveDate, to: NaiveDate) -> Vec<Anomaly> {
    anomalies_in(&daily_means(result), from, to)
}

/// [`anomalies`] from daily means that must also cover the eight weeks before `from`.
pub fn anomalies_in(
    means: &BTreeMap<NaiveDate, f64>,
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<Anomaly> {
    means
        .range(from..=to)
        .filter(|(day, _)| day.weekday().number_from_monday() <= 5)
        .filter_map(|(&day, &x)| judge(means, day, x))
        .collect()
}

fn judge(means: &BTreeMap<NaiveDate, f64>, day: NaiveDate, x: f64) -> Option<Anomaly> {
    let baseline: Vec<f64> = (1..=BASELINE_WEEKS)
        .filter_map(|w| means.get(&(day - Duration::weeks(w))).copied())
        .collect();
    if baseline.len() < MIN_BASELINE_DAYS {
        return None;
    }
    let median = percentile(&baseline, 0.5)?;
    let deviations: Vec<f64> = baseline.iter().map(|v| (v - median).abs()).collect();
    let mad = percentile(&deviations, 0.5)?;
    if mad == 0.0 {
        return None;
    }
    let z = 0.6745 * (x - median) / mad;
    if z.abs() < THRESHOLD {
        return None;
    }
    Some(Anomaly {
        date: day,
        daily_mean: x,
        median,
        z,
        change_pct: (median != 0.0).then(|| 100.0 * (x - median) / median),
        direction: if x > median { "above" } else { "below" },
    })
}

#[cfg(test)]
mod tests {
    use chrono_tz::Australia::Sydney;

    use super::super::planning::fixtures::result;
    use super::*;

    /// A Monday series: `values[i]` is the mean of Monday `i` weeks after 2026-02-02.
    fn mondays(values: &[Option<f64>]) -> InsightResult {
        let start = NaiveDate::from_ymd_opt(2026, 2, 2).unwrap();
        let rows: Vec<_> = values
            .iter()
            .enumerate()
            .filter_map(|(i, v)| {
                let d = start + Duration::weeks(i as i64);
                v.map(|v| ((d.year(), d.month(), d.day()), 10, vec![Some(v)]))
            })
            .collect();
        result(Sydney, &["OCCUPANCY_MEAN"], &rows)
    }

    fn day(i: i64) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 2, 2).unwrap() + Duration::weeks(i)
    }

    #[test]
    fn a_holiday_is_flagged_low_with_its_usual_value() {
        // Baseline 100, 104, 96, 100, 102, 98, 100, 100 → median 100; deviations
        // 0,4,4,0,2,2,0,0 → MAD 1; the holiday (0) gives z = 0.6745 × (0 − 100) / 1 = −67.45.
        let r = mondays(&[
            Some(100.0),
            Some(104.0),
            Some(96.0),
            Some(100.0),
            Some(102.0),
            Some(98.0),
            Some(100.0),
            Some(100.0),
            Some(0.0),
        ]);
        let found = anomalies(&r, day(8), day(8));
        assert_eq!(found.len(), 1);
        let a = &found[0];
        assert_eq!(a.date, day(8));
        assert_eq!(a.median, 100.0);
        assert!((a.z + 67.45).abs() < 1e-9, "{}", a.z);
        assert_eq!(a.change_pct, Some(-100.0));
        assert_eq!(a.direction, "below");
        assert!(
            a.explain().contains("below the usual 100.0"),
            "{}",
            a.explain()
        );
    }

    #[test]
    fn an_ordinary_day_is_not_flagged() {
        let r = mondays(&[
            Some(100.0),
            Some(104.0),
            Some(96.0),
            Some(100.0),
            Some(102.0),
            Some(98.0),
            Some(100.0),
            Some(100.0),
            Some(101.0),
        ]);
        assert!(anomalies(&r, day(8), day(8)).is_empty());
    }

    #[test]
    fn fewer_than_four_baseline_days_or_a_zero_mad_give_no_verdict() {
        let few = mondays(&[
            None,
            None,
            None,
            None,
            None,
            Some(10.0),
            Some(11.0),
            Some(12.0),
            Some(0.0),
        ]);
        assert!(anomalies(&few, day(8), day(8)).is_empty());
        let flat = mondays(
            &[Some(50.0); 8]
                .iter()
                .copied()
                .chain([Some(0.0)])
                .collect::<Vec<_>>(),
        );
        assert!(
            anomalies(&flat, day(8), day(8)).is_empty(),
            "MAD 0: no verdict"
        );
    }

    #[test]
    fn daily_means_leave_nulls_out_and_follow_local_days_across_dst() {
        // Sydney leaves DST on 2026-04-05: that local day has 25 hours.
        let r = result(
            Sydney,
            &["OCCUPANCY_MEAN"],
            &[
                ((2026, 4, 5), 1, vec![Some(2.0)]),
                ((2026, 4, 5), 23, vec![Some(4.0)]),
                ((2026, 4, 5), 12, vec![None]),
                ((2026, 4, 6), 0, vec![Some(9.0)]),
            ],
        );
        let means = daily_means(&r);
        assert_eq!(
            means.get(&NaiveDate::from_ymd_opt(2026, 4, 5).unwrap()),
            Some(&3.0)
        );
        assert_eq!(
            means.get(&NaiveDate::from_ymd_opt(2026, 4, 6).unwrap()),
            Some(&9.0)
        );
        assert_eq!(history_start(day(8)), day(0));
    }
}
