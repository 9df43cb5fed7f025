//! Forecasts with honest uncertainty: for each working weekday, the spread of that weekday's
//! recent daily peaks is the forecast of its next ones, and a backtest on the building's own
//! history says how well that worked before. Every figure is defined in one line in the
//! README ("Plan ahead").
//!
//! The daily peaks come from [`planning::daily_peaks`], so a summed view's peak is its peak
//! hour (sum of zone means) here too; closed days (peak 0) and days flagged by
//! [`anomalies`](super::anomalies) are left out of every history.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Duration, NaiveDate};
use serde::Serialize;

use super::planning::{DailyPeak, percentile};

/// Weeks forecast unless told otherwise.
pub const DEFAULT_WEEKS: u32 = 8;
/// Weeks of history behind each forecast unless told otherwise.
pub const DEFAULT_HISTORY_WEEKS: u32 = 12;
/// Fewer history days than this for a weekday: no forecast for it.
pub const MIN_HISTORY_DAYS: usize = 6;
/// The weeks the backtest holds out (the last ones before `as_of`).
pub const BACKTEST_WEEKS: u32 = 8;
/// At most this many weeks forecast or looked back (about five years).
pub const MAX_WEEKS: u32 = 260;

/// What to forecast: from the history ending on `as_of`, the `weeks` after it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ForecastRequest {
    /// The last day of history; the forecast starts the day after.
    pub as_of: NaiveDate,
    pub weeks: u32,
    pub history_weeks: u32,
    /// A proposed capacity, for the overflow risk.
    pub capacity: Option<f64>,
}

impl ForecastRequest {
    /// The first local date any of its figures read (the backtest's history included).
    pub fn first_history_day(&self) -> NaiveDate {
        self.as_of - Duration::weeks(i64::from(self.history_weeks + BACKTEST_WEEKS))
            + Duration::days(1)
    }
}

/// The forecast of one ISO weekday, with exactly the key names the CLI's JSON promises.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WeekdayForecast {
    /// ISO weekday, 1 (Monday) to 5 (Friday).
    pub weekday: u32,
    /// The history days the forecast rests on (open, not flagged).
    pub history_days: usize,
    pub p10: Option<f64>,
    pub p50: Option<f64>,
    pub p90: Option<f64>,
    pub p95: Option<f64>,
    /// The share of its history days whose peak is above the proposed capacity.
    pub overflow_risk: Option<f64>,
    /// overflow_risk × the forecast days of this weekday.
    pub expected_days_above_capacity: Option<f64>,
    /// Why there is no forecast, when there is none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// How a forecast made the same way did on the last weeks of history.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Backtest {
    /// The held-out days: the last [`BACKTEST_WEEKS`] weeks up to `as_of`.
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The history its forecast was made from: the `history_weeks` weeks before `from`.
    pub history_from: NaiveDate,
    pub history_to: NaiveDate,
    /// Held-out working days scored: a forecast for their weekday and a peak one week earlier.
    pub held_out_days: usize,
    /// Share of the held-out days whose actual peak lies in [p10, p90].
    pub coverage_80: Option<f64>,
    /// Mean absolute error of p50 over the held-out days.
    pub mae_p50: Option<f64>,
    /// Mean absolute error of the same weekday's peak one week earlier over the same days.
    pub mae_naive: Option<f64>,
}

/// The forecast for the weeks after `as_of`, with its backtest.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Forecast {
    pub as_of: NaiveDate,
    pub weeks: u32,
    pub history_weeks: u32,
    /// The first and last forecast day.
    pub forecast_from: NaiveDate,
    pub forecast_to: NaiveDate,
    /// The history the forecast rests on.
    pub history_from: NaiveDate,
    pub history_to: NaiveDate,
    pub capacity: Option<f64>,
    /// Working weekdays of the history left out: closed (peak 0) or flagged as unusual.
    pub closed_days: usize,
    pub anomaly_days: usize,
    pub weekdays: Vec<WeekdayForecast>,
    /// The sum of the weekdays' expected days above capacity (weekdays with a forecast).
    pub expected_days_above_capacity: Option<f64>,
    pub backtest: Backtest,
}

/// The daily peaks of ISO weekdays 1–5 in `from..=to` that a forecast rests on, by weekday:
/// closed days and `flagged` days left out. Also how many of each were left out.
struct History {
    by_weekday: BTreeMap<u32, Vec<f64>>,
    closed: usize,
    flagged: usize,
}

fn history(
    peaks: &BTreeMap<NaiveDate, f64>,
    flagged: &BTreeSet<NaiveDate>,
    from: NaiveDate,
    to: NaiveDate,
) -> History {
    let mut h = History {
        by_weekday: BTreeMap::new(),
        closed: 0,
        flagged: 0,
    };
    for (day, &peak) in peaks.range(from..=to) {
        let weekday = day.weekday().number_from_monday();
        if weekday > 5 {
            continue;
        }
        if peak <= 0.0 {
            h.closed += 1;
        } else if flagged.contains(day) {
            h.flagged += 1;
        } else {
            h.by_weekday.entry(weekday).or_default().push(peak);
        }
    }
    h
}

/// The quantiles of one weekday's history, or why there are none.
fn weekday_forecast(
    weekday: u32,
    days: &[f64],
    capacity: Option<f64>,
    weeks: u32,
) -> WeekdayForecast {
    let enough = days.len() >= MIN_HISTORY_DAYS;
    let q = |p: f64| enough.then(|| percentile(days, p)).flatten();
    let overflow_risk = capacity
        .filter(|_| enough)
        .map(|c| days.iter().filter(|&&p| p > c).count() as f64 / days.len() as f64);
    WeekdayForecast {
        weekday,
        history_days: days.len(),
        p10: q(0.10),
        p50: q(0.50),
        p90: q(0.90),
        p95: q(0.95),
        overflow_risk,
        expected_days_above_capacity: overflow_risk.map(|r| r * f64::from(weeks)),
        reason: (!enough).then(|| {
            format!(
                "{} open, usual days in the history; a forecast needs at least {MIN_HISTORY_DAYS}.",
                days.len()
            )
        }),
    }
}

fn weekday_forecasts(h: &History, capacity: Option<f64>, weeks: u32) -> Vec<WeekdayForecast> {
    (1..=5)
        .map(|w| {
            let days = h.by_weekday.get(&w).map_or(&[][..], Vec::as_slice);
            weekday_forecast(w, days, capacity, weeks)
        })
        .collect()
}

/// The forecast of `request` from `daily_peaks` (which must reach back to
/// [`ForecastRequest::first_history_day`]) and the days flagged as anomalies.
pub fn forecast(
    daily_peaks: &[DailyPeak],
    flagged: &BTreeSet<NaiveDate>,
    request: &ForecastRequest,
) -> Forecast {
    let peaks: BTreeMap<NaiveDate, f64> = daily_peaks
        .iter()
        .filter(|d| d.daily_peak.is_finite())
        .map(|d| (d.date, d.daily_peak))
        .collect();
    let capacity = request.capacity.filter(|c| c.is_finite() && *c >= 0.0);
    let as_of = request.as_of;
    let history_from =
        as_of - Duration::weeks(i64::from(request.history_weeks)) + Duration::days(1);
    let h = history(&peaks, flagged, history_from, as_of);
    let weekdays = weekday_forecasts(&h, capacity, request.weeks);
    let expected = weekdays
        .iter()
        .filter_map(|w| w.expected_days_above_capacity)
        .fold(None, |sum: Option<f64>, e| Some(sum.unwrap_or(0.0) + e));
    Forecast {
        as_of,
        weeks: request.weeks,
        history_weeks: request.history_weeks,
        forecast_from: as_of + Duration::days(1),
        forecast_to: as_of + Duration::weeks(i64::from(request.weeks)),
        history_from,
        history_to: as_of,
        capacity,
        closed_days: h.closed,
        anomaly_days: h.flagged,
        weekdays,
        expected_days_above_capacity: expected,
        backtest: backtest(&peaks, flagged, as_of, request.history_weeks),
    }
}

/// Forecasts the last [`BACKTEST_WEEKS`] weeks up to `as_of` from the `history_weeks` weeks
/// before them, and scores it against what happened and against last week's value. Every
/// score is over the same days: held-out working days (peak above 0; unusual days stay in,
/// since a forecast must live with them) whose weekday had a forecast and that have a peak
/// one week earlier.
fn backtest(
    peaks: &BTreeMap<NaiveDate, f64>,
    flagged: &BTreeSet<NaiveDate>,
    as_of: NaiveDate,
    history_weeks: u32,
) -> Backtest {
    let from = as_of - Duration::weeks(i64::from(BACKTEST_WEEKS)) + Duration::days(1);
    let history_to = from - Duration::days(1);
    let history_from = from - Duration::weeks(i64::from(history_weeks));
    let h = history(peaks, flagged, history_from, history_to);
    let forecasts = weekday_forecasts(&h, None, BACKTEST_WEEKS);
    let (mut inside, mut err_p50, mut err_naive, mut n) = (0usize, 0.0, 0.0, 0usize);
    for (day, &actual) in peaks.range(from..=as_of) {
        let weekday = day.weekday().number_from_monday();
        if weekday > 5 || actual <= 0.0 {
            continue;
        }
        let Some(f) = forecasts.get(weekday as usize - 1) else {
            continue;
        };
        let (Some(p10), Some(p50), Some(p90)) = (f.p10, f.p50, f.p90) else {
            continue;
        };
        let Some(&week_before) = peaks.get(&(*day - Duration::weeks(1))) else {
            continue;
        };
        n += 1;
        if (p10..=p90).contains(&actual) {
            inside += 1;
        }
        err_p50 += (actual - p50).abs();
        err_naive += (actual - week_before).abs();
    }
    let share = |x: f64| (n > 0).then(|| x / n as f64);
    Backtest {
        from,
        to: as_of,
        history_from,
        history_to,
        held_out_days: n,
        coverage_80: share(inside as f64),
        mae_p50: share(err_p50),
        mae_naive: share(err_naive),
    }
}

#[cfg(test)]
mod tests {
    use chrono_tz::America::Chicago;

    use super::*;
    use crate::planning::daily_peaks;
    use crate::planning::fixtures::result;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn peak(date: NaiveDate, daily_peak: f64) -> DailyPeak {
        DailyPeak { date, daily_peak }
    }

    /// Mondays: `values[i]` is the peak of the Monday `i` weeks after 2026-01-05.
    fn mondays(values: &[f64]) -> Vec<DailyPeak> {
        values
            .iter()
            .enumerate()
            .map(|(i, &v)| peak(date(2026, 1, 5) + Duration::weeks(i as i64), v))
            .collect()
    }

    fn request(as_of: NaiveDate, history_weeks: u32, capacity: Option<f64>) -> ForecastRequest {
        ForecastRequest {
            as_of,
            weeks: DEFAULT_WEEKS,
            history_weeks,
            capacity,
        }
    }

    #[test]
    fn quantiles_of_a_weekday_by_hand() {
        // Six Mondays 10, 20, 30, 40, 50, 60 (the last on 2026-02-09 = as_of).
        // numpy.percentile([10..60], [10, 50, 90, 95]) = 15, 35, 55, 57.5.
        let peaks = mondays(&[10.0, 20.0, 30.0, 40.0, 50.0, 60.0]);
        let f = forecast(
            &peaks,
            &BTreeSet::new(),
            &request(date(2026, 2, 9), 6, Some(45.0)),
        );
        let monday = &f.weekdays[0];
        assert_eq!(monday.weekday, 1);
        assert_eq!(monday.history_days, 6);
        assert_eq!(
            (monday.p10, monday.p50, monday.p90, monday.p95),
            (Some(15.0), Some(35.0), Some(55.0), Some(57.5))
        );
        // 50 and 60 are above 45: 2 of 6; over 8 forecast Mondays, 8 × 1/3.
        assert!((monday.overflow_risk.unwrap() - 1.0 / 3.0).abs() < 1e-12);
        assert!((monday.expected_days_above_capacity.unwrap() - 8.0 / 3.0).abs() < 1e-12);
        assert_eq!(
            f.expected_days_above_capacity,
            monday.expected_days_above_capacity
        );
        assert_eq!(f.forecast_from, date(2026, 2, 10));
        assert_eq!(f.forecast_to, date(2026, 4, 6));
        assert_eq!(f.history_from, date(2025, 12, 30));
        let json = serde_json::to_value(&f).unwrap();
        for key in [
            "p10",
            "p50",
            "p90",
            "p95",
            "overflow_risk",
            "expected_days_above_capacity",
        ] {
            assert!(json["weekdays"][0].get(key).is_some(), "{key}");
        }
        for key in ["coverage_80", "mae_p50", "mae_naive"] {
            assert!(json["backtest"].get(key).is_some(), "{key}");
        }
    }

    #[test]
    fn fewer_than_six_history_days_give_no_forecast_and_say_why() {
        let peaks = mondays(&[10.0, 20.0, 30.0, 40.0, 50.0]);
        let f = forecast(
            &peaks,
            &BTreeSet::new(),
            &request(date(2026, 2, 2), 12, Some(10.0)),
        );
        let monday = &f.weekdays[0];
        assert_eq!(monday.history_days, 5);
        assert_eq!(
            (monday.p10, monday.p50, monday.overflow_risk),
            (None, None, None)
        );
        assert!(monday.reason.as_deref().unwrap().contains("at least 6"));
        assert_eq!(f.weekdays[1].history_days, 0, "no Tuesdays at all");
        assert!(f.weekdays[1].reason.is_some());
        assert_eq!(f.expected_days_above_capacity, None);
    }

    #[test]
    fn closed_days_and_anomalies_are_left_out_of_the_history() {
        // Eight Mondays; one closed (0) and one flagged (a 400-person event) leave six.
        let mut values = vec![10.0, 20.0, 0.0, 30.0, 400.0, 40.0, 50.0, 60.0];
        let peaks = mondays(&values);
        let flagged: BTreeSet<NaiveDate> = [date(2026, 2, 2)].into();
        let f = forecast(&peaks, &flagged, &request(date(2026, 2, 23), 8, None));
        assert_eq!((f.closed_days, f.anomaly_days), (1, 1));
        let monday = &f.weekdays[0];
        assert_eq!(monday.history_days, 6);
        assert_eq!(
            monday.p50,
            Some(35.0),
            "the same as the six usual days alone"
        );
        assert_eq!(monday.overflow_risk, None, "no capacity proposed");
        // Not flagged, the event day counts (and moves the p95).
        let f = forecast(
            &peaks,
            &BTreeSet::new(),
            &request(date(2026, 2, 23), 8, None),
        );
        assert_eq!(f.weekdays[0].history_days, 7);
        values.retain(|v| *v > 0.0);
        assert_eq!(f.weekdays[0].p95, percentile(&values, 0.95));
    }

    #[test]
    fn the_backtest_by_hand() {
        // Twelve training Mondays 10..=120 (p10 21, p50 65, p90 109), then eight held-out
        // Mondays. as_of = the last held-out Monday.
        let training: Vec<f64> = (1..=12).map(|i| f64::from(i) * 10.0).collect();
        let held_out = [60.0, 70.0, 200.0, 65.0, 0.0, 100.0, 20.0, 110.0];
        let peaks = mondays(&[training, held_out.to_vec()].concat());
        let as_of = date(2026, 1, 5) + Duration::weeks(19);
        let f = forecast(&peaks, &BTreeSet::new(), &request(as_of, 12, None));
        let b = &f.backtest;
        assert_eq!(
            b.from,
            date(2026, 1, 5) + Duration::weeks(12) - Duration::days(6)
        );
        assert_eq!(b.history_to, b.from - Duration::days(1));
        // The closed held-out day (0) is no working day: seven days scored. The Monday after
        // it is guessed naively as 0, the closed day's peak.
        assert_eq!(b.held_out_days, 7);
        // In [21, 109]: 60, 70, 65, 100 → 4 of 7.
        assert!((b.coverage_80.unwrap() - 4.0 / 7.0).abs() < 1e-12);
        // |60-65|+|70-65|+|200-65|+|65-65|+|100-65|+|20-65|+|110-65| = 5+5+135+0+35+45+45
        assert!((b.mae_p50.unwrap() - 270.0 / 7.0).abs() < 1e-9);
        // Week before: 120, 60, 70, 200, 0, 100, 20 →
        // 60+10+130+135+100+80+90 = 605
        assert!((b.mae_naive.unwrap() - 605.0 / 7.0).abs() < 1e-9);
    }

    #[test]
    fn a_dst_week_keeps_its_local_days() {
        // Chicago springs forward on Sunday 2026-03-08. Six Mondays of history around it, each
        // Monday's peak at 09:00 local time, and a Sunday 23:00 hour (Monday in UTC) that
        // must stay on Sunday, a weekend day.
        let rows: Vec<_> = (0..6)
            .flat_map(|i| {
                let monday = date(2026, 2, 9) + Duration::weeks(i);
                let sunday = monday - Duration::days(1);
                [
                    (
                        (monday.year(), monday.month(), monday.day()),
                        9,
                        vec![Some(10.0 * (i + 1) as f64)],
                    ),
                    (
                        (sunday.year(), sunday.month(), sunday.day()),
                        23,
                        vec![Some(999.0)],
                    ),
                ]
            })
            .collect();
        let r = result(Chicago, &["OCCUPANCY_MAX"], &rows);
        let peaks = daily_peaks(&r);
        let f = forecast(
            &peaks,
            &BTreeSet::new(),
            &request(date(2026, 3, 16), 6, None),
        );
        let monday = &f.weekdays[0];
        assert_eq!(monday.history_days, 6);
        assert_eq!(monday.p50, Some(35.0));
        assert_eq!(monday.p95, Some(57.5));
    }
}
