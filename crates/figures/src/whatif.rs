//! What-if consolidation: several floors, zone types or buildings read as one space, replayed
//! on their own history. Their hourly means add up on UTC instants (means add up; peaks do
//! not, api.md §1.3), the combined series is planned like any other (`planning::plan`), and
//! set beside the sum of each one's own plan: sharing space saves places because peaks do not
//! coincide. Every figure is defined in one line in the README ("Plan ahead").

use chrono::{DateTime, Datelike, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use super::columns::{MEAN_COLUMN, SUMMED_PEAK_COLUMN};
use super::planning::{self, Plan};
use super::summed::mean_sums;
use super::time::{parse_tz, to_local};
use super::{InsightResult, InsightRow};

/// One of the spaces combined: its hourly series (one series: a sum of zones already summed)
/// and its capacity.
pub struct Space<'a> {
    pub label: String,
    pub series: &'a InsightResult,
    pub capacity: Option<f64>,
}

/// One space's own plan, on the same basis as the combined one.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SpaceNeed {
    pub label: String,
    pub working_days: usize,
    pub p90_daily_peak: Option<f64>,
    pub p95_daily_peak: Option<f64>,
    pub needed_capacity: Option<f64>,
    pub capacity: Option<f64>,
}

/// The combined space against the spaces apart, with exactly the key names the CLI's JSON
/// promises.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WhatIf {
    /// The zone the combined daily peaks are taken in: the first space's.
    pub time_zone: String,
    pub buffer: f64,
    /// The proposed capacity the days over it are counted against.
    pub capacity: Option<f64>,
    /// Working days (ISO 1–5, combined daily peak above 0).
    pub working_days: usize,
    pub p90_daily_peak: Option<f64>,
    pub p95_daily_peak: Option<f64>,
    /// ceil(p90_daily_peak × (1 + buffer)) of the combined series.
    pub needed_capacity: Option<f64>,
    /// Working days whose combined daily peak is above `capacity`.
    pub days_over_capacity: Option<usize>,
    pub spaces: Vec<SpaceNeed>,
    /// The sum of the spaces' own needed_capacity (when every space has one).
    pub sum_of_separate_needs: Option<f64>,
    /// sum_of_separate_needs − needed_capacity.
    pub shared_saving: Option<f64>,
    /// Hours some space has a mean for and another has not: left out of the combined series,
    /// never summed from a part of the spaces.
    pub hours_left_out: usize,
}

/// The hourly sum of the spaces' `OCCUPANCY_MEAN` on each UTC instant every space has a mean
/// for, in the first space's time zone; as its peak column too (an hour's peak is its sum).
/// Also how many instants only some spaces had. `None` without spaces.
pub fn combined_series(series: &[&InsightResult]) -> Option<(InsightResult, usize)> {
    let first = series.first()?;
    let tz = parse_tz(&first.time_zone).unwrap_or(Tz::UTC);
    let sums: Vec<_> = series.iter().map(|s| mean_sums(s)).collect();
    let mut all: Vec<DateTime<Utc>> = sums.iter().flat_map(|s| s.keys().copied()).collect();
    all.sort_unstable();
    all.dedup();
    let building_id = first.rows.first().map_or(0, |r| r.building_id);
    let mut left_out = 0;
    let mut rows = Vec::new();
    for instant in all {
        let values: Option<Vec<f64>> = sums.iter().map(|s| s.get(&instant).copied()).collect();
        let Some(values) = values else {
            left_out += 1;
            continue;
        };
        let sum: f64 = values.iter().sum();
        let local = to_local(instant, tz);
        let day = local.date_naive();
        rows.push(InsightRow {
            start_utc: instant,
            start_local: local,
            date_partition: i64::from(day.year()) * 10_000
                + i64::from(day.month()) * 100
                + i64::from(day.day()),
            building_id,
            site_id: None,
            zone_id: None,
            zone_type: None,
            values: vec![Some(sum), Some(sum)],
        });
    }
    let combined = InsightResult {
        time_zone: first.time_zone.clone(),
        time_zone_known: first.time_zone_known,
        table: first.table.clone(),
        granularity: first.granularity.clone(),
        columns: vec![MEAN_COLUMN.to_owned(), SUMMED_PEAK_COLUMN.to_owned()],
        rows,
        group_id: first.group_id.clone(),
        notice: None,
        requests: 0,
        chunks: 0,
        source: Default::default(),
    };
    Some((combined, left_out))
}

fn need(label: &str, plan: &Plan) -> SpaceNeed {
    SpaceNeed {
        label: label.to_owned(),
        working_days: plan.working_days,
        p90_daily_peak: plan.p90_daily_peak,
        p95_daily_peak: plan.p95_daily_peak,
        needed_capacity: plan.needed_capacity,
        capacity: plan.capacity,
    }
}

/// The spaces combined, against each planned alone (each through the same
/// [`combined_series`], so a what-if of one space is that space's plan).
pub fn what_if(spaces: &[Space<'_>], buffer: f64, capacity: Option<f64>) -> WhatIf {
    let series: Vec<&InsightResult> = spaces.iter().map(|s| s.series).collect();
    let combined = combined_series(&series);
    let plan = combined
        .as_ref()
        .map(|(c, _)| planning::plan(c, None, buffer));
    let capacity = capacity.filter(|c| c.is_finite() && *c >= 0.0);
    let days_over_capacity = capacity.zip(combined.as_ref()).map(|(cap, (c, _))| {
        planning::daily_peaks(c)
            .iter()
            .filter(|d| d.date.weekday().number_from_monday() <= 5 && d.daily_peak > cap)
            .count()
    });
    let separate: Vec<SpaceNeed> = spaces
        .iter()
        .filter_map(|s| {
            let (alone, _) = combined_series(&[s.series])?;
            Some(need(&s.label, &planning::plan(&alone, s.capacity, buffer)))
        })
        .collect();
    let needed_capacity = plan.as_ref().and_then(|p| p.needed_capacity);
    let sum_of_separate_needs = separate
        .iter()
        .map(|s| s.needed_capacity)
        .sum::<Option<f64>>()
        .filter(|_| !separate.is_empty());
    WhatIf {
        time_zone: combined
            .as_ref()
            .map_or(String::new(), |(c, _)| c.time_zone.clone()),
        buffer,
        capacity,
        working_days: plan.as_ref().map_or(0, |p| p.working_days),
        p90_daily_peak: plan.as_ref().and_then(|p| p.p90_daily_peak),
        p95_daily_peak: plan.as_ref().and_then(|p| p.p95_daily_peak),
        needed_capacity,
        days_over_capacity,
        shared_saving: sum_of_separate_needs
            .zip(needed_capacity)
            .map(|(sum, n)| sum - n),
        sum_of_separate_needs,
        spaces: separate,
        hours_left_out: combined.map_or(0, |(_, left_out)| left_out),
    }
}

#[cfg(test)]
mod tests {
    use chrono_tz::America::Chicago;
    use chrono_tz::Europe::London;

    use super::*;
    use crate::planning::fixtures::result;
    use crate::summed::sum_of_zones;

    fn space<'a>(label: &str, series: &'a InsightResult, capacity: Option<f64>) -> Space<'a> {
        Space {
            label: label.to_owned(),
            series,
            capacity,
        }
    }

    #[test]
    fn two_buildings_in_different_zones_add_up_on_utc_instants_and_days_are_the_first_ones() {
        // Chicago (UTC−6 in March before the 8th) and London (UTC+0).
        let chicago = result(
            Chicago,
            &["OCCUPANCY_MEAN"],
            &[
                ((2026, 3, 2), 9, vec![Some(10.0)]),  // 15:00Z
                ((2026, 3, 2), 10, vec![Some(30.0)]), // 16:00Z
                ((2026, 3, 2), 20, vec![Some(0.0)]),  // 02:00Z on the 3rd
                ((2026, 3, 2), 21, vec![Some(7.0)]),  // 03:00Z: London has no such hour
            ],
        );
        let london = result(
            London,
            &["OCCUPANCY_MEAN"],
            &[
                ((2026, 3, 2), 15, vec![Some(20.0)]),
                ((2026, 3, 2), 16, vec![Some(5.0)]),
                ((2026, 3, 3), 2, vec![Some(50.0)]), // Tuesday in London, Monday in Chicago
            ],
        );
        let w = what_if(
            &[
                space("Chicago", &chicago, Some(40.0)),
                space("London", &london, None),
            ],
            0.0,
            Some(45.0),
        );
        assert_eq!(w.time_zone, "America/Chicago");
        assert_eq!(w.hours_left_out, 1);
        // Combined 15:00Z 30, 16:00Z 35, 02:00Z 50: one Chicago Monday, peak 50.
        assert_eq!(w.working_days, 1);
        assert_eq!(w.p90_daily_peak, Some(50.0));
        assert_eq!(w.needed_capacity, Some(50.0));
        assert_eq!(w.days_over_capacity, Some(1));
        // Apart: Chicago's Monday peaks at 30; London's Monday 20 and Tuesday 50, p90 of
        // [20, 50] = 47.
        assert_eq!(w.spaces[0].needed_capacity, Some(30.0));
        assert_eq!(w.spaces[0].capacity, Some(40.0));
        assert_eq!(w.spaces[1].working_days, 2);
        assert_eq!(w.spaces[1].needed_capacity, Some(47.0));
        assert_eq!(w.sum_of_separate_needs, Some(77.0));
        assert_eq!(w.shared_saving, Some(27.0));
        let json = serde_json::to_value(&w).unwrap();
        for key in [
            "p90_daily_peak",
            "p95_daily_peak",
            "needed_capacity",
            "days_over_capacity",
            "sum_of_separate_needs",
            "shared_saving",
        ] {
            assert!(json.get(key).is_some(), "{key}");
        }
    }

    #[test]
    fn a_what_if_of_one_space_is_its_plan() {
        // A site of two zones by the hour over two working days, summed as a view sums it.
        let mut zones = result(
            Chicago,
            &["OCCUPANCY_MEAN", "OCCUPANCY_MAX"],
            &[
                ((2026, 3, 2), 9, vec![Some(10.0), Some(12.0)]),
                ((2026, 3, 2), 9, vec![Some(1.0), Some(2.0)]),
                ((2026, 3, 2), 10, vec![Some(2.0), Some(3.0)]),
                ((2026, 3, 2), 10, vec![Some(8.0), Some(11.0)]),
                ((2026, 3, 3), 9, vec![Some(4.0), Some(9.0)]),
                ((2026, 3, 3), 9, vec![Some(3.0), Some(4.0)]),
            ],
        );
        for (i, row) in zones.rows.iter_mut().enumerate() {
            row.zone_id = Some(1 + (i as i64 % 2));
        }
        let site = sum_of_zones(&zones, Some(&zones));
        let plan = planning::plan(&site, Some(30.0), 0.1);
        let w = what_if(&[space("Level 1", &site, Some(30.0))], 0.1, None);
        assert_eq!(w.p90_daily_peak, plan.p90_daily_peak);
        assert_eq!(w.p95_daily_peak, plan.p95_daily_peak);
        assert_eq!(w.needed_capacity, plan.needed_capacity);
        assert_eq!(w.working_days, plan.working_days);
        // [7, 11]: p90 = 10.6, ceil(11.66) = 12.
        assert_eq!(w.needed_capacity, Some(12.0));
        assert_eq!(w.sum_of_separate_needs, w.needed_capacity);
        assert_eq!(w.shared_saving, Some(0.0));
        assert_eq!(w.days_over_capacity, None, "no capacity proposed");
    }

    #[test]
    fn no_spaces_give_no_figures() {
        let w = what_if(&[], 0.1, Some(1.0));
        assert_eq!(w.needed_capacity, None);
        assert_eq!(w.sum_of_separate_needs, None);
        assert_eq!(w.shared_saving, None);
    }
}
