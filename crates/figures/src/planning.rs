//! Capacity planning: how much space a building, floor, zone or zone type really needs, from
//! the peak of each working day. Every figure is defined in one line (README, "Planning").

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::columns::peak_column;
use super::result::InsightResult;

/// The buffer added on top of the 90th percentile of daily peaks unless told otherwise.
pub const DEFAULT_BUFFER: f64 = 0.10;

/// The figures of one plan, with exactly the key names the CLI's JSON promises.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Plan {
    /// Set when the plan is one of several by zone type.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zone_type: Option<String>,
    /// ISO weekdays 1–5 whose daily peak is above 0.
    pub working_days: usize,
    pub p50_daily_peak: Option<f64>,
    pub p90_daily_peak: Option<f64>,
    pub p95_daily_peak: Option<f64>,
    /// The p90 of daily peaks per ISO weekday (`"1"` Monday … `"5"` Friday), working days only.
    pub p90_daily_peak_by_weekday: BTreeMap<String, f64>,
    pub buffer: f64,
    /// ceil(p90_daily_peak × (1 + buffer)).
    pub needed_capacity: Option<f64>,
    pub capacity: Option<f64>,
    /// capacity − needed_capacity.
    pub surplus: Option<f64>,
    /// 100 × surplus / capacity.
    pub surplus_pct: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DailyPeak {
    pub date: NaiveDate,
    pub daily_peak: f64,
}

/// `daily_peak` for each local day = the largest peak value of that day's periods (nulls and
/// NaN left out; a day whose values are all null has no peak).
pub fn daily_peaks(result: &InsightResult) -> Vec<DailyPeak> {
    let Some(col) = peak_column(result) else {
        return Vec::new();
    };
    let mut by_day: BTreeMap<NaiveDate, f64> = BTreeMap::new();
    for row in &result.rows {
        let Some(value) = row
            .values
            .get(col)
            .copied()
            .flatten()
            .filter(|v| v.is_finite())
        else {
            continue;
        };
        let day = row.start_local.date_naive();
        by_day
            .entry(day)
            .and_modify(|peak| *peak = peak.max(value))
            .or_insert(value);
    }
    by_day
        .into_iter()
        .map(|(date, daily_peak)| DailyPeak { date, daily_peak })
        .collect()
}

/// The `q` quantile (0..=1) with linear interpolation between closest ranks, as numpy's
/// default. `None` for no values.
pub fn percentile(values: &[f64], q: f64) -> Option<f64> {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    if sorted.is_empty() {
        return None;
    }
    sorted.sort_by(f64::total_cmp);
    let h = (sorted.len() - 1) as f64 * q.clamp(0.0, 1.0);
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    Some(sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo]))
}

fn is_working_weekday(date: NaiveDate) -> bool {
    date.weekday().number_from_monday() <= 5
}

/// The working days of `daily_peaks`: ISO weekdays 1–5 whose daily peak is above 0.
pub fn working_days(daily_peaks: &[DailyPeak]) -> Vec<&DailyPeak> {
    daily_peaks
        .iter()
        .filter(|d| is_working_weekday(d.date) && d.daily_peak > 0.0)
        .collect()
}

/// The plan for the rows given (one entity, or one zone type), with `capacity` from the
/// summary figures (a zone's CAPACITY, or the sum over the zones of a building, floor or site).
pub fn plan(result: &InsightResult, capacity: Option<f64>, buffer: f64) -> Plan {
    let daily_peaks = daily_peaks(result);
    let working = working_days(&daily_peaks);
    let peaks: Vec<f64> = working.iter().map(|d| d.daily_peak).collect();
    let p90 = percentile(&peaks, 0.90);
    let mut p90_daily_peak_by_weekday = BTreeMap::new();
    for weekday in 1..=5 {
        let of_day: Vec<f64> = working
            .iter()
            .filter(|d| d.date.weekday().number_from_monday() == weekday)
            .map(|d| d.daily_peak)
            .collect();
        if let Some(p) = percentile(&of_day, 0.90) {
            p90_daily_peak_by_weekday.insert(weekday.to_string(), p);
        }
    }
    let needed_capacity = p90.map(|p| (p * (1.0 + buffer)).ceil());
    let capacity = capacity.filter(|c| c.is_finite() && *c > 0.0);
    let surplus = capacity.zip(needed_capacity).map(|(c, n)| c - n);
    let surplus_pct = capacity.zip(surplus).map(|(c, s)| 100.0 * s / c);
    Plan {
        zone_type: None,
        working_days: working.len(),
        p50_daily_peak: percentile(&peaks, 0.50),
        p90_daily_peak: p90,
        p95_daily_peak: percentile(&peaks, 0.95),
        p90_daily_peak_by_weekday,
        buffer,
        needed_capacity,
        capacity,
        surplus,
        surplus_pct,
    }
}

/// One plan per zone type (rows of `ZONE_TYPE_INSIGHTS`), ranked by surplus, largest first
/// (types without a capacity last), so "too many meeting rooms" tops the list.
pub fn plans_by_zone_type(
    result: &InsightResult,
    capacity_of: impl Fn(&str) -> Option<f64>,
    buffer: f64,
) -> Vec<Plan> {
    let mut types: Vec<&str> = result
        .rows
        .iter()
        .filter_map(|r| r.zone_type.as_deref())
        .collect();
    types.sort_unstable();
    types.dedup();
    let mut plans: Vec<Plan> = types
        .into_iter()
        .map(|zone_type| {
            let only = InsightResult {
                rows: result
                    .rows
                    .iter()
                    .filter(|r| r.zone_type.as_deref() == Some(zone_type))
                    .cloned()
                    .collect(),
                ..result.clone()
            };
            Plan {
                zone_type: Some(zone_type.to_owned()),
                ..plan(&only, capacity_of(zone_type), buffer)
            }
        })
        .collect();
    plans.sort_by(|a, b| match (a.surplus, b.surplus) {
        (Some(x), Some(y)) => y.total_cmp(&x),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.zone_type.cmp(&b.zone_type),
    });
    plans
}

#[cfg(test)]
pub(crate) mod fixtures {
    use chrono::{DateTime, TimeZone, Utc};
    use chrono_tz::Tz;

    use super::super::result::{InsightResult, InsightRow};

    /// A fixture row: local (year, month, day), local hour, one value per column.
    pub type Row = ((i32, u32, u32), u32, Vec<Option<f64>>);

    /// Rows at local `(date, hour)` in `tz`, one column per name, for hand-computed tests.
    pub fn result(tz: Tz, columns: &[&str], rows: &[Row]) -> InsightResult {
        let rows = rows
            .iter()
            .map(|&((y, m, d), hour, ref values)| {
                let local = tz
                    .with_ymd_and_hms(y, m, d, hour, 0, 0)
                    .earliest()
                    .expect("fixture time exists");
                let start_utc: DateTime<Utc> = local.with_timezone(&Utc);
                InsightRow {
                    start_utc,
                    start_local: local.fixed_offset(),
                    date_partition: i64::from(y) * 10_000 + i64::from(m) * 100 + i64::from(d),
                    building_id: 71,
                    site_id: None,
                    zone_id: None,
                    zone_type: None,
                    values: values.clone(),
                }
            })
            .collect();
        InsightResult {
            time_zone: tz.name().to_owned(),
            time_zone_known: true,
            table: "BUILDING_INSIGHTS".into(),
            granularity: "PT1H".into(),
            columns: columns.iter().map(|c| (*c).to_owned()).collect(),
            rows,
            group_id: None,
            notice: None,
            requests: 0,
            chunks: 0,
            source: Default::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono_tz::America::Chicago;

    use super::fixtures::result;
    use super::*;

    #[test]
    fn percentiles_interpolate_linearly_like_numpy() {
        let v = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(percentile(&v, 0.5), Some(2.5));
        // numpy.percentile([1,2,3,4], 90) == 3.7
        assert!((percentile(&v, 0.9).unwrap() - 3.7).abs() < 1e-12);
        assert!((percentile(&v, 0.95).unwrap() - 3.85).abs() < 1e-12);
        assert_eq!(percentile(&[7.0], 0.9), Some(7.0));
        assert_eq!(percentile(&[], 0.9), None);
        assert_eq!(percentile(&[f64::NAN, 2.0], 0.5), Some(2.0));
    }

    #[test]
    fn a_plan_by_hand_with_a_buffer_and_a_closed_day_and_a_weekend() {
        // Mon 2026-03-02 .. Sun 2026-03-08 (Sunday is the spring-forward day in Chicago).
        let r = result(
            Chicago,
            &["OCCUPANCY_MEAN", "OCCUPANCY_MAX"],
            &[
                ((2026, 3, 2), 9, vec![Some(5.0), Some(40.0)]),
                ((2026, 3, 2), 10, vec![Some(5.0), Some(50.0)]), // Mon peak 50
                ((2026, 3, 3), 9, vec![Some(5.0), Some(60.0)]),  // Tue 60
                ((2026, 3, 4), 9, vec![Some(5.0), None]),
                ((2026, 3, 4), 10, vec![Some(5.0), Some(70.0)]), // Wed 70 (null left out)
                ((2026, 3, 5), 9, vec![Some(0.0), Some(0.0)]),   // Thu closed: not a working day
                ((2026, 3, 6), 9, vec![Some(5.0), Some(80.0)]),  // Fri 80
                ((2026, 3, 7), 9, vec![Some(5.0), Some(500.0)]), // Sat: not a weekday
                ((2026, 3, 8), 3, vec![Some(5.0), Some(900.0)]), // Sun (DST day): not a weekday
            ],
        );
        let p = plan(&r, Some(100.0), DEFAULT_BUFFER);
        assert_eq!(p.working_days, 4);
        assert_eq!(daily_peaks(&r).len(), 7);
        assert_eq!(p.p50_daily_peak, Some(65.0));
        // [50,60,70,80]: h = 3 × 0.9 = 2.7 → 70 + 0.7 × 10 = 77
        assert!((p.p90_daily_peak.unwrap() - 77.0).abs() < 1e-9);
        assert!((p.p95_daily_peak.unwrap() - 78.5).abs() < 1e-9);
        // ceil(77 × 1.1) = ceil(84.7) = 85
        assert_eq!(p.needed_capacity, Some(85.0));
        assert_eq!(p.surplus, Some(15.0));
        assert_eq!(p.surplus_pct, Some(15.0));
        assert_eq!(p.p90_daily_peak_by_weekday.get("1"), Some(&50.0));
        assert_eq!(
            p.p90_daily_peak_by_weekday.get("4"),
            None,
            "closed Thursday"
        );

        let json = serde_json::to_value(&p).unwrap();
        for key in [
            "p50_daily_peak",
            "p90_daily_peak",
            "p95_daily_peak",
            "needed_capacity",
            "capacity",
            "surplus",
            "surplus_pct",
        ] {
            assert!(json.get(key).is_some(), "{key}");
        }
        assert!(json.get("zone_type").is_none());
    }

    #[test]
    fn without_a_max_column_the_mean_is_the_peak_and_no_capacity_means_no_surplus() {
        let r = result(
            Chicago,
            &["occupancy_mean"],
            &[
                ((2026, 3, 2), 9, vec![Some(12.0)]),
                ((2026, 3, 2), 10, vec![Some(9.5)]),
            ],
        );
        let p = plan(&r, None, 0.0);
        assert_eq!(p.p90_daily_peak, Some(12.0));
        assert_eq!(p.needed_capacity, Some(12.0));
        assert_eq!(p.surplus, None);
        assert_eq!(p.surplus_pct, None);
    }

    #[test]
    fn zone_types_are_ranked_by_surplus() {
        let mut r = result(
            Chicago,
            &["OCCUPANCY_MAX"],
            &[
                ((2026, 3, 2), 9, vec![Some(10.0)]),
                ((2026, 3, 2), 9, vec![Some(2.0)]),
                ((2026, 3, 2), 9, vec![Some(4.0)]),
            ],
        );
        for (row, t) in r
            .rows
            .iter_mut()
            .zip(["Desk", "Meeting room", "Focus room"])
        {
            row.zone_type = Some(t.into());
        }
        let caps = |t: &str| match t {
            "Desk" => Some(8.0),
            "Meeting room" => Some(20.0),
            _ => None,
        };
        let plans = plans_by_zone_type(&r, caps, 0.0);
        let order: Vec<_> = plans.iter().map(|p| p.zone_type.clone().unwrap()).collect();
        assert_eq!(order, ["Meeting room", "Desk", "Focus room"]);
        assert_eq!(plans[0].surplus, Some(18.0));
        assert_eq!(plans[1].surplus, Some(-2.0), "too few desks");
    }
}
