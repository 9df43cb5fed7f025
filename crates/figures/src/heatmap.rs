//! Weekday × hour grids in building-local time.
//!
//! Each row lands in the cell of its **local** start (`start_local`): ISO weekday and hour
//! as the building's clock shows them, so a DST day's periods fall in the right cells (the
//! repeated hour of a fall-back night adds two periods to one cell; the skipped hour of a
//! spring-forward night adds none). Meant for PT15M and PT1H results; a daily result puts
//! everything in hour 0. Like the summary, the grid is over all rows given.

use std::ops::Range;

use chrono::{Datelike, Timelike};
use serde::{Deserialize, Serialize};

use super::InsightResult;
use super::columns::{column_index, value_at};

/// `grid[weekday - 1][hour]`: ISO weekday 1 (Monday) to 7, local hour 0 to 23.
pub type WeekdayHourGrid = [[Option<f64>; 24]; 7];

/// Which cells to keep, e.g. office hours on weekdays.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CellFilter {
    /// Local hours to keep, e.g. `8..18`; all when `None`.
    pub hours: Option<Range<u32>>,
    /// Keep Monday to Friday only.
    pub weekdays_only: bool,
}

impl CellFilter {
    /// Office hours: 08:00 to 18:00, Monday to Friday.
    pub fn office_hours() -> Self {
        CellFilter {
            hours: Some(8..18),
            weekdays_only: true,
        }
    }

    /// Whether a cell of ISO `weekday` (1 = Monday) and local `hour` is kept.
    pub fn keeps(&self, weekday: u32, hour: u32) -> bool {
        self.hours.as_ref().is_none_or(|h| h.contains(&hour))
            && (!self.weekdays_only || weekday <= 5)
    }
}

/// The mean of `column` per local weekday and hour; `None` where no row has a value (or the
/// column does not exist).
pub fn weekday_hour_grid(result: &InsightResult, column: &str) -> WeekdayHourGrid {
    weekday_hour_grid_filtered(result, column, &CellFilter::default())
}

/// [`weekday_hour_grid`] with the cells outside `filter` left empty.
pub fn weekday_hour_grid_filtered(
    result: &InsightResult,
    column: &str,
    filter: &CellFilter,
) -> WeekdayHourGrid {
    let mut sum = [[0.0_f64; 24]; 7];
    let mut count = [[0_u32; 24]; 7];
    if let Some(col) = column_index(result, column) {
        for row in &result.rows {
            let weekday = row.start_local.weekday().number_from_monday();
            let hour = row.start_local.hour();
            if !filter.keeps(weekday, hour) {
                continue;
            }
            if let Some(v) = value_at(&row.values, col) {
                let (d, h) = (weekday as usize - 1, hour as usize);
                sum[d][h] += v;
                count[d][h] += 1;
            }
        }
    }
    std::array::from_fn(|d| {
        std::array::from_fn(|h| (count[d][h] > 0).then(|| sum[d][h] / f64::from(count[d][h])))
    })
}

#[cfg(test)]
mod tests {
    use super::super::stats::fixtures::result;
    use super::*;

    const MM: &[&str] = &["OCCUPANCY_MEAN", "OCCUPANCY_MAX"];

    fn filled(grid: &WeekdayHourGrid) -> Vec<(usize, usize, f64)> {
        let mut out = Vec::new();
        for (d, row) in grid.iter().enumerate() {
            for (h, cell) in row.iter().enumerate() {
                if let Some(v) = cell {
                    out.push((d + 1, h, *v));
                }
            }
        }
        out
    }

    #[test]
    fn chicago_dst_days_land_in_local_cells() {
        let r = result(
            "America/Chicago",
            MM,
            &[
                // Spring forward, Sunday 2026-03-08: no 02:00.
                ("2026-03-08T06:00:00Z", &[Some(0.0), Some(0.0)]),
                ("2026-03-08T07:00:00Z", &[Some(10.0), Some(20.0)]),
                ("2026-03-08T08:00:00Z", &[Some(30.0), Some(50.0)]),
                ("2026-03-08T09:00:00Z", &[None, Some(50.0)]),
                ("2026-03-09T15:00:00Z", &[Some(20.0), Some(40.0)]),
                // Fall back, Sunday 2026-11-01: 01:00 twice.
                ("2026-11-01T06:00:00Z", &[Some(6.0), Some(8.0)]),
                ("2026-11-01T07:00:00Z", &[Some(12.0), Some(12.0)]),
            ],
        );
        let grid = weekday_hour_grid(&r, "OCCUPANCY_MEAN");
        // Sunday 01:00: (10 + 6 + 12) / 3.
        assert_eq!(
            filled(&grid),
            [(1, 10, 20.0), (7, 0, 0.0), (7, 1, 28.0 / 3.0), (7, 3, 30.0)]
        );
        assert_eq!(grid[6][2], None);
        assert_eq!(grid[6][4], None, "a null value is left out");
        let peaks = weekday_hour_grid(&r, "occupancy_max");
        assert_eq!(peaks[6][4], Some(50.0));
        assert_eq!(weekday_hour_grid(&r, "NO_SUCH_COLUMN"), [[None; 24]; 7]);
    }

    #[test]
    fn sydney_dst_days_land_in_local_cells() {
        let r = result(
            "Australia/Sydney",
            MM,
            &[
                // Spring forward, Sunday 2026-10-04 (Saturday in UTC).
                ("2026-10-03T15:00:00Z", &[Some(1.0), None]), // 01:00 AEST
                ("2026-10-03T16:00:00Z", &[Some(3.0), None]), // 03:00 AEDT
                ("2026-10-03T17:00:00Z", &[Some(5.0), None]), // 04:00 AEDT
                // Fall back, Sunday 2026-04-05: 02:00 twice.
                ("2026-04-04T15:00:00Z", &[Some(2.0), None]), // 02:00 AEDT
                ("2026-04-04T16:00:00Z", &[Some(4.0), None]), // 02:00 AEST
                ("2026-04-04T17:00:00Z", &[Some(9.0), None]), // 03:00 AEST
            ],
        );
        let grid = weekday_hour_grid(&r, "OCCUPANCY_MEAN");
        assert_eq!(
            filled(&grid),
            [(7, 1, 1.0), (7, 2, 3.0), (7, 3, 6.0), (7, 4, 5.0)]
        );
        assert!(grid[5].iter().all(Option::is_none), "nothing on Saturday");
    }

    #[test]
    fn office_hours_keep_weekday_daytime_cells() {
        let r = result(
            "UTC",
            MM,
            &[
                ("2026-01-05T07:00:00Z", &[Some(1.0), None]), // Mon 07
                ("2026-01-05T08:00:00Z", &[Some(2.0), None]), // Mon 08
                ("2026-01-09T17:00:00Z", &[Some(3.0), None]), // Fri 17
                ("2026-01-09T18:00:00Z", &[Some(4.0), None]), // Fri 18
                ("2026-01-10T10:00:00Z", &[Some(5.0), None]), // Sat 10
            ],
        );
        let grid = weekday_hour_grid_filtered(&r, "OCCUPANCY_MEAN", &CellFilter::office_hours());
        assert_eq!(filled(&grid), [(1, 8, 2.0), (5, 17, 3.0)]);
        let weekends = CellFilter {
            hours: None,
            weekdays_only: false,
        };
        assert_eq!(
            filled(&weekday_hour_grid_filtered(&r, "OCCUPANCY_MEAN", &weekends)).len(),
            5
        );
        assert_eq!(
            weekday_hour_grid(&result("UTC", MM, &[]), "OCCUPANCY_MEAN"),
            [[None; 24]; 7]
        );
    }
}
