//! A building's line in the portfolio: the summary and planning figures of its hourly rows
//! (computed by [`stats::summarize`] and [`planning::plan`], so they equal `summary` and
//! `plan` to the bit), and four figures of its own, each defined in one line in the README
//! ("Portfolio"). Pure: the rows of one building in, its figures out, so a portfolio is
//! reduced building by building as the rows arrive and never held whole.

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate, Timelike};
use serde::{Deserialize, Serialize};

use super::InsightResult;
use super::columns::{MEAN_COLUMN, column_index, value_at};
use super::heatmap::CellFilter;
use super::planning::{self, daily_peaks, working_days};
use super::stats::{Summary, summarize};

/// The utilization band a building should stay in (Settings → Target band), in % of
/// capacity, whole percents: below it space is wasted, above it people are crowded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TargetBand {
    pub low_pct: u32,
    pub high_pct: u32,
}

impl Default for TargetBand {
    fn default() -> Self {
        TargetBand {
            low_pct: 60,
            high_pct: 85,
        }
    }
}

impl TargetBand {
    /// Why the band cannot be used: an upper bound above 1000 %, or low not below high.
    pub fn problem(&self) -> Option<&'static str> {
        if self.high_pct > 1000 {
            return Some("The target band's bounds are percentages from 0 to 1000.");
        }
        (self.low_pct >= self.high_pct)
            .then_some("The target band's lower bound must be below its upper bound.")
    }
}

/// A building's portfolio figures, with exactly the key names the CLI's JSON promises.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct BuildingFigures {
    pub capacity: Option<f64>,
    pub utilization_mean_pct: Option<f64>,
    pub utilization_peak_pct: Option<f64>,
    pub p90_daily_peak: Option<f64>,
    pub needed_capacity: Option<f64>,
    pub surplus: Option<f64>,
    pub surplus_pct: Option<f64>,
    pub working_days: usize,
    /// 100 × the office-hours periods of working days whose mean is above 0 / all of them.
    pub time_used_pct: Option<f64>,
    /// 100 × mean_occupied / capacity.
    pub occupied_fill_pct: Option<f64>,
    /// utilization_mean_pct minus the same over the preceding range of equal length.
    pub trend_pts: Option<f64>,
    /// Working days whose daily peak / capacity is above the target band.
    pub days_over_target: Option<usize>,
}

/// How a space is used: how often (`time_used_pct`) and how full when used
/// (`occupied_fill_pct`), the two axes of the space-use scatter.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct SpaceUse {
    pub time_used_pct: Option<f64>,
    pub occupied_fill_pct: Option<f64>,
}

/// One zone type of a building on the space-use scatter.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ZoneTypeUse {
    pub zone_type: String,
    pub capacity: Option<f64>,
    #[serde(flatten)]
    pub space_use: SpaceUse,
}

/// The figures of one building's rows (by the hour) with the building's `capacity`;
/// `previous` is the same building over the range of equal length just before, for the trend.
pub fn building_figures(
    rows: &InsightResult,
    previous: Option<&InsightResult>,
    capacity: Option<f64>,
    buffer: f64,
    target: TargetBand,
) -> BuildingFigures {
    let summary = summarize(rows, capacity);
    let plan = planning::plan(rows, capacity, buffer);
    let use_ = space_use_of(rows, &summary);
    let trend_pts = previous
        .and_then(|p| summarize(p, capacity).utilization_mean_pct)
        .zip(summary.utilization_mean_pct)
        .map(|(before, now)| now - before);
    BuildingFigures {
        capacity: summary.capacity,
        utilization_mean_pct: summary.utilization_mean_pct,
        utilization_peak_pct: summary.utilization_peak_pct,
        p90_daily_peak: plan.p90_daily_peak,
        needed_capacity: plan.needed_capacity,
        surplus: plan.surplus,
        surplus_pct: plan.surplus_pct,
        working_days: plan.working_days,
        time_used_pct: use_.time_used_pct,
        occupied_fill_pct: use_.occupied_fill_pct,
        trend_pts,
        days_over_target: days_over_target(rows, summary.capacity, target),
    }
}

/// How often and how full one space (a building, or the rows of one zone type) is used.
pub fn space_use(rows: &InsightResult, capacity: Option<f64>) -> SpaceUse {
    space_use_of(rows, &summarize(rows, capacity))
}

fn space_use_of(rows: &InsightResult, summary: &Summary) -> SpaceUse {
    SpaceUse {
        time_used_pct: time_used_pct(rows),
        occupied_fill_pct: summary
            .mean_occupied
            .zip(summary.capacity)
            .map(|(m, c)| 100.0 * m / c),
    }
}

/// One point per zone type of a building's `ZONE_TYPE_INSIGHTS` rows (by the hour), in
/// the order of their names.
pub fn zone_type_uses(
    rows: &InsightResult,
    capacity_of: impl Fn(&str) -> Option<f64>,
) -> Vec<ZoneTypeUse> {
    let types: BTreeSet<&str> = rows
        .rows
        .iter()
        .filter_map(|r| r.zone_type.as_deref())
        .collect();
    // The result's columns, zone and granularity, once; each type gets its own rows.
    let mut template = rows.clone();
    template.rows.clear();
    types
        .into_iter()
        .map(|zone_type| {
            let only = InsightResult {
                rows: rows
                    .rows
                    .iter()
                    .filter(|r| r.zone_type.as_deref() == Some(zone_type))
                    .cloned()
                    .collect(),
                ..template.clone()
            };
            let capacity = capacity_of(zone_type);
            ZoneTypeUse {
                zone_type: zone_type.to_owned(),
                capacity,
                space_use: space_use(&only, capacity),
            }
        })
        .collect()
}

/// The share (%) of office-hours periods (starting 08:00–18:00 local) on working days whose
/// `OCCUPANCY_MEAN` is above 0; null periods left out. `None` for periods of a day or longer
/// (they cannot tell the hour) and when there is no such period.
fn time_used_pct(rows: &InsightResult) -> Option<f64> {
    if !matches!(rows.granularity.as_str(), "PT15M" | "PT1H") {
        return None;
    }
    let mean = column_index(rows, MEAN_COLUMN)?;
    let peaks = daily_peaks(rows);
    let working: BTreeSet<NaiveDate> = working_days(&peaks).iter().map(|d| d.date).collect();
    let office_hours = CellFilter::office_hours();
    let (mut used, mut all) = (0_u32, 0_u32);
    for row in &rows.rows {
        let local = row.start_local;
        if !working.contains(&local.date_naive())
            || !office_hours.keeps(local.weekday().number_from_monday(), local.hour())
        {
            continue;
        }
        if let Some(v) = value_at(&row.values, mean) {
            all += 1;
            used += u32::from(v > 0.0);
        }
    }
    (all > 0).then(|| 100.0 * f64::from(used) / f64::from(all))
}

/// Working days whose daily peak is above the band's upper bound, in % of `capacity`.
fn days_over_target(
    rows: &InsightResult,
    capacity: Option<f64>,
    target: TargetBand,
) -> Option<usize> {
    let capacity = capacity?;
    let peaks = daily_peaks(rows);
    Some(
        working_days(&peaks)
            .iter()
            .filter(|d| 100.0 * d.daily_peak / capacity > f64::from(target.high_pct))
            .count(),
    )
}

#[cfg(test)]
mod tests {
    use chrono_tz::America::Chicago;

    use super::super::planning::fixtures::result;
    use super::super::stats::fixtures::{MM, close, sorted_keys};
    use super::*;

    /// Mon 2026-03-02 .. Sun 2026-03-08 in Chicago (Sunday springs forward).
    fn week() -> InsightResult {
        result(
            Chicago,
            MM,
            &[
                ((2026, 3, 2), 7, vec![Some(9.0), Some(9.0)]), // before office hours
                ((2026, 3, 2), 8, vec![Some(0.0), Some(0.0)]), // office hours, empty
                ((2026, 3, 2), 9, vec![Some(10.0), Some(90.0)]), // used; Mon peak 90
                ((2026, 3, 2), 17, vec![Some(30.0), Some(40.0)]), // used
                ((2026, 3, 2), 18, vec![Some(5.0), Some(5.0)]), // after office hours
                ((2026, 3, 3), 10, vec![Some(20.0), Some(50.0)]), // Tue used, peak 50
                ((2026, 3, 3), 11, vec![None, Some(10.0)]),    // null mean: left out
                ((2026, 3, 4), 10, vec![Some(0.0), Some(0.0)]), // Wed closed: not a working day
                ((2026, 3, 8), 10, vec![Some(40.0), Some(99.0)]), // Sunday: not a working day
            ],
        )
    }

    #[test]
    fn every_portfolio_figure_of_a_week_by_hand() {
        let f = building_figures(&week(), None, Some(100.0), 0.10, TargetBand::default());
        // Office-hours periods of Mon and Tue with a mean: 08, 09, 17 (Mon), 10 (Tue); used: 3.
        assert!(close(f.time_used_pct, 75.0));
        // mean_occupied = (9 + 10 + 30 + 5 + 20 + 40) / 6 = 19.
        assert!(close(f.occupied_fill_pct, 19.0));
        // Working days Mon (90) and Tue (50): 90 % is above 85 %.
        assert_eq!(f.days_over_target, Some(1));
        assert_eq!(f.working_days, 2);
        assert_eq!(f.trend_pts, None);
        // The summary and plan figures are theirs, unchanged.
        let s = summarize(&week(), Some(100.0));
        let p = planning::plan(&week(), Some(100.0), 0.10);
        assert_eq!(f.utilization_mean_pct, s.utilization_mean_pct);
        assert_eq!(f.utilization_peak_pct, s.utilization_peak_pct);
        assert_eq!(
            (
                f.p90_daily_peak,
                f.needed_capacity,
                f.surplus,
                f.surplus_pct
            ),
            (
                p.p90_daily_peak,
                p.needed_capacity,
                p.surplus,
                p.surplus_pct
            )
        );
        // A wider band: no day above it.
        let wide = TargetBand {
            low_pct: 10,
            high_pct: 95,
        };
        let f = building_figures(&week(), None, Some(100.0), 0.10, wide);
        assert_eq!(f.days_over_target, Some(0));
    }

    #[test]
    fn the_trend_is_the_difference_of_mean_utilizations_in_points() {
        let now = result(Chicago, MM, &[((2026, 3, 9), 9, vec![Some(30.0), None])]);
        let before = result(Chicago, MM, &[((2026, 3, 2), 9, vec![Some(20.0), None])]);
        let f = building_figures(&now, Some(&before), Some(50.0), 0.1, TargetBand::default());
        assert!(close(f.trend_pts, 60.0 - 40.0));
        // No rows before: no trend.
        let empty = result(Chicago, MM, &[]);
        let f = building_figures(&now, Some(&empty), Some(50.0), 0.1, TargetBand::default());
        assert_eq!(f.trend_pts, None);
    }

    #[test]
    fn without_capacity_only_the_figures_that_need_none() {
        let f = building_figures(&week(), None, None, 0.10, TargetBand::default());
        assert!(close(f.time_used_pct, 75.0));
        assert_eq!(
            (f.occupied_fill_pct, f.days_over_target, f.surplus),
            (None, None, None)
        );
        // Daily periods cannot tell office hours.
        let mut daily = week();
        daily.granularity = "P1D".into();
        assert_eq!(space_use(&daily, Some(100.0)).time_used_pct, None);
    }

    #[test]
    fn one_point_per_zone_type() {
        let mut r = week();
        for (i, row) in r.rows.iter_mut().enumerate() {
            row.zone_type = Some(if i % 2 == 0 { "KITCHEN" } else { "DESK" }.into());
        }
        let uses = zone_type_uses(&r, |t| (t == "DESK").then_some(40.0));
        let names: Vec<&str> = uses.iter().map(|u| u.zone_type.as_str()).collect();
        assert_eq!(names, ["DESK", "KITCHEN"]);
        assert_eq!(uses[1].space_use.occupied_fill_pct, None);
        assert!(uses[0].space_use.occupied_fill_pct.is_some());
    }

    #[test]
    fn a_band_must_be_ordered_and_in_range() {
        assert_eq!(TargetBand::default().problem(), None);
        for (low_pct, high_pct) in [(85, 60), (50, 50), (0, 1001)] {
            assert!(TargetBand { low_pct, high_pct }.problem().is_some());
        }
    }

    #[test]
    fn serializes_with_exactly_the_issues_keys() {
        assert_eq!(
            sorted_keys(&BuildingFigures::default()),
            [
                "capacity",
                "days_over_target",
                "needed_capacity",
                "occupied_fill_pct",
                "p90_daily_peak",
                "surplus",
                "surplus_pct",
                "time_used_pct",
                "trend_pts",
                "utilization_mean_pct",
                "utilization_peak_pct",
                "working_days",
            ]
        );
    }
}
