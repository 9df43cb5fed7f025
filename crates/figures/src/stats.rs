//! Summary figures of an insight result, defined once for the window, the CLI and exports.
//!
//! Every figure is over **all rows given**: a result may carry several entities (zones,
//! floors); the caller filters it to one entity, or aggregates, before asking. Null (and
//! non-finite) values are left out of every figure. Column names are matched without regard
//! to case, so v2 (`OCCUPANCY_MEAN`) and v1 (`occupancy_mean`) tables both work.

use chrono::{DateTime, Datelike, FixedOffset, Timelike};
use serde::{Deserialize, Serialize};

use super::InsightResult;
use super::columns::{MEAN_COLUMN, PeakBasis, column_index, value_at};
use super::heatmap::CellFilter;

/// The headline figures of a range. Serializes with exactly these snake_case keys; a figure
/// that is undefined (no rows, no values, no capacity) is `null`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Summary {
    /// The largest peak of a period: `OCCUPANCY_MAX`; for a sum of zones the busiest hour of
    /// their summed means; `OCCUPANCY_MEAN` when the table has no max column. `peak_basis`
    /// says which.
    pub peak: Option<f64>,
    /// What `peak` (and everything computed from it) is.
    pub peak_basis: Option<PeakBasis>,
    /// `peak_basis` in words, e.g. "peak hour, sum of zone means".
    pub peak_label: Option<&'static str>,
    /// The local start of the period of `peak` (the earliest on a tie).
    pub peak_at: Option<DateTime<FixedOffset>>,
    /// The mean of `OCCUPANCY_MEAN` over all periods.
    pub mean: Option<f64>,
    /// The mean of `OCCUPANCY_MEAN` over periods where it is above 0.
    pub mean_occupied: Option<f64>,
    /// As passed in: the zone's `CAPACITY`, or the sum over the zones of a building, floor
    /// or site. A capacity that is not a positive number counts as unknown.
    pub capacity: Option<f64>,
    /// 100 × mean / capacity.
    pub utilization_mean_pct: Option<f64>,
    /// 100 × peak / capacity.
    pub utilization_peak_pct: Option<f64>,
    /// The mean of `OCCUPANCY_MEAN` over office-hours periods: those starting 08:00–18:00
    /// local on Monday to Friday (the heatmap's "Office hours only"); null for periods of a
    /// day or longer, which cannot tell the hour.
    pub mean_office_hours: Option<f64>,
    /// 100 × mean_office_hours / capacity: utilization while the office is open, the basis
    /// workplace tools quote (Settings → Utilization basis picks which one the window shows).
    pub utilization_office_hours_pct: Option<f64>,
    /// ISO weekday (1 = Monday … 7 = Sunday), in local time, with the highest mean of
    /// `OCCUPANCY_MEAN` (the earliest on a tie; null when no weekday's mean is above 0, and
    /// for weekly and monthly periods, which span several weekdays).
    pub busiest_weekday: Option<u32>,
    /// Local hour (0–23) with the highest mean of `OCCUPANCY_MEAN` over all days (same
    /// rules; null for periods of a day or longer, which all start at midnight).
    pub busiest_hour: Option<u32>,
    /// The busiest hour of the week: the (local weekday, hour) cell with the highest mean of
    /// `OCCUPANCY_MEAN` (same rules; periods shorter than a day only). Not the busiest
    /// weekday and the busiest hour put together: those may never coincide.
    pub busiest_slot: Option<WeekHour>,
    /// Fraction of periods whose peak / capacity is below 0.6.
    pub share_under_60: Option<f64>,
    /// Fraction of periods whose peak / capacity is from 0.6 to 1.0, both included.
    pub share_60_100: Option<f64>,
    /// Fraction of periods whose peak / capacity is above 1.0.
    pub share_over_100: Option<f64>,
}

/// Which utilization the window headlines (Settings → Utilization basis): over office hours
/// (the default, as workplace tools quote it) or over all hours. Both are always computed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum UtilizationBasis {
    #[default]
    OfficeHours,
    AllHours,
}

/// A local weekday (ISO, 1 = Monday) and hour (0–23).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct WeekHour {
    pub weekday: u32,
    pub hour: u32,
}

/// Mean of values grouped by a key in `0..N`; `None` for an empty group.
fn group_means<const N: usize>(pairs: impl Iterator<Item = (usize, f64)>) -> [Option<f64>; N] {
    let mut sum = [0.0_f64; N];
    let mut count = [0_u32; N];
    for (k, v) in pairs {
        if k < N {
            sum[k] += v;
            count[k] += 1;
        }
    }
    std::array::from_fn(|k| (count[k] > 0).then(|| sum[k] / f64::from(count[k])))
}

/// The first key with the largest mean, when that mean is above 0.
fn busiest<const N: usize>(means: &[Option<f64>; N]) -> Option<usize> {
    let mut best: Option<(usize, f64)> = None;
    for (k, m) in means.iter().enumerate() {
        if let Some(m) = *m
            && best.is_none_or(|(_, b)| m > b)
        {
            best = Some((k, m));
        }
    }
    best.filter(|(_, m)| *m > 0.0).map(|(k, _)| k)
}

/// The summary of every row of `result` (see the module notes), with the capacity the
/// caller knows for the entity.
pub fn summarize(result: &InsightResult, capacity: Option<f64>) -> Summary {
    let capacity = capacity.filter(|c| c.is_finite() && *c > 0.0);
    let mean_col = column_index(result, MEAN_COLUMN);
    let basis = PeakBasis::of(result);
    let peak_col = basis.map(|(_, index)| index);

    // Peak and its (earliest) local start.
    let mut peak: Option<(f64, &super::InsightRow)> = None;
    let mut peaks: Vec<f64> = Vec::new();
    if let Some(pc) = peak_col {
        for row in &result.rows {
            if let Some(v) = value_at(&row.values, pc) {
                peaks.push(v);
                let better = match peak {
                    None => true,
                    Some((p, r)) => v > p || (v == p && row.start_utc < r.start_utc),
                };
                if better {
                    peak = Some((v, row));
                }
            }
        }
    }

    // Means, overall, occupied, per local weekday and hour.
    let means: Vec<(&super::InsightRow, f64)> = match mean_col {
        Some(mc) => result
            .rows
            .iter()
            .filter_map(|r| value_at(&r.values, mc).map(|v| (r, v)))
            .collect(),
        None => Vec::new(),
    };
    let avg = |vals: &mut dyn Iterator<Item = f64>| {
        let (s, n) = vals.fold((0.0, 0_u32), |(s, n), v| (s + v, n + 1));
        (n > 0).then(|| s / f64::from(n))
    };
    let mean = avg(&mut means.iter().map(|(_, v)| *v));
    let office_hours = CellFilter::office_hours();
    let mean_office_hours = avg(&mut means
        .iter()
        .filter(|(r, _)| {
            office_hours.keeps(
                r.start_local.weekday().number_from_monday(),
                r.start_local.hour(),
            )
        })
        .map(|(_, v)| *v));
    let mean_occupied = avg(&mut means.iter().map(|(_, v)| *v).filter(|v| *v > 0.0));
    let by_weekday: [Option<f64>; 7] = group_means(means.iter().map(|(r, v)| {
        (
            r.start_local.weekday().number_from_monday() as usize - 1,
            *v,
        )
    }));
    let by_hour: [Option<f64>; 24] = group_means(
        means
            .iter()
            .map(|(r, v)| (r.start_local.hour() as usize, *v)),
    );
    let by_slot: [Option<f64>; 7 * 24] = group_means(means.iter().map(|(r, v)| {
        let weekday = r.start_local.weekday().num_days_from_monday() as usize;
        (weekday * 24 + r.start_local.hour() as usize, *v)
    }));
    // Which figures the periods can tell: an hour needs periods shorter than a day, a
    // weekday periods no longer than a day.
    let (hours_known, weekdays_known) = match result.granularity.as_str() {
        "PT15M" | "PT1H" => (true, true),
        "P1D" => (false, true),
        _ => (false, false),
    };

    let pct = |x: Option<f64>| match (x, capacity) {
        (Some(x), Some(c)) => Some(100.0 * x / c),
        _ => None,
    };
    let share = |pred: &dyn Fn(f64) -> bool| match capacity {
        Some(c) if !peaks.is_empty() => {
            let n = peaks.iter().filter(|p| pred(**p / c)).count();
            Some(n as f64 / peaks.len() as f64)
        }
        _ => None,
    };
    let peak_value = peak.map(|(v, _)| v);
    Summary {
        peak: peak_value,
        peak_basis: peak.and(basis).map(|(b, _)| b),
        peak_label: peak.and(basis).map(|(b, _)| b.label()),
        peak_at: peak.map(|(_, r)| r.start_local),
        mean,
        mean_occupied,
        capacity,
        utilization_mean_pct: pct(mean),
        utilization_peak_pct: pct(peak_value),
        mean_office_hours: mean_office_hours.filter(|_| hours_known),
        utilization_office_hours_pct: pct(mean_office_hours.filter(|_| hours_known)),
        busiest_weekday: busiest(&by_weekday)
            .filter(|_| weekdays_known)
            .map(|k| k as u32 + 1),
        busiest_hour: busiest(&by_hour).filter(|_| hours_known).map(|k| k as u32),
        busiest_slot: busiest(&by_slot).filter(|_| hours_known).map(|k| WeekHour {
            weekday: k as u32 / 24 + 1,
            hour: k as u32 % 24,
        }),
        share_under_60: share(&|r| r < 0.6),
        share_60_100: share(&|r| (0.6..=1.0).contains(&r)),
        share_over_100: share(&|r| r > 1.0),
    }
}

/// Small results for tests: rows of one entity at UTC instants, local times computed
/// through the zone.
#[cfg(test)]
pub(crate) mod fixtures {
    use super::super::time::{date_partition, local_date, parse_tz, parse_utc, to_local};
    use super::super::{InsightResult, InsightRow};

    /// The columns most fixtures carry.
    pub const MM: &[&str] = &["OCCUPANCY_MEAN", "OCCUPANCY_MAX"];

    /// Whether a figure is there and equals `b` but for floating-point rounding.
    pub fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() < 1e-9)
    }

    /// The key names `value` serializes to JSON with, sorted.
    pub fn sorted_keys(value: &impl serde::Serialize) -> Vec<String> {
        let json = serde_json::to_value(value).unwrap();
        let mut keys: Vec<String> = json.as_object().unwrap().keys().cloned().collect();
        keys.sort_unstable();
        keys
    }

    pub fn result(zone: &str, columns: &[&str], rows: &[(&str, &[Option<f64>])]) -> InsightResult {
        let tz = parse_tz(zone).unwrap();
        InsightResult {
            time_zone: zone.into(),
            time_zone_known: true,
            table: "ZONE_INSIGHTS".into(),
            granularity: "PT1H".into(),
            columns: columns.iter().map(|c| c.to_string()).collect(),
            rows: rows
                .iter()
                .map(|(t, values)| {
                    let utc = parse_utc(t).unwrap();
                    InsightRow {
                        start_utc: utc,
                        start_local: to_local(utc, tz),
                        date_partition: date_partition(local_date(utc, tz)),
                        building_id: 1,
                        site_id: None,
                        zone_id: Some(7),
                        zone_type: None,
                        values: values.to_vec(),
                    }
                })
                .collect(),
            group_id: None,
            notice: None,
            requests: 1,
            chunks: 1,
            source: Default::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::{MM, close, result, sorted_keys};
    use super::*;

    /// Chicago, spring forward on Sunday 2026-03-08 (02:00 CST → 03:00 CDT), and Monday.
    fn chicago_spring() -> InsightResult {
        result(
            "America/Chicago",
            MM,
            &[
                ("2026-03-08T06:00:00Z", &[Some(0.0), Some(0.0)]), // Sun 00:00 CST
                ("2026-03-08T07:00:00Z", &[Some(10.0), Some(20.0)]), // Sun 01:00 CST
                ("2026-03-08T08:00:00Z", &[Some(30.0), Some(50.0)]), // Sun 03:00 CDT
                ("2026-03-08T09:00:00Z", &[None, Some(50.0)]),     // Sun 04:00 CDT, tie
                ("2026-03-09T15:00:00Z", &[Some(20.0), Some(40.0)]), // Mon 10:00 CDT
            ],
        )
    }

    #[test]
    fn every_figure_on_a_spring_forward_day_in_chicago() {
        let s = summarize(&chicago_spring(), Some(50.0));
        assert_eq!(s.peak, Some(50.0));
        // The tie goes to the earlier period, in local time with its offset.
        assert_eq!(s.peak_at.unwrap().to_rfc3339(), "2026-03-08T03:00:00-05:00");
        assert!(close(s.mean, 15.0)); // (0 + 10 + 30 + 20) / 4, the null left out
        assert!(close(s.mean_occupied, 20.0)); // (10 + 30 + 20) / 3
        assert_eq!(s.capacity, Some(50.0));
        assert!(close(s.utilization_mean_pct, 30.0));
        assert!(close(s.utilization_peak_pct, 100.0));
        // Office hours: only Monday 10:00 CDT.
        assert!(close(s.mean_office_hours, 20.0));
        assert!(close(s.utilization_office_hours_pct, 40.0));
        // Sunday: (0 + 10 + 30) / 3 = 13.3; Monday: 20.
        assert_eq!(s.busiest_weekday, Some(1));
        // Local hour 3 (08:00 UTC): 30.
        assert_eq!(s.busiest_hour, Some(3));
        // Peaks / 50: 0, 0.4 | 1.0, 1.0, 0.8.
        assert!(close(s.share_under_60, 0.4));
        assert!(close(s.share_60_100, 0.6));
        assert!(close(s.share_over_100, 0.0));
    }

    #[test]
    fn office_hours_are_periods_starting_08_to_18_local_on_weekdays() {
        // Tokyo (UTC+9, no DST): Friday 2026-06-05 and Saturday 2026-06-06.
        let r = result(
            "Asia/Tokyo",
            MM,
            &[
                ("2026-06-04T22:00:00Z", &[Some(100.0), None]), // Fri 07:00, before
                ("2026-06-04T23:00:00Z", &[Some(10.0), None]),  // Fri 08:00, in
                ("2026-06-05T08:00:00Z", &[Some(30.0), None]),  // Fri 17:00, in
                ("2026-06-05T09:00:00Z", &[Some(100.0), None]), // Fri 18:00, after
                ("2026-06-06T01:00:00Z", &[Some(100.0), None]), // Sat 10:00, weekend
            ],
        );
        let s = summarize(&r, Some(40.0));
        assert!(close(s.mean_office_hours, 20.0)); // (10 + 30) / 2
        assert!(close(s.utilization_office_hours_pct, 50.0));
        assert!(close(s.utilization_mean_pct, 340.0 / 5.0 / 40.0 * 100.0));

        // Daily periods all start at midnight: they cannot tell office hours.
        let mut daily = r.clone();
        daily.granularity = "P1D".into();
        let s = summarize(&daily, Some(40.0));
        assert_eq!(s.mean_office_hours, None);
        assert_eq!(s.utilization_office_hours_pct, None);
    }

    #[test]
    fn a_fall_back_day_without_capacity() {
        // Chicago, Sunday 2026-11-01: 01:00 happens twice (CDT, then CST).
        let r = result(
            "America/Chicago",
            MM,
            &[
                ("2026-11-01T05:00:00Z", &[Some(4.0), Some(5.0)]), // 00:00 CDT
                ("2026-11-01T06:00:00Z", &[Some(6.0), Some(8.0)]), // 01:00 CDT
                ("2026-11-01T07:00:00Z", &[Some(10.0), Some(12.0)]), // 01:00 CST
                ("2026-11-01T08:00:00Z", &[Some(2.0), Some(3.0)]), // 02:00 CST
            ],
        );
        let s = summarize(&r, None);
        assert_eq!(s.peak, Some(12.0));
        assert_eq!(s.peak_at.unwrap().to_rfc3339(), "2026-11-01T01:00:00-06:00");
        assert!(close(s.mean, 5.5));
        assert!(close(s.mean_occupied, 5.5));
        assert_eq!(s.busiest_weekday, Some(7));
        assert_eq!(s.busiest_hour, Some(1)); // (6 + 10) / 2 = 8
        for v in [
            s.capacity,
            s.utilization_mean_pct,
            s.utilization_peak_pct,
            s.share_under_60,
            s.share_60_100,
            s.share_over_100,
        ] {
            assert_eq!(v, None);
        }
        // Zero, negative and NaN capacities are unknown too.
        for c in [0.0, -5.0, f64::NAN] {
            assert_eq!(summarize(&r, Some(c)).utilization_mean_pct, None);
        }
    }

    #[test]
    fn sydney_dst_days_use_the_local_weekday_and_hour() {
        // Spring forward, Sunday 2026-10-04 (02:00 AEST → 03:00 AEDT); UTC says Saturday.
        let r = result(
            "Australia/Sydney",
            MM,
            &[
                ("2026-10-03T15:00:00Z", &[Some(1.0), Some(2.0)]), // Sun 01:00 AEST
                ("2026-10-03T16:00:00Z", &[Some(3.0), Some(9.0)]), // Sun 03:00 AEDT
                ("2026-10-03T17:00:00Z", &[Some(5.0), Some(6.0)]), // Sun 04:00 AEDT
            ],
        );
        let s = summarize(&r, Some(10.0));
        assert_eq!(s.busiest_weekday, Some(7));
        assert_eq!(s.busiest_hour, Some(4));
        assert_eq!(s.peak_at.unwrap().to_rfc3339(), "2026-10-04T03:00:00+11:00");
        assert!(close(s.mean, 3.0));
        // 0.2, 0.9, 0.6
        assert!(close(s.share_under_60, 1.0 / 3.0));
        assert!(close(s.share_60_100, 2.0 / 3.0));
        assert!(close(s.utilization_peak_pct, 90.0));

        // Fall back, Sunday 2026-04-05 (03:00 AEDT → 02:00 AEST): 02:00 twice.
        let r = result(
            "Australia/Sydney",
            MM,
            &[
                ("2026-04-04T15:00:00Z", &[Some(2.0), Some(11.0)]), // Sun 02:00 AEDT
                ("2026-04-04T16:00:00Z", &[Some(4.0), Some(11.0)]), // Sun 02:00 AEST
                ("2026-04-04T17:00:00Z", &[Some(1.0), Some(12.0)]), // Sun 03:00 AEST
            ],
        );
        let s = summarize(&r, Some(10.0));
        assert_eq!(s.busiest_hour, Some(2)); // (2 + 4) / 2 = 3 > 1
        assert_eq!(s.peak_at.unwrap().to_rfc3339(), "2026-04-05T03:00:00+10:00");
        assert!(close(s.share_over_100, 1.0));
        assert!(close(s.utilization_peak_pct, 120.0));
    }

    #[test]
    fn no_max_column_uses_the_mean_for_the_peak_and_ties_go_to_the_earliest() {
        let r = result(
            "UTC",
            &["occupancy_mean"],
            &[
                ("2026-01-06T10:00:00Z", &[Some(7.0)]),
                ("2026-01-05T09:00:00Z", &[Some(7.0)]),
                ("2026-01-05T08:00:00Z", &[Some(3.0)]),
            ],
        );
        let s = summarize(&r, Some(7.0));
        assert_eq!(s.peak, Some(7.0));
        assert_eq!(s.peak_at.unwrap().to_rfc3339(), "2026-01-05T09:00:00+00:00");
        assert!(close(s.share_60_100, 2.0 / 3.0));
        // Monday 5th: (7 + 3) / 2 = 5; Tuesday: 7. Hours 9 and 10 tie at 7: the earlier.
        assert_eq!(s.busiest_weekday, Some(2));
        assert_eq!(s.busiest_hour, Some(9));
    }

    #[test]
    fn all_zeros_nulls_and_no_rows() {
        let zeros = result(
            "UTC",
            MM,
            &[
                ("2026-01-05T08:00:00Z", &[Some(0.0), Some(0.0)]),
                ("2026-01-05T09:00:00Z", &[Some(0.0), Some(0.0)]),
            ],
        );
        let s = summarize(&zeros, Some(10.0));
        assert_eq!(
            (s.peak, s.mean, s.mean_occupied),
            (Some(0.0), Some(0.0), None)
        );
        assert_eq!(s.peak_at.unwrap().to_rfc3339(), "2026-01-05T08:00:00+00:00");
        assert_eq!((s.busiest_weekday, s.busiest_hour), (None, None));
        assert_eq!(s.utilization_mean_pct, Some(0.0));
        assert_eq!(s.share_under_60, Some(1.0));

        let nulls = result(
            "UTC",
            MM,
            &[
                ("2026-01-05T08:00:00Z", &[None, None]),
                ("2026-01-05T09:00:00Z", &[Some(f64::NAN), None]),
            ],
        );
        let s = summarize(&nulls, Some(10.0));
        assert_eq!(
            s,
            Summary {
                capacity: Some(10.0),
                ..Summary::default()
            }
        );

        let empty = result("UTC", MM, &[]);
        assert_eq!(summarize(&empty, None), Summary::default());
        let other = result(
            "UTC",
            &["SOMETHING_ELSE"],
            &[("2026-01-05T08:00:00Z", &[Some(1.0)])],
        );
        assert_eq!(summarize(&other, None), Summary::default());
    }

    #[test]
    fn the_busiest_hour_of_the_week_is_one_cell_not_two_figures_put_together() {
        // Tuesday is busy all day; one Wednesday hour (10:00) is the busiest of all; the
        // busiest hour over all days is 09:00 (Tuesday's and Wednesday's 09:00 together).
        let r = result(
            "UTC",
            &["OCCUPANCY_MEAN"],
            &[
                ("2026-01-06T09:00:00Z", &[Some(8.0)]),
                ("2026-01-06T10:00:00Z", &[Some(6.0)]),
                ("2026-01-06T11:00:00Z", &[Some(8.0)]),
                ("2026-01-07T09:00:00Z", &[Some(8.0)]),
                ("2026-01-07T10:00:00Z", &[Some(9.0)]),
                ("2026-01-07T11:00:00Z", &[Some(0.0)]),
            ],
        );
        let s = summarize(&r, None);
        assert_eq!(s.busiest_weekday, Some(2), "Tuesday");
        assert_eq!(s.busiest_hour, Some(9));
        assert_eq!(
            s.busiest_slot,
            Some(WeekHour {
                weekday: 3,
                hour: 10
            })
        );
        // By the day, hours say nothing (every period starts at midnight).
        let mut daily = r.clone();
        daily.granularity = "P1D".into();
        let s = summarize(&daily, None);
        assert_eq!((s.busiest_hour, s.busiest_slot), (None, None));
        assert!(s.busiest_weekday.is_some());
        daily.granularity = "P1W".into();
        assert_eq!(summarize(&daily, None).busiest_weekday, None);
    }

    #[test]
    fn serializes_with_exactly_the_agreed_keys() {
        let summary = summarize(&chicago_spring(), None);
        assert_eq!(
            sorted_keys(&summary),
            [
                "busiest_hour",
                "busiest_slot",
                "busiest_weekday",
                "capacity",
                "mean",
                "mean_occupied",
                "mean_office_hours",
                "peak",
                "peak_at",
                "peak_basis",
                "peak_label",
                "share_60_100",
                "share_over_100",
                "share_under_60",
                "utilization_mean_pct",
                "utilization_office_hours_pct",
                "utilization_peak_pct",
            ]
        );
        let json = serde_json::to_value(summary).unwrap();
        assert_eq!(json["peak_at"], "2026-03-08T03:00:00-05:00");
        assert_eq!(json["peak_basis"], "occupancy_max");
        assert!(json["capacity"].is_null() && json["share_under_60"].is_null());
    }
}
